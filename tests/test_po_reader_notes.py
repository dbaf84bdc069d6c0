"""``read(data, notes=False)``, the build's reading: the messages of ``read(data)`` with their
translator and extracted comments and references cleared (flags kept), and the same refusals,
on the same lines, on either path (the regular expressions or the lexer and parser)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.errors import CatalogError
from l10n.po.convert import to_polib
from l10n.po.model import Catalog, Message
from l10n.po.reader import read

from .test_po_reader import catalogs, damage, relaid, slow


def cleared(message: Message) -> Message:
    return replace(message, translator_comments="", extracted_comments="", references=())


def outcome(data: bytes | str, notes: bool) -> object:
    """What reading gives: the messages as ``read(data)`` gives them with their notes cleared
    (lines and charset too), or the error's message and line."""
    try:
        catalog = read(data, "x.po", notes=notes)
    except CatalogError as error:
        return (error.message, error.line)
    messages = [cleared(message) for message in (catalog.header, *catalog)]
    return (messages, [m.line for m in messages], catalog.charset)


def same_without_notes(data: bytes | str) -> None:
    assert outcome(data, notes=False) == outcome(data, notes=True)
    with slow():
        assert outcome(data, notes=False) == outcome(data, notes=True)


@given(catalogs(), st.lists(st.sampled_from(["", "", " ", "\t"]), min_size=1, max_size=3))
def test_without_notes_the_messages_are_those_with_their_notes_cleared(catalog: Catalog, spaces: list[str]) -> None:
    text = str(to_polib(catalog))
    for data in (text.encode(), text, relaid(text, spaces).encode()):
        same_without_notes(data)


@settings(max_examples=200)
@given(catalogs(), st.data())
def test_without_notes_a_damaged_file_is_refused_the_same(catalog: Catalog, data: st.DataObject) -> None:
    same_without_notes(damage(str(to_polib(catalog)).encode(), data))


BODY = (
    '# translator\n#. extracted\n#: a.html:1 b.html:2\n#, fuzzy, c-format\nmsgid "a"\nmsgstr "A"\n\n'
    '#: c.html:3\n#. out of order\n#! no-wrap\nmsgctxt "c"\nmsgid "b"\nmsgstr "B"\n\n'
    '# File: x.c, line:4\n#, fuzzy\nmsgid "c"\nmsgstr "C"\n\n'
    '#, fuzzy\n#| msgid "old"\nmsgid "d"\nmsgid_plural "ds"\nmsgstr[0] "D"\nmsgstr[1] "Ds"\n\n'
    '#. gone\n#~ msgid "e"\n#~ msgstr "E"\n'
)


@pytest.mark.parametrize("layout", ["usual", "blanks"])
def test_flags_are_kept_and_nothing_else_of_the_comments(layout: str) -> None:
    header = '# header comment\n#, fuzzy\nmsgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    text = header + BODY
    if layout == "blanks":  # every line read by the lexer and parser
        text = relaid(text, [" "])
    full, bare = read(text.encode()), read(text.encode(), notes=False)
    assert (
        [m.flags for m in full]
        == [m.flags for m in bare]
        == [
            ("fuzzy", "c-format"),
            ("no-wrap",),
            ("fuzzy",),
            ("fuzzy",),
            (),
        ]
    )
    assert bare.header.flags == ("fuzzy",) and full.header.translator_comments == "header comment"
    assert all(m.references for m in full.messages[:3]) and full.messages[0].translator_comments
    for message in (bare.header, *bare):
        assert (message.translator_comments, message.extracted_comments, message.references) == ("", "", ())
    assert [cleared(m) for m in full] == list(bare) and cleared(full.header) == bare.header


def test_the_sample_catalogues_read_the_same_without_notes() -> None:
    paths = sorted(Path(__file__).resolve().parent.parent.glob("locales/**/*.po*"))
    assert paths
    for path in paths:
        same_without_notes(path.read_bytes())
