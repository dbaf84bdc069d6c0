"""A catalogue as an XLIFF 2.1 document (bytes): one ``<file>`` for the article, one
``<unit>`` per live entry.

Each unit holds what the catalogue says of its entry:

- ``<source>``/``<target>``: the msgid and msgstr, our placeholders as inline codes:
  a paired ``<a1>…</a1>`` is ``<pc id="a1">…</pc>``, a void ``<br3/>`` is ``<ph id="br3"/>``,
  each with ``canCopy="no" canDelete="no"`` (a translation has each exactly once), a
  ``type`` where XLIFF has one (``link``, ``image``, ``fmt`` with ``xlf:b``, ``xlf:i``,
  ``xlf:lb``...) and ``disp``/``dispStart``/``dispEnd`` saying what element it stands for
  (from the ``#.`` comment). Text that looks like markup is text; characters XML cannot
  hold are ``<cp hex="…"/>``. ``xml:space="preserve"`` on the file: white space is content.
- ``<segment state>``: no translation ``initial`` (no target); a fuzzy one ``initial``
  with the target and ``subState="gettext:fuzzy"`` (a draft the build does not use, to
  review: ``translated`` would tell a CAT tool it is done); a translation ``translated``.
  A translation the build refuses (placeholders, markup) is not exported as a target: it
  is in a note, and the unit is ``initial``.
- ``<notes>``: ``#.`` comments (category ``description``), translator comments
  (``translator``), the context (``context``), the ``#:`` locations (``location``).
- ``<mda:metadata>``: :func:`~.model.record` of the translation at export.

Obsolete entries and the header are not units; nor are plural entries (XLIFF 2 core has
no plural forms, and articles make none): :class:`Written` counts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .. import catalog
from .. import placeholders as ph
from ..po.model import Catalog, Message
from .model import FUZZY, MDA, META_GROUP, META_RECORD, VERSION, XLIFF, XML, Tag, record, tokens, unit_id

_X = "{" + XLIFF + "}"
_M = "{" + MDA + "}"
# What the #. comment says a placeholder stands for: "<a2>…</a2> is <a href="#top">".
_DESCRIBED = re.compile(r"<([a-z]+(?:-[a-z]+)*\d+)(?:>…</\1>|/>) is (.+)")
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_DIGITS = re.compile(r"\d+\Z")
# XLIFF's own types (and xlf: subtypes) for the elements that have one.
_TYPES: dict[str, tuple[str, str | None]] = {
    "a": ("link", None),
    "img": ("image", None),
    "br": ("fmt", "xlf:lb"),
    "b": ("fmt", "xlf:b"),
    "strong": ("fmt", "xlf:b"),
    "i": ("fmt", "xlf:i"),
    "em": ("fmt", "xlf:i"),
    "u": ("fmt", "xlf:u"),
    "q": ("quote", None),
}


@dataclass(frozen=True, slots=True)
class Written:
    """An XLIFF document and what it left out."""

    data: bytes
    units: int
    plurals: int  # plural entries, not exported
    refused: int  # entries whose msgid's placeholders do not nest (a hand-made template), not exported


def write(po: Catalog, original: str, source_lang: str, target_lang: str) -> Written:
    """The XLIFF 2.1 document of *po*, the catalogue of the article *original* (its path
    below the articles folder), languages in BCP 47. The same catalogue gives the same bytes."""
    root = etree.Element(_X + "xliff", nsmap={None: XLIFF, "mda": MDA})  # type: ignore[dict-item]
    root.set("version", VERSION)
    root.set("srcLang", source_lang)
    root.set("trgLang", target_lang)
    root.text = "\n  "
    file = etree.SubElement(root, _X + "file", id="f1", original=original, canResegment="no")
    file.set(f"{{{XML}}}space", "preserve")
    file.tail = "\n"
    units = plurals = refused = 0
    last: etree._Element | None = None
    for message in po.live():
        if message.is_header:
            continue
        if message.msgid_plural is not None:
            plurals += 1
            continue
        if catalog.problem(message.msgid, message.msgid) is not None:
            refused += 1
            continue
        last = _unit(file, message)
        units += 1
    file.text = "\n    "
    if last is None:  # XLIFF wants a unit in a file: an empty catalogue gives an empty group
        last = etree.SubElement(file, _X + "group", id="empty")
    last.tail = "\n  "
    data = _DECLARATION + etree.tostring(root, xml_declaration=False, encoding="UTF-8") + b"\n"
    return Written(data, units, plurals, refused)


def _unit(file: etree._Element, message: Message) -> etree._Element:
    unit = etree.SubElement(file, _X + "unit", id=unit_id(message.msgctxt, message.msgid))
    unit.text = "\n      "
    unit.tail = "\n    "
    metadata = _child(unit, _M + "metadata", "      ")
    group = _child(metadata, _M + "metaGroup", "        ", category=META_GROUP)
    meta = _child(group, _M + "meta", "          ", type=META_RECORD)
    meta.text = record(message.msgstr, message.fuzzy)
    meta.tail = "\n        "
    group.tail = "\n      "
    problem = catalog.problem(message.msgid, message.msgstr) if message.msgstr else None
    _notes(unit, message, problem)
    segment = etree.SubElement(unit, _X + "segment")
    segment.text = "\n        "
    segment.tail = "\n    "
    described = _described(message.extracted_comments)
    source = etree.SubElement(segment, _X + "source")
    _inline(source, message.msgid, described)
    if message.msgstr and problem is None:
        source.tail = "\n        "
        target = etree.SubElement(segment, _X + "target")
        _inline(target, message.msgstr, described)
        if message.fuzzy:
            segment.set("state", "initial")
            segment.set("subState", FUZZY)
        else:
            segment.set("state", "translated")
        target.tail = "\n      "
    else:
        segment.set("state", "initial")
        source.tail = "\n      "
    return unit


def _child(parent: etree._Element, tag: str, indent: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    element.text = "\n  " + indent
    element.tail = "\n" + indent
    return element


def _notes(unit: etree._Element, message: Message, problem: str | None) -> None:
    notes: list[tuple[str, str]] = []
    if message.extracted_comments:
        notes.append(("description", message.extracted_comments))
    if message.translator_comments:
        notes.append(("translator", message.translator_comments))
    if message.msgctxt is not None:
        notes.append(("context", message.msgctxt))
    if message.references:
        notes.append(("location", "\n".join(f"{name}:{line}" if line else name for name, line in message.references)))
    if problem is not None:
        notes.append(("l10n", f"the catalogue's translation is not used ({problem}): {message.msgstr}"))
    if not notes:
        return
    element = _child(unit, _X + "notes", "      ")
    last = element
    for category, text in notes:
        last = etree.SubElement(element, _X + "note", category=category)
        last.text = _xml_text(text)
        last.tail = "\n        "
    last.tail = "\n      "


def _xml_text(text: str) -> str:
    """Note text XML can hold: the characters it cannot are U+FFFD (notes are not imported)."""
    return ph.UNSAFE.sub("\ufffd", text) if ph.UNSAFE.search(text) else text


def _described(comments: str) -> dict[str, str]:
    """Placeholder to the element the ``#.`` comment says it stands for."""
    if "> is " not in comments:
        return {}
    found = {}
    for line in comments.split("\n"):
        match = _DESCRIBED.fullmatch(line)
        if match:
            found[match.group(1)] = _xml_text(match.group(2))
    return found


def _inline(parent: etree._Element, text: str, described: dict[str, str]) -> None:
    """Fill *parent* with *text*'s tokens: text, ``<pc>``, ``<ph>``, ``<cp>``. The caller has
    checked that the placeholders nest (a valid msgid or msgstr)."""
    stack = [parent]
    last: etree._Element | None = None  # the element whose tail takes the next text
    for token in tokens(text):
        if isinstance(token, str):
            last = _text(stack[-1], last, token)
            continue
        if token.kind == "close":
            last = stack.pop()
            continue
        element = _code(stack[-1], token, described)
        if token.kind == "open":
            stack.append(element)
            last = None
        else:
            last = element


def _code(parent: etree._Element, tag: Tag, described: dict[str, str]) -> etree._Element:
    element = etree.SubElement(parent, _X + ("pc" if tag.kind == "open" else "ph"), id=tag.name)
    element.set("canCopy", "no")
    element.set("canDelete", "no")
    name = _DIGITS.sub("", tag.name)
    kind, subtype = _TYPES.get(name, ("fmt" if tag.kind == "open" else "other", None))
    element.set("type", kind)
    if subtype is not None:
        element.set("subType", subtype)
    what = described.get(tag.name)
    if tag.kind == "open":
        element.set("dispStart", what or f"<{name}>")
        element.set("dispEnd", f"</{name}>")
    else:
        element.set("disp", what or f"<{name}/>")
    return element


def _text(parent: etree._Element, last: etree._Element | None, text: str) -> etree._Element | None:
    """Add *text* after *last* (or at the start of *parent*): characters XML cannot hold as
    ``<cp>``; returns the element whose tail takes the next text."""
    pieces = ph.UNSAFE.split(text)
    unsafe = ph.UNSAFE.findall(text)
    for index, piece in enumerate(pieces):
        if piece:
            if last is None:
                parent.text = (parent.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        if index < len(unsafe):
            last = etree.SubElement(parent, _X + "cp", hex=f"{ord(unsafe[index]):04X}")
    return last
