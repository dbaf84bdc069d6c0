"""The tokens of a PO file as GNU gettext's lexer reads them (po-lex.c).

* Lines end at LF only: VT, FF, CR, U+001C-U+001E, U+0085, U+2028 are ordinary characters.
  A backslash before a line end joins the lines, everywhere, comments included. Space, tab,
  CR, FF and VT between tokens are blank, so CRLF files read as LF files; a CR that ends a
  comment line is dropped (gettext keeps it in the comment, which no one means).
* Strings: ``\\n \\t \\b \\r \\f \\v \\a \\\\ \\"``, one to three octal digits, ``\\x`` and all the hex
  digits after it (the low byte counts); any other escape is an error. A string ends at a
  NUL; an EOT (the msgctxt separator of .mo files) is an error.
* ``#~`` marks a token obsolete, ``#|`` previous (in force after a comment on its line); any
  other ``#`` starts a comment, the rest of its line. An error is reported on the line
  gettext names: "end-of-line within string" on the next line, an unknown keyword where it
  ends.
* On text decoded as *checked* (see :mod:`.charsets`), a byte that is no character is an
  error where gettext checks (strings, keywords, the character after ``#``) and U+FFFD in a
  comment.

:class:`Lexer` reads a text line by line, :func:`lex` one line (joined at its backslashes).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

from ..errors import CatalogError

# Token kinds, as po-gram-gen.y names them.
EOF, COMMENT, DOMAIN, MSGCTXT, MSGID, MSGID_PLURAL, MSGSTR = range(7)
PREV_MSGCTXT, PREV_MSGID, PREV_MSGID_PLURAL, STRING, PREV_STRING = range(7, 12)
LBRACKET, RBRACKET, NUMBER, NAME, JUNK = range(12, 17)
# kind, text, obsolete, line (where gettext's position is once it has read it), first line.
Token = tuple[int, str, bool, int, int]
Cursor = tuple[int, int, bool, bool]  # where the text after a token starts: offset, line, #~, #|
_Mark = tuple[int, bool, bool]  # where a token ends on its line, and the #~ and #| states there

_KEYWORDS = {"domain": DOMAIN, "msgid": MSGID, "msgid_plural": MSGID_PLURAL, "msgstr": MSGSTR, "msgctxt": MSGCTXT}
_PREV_KEYWORDS = {"msgid": PREV_MSGID, "msgid_plural": PREV_MSGID_PLURAL, "msgctxt": PREV_MSGCTXT}
ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_BLANK = frozenset(" \t\r\f\v")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
_NAME_REST = re.compile(r"[A-Za-z0-9_$]*")
_DIGITS = re.compile(r"[0-9]*")
_HEX = re.compile(r"[0-9A-Fa-f]*")
_STRING_STOP = re.compile(r'["\\]')
_UNDECODED = re.compile("[\ud800-\udfff]")  # bytes that are no character, as surrogateescape keeps them


class Lexer:
    """A reading's lexer: where it is, as po-lex.c keeps it in globals."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.cursor: Cursor = (0, 1, False, False)  # where the text after the last token starts
        self.restart: tuple[int, int] | None = None  # the last token's line, if it is the first on it
        self.cut: set[int] = set()  # the lines of strings and comments a NUL cuts short (gettext reads C strings)

    def tokens(
        self, text: str, at: int, lineno: int, obsolete: bool, previous: bool, checked: bool, codec: str
    ) -> Iterator[Token]:
        """The tokens of *text* from offset *at*, line *lineno* (with these #~ and #| states), each
        with :attr:`cursor` and :attr:`restart` set for it."""
        end = len(text)
        carry = previous  # "#|" stays in force on the line after a comment that followed it
        while True:
            start, first = at, lineno
            joins: list[int] = []
            parts: list[str] = []
            clean = not obsolete and not carry
            while True:  # a backslash before a line end joins the lines
                newline = text.find("\n", at)
                last = newline < 0
                line = text[at:] if last else text[at:newline]
                at = end if last else newline + 1
                if last or not line.endswith("\\"):
                    parts.append(line)
                    break
                parts.append(line[:-1])
                joins.append((joins[-1] if joins else 0) + len(line) - 1)
                lineno += 1
            line = parts[0] if len(parts) == 1 else "".join(parts)
            tokens, marks, carry, error = lex(line, first, joins, last, obsolete, carry, checked, codec, self.cut)
            obsolete = False
            for index, (token, (column, old, before)) in enumerate(zip(tokens, marks, strict=True)):
                if token[0] == COMMENT:
                    self.cursor = (at, lineno if last else lineno + 1, False, before)
                else:
                    crossed = bisect_right(joins, column)
                    self.cursor = (start + column + 2 * crossed, first + crossed, old, before)
                self.restart = (start, first) if index == 0 and clean else None
                yield token
            if error is not None:
                raise error.at(self.path)
            if last:
                self.cursor, self.restart = (end, lineno, False, False), None
                yield (EOF, "", False, lineno, lineno)
                return
            lineno += 1


def lex(
    line: str,
    first: int,
    joins: Sequence[int],
    last: bool,
    obsolete: bool,
    previous: bool,
    checked: bool,
    codec: str,
    cut: set[int] | None = None,
) -> tuple[list[Token], list[_Mark], bool, CatalogError | None]:
    """The tokens of one line as po_gram_lex reads them (lines joined at a backslash before
    their end are one, *joins* says where): the tokens, where each ends, whether ``#|`` is in
    force on the next line, and the error that stopped the line if one did.

    *first* is the file's number of the line, *last* whether no line end follows it, *checked*
    whether characters that were no bytes of the charset are refused, *codec* the charset of
    the bytes escapes make. The line of each string or comment a NUL cuts short is added
    to *cut*.
    """
    tokens: list[Token] = []
    marks: list[_Mark] = []
    size = len(line)
    end = first + len(joins)

    def at(position: int) -> int:
        """The line gettext's position is on once it has read the character at *position*."""
        return first + bisect_right(joins, position) if joins else first

    def fail(reason: str, where: int) -> tuple[list[Token], list[_Mark], bool, CatalogError]:
        return tokens, marks, False, CatalogError(reason, "", where)

    def undecoded(position: int) -> bool:
        return checked and position < size and "\ud800" <= line[position] <= "\udfff"

    i = 0
    while i < size:
        char = line[i]
        if char in _BLANK:
            i += 1
            continue
        if undecoded(i):
            return fail("invalid multibyte sequence", at(i))
        if char == "#":
            if undecoded(i + 1):  # gettext checks the character after "#"
                return fail("invalid multibyte sequence", at(i + 1))
            following = line[i + 1 : i + 2]
            if following == "~" or following == "|":
                obsolete = obsolete or following == "~"
                previous = previous or following == "|"
                i += 2
                if following == "~" and line[i : i + 1] == "|":
                    previous, i = True, i + 1
                elif following == "~" and undecoded(i):
                    return fail("invalid multibyte sequence", at(i))
                continue
            comment = line[i + 1 :]
            if "\0" in comment:  # gettext's comments are C strings
                comment = comment[: comment.index("\0")]
                if cut is not None:
                    cut.add(at(i))
            elif comment.endswith("\r") and not last:
                comment = comment[:-1]
            if checked:
                comment = _UNDECODED.sub("\ufffd", comment)
            tokens.append((COMMENT, comment, obsolete, end if last else end + 1, at(i)))
            marks.append((size, False, previous))
            return tokens, marks, previous, None
        if char == '"':
            parts: list[str | int] = []
            j = i + 1
            while True:
                stop = _STRING_STOP.search(line, j)
                k = size if stop is None else stop.start()
                if k > j:
                    chunk = line[j:k]
                    if checked and (bad := _UNDECODED.search(chunk)):
                        return fail("invalid multibyte sequence", at(j + bad.start()))
                    parts.append(chunk)
                if stop is None:
                    if last:
                        return fail("end-of-file within string", end)
                    return fail("end-of-line within string", end + 1)
                j = k + 1
                if line[k] == '"':
                    break
                escape = line[j : j + 1]
                if escape and escape in ESCAPES:
                    parts.append(ESCAPES[escape])
                    j += 1
                elif escape and escape in "01234567":
                    digits, j = escape, j + 1
                    while len(digits) < 3 and line[j : j + 1] and line[j] in "01234567":
                        digits, j = digits + line[j], j + 1
                    parts.append(int(digits, 8) & 0xFF)
                elif escape == "x" and (hexes := _HEX.match(line, j + 1)) and hexes.end() > j + 1:
                    parts.append(int(hexes.group()[-2:], 16))  # a char keeps the low byte
                    j = hexes.end()
                else:
                    where = j + 1 if escape == "x" else j
                    if undecoded(where):
                        return fail("invalid multibyte sequence", at(where))
                    return fail("invalid control sequence", at(where) if where < size else end)
            value = _string_value(parts, codec)
            if "\0" in value:  # gettext's strings are C strings
                value = value[: value.index("\0")]
                if cut is not None:
                    cut.add(at(i))
            if "\x04" in value:
                return fail("context separator <EOT> within string", at(k))
            tokens.append((PREV_STRING if previous else STRING, value, obsolete, at(k), at(i)))
        elif char in _NAME_START or "0" <= char <= "9":
            word_end = (_NAME_REST if char in _NAME_START else _DIGITS).match(line, i + 1)
            j = word_end.end() if word_end else i + 1
            if undecoded(j):  # read to see that the word has ended
                return fail("invalid multibyte sequence", at(j))
            word = line[i:j]
            kind = (_PREV_KEYWORDS if previous else _KEYWORDS).get(word) if char in _NAME_START else NUMBER
            if kind is None:
                return fail(f'keyword "{word}" unknown', at(j))
            tokens.append((kind, word, obsolete, at(j), at(i)))
        else:
            kind = LBRACKET if char == "[" else RBRACKET if char == "]" else JUNK
            tokens.append((kind, char, obsolete, at(i), at(i)))
            j = i + 1
        marks.append((j, obsolete, previous))
        i = j
    return tokens, marks, False, None


def _string_value(parts: list[str | int], codec: str) -> str:
    """A string's text: its characters and the bytes octal and hex escapes make, in the file's
    charset (gettext copies the bytes unchecked: one that is no character becomes U+FFFD)."""
    if all(isinstance(part, str) for part in parts):
        return "".join(part for part in parts if isinstance(part, str))
    data = bytearray()
    for part in parts:
        if isinstance(part, int):
            data.append(part)
        else:
            data += part.encode(codec, "surrogateescape")
    return data.decode(codec, "replace")
