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

import polib

from .model import Catalog, Message
from .reader import header_charset


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
    """One polib entry as a message (a plural message is one with forms or a msgid_plural)."""
    plural = bool(entry.msgid_plural or entry.msgstr_plural)
    forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural, key=int)) if plural else ()
    return Message(
        entry.msgid,
        "" if plural else entry.msgstr,
        entry.msgctxt,
        entry.msgid_plural if plural else None,
        forms,
        entry.tcomment or "",
        entry.comment or "",
        tuple((str(name), str(line or "")) for name, line in entry.occurrences),
        tuple(entry.flags),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        bool(entry.obsolete),
        entry.linenum if isinstance(entry.linenum, int) else None,
    )


def from_polib(po: polib.POFile) -> Catalog:
    """The catalogue a ``polib.POFile`` holds; its header is what polib would write for it."""
    fields = po.metadata_as_entry().msgstr
    head = Message("", fields, translator_comments=po.header or "", flags=("fuzzy",) if po.metadata_is_fuzzy else ())
    return Catalog(tuple(to_message(entry) for entry in po), head, header_charset(fields))
