"""Dates as readers of a locale expect them: the text a ``<time>`` shows on a built page.

Pure: a ``datetime`` value and a CLDR locale in, text out. This module owns which values
are rendered and with which fields, the calendars (Gregorian through Babel; the Solar
Hijri calendar, which Babel does not ship, here), the time zone as CLDR's localized GMT
format, and :class:`Conventions`, the project's choices (``calendars``, ``native_digits``).

The fields shown are those of the value that the source's text shows (a byline that
shows "November 3, 2015" for ``2015-11-03T10:12+01:00`` gets a date; one that shows
"10:12" gets a time, with its zone): :func:`shown_fields`. When the text shows no date
and no time ("yesterday", empty), every field of the value is shown:

=========================  =======================================  ====================
value (HTML standard)      example                                  shown as
=========================  =======================================  ====================
date                       ``2015-11-03``                           CLDR long date
month                      ``2015-11``                              month and year
local date and time        ``2015-11-03T10:12``                     long date, short time
global date and time       ``2015-11-03T10:12+01:00`` (or ``Z``)    same, and the zone
time                       ``10:12``                                short time
=========================  =======================================  ====================

No weekday, no seconds. A time with a zone is shown as written, in its own offset (never
converted to another zone), the zone in CLDR's localized GMT format. Other valid values
(a year, a week, a duration, a yearless date, a zone alone) and invalid ones are not
rendered: the ``<time>`` keeps its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import babel
from babel.dates import format_datetime, format_skeleton, get_timezone_gmt

from .numbers import native_digits

GREGORIAN = "gregorian"
PERSIAN = "persian"
CALENDARS = (GREGORIAN, PERSIAN)
# The locales the Solar Hijri calendar can be used for: the month names below are theirs.
PERSIAN_LANGUAGES = ("fa", "fa_IR")


@dataclass(frozen=True, slots=True)
class Conventions:
    """How a project writes dates and numbers for readers (``[tool.l10n]``).

    *calendars*: ``(gettext locale, calendar)`` pairs, sorted; a locale not listed uses the
    Gregorian calendar. *native_digits*: write digits in the locale's default numbering
    system (CLDR), in rendered dates and in number-only text; False keeps ASCII digits.
    """

    calendars: tuple[tuple[str, str], ...] = ()
    native_digits: bool = True

    def calendar(self, gettext: str) -> str:
        return dict(self.calendars).get(gettext, GREGORIAN)


DEFAULTS = Conventions()  # the Gregorian calendar everywhere, the locales' own digits


_YMD = r"(\d{4})-(\d{2})-(\d{2})"
_HMS = r"(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?"
_DATE = re.compile(rf"{_YMD}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_TIME = re.compile(_HMS)
# Local or global date and time: the zone is Z or +hh:mm, +hhmm (HTML standard).
_DATETIME = re.compile(rf"{_YMD}[T ]{_HMS}(Z|[+-]\d{{2}}:?\d{{2}})?")


@dataclass(frozen=True, slots=True)
class Moment:
    """A parsed ``datetime`` value: the fields it has, and nothing else."""

    day: date | None  # None for a time alone
    clock: time | None  # None for a date or a month
    month_only: bool = False  # a month: only day.year and day.month count
    offset: timedelta | None = None  # a global date and time's zone


def parse_value(value: str) -> Moment | None:
    """The fields of an HTML ``datetime`` value that this module renders; None for others."""
    text = value.strip(" \t\n\r\f")
    try:
        if match := _DATE.fullmatch(text):
            return Moment(date(*map(int, match.groups())), None)
        if match := _MONTH.fullmatch(text):
            return Moment(date(int(match[1]), int(match[2]), 1), None, month_only=True)
        if match := _TIME.fullmatch(text):
            return Moment(None, _clock(match[1], match[2], match[3]))
        if match := _DATETIME.fullmatch(text):
            day = date(int(match[1]), int(match[2]), int(match[3]))
            return Moment(day, _clock(match[4], match[5], match[6]), offset=_offset(match[7]))
    except ValueError:  # 2015-13-45, 25:00, an offset past 23:59
        return None
    return None


def _clock(hours: str, minutes: str, seconds: str | None) -> time:
    return time(int(hours), int(minutes), int(seconds or 0))


def _offset(zone: str | None) -> timedelta | None:
    if zone is None:
        return None
    if zone == "Z":
        return timedelta(0)
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(zone)
    size = timedelta(hours=hours, minutes=minutes)
    return -size if zone[0] == "-" else size


# A time as sources write it: 10:12, 10.12 pm, 10h12 (French), 10am. Dates such as 03.11.2015
# are not times: a dot counts only before an am/pm.
_SHOWN_TIME = re.compile(
    r"(?<![\d.:/])\d{1,2}\s?(?:(?::|h)\s?\d{2}(?::\d{2})?(?![\d.:/])(?:\s?[ap]\.?m\.?)?|\.\d{2}\s?[ap]\.?m\.?|\s?[ap]\.?m\.?)",
    re.IGNORECASE,
)


def shown_fields(text: str) -> tuple[bool, bool] | None:
    """Whether *text* (a ``<time>``'s text in the source) shows a date and a time; None
    when it shows neither (no digits: "yesterday"). A date is any digit left once the
    time is taken out (a day, a year)."""
    time_found = _SHOWN_TIME.search(text)
    rest = text if time_found is None else text[: time_found.start()] + text[time_found.end() :]
    date_shown = any(char.isdigit() for char in rest)
    if not date_shown and time_found is None:
        return None
    return date_shown, time_found is not None


def render_time(
    value: str, locale: babel.Locale, calendar: str = GREGORIAN, digits: bool = True, shown: str | None = None
) -> str | None:
    """The text of a ``<time>`` whose ``datetime`` is *value*, for *locale*; None when the
    value is not one this module renders (see the module's table).

    *calendar*: ``"gregorian"`` or ``"persian"`` (Solar Hijri). *digits*: write the
    locale's default digits (Persian digits for ``fa``), else ASCII digits. *shown*: the
    source's text, whose fields (date, time) the rendering keeps to.
    """
    moment = parse_value(value)
    if moment is None:
        return None
    fields = None if shown is None else shown_fields(shown)
    if fields is not None and moment.day is not None and moment.clock is not None:
        date_shown, time_shown = fields
        if not time_shown:
            moment = Moment(moment.day, None)
        elif not date_shown:
            moment = Moment(None, moment.clock, offset=moment.offset)
    text = _render(moment, locale, calendar)
    return native_digits(text, locale) if digits else text


def _render(moment: Moment, locale: babel.Locale, calendar: str) -> str:
    day, clock = moment.day, moment.clock
    if day is None:
        assert clock is not None
        pattern = _short_time(locale) if moment.offset is None else _zoned_time(locale, moment.offset)
        return str(format_datetime(datetime.combine(date(2000, 1, 1), clock), pattern, locale=locale))
    if moment.month_only:
        if calendar == PERSIAN:
            year, month, _ = to_persian(day)
            return f"{PERSIAN_MONTHS[month - 1]} {year}"  # CLDR fa persian yMMMM: "MMMM y"
        return str(format_skeleton("yMMMM", day, locale=locale))
    date_pattern = _quoted(persian_long(day)) if calendar == PERSIAN else locale.date_formats["long"].pattern
    if clock is None:
        return str(format_datetime(datetime.combine(day, time()), date_pattern, locale=locale))
    time_pattern = _short_time(locale) if moment.offset is None else _zoned_time(locale, moment.offset)
    pattern = str(locale.datetime_formats["long"]).replace("{1}", date_pattern).replace("{0}", time_pattern)
    return str(format_datetime(datetime.combine(day, clock), pattern, locale=locale))


def _short_time(locale: babel.Locale) -> str:
    return str(locale.time_formats["short"].pattern)


_SECONDS = re.compile(r"[:.]?ss(?:\.?S+)?")
_ZONE_FIELD = re.compile(r"z+|Z+|v+|V+|O+")


def _zoned_time(locale: babel.Locale, offset: timedelta) -> str:
    """A short-time pattern with the zone where CLDR's long time format puts it (before
    the time in Chinese, in parentheses in Persian), the zone as a quoted literal.

    The long format less its seconds is used when it is then the short format plus the
    zone (every locale tested); otherwise the zone follows the short time after a space.
    """
    short = _short_time(locale)
    zone = _quoted(zone_text(locale, offset))
    reduced = _SECONDS.sub("", str(locale.time_formats["long"].pattern))
    if "'" not in reduced and len(_ZONE_FIELD.findall(reduced)) == 1:
        bare = _ZONE_FIELD.sub("", reduced).replace("()", "").strip()
        if bare == short:
            return _ZONE_FIELD.sub(lambda _: zone, reduced)
    return f"{short} {zone}"


def zone_text(locale: babel.Locale, offset: timedelta) -> str:
    """A fixed offset in CLDR's long localized GMT format (``GMT+01:00``, ``UTC+01:00`` in
    French, ``+01:00 گرینویچ`` in Persian, ``غرينتش+01:00`` in Arabic), as Babel formats
    the pattern field ``ZZZZ``. Zero is the format without an offset (``GMT``, ``UTC``):
    CLDR's gmtZeroFormat, which Babel does not ship, is that text in every locale tested.
    """
    if not offset:
        return str(locale.zone_formats["gmt"] % "").strip()
    text = str(get_timezone_gmt(datetime(2000, 1, 1, tzinfo=timezone(offset)), "long", locale=locale))
    if locale.character_order == "right-to-left":
        # A left-to-right mark before the sign keeps it at the left of its digits in a
        # right-to-left line (the bidi algorithm would otherwise show "01:00+").
        text = re.sub(r"[+-]\d", lambda m: "\u200e" + m.group(), text, count=1)
    return text


def _quoted(text: str) -> str:
    """*text* as a literal of a CLDR date pattern."""
    return "'" + text.replace("'", "''") + "'"


# CLDR's month names of the persian calendar for fa (format, wide), which Babel does not
# ship (it has the Gregorian calendar only): Farvardin ... Esfand.
PERSIAN_MONTHS = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
_MONTH_STARTS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)  # days before each Gregorian month


def to_persian(day: date) -> tuple[int, int, int]:
    """The Solar Hijri (Jalali) ``(year, month, day)`` of a Gregorian date.

    The arithmetic calendar of 33-year cycles (leap years: year mod 33 in 1, 5, 9, 13, 17,
    22, 26, 30), which agrees with Iran's official, astronomical calendar over this era
    (tests/test_dates.py checks it against Nowruz dates of 1390 to 1405). Months 1 to 6
    have 31 days, 7 to 11 have 30, the 12th 29 or 30.
    """
    year = day.year + 1 if day.month > 2 else day.year  # the Gregorian leap day counted so far
    days = (
        355666 + 365 * day.year + (year + 3) // 4 - (year + 99) // 100 + (year + 399) // 400
        + day.day + _MONTH_STARTS[day.month - 1]
    )  # fmt: skip
    jalali = -1595 + 33 * (days // 12053)
    days %= 12053
    jalali += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        jalali += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jalali, 1 + days // 31, 1 + days % 31
    return jalali, 7 + (days - 186) // 30, 1 + (days - 186) % 30


def persian_long(day: date) -> str:
    """A date in the Solar Hijri calendar as CLDR's fa long format writes it: ``d MMMM y``
    (ASCII digits: the caller writes the locale's own)."""
    year, month, number = to_persian(day)
    return f"{number} {PERSIAN_MONTHS[month - 1]} {year}"
