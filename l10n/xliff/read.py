"""XLIFF 2 bytes to typed units: what an agency's file says, read as untrusted input.

The parser resolves no entity, reads no DTD and nothing from the network, refuses a
document type declaration and keeps libxml2's limits (no ``huge_tree``). A file that is
not XLIFF 2, or not well-formed, is one :class:`~.model.XliffError` with its line; a unit
whose inline content cannot be our placeholders is read with its problem, so that the
other units are still imported.

Inline content back to our syntax: text (encoded so that it never reads as a tag),
``<pc id="a1">…</pc>`` is ``<a1>…</a1>``, ``<ph id="br3"/>`` is ``<br3/>``, ``<sc>``/``<ec>``
pairs are open and close tags, ``<cp hex>`` the character, ``<mrk>`` its content (an
annotation), ``<sm>``/``<em>`` nothing. Whether the tags match the source's is the
import's question (:func:`l10n.catalog.problem`), as for any translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from .model import DONE, MDA, META_GROUP, META_RECORD, XLIFF, Tag, Token, XliffError, joined

_X = "{" + XLIFF + "}"
_M = "{" + MDA + "}"
_NAME = re.compile(r"[a-z]+(?:-[a-z]+)*\d+\Z")
#: The largest file read: twenty times the XLIFF of the largest real article.
LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Unit:
    """One ``<unit>``: its source and target in placeholder syntax, and where it is."""

    id: str
    line: int
    source: str
    target: str | None  # None: no target, or an empty one
    done: bool  # state translated, reviewed or final (else initial: a draft, fuzzy)
    recorded: str | None  # the record of the catalogue's translation at export, if any
    problem: str | None = None  # why the inline content is not ours (the unit is refused)


@dataclass(frozen=True, slots=True)
class File:
    """One ``<file>``: the article it is for (``original``) and its units."""

    original: str
    line: int
    units: tuple[Unit, ...]


@dataclass(frozen=True, slots=True)
class Document:
    source_lang: str
    target_lang: str
    files: tuple[File, ...]


class _Refused(Exception):
    """Inline content that is not ours."""


def read(data: bytes) -> Document:
    """Read an XLIFF 2 document; XliffError (with a line where there is one) when it is not one."""
    if len(data) > LIMIT:
        raise XliffError(f"file is {len(data):,} bytes; the limit is {LIMIT // 2**20} MiB")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise XliffError(f"not well-formed XML: {exc.msg}", line=line) from None
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.public_id or info.system_url:
        raise XliffError("a document type declaration is not allowed in XLIFF", line=1)
    if root.tag != _X + "xliff":
        raise XliffError(f"not an XLIFF 2 document (root element {root.tag})", line=_line(root))
    version = root.get("version", "")
    if not version.startswith("2."):
        raise XliffError(f"XLIFF version {version!r}; 2.0 to 2.2 are read", line=_line(root))
    target_lang = root.get("trgLang")
    if not target_lang:
        raise XliffError("no trgLang: the file holds no translation", line=_line(root))
    files = tuple(_file(element) for element in root.iterchildren(_X + "file"))
    return Document(root.get("srcLang", ""), target_lang, files)


def _file(element: etree._Element) -> File:
    original = element.get("original")
    if not original:
        raise XliffError("a <file> without original: which article it is for is not known", line=_line(element))
    return File(original, _line(element), tuple(_unit(unit) for unit in element.iter(_X + "unit")))


def _unit(element: etree._Element) -> Unit:
    ident = element.get("id", "")
    line = _line(element)
    sources: list[Token] = []
    targets: list[Token] = []
    has_target = False
    done = True
    try:
        for part in element.iterchildren(_X + "segment", _X + "ignorable"):
            source_element = part.find(_X + "source")
            target_element = part.find(_X + "target")
            if source_element is None:
                raise _Refused(f"a <{etree.QName(part).localname}> without <source>")
            sources.extend(_inline(source_element))
            if target_element is not None:
                has_target = True
                targets.extend(_inline(target_element))
            elif part.tag == _X + "ignorable":  # white space between segments: the source's
                targets.extend(_inline(source_element))
            if part.tag == _X + "segment":
                done &= part.get("state", "initial") in DONE
    except _Refused as exc:
        return Unit(ident, line, "", None, False, _recorded(element), str(exc))
    target = joined(targets) if has_target else ""
    return Unit(ident, line, joined(sources), target or None, done, _recorded(element))


def _line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) else 0


def _recorded(unit: etree._Element) -> str | None:
    for meta in unit.iterfind(f"{_M}metadata/{_M}metaGroup[@category='{META_GROUP}']/{_M}meta"):
        if meta.get("type") == META_RECORD:
            return (meta.text or "").strip()
    return None


def _inline(element: etree._Element) -> Iterator[Token]:
    """The tokens of an inline container's content (<source>, <target>, <pc>, <mrk>)."""
    if element.text:
        yield element.text
    for child in element:
        yield from _code(child)
        if child.tail:
            yield child.tail


def _code(child: etree._Element) -> Iterator[Token]:
    if not isinstance(child.tag, str):  # a comment or a processing instruction: not content
        return
    name = child.tag[len(_X) :] if child.tag.startswith(_X) else None
    if name == "cp":
        yield _character(child)
    elif name in ("pc", "sc"):
        ident = _placeholder(child, "id")
        yield Tag(ident, "open")
        if name == "pc":
            yield from _inline(child)
            yield Tag(ident, "close")
    elif name == "ec":
        yield Tag(_placeholder(child, "startRef" if child.get("startRef") else "id"), "close")
    elif name == "ph":
        yield Tag(_placeholder(child, "id"), "void")
    elif name == "mrk":
        yield from _inline(child)
    elif name not in ("sm", "em"):
        raise _Refused(f"<{etree.QName(child).localname}> is not XLIFF 2 inline content")


def _placeholder(child: etree._Element, attribute: str) -> str:
    ident = child.get(attribute, "")
    if not _NAME.match(ident):
        raise _Refused(
            f"inline code {etree.QName(child).localname} {attribute}={ident!r} is not a placeholder of ours"
            " (the source's codes are kept as they are)"
        )
    return ident


def _character(child: etree._Element) -> str:
    try:
        return chr(int(child.get("hex", ""), 16))
    except (ValueError, OverflowError):
        raise _Refused(f"<cp hex={child.get('hex', '')!r}> is not a character") from None
