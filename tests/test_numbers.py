"""Number-only text in the locale's digits (issue 12, item 5): table cells and counters in a
Persian page get Persian digits; units, attributes and never-translated text do not."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import babel
import lxml.etree as etree
import polib
import pytest
from hypothesis import given

from l10n import html_read, project
from l10n.elements import PRESERVE_SPACE
from l10n.errors import L10nError
from l10n.numbers import digit_table, localise_digits, native_digits
from l10n.segment import segment
from l10n.slot import copy_document

from .conftest import corpus_pages
from .roundtrip import _never_translated
from .test_properties import html_documents, parsed

FA = digit_table(babel.Locale.parse("fa"))
assert FA is not None


def test_default_digits_come_from_cldr() -> None:
    assert native_digits("2015 +4.2%", babel.Locale.parse("fa")) == "۲۰۱۵ +۴.۲%"  # separators stay
    assert native_digits("2015", babel.Locale.parse("ar_EG")) == "٢٠١٥"
    assert native_digits("2015", babel.Locale.parse("hi_Deva")) == "2015"  # CLDR: hi uses latn
    # CLDR's ar defaults to latn (ar-EG, ar-SA to arab): Babel says so, we follow.
    assert digit_table(babel.Locale.parse("ar")) is None
    assert digit_table(babel.Locale.parse("en")) is None and digit_table(babel.Locale.parse("zh_Hans")) is None


def digits_of(html: str) -> list[str]:
    document = html_read.parse(f"<html><body>{html}</body></html>".encode())
    assert FA is not None
    localise_digits(document.root, FA)
    return [str(text) for text in document.root.find("body").itertext()]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<table><tr><td>2015</td><td> +4.2% </td></tr></table>", ["۲۰۱۵", " +۴.۲% "]),
        ('<p><a href="/x">12</a> / <a href="/y">14</a></p>', ["۱۲", " / ", "۱۴"]),
        ("<p>Only this one has letters: 2025</p>", ["Only this one has letters: 2025"]),
        ("<p>Score <b>12</b> 13</p>", ["Score ", "۱۲", " 13"]),  # <b1/>: no translator writes 12
        ("<p><b>Goal 12</b> 13</p>", ["Goal 12", " 13"]),  # a unit: the translator's digits
        ("<p><b>12<i>3</i></b> goals</p>", ["۱۲", "۳", " goals"]),
        ("<p>Goals <b>x<i>3</i></b></p>", ["Goals ", "x", "۳"]),
        ("<p><code>12</code> <kbd>3</kbd> <var>4</var> <samp>5</samp></p>", ["12", " ", "3", " ", "4", " ", "5"]),
        ("<pre>10 20</pre>", ["10 20"]),
        ('<p translate="no">12</p><p class="x notranslate">13</p>', ["12", "13"]),
        ('<div translate="no"><p>12 <span translate="yes">13</span></p></div>', ["12 ", "۱۳"]),
        ('<div translate="no"><span translate="yes">x <b>1</b> 2</span></div>', ["x ", "۱", " 2"]),
        ("<p>12<br>13</p>", ["۱۲", "۱۳"]),
        ("<div>12<p>Words</p>13</div>", ["۱۲", "Words", "۱۳"]),
        ("<div><span>12<p>Words</p>13</span> 14</div>", ["۱۲", "Words", "۱۳", " ۱۴"]),
        ("<p>Words<span>1<div>2</div>3</span></p>", ["Words", "۱", "۲", "۳"]),  # runs of the span
        ("<p><svg><text>12</text></svg> 3</p>", ["12", " ۳"]),
        ("<p><!-- 1 -->2</p>", ["۲"]),
        ("<ul><li>1</li><li>Item 2</li></ul>", ["۱", "Item 2"]),
        ("<p>١٢ 12</p>", ["١٢ ۱۲"]),
    ],
)
def test_number_only_runs_get_the_locale_s_digits(html: str, expected: list[str]) -> None:
    assert digits_of(html) == expected


def test_attributes_scripts_styles_and_times_are_left_alone() -> None:
    html = (
        '<table data-n="12"><tr><td title="3" abbr="4">5</td></tr></table>'
        "<script>var x = 12;</script><style>p { width: 12px }</style>"
        '<p><time datetime="2015">2015</time></p><textarea>12</textarea>'
    )
    document = html_read.parse(f"<html><body>{html}</body></html>".encode())
    assert FA is not None
    localise_digits(document.root, FA)
    out = etree.tostring(document.root, encoding="unicode")
    assert '<td title="3" abbr="4">۵</td>' in out and 'data-n="12"' in out
    assert "var x = 12;" in out and "width: 12px" in out and ">2015</time>" in out and ">12</textarea>" in out


TABLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Results</title></head><body>
<h1>Results</h1>
<table><tr><th>Year</th><th>Share</th></tr><tr><td>2015</td><td>+4.2%</td></tr></table>
<p>Page <b>3</b> of <code>12</code></p>
<p translate="no">1984</p>
</body></html>"""


def _build(root: Path, extra: str = "") -> project.Project:
    (root / "articles").mkdir()
    (root / "articles" / "results.html").write_text(TABLE, encoding="utf-8")
    (root / "pyproject.toml").write_text(f'[tool.l10n]\nlocales = ["fa", "fr"]\n{extra}', encoding="utf-8")
    proj = project.open_project(root)
    problems: list[L10nError] = []
    project.extract(proj, [], problems.append)
    page = "Page <b1/> of <code2/>"
    for code, table in {
        "fa": {"Results": "نتایج", "Year": "سال", "Share": "سهم", page: "صفحهٔ <b1/> از <code2/>"},
        "fr": {"Results": "Résultats", "Year": "Année", "Share": "Part", page: "Page <b1/> sur <code2/>"},
    }.items():
        path = root / "locales" / code / "LC_MESSAGES" / "results.po"
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = table[entry.msgid]
        po.save(str(path))
    project.build(proj, [], None, problems.append)
    assert problems == []
    return proj


def _texts(proj: project.Project, tag: str) -> list[str]:
    root = html_read.parse((proj.root / "site" / tag / "results.html").read_bytes()).root
    return [" ".join(map(str, cell.itertext())) for cell in root.iter("td", "p")]


def test_a_table_cell_built_for_persian_has_persian_digits_and_nothing_else_changes(tmp_path: Path) -> None:
    proj = _build(tmp_path)
    # <b>3</b> is a placeholder the translator moves, not text they write; code and
    # translate="no" keep their digits.
    assert _texts(proj, "fa") == ["۲۰۱۵", "+۴.۲%", "صفحهٔ  ۳  از  12", "1984"]
    assert _texts(proj, "fr") == ["2015", "+4.2%", "Page  3  sur  12", "1984"]
    assert _texts(proj, "en") == ["2015", "+4.2%", "Page  3  of  12", "1984"]  # the source page


def test_native_digits_off_keeps_ascii_digits(tmp_path: Path) -> None:
    proj = _build(tmp_path, "native_digits = false\n")
    assert _texts(proj, "fa") == ["2015", "+4.2%", "صفحهٔ  3  از  12", "1984"]


def _same_digits(before: str, after: str) -> bool:
    """*after* is *before* with some ASCII digits written in another script, same values."""
    if len(before) != len(after):
        return False
    for old, new in zip(before, after, strict=True):
        if old != new and not ("0" <= old <= "9" and unicodedata.digit(new, None) == int(old)):
            return False
    return True


def _candidates(nodes: list[Any]) -> list[tuple[int, bool]]:
    """Each text with ASCII digits and no letter outside never-translated text and ``pre``,
    as (index of its node in *nodes*, whether it is the node's text rather than its tail)."""
    found = []
    for index, node in enumerate(nodes):
        for is_text in (True, False):
            if is_text and not isinstance(node.tag, str):
                continue
            text = node.text if is_text else node.tail
            holder = node if is_text else node.getparent()
            if holder is None or not text or not any("0" <= c <= "9" for c in text):
                continue
            if any(c.isalpha() for c in text) or _never_translated(holder):
                continue
            if any(e.tag in PRESERVE_SPACE for e in (holder, *holder.iterancestors())):
                continue
            found.append((index, is_text))
    return found


def _in_a_unit(document: html_read.Document, index: int, is_text: bool) -> bool:
    """Whether changing that text changes a unit: segmentation itself is the judge."""
    assert FA is not None
    msgids = [unit.msgid for unit in segment(document)]
    copy = copy_document(document)
    twin = list(copy.root.iter())[index]
    if is_text:
        twin.text = (twin.text or "").translate(FA)
    else:
        twin.tail = (twin.tail or "").translate(FA)
    return [unit.msgid for unit in segment(copy)] != msgids


def _check(document: html_read.Document, most: int = 1000) -> None:
    """localise_digits changes no unit, keeps every value, and changes exactly the texts
    that no unit holds (judged on *most* texts of the page, spread over it: each costs a
    segmentation)."""
    nodes = list(document.root.iter())
    candidates = _candidates(nodes)
    judged = set(candidates[:: max(1, len(candidates) // most)])
    expected = {place for place in judged if not _in_a_unit(document, *place)}
    units = [unit.msgid for unit in segment(document)]
    before = [(node.text, node.tail) for node in nodes]
    assert FA is not None
    localise_digits(document.root, FA)
    assert [unit.msgid for unit in segment(document)] == units  # no unit touched
    for index, (node, (text, tail)) in enumerate(zip(nodes, before, strict=True)):
        for is_text, old, new in ((True, text, node.text), (False, tail, node.tail)):
            place = (index, is_text)
            if old == new:
                assert place not in expected, (old, "left in ASCII digits")
            else:
                assert place in expected or place not in judged, (old, new, "changed, but not number-only text")
                assert _same_digits(old or "", new or "")


@pytest.mark.slow
@given(html_documents())
def test_generated_pages_change_exactly_the_number_only_text_keeping_every_value(html: str) -> None:
    _check(parsed(html))


CORPUS = corpus_pages()


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS, reason="shared corpus not beside the repo")
@pytest.mark.parametrize("page", CORPUS[::10], ids=[p.name for p in CORPUS[::10]])
def test_corpus_pages_change_exactly_the_number_only_text(page: Path) -> None:
    _check(html_read.parse(page.read_bytes()), most=15)
