"""page.unmarked: a page the parse marked only for a substring ("credits-" in a script) is
localised without the searches for ITS attributes and switchers; a page that holds one of
them stays marked, and its pages are made as before."""

from __future__ import annotations

import pytest

from l10n import html_read
from l10n.html_write import serialise
from l10n.locale import parse_locale
from l10n.page import Site, localise, unmarked

SLUG = "story.html"


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>".encode()


def _site() -> Site:
    return Site("articles", "site", parse_locale("en"), {SLUG: frozenset({"en", "fr"})})


def test_a_substring_in_a_script_is_no_mark() -> None:
    document = html_read.parse(_page("<script>var credits-1;</script><p>Hello</p>"))
    assert document.marked  # the parse's substring test
    assert not unmarked(document).marked


@pytest.mark.parametrize(
    "body",
    [
        '<p its-loc-note="short">Hello</p>',
        '<p ITS-TERM="no">Hello</p><script>its-</script>',  # libxml2 lowercases the name
        '<nav data-l10n-languages="">x</nav>',
    ],
)
def test_a_page_with_an_its_attribute_or_a_switcher_stays_marked(body: str) -> None:
    document = html_read.parse(_page(body))
    assert document.marked
    assert unmarked(document) is document


@pytest.mark.parametrize(
    "body",
    [
        '<p its-loc-note="short">Hello</p>',
        '<nav data-l10n-languages="">x</nav><script>credits-</script>',
        "<script>var credits-1;</script><p>Hello</p>",
    ],
)
def test_pages_are_localised_the_same_unmarked(body: str) -> None:
    def made(document: html_read.Document) -> str:
        localise(document, parse_locale("fr"), SLUG, _site())
        return serialise(document)

    data = _page(body)
    assert made(unmarked(html_read.parse(data))) == made(html_read.parse(data))
