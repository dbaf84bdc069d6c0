"""po_read.usable against what it stands for, ``catalog.translations(po_read.read(text, path))``.

The same dict (keys in the same order) or the same exception, on the catalogues of the
repo, freshly extracted and filled ones, generated, damaged and line-shuffled ones. Where
the input is in the layout our writer produces, the fast scan must also be what answered
(no fallback to reading the catalogue whole).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from l10n import catalog, po_read, project
from l10n.catalog import dumps
from l10n.errors import CatalogError, L10nError
from l10n.project import rendering
from l10n.pseudo import pseudo_translate

from .conftest import REPO
from .test_catalog_read import ERRORS, ODD, TRICKY, catalogues, written
from .test_incremental import make


def reference(text: str, path: str) -> dict[str, str]:
    return catalog.translations(po_read.read(text, path))


def outcome(call: Callable[[str, str], dict[str, str]], text: str) -> Any:
    try:
        found = call(text, "x.po")
    except CatalogError as exc:
        return ("CatalogError", str(exc), exc.message, exc.path, exc.line)
    except Exception as exc:  # whatever read lets through, usable must too
        return (type(exc).__name__, str(exc))
    return ("ok", list(found.items()))  # the order of the keys too


def assert_same(text: str) -> Any:
    expected = outcome(reference, text)
    got = outcome(po_read.usable, text)
    if got != expected:
        note(f"text: {text!r}")
    assert got == expected
    return expected


def scanned(text: str) -> bool:
    """True when the fast scan answers for *text* by itself, without reading it whole."""
    plain, usable = po_read._normalised(text)
    if not usable:
        return False
    try:
        po_read._usable_entries(plain)
    except po_read._Unusual:
        return False
    return True


def variants(text: str) -> list[str]:
    """The text, with a BOM and CRLF, and without its final line break."""
    return [text, "\ufeff" + text.replace("\n", "\r\n"), text.rstrip("\n")]


# --- real catalogues -------------------------------------------------------------------------

REPO_CATALOGUES = sorted((REPO / "locales").rglob("*.po*")) + sorted((REPO / "tests" / "data").rglob("*.po*"))


@pytest.mark.parametrize("path", REPO_CATALOGUES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_repo_catalogues_give_the_same_translations_by_the_scan(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for variant in variants(text):
        assert assert_same(variant)[0] == "ok"
        assert scanned(variant)


def fill(po: polib.POFile, number: int) -> None:
    """Translate a fresh catalogue as translators leave one: most entries translated, some
    fuzzy (with their previous msgid), some empty, some obsolete, one duplicated."""
    for index, entry in enumerate(po):
        entry.msgstr = pseudo_translate(entry.msgid) if (index + number) % 2 else entry.msgid.upper()
        if index % 7 == 3:
            entry.flags.append("fuzzy")
            entry.previous_msgid = entry.msgid[::-1]
        elif index % 11 == 5:
            entry.msgstr = ""
        elif index % 13 == 6:
            entry.obsolete = True
    if len(po) > 2:
        po.append(polib.POEntry(msgid=po[1].msgid, msgstr="again", occurrences=[("x.html", "1")]))


def test_extracted_and_filled_catalogues_give_the_same_translations_by_the_scan(tmp_path: Path) -> None:
    proj = make(tmp_path, pages=4)
    problems: list[L10nError] = []
    project.extract(proj, [], problems.append, jobs=1)
    assert problems == []
    paths = sorted((proj.root / "locales").rglob("*.po*"))
    # A template and a catalogue for each of the 4 configured locales, per article (the
    # sample's 3, and 4 corpus pages when the corpus is beside the repo).
    assert len(paths) == 5 * len(project.article_slugs(proj)) >= 15
    for number, path in enumerate(paths):
        text = path.read_text(encoding="utf-8")
        for variant in variants(text):
            assert assert_same(variant)[0] == "ok" and scanned(variant), path
        po = po_read.read(text, "x.po")
        fill(po, number)
        for filled in written(po).values():  # ours and polib's
            for variant in variants(filled):
                assert assert_same(variant)[0] == "ok" and scanned(variant), path


# --- chosen cases ----------------------------------------------------------------------------

HEAD = 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
CASES = {
    "duplicates: the last translation, at the first place": HEAD
    + 'msgid "a"\nmsgstr "1"\n\nmsgid "b"\nmsgstr "2"\n\nmsgid "a"\nmsgstr "3"\n\nmsgid "a"\nmsgstr ""\n',
    "fuzzy flags": HEAD + '#, c-format, fuzzy\nmsgid "a"\nmsgstr "1"\n\n#, fuzzyx ,no-wrap\nmsgid "b"\nmsgstr "2"\n',
    "fuzzy spread over lines": HEAD + '#, c-format\n#. note\n#,  fuzzy \nmsgid "a"\nmsgstr "1"\n',
    "fuzzy in comments only": HEAD + '# fuzzy\n#. fuzzy\n#| msgid "fuzzy"\nmsgid "fuzzy"\nmsgstr "fuzzy"\n',
    "flags of a comment-only block": HEAD + '#, fuzzy\n\n#. c\nmsgid "a"\nmsgstr "1"\n',
    "flags of an obsolete entry": HEAD + '#, fuzzy\n#~ msgid "a"\n#~ msgstr "1"\nmsgid "b"\nmsgstr "2"\n',
    "obsolete comment flags": HEAD + '#~ #, fuzzy\nmsgid "a"\nmsgstr "1"\n',
    "previous fields": HEAD
    + '#, fuzzy\n#| msgctxt "c"\n#| msgid "o"\n#| "ld"\n#| msgid_plural "p"\nmsgid "a"\nmsgstr "1"\n\n'
    + '#| msgid "x"\nmsgid "b"\nmsgstr "2"\n',
    "obsolete entries with previous fields": HEAD
    + '#. c\n#~| msgid "p"\n#~| "q"\n#~ msgid "a"\n#~ ""\n#~ "b"\n#~ msgstr "1"\n#~ "2"\nmsgid "c"\nmsgstr "3"\n',
    "an obsolete header": '#~ msgid ""\n#~ msgstr "A: 1\\n"\n\nmsgid ""\nmsgstr "B: 2\\n"\n\nmsgid "a"\nmsgstr "b"\n',
    "two headers": 'msgid ""\nmsgstr "A: 1\\n"\n\nmsgid ""\nmsgstr "B: 2\\n"\n\nmsgid "a"\nmsgstr "b"\n',
    "two headers, the first fuzzy": '#, fuzzy\nmsgid ""\nmsgstr "A: 1\\n"\n\nmsgid ""\nmsgstr "B\\n"\n',
    "three headers": 'msgid ""\nmsgstr "A"\n\nmsgid ""\nmsgstr ""\n\nmsgid ""\nmsgstr "C"\n',
    "a header in the middle": 'msgid "a"\nmsgstr "b"\n\nmsgid ""\nmsgstr "A: 1\\n"\n\nmsgid "c"\nmsgstr "d"\n',
    "a header made of empty strings": 'msgid ""\n""\nmsgstr "A"\n\nmsgid "a"\nmsgstr "b"\n',
    "a header with context": 'msgctxt "c"\nmsgid ""\nmsgstr "A: 1\\n"\n\nmsgid ""\nmsgstr "B"\n',
    "no header": 'msgid "a"\nmsgstr "b"\nmsgid "c"\nmsgstr "d"\n',
    "context": HEAD + 'msgctxt "x"\nmsgid "a"\nmsgstr "1"\n\nmsgctxt "y"\nmsgid "a"\nmsgstr "2"\n',
    "plural forms": HEAD + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "1"\nmsgstr[1] "2"\n\nmsgid "b"\nmsgstr "3"\n',
    "escapes and continuations": HEAD
    + 'msgid ""\n"a\\"b\\\\"\n"\\n\\t\\q"\nmsgstr "x\\\\"\n"\\"y\\""\n\nmsgid "\\\\"\nmsgstr "\\\\\\""\n',
    "strings that end in an escaped quote": HEAD + 'msgid "a\\""\n"b"\nmsgstr "\\""\n"\\""\n',
    "an empty translation in several strings": HEAD + 'msgid "a"\nmsgstr ""\n""\n',
    "a trailing comment": HEAD + 'msgid "a"\nmsgstr "b"\n\n#. end\n',
    "a trailing lone mark": HEAD + 'msgid "a"\nmsgstr "b"\n#.\n',
    "a trailing mark with white space": HEAD + 'msgid "a"\nmsgstr "b"\n#, \t\n',
    "a lone mark before an entry": HEAD + 'msgid "a"\nmsgstr "b"\n#.\n#:\n#,\nmsgid "c"\nmsgstr "d"\n',
    "a trailing #~| line": HEAD + 'msgid "a"\nmsgstr "b"\n#~| msgid "x"\n',
    "a trailing #~| string": HEAD + 'msgid "a"\nmsgstr "b"\n\n#~| "x"\n',
    "a previous string after a comment": HEAD + '#. c\n#| "q"\nmsgid "a"\nmsgstr "b"\n',
    "a previous string after msgstr": HEAD + 'msgid "a"\nmsgstr "b"\n#| "q"\nmsgid "c"\nmsgstr "d"\n',
    "a string after a previous msgid": HEAD + '#| msgid "p"\n"q"\nmsgid "a"\nmsgstr "b"\n',
    "a #~| line, then a comment": HEAD + 'msgid "a"\nmsgstr "b"\n#~| msgid "x"\n# c\n',
    "a trailing previous field": HEAD + 'msgid "a"\nmsgstr "b"\n#| msgid "x"\n',
    "a trailing obsolete msgid": HEAD + 'msgid "a"\nmsgstr "b"\n#~ msgid "x"\n',
    "white space around lines": HEAD + ' msgid "a"\nmsgstr "b" \n#. x \nmsgid "c"\n\t"d"\nmsgstr "e"\n',
    "white space after a msgid": HEAD + 'msgid "a" \nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n',
    "white space after a msgstr": HEAD + 'msgid "a"\nmsgstr "b"\t\n\nmsgid "c"\nmsgstr "d"\n',
    "white space after a continuation": HEAD + 'msgid "a"\n"b" \nmsgstr "c"\n"d"\u3000\n',
    "no-break space at the end of a comment": HEAD + '#, fuzzy\u00a0\nmsgid "a"\nmsgstr "b"\n',
    "a unit separator at the end of a string line": HEAD + 'msgid "a"\x1f\nmsgstr "b"\n',
    "blank lines inside an entry": HEAD + '#. c\n\n#: a:1\n\nmsgid "a"\n\nmsgstr "b"\n',
    "white-space-only lines": HEAD + 'msgid "a"\nmsgstr "b"\n   \n\t\nmsgid "c"\nmsgstr "d"\n',
    "a comment between msgid and msgstr": HEAD + 'msgid "a"\n#. c\nmsgstr "b"\n',
    "a string continued after a comment": HEAD + 'msgid "a"\nmsgstr "b"\n#. c\n"d"\n',
    "mixed obsolete and active lines": HEAD + '#~ msgid "a"\nmsgstr "b"\n\nmsgid "c"\n#~ msgstr "d"\n',
    "msgstr without msgid": HEAD + '# c\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n',
    "a lone carriage return": HEAD + 'msgid "a"\rmsgstr "b"\n',
    "CR CR LF": HEAD + 'msgid "a"\r\r\nmsgstr "b"\r\n',
    "a line separator": HEAD + 'msgid "a\u2028"\nmsgstr "b"\n',
    "two BOMs": "\ufeff\ufeff" + HEAD + 'msgid "a"\nmsgstr "b"\n',
    "an empty file": "",
    "a lone line break": "\n",
    "no final line break": HEAD + 'msgid "a"\nmsgstr "b"',
    "header comments only": "# one\n#\n##two\n",
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_chosen_cases_give_the_same_translations(case: str) -> None:
    for variant in variants(CASES[case]):
        assert_same(variant)


@pytest.mark.parametrize("case", [*ERRORS, *ODD])
def test_the_cases_of_the_reader_tests_give_the_same_translations_or_errors(case: str) -> None:
    text = ERRORS[case][0] if case in ERRORS else ODD[case]
    for variant in variants(text):
        assert_same(variant)


def test_what_the_translations_are() -> None:
    """A few results spelled out, so that the comparison is not between two wrong answers."""
    assert po_read.usable(CASES["duplicates: the last translation, at the first place"], "x.po") == {"a": "3", "b": "2"}
    assert list(po_read.usable(CASES["duplicates: the last translation, at the first place"], "x.po")) == ["a", "b"]
    assert po_read.usable(CASES["fuzzy flags"], "x.po") == {"b": "2"}
    assert po_read.usable(CASES["fuzzy in comments only"], "x.po") == {"fuzzy": "fuzzy"}
    assert po_read.usable(CASES["flags of a comment-only block"], "x.po") == {}
    assert po_read.usable(CASES["flags of an obsolete entry"], "x.po") == {"b": "2"}
    assert po_read.usable(CASES["two headers"], "x.po") == {"": "A: 1\n", "a": "b"}  # polib keeps the first
    assert po_read.usable(CASES["a trailing lone mark"], "x.po") == {}  # polib drops the last entry
    assert po_read.usable(CASES["escapes and continuations"], "x.po") == {'a"b\\\n\t\\q': 'x\\"y"', "\\": '\\"'}
    assert po_read.usable(CASES["plural forms"], "x.po") == {"b": "3"}
    assert po_read.usable(CASES["context"], "x.po") == {"a": "2"}
    for case in (
        "fuzzy flags",
        "flags of an obsolete entry",
        "escapes and continuations",
        "a lone mark before an entry",
    ):
        assert scanned(CASES[case]), case
    for case in ("two headers", "a trailing lone mark", "a trailing #~| line", "context", "plural forms"):
        assert not scanned(CASES[case]), case


def test_errors_name_the_file_and_line() -> None:
    with pytest.raises(CatalogError) as raised:
        po_read.usable(HEAD + 'msgid "a"\nmsgstr "b\n', "locales/fr/a.po")
    assert (raised.value.message, raised.value.path, raised.value.line) == ("unterminated string", "locales/fr/a.po", 6)


# --- generated catalogues ----------------------------------------------------------------------


def usual(po: polib.POFile) -> polib.POFile:
    """The catalogue without what the fast scan leaves to the whole reader (msgctxt, plural forms)."""
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr = next(iter(entry.msgstr_plural.values()))
            entry.msgid_plural, entry.msgstr_plural, entry.previous_msgid_plural = "", {}, None
        entry.msgctxt = None
    return po


@given(catalogues())
def test_generated_catalogues_give_the_same_translations(po: polib.POFile) -> None:
    for text in written(po).values():
        for variant in variants(text):
            assert_same(variant)


@given(catalogues().map(usual))
def test_generated_catalogues_in_our_layout_are_scanned(po: polib.POFile) -> None:
    for writer, text in written(po).items():
        for variant in variants(text):
            assert_same(variant)
        plain = not any(mark in text for mark in po_read._OTHER_BREAKS)
        if writer == "dumps" and plain:
            assert scanned(text)


GARBAGE = [*TRICKY, "#, fuzzy", "#, c-format, fuzzy", "#~ #, fuzzy", "garbage", '"', 'msgid "a" x', "\x00", "é"]


@st.composite
def damaged(draw: st.DrawFn) -> str:
    """A written catalogue, damaged: cut short, a quote deleted, lines duplicated, garbage
    inserted, "#~ " added or taken away, "#, fuzzy" added."""
    po = draw(catalogues() | catalogues().map(usual))
    text = draw(st.sampled_from(sorted(written(po).values())))
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(["truncate", "quote", "duplicate", "insert", "obsolete", "fuzzy", "delete"]))
        if action == "insert":
            lines.insert(at, draw(st.sampled_from(GARBAGE)))
        elif action == "fuzzy":
            lines.insert(at, "#, fuzzy")
        elif not lines:
            continue
        elif action == "truncate":
            joined = "\n".join(lines)
            lines = joined[: draw(st.integers(0, len(joined)))].split("\n")
        elif action == "quote":
            quotes = [index for index, char in enumerate(lines[at]) if char == '"']
            if quotes:
                index = draw(st.sampled_from(quotes))
                lines[at] = lines[at][:index] + lines[at][index + 1 :]
        elif action == "duplicate":
            lines[at : at + 1] = [lines[at]] * draw(st.integers(2, 3))
        elif action == "obsolete":
            lines[at] = lines[at][3:] if lines[at].startswith("#~ ") else "#~ " + lines[at]
        else:
            del lines[at]
    return "\n".join(lines)


@given(damaged())
def test_damaged_catalogues_give_the_same_translations_or_errors(text: str) -> None:
    for variant in variants(text):
        assert_same(variant)


# Lines of every kind the scan knows and some it does not, in any order: the texts that
# are in its layout by chance test the claim that it reads them as polib does.
LINES = [
    'msgid ""', 'msgid "a"', 'msgid "b\\n"', 'msgstr ""', 'msgstr "x"', 'msgstr "y\\""', '"c"', '""', '"\\\\"',
    "", "#", "# t", "##t", "#.", "#. e", "#:", "#: a.html:1", "#,", "#, fuzzy", "#, c-format", "#, fuzzy, c-format",
    '#| msgid "p"', '#| msgctxt "q"', '#| "r"', '#~ msgid "o"', '#~ msgid ""', '#~ msgstr "p"', '#~ ""', '#~ "q"',
    '#~| msgid "s"', '#~| "t"', 'msgctxt "k"', 'msgid_plural "ps"', 'msgstr[0] "z"', "#. ", " ", 'msgid  "a"',
    '"c" ', 'msgstr "x"\t', ' msgid "a"',
]  # fmt: skip


@settings(max_examples=500)  # cheap, and the more the likelier a text in the scan's layout
@given(st.lists(st.sampled_from(LINES), max_size=24).map("\n".join))
def test_shuffled_lines_give_the_same_translations_or_errors(text: str) -> None:
    for variant in variants(text):
        assert_same(variant)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(LINES), max_size=24).map("\n".join))
def test_scanned_texts_are_read_whole_the_same(text: str) -> None:
    """Where the scan answers by itself, the whole reader found no error and read the same."""
    if scanned(text):
        assert outcome(reference, text) == ("ok", list(po_read._usable_entries(text).items()))


NOTES = [
    "", "#", "# t", "##t", "#.", "#. fuzzy", "#:", "#: a.html:1", "#,", "#, fuzzy", "#, c-format", "#, x, fuzzy",
    '#| msgid "p"', '#| msgctxt "q"\n#| "r"', '#~| msgid "s"', '#~| "t"',
]  # fmt: skip
STRINGS = ['""', '"a"', '"b"', '"\\n"', '"\\""', '"a\\\\"', '"é"']


@st.composite
def entry_blocks(draw: st.DrawFn) -> str:
    """Entries of notes, msgid and msgstr (some obsolete), now and then a stray line: texts
    mostly in the scan's layout, with what changes the translations (headers, duplicates,
    flags, skipped lines at the end) in any order."""
    blocks: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        lines = draw(st.lists(st.sampled_from(NOTES), max_size=3))
        prefix = "#~ " if draw(st.integers(0, 5)) == 0 else ""
        for keyword in ("msgid", "msgstr"):
            strings = draw(st.lists(st.sampled_from(STRINGS), min_size=1, max_size=3))
            lines.append(f"{prefix}{keyword} {strings[0]}")
            lines += [prefix + string for string in strings[1:]]
        if draw(st.integers(0, 19)) == 0:
            lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(LINES)))
        blocks.append("\n".join(lines))
    blocks += draw(st.lists(st.sampled_from(NOTES), max_size=2))
    return "\n".join(blocks)


@settings(max_examples=300)
@given(entry_blocks())
def test_entry_blocks_give_the_same_translations_or_errors(text: str) -> None:
    for variant in variants(text):
        assert_same(variant)


def test_the_scan_is_what_answers_for_what_our_writer_writes() -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a " * 60, msgstr="b " * 60, comment="c", occurrences=[("a.html", "1")]))
    po.append(polib.POEntry(msgid="x", msgstr="y", flags=["fuzzy"], previous_msgid="w"))
    po.append(polib.POEntry(msgid="o", msgstr="p", obsolete=True, previous_msgid="n"))
    text = dumps(po)
    assert scanned(text) and po_read.usable(text, "x.po") == {"a " * 60: "b " * 60}


# --- the build's reader ------------------------------------------------------------------------


def former_translations(proj: project.Project, path: Path) -> dict[str, str]:
    """What project._translations was: the catalogue read whole, then its translations."""
    _, po = project.read_catalog(proj, path)
    return catalog.translations(po) if po is not None else {}


def test_the_build_reads_catalogues_with_the_errors_of_read_catalog(sample_project: Path) -> None:
    proj = project.open_project(sample_project)
    folder = sample_project / "locales" / "fr" / "LC_MESSAGES"
    good = next(folder.rglob("*.po"))
    files = {
        "good": good.read_bytes(),
        "bom-crlf": b"\xef\xbb\xbf" + good.read_bytes().replace(b"\n", b"\r\n"),
        "not-utf8": good.read_bytes() + b"\n# \xff\n",
        "damaged": good.read_bytes() + b'\nmsgid "a"\n',
        "empty": b"",
    }
    paths = {name: folder / f"{name}.po" for name in files}
    for name, data in files.items():
        paths[name].write_bytes(data)
    paths["missing"] = folder / "missing.po"
    paths["folder"] = folder / "folder.po"
    paths["folder"].mkdir()
    for name, path in paths.items():
        results = []
        for read in (former_translations, rendering._usable):
            try:
                results.append(("ok", list(read(proj, path).items())))
            except CatalogError as exc:
                results.append(("CatalogError", str(exc), exc.path, exc.line))
        assert results[0] == results[1], name
        assert (results[0][0] == "ok") == (name in ("good", "bom-crlf", "empty", "missing")), name
    assert rendering._usable(proj, paths["good"]) and rendering._usable(proj, paths["missing"]) == {}
