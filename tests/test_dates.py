"""Dates on built pages (issue 12, item 5): the fields of the value, the locale's calendar,
its zone and digits; the ``calendars`` and ``native_digits`` configuration keys."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import babel
import pytest

from l10n import html_read
from l10n.config import config_from
from l10n.dates import DEFAULTS, PERSIAN_MONTHS, Conventions, parse_value, render_time, to_persian
from l10n.errors import ConfigError
from l10n.locale import parse_locale
from l10n.page import Site, localise


def cldr(code: str) -> babel.Locale:
    return babel.Locale.parse(code)


# The value decides the fields: a date stays a date, a month a month; a time gets its zone.
FORMS = {
    "en": {
        "2015-11-03": "November 3, 2015",
        "2015-11": "November 2015",
        "2015-11-03T10:12": "November 3, 2015, 10:12\u202fAM",
        "2015-11-03T10:12:30+01:00": "November 3, 2015, 10:12\u202fAM GMT+01:00",
        "2015-11-03T22:12-03:30": "November 3, 2015, 10:12\u202fPM GMT-03:30",
        "2015-11-03T10:12Z": "November 3, 2015, 10:12\u202fAM GMT",
        "10:12": "10:12\u202fAM",
    },
    "fr": {
        "2015-11-03": "3 novembre 2015",
        "2015-11": "novembre 2015",
        "2015-11-03 10:12": "3 novembre 2015, 10:12",
        "2015-11-03T10:12:00.5+0100": "3 novembre 2015, 10:12 UTC+01:00",
        "2015-11-03T10:12Z": "3 novembre 2015, 10:12 UTC",
    },
    "fa": {
        "2015-11-03": "۳ نوامبر ۲۰۱۵",
        "2015-11": "نوامبر ۲۰۱۵",
        "2015-11-03T10:12": "۳ نوامبر ۲۰۱۵، ساعت ۱۰:۱۲",
        # CLDR's fa long time format puts the zone in parentheses; the mark keeps the sign left.
        "2015-11-03T10:12+03:30": "۳ نوامبر ۲۰۱۵، ساعت ۱۰:۱۲ (\u200e+۰۳:۳۰ گرینویچ)",
        "2015-11-03T10:12Z": "۳ نوامبر ۲۰۱۵، ساعت ۱۰:۱۲ (گرینویچ)",
    },
    "zh_Hans": {
        "2015-11-03": "2015年11月3日",
        "2015-11": "2015年11月",
        "2015-11-03T10:12": "2015年11月3日 10:12",
        "2015-11-03T10:12+08:00": "2015年11月3日 GMT+08:00 10:12",  # CLDR zh: the zone before the time
    },
    "ar": {  # CLDR's ar now defaults to ASCII digits (ar-EG, ar-SA keep Arabic-Indic ones)
        "2015-11-03": "3 نوفمبر 2015",
        "2015-11-03T10:12+02:00": "3 نوفمبر 2015، 10:12 ص غرينتش\u200e+02:00",
    },
    "ar_EG": {
        "2015-11-03": "٣ نوفمبر ٢٠١٥",
        "2015-11-03T10:12+02:00": "٣ نوفمبر ٢٠١٥، ١٠:١٢ ص غرينتش\u200e+٠٢:٠٠",
    },
}
CASES = [(code, value, text) for code, table in FORMS.items() for value, text in table.items()]


@pytest.mark.parametrize(("code", "value", "expected"), CASES, ids=[f"{c}-{v}" for c, v, _ in CASES])
def test_a_time_shows_the_fields_of_its_value(code: str, value: str, expected: str) -> None:
    assert render_time(value, cldr(code)) == expected


def test_a_time_with_a_zone_is_shown_as_written_never_converted() -> None:
    # The same instant written in two offsets: each keeps its own clock time.
    assert render_time("2015-11-03T23:30+01:00", cldr("fr")) == "3 novembre 2015, 23:30 UTC+01:00"
    assert render_time("2015-11-03T22:30Z", cldr("fr")) == "3 novembre 2015, 22:30 UTC"
    assert render_time("2015-11-04T03:00+05:30", cldr("fr")) == "4 novembre 2015, 03:00 UTC+05:30"


@pytest.mark.parametrize(
    "value",
    ["not a date", "2015-13-45", "2015-02-30", "2015", "2015-W45", "--11-03", "P3D", "+01:00", "25:00",
     "2015-11-03T10:12+24:00", "2015-11-03T10:12+01:60", "2015-11-03T10", "2015-11-03T10:12:00.1234", ""],
)  # fmt: skip
def test_values_not_rendered_are_left_alone(value: str) -> None:
    assert parse_value(value) is None
    assert render_time(value, cldr("fr")) is None


def test_native_digits_off_keeps_ascii_digits_in_dates() -> None:
    assert render_time("2015-11-03", cldr("fa"), digits=False) == "3 نوامبر 2015"
    assert render_time("2015-11-03", cldr("fa"), "persian", digits=False) == "12 آبان 1394"


def test_the_persian_calendar_in_persian() -> None:
    fa = cldr("fa")
    assert render_time("2015-11-03", fa, "persian") == "۱۲ آبان ۱۳۹۴"
    assert render_time("2015-11", fa, "persian") == "آبان ۱۳۹۴"  # the month the 1st falls in
    assert render_time("2016-03-20T08:00+03:30", fa, "persian") == "۱ فروردین ۱۳۹۵، ساعت ۸:۰۰ (\u200e+۰۳:۳۰ گرینویچ)"
    assert render_time("10:12", fa, "persian") == "۱۰:۱۲"


# Nowruz (1 Farvardin) of each year, in the Gregorian calendar, as Iran's calendar (the
# vernal equinox at Tehran) fixed it: a table kept apart from the arithmetic under test.
NOWRUZ = {
    1390: date(2011, 3, 21), 1391: date(2012, 3, 20), 1392: date(2013, 3, 21), 1393: date(2014, 3, 21),
    1394: date(2015, 3, 21), 1395: date(2016, 3, 20), 1396: date(2017, 3, 21), 1397: date(2018, 3, 21),
    1398: date(2019, 3, 21), 1399: date(2020, 3, 20), 1400: date(2021, 3, 21), 1401: date(2022, 3, 21),
    1402: date(2023, 3, 21), 1403: date(2024, 3, 20), 1404: date(2025, 3, 21), 1405: date(2026, 3, 21),
}  # fmt: skip


def _from_nowruz(day: date) -> tuple[int, int, int]:
    """The Solar Hijri date of *day* from the Nowruz table and the month lengths alone."""
    year = max(y for y, start in NOWRUZ.items() if start <= day)
    left = (day - NOWRUZ[year]).days
    for month in range(1, 13):
        length = 31 if month <= 6 else 30
        if left < length or month == 12:
            return year, month, left + 1
        left -= length
    raise AssertionError


def test_solar_hijri_dates_agree_with_every_day_of_the_nowruz_table() -> None:
    day = NOWRUZ[1390]
    while day < NOWRUZ[1405]:
        assert to_persian(day) == _from_nowruz(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("gregorian", "persian"),
    [
        (date(2015, 11, 3), (1394, 8, 12)),
        (date(2016, 3, 20), (1395, 1, 1)),
        (date(2024, 3, 20), (1403, 1, 1)),
        (date(2025, 3, 21), (1404, 1, 1)),
        (date(2025, 3, 20), (1403, 12, 30)),  # 1403 is a leap year: Esfand has 30 days
        (date(2024, 3, 19), (1402, 12, 29)),  # 1402 is not
    ],
)
def test_known_solar_hijri_pairs(gregorian: date, persian: tuple[int, int, int]) -> None:
    assert to_persian(gregorian) == persian
    assert _from_nowruz(gregorian) == persian  # the pair itself checked against the table


def test_solar_hijri_days_follow_one_another_over_three_centuries() -> None:
    day, previous = date(1900, 1, 1), to_persian(date(1900, 1, 1))
    while day < date(2200, 1, 1):
        day += timedelta(days=1)
        current = to_persian(day)
        year, month, number = previous
        if month < 12:
            length = 31 if month <= 6 else 30
            allowed = {(year, month, number + 1) if number < length else (year, month + 1, 1)}
        else:  # Esfand ends after 29 days, or 30 in a leap year
            allowed = {(year, 12, number + 1)} if number < 29 else {(year + 1, 1, 1)}
            if number == 29:
                allowed.add((year, 12, 30))
        assert current in allowed, day
        previous = current
    assert len(PERSIAN_MONTHS) == 12


def _page(value: str, text: str = "x") -> html_read.Document:
    return html_read.parse(
        f'<html><body><p>Published <time datetime="{value}">{text}</time>.</p>'
        f"<p>Updated <time>2015-11-04</time> <time>yesterday</time> <time>2015</time></p>"
        f'<p translate="no"><time datetime="2015-11-03">3 Nov</time></p></body></html>'.encode()
    )


def _times(document: html_read.Document) -> list[str | None]:
    return [time.text for time in document.root.iter("time")]


def _localise(document: html_read.Document, code: str, conventions: Conventions = DEFAULTS) -> None:
    site = Site("articles", "site", parse_locale("en"), {}, None, conventions)
    localise(document, parse_locale(code), "story.html", site)


def test_a_page_s_times_in_the_configured_calendar_and_only_valid_texts_without_datetime() -> None:
    document = _page("2015-11-03T10:12+03:30")
    _localise(document, "fa", Conventions((("fa", "persian"),)))
    assert _times(document) == [
        "۱۲ آبان ۱۳۹۴، ساعت ۱۰:۱۲ (\u200e+۰۳:۳۰ گرینویچ)",
        "۱۳ آبان ۱۳۹۴",  # no datetime: its text is a valid date
        "yesterday",
        "2015",  # a year is not rendered (nor its digits changed: <time> is frozen)
        "3 Nov",  # translate="no"
    ]
    gregorian = _page("2015-11-03")
    _localise(gregorian, "fa")
    assert _times(gregorian)[:2] == ["۳ نوامبر ۲۰۱۵", "۴ نوامبر ۲۰۱۵"]


def test_the_source_page_s_times_stay_as_written() -> None:
    document = _page("2015-11-03", "3 Nov")
    _localise(document, "en", Conventions((("fa", "persian"),)))
    assert _times(document)[:2] == ["3 Nov", "2015-11-04"]


def test_a_time_inside_a_translated_unit_is_rendered_at_build(tmp_path: Any) -> None:
    from .test_build import FRENCH, errors_of, fill, make_project, page

    proj = make_project(tmp_path, '["fr", "fa"]\ncalendars = { fa = "persian" }')
    from l10n import project

    problems: list[Any] = []
    project.extract(proj, [], errors_of(problems))
    fill(proj, "fr", "news/story.html", FRENCH)
    fill(proj, "fa", "news/story.html", {k: f"«{v}»" for k, v in FRENCH.items()})
    project.build(proj, [], None, errors_of(problems))
    assert problems == []
    # "Published <time1/> in Paris.": the time is a placeholder of the unit.
    assert page(proj, "fa", "news/story.html").findtext(".//time") == "۱۲ آبان ۱۳۹۴"
    assert page(proj, "fr", "news/story.html").findtext(".//time") == "3 novembre 2015"


def config(**table: Any) -> Any:
    return config_from({"locales": ["fr", "fa"], **table}, "pyproject.toml")


def test_calendars_and_native_digits_are_read_from_the_configuration() -> None:
    assert config().conventions == Conventions((), True)
    chosen = config(calendars={"fa": "persian", "fr": "gregorian"}, native_digits=False).conventions
    assert chosen == Conventions((("fa", "persian"), ("fr", "gregorian")), False)
    assert chosen.calendar("fa") == "persian" and chosen.calendar("es") == "gregorian"
    assert config(locales=["fa-IR"], calendars={"fa_IR": "persian"}).conventions.calendar("fa_IR") == "persian"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"calendars": {"fa": "islamic"}}, r"unknown calendar 'islamic' for 'fa'; known calendars: gregorian, persian"),
        ({"calendars": {"es": "gregorian"}}, r"'calendars' names 'es', which is not one of the target 'locales'"),
        ({"calendars": {"en": "gregorian"}}, r"'calendars' names 'en', which is not one of the target"),
        ({"calendars": {"xx-QQ": "persian"}}, r"unknown locale code 'xx-QQ'"),
        ({"calendars": {"fr": "persian"}}, r"the persian calendar is available for fa and fa_IR only"),
        ({"calendars": "persian"}, r"'calendars' must be a table"),
        ({"native_digits": "no"}, r"'native_digits' must be true or false"),
    ],
)
def test_configuration_errors_name_the_file(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        config(**table)
    assert str(caught.value).startswith("pyproject.toml: ")


# The fields the source's text shows (issue 12: "rendered with the same fields the source
# shows"): a byline that shows a date gets a date, whatever the value holds.
@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("November 3, 2015", "3 novembre 2015"),  # a date shown: the time stays out
        ("3/11/2015", "3 novembre 2015"),
        ("November 3, 2015, 10:12 CET", "3 novembre 2015, 10:12 UTC+01:00"),  # a time: with its zone
        ("Nov 3, 10:12am", "3 novembre 2015, 10:12 UTC+01:00"),
        ("10:12", "10:12 UTC+01:00"),  # a time alone
        ("3.11.2015 10:12:30", "3 novembre 2015, 10:12 UTC+01:00"),
        ("10.12 pm", "10:12 UTC+01:00"),
        ("10h12", "10:12 UTC+01:00"),  # the French way of writing a time
        ("yesterday", "3 novembre 2015, 10:12 UTC+01:00"),  # nothing to go by: every field of the value
        ("", "3 novembre 2015, 10:12 UTC+01:00"),
    ],
)
def test_the_fields_shown_follow_the_source_text(shown: str, expected: str) -> None:
    assert render_time("2015-11-03T10:12+01:00", cldr("fr"), shown=shown) == expected


def test_a_date_value_stays_a_date_whatever_its_text_shows() -> None:
    assert render_time("2015-11-03", cldr("fr"), shown="10:12") == "3 novembre 2015"
    assert render_time("2015-11-03T10:12", cldr("fr"), shown="10:12") == "10:12"  # no zone in the value, none shown
