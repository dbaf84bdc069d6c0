"""po_read.read against the pipeline it replaced: the same POFile, field by field, and the same errors.

The reference is the former pipeline, kept in po_read as the fallback for unusual input:
its line checker ``_checked`` (joins continuation strings, refuses unterminated strings
and a msgid without msgstr), then ``polib.pofile`` on the joined text, then line numbers
mapped back. It does not go through the one-pass reader under test.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from l10n import po_read
from l10n.catalog import dumps
from l10n.errors import CatalogError

REPO = Path(__file__).resolve().parent.parent

# --- the reference: the former pipeline --------------------------------------------------


def reference_read(text: str, path: str) -> polib.POFile:
    """The checker, then polib's parser: what read() did before, and still does for what
    its one pass leaves (po_read._read_reference, the same code, kept as that fallback)."""
    return po_read._read_reference(text.lstrip("\ufeff").replace("\r\n", "\n"), path)


# --- comparing ---------------------------------------------------------------------------

ENTRY_FIELDS = (
    "msgid",
    "msgstr",
    "msgid_plural",
    "msgstr_plural",
    "msgctxt",
    "occurrences",
    "comment",
    "tcomment",
    "flags",
    "previous_msgctxt",
    "previous_msgid",
    "previous_msgid_plural",
    "obsolete",
    "linenum",
    "encoding",
)


def typed(value: Any) -> Any:
    """A value with the types of everything in it, so that 0 and False or 1 and True differ."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [typed(v) for v in value])
    return (type(value).__name__, value)


def snapshot(po: polib.POFile) -> list[Any]:
    """Everything a caller can see of a parsed catalogue."""
    whole = typed(
        {
            "type": type(po).__name__,
            "header": po.header,
            "metadata": po.metadata,
            "metadata_is_fuzzy": po.metadata_is_fuzzy,
            "wrapwidth": po.wrapwidth,
            "encoding": po.encoding,
            "fpath": po.fpath,
            "check_for_duplicates": po.check_for_duplicates,
        }
    )
    entries = [
        (type(e).__name__, list(vars(e)), [(name, typed(getattr(e, name))) for name in ENTRY_FIELDS]) for e in po
    ]
    return [whole, *entries]


def outcome(read: Callable[[str, str], polib.POFile], text: str) -> Any:
    try:
        po = read(text, "x.po")
    except CatalogError as exc:
        return ("CatalogError", exc.message, exc.path, exc.line)
    except Exception as exc:  # the reference let some through; so must the new reader
        return (type(exc).__name__, str(exc))
    return snapshot(po)


def assert_same(text: str) -> Any:
    expected = outcome(reference_read, text)
    got = outcome(po_read.read, text)
    if got != expected:
        note(f"text: {text!r}")
    assert got == expected
    return expected


def one_pass(text: str) -> polib.POFile:
    """The one-pass reader alone (no fallback to the former pipeline)."""
    return po_read._read_lines(text, "x.po")


# --- the catalogues of the repo ------------------------------------------------------------

REPO_CATALOGUES = sorted((REPO / "locales").rglob("*.po*"))


@pytest.mark.parametrize("path", REPO_CATALOGUES, ids=lambda p: str(p.relative_to(REPO)))
def test_the_repo_catalogues_read_as_before_in_one_pass(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = assert_same(text)
    assert isinstance(expected, list) and len(expected) > 1
    assert snapshot(one_pass(text)) == expected  # no fallback for what the tool writes
    assert_same("\ufeff" + text.replace("\n", "\r\n"))


def test_a_bom_and_crlf_read_the_same() -> None:
    text = (
        '# fr translation.\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. p\n#: a.html:3 b.html\n#, fuzzy\n#| msgid "olde"\nmsgid ""\n"a long "\n"text"\n'
        'msgstr ""\n"un "\n"texte"\n\n'
        '#~ msgid "gone"\n#~ msgstr "parti"\n'
    )
    plain = snapshot(po_read.read(text, "x.po"))
    assert snapshot(po_read.read("\ufeff" + text.replace("\n", "\r\n"), "x.po")) == plain
    assert plain == snapshot(reference_read("\ufeff" + text.replace("\n", "\r\n"), "x.po"))
    po = po_read.read("\ufeff" + text.replace("\n", "\r\n"), "x.po")
    assert po.header == "fr translation."
    assert list(po.metadata) == ["Language", "Content-Type"]
    (entry, gone) = po
    assert (entry.msgid, entry.msgstr, entry.previous_msgid) == ("a long text", "un texte", "olde")
    assert entry.flags == ["fuzzy"] and vars(po)["metadata_is_fuzzy"] == []  # polib's: the header's flags
    assert entry.occurrences == [("a.html", "3"), ("b.html", "")] and entry.linenum == 7
    assert gone.obsolete and gone.msgstr == "parti"


def test_entries_are_made_as_polib_makes_them() -> None:
    made = po_read._entry(12)
    model = polib.POEntry(linenum=12)
    assert type(made) is polib.POEntry and list(vars(made)) == list(vars(model)) and vars(made) == vars(model)
    other = po_read._entry(3)
    for name, value in vars(made).items():  # no list or dict shared between entries
        assert not isinstance(value, list | dict | set) or value is not vars(other)[name], name


# --- errors and unusual layouts ------------------------------------------------------------

HEAD = 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
ERRORS = {
    "unterminated msgstr": (HEAD + 'msgid "a"\nmsgstr "b\n', "unterminated string", 6),
    "unterminated continuation": (HEAD + 'msgid "a"\nmsgstr ""\n"b\n', "unterminated string", 7),
    "unterminated obsolete": (HEAD + '#~ msgid "a\n#~ msgstr "b"\n', "unterminated string", 5),
    "unterminated previous": (HEAD + '#| msgid "a\nmsgid "a"\nmsgstr "b"\n', "unterminated string", 5),
    "two strings on a line": (HEAD + 'msgid "a" "b"\nmsgstr "b"\n', "unterminated string", 5),
    "unknown keyword": (HEAD + 'msgid "a"\nmsgstr "b"\nnonsense\n', "cannot read 'nonsense'", 7),
    "torn keyword": (HEAD + 'msgid "a"\nmsgs', "cannot read 'msgs'", 6),
    "keyword without string": (HEAD + 'msgid "a"\nmsgstr\n', "cannot read 'msgstr'", 6),
    "unknown previous keyword": (HEAD + '#| msgstr "a"\nmsgid "a"\nmsgstr "b"\n', "Syntax error in po file", 5),
    "msgid without msgstr": (HEAD + 'msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', "msgid without msgstr", 5),
    "the file ends early": (HEAD + 'msgid "a"\n', "msgid without msgstr (the file ends early)", 5),
    "a msgid continued after the end": (HEAD + 'msgid "a"\n"b"\n', "msgid without msgstr (the file ends early)", 5),
    "string after a comment": (HEAD + '#. c\n"b"\nmsgid "a"\nmsgstr "b"\n', "Syntax error in po file", 6),
    "plural after msgstr": (HEAD + 'msgid "a"\nmsgstr "b"\nmsgid_plural "c"\n', "Syntax error in po file", 7),
    "bad comment": (HEAD + '#x\nmsgid "a"\nmsgstr "b"\n', "Syntax error in po file", 5),
    "lone obsolete mark": (HEAD + '#~\nmsgid "a"\nmsgstr "b"\n', "Syntax error in po file", 5),
    "obsolete msgid without msgstr": (HEAD + '#~ msgid "a"\nmsgid "b"\nmsgstr "c"\n', "Syntax error in po file", 6),
    "comment after msgctxt": (HEAD + 'msgctxt "x"\n# c\nmsgid "a"\nmsgstr "b"\n', "Syntax error in po file", 6),
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_errors_are_those_of_the_former_reader(case: str) -> None:
    text, message, line = ERRORS[case]
    assert assert_same(text) == ("CatalogError", message, "x.po", line)
    assert assert_same(text.replace("\n", "\r\n")) == ("CatalogError", message, "x.po", line)


ODD = {
    "a comment ending in a quote, then a string": HEAD + '#. say "hi"\n"there"\nmsgid "a"\nmsgstr "b"\n',
    "obsolete comments and flags": HEAD + '#~ # old note\n#~ #, fuzzy\n#~ msgid "a"\n#~ msgstr "b"\n',
    "obsolete previous lines are skipped": HEAD + '#~| msgid "p"\n#~| "q"\n#~ msgid "a"\n#~ msgstr "b"\n',
    "a trailing #~| line drops the last entry": HEAD + 'msgid "a"\nmsgstr "b"\n#~| msgid "x"\n',
    "a trailing lone #. drops the last entry": HEAD + 'msgid "a"\nmsgstr "b"\n#.\n',
    "trailing comments": HEAD + 'msgid "a"\nmsgstr "b"\n\n# bye\n#. end\n',
    "msgstr[10] is read as msgstr[1]": HEAD + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[10] "y"\n',
    "unknown escapes stay": HEAD + 'msgid "a\\qb\\\\n\\a\\"c"\nmsgstr "\\t\\v\\b\\f\\r\\n\\\\"\n',
    "two headers": 'msgid ""\nmsgstr "A: 1\\n"\n\nmsgid ""\nmsgstr "B: 2\\n"\n\nmsgctxt "c"\nmsgid ""\nmsgstr "C"\n',
    "a header with context only": 'msgctxt "c"\nmsgid ""\nmsgstr "A: 1\\n"\n\nmsgid "a"\nmsgstr "b"\n',
    "no header, no blank lines": 'msgid "a"\nmsgstr "b"\nmsgid "c"\nmsgstr "d"\n',
    "header comments only": "# one\n#\n##two\n# three\n",
    "an empty file": "",
    "blank lines only": "\n  \n\t\n",
    "a comment between msgid and msgstr": HEAD + 'msgid "a"\n# c\nmsgstr "b"\n',
    "previous fields continued": HEAD + '#| msgctxt "c"\n#| msgid ""\n#| "p"\n"q"\n#| msgid_plural "r"\n'
    'msgid "a"\nmsgstr "b"\n',
    "trailing white space before a continuation": HEAD + 'msgid "a"  \n"b"\nmsgstr "c" \t\n  "d"\n',
    "a plural index in another script": HEAD + 'msgid "a"\nmsgid_plural "as"\nmsgstr[\u0663] "x"\n',
    "a trailing obsolete comment": HEAD + 'msgid "a"\nmsgstr "b"\n#~ # gone\n',
    "a charset split across strings": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; "\n"charset=UTF-8\\n"\n',
    "a charset run on by the next string": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8"\n"X\\n"\n',
    "a charset in a comment first": '# Content-Type: x charset=latin-1\nmsgid ""\nmsgstr "Content-Type: charset=x"\n',
    "a charset in an entry": HEAD + 'msgid "Content-Type: t; charset=ascii"\nmsgstr "a"\n',
    "odd white space": HEAD + '  msgid\t"a"  \nmsgstr   "b"\n#.\tc\n#:\ta:1\nmsgid "x"\nmsgstr "y"\n',
    "a comment-only entry at the end after msgctxt": HEAD + '#. c\nmsgctxt "x"\n',
    "occurrences": HEAD + '#: a.html:1 b.html c:d:2 e: :3 f:¹ g:٣\nmsgid "a"\nmsgstr "b"\n',
    "flags": HEAD + '#, fuzzy,, c-format ,x\n#, more\nmsgid "a"\nmsgstr "b"\n',
    "metadata continued": 'msgid ""\nmsgstr ""\n"A: 1\\n"\n"more\\n"\n"B:2\\n"\n"C: x: y\\n"\n',
    "a line separator in a string": HEAD + 'msgid "a\u2028b"\nmsgstr "c"\n',
    "a form feed in a comment": HEAD + '#. a\x0cb\nmsgid "a"\nmsgstr "c"\n',
    "a lone carriage return": HEAD + 'msgid "a"\rmsgstr "c"\n',
    "a bogus charset": 'msgid ""\nmsgstr "Content-Type: text/plain; charset=bogus\\n"\n',
    "a latin-1 charset": 'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n',
    "obsolete header": '#~ msgid ""\n#~ msgstr "A: 1\\n"\n\nmsgid "a"\nmsgstr "b"\n',
    "fuzzy header": '#, fuzzy\nmsgid ""\nmsgstr "A: 1\\n"\n',
}


@pytest.mark.parametrize("case", ODD, ids=list(ODD))
def test_unusual_layouts_read_as_before(case: str) -> None:
    assert_same(ODD[case])
    assert_same("\ufeff" + ODD[case].replace("\n", "\r\n"))


# --- generated catalogues ------------------------------------------------------------------

PIECES = [
    "a", "word", "Le ", "mot", " ", "  ", '"', "'", "\\", "\\n", "\\\\", '\\"', "\t", "\n", "\r", "\x0b", "\x0c",
    "\x08", "\x07", "é", "中文", "😀", "\u00a0", "%s", "%(n)d", "{x}", "<b1>", "</b1>", "#", "#~ ", "msgid ", ":",
    ",", "lorem ipsum dolor sit amet, consectetur adipiscing elit ",
]  # fmt: skip
RARE = ["\u2028", "\x85", "\x1c"]  # line breaks for str.splitlines(): the one-pass reader leaves them


def texts(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(PIECES), min_size=min_size, max_size=max_size).map("".join)


comments = st.lists(
    st.sampled_from(["", "a note", "  indented", "é 中", "tab\there", "x" * 90, "ends \\", '"quoted"', "#. x"]),
    max_size=3,
)
occurrences = st.lists(
    st.tuples(st.sampled_from(["a.html", "dir/b-c.html", "x:y", "ü.html", "C:\\d"]), st.sampled_from(["", "1", "42"])),
    max_size=6,
)
flags = st.lists(st.sampled_from(["fuzzy", "python-format", "c-format", "no-wrap", "range: 1..5"]), max_size=3)


@st.composite
def entries(draw: st.DrawFn) -> polib.POEntry:
    plural = draw(st.booleans())
    entry = polib.POEntry(
        msgid=draw(texts(min_size=draw(st.sampled_from([1, 1, 1, 0])))),
        msgctxt=draw(st.none() | texts(max_size=4)),
        occurrences=draw(occurrences),
        comment="\n".join(draw(comments)),
        tcomment="\n".join(draw(comments)),
        flags=draw(flags),
        previous_msgctxt=draw(st.none() | texts(max_size=3)),
        previous_msgid=draw(st.none() | texts(max_size=6)),
        obsolete=draw(st.booleans()),
    )
    if plural:
        entry.msgid_plural = draw(texts(max_size=6)) or "s"
        keys = draw(st.lists(st.sampled_from([0, 1, 2, 11]), min_size=1, max_size=3, unique=True))
        entry.msgstr_plural = {key: draw(texts(max_size=6)) for key in keys}
        entry.previous_msgid_plural = draw(st.none() | texts(max_size=3))
    else:
        entry.msgstr = draw(texts())
    return entry


@st.composite
def catalogues(draw: st.DrawFn) -> polib.POFile:
    po = polib.POFile(wrapwidth=draw(st.sampled_from([79, 30, 0])))
    po.header = "\n".join(draw(comments))
    po.metadata_is_fuzzy = draw(st.booleans())
    names = draw(st.lists(st.sampled_from(["Project-Id-Version", "Language", "X-Note", "Plural-Forms"]), unique=True))
    po.metadata = {name: draw(texts(max_size=3)) for name in names}
    if draw(st.booleans()):
        po.metadata["Content-Type"] = "text/plain; charset=" + draw(st.sampled_from(["UTF-8", "utf-8", "bogus"]))
    for entry in draw(st.lists(entries(), max_size=6)):
        po.append(entry)
    if po and draw(st.integers(0, 9)) == 0:  # now and then a line break only str.splitlines() sees
        po[-1].msgid += draw(st.sampled_from(RARE))
    return po


def written(po: polib.POFile) -> dict[str, str]:
    """The catalogue as our writer and as polib's writes it (when it can be written)."""
    out = {"polib": str(po)}
    with contextlib.suppress(CatalogError):  # NUL/EOT in a string, an empty msgid without context...
        out["dumps"] = dumps(po)
    return out


@given(catalogues())
def test_generated_catalogues_read_as_before(po: polib.POFile) -> None:
    for writer, text in written(po).items():
        note(f"{writer}: {text!r}")
        expected = assert_same(text)
        assert_same("\ufeff" + text.replace("\n", "\r\n"))
        if writer == "dumps" and not any(mark in text for mark in po_read._OTHER_BREAKS):
            assert snapshot(one_pass(text)) == expected  # what our writer writes needs no fallback


TRICKY = [
    "", "  ", "#", "#~", "#~|", "#|", "#.", "#:", "#,", "# c", "##c", "#x", "#.x", "#\tc", "#~ #~ x",
    "#~ #| msgid \"p\"", '"x"', '"un', 'msgid "a"', 'msgid  "a"', 'msgid\t"a"', 'msgstr "b"', 'msgstr[0] "b"',
    "msgstr[x] \"b\"",
    'msgstr[10] "b"', 'msgctxt "c"', 'msgid_plural "p"', '#~ msgid "o"', '#~ msgstr "o"', '#~ "o"', '#| msgid "p"',
    '#| "q"', '#|\tmsgid "p"', '#~| msgid "p"', '#~|\tx"', '#. say "x"', "foo", "#~ foo", 'msgstr "a" "b"',
    'msgid "\\"', '#| msgstr "s"', "#, fuzzy", "#: a.html:1", '  msgstr "b"  ', 'msgid ""',
]  # fmt: skip


@given(catalogues(), st.data())
def test_damaged_catalogues_read_or_fail_as_before(po: polib.POFile, data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(sorted(written(po).values())))
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(lines)))
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "obsolete", "chop", "cut"]))
        if action == "insert":
            lines.insert(at, data.draw(st.sampled_from(TRICKY)))
        elif at == len(lines):
            continue
        elif action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "obsolete":
            lines[at] = "#~ " + lines[at]
        elif action == "chop":
            lines[at] = lines[at][: data.draw(st.integers(0, len(lines[at])))]
        else:
            lines = lines[: at + 1]
    assert_same("\n".join(lines))
