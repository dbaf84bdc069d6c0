"""Slots: the places in a page that hold one unit's text each, what a translator sees of
them (:class:`Unit`), and how they move onto a copy of their page.

A slot is made by the walk (``segment.slots``) and is of one of three kinds: a run of
text and inline elements (``inline.RunSlot``), an attribute (``attributes.AttributeSlot``),
a text field of JSON-LD (``jsonld``). Each reads its msgid from the page and writes a
translation back. A build translates one page into several locales: it walks the source
once and moves each slot onto a copy (:class:`PageCopy`) instead of walking every copy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self, TypeVar, cast

from .html_read import Document

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Placeholder:
    """What a placeholder of a unit stands for."""

    name: str
    paired: bool
    legend: str


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable text, as a translator sees it."""

    msgid: str
    kind: str
    line: int
    placeholders: tuple[Placeholder, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SourceMark:
    """How a unit left in the source language is marked in a translated page: the source's
    language, and its direction when it differs from the page's (English in Persian)."""

    lang: str
    direction: str | None = None


class Slot:
    """A place in the tree that holds one unit's text."""

    kind: str
    line: int
    msgid: str
    note: str | None

    def unit(self) -> Unit:
        """What a translator sees of this slot."""
        return Unit(self.msgid, self.kind, self.line, self.placeholders(), self.note)

    def placeholders(self) -> tuple[Placeholder, ...]:
        return ()

    def put(self, translation: str) -> None:
        """Write *translation* into the page (``placeholders.InvalidTranslation`` when it
        does not fit this slot's placeholders; the page is then unchanged)."""
        raise NotImplementedError

    def mark_fallback(self, mark: SourceMark) -> None:
        """Say in the page that this unit is still in the source language (if it can)."""

    def shown_in(self) -> Any:
        """The element a reader sees this unit in (a run's block, an attribute's element),
        or None when it is not shown (JSON-LD): what a preview outlines."""
        return None

    def moved(self, onto: PageCopy) -> Slot:
        """The same slot in a copy of its page."""
        raise NotImplementedError

    def _clone(self) -> Self:
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)  # copy.copy does the same, ten times slower
        return twin


def copy_document(document: Document) -> Document:
    """A deep copy to build one locale's page from, leaving the source intact.

    Comments before and after ``<html>`` are copied one by one: lxml's copy of a root
    element leaves them out, and its copy of a whole tree reverses those after it.
    """
    root = copy.deepcopy(document.root)
    for node in reversed(list(document.root.itersiblings(preceding=True))):
        root.addprevious(copy.deepcopy(node))
    for node in reversed(list(document.root.itersiblings())):
        root.addnext(copy.deepcopy(node))
    return Document(root, document.doctype, document.encoding, marked=document.marked)


class PageCopy:
    """A deep copy of a page and the way from each node of the original to its twin."""

    def __init__(self, document: Document, order: Mapping[Any, int]) -> None:
        self.document = copy_document(document)
        # lxml copies in document order: the n-th node of one tree is the n-th of the other.
        self._nodes = list(self.document.root.iter())
        self._order = order
        # What several slots share that is not a node (a JSON-LD script's data), by id of the original.
        self._shared: dict[int, Any] = {}

    @property
    def nodes(self) -> list[Any]:
        """The copy's nodes in the original's document order (as copied, before any change)."""
        return self._nodes

    def node(self, original: Any) -> Any:
        """The twin in the copy of *original*, a node of the source page."""
        return self._nodes[self._order[original]]

    def shared(self, original: object, make: Callable[[PageCopy], _T]) -> _T:
        """The copy's twin of *original*, made by *make* (given this copy) the first time a slot asks:
        the slots of one JSON-LD script all write into the same copy of its data."""
        made = self._shared.get(id(original))
        if made is None:
            made = self._shared[id(original)] = make(self)
        return cast(_T, made)
