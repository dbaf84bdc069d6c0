"""Round-trip helpers shared by the tests and ``benchmarks/corpus_report.py``.

*Identity*: every msgstr equals its msgid; the built page must have the source's
elements, attributes and text. *Pseudo*: every text is upper-cased; every visible text
must change and nothing in never-translated regions may.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lxml.etree as etree

from l10n import placeholders as ph
from l10n.elements import FROZEN, HIDDEN, OPAQUE, SHOWN_HIDDEN
from l10n.html_read import Document, parse_text
from l10n.html_write import serialise
from l10n.segment import apply, segment
from l10n.slot import copy_document

_SPACES = re.compile(r"[ \t\n\r\f]+")


def events(root: etree._Element) -> list[tuple[Any, ...]]:
    """The page as a flat list: start tags with attributes, end tags, text, comments.

    A comment (or processing instruction) is an event where it stands, so a comment
    moved past a word or an element changes the list; adjacent text is joined (up to a
    comment) and white space collapsed, as the design collapses it in units.
    """
    out: list[tuple[Any, ...]] = []
    text: list[str] = []

    def flush() -> None:
        joined = _SPACES.sub(" ", "".join(text))
        text.clear()
        if joined.strip():
            out.append(("text", joined.strip()))

    for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("comment", "pi"):
            flush()
            out.append((event, node.text))
            text.append(node.tail or "")
            continue
        if event == "start":
            flush()
            out.append(("start", node.tag, tuple((k, _attribute(k, v)) for k, v in node.items())))
            text.append(node.text or "")
        else:
            flush()
            out.append(("end", node.tag))
            if node is not root:
                text.append(node.tail or "")
    flush()
    return out


# Translatable attributes are units, whose white space is collapsed like text's.
TRANSLATABLE_ATTRIBUTES = frozenset(["alt", "title", "content", "aria-label", "placeholder", "label", "abbr", "value"])


def _attribute(name: str, value: str) -> str:
    return _SPACES.sub(" ", value).strip() if name in TRANSLATABLE_ATTRIBUTES else value


def pseudo_upper(msgid: str) -> str:
    """Upper-case the text of a msgid, keeping its placeholders."""
    nodes = ph.parse(msgid, ph.placeholders_of(msgid))
    return render(nodes, str.upper)


def render(nodes: tuple[ph.Node, ...], change: Callable[[str], str]) -> str:
    """Write parsed nodes back to msgstr syntax, passing text through *change*."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(ph.escape_literal(change(node)))
        elif isinstance(node, ph.Span):
            parts.append(f"<{node.name}>{render(node.children, change)}</{node.name}>")
        else:
            parts.append(f"<{node.name}/>")
    return "".join(parts)


def build_with(document: Document, change: Callable[[str], str]) -> tuple[Document, int]:
    """Apply *change* (msgid to msgstr) to every unit; return the re-read page and fallbacks."""
    translations = {unit.msgid: change(unit.msgid) for unit in segment(document)}
    page = copy_document(document)
    result = apply(page, translations)
    return parse_text(serialise(page)), len(result.fallbacks)


@dataclass(frozen=True, slots=True)
class PseudoResult:
    missed: list[str]  # visible texts still holding lower-case letters
    frozen_changed: list[str]  # never-translated texts that changed
    missed_attributes: list[str] = field(default_factory=list)  # title / aria-label left as they were


def _lower_letters(text: str) -> bool:
    return any(ch != ch.upper() for ch in text)


def _never_translated(node: etree._Element | None) -> bool:
    element = node
    while element is not None:
        tag = element.tag
        if tag in HIDDEN or tag in FROZEN:
            return True
        if element.get("translate", "").strip().lower() == "yes":
            return False
        if element.get("translate", "").strip().lower() == "no" or "notranslate" in element.get("class", "").split():
            return True
        element = element.getparent()
    return False


def visible_texts(root: etree._Element) -> list[tuple[bool, str]]:
    """Every text node as ``(in a never-translated region, text)``, in document order."""
    found: list[tuple[bool, str]] = []
    for element in root.iter():
        if element.tag == "script" and "ld+json" in element.get("type", ""):
            continue  # JSON-LD text fields are translated; checked on their own
        if not isinstance(element.tag, str):
            if element.tail and element.getparent() is not None:
                found.append((_never_translated(element.getparent()), element.tail))
            continue
        if element.text:
            found.append((_never_translated(element), element.text))
        if element.tail and element.getparent() is not None:
            found.append((_never_translated(element.getparent()), element.tail))
    return found


# Read out on every element (DESIGN.md §Units), iframe included.
EVERY_ELEMENT_ATTRIBUTES = ("title", "aria-label")


def missed_attributes(source: Document, built: Document) -> list[str]:
    """``tag name="value"`` for each title or aria-label with lower-case letters that the
    pseudo locale left unchanged, outside never-translated regions (the attributes of a
    hidden element a reader meets, an iframe's, count; its content does not)."""
    found: list[str] = []
    pairs = zip(source.root.iter(etree.Element), built.root.iter(etree.Element), strict=False)
    for before, after in pairs:
        tag = before.tag
        if tag in HIDDEN and tag not in SHOWN_HIDDEN:
            continue
        region = before.getparent() if tag in SHOWN_HIDDEN else before
        if tag in OPAQUE or any(a.tag in OPAQUE for a in before.iterancestors()):
            continue
        if region is not None and _never_translated(region):
            continue
        for name in EVERY_ELEMENT_ATTRIBUTES:
            value = before.get(name)
            if value is not None and _lower_letters(value) and after.get(name) == value:
                found.append(f'{tag} {name}="{value}"')
    return found


def check_pseudo(source: Document, built: Document) -> PseudoResult:
    missed = [text.strip() for frozen, text in visible_texts(built.root) if not frozen and _lower_letters(text)]
    before = [_SPACES.sub(" ", t).strip() for frozen, t in visible_texts(source.root) if frozen]
    after = [_SPACES.sub(" ", t).strip() for frozen, t in visible_texts(built.root) if frozen]
    changed = [b for b, a in zip(before, after, strict=False) if b != a]
    if len(before) != len(after):
        changed.append(f"{len(before)} never-translated texts became {len(after)}")
    return PseudoResult(missed, changed, missed_attributes(source, built))
