"""The reader behind the pipeline: ``catalog.read`` and ``project.read_catalog``
(l10n.po.reader, a Catalog of l10n.po.model).

What the reader reads is tests/test_po_reader*.py's (held to GNU gettext there); here,
what extract, status, check and pseudo get of a file: the model's fields they use, each
message's first line in ``Message.line``, our own catalogues read back as written, a file
in another charset, and errors naming the file and gettext's line.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from l10n import catalog, kept, project
from l10n.errors import CatalogError
from l10n.po.convert import from_polib, to_polib
from l10n.po.writer import write
from l10n.project.files import digest_of, write_atomic

from .conftest import dumps

REPO = Path(__file__).resolve().parent.parent
REPO_CATALOGUES = sorted((REPO / "locales").rglob("*.po*")) + sorted((REPO / "tests" / "data").rglob("*.po*"))


def first_lines(text: str) -> list[int]:
    """Where each entry of *text* starts, found without a PO reader: the first comment or
    keyword line after a msgstr (strings and blank lines continue what they follow)."""
    starts: list[int] = []
    after_msgstr = True
    for number, line in enumerate(text.split("\n"), 1):
        body = line.strip()
        if body.startswith("#~") and not body.startswith("#~|"):
            body = body[2:].strip()
        if not body or body.startswith('"'):
            continue
        if body.startswith("msgstr"):
            after_msgstr = True
        elif after_msgstr:
            starts.append(number)
            after_msgstr = False
    return starts


@pytest.mark.parametrize("path", REPO_CATALOGUES, ids=lambda p: str(p.relative_to(REPO)))
def test_our_catalogues_read_back_as_written_with_each_entry_at_its_first_line(path: Path) -> None:
    data = path.read_bytes()
    text = data.decode("utf-8")
    po = catalog.read(data, path.name)
    assert len(po) > 0
    assert dumps(po) == text  # what extract writes reads back to itself: a second run rewrites nothing
    assert [entry.line for entry in po] == first_lines(text)[1:]  # the header is not an entry
    crlf = catalog.read(b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), path.name)
    assert dumps(crlf) == text and [e.line for e in crlf] == [e.line for e in po]


def test_what_the_pipeline_gets_of_a_file() -> None:
    text = (
        '# fr translation.\n#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#. p\n#: a.html:3 b.html\n#, fuzzy, c-format\n#| msgid "olde"\nmsgid ""\n"a long "\n"text"\n'
        'msgstr ""\n"un "\n"texte"\n\n'
        'msgctxt "menu"\nmsgid "File"\nmsgid_plural "Files"\nmsgstr[0] "Fichier"\nmsgstr[1] "Fichiers"\n\n'
        '#~ msgid "gone"\n#~ msgstr "parti"\n'
    )
    for data in (text, text.encode(), b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()):
        po = catalog.read(data, "x.po")
        assert po.header.translator_comments == "fr translation." and po.header.fuzzy
        assert po.metadata == {"Language": "fr", "Content-Type": "text/plain; charset=UTF-8"}
        (entry, plural, gone) = po
        assert (entry.msgid, entry.msgstr, entry.previous_msgid) == ("a long text", "un texte", "olde")
        assert entry.flags == ("fuzzy", "c-format") and entry.fuzzy and entry.extracted_comments == "p"
        assert entry.references == (("a.html", "3"), ("b.html", "")) and entry.line == 8
        forms = ("Fichier", "Fichiers")
        assert (plural.msgctxt, plural.msgid_plural, plural.plural_forms) == ("menu", "Files", forms)
        assert plural.msgstr == "" and plural.line == 19
        assert gone.obsolete and gone.msgstr == "parti" and gone.line == 25


def test_duplicates_are_reported_at_their_first_lines() -> None:
    """kept.duplicates names entries by ``Message.line``: the first line of each, as in the file."""
    text = (
        'msgid ""\nmsgstr "Language: fr\\n"\n\n#. c\nmsgid "a"\nmsgstr "1"\n\n'
        '# note\n#. c\nmsgid "a"\nmsgstr "2"\n\nmsgid ""\nmsgstr "second"\n'
    )
    problems = kept.duplicates(catalog.read(text, "x.po"))
    assert [(problem.line, problem.message.split(":")[0]) for problem in problems] == [
        (8, 'duplicate of the entry at line 4 (msgid "a")'),
        (13, "a second header (an entry with an empty msgid and no msgctxt)"),
    ]


# --- read_catalog: files ----------------------------------------------------------------------------


@pytest.fixture()
def proj(tmp_path: Path) -> project.Project:
    (tmp_path / "articles").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    return project.open_project(tmp_path)


LATIN = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n# été\nmsgid "summer"\nmsgstr "été ½"\n'


def test_a_catalogue_in_another_charset_is_read_and_its_bytes_are_what_a_write_compares(
    proj: project.Project,
) -> None:
    path = proj.root / "x.po"
    path.write_bytes(LATIN.encode("iso-8859-1"))
    data, po = project.read_catalog(proj, path)
    assert data == LATIN.encode("iso-8859-1") and po is not None
    (entry,) = po
    assert (entry.translator_comments, entry.msgstr, po.charset) == ("été", "été ½", "ISO-8859-1")
    # the digest of what was read is what write_atomic compares: unchanged, the write goes
    # through; changed meanwhile (here only its line ends), it does not
    assert write_atomic(path, write(po), based_on=digest_of(data))
    assert path.read_bytes().decode("utf-8") == write(po)
    data, _ = project.read_catalog(proj, path)
    path.write_bytes(data.replace(b"\n", b"\r\n"))  # type: ignore[union-attr]
    assert not write_atomic(path, "changed", based_on=digest_of(data))
    assert path.read_bytes() == data.replace(b"\n", b"\r\n")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n', "x.po:6: end-of-line within string"),
        (b'msgid "a"\nmsgstr "b"\nmsgid "c"\n', "x.po:3: missing 'msgstr' section"),  # a file cut short
        (LATIN.replace("ISO-8859-1", "UTF-8").encode("iso-8859-1"), "x.po:6: "),  # not UTF-8, as the header says
        (LATIN.replace("ISO-8859-1", "VISCII").encode("iso-8859-1"), 'x.po:1: the charset "VISCII" is not supported'),
    ],
)
def test_a_catalogue_gettext_refuses_is_one_error_on_its_line(proj: project.Project, data: bytes, said: str) -> None:
    path = proj.root / "x.po"
    path.write_bytes(data)
    with pytest.raises(CatalogError) as raised:
        project.read_catalog(proj, path)
    assert str(raised.value).startswith(said) and raised.value.path == "x.po"


def test_no_file_and_a_file_that_cannot_be_read(proj: project.Project) -> None:
    assert project.read_catalog(proj, proj.root / "missing.po") == (None, None)
    (proj.root / "folder.po").mkdir()
    with pytest.raises(CatalogError) as raised:
        project.read_catalog(proj, proj.root / "folder.po")
    assert str(raised.value) == "folder.po: cannot read: Is a directory"


# --- generated catalogues -------------------------------------------------------------------------

PIECES = [
    "a", "word", "Le ", "mot", " ", "  ", '"', "'", "\\", "\\n", "\\\\", '\\"', "\t", "\n", "\r", "\x0b", "\x0c",
    "\x08", "\x07", "é", "中文", "😀", "\u00a0", "%s", "{x}", "<b1>", "</b1>", "#", "#~ ", "msgid ", ":", ",",
    "\u2028", "\x85", "\x1c", "lorem ipsum dolor sit amet, consectetur adipiscing elit ",
]  # fmt: skip


def texts(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(PIECES), min_size=min_size, max_size=max_size).map("".join)


@st.composite
def catalogues(draw: st.DrawFn) -> polib.POFile:
    """Catalogues as merge makes them: a header, then entries with comments, references,
    flags, previous msgids, some obsolete."""
    po = polib.POFile(wrapwidth=79)
    po.header = draw(st.sampled_from(["", "fr translation of x.", "a\nb"]))
    note = draw(texts(max_size=3)).strip()  # header values are read stripped, by polib as by gettext's tools
    po.metadata = {"Language": "fr", "Content-Type": "text/plain; charset=UTF-8", "X-Note": note}
    for _ in range(draw(st.integers(0, 6))):
        po.append(
            polib.POEntry(
                msgid=draw(texts(min_size=1)),
                msgstr=draw(texts()),
                occurrences=draw(st.lists(st.tuples(st.sampled_from(["a.html", "dir/b c.html"]), st.just("3")))),
                comment=draw(st.sampled_from(["", "p", "img alt\n<a1>: a link"])),
                tcomment=draw(st.sampled_from(["", "a note", "Translation memory: x"])),
                flags=draw(st.sampled_from([[], ["fuzzy"], ["fuzzy", "c-format"]])),
                previous_msgid=draw(st.none() | texts(min_size=1, max_size=4)),
                obsolete=draw(st.integers(0, 4)) == 0,
            )
        )
    return po


@given(catalogues())
def test_what_our_writer_writes_reads_back_to_the_same_text(po: polib.POFile) -> None:
    try:
        text = dumps(po)
    except CatalogError:  # what our writer refuses to write
        return
    note(repr(text))
    assert dumps(catalog.read(text.encode(), "x.po")) == text


# --- what the pipeline writes of a catalogue it read ----------------------------------------------

ODD_CATALOGUES = [
    # the header's flags but fuzzy, its previous msgid, and a field without a value
    '# Claire\n#, fuzzy, no-wrap\n#| msgid "x"\nmsgid ""\nmsgstr ""\n"Language: fr\\n"\n"X-Empty:\\n"\n\n'
    'msgid "a"\nmsgstr "b"\n',
    # an empty msgid_plural, live and obsolete
    'msgid ""\nmsgstr "Language: fr\\n"\n\nmsgid "one"\nmsgid_plural ""\nmsgstr[0] "un"\nmsgstr[1] "des"\n\n'
    '#~ msgid "gone"\n#~ msgid_plural ""\n#~ msgstr[0] "parti"\n',
    # a field continued on a second line, values with white space around them
    'msgid ""\nmsgstr ""\n"Language:  fr \\n"\n"X-Long: a\\n"\n"b\\n"\n\n#, c-format\nmsgid "%d"\nmsgstr "%d"\n',
]


@pytest.mark.parametrize("text", ODD_CATALOGUES + [path.read_text("utf-8") for path in REPO_CATALOGUES[:3]])
def test_a_catalogue_read_is_written_as_the_polib_round_trip_wrote_it(text: str) -> None:
    """catalog.as_written: pseudo fills what it read and writes it; it wrote the catalogue
    converted to polib and back, and must keep writing the same bytes."""
    read = catalog.read(text, "x.po")
    assert write(catalog.as_written(read)) == write(from_polib(to_polib(read)))
