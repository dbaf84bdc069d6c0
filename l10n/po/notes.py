"""A message's comment lines sorted out as GNU gettext sorts them (read-catalog-abstract.c).

``#.`` lines are extracted comments, ``#:`` lines references, ``#,`` and ``#!`` lines flags,
``# File: x, line: n`` a Solaris reference, any other a translator comment. References are
split as gettext 0.22 splits them (a name between U+2068 and U+2069 keeps its spaces), each
kept once; flags in order, each once, ``range: a..b`` as one flag. :func:`notes_of` takes
the text after each ``#``, as the parser reads it; :func:`usual_notes` takes the blocks of
whole lines the reader's fast path matches, in their usual order, and gives the same.
:func:`flags_of` and :func:`usual_flags` give their flags alone, for a reader that keeps
no other note.
"""

from __future__ import annotations

import re
from typing import TypeVar

_T = TypeVar("_T")
# Translator comments, extracted comments, references (file, line) and flags.
Notes = tuple[str, str, tuple[tuple[str, str], ...], tuple[str, ...]]

_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")
_SOLARIS = re.compile(r" [Ff]ile:[ \t]*(.*?)[ \t]*,[ \t]*line[ \t]*(?:number[ \t]*)?:([0-9]+)[ \t\n]*", re.DOTALL)
# The references of a "#:" line as gettext writes them: one space before each, a file name
# that does not start with ":" or an isolate, a line number without leading zeros.
_USUAL_REFERENCES = re.compile(r"(?: [^ \t:\u2068][^ \t]*:(?:0|[1-9][0-9]{0,17}))+")
_REFERENCE = re.compile(r" ([^ \t]+):([0-9]+)")
# One "#:" line of one reference as gettext writes it (as _USUAL_REFERENCES), its name and line.
_ONE_REFERENCE = re.compile(r"#: ([^ \t\n:\u2068][^ \t\n]*):(0|[1-9][0-9]{0,17})\n")


def notes_of(comments: list[str]) -> Notes:
    """Translator comments, extracted comments, references and flags, from the text after each ``#``."""
    if not comments:
        return "", "", (), ()
    translator: list[str] = []
    extracted: list[str] = []
    references: dict[tuple[str, str], None] = {}  # gettext keeps a reference once
    flags: dict[str, None] = {}
    for text in comments:
        mark = text[:1]
        if mark == ".":
            extracted.append(text[2:] if text[1:2] == " " else text[1:])
        elif mark == ":":
            for reference in _references(text[1:]):
                references[reference] = None
        elif mark == "," or mark == "!":
            for flag in _flags(text[1:]):
                flags[flag] = None
        elif mark == " " and (solaris := _SOLARIS.fullmatch(text)) is not None:
            references[(solaris.group(1), _line_number(solaris.group(2)))] = None
        else:
            translator.append(text[1:] if mark == " " else text)
    return "\n".join(translator), "\n".join(extracted), tuple(references), tuple(flags)


def flags_of(comments: list[str]) -> tuple[str, ...]:
    """``notes_of(comments)[3]``, the flags, without sorting out the other notes."""
    flags: dict[str, None] = {}
    for text in comments:
        if text[:1] == "," or text[:1] == "!":
            flags.update(dict.fromkeys(_flags(text[1:])))
    return tuple(flags)


def usual_flags(block: str) -> tuple[str, ...]:
    """``usual_notes(...)[3]`` of a block of ``#,`` lines (the same words however the other notes are)."""
    return (_FLAG_LINES.get(block) or _remembered(_FLAG_LINES, block, _flag_lines(block))) if block else ()


def usual_notes(translator: str, extracted: str, references: str, flags: str) -> Notes:
    """:func:`notes_of` of comment lines in the usual order, each kind a block of whole lines
    (nearly always one "#." line, one "#:" line, perhaps "#, fuzzy")."""
    if "ile:" in translator:  # perhaps a Solaris reference
        return notes_of([line[1:] for line in (translator + extracted + references + flags).split("\n")[:-1]])
    if translator:
        translator = "\n".join([line[2:] for line in translator[:-1].split("\n")])
    if extracted:
        extracted = _EXTRACTED.get(extracted) or _remembered(_EXTRACTED, extracted, _extracted(extracted))
    found: tuple[tuple[str, str], ...] = ()
    if references and (one := _ONE_REFERENCE.fullmatch(references)) is not None:
        found = ((one[1], one[2]),)  # the usual line: one reference
    elif references:
        line = references
        lines = references.count("\n")
        if lines > 1 and references.count("\n#: ") == lines - 1:  # the lines as one: " name:line" each
            line, lines = references.replace("\n#:", ""), 1
        end = len(line) - 1
        if lines == 1 and _USUAL_REFERENCES.fullmatch(line, 2, end):
            pairs = _REFERENCE.findall(line, 2, end)
            found = tuple(pairs) if len(pairs) == 1 else tuple(dict.fromkeys(pairs))
        else:
            every: dict[tuple[str, str], None] = {}
            for line in references[:-1].split("\n"):
                every.update(dict.fromkeys(_references(line[2:])))
            found = tuple(every)
    return translator, extracted, found, usual_flags(flags)


# A catalogue repeats a few blocks of extracted comments and of flags: what they say, by block.
_EXTRACTED: dict[str, str] = {}
_FLAG_LINES: dict[str, tuple[str, ...]] = {}


def _remembered(seen: dict[str, _T], block: str, value: _T) -> _T:
    if len(seen) > 256:
        seen.clear()
    seen[block] = value
    return value


def _extracted(block: str) -> str:
    return "\n".join([line[3:] if line[2:3] == " " else line[2:] for line in block[:-1].split("\n")])


def _flag_lines(block: str) -> tuple[str, ...]:
    words: dict[str, None] = {}
    for line in block[:-1].split("\n"):
        words.update(dict.fromkeys(_flags(line[2:])))
    return tuple(words)


def _flags(text: str) -> list[str]:
    """The words of a ``#,`` line; ``range:`` takes the word after it, as gettext does."""
    words = [word for word in _FLAG_SEPARATORS.split(text) if word]
    if "range:" not in words:
        return words
    flags: list[str] = []
    while words:
        word = words.pop(0)
        flags.append(f"range: {words.pop(0)}" if word == "range:" and words else word)
    return flags


def _line_number(digits: str) -> str:
    """A reference's line as gettext stores it, in a size_t where -1 means none."""
    if len(digits) < 19:
        return str(int(digits))
    number = 0
    for at in range(0, len(digits), 18):  # int() takes at most 4300 digits
        chunk = digits[at : at + 18]
        number = (number * 10 ** len(chunk) + int(chunk)) % 2**64
    return "" if number == 2**64 - 1 else str(number)


def _references(text: str) -> list[tuple[str, str]]:
    """The (file, line) pairs of a ``#:`` line (line "" when there is none), as gettext 0.22 reads them."""
    if "\u2068" not in text and "\t" not in text:
        words = text.split(" ")
        if all(word[:1] != ":" and word[-1:] != ":" for word in words):
            found = []
            for word in words:
                if word:
                    name, colon, digits = word.rpartition(":")
                    usual = colon and name and digits.isdigit() and digits.isascii()
                    found.append((name, _line_number(digits)) if usual else (word, ""))
            return found
    return _references_exactly(text)


def _references_exactly(text: str) -> list[tuple[str, str]]:
    """:func:`_references` step by step, as parse_comment_filepos goes: a file name (or one
    between isolates), then " : N", ":N" or ": N" after it, or the digits after its last colon."""
    blank, digits = " \t\n", "0123456789"
    found: list[tuple[str, str]] = []
    size, i = len(text), 0
    while i < size:
        while i < size and text[i] in blank:
            i += 1
        if i >= size:
            break
        isolated = text[i] == "\u2068"
        start = i + 1 if isolated else i
        i = start if isolated else i + 1
        while i < size and (text[i] not in "\n\u2069" if isolated else text[i] not in blank):
            i += 1
        name_end = i
        if isolated and i < size and text[i] == "\u2069":
            i += 1
        for colon_first in (True, False):
            p = i
            if colon_first:
                while p < size and text[p] in blank:
                    p += 1
                if text[p : p + 1] != ":":
                    continue
                p += 1
            elif text[i - 1] != ":":
                continue
            while p < size and text[p] in blank:
                p += 1
            q = p
            while q < size and text[q] in digits:
                q += 1
            if q > p and (q == size or text[q] in blank):
                found.append((text[start : name_end if colon_first else i - 1], _line_number(text[p:q])))
                i = q
                break
        else:
            p = i
            while p > start and text[p - 1] in digits:
                p -= 1
            trailing = start + 1 < p < i and text[p - 1] == ":"
            found.append((text[start : p - 1], _line_number(text[p:i])) if trailing else (text[start:name_end], ""))
    return found
