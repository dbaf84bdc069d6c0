"""Nothing can be injected: whatever a translator writes, the page keeps the source's markup."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import html_read
from l10n.html_write import serialise
from l10n.segment import apply, copy_document, segment

from .roundtrip import events

PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Title text</title>
<meta name="description" content="Summary text">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Headline text"}</script>
</head><body>
<p>The <a href="court.html">court</a> in <em>Lille</em> ruled.<br>Next.</p>
<img src="a.png" alt="Photo text">
<p>Plain paragraph</p>
</body></html>"""

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '" onmouseover="alert(1)',
    "</p><p>Injected paragraph</p><p>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<!-- comment --><style>*{}</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<a1 onclick=\"alert(1)\">court</a1>",
    "<a9>invented</a9>",
    "]]><svg onload=alert(1)>",
]


def structure(document: html_read.Document) -> list[tuple[object, ...]]:
    """Elements and attribute names, in order (values and text may change)."""
    return [
        (e[0], e[1], tuple(k for k, _ in e[2])) if e[0] == "start" else e
        for e in events(document.root)
        if e[0] != "text"
    ]


def build(translate: dict[str, str]) -> tuple[html_read.Document, str]:
    source = html_read.parse(PAGE)
    page = copy_document(source)
    apply(page, translate)
    text = serialise(page)
    return html_read.parse_text(text), text


def source_structure() -> list[tuple[object, ...]]:
    return structure(html_read.parse(PAGE))


@pytest.mark.parametrize("attack", ATTACKS)
def test_markup_in_any_translation_stays_text(attack: str) -> None:
    units = segment(html_read.parse(PAGE))
    translations = {}
    for unit in units:
        placeholders = "".join(
            f"<{p.name}>x</{p.name}>" if p.paired else f"<{p.name}/>" for p in unit.placeholders
        )
        translations[unit.msgid] = f"{attack} {placeholders}"
    built, _ = build(translations)
    assert structure(built) == source_structure()
    scripts = [s for s in built.root.iter("script")]
    assert len(scripts) == 1 and scripts[0].get("type") == "application/ld+json"
    assert all(not name.startswith("on") for e in built.root.iter() if isinstance(e.tag, str) for name in e.attrib)


@pytest.mark.parametrize(
    "bad",
    [
        "Le tribunal à Lille a statué.<br3/>Suite.",  # missing placeholders
        "Le <a1>tribunal</a1> <a1>x</a1> à <em2>Lille</em2>.<br3/>",  # duplicated
        "Le <a1>tribunal</a1> à <em2>Lille</em2>.<br3/><b4>x</b4>",  # invented
        "Le <a1>tribunal à <em2>Lille</a1></em2>.<br3/>",  # badly nested
    ],
)
def test_invalid_placeholders_fall_back_to_the_source(bad: str) -> None:
    source = html_read.parse(PAGE)
    msgid = "The <a1>court</a1> in <em2>Lille</em2> ruled.<br3/>Next."
    assert msgid in {u.msgid for u in segment(source)}
    page = copy_document(source)
    result = apply(page, {msgid: bad})
    assert [f.msgid for f in result.fallbacks if f.reason != "untranslated"] == [msgid]
    built = html_read.parse_text(serialise(page))
    assert events(built.root) == events(source.root)


def test_attribute_quote_cannot_close_the_attribute() -> None:
    built, text = build({"Photo text": 'x" onerror="alert(1)'})
    img = built.root.find(".//img")
    assert img is not None and img.get("alt") == 'x" onerror="alert(1)' and img.get("onerror") is None
    assert 'alt="x&quot; onerror=&quot;alert(1)"' in text


def test_jsonld_text_cannot_end_the_script() -> None:
    built, text = build({"Headline text": "</script><script>alert(1)</script>"})
    assert "</script><script>" not in text
    scripts = list(built.root.iter("script"))
    assert len(scripts) == 1 and "\\u003c/script\\u003e" in (scripts[0].text or "")


@given(st.text(alphabet=st.sampled_from(list("<>/\"'&=; ab1emsciptronlg")), max_size=60))
def test_no_translation_text_adds_elements_or_attributes(attack: str) -> None:
    units = segment(html_read.parse(PAGE))
    translations = {u.msgid: attack for u in units if not u.placeholders}
    built, _ = build(translations)
    assert structure(built) == source_structure()
