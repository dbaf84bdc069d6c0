"""Nothing a translator writes changes a page's structure, in any context a browser parses.

libxml2 (which reads our pages back in the other tests) and browsers disagree on one
context that holds translations: ``<noscript>``, markup for libxml2 and raw text for a
browser with scripting on. Here an HTML5 parser, html5lib, stands for the browser, with
scripting on and off: for each raw-text and escapable-raw-text context, and every
translatable attribute, the built page must have exactly the elements and attributes of
the page built without translations (the source as we write it), whatever the
translations hold. tests/test_injection_browser.py checks the same in Chromium.
"""

from __future__ import annotations

import functools

import html5lib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import html_read
from l10n.elements import HIDDEN
from l10n.html_write import RAW_TEXT, serialise
from l10n.segment import Segmented, apply, segment
from l10n.slot import Unit, copy_document

# Every translatable attribute, on the elements that give it meaning.
ATTRIBUTES = """<p title="Para title" aria-label="Para label">Para text with <a href="l.html" title="Link title">a
link</a> and <b>bold</b>.<img src="i.png" alt="Inline alt"></p>
<img src="i.png" alt="Image alt" title="Image title">
<input type="text" placeholder="Input placeholder" aria-label="Input label">
<input type="submit" value="Submit value"><input type="button" value="Button value">
<input type="reset" value="Reset value"><input type="image" src="i.png" alt="Image input alt">
<select><option label="Option label">Option text</option><optgroup label="Group label"><option>Other
option</option></optgroup></select>
<table><tr><th abbr="Header abbr">Header text</th></tr></table>
<map name="m"><area href="a.html" alt="Area alt"></map>
<video><track label="Track label" src="t.vtt"></video>"""

METADATA = """<meta name="description" content="Description text">
<meta name="keywords" content="Keyword text">
<meta property="og:title" content="Og title text"><meta property="og:description" content="Og description text">
<meta property="og:image:alt" content="Og image alt"><meta name="twitter:title" content="Twitter title text">
<meta name="twitter:description" content="Twitter description text">
<meta name="twitter:image:alt" content="Twitter image alt">"""

JSONLD = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Headline text",
"description": "Ld description", "image": {"caption": "Ld caption"}}</script>"""

AROUND = '<p title="Before title">Before <b>text</b></p>{}<p title="After title">After <i>text</i></p>'

# Each context: what goes in <head>, in <body>, and the elements whose end a translation
# would have to forge to break out of it. With scripting off, a parser reads <noscript>
# in body as any element: "noscript in body" checks the attributes in plain body too.
CONTEXTS = {
    "head metadata": (METADATA + JSONLD, "<p>Body text</p>", ("head", "script", "title")),
    "noscript in body": (
        "",
        f"<noscript>{ATTRIBUTES}</noscript><p>After noscript</p>",
        ("noscript", "p", "a", "select", "option", "table", "map", "video"),
    ),
    "noscript in head": (
        f'<noscript>{METADATA}<link rel="stylesheet" href="s.css" title="Style title"></noscript>',
        "<p>Body text</p>",
        ("noscript", "head"),
    ),
    "xmp": ("", AROUND.format('<xmp title="Xmp title">Xmp text <b>bold</b></xmp>'), ("xmp",)),
    "iframe": ("", AROUND.format('<iframe src="f.html" title="Frame title">Frame text</iframe>'), ("iframe",)),
    "noembed": ("", AROUND.format("<noembed>Noembed text <b>bold</b></noembed>"), ("noembed",)),
    "noframes": ("", AROUND.format("<noframes>Noframes text <b>bold</b></noframes>"), ("noframes",)),
    "plaintext": (
        "",
        '<p title="Before title">Before <b>text</b></p><plaintext>Plain text <b>bold</b>',
        ("plaintext", "body", "html"),
    ),
    "title": ("", AROUND.format("<title>Body title text</title>"), ("title",)),
    "textarea": (
        "",
        AROUND.format('<textarea placeholder="Area placeholder" title="Area title">Area text</textarea>'),
        ("textarea",),
    ),
    "script": (
        '<script>var t = "Script text";</script>',
        AROUND.format("<script>var u = 'Script text';</script>"),
        ("script",),
    ),
    "style": ('<style>p::before { content: "Style text"; }</style>', AROUND.format("<style>b{}</style>"), ("style",)),
    "template": (
        "",
        AROUND.format('<template><p title="Template title">Template text</p></template>'),
        ("template", "p"),
    ),
    "svg": (
        "",
        AROUND.format("<p>Icon <svg><title>Svg title</title><style>a{}</style></svg> text</p>"),
        ("svg", "title", "style"),
    ),
    "JSON-LD": (JSONLD, AROUND.format(JSONLD), ("script",)),
}


def page(context: str) -> bytes:
    head, body, _ = CONTEXTS[context]
    head = f'<!DOCTYPE html><html lang="en"><head><title>Page title</title>{head}</head>'
    return f"{head}<body>{body}</body></html>".encode()


# Translated values change; every other attribute must keep its value.
TRANSLATED_ATTRIBUTES = frozenset(["alt", "title", "aria-label", "placeholder", "label", "abbr", "value", "content"])


def html5_elements(text: str, scripting: bool) -> list[tuple[str, tuple[tuple[str, str | None], ...]]]:
    """Each element an HTML5 parser builds from *text*, with its attributes, in document order."""
    root = html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False, scripting=scripting)
    return [
        (str(element.tag), tuple((k, None if k in TRANSLATED_ATTRIBUTES else v) for k, v in element.items()))
        for element in root.iter()
        if isinstance(element.tag, str)
    ]


@functools.cache
def reference_elements(context: str, scripting: bool) -> list[tuple[str, tuple[tuple[str, str | None], ...]]]:
    """The elements of the page built without translations (the source, as we write it)."""
    return html5_elements(serialise(copy_document(html_read.parse(page(context)))), scripting)


def assert_same_elements(built: str, context: str) -> None:
    # Scripting changes how a parser reads <noscript> only: without one, one parse will do.
    for scripting in (True, False) if "noscript" in page(context).decode() else (True,):
        assert html5_elements(built, scripting) == reference_elements(context, scripting), f"{scripting=}\n{built}"


# --- translations rich in what ends contexts and starts tags ------------------------------

PAYLOADS = [
    "</noscript><img src=x onerror=alert(1)>",
    "</noscript ><img/src=x onerror=alert(1)>",
    "</NOSCRIPT\t><svg/onload=alert(1)>",
    "</xmp><img src=x onerror=alert(1)>",
    "</iframe><img src=x onerror=alert(1)>",
    "</noembed><img src=x onerror=alert(1)>",
    "</noframes><img src=x onerror=alert(1)>",
    "</plaintext><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><svg/onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "</style><img src=x onerror=alert(1)>",
    "</template><img src=x onerror=alert(1)>",
    "</svg><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "<!--",
    "--><img src=x onerror=alert(1)>",
    "<![CDATA[</p>]]><img src=x onerror=alert(1)>",
    "<?php echo 1 ?>",
    "<!doctype html><html><body>",
]
PIECES = [
    *"<>/\"'&=!-?; \t\n",
    "noscript", "xmp", "iframe", "noembed", "noframes", "plaintext", "script", "style", "title", "textarea",
    "template", "img", "svg", "onerror", "onload", "src=x", "alert(1)", "a1", "b2", "em3", "&lt;", "&amp;",
    "&#60;", "&gt;", "\\u003c", "]]>",
]  # fmt: skip
_TEXT = st.characters(exclude_categories=("Cc", "Cs"))
_TAGS = ["<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<script>alert(1)</script>", "<p>"]
_TERMINATORS = [">", " >", "\t>", "\n>", "/>", " x=1>"]


def translation_text(ends: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Text that often forges the end of one of the elements *ends* and then a tag."""
    names = [variant for name in ends for variant in (name, name.upper(), name.title())]
    breakout = st.builds(
        "</{}{}{}".format, st.sampled_from(names), st.sampled_from(_TERMINATORS), st.sampled_from(_TAGS)
    )
    piece = st.one_of(breakout, st.sampled_from(PAYLOADS), st.sampled_from(PIECES), st.text(_TEXT, max_size=3))
    return st.lists(piece, min_size=1, max_size=4).map("".join)


def translations_for(units: list[Unit], text: st.SearchStrategy[str], data: st.DataObject) -> dict[str, str]:
    """A translation for each unit, carrying its placeholders (so that it is used).

    The texts come from a small drawn pool, and each place picks one (two draws in all:
    hypothesis's cost is per draw, and one per unit and placeholder was most of the test).
    """
    places = sum(1 + sum(p.paired for p in unit.placeholders) for unit in units)
    pool = data.draw(st.lists(text, min_size=1, max_size=4))
    picks = iter(data.draw(st.lists(st.integers(0, len(pool) - 1), min_size=places, max_size=places)))
    translations: dict[str, str] = {}
    for unit in units:
        parts = [pool[next(picks)]]
        for placeholder in unit.placeholders:
            name = placeholder.name
            parts.append(f"<{name}>{pool[next(picks)]}</{name}>" if placeholder.paired else f"<{name}/>")
        translations[unit.msgid] = "".join(parts)
    return translations


# --- the properties -------------------------------------------------------------------------


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_the_fixture_is_read_alike_by_both_parsers(context: str) -> None:
    # Built without translations, the page has the source's elements for an HTML5 parser.
    source = html_read.parse(page(context))
    assert segment(source), "every context page has units around its context"
    for scripting in (True, False):
        assert html5_elements(page(context).decode(), scripting) == reference_elements(context, scripting)


@pytest.mark.slow
@pytest.mark.parametrize("context", list(CONTEXTS))
@given(data=st.data())
def test_no_translation_changes_the_elements_an_html5_parser_builds(context: str, data: st.DataObject) -> None:
    source = html_read.parse(page(context))
    translations = translations_for(segment(source), translation_text(CONTEXTS[context][2]), data)
    built = copy_document(source)
    apply(built, translations)
    assert_same_elements(serialise(built), context)


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_known_payloads_in_every_unit(context: str) -> None:
    source = html_read.parse(page(context))
    units = segment(source)
    segmented = Segmented(source)
    for payload in PAYLOADS:
        translations = {
            unit.msgid: payload
            + "".join(f"<{p.name}>{payload}</{p.name}>" if p.paired else f"<{p.name}/>" for p in unit.placeholders)
            for unit in units
        }
        built, applied = segmented.translated(translations)
        assert not applied.fallbacks, applied.fallbacks
        assert_same_elements(serialise(built), context)


def test_raw_text_elements_are_never_translated() -> None:
    # Their text is written raw (it cannot be escaped): a translation there would be markup.
    assert RAW_TEXT <= HIDDEN
    for context in ("xmp", "plaintext", "iframe", "noembed", "noframes"):
        msgids = " ".join(unit.msgid for unit in segment(html_read.parse(page(context))))
        assert "Plain text" not in msgids and "Xmp text" not in msgids and "bold" not in msgids, msgids
