"""Reading real pages: bytes to text (DESIGN.md §Reading real pages) and text to an lxml tree.

The decoding order is fixed: a BOM wins; else bytes that are valid UTF-8 are UTF-8;
else the charset the page declares (a label of the Encoding Standard; browsers ignore
any other, and so do we); else windows-1252. lxml never sees raw bytes, so its own
encoding guess (which mis-decodes pages whose ``<title>`` precedes the ``<meta
charset>``) never applies.

Limits: an article is refused (:class:`ArticleError`) past :data:`MAX_BYTES` bytes,
:data:`MAX_DEPTH` levels of nesting, :data:`MAX_UNITS` units or a unit of
:data:`MAX_UNIT_CHARS` characters (both checked by ``segment.slots``). Within them,
extract and build (four locales) peak under 64 MB for the interpreter plus 20 times the
article's size, or plus 8 KB a unit for a page of very many short units, whichever is
more: about 280 MB at most (tests/test_limits.py measures each shape).

Characters neither a page nor a PO file can hold are cleaned before parsing, and each
line that held one is reported in :attr:`Document.problems`: NUL, U+FFFE, U+FFFF and
lone surrogates become U+FFFD, a form feed becomes a space (HTML reads it as white
space), the other C0 controls but tab, LF and CR are removed (browsers show nothing for
them). C1 controls, DEL and the other noncharacters are kept: lxml and gettext hold them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import lxml.etree as etree

from .errors import ArticleError

# The limits. The largest of the 130 real pages of the shared corpus is 1.6 MB
# (yahoo-2.html), the deepest 37 levels (wikipedia-2.html), the one with most units 3,813
# (wikipedia-2.html, 1.0 MB).
#
# Bytes: six times the largest real page. Memory and time grow with the size (a 50 MB
# page took 23 s and 440 MB to extract, 33 s and 970 MB to build in four locales), and
# the bytes are the first thing known of an article, so they are checked first.
MAX_BYTES = 10 * 1024**2
# Depth: libxml2's own limit. Deeper trees are cut by it (content below the limit is
# dropped), so such a page is refused with a clear error instead of being silently truncated.
MAX_DEPTH = 2048
# Units: six times the most a real page has, and what keeps a page of short paragraphs
# within the memory of a news page at the byte limit (20 x 10 MiB + 64 MiB, 277 MB). Each
# unit costs its slot, its PO entry in the template and in every locale's catalogue, and
# its translations at build: about 7 KB with four locales, whatever its length (a build of
# 25,000 one-line paragraphs, 2.5 MB, peaks at 229 MB; of 50,000, at 410 MB). The walk
# stops at the first unit past the limit.
MAX_UNITS = 25_000
# Characters of one unit: five times the longest real one (a 105,000-character chapter in
# one paragraph, archive-of-our-own.html of the shared corpus). Laying out a msgid as
# gettext wraps it takes ~50 bytes a character at the peak (a 10 MB paragraph took 450
# MB), which this keeps within the memory promise of the page that holds it.
MAX_UNIT_CHARS = 500_000
# Lines with characters a page or a PO file cannot hold that are reported one by one; the
# rest are counted in one more problem, so a damaged file does not flood the report.
MAX_PROBLEMS = 10

_MiB = 1024**2

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG Encoding Standard: labels that browsers decode with a superset codec, or that
# Python does not know.
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
    "windows-874": "cp874",
    "dos-874": "cp874",
    "x-mac-cyrillic": "mac_cyrillic",
    "x-mac-ukrainian": "mac_cyrillic",
    "iso-8859-8-i": "iso8859-8",
    # A page that *declares* UTF-16 in a meta tag is, by the standard, UTF-8.
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}

# Python codecs (by codecs.lookup name) that decode an encoding of the Encoding Standard.
# A label resolving to any other codec is ignored, as browsers ignore labels they do not
# know: Python also knows transforms (base64, rot13: LookupError on decode), codecs that
# make characters out of escapes (unicode_escape: lone surrogates, NUL) and UTF-7 or
# EBCDIC, which no browser reads.
_DECODERS = frozenset(
    [
        "utf-8",
        "cp866",
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "mac-cyrillic",
        "cp874",
        "gb18030",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "cp932",
        "cp949",
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        *(f"cp{n}" for n in range(1250, 1259)),
    ]
)

# The same for the other labels of those encodings, by the codec Python finds for them
# (Python's "l1" or "latin_1" is ISO-8859-1, "csshiftjis" Shift_JIS...).
_SUPERSETS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "big5": "big5hkscs",
}

# Characters a page or a PO file cannot hold (lxml refuses to set them: a build writing a
# translation next to one crashed; a PO file cannot hold NUL or U+0004), and what each
# becomes. libxml2 keeps them all in the tree but NUL (made U+FFFD) and lone surrogates
# (the rest of the element is dropped).
_UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_CLEANING: dict[int, str | None] = {
    **{code: None for code in range(0x20) if chr(code) not in "\t\n\r"},
    **{code: "\ufffd" for code in (0x00, 0xFFFE, 0xFFFF, *range(0xD800, 0xE000))},
    0x0C: " ",
}
_SEARCHED = [chr(code) for code in _CLEANING if not 0xD800 <= code < 0xE000]
_C0_BYTES = bytes(code for code in _CLEANING if code < 0x20)
# What libxml2 says when the text holds a lone surrogate.
_BAD_INPUT = "Invalid bytes in character encoding"

# A character reference to a character _UNHOLDABLE holds: libxml2 puts it in the tree (but
# &#0; and surrogates, made U+FFFD), where lxml then refuses to set it (a build relocating a
# link crashed). Decimal 1-8, 11, 12, 14-31, 65534, 65535; hexadecimal the same.
_REFERENCE = (
    r"&#(?:0*(?:[1-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9])"
    r"|[xX]0*(?:[1-8bBcCeEfF]|1[0-9a-fA-F]|[fF]{3}[eEfF])(?![0-9a-fA-F]))"
)
_UNHOLDABLE_REFERENCE = re.compile(_REFERENCE)
_UNHOLDABLE_REFERENCE_BYTES = re.compile(_REFERENCE.encode("ascii"))

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.IGNORECASE)
_DOCTYPE = re.compile(r"\A\s*(?:<!--.*?-->\s*)*(<!doctype[^>]*>)", re.IGNORECASE | re.DOTALL)
_MARKUP = re.compile(r"<[A-Za-z!/?]")


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed page: the lxml root, the doctype line as written, the encoding it had.

    *problems* are what was changed to read it (characters a page or a PO file cannot
    hold, one error per line, see :data:`MAX_PROBLEMS`): the page is usable, and the
    caller reports them with the article's path.
    """

    root: etree._Element
    doctype: str | None
    encoding: str
    problems: tuple[ArticleError, ...] = ()
    # The text may hold an attribute the build removes or acts on (``its-…``, the language
    # switcher's mark): a substring search at parse, so most pages skip looking for them.
    marked: bool = True


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


def check_size(size: int) -> None:
    """Raise ArticleError (line 1) when an article of *size* bytes is over :data:`MAX_BYTES`.

    :func:`decode` checks it; a caller that knows the size before reading the file (its
    ``stat``) can refuse it without reading it.
    """
    if size > MAX_BYTES:
        raise ArticleError(
            f"article is {size / _MiB:.1f} MiB ({size:,} bytes); the limit is {MAX_BYTES // _MiB} MiB", line=1
        )


def decode(data: bytes) -> tuple[str, str]:
    """Decode page bytes as a browser would; return ``(text, encoding used)``.

    Raises ArticleError when the page is over :data:`MAX_BYTES` (line 1), or (with the
    line of the first bad byte) when it declares a charset its bytes do not follow.
    """
    check_size(len(data))
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
        name = _SUPERSETS.get(name, name)
        if name not in _DECODERS:
            name = ""
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


def _described(chars: Collection[str]) -> str:
    """What cleaning did to *chars* (the unholdable characters of one line)."""
    parts = []
    removed = sorted(char for char in chars if _CLEANING[ord(char)] is None)
    if removed:
        plural = "s" if len(removed) > 1 else ""
        parts.append(f"control character{plural} {_code_points(removed)} removed")
    replaced = sorted(char for char in chars if _CLEANING[ord(char)] == "\ufffd")
    if replaced:
        parts.append(f"{_code_points(replaced)} replaced by U+FFFD")
    if "\f" in chars:
        parts.append("form feed U+000C replaced by a space")
    return "; ".join(parts)


def _code_points(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(char):04X}" for char in chars)


def _clean(text: str) -> tuple[str, tuple[ArticleError, ...]]:
    """*text* without the characters a page or a PO file cannot hold; one problem per line that held some."""
    lines: dict[int, dict[str, None]] = {}  # line -> its characters, in order (a set that keeps it)
    line, counted = 1, 0
    for match in _UNHOLDABLE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.setdefault(line, {})[match.group()] = None
    return text.translate(_CLEANING), _problems(lines)


def _problems(lines: dict[int, dict[str, None]], how: str = "") -> tuple[ArticleError, ...]:
    """One problem per line of *lines* (line -> the characters cleaned there), *how* after each."""
    problems = [
        ArticleError(_described(chars) + how, line=line) for line, chars in list(lines.items())[:MAX_PROBLEMS]
    ]
    if len(lines) > MAX_PROBLEMS:
        more = len(lines) - MAX_PROBLEMS
        problems.append(
            ArticleError(
                f"{more} more lines hold characters a page or a PO file cannot hold; cleaned the same way",
                line=list(lines)[MAX_PROBLEMS],
            )
        )
    return tuple(problems)


def _clean_references(root: etree._Element, text: str) -> tuple[ArticleError, ...]:
    """Clean in the tree the characters :data:`_UNHOLDABLE_REFERENCE` put there, as
    :func:`_clean` cleans them in the text; one problem per line of such a reference.

    A reference in a script is text, and stays: each character cleaned is matched to the
    first reference to it at or after the line of the element that held it.
    """
    references: list[tuple[int, str]] = []  # (line, character), in the order of the text
    line, counted = 1, 0
    for match in _UNHOLDABLE_REFERENCE.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        reference = match.group()
        references.append((line, chr(int(reference[3:], 16) if reference[2:3] in "xX" else int(reference[2:]))))
    lines: dict[int, dict[str, None]] = {}

    def cleaned(value: str, at: int | None) -> str:
        for char in _UNHOLDABLE.findall(value):
            for index, (where, meant) in enumerate(references):
                if meant == char and where >= (at or 0):
                    lines.setdefault(where, {})[char] = None
                    del references[index]
                    break
        return value.translate(_CLEANING)

    for node in (*root.itersiblings(preceding=True), *root.iter(), *root.itersiblings()):
        at = node.sourceline if isinstance(node.sourceline, int) else None
        if isinstance(node.tag, str):
            for key, value in node.items():
                if isinstance(value, str) and _UNHOLDABLE.search(value):
                    node.set(key, cleaned(value, at))
        if node.text and _UNHOLDABLE.search(node.text):
            node.text = cleaned(node.text, at)
        if node.tail and _UNHOLDABLE.search(node.tail):
            node.tail = cleaned(node.tail, at)
    return _problems(dict(sorted(lines.items())), " (character references)")


def _one_root(root: etree._Element) -> None:
    """Move what libxml2 put in further ``<html>`` elements beside the root (what follows
    ``</html>``) to the end of the page's ``<body>``, where browsers put it; comments
    beside the root stay there, as in browsers. Code that walks or copies the page knows
    one root: a build crashed copying such a page, and its text was neither extracted nor
    built."""
    extra = [node for node in root.itersiblings() if isinstance(node.tag, str)]
    if not extra:
        return
    body = root.find("body")
    target = body if body is not None else root
    for html in extra:
        target.append(html)  # now inside the page, where it can be taken apart
        for wrapper in [child for child in html if child.tag in ("head", "body")]:
            _unwrap(wrapper)  # browsers ignore a second <head> or <body> tag, not its content
        _unwrap(html)


def _unwrap(element: etree._Element) -> None:
    """Replace *element* by its content (text, children, tail) in its parent."""
    parent = element.getparent()
    assert parent is not None
    at = parent.index(element)
    previous = element.getprevious()
    text = element.text or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text or None
    else:
        parent.text = (parent.text or "") + text or None
    children = list(element)
    for offset, child in enumerate(children):
        parent.insert(at + offset, child)
    tail = element.tail or ""
    if tail:
        last = children[-1] if children else previous
        if last is not None:
            last.tail = (last.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _parsed(source: str | bytes) -> tuple[etree._Element, bool, int | None]:
    """The root, whether libxml2 met text it cannot read, and the line where it cut the
    tree too deep (or None). *source*: the text, or its UTF-8 bytes."""
    # lxml.etree's parser, not lxml.html's: the same libxml2 tree without a Python class
    # lookup for every element (a tenth of a build's time on real pages). UTF-8 bytes are
    # what libxml2 reads: given them, it converts nothing (a tenth less time than from
    # text, with the same tree for every UTF-8 page of the shared corpus). No table of the
    # id attributes: nothing looks an element up by its id, and building it took 6 % of
    # the parse of the benchmark's 51 pages.
    parser = etree.HTMLParser(
        huge_tree=True, encoding="utf-8" if isinstance(source, bytes) else None, collect_ids=False
    )
    try:
        root = etree.fromstring(source, parser)
    except (etree.ParserError, ValueError) as exc:
        raise ArticleError(f"cannot parse: {exc}", line=1) from None
    if root is not None:
        # The page's doctype is kept as text (Document.doctype). libxml2 keeps it as a DTD,
        # and for an XHTML one its XML serialiser writes XHTML (html_write uses it).
        root.getroottree().docinfo.clear()
    unreadable, too_deep = False, None
    for entry in parser.error_log:
        message = entry.message
        if "Excessive depth" in message and too_deep is None:
            too_deep = entry.line
        elif _BAD_INPUT in message:
            unreadable = True
    return root, unreadable, too_deep


def parse_text(text: str, encoding: str = "utf-8") -> Document:
    """Parse decoded page text; refuse input that is empty, binary, not HTML or too deep.

    Characters a page or a PO file cannot hold are cleaned first (see the module
    docstring) and listed in the document's ``problems``.
    """
    _check_page(text)
    # A search per character: a few milliseconds for the largest real page, where one
    # regular expression takes as long as parsing it.
    suspect = any(char in text for char in _SEARCHED)
    return _parse_text(text, encoding, suspect, _UNHOLDABLE_REFERENCE.search(text) is not None)


def _check_page(text: str) -> None:
    """Refuse text that is empty, binary or not HTML."""
    if "\x00" in text[:4096]:
        raise ArticleError("not HTML: the file holds binary data (NUL bytes)", line=1)
    if not text.strip():
        raise ArticleError("empty article", line=1)
    if not _MARKUP.search(text):
        raise ArticleError("not HTML: no markup found", line=1)


def _parse_text(text: str, encoding: str, suspect: bool, references: bool, utf8: bytes | None = None) -> Document:
    """:func:`parse_text`, checks done but cleaning, which *suspect* says may be needed in
    the text and *references* (character references) in the tree. *utf8*: the page's
    bytes, when they are *text* in UTF-8 (no byte order mark)."""
    problems: tuple[ArticleError, ...] = ()
    cleaned = text
    if suspect:  # most pages hold no character to clean
        cleaned, problems = _clean(text)
    root, unreadable, too_deep = _parsed(utf8 if utf8 is not None and not suspect else cleaned)
    if unreadable and not suspect:
        # A lone surrogate (no decoder of ours makes one, but text can come from
        # anywhere): libxml2 stops reading the text there and drops the rest of the
        # element. Searching every page for the 2,048 surrogates would cost more than this.
        cleaned, problems = _clean(text)
        root, unreadable, too_deep = _parsed(cleaned)
    if root is None:
        raise ArticleError("cannot parse: no element in the document", line=1)
    if too_deep is not None:
        raise ArticleError(
            f"elements nested more than {MAX_DEPTH} levels deep; refusing to truncate the page", line=too_deep
        )
    _one_root(root)
    if references:
        problems = _merged(problems, _clean_references(root, cleaned))
    doctype = _DOCTYPE.match(cleaned)
    marked = "its-" in cleaned or "data-l10n-" in cleaned
    return Document(root, doctype.group(1) if doctype else None, encoding, problems, marked)


def _merged(first: tuple[ArticleError, ...], second: tuple[ArticleError, ...]) -> tuple[ArticleError, ...]:
    """Two lists of problems in line order (each within :data:`MAX_PROBLEMS` and its count)."""
    return tuple(sorted((*first, *second), key=lambda problem: problem.line or 0)) if first else second


def parse(data: bytes) -> Document:
    """Decode and parse page bytes (see :func:`decode` and :func:`parse_text`)."""
    text, encoding = decode(data)
    if encoding.startswith("utf-16"):
        return parse_text(text, encoding)
    _check_page(text)
    # Every other encoding decode() uses writes a C0 control as that byte, and no other
    # character with one: a pass over the bytes finds them in a third of the time a
    # search of the text takes (0.8 ms a MB). The noncharacters are searched in the text.
    suspect = len(data.translate(None, _C0_BYTES)) != len(data) or "\ufffe" in text or "\uffff" in text
    # The same search in the bytes takes half the time (every such encoding writes ASCII as ASCII).
    references = _UNHOLDABLE_REFERENCE_BYTES.search(data) is not None
    utf8 = data if encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8) else None
    return _parse_text(text, encoding, suspect, references, utf8)
