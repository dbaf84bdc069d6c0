"""The placeholder syntax: validity rules, literal text, markup in translations."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import placeholders as ph

SOURCE = "The <a1>court</a1> in <em2>Lille</em2> ordered it.<br3/>"
EXPECTED = ph.placeholders_of(SOURCE)


def test_placeholders_of_reads_paired_and_void() -> None:
    assert EXPECTED == {"a1": True, "em2": True, "br3": False}


def test_reordered_placeholders_are_valid() -> None:
    nodes = ph.parse("<br3/>À <em2>Lille</em2>, le <a1>tribunal</a1> l'a ordonné.", EXPECTED)
    assert ph.text_of(nodes) == "À Lille, le tribunal l'a ordonné."


@pytest.mark.parametrize(
    ("translation", "problem"),
    [
        ("Le <a1>tribunal</a1> à Lille.<br3/>", "missing placeholder <em2>"),
        ("Le <a1>tribunal</a1> <a1>x</a1> <em2>Lille</em2><br3/>", "appears twice"),
        ("Le <a1>tribunal</a1> <em2>Lille</em2><br3/><b9>x</b9>", "not in the source"),
        ("Le <a1>tribunal <em2>Lille</a1></em2><br3/>", "does not close"),
        ("Le <a1>tribunal <em2>Lille</em2><br3/>", "never closed"),
        ("Le <a1/> <em2>Lille</em2><br3/>", "must enclose"),
        ("Le <a1>t</a1> <em2>Lille</em2><br3>", "must be written <br3/>"),
    ],
)
def test_invalid_translations_say_why(translation: str, problem: str) -> None:
    with pytest.raises(ph.InvalidTranslation, match=problem):
        ph.parse(translation, EXPECTED)


def test_markup_that_is_not_a_placeholder_is_text() -> None:
    nodes = ph.parse('<script>alert(1)</script> <b onclick="x">', {})
    assert nodes == ('<script>alert(1)</script> <b onclick="x">',)


def test_literal_placeholder_text_is_escaped_and_restored() -> None:
    literal = "Write <b1>bold</b1>, &lt; and &amp; as they are"
    encoded = ph.escape_literal(literal)
    assert encoded == "Write &lt;b1>bold&lt;/b1>, &amp;lt; and &amp;amp; as they are"
    assert ph.placeholders_of(encoded) == {}
    assert ph.text_of(ph.parse(encoded, {})) == literal


@given(st.text(alphabet=st.sampled_from(list("<>/&;ltamp b1 x2é")), max_size=40))
def test_escape_round_trips_any_text(text: str) -> None:
    encoded = ph.escape_literal(text)
    assert ph.placeholders_of(encoded) == {}
    assert ph.text_of(ph.parse(encoded, {})) == text


def test_text_without_placeholders_takes_the_short_way_to_the_same_answers() -> None:
    assert ph.parse("", {}) == ()
    assert ph.parse("Lille &amp;lt; Paris", {}) == ("Lille &lt; Paris",)
    with pytest.raises(ph.InvalidTranslation, match=r"^missing placeholder <a1>, <br3>, <em2>$"):
        ph.parse("Le tribunal de Lille.", EXPECTED)
    assert ph.placeholders_of("Lille & Paris") == {}
    assert ph.escape_literal("Lille et Paris") == "Lille et Paris"
    assert ph.unescape_literal("Lille et Paris") == "Lille et Paris"


def _markup_by_full_scan(source: str, translation: str) -> list[str]:
    """What :func:`ph.markup` finds, the long way: both texts always scanned, every part
    between placeholders decoded and searched."""

    def tokens(text: str) -> list[str]:
        parts = ph.PLACEHOLDER.split(text)[:: ph.PLACEHOLDER.groups + 1]
        return [m.group(0) for part in parts for m in ph.MARKUP_LIKE.finditer(ph.page_safe(ph.unescape_literal(part)))]

    literal = {token.lower() for token in tokens(source)}
    return [token for token in dict.fromkeys(tokens(translation)) if token.lower() not in literal]


_MARKUP_PIECES = st.sampled_from(
    ["<a1>", "</a1>", "<br2/>", "&lt;", "&amp;", "<", ">", "b", "Script", "!--", "-->", "?", "\x00", "\x0b", " ", "é"]
)


@given(st.lists(_MARKUP_PIECES, max_size=12).map("".join), st.lists(_MARKUP_PIECES, max_size=12).map("".join))
def test_markup_takes_its_short_ways_to_the_full_scans_answer(source: str, translation: str) -> None:
    # The short ways: no "<" or "&" at all; none between the placeholders; no markup-like
    # text in the translation, so the source is not searched.
    assert ph.markup(source, translation) == _markup_by_full_scan(source, translation)


def test_markup_between_placeholders_is_still_found() -> None:
    assert ph.markup("<a1>x</a1>", "<a1>&lt;script></a1>") == ["<script>"]
    assert ph.markup("&lt;noun>", "<a1>x</a1> &lt;NOUN>") == []
    assert ph.markup("<a1>x</a1>", "<a1>x</a1><\x00b>") == ["<b>"]


def test_a_build_keeps_only_short_translations_it_read() -> None:
    # A translation is read twice by a build, so short ones are kept; a long one is read
    # again, so what is kept stays a few megabytes whatever translators write.
    from l10n import placeholders

    placeholders._parsed.cache_clear()
    short = "Voir <a1>l'autre article</a1>."
    assert placeholders.parse(short, {"a1": True}) == placeholders.parse(short, {"a1": True})
    assert placeholders._parsed.cache_info().currsize == 1 and placeholders._parsed.cache_info().hits == 1
    assert placeholders.parse("<a1>x</a1>" + "y" * 5000, {"a1": True}) == (placeholders.Span("a1", ("x",)), "y" * 5000)
    assert placeholders._parsed.cache_info().currsize == 1
