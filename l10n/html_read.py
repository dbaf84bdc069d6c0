"""Reading real pages: bytes to text (DESIGN.md §Reading real pages) and text to an lxml tree.

The decoding order is fixed: a BOM wins; else bytes that are valid UTF-8 are UTF-8;
else the charset the page declares; else windows-1252. lxml never sees raw bytes, so
its own encoding guess (which mis-decodes pages whose ``<title>`` precedes the
``<meta charset>``) never applies.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import lxml.etree as etree

from .errors import ArticleError

# Deeper trees are cut by libxml2 (content below the limit is dropped), so such a page
# is refused with a clear error instead of being silently truncated.
MAX_DEPTH = 2048

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG Encoding Standard: labels that browsers decode with a superset codec.
_WHATWG_CODEC = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "windows-31j": "cp932",
    "big5": "big5hkscs",
    # A page that *declares* UTF-16 in a meta tag is, by the standard, UTF-8.
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.IGNORECASE)
_DOCTYPE = re.compile(r"\A\s*(?:<!--.*?-->\s*)*(<!doctype[^>]*>)", re.IGNORECASE | re.DOTALL)
_MARKUP = re.compile(r"<[A-Za-z!/?]")


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed page: the lxml root, the doctype line as written, the encoding it had."""

    root: etree._Element
    doctype: str | None
    encoding: str


def _windows_1252(data: bytes) -> str:
    # The five bytes cp1252 leaves undefined decode to C1 controls, as in browsers.
    return data.decode("cp1252", errors="_l10n_c1")


def _c1_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return "".join(chr(b) for b in bad), error.end


codecs.register_error("_l10n_c1", _c1_fallback)


def declared_charset(data: bytes) -> str | None:
    """Return the charset a ``<meta>`` declares in the first 64 KiB, or None."""
    match = _META_CHARSET.search(data, 0, 65536)
    return match.group(1).decode("ascii").lower() if match else None


def decode(data: bytes) -> tuple[str, str]:
    """Decode page bytes as a browser would; return ``(text, encoding used)``.

    Raises ArticleError (with the line of the first bad byte) when the page declares a
    charset its bytes do not follow.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    label = declared_charset(data)
    if label is not None:
        codec = _WHATWG_CODEC.get(label, label)
        try:
            name = codecs.lookup(codec).name
        except LookupError:
            name = ""  # an unknown label is ignored, as browsers do
        if name == "cp1252":
            return _windows_1252(data), "windows-1252"
        if name and name != "utf-8":
            try:
                return data.decode(name), label
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                raise ArticleError(
                    f"byte 0x{data[exc.start]:02x} is not valid {label} (declared charset)", line=line
                ) from None
    return _windows_1252(data), "windows-1252"


def parse_text(text: str, encoding: str = "utf-8") -> Document:
    """Parse decoded page text; refuse input that is empty, binary, not HTML or too deep."""
    if "\x00" in text[:4096]:
        raise ArticleError("not HTML: the file holds binary data (NUL bytes)", line=1)
    if not text.strip():
        raise ArticleError("empty article", line=1)
    if not _MARKUP.search(text):
        raise ArticleError("not HTML: no markup found", line=1)
    # lxml.etree's parser, not lxml.html's: the same libxml2 tree without a Python class
    # lookup for every element (a tenth of a build's time on real pages).
    parser = etree.HTMLParser(huge_tree=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.ParserError, ValueError) as exc:
        raise ArticleError(f"cannot parse: {exc}", line=1) from None
    if root is None:
        raise ArticleError("cannot parse: no element in the document", line=1)
    for entry in parser.error_log:
        if "Excessive depth" in entry.message:
            raise ArticleError(
                f"elements nested more than {MAX_DEPTH} levels deep; refusing to truncate the page",
                line=entry.line,
            )
    doctype = _DOCTYPE.match(text)
    return Document(root, doctype.group(1) if doctype else None, encoding)


def parse(data: bytes) -> Document:
    """Decode and parse page bytes (see :func:`decode` and :func:`parse_text`)."""
    text, encoding = decode(data)
    return parse_text(text, encoding)
