"""An article's URLs found once and given to each of its pages (relocation.Moves), as a
build does, make the same pages as localise's own walk of each page.

The walk of each page is the reference: it sees the page as localise leaves it before the
URLs (its canonical link and alternates written), while the moves are found in the source
page before anything changed and given to copies of it, translated or not.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from l10n import html_read, html_write
from l10n.assets import Need, first_lines
from l10n.locale import Locale, parse_locale
from l10n.page import Site, localise
from l10n.relocation import moves_of
from l10n.segment import Segmented, SourceMark
from l10n.slot import copy_document

from .conftest import corpus_pages

SOURCE = parse_locale("en")
LOCALES = [SOURCE, parse_locale("fr"), parse_locale("es"), parse_locale("fa")]
SLUG = "2015/11/story.html"
# other.html is built in en and fr only: from es and fa its link goes to the English page.
SITE = Site("articles", "site", SOURCE, {"2015/11/other.html": frozenset({"en", "fr"}), SLUG: frozenset({"en"})})

PAGE = """<!DOCTYPE html>
<html><head><title>Story</title>
<link rel="canonical" href="story.html"><link rel="alternate" hreflang="de" href="../de/story.html">
<link rel="stylesheet" href="site.css"><style>p { background: url(bg.png) } a { background: url("other.html") }</style>
</head><body>
<p>Read <a href="other.html#top">the other story</a> and <a href="missing.html">one to come</a>.</p>
<p style="background: url('../up.png')">See <img src="pic.png" srcset="pic.png 1x, other.html 2x" alt="A picture"></p>
<link rel="alternate" hreflang="it" href="elsewhere.html">
<a href="https://example.com/x">out</a> <a href="/root.html">root</a> <a href="#here">here</a>
</body></html>"""


def reference(text: str, locale: Locale) -> tuple[str, set[str], tuple[Need, ...]]:
    document = html_read.parse_text(text)
    page = copy_document(document)
    needs: list[Need] = []
    linked = localise(page, locale, SLUG, SITE, needs)
    return html_write.serialise(page), linked, first_lines(needs)


def by_moves(text: str) -> dict[str, tuple[str, set[str], tuple[Need, ...]]]:
    """Each locale's page made as a build makes them: the moves found once, the source page
    a plain copy, the others translated copies, the last one the parsed page itself."""
    document = html_read.parse_text(text)
    segmented = Segmented(document)
    needs: list[Need] = []
    urls = moves_of(document.root, SLUG, SITE, needs)
    made: dict[str, tuple[str, set[str], tuple[Need, ...]]] = {}
    for number, locale in enumerate(LOCALES, 1):
        last = number == len(LOCALES)
        if locale == SOURCE:
            page = copy_document(document)
            urls.apply(locale, list(page.root.iter()))
        else:
            translations = {msgid: msgid.upper() for msgid in segmented.msgids()}
            page, _ = segmented.translated(
                translations, SourceMark("en", None), last_use=last, made=functools.partial(urls.apply, locale)
            )
        linked = localise(page, locale, SLUG, SITE, needs, urls)
        made[locale.tag] = (html_write.serialise(page), linked, first_lines(needs))
    return made


def reference_translated(text: str, locale: Locale) -> tuple[str, set[str], tuple[Need, ...]]:
    document = html_read.parse_text(text)
    segmented = Segmented(document)
    translations = {msgid: msgid.upper() for msgid in segmented.msgids()}
    page, _ = segmented.translated(translations, SourceMark("en", None))
    needs: list[Need] = []
    linked = localise(page, locale, SLUG, SITE, needs)
    return html_write.serialise(page), linked, first_lines(needs)


def check(text: str) -> None:
    made = by_moves(text)
    for locale in LOCALES:
        expected = reference(text, locale) if locale == SOURCE else reference_translated(text, locale)
        assert made[locale.tag] == expected, locale.tag


def test_moves_found_once_make_the_pages_each_walk_makes() -> None:
    check(PAGE)
    made = by_moves(PAGE)
    fr, es = made["fr"][0], made["es"][0]
    assert 'href="other.html#top"' in fr and 'href="../../../en/2015/11/other.html#top"' in es
    assert 'url("other.html")' in fr and 'url("../../../en/2015/11/other.html")' in es  # in CSS too
    assert made["fr"][1] == {"2015/11/other.html", "2015/11/missing.html", "2015/11/elsewhere.html"}
    assert [need.path for need in made["fr"][2]] == [
        "articles/2015/11/bg.png", "articles/2015/11/pic.png", "articles/2015/11/site.css", "articles/2015/up.png"
    ]  # fmt: skip


def test_a_base_href_leaves_every_url_as_written() -> None:
    text = PAGE.replace("<title>", '<base href="https://example.com/"><title>')
    check(text)
    assert 'href="other.html#top"' in by_moves(text)["es"][0]


@pytest.mark.skipif(not corpus_pages(), reason="shared corpus not beside the repo")
@pytest.mark.parametrize("path", corpus_pages()[::5], ids=lambda path: path.name)
def test_corpus_pages_by_moves_are_the_pages_each_walk_makes(path: Path) -> None:
    check(html_write.serialise(html_read.parse(path.read_bytes())))
