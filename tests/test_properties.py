"""Property tests over generated pages: nothing lost, nothing broken (DESIGN.md §Reading real pages).

A composite strategy writes random HTML documents: nested block and inline elements,
void and custom elements, frozen ones (``code``, ``kbd``, ``<time datetime>``),
``translate="no"``/``"yes"`` and class ``notranslate``, comments, scripts and styles,
JSON-LD (fields as strings and lists, topics), head metadata, attribute values holding
quotes, ampersands, ``<`` and entities, text in many scripts, white-space runs and text
that looks like our placeholders.

Properties, each checked against the *parsed* generated page (what lxml made of it):

* identity translations give back exactly the source's events;
* random valid translations (placeholders reordered, text replaced by any text,
  markup-like text included) keep the source's element tree and never fall back;
* random invalid translations (a placeholder dropped, doubled, invented, badly nested)
  fall back with a reason and leave the page exactly as the source.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from typing import Any

import lxml.etree as etree
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from l10n import placeholders as ph
from l10n.elements import BLOCK
from l10n.html_read import Document, parse_text
from l10n.html_write import serialise
from l10n.segment import Applied, apply, segment
from l10n.slot import copy_document

from .roundtrip import TRANSLATABLE_ATTRIBUTES, build_with, events, render

# --- text -------------------------------------------------------------------------------

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêàçñüößøåœÉÀŒĳşğı"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى"
PERSIAN = "پچژگکی"
CJK = "中文新闻记者报道日本語のニュース한국어기사"
DEVANAGARI = "हिन्दीसमाचार"
CYRILLIC = "новостиЖурналист"
EMOJI = ["😀", "🎉", "👍🏽", "🇫🇷", "👩‍💻", "❤️"]
SCRIPTS = [LATIN, ARABIC + PERSIAN, CJK, DEVANAGARI, CYRILLIC]

# Literal text that a page about HTML may show; written escaped in the generated source.
LITERALS = [
    "<b1>", "</a1>", "<br2/>", "<em1>x</em1>", "&lt;", "&amp;", "&lt;b1>", "AT&T", "<", ">",
    "&", '"', "'", "&copy;", "<x-y1/>", "1 < 2 > 0", "<!-- no -->", "]]>", "<script>", "{{name}}", "%s", "$1",
]
# Raw character references, written as they are (the parser decodes them).
REFERENCES = ["&eacute;", "&#233;", "&#x1F600;", "&amp;", "&nbsp;", "&lt;", "&gt;", "&quot;", "&copy;", "&#8217;"]
SPACES = [" ", "  ", "\n", "\t", "\n    ", "\r\n", " \n\t "]
SCRIPT_BODIES = ["var x = '<b>' && 1 < 2;", 'if (a<b) { c = "&amp;" }', "", "document.title='é'"]
PUNCTUATION = [".", ",", "!", "?", "«", "»", "—", "…", "(", ")", "2015", "+4.2%", "·"]


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def word(draw: st.DrawFn) -> str:
    alphabet = draw(st.sampled_from(SCRIPTS))
    return str(draw(st.text(alphabet=alphabet, min_size=1, max_size=8)))


@st.composite
def text_html(draw: st.DrawFn, min_pieces: int = 1) -> str:
    """Text content as HTML source: escaped literals, raw references, words, spaces."""
    parts: list[str] = []
    for _ in range(draw(st.integers(min_pieces, 5))):
        kind = draw(st.integers(0, 9))
        if kind <= 4:
            parts.append(escape_text(word(draw)))
        elif kind == 5:
            parts.append(escape_text(draw(st.sampled_from(LITERALS))))
        elif kind == 6:
            parts.append(draw(st.sampled_from(REFERENCES)))
        elif kind == 7:
            parts.append(draw(st.sampled_from(EMOJI)))
        elif kind == 8:
            parts.append(draw(st.sampled_from(PUNCTUATION)))
        else:
            parts.append(draw(st.sampled_from(SPACES)))
        parts.append(draw(st.sampled_from(["", " ", " ", "\n"])))
    return "".join(parts)


@st.composite
def plain_value(draw: st.DrawFn) -> str:
    """A raw attribute value (unescaped): quotes, ampersands, ``<``, entity-like text, any script."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        parts.append(
            draw(
                st.one_of(
                    st.just(" "),
                    st.sampled_from(['"', "'", "&", "&amp;", "&lt;", "<", ">", "&copy;", "a=b&c=d", "\n", "é"]),
                    st.sampled_from(LITERALS),
                    st.sampled_from(EMOJI),
                    st.text(alphabet=LATIN, min_size=1, max_size=6),
                    st.text(alphabet=ARABIC + CJK, min_size=1, max_size=4),
                )
            )
        )
    return "".join(parts)


def quote_attribute(draw: st.DrawFn, name: str, value: str) -> str:
    """Write one attribute, sometimes double-quoted, sometimes single-quoted."""
    if draw(st.booleans()):
        return f' {name}="{value.replace("&", "&amp;").replace(chr(34), "&quot;")}"'
    return f" {name}='{value.replace('&', '&amp;').replace(chr(39), '&#39;')}'"


@st.composite
def common_attributes(draw: st.DrawFn) -> str:
    """Global attributes: ids, classes (notranslate among them), translate, title, data-*, notes."""
    attrs: dict[str, str] = {}
    if draw(st.integers(0, 4)) == 0:
        attrs["class"] = draw(st.sampled_from(["lead", "notranslate", "a notranslate b", "x\ty", "é-class"]))
    if draw(st.integers(0, 5)) == 0:
        attrs["translate"] = draw(st.sampled_from(["no", "yes", "NO", " yes ", ""]))
    if draw(st.integers(0, 5)) == 0:
        attrs["title"] = draw(plain_value())
    if draw(st.integers(0, 5)) == 0:
        attrs["data-x"] = draw(plain_value())
    if draw(st.integers(0, 8)) == 0:
        attrs["its-loc-note"] = draw(plain_value())
    if draw(st.integers(0, 8)) == 0:
        attrs["id"] = draw(st.sampled_from(["a", "top", "é1"]))
    if draw(st.integers(0, 8)) == 0:
        attrs["lang"] = draw(st.sampled_from(["fr", "ar", "zh-Hans"]))
    return "".join(quote_attribute(draw, name, value) for name, value in attrs.items())


@st.composite
def comment(draw: st.DrawFn) -> str:
    body = draw(st.text(alphabet=LATIN + ARABIC + " <>&\"'!", max_size=12))
    body = body.replace("-", "").strip(">")
    return f"<!--{body}-->"


@st.composite
def script_or_style(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 2))
    if kind == 0:
        body = draw(st.sampled_from(SCRIPT_BODIES))
        return f"<script>{body}</script>"
    if kind == 1:
        body = draw(st.sampled_from(["p > a { content: '&amp;'; }", "b{color:red}", ".x::after{content:\"<\"}"]))
        return f"<style>{body}</style>"
    return f"<template><p>Hidden {escape_text(word(draw))}</p></template>"


# --- elements -------------------------------------------------------------------------------

VOIDS = ["br", "img", "wbr", "input", "hr"]
PHRASING = [
    "a", "em", "strong", "span", "b", "i", "abbr", "my-widget", "news-card", "x-y2", "q", "small", "label", "sup",
    "sub", "mark", "cite", "button", "font",
]
ISLANDS = [
    "<svg viewBox='0 0 8 8'><title>Icon title</title><text x='1'>SVG text</text><path d='M0 0h8'/></svg>",
    "<math><mi>x</mi><mo>&lt;</mo><mn>2</mn><mtext>math text</mtext></math>",
    "<select><option value='1'>First option</option><option label='Second'>2</option></select>",
    "<textarea placeholder='Type here'>Raw &lt;text&gt; area</textarea>",
    "<iframe src='x.html' title='Frame title'></iframe>",
    "<noscript><p>Enable scripts</p></noscript>",
    "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
]
MESS = ["</span>", "</p>", "</em>", "</div>", "<p>", "<li>", "</b>", "<br/>", "</br>"]
FROZEN = ["code", "kbd", "samp", "var"]


@st.composite
def void_element(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(VOIDS))
    attrs = ""
    if tag == "img":
        attrs = quote_attribute(draw, "src", draw(st.sampled_from(["a.png", "../x y.jpg", "p.png?a=1&b=2"])))
        if draw(st.booleans()):
            attrs += quote_attribute(draw, "alt", draw(plain_value()))
    elif tag == "input":
        kind = draw(st.sampled_from(["button", "submit", "text", "image"]))
        attrs = f' type="{kind}"' + quote_attribute(draw, "value", draw(plain_value()))
        if kind == "text":
            attrs += quote_attribute(draw, "placeholder", draw(plain_value()))
    end = draw(st.sampled_from(["", "/"])) if tag != "wbr" else ""
    return f"<{tag}{attrs}{common_attributes_or_empty(draw)}{end}>"


def common_attributes_or_empty(draw: st.DrawFn) -> str:
    return str(draw(common_attributes())) if draw(st.integers(0, 2)) == 0 else ""


@st.composite
def inline(draw: st.DrawFn, depth: int) -> str:
    """Phrasing content: text, inline elements (nested), voids, frozen elements, comments."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 14))
        if kind <= 3:
            parts.append(draw(text_html()))
        elif kind <= 6 and depth > 0:
            tag = draw(st.sampled_from(PHRASING))
            attrs = common_attributes_or_empty(draw)
            if tag == "a":
                href = draw(st.sampled_from(["x.html", "#top", "?a=1&b=2", "é.html", " spaced.html "]))
                attrs = quote_attribute(draw, "href", href) + attrs
            elif tag == "abbr":
                attrs = quote_attribute(draw, "title", draw(plain_value())) + attrs
            parts.append(f"<{tag}{attrs}>{draw(inline(depth - 1))}</{tag}>")
        elif kind == 7:
            parts.append(draw(void_element()))
        elif kind == 8:
            tag = draw(st.sampled_from(FROZEN))
            parts.append(f"<{tag}>{draw(text_html())}</{tag}>")
        elif kind == 9:
            stamp = draw(st.sampled_from(["2015-11-24", "2015-11-24T10:30:00Z", "2015-11", "garbage"]))
            parts.append(f'<time datetime="{stamp}">{draw(text_html())}</time>')
        elif kind == 10:
            parts.append(draw(comment()))
        elif kind == 11:
            parts.append(draw(script_or_style()))
        elif kind == 12:
            parts.append(draw(st.sampled_from(ISLANDS)))
        elif kind == 13:
            parts.append(draw(st.sampled_from(MESS)))  # stray or unbalanced tags: whatever lxml makes of them
        else:
            tag = draw(st.sampled_from(["SPAN", "Em", "a"]))
            extra = draw(st.sampled_from([" CLASS=lead", " hidden", " data-n=3", " TITLE=Hello", " translate=no"]))
            parts.append(f"<{tag}{extra}>{draw(text_html())}</{tag.lower()}>")
    return "".join(parts)


@st.composite
def flow(draw: st.DrawFn, depth: int) -> str:
    """Flow content: blocks mixed with runs of phrasing content."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 5))
        if depth > 0 and choice <= 2:
            parts.append(draw(block(depth - 1)))
        elif depth > 0 and choice == 3:
            # An inline element holding blocks (a card link, a span around paragraphs).
            tag = draw(st.sampled_from(["a", "span", "my-widget", "em"]))
            href = " href='card.html'" if tag == "a" else ""
            parts.append(f"<{tag}{href}{common_attributes_or_empty(draw)}>{draw(flow(depth - 1))}</{tag}>")
        else:
            parts.append(draw(inline(2)))
    return "".join(parts)


@st.composite
def block(draw: st.DrawFn, depth: int) -> str:
    tag = draw(
        st.sampled_from(
            [
                "p", "p", "div", "h1", "h2", "h3", "blockquote", "pre", "section", "ul", "ol", "table", "figure",
                "div", "dl", "details", "p-open", "address",
            ]
        )
    )
    attrs = common_attributes_or_empty(draw)
    if tag in ("ul", "ol"):
        items = "".join(
            f"<li{common_attributes_or_empty(draw)}>{draw(flow(depth))}</li>{draw(st.sampled_from(['', chr(10)]))}"
            for _ in range(draw(st.integers(1, 3)))
        )
        return f"<{tag}{attrs}>{items}</{tag}>"
    if tag == "table":
        rows = []
        for _ in range(draw(st.integers(1, 3))):
            cells = []
            for _ in range(draw(st.integers(1, 3))):
                cell = draw(st.sampled_from(["td", "th"]))
                extra = ""
                if cell == "th" and draw(st.booleans()):
                    extra = quote_attribute(draw, "abbr", draw(plain_value()))
                cells.append(f"<{cell}{extra}>{draw(flow(depth))}</{cell}>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        caption = f"<caption>{draw(inline(1))}</caption>" if draw(st.booleans()) else ""
        stray = escape_text(word(draw)) if draw(st.integers(0, 4)) == 0 else ""  # text lxml may move
        return f"<table{attrs}>{caption}{stray}{''.join(rows)}</table>"
    if tag == "dl":
        return f"<dl{attrs}><dt>{draw(inline(2))}</dt><dd>{draw(flow(depth))}</dd></dl>"
    if tag == "details":
        return f"<details{attrs}><summary>{draw(inline(2))}</summary>{draw(flow(depth))}</details>"
    if tag == "p-open":
        return f"<p{attrs}>{draw(inline(3))}"  # end tag omitted, as HTML allows
    if tag == "figure":
        image = draw(void_element())
        return f"<figure{attrs}>{image}<figcaption>{draw(inline(2))}</figcaption></figure>"
    if tag in ("div", "section", "blockquote"):
        return f"<{tag}{attrs}>{draw(flow(depth))}</{tag}>"
    return f"<{tag}{attrs}>{draw(inline(3))}</{tag}>"


@st.composite
def head(draw: st.DrawFn) -> str:
    parts = ['<meta charset="utf-8">']
    if draw(st.booleans()):
        parts.append(f"<title>{draw(text_html())}</title>")
    if draw(st.booleans()):
        parts.append('<meta name="description"' + quote_attribute(draw, "content", draw(plain_value())) + ">")
    if draw(st.booleans()):
        parts.append('<meta property="og:title"' + quote_attribute(draw, "content", draw(plain_value())) + ">")
    if draw(st.booleans()):
        tag = draw(plain_value())
        parts.append('<meta property="article:tag"' + quote_attribute(draw, "content", tag) + ">")
    if draw(st.booleans()):
        data: dict[str, Any] = {"@type": "NewsArticle", "headline": draw(plain_value())}
        data["description"] = draw(plain_value())
        # Fields that hold a string or a list (whose items may be anything JSON holds), and topics.
        words = st.one_of(plain_value(), st.integers(), st.none(), st.just(["x"]))
        data["keywords"] = draw(st.one_of(plain_value(), st.lists(words, max_size=4)))
        topic = st.fixed_dictionaries({"@type": st.just("Thing"), "name": plain_value()})
        data["about"] = draw(st.one_of(topic, st.lists(st.one_of(topic, plain_value()), max_size=3)))
        text = json.dumps(data, ensure_ascii=draw(st.booleans())).replace("<", "\\u003c")
        parts.append(f'<script type="application/ld+json">{text}</script>')
    if draw(st.booleans()):
        parts.append(draw(script_or_style()))
    return "\n".join(parts)


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """A whole page as HTML text."""
    body = "".join(draw(st.lists(st.one_of(block(3), inline(2), comment()), min_size=1, max_size=6)))
    outer = draw(comment()) if draw(st.integers(0, 4)) == 0 else ""
    return f"<!DOCTYPE html>{outer}\n<html lang=\"en\"><head>{draw(head())}</head>\n<body>{body}</body></html>"


# --- helpers ----------------------------------------------------------------------------------


def parsed(text: str) -> Document:
    note(text)
    return parse_text(text)


def rebuilt(document: Document, translations: dict[str, str]) -> tuple[Document, Applied]:
    page = copy_document(document)
    result = apply(page, translations)
    return parse_text(serialise(page)), result


def tree(element: etree._Element) -> tuple[Any, ...]:
    """An element's tree: tag, attributes (values of translatable ones left out), children.

    Children are compared as a sorted multiset: translators may reorder placeholders.
    """
    attrs = tuple(sorted((k, None if k in TRANSLATABLE_ATTRIBUTES else v) for k, v in element.items()))
    children = sorted((tree(child) for child in element if isinstance(child.tag, str)), key=repr)
    return (element.tag, attrs, tuple(children))


def blocks(root: etree._Element) -> list[tuple[Any, ...]]:
    """Block elements in document order: reordering placeholders never moves a block."""
    return [(e.tag, tuple(k for k, _ in e.items())) for e in root.iter() if e.tag in BLOCK]


TEXTS = [
    "<script>alert(1)</script>", "</p>", '" onclick="x', "<p>", "<b1>", "</a1>", "&lt;", "&amp;", "&",
    "<!--", "-->", "]]>", "</title>", "</script>", "<img src=x onerror=y>", "{0}", "\\", "'",
]


def random_text(rnd: random.Random) -> str:
    parts = []
    for _ in range(rnd.randint(0, 4)):
        choice = rnd.randint(0, 4)
        if choice == 0:
            parts.append(rnd.choice(TEXTS))
        elif choice == 1:
            parts.append(rnd.choice(EMOJI))
        elif choice == 2:
            parts.append(rnd.choice(SPACES))
        else:
            alphabet = rnd.choice(SCRIPTS)
            parts.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 6))))
    return "".join(parts)


def shuffled(nodes: tuple[ph.Node, ...], rnd: random.Random) -> tuple[ph.Node, ...]:
    """Reorder nodes at every level (each placeholder stays inside its parent)."""
    out: list[ph.Node] = []
    for node in nodes:
        if isinstance(node, ph.Span):
            out.append(ph.Span(node.name, shuffled(node.children, rnd)))
        else:
            out.append(node)
    rnd.shuffle(out)
    return tuple(out)


def valid_translation(msgid: str, rnd: random.Random) -> str:
    nodes = ph.parse(msgid, ph.placeholders_of(msgid))
    return render(shuffled(nodes, rnd), lambda _text: random_text(rnd))


def invalid_translation(msgid: str, rnd: random.Random) -> str:
    """A translation that breaks the placeholder rules in one of several ways."""
    expected = ph.placeholders_of(msgid)
    ways: list[Callable[[], str]] = [lambda: msgid + " <q99/>", lambda: "<zz7>x</zz7>" + msgid]
    if expected:
        name, paired = rnd.choice(sorted(expected.items()))
        token = f"<{name}>" if paired else f"<{name}/>"
        whole = f"<{name}>.*?</{name}>" if paired else None

        def drop() -> str:
            return re.sub(whole, "", msgid, count=1, flags=re.S) if whole else msgid.replace(token, "", 1)

        ways.append(drop)
        ways.append(lambda: msgid + (f" <{name}>x</{name}>" if paired else f" <{name}/>"))  # duplicated
        if paired:
            ways.append(lambda: msgid.replace(f"</{name}>", "", 1))  # never closed
            ways.append(lambda: msgid.replace(f"<{name}>", f"<{name}/>", 1))  # written void
            ways.append(lambda: f"</{name}>" + msgid.replace(f"</{name}>", "", 1))  # closed first
        else:
            ways.append(lambda: msgid.replace(token, f"<{name}>", 1))  # written paired
        pairs = [n for n, p in expected.items() if p]
        if len(pairs) >= 2:
            first, second = pairs[0], pairs[1]
            # Crossed: <a1>..<b2>..</a1>..</b2> is not properly nested.
            ways.append(lambda: f"<{first}>x<{second}>y</{first}>z</{second}>")
    return rnd.choice(ways)()


# --- properties -------------------------------------------------------------------------------


@pytest.mark.slow
@given(html_documents())
def test_identity_round_trip_is_exact_on_generated_pages(html: str) -> None:
    source = parsed(html)
    built, fallbacks = build_with(source, lambda msgid: msgid)
    assert fallbacks == 0
    assert events(built.root) == events(source.root)


@pytest.mark.slow
@given(html_documents(), st.randoms(use_true_random=False))
def test_random_valid_translations_keep_the_element_tree(html: str, rnd: random.Random) -> None:
    source = parsed(html)
    units = segment(source)
    translations = {unit.msgid: valid_translation(unit.msgid, rnd) for unit in units}
    note(repr(translations))
    built, result = rebuilt(source, translations)
    assert result.fallbacks == ()
    assert result.translated == len(units)
    assert tree(built.root) == tree(source.root)
    assert blocks(built.root) == blocks(source.root)


@pytest.mark.slow
@given(html_documents(), st.randoms(use_true_random=False))
def test_random_invalid_translations_fall_back_and_keep_the_page(html: str, rnd: random.Random) -> None:
    source = parsed(html)
    units = segment(source)
    msgids = list(dict.fromkeys(unit.msgid for unit in units))
    broken = {msgid for msgid in msgids if rnd.random() < 0.5}
    translations = {msgid: invalid_translation(msgid, rnd) if msgid in broken else msgid for msgid in msgids}
    note(repr(translations))
    built, result = rebuilt(source, translations)
    assert sorted(f.msgid for f in result.fallbacks) == sorted(u.msgid for u in units if u.msgid in broken)
    assert all(f.reason and f.reason != "untranslated" for f in result.fallbacks)
    assert result.translated == len(units) - len(result.fallbacks)
    assert events(built.root) == events(source.root)
