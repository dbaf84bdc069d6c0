"""Charsets as GNU gettext knows them (po-charset.c), and a file's bytes decoded by its header's.

gettext reads a file's bytes raw until the header names its charset, then converts from it:
any charset gettext knows that Python can decode. A byte sequence that is no character is
an error where gettext checks (strings, keywords, the character after ``#``: the lexer
refuses it there) and U+FFFD where it does not (comments, what precedes the header, bytes
made by escapes, files whose charset gettext does not know, which are decoded as named, or
as UTF-8). This module owns the table of names, what a header's charset means to the
reader, and the decoding; when to switch is the reader's.
"""

from __future__ import annotations

import codecs
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

_GETTEXT_CHARSETS = [
    *("ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7"),
    *("ISO-8859-8", "ISO-8859-9", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15", "KOI8-R", "KOI8-U", "KOI8-T"),
    *("CP850", "CP866", "CP874", "CP932", "CP949", "CP950", "CP1250", "CP1251", "CP1252", "CP1253", "CP1254"),
    *("CP1255", "CP1256", "CP1257", "GB2312", "EUC-JP", "EUC-KR", "EUC-TW", "BIG5", "BIG5-HKSCS", "GBK"),
    *("GB18030", "SHIFT_JIS", "JOHAB", "TIS-620", "VISCII", "GEORGIAN-PS", "UTF-8"),
]
# Every name po_charset_canonicalize knows (compared without case), and its canonical name.
_CANONICAL = {name: name for name in _GETTEXT_CHARSETS} | {
    "ANSI_X3.4-1968": "ASCII",
    "US-ASCII": "ASCII",
    **{name.replace("ISO-", "ISO_"): name for name in _GETTEXT_CHARSETS if name.startswith("ISO-8859-")},
}


@dataclass(frozen=True, slots=True)
class Charset:
    """What the charset a header names means to the reader."""

    name: str  # as :attr:`Catalog.charset` records it (:func:`header_charset`)
    codec: str | None  # Python's codec for it; None for a charset gettext knows and Python cannot decode
    converted: bool  # whether gettext knows it, so converts from it and checks the characters


def charset_of(msgstr: str) -> Charset:
    """The charset a header msgstr names: gettext's name and Python's codec for a charset
    gettext knows, the name as written for one only Python knows, else UTF-8 (unconverted)."""
    name = charset_named(msgstr)
    canonical = canonical_name(name)
    if canonical is not None:
        return Charset(canonical, python_codec(canonical), True)
    if name:
        codec = python_codec(name)
        if codec is not None:
            return Charset(name, codec, False)
    return Charset("UTF-8", "utf-8", False)


def header_charset(msgstr: str) -> str:
    """The charset a header msgstr names, as :attr:`Catalog.charset` records it: gettext's name
    for a charset gettext knows, the name as written for one only Python knows, else UTF-8."""
    return charset_of(msgstr).name


def charset_named(msgstr: str) -> str | None:
    """What follows the first ``charset=`` of a header, to a space, tab or line end (po_lex_charset_set)."""
    at = msgstr.find("charset=")
    return None if at < 0 else re.split(r"[ \t\n]", msgstr[at + 8 :], maxsplit=1)[0]


def canonical_name(name: str | None) -> str | None:
    """gettext's name for a charset it knows (po_charset_canonicalize), else None."""
    return _CANONICAL.get(name.upper()) if name is not None and name.isascii() else None


@lru_cache(maxsize=64)
def python_codec(name: str) -> str | None:
    """Python's codec for a charset name, if it has one that decodes ASCII as ASCII (backslashes
    included: not unicode_escape, not UTF-16, not rot13...) and can replace what it cannot decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unicode_escape warns of its own invalid escapes
            info = codecs.lookup(name)
            if _ASCII.decode(info.name) != _ASCII.decode("ascii"):
                return None
            b"\xff\xfe\x80\x8e\xa4".decode(info.name, "replace")
    except (LookupError, ValueError, UnicodeError):
        return None
    return info.name


_ASCII = bytes(range(128)) + b"\\n\\x41\\101\\u0041\\\\+-~"


def decoded(data: bytes, codec: str, converted: bool) -> tuple[str, bool]:
    """*data* decoded with *codec*, and whether it holds bytes that are no character: kept
    (surrogateescape) for the lexer to refuse if gettext *converted* them, else U+FFFD."""
    if not converted:  # gettext does not convert: nothing is checked
        return data.decode(codec, "replace"), False
    try:
        return data.decode(codec), False
    except UnicodeDecodeError:
        return data.decode(codec, "surrogateescape"), True


def transcoded(text: str, codec: str) -> str:
    """Bytes read as Latin-1, decoded with *codec* (unchecked: a byte that is no character is U+FFFD)."""
    return text if text.isascii() else text.encode("latin-1").decode(codec, "replace")


def has_surrogates(text: str) -> bool:
    """Whether *text* holds lone surrogates: bytes that are no character, as surrogateescape keeps them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
