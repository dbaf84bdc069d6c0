"""Write a catalogue byte for byte as GNU gettext's ``msgcat`` writes it.

This module owns the PO *text layout* of :func:`write`: message order, comment order, flag
normalisation, reference packing, string escaping and line wrapping. It promises that for a
catalogue it writes, ``msgcat FILE`` (GNU gettext 0.21, default page width 79) prints exactly
the same bytes, so files the tool writes never churn when a translator or a build step passes
them through gettext. Where a line may break is :mod:`.linebreak`'s (libunistring), which
breaks a format directive must not have :mod:`.formats`'s. The parts of gettext's
``write-po.c`` reproduced here:

* message order: the header, the live messages, then the obsolete ones; an obsolete message
  whose first translation is empty is dropped;
* comments in gettext's order, then ``#:`` references packed to the page width, then ``#,``
  flags normalised (fuzzy first, then the format flags in gettext's language order,
  ``range:``, ``no-wrap``; unknown flags dropped; ``fuzzy`` dropped while the first
  translation is empty), then the ``#|`` previous fields;
* ``wrap()``: escapes, the ``msgid ""`` first line when a string has an inner newline or does
  not fit, breaks after ``\\n``, no break inside a valid directive.

Known limits, where ``msgcat`` would print something else: the layout assumes the catalogue
is written as UTF-8 (legacy CJK encodings make gettext count ambiguous characters as wide); a
translator comment that reads like a Solaris reference (``File: x, line: 3``) is read back by
gettext as a reference; msgcat drops the ``range:`` flag of an obsolete message; for a
catalogue with no message besides the header, msgcat prints nothing (unless given
``--force-po``); gettext 0.21 does not know the isolates around a file name with spaces: it
splits the name at its spaces, so it prints the reference back unchanged only while no other
word of that message's references repeats a piece of it and the line does not wrap inside it
(0.22 and later read it whole).

Text gettext cannot hold raises :class:`~l10n.errors.CatalogError` naming the message: a NUL
or an EOT (U+0004) in a string (NUL ends a C string; gettext refuses EOT, the msgctxt
separator of compiled catalogues), a NUL in a comment, a lone surrogate anywhere (UTF-8 has
none), a reference whose file name holds a tab, a line break or an isolate (U+2068, U+2069),
or ends in a backslash, a previous msgctxt or msgid_plural without a previous msgid (a
syntax error for gettext), and a message other than the header with an empty msgid and no
msgctxt (gettext: "duplicate message definition"). The rest is written as gettext writes it,
checked character by character against gettext 0.21 in tests/test_po_writer.py:

* strings: ``\\a \\b \\f \\n \\r \\t \\v`` escaped, every other C0 and C1 control, DEL, U+2028,
  U+2029 and the noncharacters written raw (msgfmt -c only warns about the escapes);
* a file name with spaces is enclosed in U+2068 ... U+2069, as gettext 0.22 and later write
  it; the isolates do not count in the line width;
* a comment line ending in a backslash gets a space after it: gettext's lexer joins a line
  ending in a backslash to the next one, comments too (msgcat prints the line back
  unchanged);
* a comment is also split into lines at CR, VT, FF, U+001C-U+001E, U+0085, U+2028 and
  U+2029: gettext ends a comment line at LF only, but polib (and our former reader) at each
  of these, which would leave them a line that is no PO syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..errors import CatalogError
from .formats import PARSED_LANGUAGES, Flags, directive_language, no_break_inside, parse_flags
from .linebreak import Portion
from .model import Catalog, Message

__all__ = ["PAGE_WIDTH", "write"]

#: The page width msgcat uses when no ``--width`` is given.
PAGE_WIDTH = 79

# Stands in for C's INT_MAX, the line width gettext uses for ``no-wrap`` messages.
_NO_WRAP_WIDTH = 2**31 - 1


# ---------------------------------------------------------------------------------------
# Strings: escaping and write-po.c's wrap().
# ---------------------------------------------------------------------------------------

_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v"}
_ESCAPE_TABLE = str.maketrans({char: "\\" + letter for char, letter in {**_ESCAPES, "\\": "\\", '"': '"'}.items()})
_NEEDS_ESCAPE = re.compile(r'[\a\b\f\n\r\t\v\\"]')


def _escaped(segment: str, no_break: Sequence[bool] | None) -> Portion:
    """``segment`` as written between quotes, with the breaks its escapes and directives forbid.

    ``no_break`` marks the characters inside a format directive (None: there are none).
    """
    body = segment[:-1] if segment.endswith("\n") else segment
    prohibited: set[int] = set()
    if no_break is None or not any(no_break):
        # The common case: no directive to protect, so only escapes matter (searched
        # first: translate() is slow on non-ASCII text, and most strings need none).
        text = body
        if _NEEDS_ESCAPE.search(body):
            text = body.translate(_ESCAPE_TABLE)
            # No break between a backslash and the escaped character, which lands one
            # place further on for every escape before it.
            prohibited.update(match.start() + count + 1 for count, match in enumerate(_NEEDS_ESCAPE.finditer(body)))
    else:
        parts: list[str] = []
        length = 0
        # no_break also covers the final newline, whose breaks are settled below.
        for char, inside_directive in zip(body, no_break, strict=False):
            if inside_directive:
                prohibited.add(length)
            escape = _ESCAPE_TABLE.get(ord(char))
            if escape is not None:
                prohibited.add(length + 1)
                parts.append(escape)
                length += 2
            else:
                parts.append(char)
                length += 1
        text = "".join(parts)
    if len(body) < len(segment):
        # Never break inside a final "\n", nor just before it.
        prohibited.update((len(text), len(text) + 1))
        text += "\\n"
    return Portion(text, prohibited)


# The caches below serve one article's template and catalogues, which repeat the same
# entries; articles rarely share any. Larger caches only held memory in each extract
# worker (peak 116 MB against 76 MB for a fresh extract of 2,000 articles).
_ONE_ARTICLE = 4096


# A template and each locale's catalogue repeat the same msgids: lay each out once.
@lru_cache(maxsize=_ONE_ARTICLE)
def _wrapped(prefix: str, keyword: str, value: str, wrap: bool, language: str | None) -> tuple[str, ...]:
    """The lines gettext writes for ``keyword "value"``."""
    lines: list[str] = []
    _wrap_into(lines, prefix, keyword, value, wrap=wrap, language=language)
    return tuple(lines)


def _wrap_into(
    lines: list[str],
    prefix: str,
    keyword: str,
    value: str,
    *,
    wrap: bool,
    language: str | None,
) -> None:
    if "\0" in value or "\x04" in value or (not value.isascii() and _SURROGATE.search(value)):
        # NUL ends a C string (gettext drops the rest); gettext refuses EOT, which separates
        # msgctxt from msgid in a compiled catalogue, anywhere in a string; UTF-8 has no
        # lone surrogates (JSON-LD's "\ud800" makes one).
        which = "a NUL" if "\0" in value else "an EOT (U+0004)" if "\x04" in value else "a lone surrogate"
        raise _Refused(f"its {keyword} contains {which} character, which a PO file cannot hold")
    if wrap and value.isascii() and value.isprintable():
        # Fast path for the common short string: printable ASCII is one column a
        # character and has no break before its first one, so when the escaped text fits
        # after the keyword, gettext writes one line (the general path agrees; it is
        # just slower).
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        if len(prefix) + len(keyword) + len(escaped) + 3 <= PAGE_WIDTH:
            lines.append(f'{prefix}{keyword} "{escaped}"')
            return
    no_break: list[bool] | None = None
    if value and language is not None and language in PARSED_LANGUAGES:
        no_break = no_break_inside(value, language, keyword.startswith("msgstr"))
    # Columns are counted from the opening quote of a continuation line; one column is
    # kept free for the closing quote.
    start_after_break = len(prefix) + 1
    width = (PAGE_WIDTH if wrap else _NO_WRAP_WIDTH) - 1 - start_after_break
    first_line = True
    position = 0
    while True:
        end = value.find("\n", position)
        end = len(value) if end < 0 else end + 1
        portion = _escaped(value[position:end], None if no_break is None else no_break[position:end])
        start_column = len(prefix) + (len(keyword) + 1 if first_line else 0) + 1 - start_after_break
        breaks = portion.breaks(width, start_column)
        if first_line and portion.text and (end < len(value) or start_column > width or breaks):
            # A string that spans lines starts with an empty one.
            lines.append(f'{prefix}{keyword} ""')
            first_line = False
            breaks = portion.breaks(width, len(prefix) + 1 - start_after_break)
        head = f'{prefix}{keyword} "' if first_line else f'{prefix}"'
        line_start = 0
        for brk in breaks:
            lines.append(f'{head}{portion.text[line_start:brk]}"')
            head = f'{prefix}"'
            line_start = brk
        lines.append(f'{head}{portion.text[line_start:]}"')
        first_line = False
        position = end
        if position >= len(value):
            return


def _flags_line(flags: Flags, first_msgstr: str) -> str | None:
    words: list[str] = []
    # gettext drops "fuzzy" while there is no translation.
    if flags.fuzzy and first_msgstr:
        words.append("fuzzy")
    for language, value in flags.formats:
        if value in ("yes", "possible"):
            words.append(f"{language}-format")
        elif value == "no":
            words.append(f"no-{language}-format")
    if flags.range is not None:
        words.append(f"range: {flags.range[0]}..{flags.range[1]}")
    if not flags.wrap:
        words.append("no-wrap")
    return "#, " + ", ".join(words) if words else None


# ---------------------------------------------------------------------------------------
# Messages.
# ---------------------------------------------------------------------------------------


class _Refused(Exception):
    """Part of a message that a PO file cannot hold; the caller names the message."""


# The line breaks of str.splitlines() other than "\n". gettext ends a comment line only at
# "\n", but polib (and readers built on its rules) at each of these, so a comment is split at
# them too.
_OTHER_LINE_BREAK = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# What a comment needs more than splitting at "\n" for: those, NUL and lone surrogates.
_UNUSUAL_IN_COMMENT = re.compile("[\0\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


# A template and its catalogues repeat the same comments and references: each is split once.
@lru_cache(maxsize=_ONE_ARTICLE)
def _comment_lines(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    if _UNUSUAL_IN_COMMENT.search(text) is not None:
        if "\0" in text or _SURROGATE.search(text):
            # gettext's reader ends the line at NUL: the rest would be lost; UTF-8 has no
            # lone surrogates.
            which = "a NUL" if "\0" in text else "a lone surrogate"
            raise _Refused(f'a comment contains {which} character ("{_shown(text)}")')
        text = _OTHER_LINE_BREAK.sub("\n", text)
    return tuple(text.split("\n"))


# Characters no file name in a "#:" line can hold: gettext 0.22 isolates a name only for
# its spaces and tabs, ends a reference at a line break, and an isolate inside the name
# would end it early; polib also breaks lines at the other line breaks. A tab is refused
# as well: gettext 0.21 reads it as a separator, and it is never in an article's name.
_UNWRITABLE_NAME = re.compile("[\0\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\u2068\u2069\ud800-\udfff]")


@lru_cache(maxsize=_ONE_ARTICLE)
def _references(references: tuple[tuple[str, str], ...]) -> tuple[tuple[str, int], ...]:
    """``file:line`` words as gettext prints them, each with its width: no leading "./", no duplicates."""
    seen: dict[tuple[str, int], None] = {}  # An ordered set: pages can list hundreds of references.
    for name, line in references:
        seen[_reference_word(name, line)] = None
    return tuple(seen)


# A template and each locale's catalogue repeat the same references.
@lru_cache(maxsize=_ONE_ARTICLE)
def _reference_word(name: str, line: str) -> tuple[str, int]:
    """The reference's word and width, as gettext 0.22 (write-po.c) prints and measures it.

    A name with a space is enclosed in U+2068 and U+2069 (FIRST STRONG ISOLATE, POP
    DIRECTIONAL ISOLATE), which gettext does not count in the width: the UTF-8 bytes of
    the name and ":line", plus one for the space before it.
    """
    while name.startswith("./"):
        name = name[2:]
    # gettext stores the line as a number (printing "007" as 7) and drops an empty one.
    suffix = f":{int(line)}" if line.isascii() and line.isdigit() else (f":{line}" if line else "")
    if not name:
        raise _Refused(f'a reference without a file name ("{_shown(suffix)}")')
    if _UNWRITABLE_NAME.search(name) is not None or _UNWRITABLE_NAME.search(suffix) is not None:
        raise _Refused(
            f'the reference "{_shown(name + suffix)}" holds a tab, a line break, an isolate, a NUL or a '
            "lone surrogate, which a PO file cannot hold"
        )
    if (name + suffix).endswith("\\"):
        # gettext would join the line to the next one (see _lines_of).
        raise _Refused(f'the reference "{_shown(name + suffix)}" ends in a backslash, which a PO file cannot hold')
    width = len(name.encode("utf-8")) + len(suffix.encode("utf-8")) + 1
    if " " in name:
        name = f"\u2068{name}\u2069"
    return name + suffix, width


# How _shown writes the characters that have a C escape.
_SHOWN_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def _shown(text: str, limit: int = 50) -> str:
    """``text`` for an error message: shortened, control and format characters escaped."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if text.isprintable():
        return text
    return "".join(
        char
        if char.isprintable()
        else _SHOWN_ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
        for char in text
    )


def _described(message: Message, references: Sequence[tuple[str, int]]) -> str:
    """How an error message names the message: its msgid (and context), or "the header"."""
    if message.is_header:
        return "the header"  # _block refuses any other message like it
    described = f'msgid "{_shown(message.msgid)}"'
    if message.msgctxt is not None:
        described += f', msgctxt "{_shown(message.msgctxt)}"'
    if references:
        described += f" ({references[0][0]})"  # where a template's unit comes from
    return described


def _translations(message: Message) -> tuple[str, ...]:
    """What gettext writes as the msgstr: a plural message has at least one form."""
    return message.translations or ("",)


@lru_cache(maxsize=_ONE_ARTICLE)
def _block(message: Message) -> str | None:
    """A message's text; None when gettext would drop it.

    Cached: a new article's template and its new catalogues hold the same messages.
    """
    try:
        notes = _notes(message)
    except _Refused as refused:
        raise CatalogError(f'msgid "{_shown(message.msgid)}": {refused}') from None
    if message.obsolete and not _translations(message)[0]:
        return None  # gettext keeps an obsolete message only while it has a translation.
    if message.is_header:
        raise CatalogError(
            f'an entry with an empty msgid and no msgctxt (msgstr "{_shown(_translations(message)[0])}") '
            "would be a second header, which gettext refuses"
        )
    return "\n".join(_message_lines(message, *notes))


_Notes = tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, int], ...]]


def _notes(message: Message) -> _Notes:
    """The message's translator and extracted comment lines and its reference words."""
    return (
        _comment_lines(message.translator_comments),
        _comment_lines(message.extracted_comments),
        _references(message.references),
    )


def _header_text(header: Message) -> str:
    try:
        notes = _notes(header)
    except _Refused as refused:
        raise CatalogError(f"the header: {refused}") from None
    return "\n".join(_message_lines(header, *notes))


def _message_lines(
    message: Message, translator: Sequence[str], extracted: Sequence[str], references: Sequence[tuple[str, int]]
) -> list[str]:
    try:
        return _lines_of(message, translator, extracted, references)
    except _Refused as refused:
        raise CatalogError(f"{_described(message, references)}: {refused}") from None


def _lines_of(
    message: Message, translator: Sequence[str], extracted: Sequence[str], references: Sequence[tuple[str, int]]
) -> list[str]:
    lines = [f"# {text}" if text else "#" for text in translator]
    lines += [f"#. {text}" if text else "#." for text in extracted]
    for index, line in enumerate(lines):
        if line[-1] == "\\":
            # The PO lexer joins a line ending in a backslash with the next one, comments
            # too: a space after it keeps the line apart (gettext keeps the space and
            # msgcat prints it back).
            lines[index] = line + " "
    if references:
        line = "#:"
        column = 2
        for word, width in references:
            if column > 2 and column + width > PAGE_WIDTH:
                lines.append(line)
                line = "#:"
                column = 2
            line += " " + word
            column += width
        lines.append(line)
    translations = (message.msgstr,) if message.msgid_plural is None else message.plural_forms or ("",)
    flags = parse_flags(message.flags)
    flags_line = _flags_line(flags, translations[0])
    if flags_line is not None:
        lines.append(flags_line)
    language = directive_language(flags)
    wrap = flags.wrap
    previous_prefix = "#~| " if message.obsolete else "#| "
    if message.previous_msgid is None and (
        message.previous_msgctxt is not None or message.previous_msgid_plural is not None
    ):
        # gettext's grammar has them only around a "#| msgid": the file would not read back.
        raise _Refused("a previous msgctxt or msgid_plural without a previous msgid, which a PO file cannot hold")
    for keyword, previous in (
        ("msgctxt", message.previous_msgctxt),
        ("msgid", message.previous_msgid),
        ("msgid_plural", message.previous_msgid_plural),
    ):
        if previous is not None:
            lines += _wrapped(previous_prefix, keyword, previous, wrap, language)
    prefix = "#~ " if message.obsolete else ""
    if message.msgctxt is not None:
        lines += _wrapped(prefix, "msgctxt", message.msgctxt, wrap, language)
    lines += _wrapped(prefix, "msgid", message.msgid, wrap, language)
    if message.msgid_plural is None:
        lines += _wrapped(prefix, "msgstr", translations[0], wrap, language)
    else:
        lines += _wrapped(prefix, "msgid_plural", message.msgid_plural, wrap, language)
        for index, text in enumerate(translations):
            lines += _wrapped(prefix, f"msgstr[{index}]", text, wrap, language)
    return lines


def write(catalog: Catalog) -> str:
    """The catalogue laid out exactly as GNU gettext (msgcat, default width 79) writes it.

    The header first, then the live messages in order, then the obsolete ones that have a
    translation. A message with a msgid_plural (even "") is written with its plural forms,
    numbered from 0 (one empty form when it has none). The caller writes the text as UTF-8.

    Raises :class:`~l10n.errors.CatalogError` (no line: the text is not written yet) naming
    the message, for text gettext cannot hold (see the module docstring).
    """
    blocks = [_header_text(catalog.header)]
    obsolete: list[str] = []
    for message in catalog.messages:
        made = _block(message)
        if made is not None:
            (obsolete if message.obsolete else blocks).append(made)
    return "\n\n".join(blocks + obsolete) + "\n"
