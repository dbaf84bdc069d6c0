"""localise's URL rewriting on every element that carries a URL, and Locale.direction.

localise walks the page once for URLs and lets lxml find metas, times and scripts;
parse_locale leaves the direction to be read from CLDR when it is asked for.
"""

from __future__ import annotations

import babel
import pytest
from babel.localedata import locale_identifiers

from l10n import html_read
from l10n.locale import PSEUDO, parse_locale
from l10n.page import Site, localise

SOURCE = parse_locale("en")
SLUG = "2015/11/story.html"
UP = "../../../assets/2015/11/"  # from site/fr/2015/11/ to the copies of the article's folder

PAGE = b"""<!DOCTYPE html>
<html><head><title>Story</title></head><body>
<div href="pic.png">x</div>
<table background="bg.png"><tr><td background="../cell.png">c</td></tr></table>
<blockquote cite="other.html#q">q</blockquote>
<object data="movie.swf"></object>
<video poster="p.jpg" src=" v.mp4 "></video>
<form action="send"><button formaction="other.html?x=1">b</button></form>
<img src="#frag" longdesc="/abs/desc.html" srcset="a.png 1x, https://cdn.example/b.png 2x" alt="">
<a href="mailto:x@example.org">m</a> <a href="">e</a> <a href="?q">q</a>
</body></html>"""


def _localised(data: bytes, code: str = "fr") -> tuple[html_read.Document, set[str]]:
    document = html_read.parse(data)
    site = Site("articles", "site", SOURCE, {"2015/11/other.html": frozenset({"en", "fr"})})
    return document, localise(document, parse_locale(code), SLUG, site)


def _attributes(document: html_read.Document) -> list[tuple[str, str, str]]:
    body = document.root.find("body")
    assert body is not None
    return [(str(e.tag), str(name), str(value)) for e in body.iter() for name, value in sorted(e.items())]


def test_every_url_attribute_of_every_element_is_rewritten() -> None:
    document, linked = _localised(PAGE)
    assert linked == {"2015/11/other.html"}
    assert _attributes(document) == [
        ("div", "href", UP + "pic.png"),
        ("table", "background", UP + "bg.png"),
        ("td", "background", "../../../assets/2015/cell.png"),
        ("blockquote", "cite", "other.html#q"),  # the French page of a built article
        ("object", "data", UP + "movie.swf"),
        ("video", "poster", UP + "p.jpg"),
        ("video", "src", UP + "v.mp4"),
        ("form", "action", UP + "send"),
        ("button", "formaction", "other.html?x=1"),
        ("img", "alt", ""),
        ("img", "longdesc", "/abs/desc.html"),
        ("img", "src", "#frag"),
        ("img", "srcset", UP + "a.png 1x, https://cdn.example/b.png 2x"),
        ("a", "href", "mailto:x@example.org"),
        ("a", "href", ""),
        ("a", "href", "?q"),
    ]


@pytest.mark.parametrize("where", ["head", "body"])
def test_a_base_href_leaves_every_url_alone(where: str) -> None:
    page = PAGE.replace(f"<{where}>".encode(), f'<{where}><base href="https://news.example.org/x/">'.encode())
    document, linked = _localised(page)
    assert linked == set()
    assert ("div", "href", "pic.png") in _attributes(document)


def test_a_base_without_href_does_not() -> None:
    document, linked = _localised(PAGE.replace(b"<head>", b'<head><base target="_blank">'))
    assert linked == {"2015/11/other.html"}
    assert ("div", "href", UP + "pic.png") in _attributes(document)


def test_metas_that_localise_adds_are_not_taken_for_the_page_s_own() -> None:
    # The charset meta it inserts is no Open Graph meta: a page without any gets no og:locale.
    document, _ = _localised(PAGE)
    metas = [dict(meta.items()) for meta in document.root.iter("meta")]
    assert metas == [{"charset": "utf-8"}]


def _cldr_direction(code: str) -> str:
    # What parse_locale used to store: the character order of the locale Babel parses.
    return "rtl" if babel.Locale.parse(code.replace("-", "_")).character_order == "right-to-left" else "ltr"


@pytest.mark.slow
def test_direction_is_cldr_character_order_for_every_locale_babel_knows() -> None:
    # Every Locale parse_locale makes names one of these in its cldr field (Babel only
    # returns locales whose data exists), so this covers every code it accepts.
    codes = [*locale_identifiers(), "root", "iw", "pa_PK", "uz-AF", "ar_Latn", "mn_Mong"]
    for code in codes:
        locale = parse_locale(code)
        assert str(babel.Locale.parse(locale.cldr)) == str(babel.Locale.parse(code.replace("-", "_"))), code
        assert locale.direction == _cldr_direction(code), code
    assert {tag: parse_locale(tag).direction for tag in PSEUDO} == {"en_XA": "ltr", "ar_XB": "rtl"}


def test_norwegian_gets_its_open_graph_locale() -> None:
    # CLDR's likely subtags make "no" no_Latn_NO, a locale Babel has no data for: only
    # its territory is wanted, and parse_locale crashed looking it up.
    assert parse_locale("no").og == "no_NO"
    assert parse_locale("zh_Hans").og == "zh_CN" and parse_locale("fr").og == "fr_FR"
