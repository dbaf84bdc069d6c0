"""Page text as segmentation reads it: HTML white space, and whether text has letters.

White space here is HTML's (space, tab, line feed, carriage return, form feed), not
Python's: a no-break space or an ideographic space is text, never collapsed. A run of
text is a unit only when it holds a letter (:func:`has_letters`).
"""

from __future__ import annotations

import re

WS = " \t\n\r\f"
_SPACES = re.compile(r"[ \t\n\r\f]+")
_LETTER = re.compile(r"[^\W\d_]")


def has_letters(text: str) -> bool:
    """True when *text* holds at least one letter (runs without letters are not units)."""
    if text.isascii():
        # The ASCII letters are the ASCII characters that have a case: comparing the
        # cases runs in C, several times faster than the regex on most page text.
        return text.lower() != text.upper()
    return _LETTER.search(text) is not None


def collapse(text: str) -> str:
    """*text* without white space at its ends, each run of white space inside made one space."""
    text = text.strip(WS)
    # Most text has no run of white space to collapse, and the regex is the slow part.
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        return _SPACES.sub(" ", text)
    return text


def split_space(raw: str) -> tuple[str, str]:
    """The leading and trailing white space of *raw* (kept in the page around a unit)."""
    if not raw or (raw[0] not in WS and raw[-1] not in WS):
        return "", ""  # the usual case, without copying the text twice
    stripped = raw.lstrip(WS)
    lead = raw[: len(raw) - len(stripped)]
    core = stripped.rstrip(WS)
    return lead, stripped[len(core) :]
