"""Conversion between our catalogue model and polib's, both ways, for users who hand us a
``polib.POFile`` and for the tests, which use polib as an independent writer.

The two models hold the same messages; polib has no place for the header's extracted
comments, references, previous fields or flags other than fuzzy (they are left out), and it
keeps the header fields as a dict (written back one ``Name: value`` a line, its known
fields first, values stripped).

polib's writer (``str(po)``) does not write every catalogue as it is (tests/test_po_reader.py
leaves these out): an empty msgid_plural (dropped, and the forms with it); comment lines
longer than its wrap width (re-wrapped by textwrap) or ending in a backslash (gettext joins
the next line to them); a file name with white space or "*" (split, or "*" made "-" when
wrapped), or that gettext reads with another line number (``a:5`` without a line, ``:x``,
``x:``); the extracted comments and references of obsolete messages (dropped); header
comment lines starting with "," or ":" (read back as flags and references). NUL, EOT and
lone surrogates no writer can write.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import polib

from .charsets import header_charset
from .model import Catalog, Message


def to_polib(catalog: Catalog) -> polib.POFile:
    """A ``polib.POFile`` holding the catalogue (line numbers in ``linenum``)."""
    po = polib.POFile(wrapwidth=79, encoding=catalog.charset)
    po.header = catalog.header.translator_comments
    po.metadata = catalog.metadata
    po.metadata_is_fuzzy = catalog.header.fuzzy
    for message in catalog:
        plural = message.msgid_plural is not None
        po.append(
            polib.POEntry(
                msgid=message.msgid,
                msgstr="" if plural else message.msgstr,
                msgctxt=message.msgctxt,
                msgid_plural=message.msgid_plural or "",
                msgstr_plural=dict(enumerate(message.plural_forms)) if plural else {},
                tcomment=message.translator_comments,
                comment=message.extracted_comments,
                occurrences=list(message.references),
                flags=list(message.flags),
                previous_msgctxt=message.previous_msgctxt,
                previous_msgid=message.previous_msgid,
                previous_msgid_plural=message.previous_msgid_plural,
                obsolete=message.obsolete,
                linenum=message.line,
            )
        )
    return po


def to_message(entry: polib.POEntry) -> Message:
    """One polib entry as a message, read as polib's own writer and ours always read it: a
    non-empty msgid_plural makes it plural (polib's "" is no plural, its forms are not
    written), with its forms in index order, or the msgstr and an empty second form when it
    has none."""
    fields = (
        entry.msgid,
        entry.msgstr,
        entry.msgctxt,
        entry.msgid_plural,
        tuple(entry.msgstr_plural.items()) if entry.msgstr_plural else (),
        entry.tcomment,
        entry.comment,
        tuple(entry.occurrences) if entry.occurrences else (),
        tuple(entry.flags) if entry.flags else (),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        entry.obsolete,
        entry.linenum,
    )
    try:
        return _message_of(fields)
    except TypeError:  # a field lru_cache cannot hash (a list where polib keeps tuples)
        return _message_of.__wrapped__(fields)


# Entries' fields as a tuple: what to_message needs, and a cache key. A template and the
# catalogues merged from it hold equal entries, and a frozen Message costs far more to make
# than the tuple (writing a catalogue through from_polib was 10% slower without this cache).
_Fields = tuple[Any, Any, Any, Any, tuple[tuple[Any, str], ...], Any, Any, tuple[Any, ...], tuple[Any, ...],
                Any, Any, Any, Any, Any]  # fmt: skip


@lru_cache(maxsize=4096)
def _message_of(fields: _Fields) -> Message:
    msgid, msgstr, context, plural, held, tcomment, comment, occurrences, flags = fields[:9]
    if isinstance(plural, str) and plural:
        forms = tuple(text for _, text in sorted(held, key=lambda item: int(item[0]))) if held else (msgstr or "", "")
        msgstr = ""
    else:
        plural = None
        forms = ()
    return Message(
        msgid,
        msgstr or "",
        context,
        plural,
        forms,
        tcomment or "",
        comment or "",
        occurrences if _plain(occurrences) else tuple((str(f), "" if n is None else str(n)) for f, n in occurrences),
        flags,
        fields[9],
        fields[10],
        fields[11],
        bool(fields[12]),
        fields[13] if isinstance(fields[13], int) else None,
    )


def _plain(occurrences: tuple[Any, ...]) -> bool:
    """Whether each occurrence is already a (file, line) pair of strings, as polib makes them."""
    for occurrence in occurrences:
        if type(occurrence) is not tuple or len(occurrence) != 2:
            return False
        if type(occurrence[0]) is not str or type(occurrence[1]) is not str:
            return False
    return True


def from_polib(po: polib.POFile) -> Catalog:
    """The catalogue a ``polib.POFile`` holds.

    Its header is the one our writer always wrote for it: the metadata fields in the dict's
    order (not polib's, which puts its known fields first), each ``Name: value\\n``, and the
    header's flags as polib parsed them (a list), or fuzzy when ``metadata_is_fuzzy`` is true.
    """
    fields = "".join(f"{name}: {value}\n" for name, value in po.metadata.items())
    fuzzy: object = po.metadata_is_fuzzy
    flags = tuple(str(flag) for flag in fuzzy) if isinstance(fuzzy, list) else ("fuzzy",) if fuzzy else ()
    head = Message("", fields, translator_comments=po.header or "", flags=flags)
    return Catalog(tuple(map(to_message, po)), head, header_charset(fields))
