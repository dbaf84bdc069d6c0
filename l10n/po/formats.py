"""Format directives and flags: which parts of a string gettext will not break a line inside.

gettext (write-po.c) forbids a line break inside a valid format directive (but not before
it) of the first format language a message is flagged with, for the languages whose parser
it runs while writing: c-format, objc-format, python-format and python-brace-format. This
module owns

* the ``#,`` flags as gettext parses them (po_parse_comment_special): fuzzy, the format
  flags of its 30 languages (kept in the order it prints them), ``range:``, ``wrap`` and
  ``no-wrap``; anything else is dropped, as gettext drops it;
* the directive scanners of those four languages (format-c-parse.h, format-python.c,
  format-python-brace.c of gettext 0.21), which mark directive extents over the UTF-8
  bytes as gettext's parsers mark them, quirks included (python-brace marks land at
  offsets counted from each directive's own start);
* :func:`no_break_inside`, the characters of a string a line must not break before.

Other languages' directives are not parsed: where gettext's parser for one of them marks a
valid directive that holds a break opportunity (``%+d``, ``% d``) and the line ends just
there, gettext keeps the directive whole and our writer may split it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["FORMAT_LANGUAGES", "PARSED_LANGUAGES", "Flags", "directive_language", "no_break_inside", "parse_flags"]

# ---------------------------------------------------------------------------------------
# Format directives. gettext forbids a break inside a valid directive (but not before
# it) for the first format language the message is flagged with. Directive extents are
# marked over the UTF-8 bytes as gettext's parsers mark them, quirks included.
# ---------------------------------------------------------------------------------------

_DIR_START, _DIR_END, _DIR_ERROR = 1, 2, 4
_DIGITS = b"0123456789"


def _skip_argument_number(data: bytes, index: int, marks: dict[int, int]) -> tuple[int, bool] | None:
    """Skip a ``N$`` argument position at *index*: (the index after it, whether there was
    one). None when N is 0, which gettext rejects: its ``$`` is then marked an error."""
    probe = index
    value = 0
    while _isdigit(data, probe):
        value = value * 10 + data[probe] - ord("0")
        probe += 1
    if probe == index or _at(data, probe) != ord("$"):
        return index, False
    if value == 0:
        marks[probe] = _DIR_ERROR
        return None
    return probe + 1, True


def _isdigit(data: bytes, index: int) -> bool:
    return index < len(data) and data[index] in _DIGITS


def _at(data: bytes, index: int) -> int:
    """The byte at ``index``, or 0 past the end (C strings end in NUL)."""
    return data[index] if index < len(data) else 0


def _c_directives(data: bytes, translated: bool, objc: bool = False) -> dict[int, int]:
    """Directive marks of gettext's c-format (or objc-format) parser (format-c-parse.h, 0.21)."""
    marks: dict[int, int] = {}
    index = 0
    numbered = False
    unnumbered = False
    while index < len(data):
        byte = data[index]
        index += 1
        if byte != ord("%"):
            continue
        marks[index - 1] = _DIR_START
        if _at(data, index) != ord("%"):
            skipped = _skip_argument_number(data, index, marks)
            if skipped is None:
                return marks
            index, number_here = skipped
            flags = b" +-#0'" + (b"I" if translated else b"")
            while _at(data, index) != 0 and _at(data, index) in flags:
                index += 1
            for part in ("width", "precision"):
                if part == "precision":
                    if _at(data, index) != ord("."):
                        break
                    index += 1
                if _at(data, index) == ord("*"):
                    index += 1
                    skipped = _skip_argument_number(data, index, marks)
                    if skipped is None:
                        return marks
                    index, star_numbered = skipped
                    if star_numbered:
                        if unnumbered:
                            marks[index - 1] = _DIR_ERROR
                            return marks
                        numbered = True
                    else:
                        if numbered:
                            marks[index - 1] = _DIR_ERROR
                            return marks
                        unnumbered = True
                else:
                    while _isdigit(data, index):
                        index += 1
            if _at(data, index) == ord("<"):
                end = _c_sysdep_end(data, index)
                if end < 0:
                    marks[-end] = _DIR_ERROR
                    return marks
                index = end
                conversion = ord("d")  # <PRId64> and friends take an integer argument.
            else:
                while _at(data, index) != 0 and _at(data, index) in b"hlLqjzZt":
                    index += 1
                conversion = _at(data, index)
                if conversion == 0:
                    marks[index - 1] = _DIR_ERROR
                    return marks
                if conversion not in (b"diouxXeEfFgGaAcCsSpnm%@" if objc else b"diouxXeEfFgGaAcCsSpnm%"):
                    marks[index] = _DIR_ERROR
                    return marks
            if conversion in b"%m":
                pass  # These take no argument, so they neither number nor count.
            elif number_here:
                if unnumbered:
                    marks[index] = _DIR_ERROR
                    return marks
                numbered = True
            else:
                if numbered:
                    marks[index] = _DIR_ERROR
                    return marks
                unnumbered = True
        marks[index] = _DIR_END
        index += 1
    return marks


def _c_sysdep_end(data: bytes, index: int) -> int:
    """Index of the last byte of an ``<PRI...>`` directive at ``index``, or -(error index)."""
    index += 1
    if data[index : index + 3] != b"PRI":
        return -index
    index += 3
    if _at(data, index) == 0 or _at(data, index) not in b"diouxX":
        return -index
    index += 1
    for word in (b"LEAST", b"FAST", b"MAX", b"PTR", b""):
        if data[index : index + len(word)] == word:
            index += len(word)
            if word in (b"MAX", b"PTR"):
                break
            for size in (b"8", b"16", b"32", b"64"):
                if data[index : index + len(size)] == size:
                    index += len(size)
                    break
            else:
                return -index
            break
    if _at(data, index) != ord(">"):
        return -index
    return index


def _python_directives(data: bytes) -> dict[int, int]:
    """Directive marks of gettext's python-format parser (format-python.c)."""
    marks: dict[int, int] = {}
    index = 0
    named = False
    unnamed = False
    while index < len(data):
        byte = data[index]
        index += 1
        if byte != ord("%"):
            continue
        marks[index - 1] = _DIR_START
        has_name = False
        if _at(data, index) == ord("("):
            depth = 0
            index += 1
            while index < len(data):
                if data[index] == ord("("):
                    depth += 1
                elif data[index] == ord(")"):
                    if depth == 0:
                        break
                    depth -= 1
                index += 1
            if index >= len(data):
                marks[index - 1] = _DIR_ERROR
                return marks
            index += 1
            has_name = True
        while _at(data, index) != 0 and _at(data, index) in b"-+ #0":
            index += 1
        for part in ("width", "precision"):
            if part == "precision":
                if _at(data, index) != ord("."):
                    break
                index += 1
            if _at(data, index) == ord("*"):
                index += 1
                if named:
                    marks[index - 1] = _DIR_ERROR
                    return marks
                unnamed = True
            else:
                while _isdigit(data, index):
                    index += 1
        if _at(data, index) != 0 and _at(data, index) in b"hlL":
            index += 1
        conversion = _at(data, index)
        if conversion == 0:
            marks[index - 1] = _DIR_ERROR
            return marks
        if conversion not in b"%csridouxXeEfgG":
            marks[index] = _DIR_ERROR
            return marks
        if has_name:
            if unnamed:
                marks[index] = _DIR_ERROR
                return marks
            named = True
        elif conversion != ord("%"):
            if named:
                marks[index] = _DIR_ERROR
                return marks
            unnamed = True
        marks[index] = _DIR_END
        index += 1
    return marks


def _python_brace_directives(data: bytes) -> dict[int, int]:
    """Directive marks of gettext's python-brace-format parser (format-python-brace.c).

    That parser records marks relative to the start of each directive instead of the
    start of the string, so they land near the beginning of the string; reproduced here.
    """
    marks: dict[int, int] = {}
    index = 0
    while index < len(data):
        if data[index] != ord("{"):
            index += 1
            continue
        end = _brace_directive(data, index, True, marks)
        if end < 0:
            return marks
        index = end
    return marks


_IDENTIFIER_START = frozenset(b"_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_IDENTIFIER_PART = _IDENTIFIER_START | frozenset(_DIGITS)


def _brace_field(data: bytes, index: int, numeric: bool) -> int:
    """End of the ASCII identifier (or, if ``numeric``, digit run) at ``index``, or -1."""
    if _at(data, index) in _IDENTIFIER_START:
        while _at(data, index) in _IDENTIFIER_PART:
            index += 1
        return index
    if numeric and _isdigit(data, index):
        while _isdigit(data, index):
            index += 1
        return index
    return -1


def _brace_directive(data: bytes, start: int, toplevel: bool, marks: dict[int, int]) -> int:
    """Parse the directive whose ``{`` is at ``start``; return the index after it, or -1."""

    def mark(index: int, value: int) -> None:
        marks[index - start] = marks.get(index - start, 0) | value

    index = start + 1
    if _at(data, index) == ord("{"):
        return index + 1
    name_start = index
    index = _brace_field(data, index, True)
    if index < 0:
        mark(name_start, _DIR_ERROR)
        return -1
    while True:
        byte = _at(data, index)
        if byte == ord("."):
            after = _brace_field(data, index + 1, False)
            if after < 0:
                mark(index + 1, _DIR_ERROR)
                return -1
            index = after
        elif byte == ord("["):
            after = _brace_field(data, index + 1, True)
            if after < 0:
                mark(index + 1, _DIR_ERROR)
                return -1
            if _at(data, after) != ord("]"):
                # gettext 0.21 marks this error one byte further on.
                mark(after + 1, _DIR_ERROR)
                return -1
            index = after + 1
        else:
            break
    if _at(data, index) == ord(":"):
        if not toplevel:
            mark(index, _DIR_ERROR)
            return -1
        index += 1
        if _at(data, index) == ord("{"):
            index = _brace_directive(data, index, False, marks)
            if index < 0:
                return -1
        else:
            if _at(data, index) == 0:
                mark(index, _DIR_ERROR)
                return -1
            if _at(data, index + 1) != 0 and _at(data, index + 1) in b"<>=^":
                index += 2
            elif _at(data, index) in b"<>=^":
                index += 1
            if _at(data, index) != 0 and _at(data, index) in b"+- ":
                index += 1
            if _at(data, index) == ord("#"):
                index += 1
            if _at(data, index) == ord("0"):
                index += 1
            while _isdigit(data, index):
                index += 1
            if _at(data, index) == ord("."):
                # gettext 0.21 takes the dot even when no digits follow.
                index += 1
                while _isdigit(data, index):
                    index += 1
            if _at(data, index) != 0 and _at(data, index) in b"bcdoxXneEfFgG%":
                index += 1
    if _at(data, index) != ord("}"):
        mark(index, _DIR_ERROR)
        return -1
    if toplevel:
        mark(name_start - 1, _DIR_START)
        mark(index, _DIR_END)
    return index + 1


def no_break_inside(value: str, language: str, translated: bool) -> list[bool]:
    """For each character of ``value``: True if it is inside a valid directive, after its start."""
    data = value.encode("utf-8")
    if language in ("c", "objc"):
        marks = _c_directives(data, translated, objc=language == "objc")
    elif language == "python":
        marks = _python_directives(data)
    else:
        marks = _python_brace_directives(data)
    # As write-po.c: a START opens a directive up to the next END (valid) or ERROR.
    valid = [False] * len(data)
    index = 0
    while index < len(data):
        if marks.get(index, 0) & _DIR_START:
            close = index
            while close < len(data) and not marks.get(close, 0) & (_DIR_END | _DIR_ERROR):
                close += 1
            if close == len(data):
                break
            if not marks[close] & _DIR_ERROR:
                for inside in range(index, close + 1):
                    valid[inside] = True
            index = close + 1
        else:
            index += 1
    result: list[bool] = []
    offset = 0
    for char in value:
        result.append(valid[offset] and not marks.get(offset, 0) & _DIR_START)
        offset += len(char.encode("utf-8"))
    return result


# ---------------------------------------------------------------------------------------
# Flags, as gettext parses them (po_parse_comment_special) and prints them back.
# ---------------------------------------------------------------------------------------

# gettext 0.21's format languages, in the order it prints their flags.
FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme", "lisp",
    "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde",
    "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp",
)  # fmt: skip
_LANGUAGE_ORDER = {language: index for index, language in enumerate(FORMAT_LANGUAGES)}
PARSED_LANGUAGES = ("c", "objc", "python", "python-brace")
_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")


# Immutable, so that a parse can be shared by every message with the same flags.
@dataclass(frozen=True, slots=True)
class Flags:
    fuzzy: bool = False
    # (format language, "yes", "no", "possible" or "impossible"), in gettext's order.
    formats: tuple[tuple[str, str], ...] = ()
    range: tuple[int, int] | None = None
    wrap: bool = True


def parse_flags(flags: Iterable[str]) -> Flags:
    return _parsed_flags(", ".join(flags))


# Catalogues repeat a few flag combinations over and over.
@lru_cache(maxsize=256)
def _parsed_flags(text: str) -> Flags:
    fuzzy = False
    formats: dict[str, str] = {}
    bounds: tuple[int, int] | None = None
    wrap = True
    tokens = [token for token in _FLAG_SEPARATORS.split(text) if token]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "fuzzy":
            fuzzy = True
        elif token.endswith("-format") and _format_flag(formats, token[: -len("-format")]):
            pass
        elif token == "range:":
            # The bounds are the next token; gettext consumes it even when it is malformed.
            if index < len(tokens):
                parsed = _parse_range(tokens[index])
                index += 1
                if parsed is not None:
                    bounds = parsed
        elif token == "wrap":
            wrap = True
        elif token == "no-wrap":
            wrap = False
        # Anything else (syntax-check flags, flags of other tools) is dropped, as gettext does.
    ordered = tuple(sorted(formats.items(), key=lambda item: _LANGUAGE_ORDER[item[0]]))
    return Flags(fuzzy=fuzzy, formats=ordered, range=bounds, wrap=wrap)


def _format_flag(formats: dict[str, str], stem: str) -> bool:
    value = "yes"
    for prefix, meaning in (("no-", "no"), ("possible-", "possible"), ("impossible-", "impossible")):
        if stem.startswith(prefix):
            stem = stem[len(prefix) :]
            value = meaning
            break
    if stem not in _LANGUAGE_ORDER:
        return False
    formats[stem] = value
    return True


def _parse_range(token: str) -> tuple[int, int] | None:
    low, dots, high = token.partition("..")
    low_digits = _leading_digits(low)
    high_digits = _leading_digits(high)
    if not dots or not low_digits or low_digits != low or not high_digits:
        return None
    limit = 2**31 - 1
    low_value = min(int(low_digits), limit)
    high_value = min(int(high_digits), limit)
    return (low_value, high_value) if low_value <= high_value else None


def _leading_digits(text: str) -> str:
    end = 0
    while end < len(text) and text[end] in "0123456789":
        end += 1
    return text[:end]


def directive_language(flags: Flags) -> str | None:
    for language, value in flags.formats:
        if value in ("yes", "possible"):
            return language
    return None
