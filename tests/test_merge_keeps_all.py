"""catalog.merge keeps every translation of a catalogue gettext itself would refuse.

Translators' files are hand-edited or come from other tools: two entries with the same
msgid (and msgctxt), an obsolete copy of a live entry, entries with a msgctxt our
templates never use, plural entries. The merge keeps each translation (as the entry's
translation, a fuzzy suggestion, or a ``# Kept translation (...): "..."`` comment) and
writes a file ``msgfmt -c`` accepts; :func:`catalog.duplicates` reports each duplicate
with its line. The old catalogues here are PO text read by ``catalog.read`` (the reader,
then the conversion to polib), as ``extract`` reads them, so the lines are the file's.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n import catalog
from l10n.errors import CatalogError
from l10n.locale import parse_locale
from l10n.po.convert import from_polib, to_polib
from l10n.po.model import Catalog
from l10n.po.writer import write

from .conftest import need

FRENCH = parse_locale("fr")
HEADER = (
    "# French translation of a story.\n"
    'msgid ""\n'
    'msgstr ""\n'
    '"Project-Id-Version: story\\n"\n'
    '"Report-Msgid-Bugs-To: \\n"\n'
    '"POT-Creation-Date: 2024-03-05 08:00+0000\\n"\n'
    '"PO-Revision-Date: 2024-03-06 09:30+0000\\n"\n'
    '"Last-Translator: Claire <claire@example.org>\\n"\n'
    '"Language-Team: French\\n"\n'
    '"Language: fr\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
    f'"Plural-Forms: {FRENCH.plural_forms}\\n"\n'
)


def old(body: str) -> Catalog:
    return catalog.read(HEADER + "\n" + body, "old.po")


def template(*msgids: str) -> Catalog:
    pot = polib.POFile(wrapwidth=79)
    pot.metadata = {"Project-Id-Version": "story", "POT-Creation-Date": "2024-03-05 08:00+0000"}
    for number, msgid in enumerate(msgids, 1):
        pot.append(polib.POEntry(msgid=msgid, occurrences=[("articles/story.html", str(number))], comment="p"))
    return from_polib(pot)


def merged(pot: Catalog, po: Catalog | None) -> tuple[polib.POFile, str]:
    """The merged catalogue as written, and as read back (by our reader, seen through polib)."""
    text = write(catalog.merge(pot, po, FRENCH, "French"))
    return to_polib(catalog.read(text, "new.po")), text


def found(po: polib.POFile, msgid: str, msgctxt: str | None = None, obsolete: bool = False) -> polib.POEntry:
    matches = [e for e in po if e.msgid == msgid and e.msgctxt == msgctxt and bool(e.obsolete) == obsolete]
    assert len(matches) == 1, (msgid, msgctxt, obsolete, [(e.msgctxt, e.msgid, e.obsolete) for e in po])
    return matches[0]


_KEPT_LINE = re.compile(r'^Kept translations? \(.*\): (?:msgstr\[\d+\] )?("(?:[^"\\]|\\.)*")$')


def kept(comment: str) -> list[str]:
    """The translations a comment keeps, decoded: ``Kept translation (why): "..."`` lines."""
    texts = []
    for line in comment.split("\n"):
        match = _KEPT_LINE.match(line)
        if match is not None:
            texts.append(json.loads(match.group(1)))
    return texts


def gettext_agrees(text: str, directory: Path) -> None:
    """msgcat prints the text back unchanged and msgfmt -c accepts it."""
    msgcat, msgfmt = need("msgcat"), need("msgfmt")
    path = directory / "merged.po"
    path.write_bytes(text.encode("utf-8"))
    # --force-po: msgcat prints nothing for a catalogue without messages otherwise.
    printed = subprocess.run([msgcat, "--force-po", str(path)], capture_output=True, check=False)
    assert printed.returncode == 0, printed.stderr.decode()
    assert printed.stdout.decode("utf-8") == text
    checked = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr.decode()


def assert_stable(pot: Catalog, text: str) -> None:
    """A second merge of what the first wrote rewrites nothing."""
    assert write(catalog.merge(pot, catalog.read(text, "new.po"), FRENCH, "French")) == text


# --- (a) two live entries with the same msgid ---------------------------------------------

TWO_LIVE = """\
msgid "Hello"
msgstr "Bonjour"

msgid "Hello"
msgstr "Salut"
"""


def test_a_live_duplicate_keeps_its_translation_as_a_comment(tmp_path: Path) -> None:
    po, text = merged(template("Hello"), old(TWO_LIVE))
    hello = found(po, "Hello")
    assert hello.msgstr == "Bonjour" and not hello.fuzzy
    assert kept(hello.tcomment) == ["Salut"]
    gettext_agrees(text, tmp_path)
    assert_stable(template("Hello"), text)


def test_a_translation_beats_a_fuzzy_one_which_beats_none(tmp_path: Path) -> None:
    body = """\
msgid "Hello"
msgstr ""

#, fuzzy
msgid "Hello"
msgstr "Bonjour ?"

msgid "Hello"
msgstr "Bonjour"
"""
    po, text = merged(template("Hello"), old(body))
    hello = found(po, "Hello")
    assert (hello.msgstr, hello.fuzzy) == ("Bonjour", False)
    assert kept(hello.tcomment) == ["Bonjour ?"]
    gettext_agrees(text, tmp_path)


def test_the_same_translation_twice_adds_nothing() -> None:
    body = '#. p\nmsgid "Hello"\nmsgstr "Bonjour"\n\n# Checked.\nmsgid "Hello"\nmsgstr "Bonjour"\n'
    po, _ = merged(template("Hello"), old(body))
    assert (found(po, "Hello").msgstr, found(po, "Hello").tcomment) == ("Bonjour", "Checked.")


# --- (b) an obsolete duplicate of a live entry ----------------------------------------------

LIVE_AND_OBSOLETE = """\
#~ msgid "Hello"
#~ msgstr "Ancien bonjour"

msgid "Hello"
msgstr "Bonjour"
"""


def test_an_obsolete_duplicate_never_replaces_the_live_entry(tmp_path: Path) -> None:
    po, text = merged(template("Hello"), old(LIVE_AND_OBSOLETE))
    hello = found(po, "Hello")
    assert (hello.msgstr, hello.fuzzy) == ("Bonjour", False)
    assert kept(hello.tcomment) == ["Ancien bonjour"]
    assert not [e for e in po if e.obsolete]
    gettext_agrees(text, tmp_path)


def test_both_leave_the_article_as_one_obsolete_entry(tmp_path: Path) -> None:
    po, text = merged(template("Other"), old(LIVE_AND_OBSOLETE))
    gone = found(po, "Hello", obsolete=True)
    assert gone.msgstr == "Bonjour" and kept(gone.tcomment) == ["Ancien bonjour"]
    gettext_agrees(text, tmp_path)
    assert_stable(template("Other"), text)


def test_an_untranslated_live_entry_gets_the_obsolete_translation_as_a_fuzzy_suggestion(tmp_path: Path) -> None:
    body = 'msgid "Hello"\nmsgstr ""\n\n#~ msgid "Hello"\n#~ msgstr "Ancien bonjour"\n'
    po, text = merged(template("Hello"), old(body))
    hello = found(po, "Hello")
    assert (hello.msgstr, hello.fuzzy) == ("Ancien bonjour", True)
    gettext_agrees(text, tmp_path)


# --- (c) the same msgid with a msgctxt ------------------------------------------------------

WITH_CONTEXT = """\
msgctxt "menu"
msgid "Home"
msgstr "Accueil"

msgid "Home"
msgstr "Maison"
"""


def test_an_entry_with_a_context_is_another_message(tmp_path: Path) -> None:
    po, text = merged(template("Home"), old(WITH_CONTEXT))
    assert (found(po, "Home").msgstr, found(po, "Home").fuzzy) == ("Maison", False)
    assert found(po, "Home", "menu", obsolete=True).msgstr == "Accueil"
    gettext_agrees(text, tmp_path)
    assert_stable(template("Home"), text)


def test_entries_with_a_context_stay_whole_when_obsolete(tmp_path: Path) -> None:
    po, text = merged(template("Other"), old(WITH_CONTEXT + '\nmsgctxt "empty"\nmsgid ""\nmsgstr "Vide"\n'))
    assert found(po, "Home", "menu", obsolete=True).msgstr == "Accueil"
    assert found(po, "Home", obsolete=True).msgstr == "Maison"
    assert found(po, "", "empty", obsolete=True).msgstr == "Vide"
    gettext_agrees(text, tmp_path)


def test_an_entry_with_a_context_alone_is_a_fuzzy_starting_point(tmp_path: Path) -> None:
    po, text = merged(template("Home"), old('msgctxt "menu"\nmsgid "Home"\nmsgstr "Accueil"\n'))
    home = found(po, "Home")
    assert (home.msgstr, home.fuzzy, home.previous_msgctxt, home.previous_msgid) == ("Accueil", True, "menu", "Home")
    gettext_agrees(text, tmp_path)
    assert_stable(template("Home"), text)


# --- (d) plural entries ---------------------------------------------------------------------

PLURAL = """\
msgid "%d article"
msgid_plural "%d articles"
msgstr[0] "%d article"
msgstr[1] "%d articles"
msgstr[2] "%d d'articles"
"""


def test_a_plural_entry_is_kept_whole_when_obsolete(tmp_path: Path) -> None:
    po, text = merged(template("Other"), old(PLURAL))
    gone = found(po, "%d article", obsolete=True)
    assert gone.msgid_plural == "%d articles"
    assert gone.msgstr_plural == {0: "%d article", 1: "%d articles", 2: "%d d'articles"}
    gettext_agrees(text, tmp_path)
    assert_stable(template("Other"), text)


def test_a_plural_entry_a_unit_takes_gives_its_first_form_fuzzy_and_keeps_the_others(tmp_path: Path) -> None:
    po, text = merged(template("%d article"), old(PLURAL))
    unit = found(po, "%d article")
    assert (unit.msgstr, unit.fuzzy, unit.msgid_plural) == ("%d article", True, "")
    assert kept(unit.tcomment) == ["%d articles", "%d d'articles"]
    gettext_agrees(text, tmp_path)
    assert_stable(template("%d article"), text)


def test_an_obsolete_plural_entry_gettext_would_drop_is_kept_in_the_header(tmp_path: Path) -> None:
    body = 'msgid "%d file"\nmsgid_plural "%d files"\nmsgstr[0] ""\nmsgstr[1] "%d fichiers"\n'
    po, text = merged(template("Other"), old(body))
    assert not [e for e in po if e.msgid == "%d file"]  # gettext drops an obsolete entry without msgstr[0]
    assert kept(po.header) == ["%d fichiers"]
    assert po.header.startswith("French translation of a story.\n")
    gettext_agrees(text, tmp_path)
    assert_stable(template("Other"), text)


SECOND_HEADER = 'msgid "Hello"\nmsgstr "Bonjour"\n\nmsgid ""\nmsgstr "X-Custom: yes\\n"\n'


def test_a_second_header_is_kept_in_the_header() -> None:
    po, _ = merged(template("Hello"), old(SECOND_HEADER))
    # gettext takes the first entry with an empty msgid (and no msgctxt) as the header: the
    # second one is left, and its text kept.
    assert po.metadata["Last-Translator"] == "Claire <claire@example.org>"
    assert any("X-Custom: yes" in line for line in kept(po.header))
    assert found(po, "Hello").msgstr == "Bonjour"


def test_a_translation_equal_up_to_white_space_but_line_breaks_is_fuzzy(tmp_path: Path) -> None:
    """Kept unfuzzied, "Bonjour\\n" for "Hello" would make msgfmt -c fail: it is fuzzy."""
    body = 'msgid "Hello\\n"\nmsgstr "Bonjour\\n"\n\nmsgid "Good  night"\nmsgstr "Bonne nuit"\n'
    po, text = merged(template("Hello", "Good night"), old(body))
    assert (found(po, "Hello").msgstr, found(po, "Hello").fuzzy) == ("Bonjour\n", True)
    assert (found(po, "Good night").msgstr, found(po, "Good night").fuzzy) == ("Bonne nuit", False)
    gettext_agrees(text, tmp_path)


# --- reporting: catalog.duplicates -----------------------------------------------------------


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """The 1-based line of the nth line of the old file that is exactly *needle*."""
    lines = (HEADER + "\n" + text).split("\n")
    return [number for number, line in enumerate(lines, 1) if line == needle][nth]


def reported(body: str) -> list[tuple[int | None, str]]:
    problems = catalog.duplicates(old(body))
    assert all(isinstance(problem, CatalogError) for problem in problems)
    return [(problem.line, problem.message) for problem in problems]


def test_duplicates_are_reported_at_their_line_naming_the_first_definition() -> None:
    first, second = line_of(TWO_LIVE, 'msgid "Hello"'), line_of(TWO_LIVE, 'msgid "Hello"', 1)
    assert reported(TWO_LIVE) == [
        (
            second,
            f'duplicate of the entry at line {first} (msgid "Hello"): its translation is kept as a translator comment',
        )
    ]


def test_a_live_entry_after_its_obsolete_duplicate_is_reported_as_the_one_kept() -> None:
    first, second = line_of(LIVE_AND_OBSOLETE, '#~ msgid "Hello"'), line_of(LIVE_AND_OBSOLETE, 'msgid "Hello"')
    assert reported(LIVE_AND_OBSOLETE) == [
        (
            second,
            f'duplicate of the entry at line {first} (msgid "Hello"): this entry is kept (a live entry beats an '
            f"obsolete one), and the translation at line {first} is kept as a translator comment",
        )
    ]


def test_each_fate_is_reported() -> None:
    body = """\
#, fuzzy
msgctxt "menu"
msgid "Home"
msgstr "Maison ?"

msgctxt "menu"
msgid "Home"
msgstr ""

msgctxt "menu"
msgid "Home"
msgstr "Accueil"

#~ msgctxt "menu"
#~ msgid "Home"
#~ msgstr "Accueil"
"""
    # An entry starts at its first line, "#, fuzzy" for the first one.
    lines = [line_of(body, "#, fuzzy"), line_of(body, 'msgctxt "menu"', 1), line_of(body, 'msgctxt "menu"', 2)]
    lines.append(line_of(body, '#~ msgctxt "menu"'))
    key = f'duplicate of the entry at line {lines[0]} (msgctxt "menu", msgid "Home")'
    assert reported(body) == [
        (lines[1], f"{key}: it has no translation"),
        (
            lines[2],
            f"{key}: this entry is kept (a translation beats a fuzzy one), and the translation at line {lines[0]} "
            "is kept as a translator comment",
        ),
        (lines[3], f"{key}: its translation is the same as the one kept"),
    ]


def test_an_obsolete_translation_suggested_to_an_empty_live_entry_is_reported_so() -> None:
    body = 'msgid "Hello"\nmsgstr ""\n\n#~ msgid "Hello"\n#~ msgstr "Ancien bonjour"\n'
    first, second = line_of(body, 'msgid "Hello"'), line_of(body, '#~ msgid "Hello"')
    assert reported(body) == [
        (
            second,
            f'duplicate of the entry at line {first} (msgid "Hello"): its translation is kept as a fuzzy suggestion',
        )
    ]


def test_contexts_plurals_and_clean_catalogues_are_not_reported() -> None:
    assert reported(WITH_CONTEXT + "\n" + PLURAL) == []


def test_a_second_header_is_reported() -> None:
    body = SECOND_HEADER
    # gettext takes the first entry with an empty msgid as the header; the one left is the second.
    assert reported(body) == [
        (
            line_of(body, 'msgid ""', 1),
            "a second header (an entry with an empty msgid and no msgctxt): its text is kept as a translator "
            "comment of the header",
        )
    ]


# --- the property -----------------------------------------------------------------------------

# Sources that look alike (fuzzy matches), differ only in white space or quotes, carry
# placeholders, or begin or end with a line break (msgfmt -c wants the translation to agree).
SOURCES = [
    "Hello",
    "Hello world",
    "Hello, world!",
    "Good night",
    "Good night everyone",
    "The minister resigned on Monday evening",
    "The minister resigned on Tuesday evening",
    "%d article",
    "Home",
    'He said "yes"',
    "He said \u201cyes\u201d",
    "Read <a1>more</a1>",
    "Hello  world",
    "Hello world\n",
    "\nGood night",
]
TEMPLATE_SOURCES = [source for source in SOURCES if source.strip() == source] + ["A new paragraph", "Share"]
CONTEXTS = [None, None, None, "menu", "title"]
ALPHABET = 'abcdeéà中文 "\\\t\n%<>'


def escaped(text: str) -> str:
    """A PO string's content (written here without l10n.po.writer: the test's own writer)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


@st.composite
def translations(draw: st.DrawFn, msgid: str) -> str:
    core = draw(st.one_of(st.just(""), st.text(ALPHABET, min_size=1, max_size=30))).strip("\n")
    if not core:
        return ""
    # As a valid catalogue has it: leading and trailing line breaks as in the msgid.
    return ("\n" if msgid.startswith("\n") else "") + core + ("\n" if msgid.endswith("\n") else "")


@st.composite
def old_entries(draw: st.DrawFn) -> str:
    msgctxt = draw(st.sampled_from(CONTEXTS))
    msgid = draw(st.sampled_from(SOURCES + ([""] if msgctxt is not None else [])))
    obsolete = draw(st.integers(0, 2)) == 0
    prefix = "#~ " if obsolete else ""
    lines = []
    if draw(st.integers(0, 3)) == 0:
        # (not at a line's end: gettext joins the next line to a line ending in a backslash)
        comment = draw(st.sampled_from(["Checked with the desk.", "Path C:\\news\\ here", "Two\nlines"]))
        lines += [f"# {line}" for line in comment.split("\n")]
    if draw(st.booleans()):
        lines.append("#, fuzzy")
    if msgctxt is not None:
        lines.append(f'{prefix}msgctxt "{escaped(msgctxt)}"')
    lines.append(f'{prefix}msgid "{escaped(msgid)}"')
    if msgid and draw(st.integers(0, 4)) == 0:
        lines.append(f'{prefix}msgid_plural "{escaped(msgid)} (plural)"')
        forms = draw(st.lists(translations(msgid), min_size=2, max_size=3))
        lines += [f'{prefix}msgstr[{n}] "{escaped(form)}"' for n, form in enumerate(forms)]
    else:
        lines.append(f'{prefix}msgstr "{escaped(draw(translations(msgid)))}"')
    return "\n".join(lines) + "\n"


def every_translation(po: polib.POFile) -> list[str]:
    """The non-empty translations of a catalogue: msgstrs and plural forms."""
    texts = []
    for entry in po:
        texts += [text for text in ([entry.msgstr, *entry.msgstr_plural.values()]) if text]
    return texts


@pytest.mark.slow
@settings(deadline=None)
@given(
    st.lists(old_entries(), max_size=12),
    st.lists(st.sampled_from(TEMPLATE_SOURCES), unique=True, max_size=6),
    st.integers(0, 3),
)
def test_no_translation_is_ever_lost(
    tmp_path_factory: pytest.TempPathFactory, bodies: list[str], sources: list[str], sample: int
) -> None:
    """Random old catalogues (live, obsolete, duplicate, context, plural and fuzzy entries)
    merged with random templates: every translation is somewhere in the written file,
    which a second merge keeps as it is, msgcat prints back unchanged and msgfmt -c
    accepts (gettext is run on a quarter of the examples: ``sample`` shrinks to 0, so a
    failing example keeps being checked while it shrinks)."""
    before = catalog.read(HEADER + "\n" + "\n".join(bodies), "old.po")
    pot = template(*sources)
    po, text = merged(pot, before)
    kept_anywhere = set(every_translation(po)) | set(kept(po.header))
    for entry in po:
        kept_anywhere.update(kept(entry.tcomment))
    for translation in every_translation(to_polib(before)):
        assert translation in kept_anywhere
    keys = [(entry.msgctxt, entry.msgid) for entry in po]
    assert len(keys) == len(set(keys))
    assert_stable(pot, text)
    if sample == 0:
        gettext_agrees(text, tmp_path_factory.mktemp("merged"))



@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("msgstr", "Habillé"),
        ("msgctxt", "menu"),
        ("msgid_plural", "Dresseds"),
        ("plural_forms", ("Habillé",)),
        ("translator_comments", "note"),
        ("flags", ("fuzzy",)),
        ("previous_msgctxt", "old menu"),
        ("previous_msgid", "Was"),
        ("previous_msgid_plural", "Weres"),
        ("obsolete", True),
        ("line", 7),
    ],
)
def test_a_new_unit_takes_only_its_source_and_notes_from_the_template(field: str, value: Any) -> None:
    """A template read from a file may hold what a merged entry must not start from; the
    merged entry is made from its msgid, references and extracted comments alone, as for
    an entry extract made, which merge hands on as it is."""
    from dataclasses import replace

    pot = template("Bare", "Dressed")
    bare, dressed = pot.messages
    dressed = replace(dressed, **{field: value})
    first, second = catalog.merge(replace(pot, messages=(bare, dressed)), None, FRENCH, "French").messages
    assert first is bare
    expected = replace(bare, msgid="Dressed", references=dressed.references)
    assert (second, second.line) == (expected, None)
