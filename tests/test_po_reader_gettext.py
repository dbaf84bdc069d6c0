"""l10n.po.reader against GNU gettext itself: ``msgfmt -c -o x.mo FILE`` and ``msgunfmt x.mo``.

For each file: where msgfmt's reader refuses it (a lexer or grammar error, not one of the
checks -c adds: duplicates, format strings, header fields, newlines), :func:`read` raises a
CatalogError on the line gettext names first; where msgfmt accepts it, :func:`read` reads
it, and the messages msgfmt compiled (msgunfmt prints them as PO, which we read) are our
catalogue's live, non-fuzzy messages whose first translation is not empty (what msgfmt
compiles), with the header. Files: the sample project's catalogues, the catalogues extract
writes for corpus pages, random and damaged catalogues, in CRLF, with a BOM (which gettext
0.21 refuses and we skip: msgfmt gets the file without it), in ISO-8859-1 and EUC-JP.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n import project
from l10n.errors import CatalogError, L10nError
from l10n.po import charsets
from l10n.po.convert import to_polib
from l10n.po.model import Catalog, Message
from l10n.po.reader import read

from .conftest import REPO, corpus_pages, need
from .test_po_reader import catalogs, damage

# The errors of gettext's reader (po-lex.c, po-gram-gen.y, msgfmt's domain check), each
# with the kind we compare: the wording of a syntax error and of a multibyte error differs.
READER_ERRORS = {
    "syntax error": "syntax",
    "end-of-line within string": "eol",
    "end-of-file within string": "eof",
    "invalid control sequence": "escape",
    "unknown": "keyword",
    "invalid multibyte sequence": "bytes",
    "incomplete multibyte sequence": "bytes",
    "context separator <EOT> within string": "eot",
    "inconsistent use of #~": "obsolete",
    "missing 'msgstr' section": "msgstr",
    "missing 'msgstr[]' section": "msgstr[]",
    "missing 'msgid_plural' section": "msgid_plural",
    "first plural form has nonzero index": "index",
    "plural form has wrong index": "index",
    "directive": "domain",
}
Key = tuple[str | None, str, str | None, tuple[str, ...]]


def kind(message: str) -> str | None:
    return next((kind for words, kind in READER_ERRORS.items() if words in message), None)


@dataclass
class Verdict:
    """What GNU gettext made of a file."""

    compiled: bool  # msgfmt -c succeeded
    error: tuple[int, str] | None  # the first error of its reader: line, kind
    messages: list[Key] | None  # what msgunfmt printed, read by us
    stderr: str


def gettext(data: bytes, where: Path) -> Verdict:
    msgfmt, msgunfmt = need("msgfmt"), need("msgunfmt")
    (where / "in.po").write_bytes(data)
    done = subprocess.run([msgfmt, "-c", "-o", "x.mo", "in.po"], cwd=where, capture_output=True)
    stderr = done.stderr.decode("utf-8", "replace")
    errors = [
        (int(found.group(1)), kind(found.group(2)))
        # a message runs to the next one (a domain name can hold a line end)
        for found in re.finditer(r"^in\.po:(\d+):(?:\d+:)? (.*?)(?=^\S*in\.po:|^\S*msgfmt:|\Z)", stderr, re.M | re.S)
        if kind(found.group(2)) is not None
    ]
    error = (errors[0][0], str(errors[0][1])) if errors else None
    messages = None
    if done.returncode == 0:
        printed = subprocess.run([msgunfmt, "--force-po", "x.mo"], cwd=where, capture_output=True)
        try:  # msgunfmt 0.21 aborts on some bytes that are no character, or prints them raw
            compiled = read(printed.stdout) if printed.returncode == 0 else None
        except CatalogError:
            compiled = None
        if compiled is not None:
            messages = sorted((key(m) for m in (compiled.header, *compiled)), key=repr)
        (where / "x.mo").unlink()
    return Verdict(done.returncode == 0, error, messages, stderr)


def key(message: Message) -> Key:
    return (message.msgctxt, message.msgid, message.msgid_plural, message.translations)


def compiled_by_msgfmt(catalog: Catalog) -> list[Key]:
    """The messages msgfmt writes in a .mo: live, not fuzzy, a first translation (msgfmt.c);
    the header, fuzzy or not, without its POT-Creation-Date (write-mo.c drops it)."""
    kept = [m for m in catalog if not m.obsolete and not m.fuzzy and m.translations[0]]
    header = catalog.header
    if header.translations[0]:
        fields = re.sub(r"^POT-Creation-Date:.*\n?", "", header.msgstr, flags=re.MULTILINE)
        kept.append(replace(header, msgstr=fields, plural_forms=()))
    return sorted((key(m) for m in kept), key=repr)


def without_replacements(keys: list[Key]) -> list[Key]:
    def clean(text: str) -> str:
        return text.replace("\ufffd", "")

    return sorted(
        (
            (
                None if context is None else clean(context),
                clean(msgid),
                None if plural is None else clean(plural),
                tuple(map(clean, forms)),
            )
            for context, msgid, plural, forms in keys
        ),
        key=repr,
    )


def agree(data: bytes, where: Path, gettext_data: bytes | None = None) -> Verdict:
    """Assert that read(data) and gettext agree on the file; return gettext's verdict."""
    verdict = gettext(data if gettext_data is None else gettext_data, where)
    try:
        catalog = read(data, "in.po")
    except CatalogError as error:
        assert verdict.error is not None, f"gettext reads what we refuse: {error}\n{verdict.stderr}"
        assert (error.line, kind(error.message)) == verdict.error, f"{error}\n{verdict.stderr}"
        return verdict
    assert verdict.error is None, f"we read what gettext refuses:\n{verdict.stderr}"
    header = catalog.header.translations[0]
    if verdict.messages is not None and charsets.canonical_name(charsets.charset_named(header)) is not None:
        # (without a charset gettext knows, msgunfmt prints what is not ASCII as it can)
        ours = compiled_by_msgfmt(catalog)
        if b"\xef\xbf\xbd" not in data:  # a byte that is no character: ours U+FFFD, msgunfmt drops it
            ours = without_replacements(ours)
        assert ours == verdict.messages
    return verdict


# -- the sample project and the corpus ----------------------------------------------------


def translated(catalog: Catalog) -> Catalog:
    """The catalogue with every message translated (keeping the newlines msgfmt -c compares)."""

    def made(text: str) -> str:
        body = text.rstrip("\n")
        return body + " ·tr·" + text[len(body) :] if text else "·tr·"

    def filled(message: Message) -> Message:
        if message.msgid_plural is not None:
            forms = (made(message.msgid), *(made(message.msgid_plural) for _ in message.plural_forms[1:]))
            return replace(message, plural_forms=forms)
        return replace(message, msgstr=made(message.msgid))

    return replace(catalog, messages=tuple(filled(m) for m in catalog))


SAMPLES = sorted((REPO / "locales").glob("**/*.po*"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SAMPLES, ids=[str(p.relative_to(REPO)) for p in SAMPLES])
def test_the_sample_catalogues(path: Path, tmp_path: Path) -> None:
    data = path.read_bytes()
    verdict = agree(data, tmp_path)
    assert verdict.compiled and verdict.messages is not None
    assert agree(str(to_polib(translated(read(data)))).encode(), tmp_path).messages


PAGES = corpus_pages()[:12]


@pytest.fixture(scope="module")
def corpus_catalogues(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("corpus")
    (root / "articles").mkdir()
    for page in PAGES:
        shutil.copy(page, root / "articles" / page.name)
    (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr", "es"]\n', encoding="utf-8")
    problems: list[L10nError] = []
    project.extract(project.open_project(root), [], problems.append)
    assert problems == []
    return sorted(root.glob("locales/**/*.po*"))


@pytest.mark.slow
@pytest.mark.skipif(not PAGES, reason="shared corpus not beside the repo")
def test_the_catalogues_extract_writes_for_corpus_pages(corpus_catalogues: list[Path], tmp_path: Path) -> None:
    assert len(corpus_catalogues) == 3 * len(PAGES)
    for path in corpus_catalogues:
        data = path.read_bytes()
        assert agree(data, tmp_path).compiled, path
        verdict = agree(str(to_polib(translated(read(data)))).encode(), tmp_path)
        assert verdict.compiled and verdict.messages and len(verdict.messages) > 1, path


# -- random, damaged, encoded ------------------------------------------------------------


def compilable(catalog: Catalog) -> Catalog:
    """The catalogue without what msgfmt -c refuses beyond syntax: format flags (random text
    is no valid format string), a msgid_plural or translation that does not begin and end
    with a newline where its msgid does."""

    def like(text: str, model: str) -> str:
        text = text.strip("\n")
        if not text:
            return text  # untranslated: not checked
        return ("\n" if model.startswith("\n") else "") + text + ("\n" if model.endswith("\n") else "")

    def kept(message: Message) -> Message:
        flags = tuple(flag for flag in message.flags if not flag.endswith("-format"))
        forms = tuple(like(form, message.msgid) for form in message.plural_forms)
        if forms and forms[0]:  # msgfmt checks every form of a translated message
            forms = tuple(form or like("x", message.msgid) for form in forms)
        plural = message.msgid_plural and like(message.msgid_plural.strip("\n") or "p", message.msgid)
        msgstr = like(message.msgstr, message.msgid)
        return replace(message, msgstr=msgstr, msgid_plural=plural, plural_forms=forms, flags=flags)

    return replace(catalog, messages=tuple(kept(m) for m in catalog))


FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@FEW
@given(catalog=catalogs())
def test_random_catalogues(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> None:
    where = tmp_path_factory.mktemp("random")
    verdict = agree(str(to_polib(compilable(catalog))).encode(), where)
    assert verdict.compiled, verdict.stderr


@pytest.mark.slow
@FEW
@given(catalog=catalogs(), data=st.data())
def test_damaged_catalogues(catalog: Catalog, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory) -> None:
    agree(damage(str(to_polib(compilable(catalog))).encode(), data), tmp_path_factory.mktemp("damaged"))


# Pieces of PO syntax, right and wrong, thrown together: where each error is found first.
PIECES = [
    *("msgid", "msgstr", "msgctxt", "msgid_plural", "msgstr[0]", "msgstr[1]", "[", "]", "0", "domain", "x"),
    *('"a"', '"b\\n"', '""', '"unterminated', '"\\q"', '"\\x41"', '"\\303\\251"', '"é"', '"\\004"'),
    *("#~", "#|", "#~|", "# c", "#, fuzzy", "#: a.c:1", "#", "##", "#.x", "\udcff"),  # (a byte that is no UTF-8)
    *("\n", "\n", "\n", " ", "\t", "\\\n", "\r\n"),
]
HEAD = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=n>1;\\n"\n\n'
)


@FEW
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=25), head=st.booleans())
def test_syntax_thrown_together(pieces: list[str], head: bool, tmp_path_factory: pytest.TempPathFactory) -> None:
    body = "".join(piece if piece.isspace() or piece == "\\\n" else piece + " " for piece in pieces)
    agree(((HEAD if head else "") + body).encode("utf-8", "surrogateescape"), tmp_path_factory.mktemp("soup"))


DAMAGED = [
    'msgid "a"\nmsgstr "b\n',
    'msgid "a"\nmsgstr "b',
    'msgid "a"\n\nmsgid "b"\nmsgstr ""\n',
    'msgid "a"\nmsgid_plural "b"\n# c\nmsgstr[0] "c"\n',
    'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "c"\nmsgstr[2] "d"\n',
    'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "c"\n\nmsgid "x"\nmsgstr[0] "y"\n',
    'msgid "a"\nmsgstr[0] "c"\n',
    'msgid "a"\nmsgstr "\\q"\n',
    'msgid "a"\nmsgstr "\\x"\n',
    'msgid "a"\nmsgstr "\\004"\n',
    'msgid "a"\nmsgstr "b"\n"c" msgstr\n',
    '#~ msgid "a"\nmsgstr "b"\n',
    '#~ msgid "a"\n#~ msgstr "b"\n"c"\n',
    '#| msgid "a"\n# c\nmsgid "b"\nmsgstr ""\n',
    '#| msgctxt "a"\nmsgid "b"\nmsgstr ""\n',
    '#| msgstr "a"\nmsgid "b"\nmsgstr ""\n',
    '#| # comment\nmsgid "b"\nmsgstr ""\n',
    'msgctxt "a"\n# c\nmsgid "b"\nmsgstr ""\n',
    'msgid "a" msgstr "b" msgid "c" msgstr "d" ]',
    'domain "x"\nmsgid "a"\nmsgstr "b"\n',
    'msgid "a"\nmsgstr "b" \\\nmsgid "c" msgstr "d"\n',
    '# comment \\\nmsgid "a"\nmsgstr "b"\n',
    "msgid 'a'\n",
    'msgid "a"\nmsgstr "b"\n\n\xff\n',
    'msgid "a"\nmsgstr "\xc3"\n',
    'msgid "a"\nmsgstr "b"\n#\xff\n',
    'msgid "a"\nmsgstr "b"\n# \xff\nmsgid "c"\nmsgstr "d"\n',
    'msgid "a"\nmsgstr "\x00b"\n',
    "\x00",
    'msgid "a"\nmsgstr[0x1] "b"\n',
    'msgid "a"\nmsgid_plural "b"\nmsgstr[99999999999999999999999] "c"\n',
]


@pytest.mark.slow
@pytest.mark.parametrize("body", DAMAGED)
def test_deliberately_damaged_catalogues(body: str, tmp_path: Path) -> None:
    head = HEAD.encode()
    data = head + body.encode("latin-1")
    agree(data, tmp_path)
    agree(data.replace(b"\n", b"\r\n"), tmp_path)
    agree(body.encode("latin-1") + b"\n\n" + head, tmp_path)  # before the header: read raw


# Texts each of these charsets can hold.
REPERTOIRE = {
    "ISO-8859-1": st.characters(codec="latin-1", exclude_characters="\x00\x04"),
    "EUC-JP": st.sampled_from([*'abc xyz\n\t\\"日本語のテキスト、ソ表能予申〜ー', "\x7f"]),
}


@pytest.mark.slow
@FEW
@given(catalog=catalogs(), charset=st.sampled_from(sorted(REPERTOIRE)), data=st.data())
def test_crlf_bom_and_other_charsets(
    catalog: Catalog, charset: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    where = tmp_path_factory.mktemp("charsets")
    texts = st.text(REPERTOIRE[charset], max_size=12)

    def recoded(message: Message) -> Message:
        """The message's structure, with texts in the charset's repertoire."""
        forms = tuple(data.draw(texts) for _ in message.plural_forms)
        return Message(
            data.draw(texts),
            "" if forms else data.draw(texts),
            None if message.msgctxt is None else data.draw(texts),
            None if message.msgid_plural is None else data.draw(texts.filter(bool)),
            forms,
            data.draw(st.sampled_from(["", "a comment"])),
            flags=message.flags,
            obsolete=message.obsolete,
        )

    messages = {key(m)[:2]: recoded(m) for m in catalog}
    fields = catalog.header.msgstr.replace("charset=UTF-8", f"charset={charset}")
    header = replace(catalog.header, msgstr=fields, translator_comments="")
    recatalogued = compilable(Catalog(tuple(m for m in messages.values() if m.msgid), header, charset))
    unique = {m.key: m for m in recatalogued}
    text = str(to_polib(replace(recatalogued, messages=tuple(unique.values()))))
    encoded = text.encode(charset)
    lines = data.draw(st.sampled_from(["\n", "\r\n"]))
    encoded = encoded.replace(b"\n", lines.encode())
    verdict = agree(encoded, where)
    assert verdict.compiled, verdict.stderr
    assert read(encoded).charset == charset


@pytest.mark.slow
@FEW
@given(catalog=catalogs())
def test_a_bom(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> None:
    data = str(to_polib(compilable(catalog))).encode()
    # gettext 0.21 refuses a BOM ("syntax error" on line 1); we skip it: msgfmt gets the file without
    verdict = agree(b"\xef\xbb\xbf" + data, tmp_path_factory.mktemp("bom"), gettext_data=data)
    assert verdict.compiled, verdict.stderr
    assert read(b"\xef\xbb\xbf" + data) == read(data)
