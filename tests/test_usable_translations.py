"""What a build takes of a catalogue: ``catalog.usable(reader.read(data, path))``, the
usable translations (translated, not fuzzy, not obsolete), msgid -> msgstr.

Spelled-out cases (the reader's own cases are tests/test_po_reader*.py's); translators'
catalogues written by our writer and by polib's, held to the translations of the polib
objects they were written from; and the build's reading (``rendering._usable``) giving
the same translations and errors as ``read_catalog``, which extract, status and check use.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from l10n import catalog, project
from l10n.errors import CatalogError, L10nError
from l10n.po import reader
from l10n.po.convert import to_polib
from l10n.project import rendering
from l10n.pseudo import pseudo_translate

from .conftest import dumps
from .test_incremental import make

HEAD = 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'


def usable(text: str) -> dict[str, str]:
    return catalog.usable(reader.read(text.encode(), "x.po"))


def variants(text: str) -> list[str]:
    """The text, with a BOM and CRLF, and without its final line break."""
    return [text, "\ufeff" + text.replace("\n", "\r\n"), text.rstrip("\n")]


CASES = {
    "duplicates: the last translation, at the first place": (
        HEAD + 'msgid "a"\nmsgstr "1"\n\nmsgid "b"\nmsgstr "2"\n\nmsgid "a"\nmsgstr "3"\n\nmsgid "a"\nmsgstr ""\n',
        {"a": "3", "b": "2"},
    ),
    "fuzzy among other flags, and a flag that is not fuzzy": (
        HEAD + '#, c-format, fuzzy\nmsgid "a"\nmsgstr "1"\n\n#, fuzzyx ,no-wrap\nmsgid "b"\nmsgstr "2"\n',
        {"b": "2"},
    ),
    "fuzzy on a second flags line": (HEAD + '#, c-format\n#. note\n#,  fuzzy \nmsgid "a"\nmsgstr "1"\n', {}),
    "fuzzy in comments only": (
        HEAD + '# fuzzy\n#. fuzzy\n#| msgid "fuzzy"\nmsgid "fuzzy"\nmsgstr "fuzzy"\n',
        {"fuzzy": "fuzzy"},
    ),
    "comments before a blank line belong to the next entry": (HEAD + '#, fuzzy\n\n#. c\nmsgid "a"\nmsgstr "1"\n', {}),
    "obsolete entries": (
        HEAD + '#, fuzzy\n#~ msgid "a"\n#~ msgstr "1"\n\nmsgid "b"\nmsgstr "2"\n\n#~ msgid "c"\n#~ msgstr "3"\n',
        {"b": "2"},
    ),
    "contexts are not told apart": (
        HEAD + 'msgctxt "x"\nmsgid "a"\nmsgstr "1"\n\nmsgctxt "y"\nmsgid "a"\nmsgstr "2"\n',
        {"a": "2"},
    ),
    "plural forms are not used": (
        HEAD + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "1"\nmsgstr[1] "2"\n\nmsgid "b"\nmsgstr "3"\n',
        {"b": "3"},
    ),
    "escapes and continuations": (
        HEAD + 'msgid ""\n"a\\"b\\\\"\n"\\n\\t\\a"\nmsgstr "x\\\\"\n"\\"y\\""\n\nmsgid "\\\\"\nmsgstr "\\\\\\""\n',
        {'a"b\\\n\t\x07': 'x\\"y"', "\\": '\\"'},
    ),
    "an empty translation in several strings": (HEAD + 'msgid "a"\nmsgstr ""\n""\n', {}),
    "comments at the end, lone marks included": (HEAD + 'msgid "a"\nmsgstr "b"\n\n#. end\n#.\n', {"a": "b"}),
    "white space around keywords and strings": (
        HEAD + ' msgid "a"\nmsgstr "b" \n#. x \nmsgid "c"\n\t"d"\nmsgstr\t"e"\n',
        {"a": "b", "cd": "e"},
    ),
    "no header": ('msgid "a"\nmsgstr "b"\nmsgid "c"\nmsgstr "d"\n', {"a": "b", "c": "d"}),
    "an empty file": ("", {}),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_usable_translations(case: str) -> None:
    text, expected = CASES[case]
    for variant in variants(text):
        found = usable(variant)
        assert found == expected and list(found) == list(expected)


# --- translators' catalogues --------------------------------------------------------------------


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


def test_translators_catalogues_give_the_translations_they_were_written_with(tmp_path: Path) -> None:
    proj = make(tmp_path, pages=4)
    problems: list[L10nError] = []
    project.extract(proj, [], problems.append, jobs=1)
    assert problems == []
    paths = sorted((proj.root / "locales").rglob("*.po"))
    assert len(paths) >= 12
    for number, path in enumerate(paths):
        po = to_polib(catalog.read(path.read_bytes(), path.name))  # edited with polib, an independent tool
        fill(po, number)
        expected: dict[str, str] = {}
        for entry in po:
            if entry.msgstr and not entry.obsolete and not entry.fuzzy:
                expected[entry.msgid] = entry.msgstr
        assert expected, path
        for written in (dumps(po), str(po)):  # our writer and polib's
            for variant in variants(written):
                found = usable(variant)
                assert found == expected and list(found) == list(expected), path


# --- the build's reading -------------------------------------------------------------------------


def read_whole(proj: project.Project, path: Path) -> dict[str, str]:
    """The translations of the catalogue as extract, status and check read it"""
    _, po = project.read_catalog(proj, path)
    if po is None:
        return {}
    return {entry.msgid: entry.msgstr for entry in po if entry.msgstr and not entry.obsolete and not entry.fuzzy}


def test_the_build_reads_catalogues_with_the_results_and_errors_of_read_catalog(sample_project: Path) -> None:
    proj = project.open_project(sample_project)
    folder = sample_project / "locales" / "fr" / "LC_MESSAGES"
    good = next(folder.rglob("*.po"))
    text = good.read_text(encoding="utf-8")
    files = {
        "good": good.read_bytes(),
        "bom-crlf": b"\xef\xbb\xbf" + good.read_bytes().replace(b"\n", b"\r\n"),
        "latin-1": text.replace("charset=UTF-8", "charset=ISO-8859-1").encode("iso-8859-1", "replace"),
        "a byte no character in a comment": good.read_bytes() + b"\n# \xff\n",  # U+FFFD, as gettext reads it
        "a byte no character in a string": good.read_bytes() + b'\nmsgid "x"\nmsgstr "\xff"\n',
        "damaged": good.read_bytes() + b'\nmsgid "a"\n',
        "empty": b"",
    }
    paths = {name: folder / f"{name}.po" for name in files}
    for name, data in files.items():
        paths[name].write_bytes(data)
    paths["missing"] = folder / "missing.po"
    paths["folder"] = folder / "folder.po"
    paths["folder"].mkdir()
    readable = ("good", "bom-crlf", "latin-1", "a byte no character in a comment", "empty", "missing")
    for name, path in paths.items():
        results: list[tuple[object, ...]] = []
        for read in (read_whole, rendering._usable):
            try:
                results.append(("ok", list(read(proj, path).items())))
            except CatalogError as exc:
                results.append(("CatalogError", str(exc), exc.path, exc.line))
        assert results[0] == results[1], name
        assert (results[0][0] == "ok") == (name in readable), (name, results[0])
    translations = rendering._usable(proj, paths["good"])
    assert len(translations) > 10 and rendering._usable(proj, paths["missing"]) == {}
    assert rendering._usable(proj, paths["bom-crlf"]) == translations
    assert rendering._usable(proj, paths["a byte no character in a comment"]) == translations
    with pytest.raises(CatalogError) as raised:
        rendering._usable(proj, paths["a byte no character in a string"])
    assert str(raised.value).startswith(f"locales/fr/LC_MESSAGES/{paths['a byte no character in a string'].name}:")
    assert raised.value.line == text.count("\n") + 3
