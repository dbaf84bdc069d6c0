"""Nothing can be injected: whatever a translator writes, the page keeps the source's markup."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import html_read
from l10n.html_write import serialise
from l10n.placeholders import markup
from l10n.po.model import Catalog, Message, header
from l10n.qa import CODES, check_catalogue
from l10n.segment import Segmented, apply, segment
from l10n.slot import SourceMark, Unit, copy_document

from .roundtrip import events
from .trees import as_str, find, text_of

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
    '<a1 onclick="alert(1)">court</a1>',
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
        placeholders = "".join(f"<{p.name}>x</{p.name}>" if p.paired else f"<{p.name}/>" for p in unit.placeholders)
        translations[unit.msgid] = f"{attack} {placeholders}"
    built, _ = build(translations)
    assert structure(built) == source_structure()
    scripts = [s for s in built.root.iter("script")]
    assert len(scripts) == 1 and scripts[0].get("type") == "application/ld+json"
    assert all(
        not name.startswith("on") for e in built.root.iter() if isinstance(e.tag, str) for name in map(as_str, e.keys())
    )


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


# --- l10n check: markup a browser would read --------------------------------------------


@pytest.mark.parametrize(
    ("translation", "token"),
    [
        ("Texte <b>gras", "<b>"),
        ("Texte <img/src=x onerror=alert(1)> fin", "<img/src=x onerror=alert(1)>"),
        ("Texte <svg/onload=alert(1)> fin", "<svg/onload=alert(1)>"),
        ("Texte </noscript > fin", "</noscript >"),
        ("Texte </NOSCRIPT\t> fin", "</NOSCRIPT\t>"),
        ("Texte <!-- a > b --> fin", "<!-- a > b -->"),
        ("Texte <!-- jamais fermé", "<!-- jamais fermé"),
        ("Texte <!doctype html> fin", "<!doctype html>"),
        ("Texte <?php echo 1 ?> fin", "<?php echo 1 ?>"),
        ("Texte <![CDATA[ fin", "<![CDATA[ fin"),
        ("Texte <![CDATA[x]]> fin", "<![CDATA[x]]>"),
        ("Texte </ x> fin", "</ x>"),  # a bogus comment: the browser drops it
        ("Texte &lt;script> fin", "<script>"),  # &lt; in a msgstr is a literal "<"
        ("Texte <\x00b> fin", "<b>"),  # the page drops the NUL (see page_safe)
    ],
)
def test_check_finds_what_a_browser_would_read_as_markup(translation: str, token: str) -> None:
    assert markup("Plain text", translation) == [token]
    findings = check_catalogue(catalogue("Plain text", translation), "fr.po", 2)
    assert [(f.severity, f.code) for f in findings if f.code == "markup"] == [("error", "markup")]


@pytest.mark.parametrize("translation", ["a < b et c > d", "x<3", "<- ici", "1 << 2", "<>", "a <é> b", "«guillemets»"])
def test_check_leaves_text_that_no_browser_reads_as_markup(translation: str) -> None:
    assert markup("Plain text", translation) == []


def test_check_keeps_markup_that_is_literal_source_text() -> None:
    source = "Write <!-- this --> and <?xml?> and <br/>"
    assert markup(source, "Écrivez <!-- this --> et <?xml?> et <br/>") == []
    assert markup(source, "Écrivez <!-- ceci -->") == ["<!-- ceci -->"]


def test_check_says_exactly_what_the_page_does_with_markup() -> None:
    (finding,) = [f for f in check_catalogue(catalogue("Plain", "<i>Plain</i>"), "fr.po", 2) if f.code == "markup"]
    assert finding.message == (
        "markup-like text <i> </i> is not a placeholder: a page would hold it as escaped characters, never as markup"
    )


def catalogue(msgid: str, msgstr: str, flags: tuple[str, ...] = ()) -> Catalog:
    head = header({"Language": "fr", "Content-Type": "text/plain; charset=UTF-8"})
    return Catalog((Message(msgid, msgstr, flags=flags),), head)


# --- control characters: never a crash, reported by check -------------------------------

CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f", "\ufffe", "\uffff", "\ud800", "\udfff"]


def translations_with(units: list[Unit], text: str) -> dict[str, str]:
    """*text* before, inside and after each placeholder of every unit."""
    return {
        unit.msgid: text
        + "".join(f"<{p.name}>{text}</{p.name}>{text}" if p.paired else f"<{p.name}/>{text}" for p in unit.placeholders)
        for unit in units
    }


@given(st.lists(st.one_of(st.text(), st.sampled_from(CONTROLS)), max_size=8).map("".join))
def test_no_translation_text_crashes_the_build(text: str) -> None:
    source = html_read.parse(PAGE)
    translations = translations_with(segment(source), text or "x")
    page = copy_document(source)
    applied = apply(page, translations)
    built, _ = Segmented(source).translated(translations, SourceMark("en"))
    for document in (page, built):
        written = serialise(document)
        assert html_read.parse_text(written)  # the page parses, and keeps its structure
        assert structure(html_read.parse_text(written)) == source_structure()
        assert not any(char in written for char in CONTROLS if char != "\x7f")
    assert applied.translated == len(segment(source)) - len(applied.fallbacks)


@pytest.mark.parametrize("char", ["\x0b", "\x0c"])
def test_form_feed_and_vertical_tab_become_a_space(char: str) -> None:
    built, text = build({"Photo text": f"Photo{char}texte", "Plain paragraph": f"Un{char}paragraphe",
                         "Headline text": f"Titre{char}principal"})  # fmt: skip
    img = built.root.find(".//img")
    assert img is not None and img.get("alt") == "Photo texte"
    assert "<p>Un paragraphe</p>" in text
    assert '"headline": "Titre principal"' in text


def test_other_control_characters_are_dropped_in_every_kind_of_unit() -> None:
    bad = "\x00\x08\x1b\ufffe\uffff\ud800"
    built, text = build({"Photo text": f"Pho{bad}to", "Plain paragraph": f"Para{bad}graphe",
                         "Headline text": f"Ti{bad}tre", "Summary text": f"Ré{bad}sumé"})  # fmt: skip
    img = built.root.find(".//img")
    assert img is not None and img.get("alt") == "Photo"
    assert "<p>Paragraphe</p>" in text and '"headline": "Titre"' in text and 'content="Résumé"' in text


def test_check_warns_about_control_characters() -> None:
    po = catalogue("Plain text", "Texte\x0bsimple\x00 et\ufffe\x00")
    (finding,) = [f for f in check_catalogue(po, "fr.po", 2) if f.code == "control-character"]
    assert finding.severity == "warning"
    assert finding.message == (
        "control characters U+000B, U+0000, U+FFFE cannot be on a page: U+000B is replaced by a space, "
        "U+0000, U+FFFE are dropped"
    )
    assert CODES["control-character"] == "warning"
    (finding,) = [
        f for f in check_catalogue(catalogue("Plain", "Simple\x08"), "fr.po", 2) if f.code != "same-as-source"
    ]
    assert finding.message == "control character U+0008 cannot be on a page: it is dropped"
    fuzzy = catalogue("Plain", "Simple\x08", flags=("fuzzy",))
    assert [f.code for f in check_catalogue(fuzzy, "fr.po", 2)] == ["fuzzy"]  # not used: not checked


def test_jsonld_escapes_of_characters_a_page_cannot_hold_never_crash(tmp_path: Path) -> None:
    """JSON-LD may spell U+0004, a lone surrogate or U+FFFF as \\u escapes: json.loads makes
    them real characters, which neither a PO file nor an lxml tree can hold."""
    from l10n import project
    from l10n.errors import L10nError

    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "x.html").write_text(
        '<html><head><script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Head\\u0004line", "description": "Broken \\ud800 text",'
        ' "alternativeHeadline": "Odd \\uffff one", "author": "Name \\ud800"}'
        "</script></head><body><p>Body text.</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    problems: list[L10nError] = []
    proj = project.open_project(tmp_path)
    project.extract(proj, [], problems.append, jobs=1)
    assert problems == []
    po = polib.pofile(str(tmp_path / "locales" / "fr" / "LC_MESSAGES" / "x.po"))
    assert {entry.msgid for entry in po} == {"Headline", "Broken text", "Odd one", "Body text."}
    for entry in po:
        entry.msgstr = "FR " + entry.msgid
    po.save(str(tmp_path / "locales" / "fr" / "LC_MESSAGES" / "x.po"))
    project.build(proj, [], None, problems.append, jobs=1)
    assert problems == []
    page = (tmp_path / "site" / "fr" / "x.html").read_text(encoding="utf-8")
    data = json.loads(text_of(find(html_read.parse_text(page).root, ".//script")))
    assert data["headline"] == "FR Headline" and data["author"] == "Name \ud800"
