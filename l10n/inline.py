"""Inline content as placeholders, and back: a run of text and inline elements read as a
msgid, and a translation of it written into the page again (DESIGN.md §Placeholders).

Inside a run each element becomes a placeholder named after its tag and numbered in
document order: paired (``<a1>…</a1>``) when its content is translated
(``elements.is_paired``), else self-closing (``<img2/>``), standing for the element
whole. Comments are not in the msgid; ``comments`` says where they go at build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import placeholders as ph
from .comments import AFTER, BEFORE, END, NO_PLACES, START, Places, comment_places
from .elements import OPAQUE, REPLACED, is_paired
from .slot import PageCopy, Placeholder, Slot, SourceMark
from .text import WS, collapse, has_letters, split_space

# Attributes shown in the placeholder legend; the rest (class, style, data-*) is noise.
LEGEND_ATTRIBUTES = ("href", "src", "alt", "title", "datetime", "lang", "translate")


@dataclass(slots=True)
class _Frame:
    """State while encoding a run: placeholders found so far, in order."""

    elements: dict[str, Any] = field(default_factory=dict)
    paired: dict[str, bool] = field(default_factory=dict)
    comments: list[tuple[Any, Any]] = field(default_factory=list)  # (comment, parent or None)
    letters: bool = False


class RunSlot(Slot):
    """A maximal run of text and inline nodes inside a block-like *owner*.

    The run starts in ``owner.text`` (``start`` is None) or in the tail of the block
    child ``start``, and covers the inline ``nodes`` that follow.
    """

    def __init__(self, owner: Any, start: Any, nodes: list[Any], kind: str, note: str | None, pre: bool) -> None:
        self.owner = owner
        self.start = start
        self.nodes = nodes
        self.kind = kind
        self.note = note
        self.pre = pre
        self.line = (start.sourceline if start is not None else owner.sourceline) or 1
        # Arguments, not the default factories: this runs for every run of every page.
        self.frame = _Frame({}, {}, [], False)
        parts: list[str] = []
        self._encode(parts, self._first_text(), nodes, None)
        raw = "".join(parts)
        self.lead, self.trail = split_space(raw)
        self.msgid = raw.strip(WS) if pre else collapse(raw)

    def _first_text(self) -> str:
        return (self.start.tail if self.start is not None else self.owner.text) or ""

    def _encode(self, parts: list[str], text: str, nodes: Iterable[Any], parent: Any) -> None:
        """Append the msgid of *text* and *nodes* (children of *parent*, None for the run's own) to *parts*."""
        frame = self.frame
        if text:
            self._literal(parts, text)
        for node in nodes:
            tag = node.tag
            if not isinstance(tag, str):  # a comment or processing instruction
                frame.comments.append((node, parent))
            else:
                # Numbered in document order, an element before its content.
                ident = f"{_placeholder_name(tag)}{len(frame.elements) + 1}"
                paired = is_paired(node, tag)
                frame.elements[ident] = node
                frame.paired[ident] = paired
                if paired:
                    parts.append(f"<{ident}>")
                    self._encode(parts, node.text or "", node, node)
                    parts.append(f"</{ident}>")
                else:
                    parts.append(f"<{ident}/>")
            tail = node.tail
            if tail:
                self._literal(parts, tail)

    def _literal(self, parts: list[str], text: str) -> None:
        if not self.frame.letters and has_letters(text):
            self.frame.letters = True
        parts.append(ph.escape_literal(text))

    def placeholders(self) -> tuple[Placeholder, ...]:
        # Only extraction shows legends; a build never asks, so they are made here.
        frame = self.frame
        return tuple(
            Placeholder(ident, frame.paired[ident], _legend(element, ident, frame.paired[ident]))
            for ident, element in frame.elements.items()
        )

    def put(self, translation: str) -> None:
        if translation == self.msgid:
            # The source's own words: the run stays exactly as the source has it, its
            # comments and white space included (and nothing is taken apart).
            return
        frame = self.frame
        nodes = ph.parse(translation, frame.paired)
        if not self.nodes:  # text alone, as in most units: no element to take out and put back
            value = self.lead + ph.text_of(nodes) + self.trail
            if self.start is None:
                self.owner.text = value or None
            else:
                self.start.tail = value or None
            return
        owner = self.owner
        # Where each comment goes, read while the run is still whole.
        places = (
            comment_places(self._first_text(), self.nodes, frame.elements, frame.comments)
            if frame.comments
            else NO_PLACES
        )
        # Take the run's nodes out (lxml keeps each detached element alive and intact).
        index = 0 if self.start is None else owner.index(self.start) + 1
        for node in self.nodes:
            owner.remove(node)
        for ident, element in frame.elements.items():
            if frame.paired[ident]:
                element.text = None
                for child in list(element):
                    element.remove(child)
        if self.start is None:
            owner.text = None
        else:
            self.start.tail = None
        inserted = _Filler(owner, self.start, index, frame.elements, places)
        inserted.place((self.lead,))
        if places:
            inserted.comments(START, "")
        inserted.place(nodes)
        if places:
            inserted.comments(END, "")
        inserted.place((self.trail,))
        inserted.flush()

    def shown_in(self) -> Any:
        return self.owner

    def mark_fallback(self, mark: SourceMark) -> None:
        owner = self.owner
        if owner.tag == "html" or owner.get("lang") is not None:
            return  # the page's own element, or one the newsroom marked itself
        owner.set("lang", mark.lang)
        if mark.direction is not None and owner.get("dir") is None:
            # Without it the bidi algorithm lays English out right to left in a Persian page:
            # the full stop lands at the left end.
            owner.set("dir", mark.direction)

    def moved(self, onto: PageCopy) -> Slot:
        twin = self._clone()
        node = onto.node
        twin.owner = node(self.owner)
        twin.start = None if self.start is None else node(self.start)
        twin.nodes = [node(each) for each in self.nodes]
        frame = self.frame
        twin.frame = _Frame(
            {ident: node(element) for ident, element in frame.elements.items()},
            frame.paired,
            [(node(comment), None if parent is None else node(parent)) for comment, parent in frame.comments],
            frame.letters,
        )
        return twin


class _Filler:
    """Writes parsed translation nodes into a parent element after an anchor, and the
    run's comments at their *places*."""

    def __init__(self, parent: Any, anchor: Any, index: int, elements: dict[str, Any], places: Places) -> None:
        self.parent = parent
        self.previous = anchor
        self.index = index
        self.elements = elements
        self.places = places
        self.buffer: list[str] = []

    def place(self, nodes: Iterable[ph.Node]) -> None:
        places = self.places
        for node in nodes:
            if isinstance(node, str):
                self.buffer.append(node)
                continue
            name = node.name
            element = self.elements[name]
            if places:  # the run has comments: most have none
                self.comments(BEFORE, name)
            self.append_node(element)
            if isinstance(node, ph.Span):
                inner = _Filler(element, None, 0, self.elements, places)
                if places:
                    inner.comments(START, name)
                inner.place(node.children)
                if places:
                    inner.comments(END, name)
                inner.flush()
            if places:
                self.comments(AFTER, name)

    def comments(self, where: str, name: str) -> None:
        """Write the comments that go *where* of placeholder (or container) *name*."""
        for comment in self.places.get((where, name), ()):
            self.append_node(comment)

    def append_node(self, node: Any) -> None:
        self.flush()
        node.tail = None
        self.parent.insert(self.index, node)
        self.index += 1
        self.previous = node

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer.clear()
        if not text:
            return
        if self.previous is None:
            self.parent.text = (self.parent.text or "") + text
        else:
            self.previous.tail = (self.previous.tail or "") + text


def _legend(element: Any, ident: str, paired: bool) -> str:
    """What placeholder *ident* stands for, told to the translator: its element's tag and
    telling attributes, and a self-closing one's text."""
    attrs = "".join(
        f' {name}="{_short(element.get(name))}"' for name in LEGEND_ATTRIBUTES if element.get(name) is not None
    )
    if "notranslate" in element.get("class", "").split():
        attrs += ' class="notranslate"'  # says why the text is frozen
    shown = f"<{ident}>…</{ident}>" if paired else f"<{ident}/>"
    if not paired and element.tag not in OPAQUE and element.tag not in REPLACED:
        text = _short(collapse("".join(element.itertext())))
        if text:
            return f"{shown} is <{element.tag}{attrs}>{text}</{element.tag}>"
    return f"{shown} is <{element.tag}{attrs}>"


def _short(value: str, limit: int = 60) -> str:
    """*value* collapsed, and cut to *limit* characters."""
    value = collapse(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


_PLACEHOLDER_NAMES: dict[str, str] = {}


def _placeholder_name(tag: str) -> str:
    """ph.placeholder_name(), remembered: pages use few tags, and its regex is slow."""
    name = _PLACEHOLDER_NAMES.get(tag)
    if name is None:
        name = ph.placeholder_name(tag)
        if len(_PLACEHOLDER_NAMES) < 1024:  # bounded whatever tags the pages invent
            _PLACEHOLDER_NAMES[tag] = name
    return name
