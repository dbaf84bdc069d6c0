"""The attributes of hidden elements a reader meets are translated, their content never
(l10n/elements.py SHOWN_HIDDEN; issue 14: iframe titles were never translated).

A screen reader names a frame by its ``title``/``aria-label`` and a text box by its
``placeholder``; ``script``, ``style``, ``template``, ``noembed`` and ``noframes`` are
never rendered and stay untouched whole. tests/data/hidden-attributes.html is the
extraction side; this is the build side.
"""

from __future__ import annotations

import lxml.etree as etree
import pytest

from l10n import html_read
from l10n.elements import HIDDEN, SHOWN_HIDDEN
from l10n.html_write import serialise
from l10n.segment import Segmented, apply, segment

from .roundtrip import pseudo_upper
from .trees import find

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Page</title>
<style title="Default style">p { color: black; }</style>
<script title="Script title">var message = "Script text";</script></head><body>
<p>Watch <span><iframe src="v.html" title="Video frame"></iframe></span> now.</p>
<iframe src="f.html" title="Frame title" aria-label="Frame label">Frame text</iframe>
<textarea placeholder="Area placeholder" title="Area title" aria-label="Area label">Area text</textarea>
<xmp title="Xmp title">Xmp <b>text</b></xmp>
<template title="Template title"><p>Template text</p></template>
<noembed title="Noembed title">Noembed text</noembed><noframes title="Noframes title">Noframes text</noframes>
<iframe translate="no" title="Refused frame"></iframe>
<plaintext title="Plain title">Plain <b>text</b>"""


def contents(document: html_read.Document) -> list[tuple[str, str | None, list[bytes]]]:
    """The tag and content of every hidden element (what must never change)."""
    return [(e.tag, e.text, [etree.tostring(child) for child in e]) for e in document.root.iter(*HIDDEN)]


def test_a_build_translates_the_attributes_of_shown_hidden_elements_only() -> None:
    source = html_read.parse_text(PAGE)
    built = html_read.parse_text(PAGE)
    applied = apply(built, {unit.msgid: pseudo_upper(unit.msgid) for unit in segment(source)})
    assert applied.fallbacks == ()
    pairs = zip(source.root.iter(*HIDDEN), built.root.iter(*HIDDEN), strict=True)
    changed = [(after.tag, name, after.get(name)) for before, after in pairs for name, value in before.items()
               if after.get(name) != value]  # fmt: skip
    assert changed == [
        ("iframe", "title", "VIDEO FRAME"),
        ("iframe", "title", "FRAME TITLE"),
        ("iframe", "aria-label", "FRAME LABEL"),
        ("textarea", "placeholder", "AREA PLACEHOLDER"),
        ("textarea", "title", "AREA TITLE"),
        ("textarea", "aria-label", "AREA LABEL"),
        ("xmp", "title", "XMP TITLE"),
        ("plaintext", "title", "PLAIN TITLE"),
    ]
    assert {tag for tag, _, _ in changed} <= SHOWN_HIDDEN
    assert contents(built) == contents(source)  # the content of every hidden element untouched


@pytest.mark.parametrize(
    "payload",
    [
        '"><script>alert(1)</script>',
        "</iframe><img src=x onerror=alert(1)>",
        "' onload='alert(1)",
        "<b1>x</b1> &amp; &lt; <!-- c -->",
    ],
)
def test_a_frame_title_holding_markup_is_written_as_text(payload: str) -> None:
    source = html_read.parse_text(
        '<html><body><iframe src="f.html" title="Frame title"></iframe><p>x</p></body></html>'
    )
    page, applied = Segmented(source).translated({"Frame title": payload.replace("&", "&amp;").replace("<", "&lt;")})
    assert applied.translated == 1
    html = serialise(page)
    assert "<script" not in html and "<img" not in html and "<b1" not in html
    again = html_read.parse_text(html)
    assert [e.tag for e in again.root.iter(etree.Element)] == ["html", "body", "iframe", "p"]
    assert find(again.root, ".//iframe").get("title") == payload
    assert find(again.root, ".//iframe").get("src") == "f.html"
