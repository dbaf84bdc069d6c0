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
    """One polib entry as a message, read as polib's own writer and ours always read it: a
    non-empty msgid_plural makes it plural (polib's "" is no plural, its forms are not
    written), with its forms in index order, or the msgstr and an empty second form when it
    has none."""
    plural = isinstance(entry.msgid_plural, str) and bool(entry.msgid_plural)
    forms: tuple[str, ...] = ()
    if plural:
        held = entry.msgstr_plural
        forms = tuple(held[index] for index in sorted(held, key=int)) if held else (entry.msgstr or "", "")
    return Message(
        entry.msgid,
        "" if plural else entry.msgstr or "",
        entry.msgctxt,
        entry.msgid_plural if plural else None,
        forms,
        entry.tcomment or "",
        entry.comment or "",
        tuple((str(name), "" if line is None else str(line)) for name, line in entry.occurrences or ()),
        tuple(entry.flags or ()),
        entry.previous_msgctxt,
        entry.previous_msgid,
        entry.previous_msgid_plural,
        bool(entry.obsolete),
        entry.linenum if isinstance(entry.linenum, int) else None,
    )


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
    return Catalog(tuple(to_message(entry) for entry in po), head, header_charset(fields))
