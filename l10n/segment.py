"""Segmentation: the one traversal that both extraction and build use (DESIGN.md §Units).

:func:`slots` walks a parsed page once and returns, in document order, every place
that holds translatable text: a run of text and inline elements in a block, a
translatable attribute, a text field of JSON-LD. :func:`segment` reads the units out of
those slots; :func:`apply` writes translations back into them. Because both go through
the same walk, a unit extracted from a page always finds its place again at build.

Rules in brief: blocks (and inline elements that contain blocks) split text into runs;
a run with at least one letter is a unit; inline elements inside it become placeholders;
``script``/``style``/``template``, ``svg``/``math`` internals, ``translate="no"`` (until a
``translate="yes"``) and class ``notranslate`` are never translated; ``code``, ``kbd``,
``samp``, ``var`` and ``<time>`` are frozen whole. Hidden elements that a reader still meets
(``iframe``, ``textarea``, ``xmp``, ``plaintext``) have their ``title``/``aria-label`` (and a
textarea's ``placeholder``) translated, never their content.

This module is the walk and its entry points; the rooms it walks through each own one
job: ``elements`` (which element is which), ``inline`` (a run as a msgid with
placeholders, and back), ``comments`` (where a run's comments go at build),
``attributes`` (which attributes are translated), ``jsonld`` (JSON-LD fields), ``slot``
(the slot, its :class:`Unit`, and the copy of a page slots move onto).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from . import placeholders as ph
from .attributes import ATTRIBUTE_NAMES, AttributeSlot, translatable_attributes
from .elements import (
    BLOCK,
    BOUNDARY,
    FROZEN,
    HIDDEN,
    OPAQUE,
    PRESERVE_SPACE,
    REPLACED,
    SHOWN_HIDDEN,
    SWITCHER,
    attributes_of,
    containers_of_blocks,
    is_paired,
    no_translate,
    refuses,
    translate_yes,
)
from .errors import ArticleError
from .html_read import MAX_DEPTH, MAX_UNIT_CHARS, MAX_UNITS, Document
from .inline import RunSlot
from .jsonld import declares_jsonld, dump_jsonld, is_jsonld, jsonld_slots
from .slot import PageCopy, Placeholder, Slot, SourceMark, Unit, copy_document
from .text import WS, has_letters, split_space

# What callers have always imported from here, wherever it now lives.
__all__ = [
    "BLOCK",
    "FROZEN",
    "HIDDEN",
    "OPAQUE",
    "REPLACED",
    "SHOWN_HIDDEN",
    "Applied",
    "Fallback",
    "Placeholder",
    "Segmented",
    "SourceMark",
    "Unit",
    "apply",
    "copy_document",
    "dump_jsonld",
    "has_letters",
    "is_jsonld",
    "no_translate",
    "segment",
    "slots",
    "split_space",
    "translate_yes",
]


@dataclass(frozen=True, slots=True)
class Fallback:
    """A unit that kept its source text at build, and why."""

    msgid: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Applied:
    """What :func:`apply` did: units translated, and those that fell back to the source."""

    translated: int
    fallbacks: tuple[Fallback, ...]


class _Walker:
    """Finds every slot of a page, in document order.

    The methods take an element's tag (and attribute names) from their caller, which has
    read them already: each lxml property or attribute access is a C call that makes
    new Python strings, and the walk is most of what extraction and build cost. The
    names are read first, and a value only when the element has that attribute: reading
    every value (``items()``) took twice as long on real pages, where most elements carry
    classes, ids and styles the walk never needs.
    """

    def __init__(self, root: Any) -> None:
        self.found: list[Slot] = []
        self.structural = containers_of_blocks(root)

    def container(self, element: Any, tag: str, names: list[str], note: str | None, pre: bool) -> None:
        """Visit an element whose content is translated and split into runs."""
        note = _get(element, names, "its-loc-note") or note
        pre = pre or tag in PRESERVE_SPACE
        self.attributes(element, tag, names, note)
        start: Any = None
        run: list[Any] = []
        structural = self.structural
        for child in element:
            child_tag = child.tag
            if isinstance(child_tag, str) and (child_tag in BOUNDARY or child in structural):
                self.run(element, tag, start, run, note, pre)
                self.boundary(child, child_tag, note, pre)
                start, run = child, []
            else:
                run.append(child)
        self.run(element, tag, start, run, note, pre)

    def boundary(self, element: Any, tag: str, note: str | None, pre: bool) -> None:
        """Visit an element that ends a run: a block, a hidden element, a container of blocks."""
        names = element.keys()
        if SWITCHER in names:  # filled at build: its attributes are translated, not its content
            self.attributes(element, tag, names, _get(element, names, "its-loc-note") or note)
            return
        refused = bool(names) and refuses(_get(element, names, "translate"), _get(element, names, "class"))
        if tag in HIDDEN:
            if refused:
                return
            if tag in SHOWN_HIDDEN:
                self.attributes(element, tag, names, _get(element, names, "its-loc-note") or note)
            elif declares_jsonld(tag, _get(element, names, "type") or ""):
                self.jsonld(element)
        elif refused:
            self.untranslated(element, tag, note, pre)
        else:
            self.container(element, tag, names, note, pre)

    def run(
        self, owner: Any, owner_tag: str, start: Any, nodes: list[Any], note: str | None, pre: bool, kind: str = ""
    ) -> None:
        text = (start.tail if start is not None else owner.text) or ""
        kind = kind or owner_tag
        if not nodes:  # most runs: the white space between two blocks
            if text and has_letters(text):
                self.found.append(RunSlot(owner, start, nodes, kind, note, pre))
            return
        wrapper = _sole_wrapper(text, nodes)
        if wrapper is not None:
            # <li><a>Title</a></li>: the unit is the link's content, so translators see
            # "Title", not "<a1>Title</a1>", and the same words match everywhere.
            tag = wrapper.tag
            names = wrapper.keys()
            note = _get(wrapper, names, "its-loc-note") or note
            self.attributes(wrapper, tag, names, note)
            inner_pre = pre or tag in PRESERVE_SPACE
            self.run(wrapper, tag, None, list(wrapper), note, inner_pre, f"{kind} {tag}")
            return
        slot = RunSlot(owner, start, nodes, kind, note, pre)
        if slot.frame.letters:
            self.found.append(slot)
        for node in nodes:
            tag = node.tag
            if isinstance(tag, str):
                self.inline(node, tag, note, pre)

    def inline(self, element: Any, tag: str, note: str | None, pre: bool) -> None:
        """Find slots inside an inline element of a run (attributes, translate="yes")."""
        if tag in OPAQUE or (tag in HIDDEN and tag not in SHOWN_HIDDEN):
            return
        names = element.keys()
        refused = bool(names) and refuses(_get(element, names, "translate"), _get(element, names, "class"))
        if tag in HIDDEN:  # an <iframe> inside a <span>: its title, never its content
            if not refused:
                self.attributes(element, tag, names, _get(element, names, "its-loc-note") or note)
            return
        if refused:
            self.untranslated(element, tag, note, pre)
            return
        if tag in FROZEN:
            return
        note = _get(element, names, "its-loc-note") or note
        self.attributes(element, tag, names, note)
        pre = pre or tag in PRESERVE_SPACE
        for child in element:
            child_tag = child.tag
            if isinstance(child_tag, str):
                self.inline(child, child_tag, note, pre)

    def untranslated(self, element: Any, tag: str, note: str | None, pre: bool) -> None:
        """Inside translate="no": only translate="yes" descendants are translated."""
        for child in element:
            child_tag = child.tag
            if not isinstance(child_tag, str) or child_tag in OPAQUE:
                continue
            if child_tag in HIDDEN:
                if child_tag in SHOWN_HIDDEN and translate_yes(child):
                    names = child.keys()
                    self.attributes(child, child_tag, names, _get(child, names, "its-loc-note") or note)
                continue
            if translate_yes(child):
                self.container(child, child_tag, child.keys(), note, pre or tag in PRESERVE_SPACE)
            else:
                self.untranslated(child, child_tag, note, pre or child_tag in PRESERVE_SPACE)

    def attributes(self, element: Any, tag: str, names: list[str], note: str | None) -> None:
        """The translatable attributes of *element*, whose attribute *names* are given
        (*note* already has its its-loc-note)."""
        if ATTRIBUTE_NAMES.isdisjoint(names):
            return  # most elements: a quick no before working out which names count here
        attrs = attributes_of(element)
        wanted = translatable_attributes(tag, attrs)
        for name, value in attrs.items():
            if name in wanted and has_letters(value):
                kind = f"meta {attrs.get('name') or attrs.get('property')}" if tag == "meta" else f"{tag} {name}"
                self.found.append(AttributeSlot(element, name, kind, note))

    def jsonld(self, element: Any) -> None:
        """The translatable fields of a JSON-LD script."""
        found = self.found
        for slot in jsonld_slots(element):
            found.append(slot)  # one by one: past the limit, the walk stops at once


def _get(element: Any, names: list[str], name: str) -> str | None:
    """The value of an attribute of *element*, whose attribute *names* are given: asked of
    lxml only when the element has it (most have a class, few a translate or a note)."""
    return element.get(name) if name in names else None


def _sole_wrapper(text: str, nodes: list[Any]) -> Any:
    """The one paired inline element a run consists of, with only white space around it."""
    if len(nodes) != 1 or text.strip(WS) or (nodes[0].tail or "").strip(WS):
        return None
    node = nodes[0]
    tag = node.tag
    if not isinstance(tag, str) or not is_paired(node, tag):
        return None
    return node


@contextmanager
def _deep_trees() -> Iterator[None]:
    """Allow recursion as deep as the deepest tree the parser accepts.

    The walk recurses once or twice per level of nesting, and libxml2 accepts up to
    MAX_DEPTH levels; Python frames live on the heap (3.11+), so this is safe.
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, 8 * MAX_DEPTH + 1000))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


class _Bounded(list[Slot]):
    """The walk's slots, refused at the first unit past ``html_read.MAX_UNITS`` or longer
    than ``MAX_UNIT_CHARS``: the walk stops there, so a page of a million short paragraphs
    is refused before its slots fill memory."""

    def append(self, slot: Slot, /) -> None:
        if len(self) >= MAX_UNITS:
            raise ArticleError(
                f"more than {MAX_UNITS:,} units (texts to translate) in the article; "
                f"the limit is {MAX_UNITS:,}, and unit {MAX_UNITS + 1:,} is on this line",
                line=slot.line,
            )
        if len(slot.msgid) > MAX_UNIT_CHARS:
            raise ArticleError(
                f"a unit of {len(slot.msgid):,} characters; the limit is {MAX_UNIT_CHARS:,} a unit",
                line=slot.line,
            )
        list.append(self, slot)  # half the cost of super().append: this runs for every unit


def slots(document: Document) -> list[Slot]:
    """Every translatable place of the page, in document order (ArticleError past
    ``html_read.MAX_UNITS`` units or for a unit longer than ``MAX_UNIT_CHARS``)."""
    root = document.root
    walker = _Walker(root)
    walker.found = _Bounded()
    with _deep_trees():
        walker.boundary(root, root.tag, None, False)
    return walker.found


def segment(document: Document) -> list[Unit]:
    """Return the page's units in document order (one per place; duplicates kept)."""
    return [slot.unit() for slot in slots(document)]


def apply(document: Document, translations: Mapping[str, str], mark: SourceMark | None = None) -> Applied:
    """Write translations into *document* (in place); return what was translated.

    *translations* maps a msgid to its translation. A unit without one, or whose
    translation is invalid for its placeholders, keeps its source text; with
    *mark* its element is marked with the source's ``lang`` (and ``dir``). Whatever a
    translation holds, the page gains no element: other text that looks like markup is
    written as escaped characters (a build does not use such translations at all:
    ``catalog.problem``).
    """
    found = slots(document)
    fallbacks: list[Fallback] = []
    with _deep_trees():
        _write_back(found, translations, mark, fallbacks)
    fallbacks.reverse()
    return Applied(len(found) - len(fallbacks), tuple(fallbacks))


def _write_back(
    found: list[Slot], translations: Mapping[str, str], mark: SourceMark | None, fallbacks: list[Fallback]
) -> None:
    # Last first: a run re-attaches the elements inside it, so slots inside those
    # elements (an img alt, a translate="yes" span) must be written before.
    for slot in reversed(found):
        translation = translations.get(slot.msgid)
        if translation is None:
            fallbacks.append(Fallback(slot.msgid, slot.line, "untranslated"))
        else:
            try:
                slot.put(translation)
                continue
            except ph.InvalidTranslation as exc:
                fallbacks.append(Fallback(slot.msgid, slot.line, str(exc)))
        if mark is not None:
            slot.mark_fallback(mark)


class Segmented:
    """A page walked once: its units, and translated copies of it made without walking again.

    A build translates each article into several locales; :meth:`translated` moves the
    slots found in the source onto a copy instead of walking every copy. It gives the
    same page as :func:`apply` on a copy (tests/test_roundtrip.py checks this).
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self._found = slots(document)
        self._order: dict[Any, int] | None = None  # each node's place in document order
        self._spent = False

    def units(self) -> list[Unit]:
        return [slot.unit() for slot in self._found]

    def msgids(self) -> list[str]:
        return [slot.msgid for slot in self._found]

    def translated(
        self,
        translations: Mapping[str, str],
        mark: SourceMark | None = None,
        *,
        last_use: bool = False,
        seen: Callable[[Slot], None] | None = None,
        made: Callable[[Sequence[Any] | None], None] | None = None,
    ) -> tuple[Document, Applied]:
        """A copy of the page with *translations* written in, as :func:`apply` does.

        With *last_use* the walked page itself is translated and returned: no copy to
        make, no slot to move (a build's last page of an article). Nothing can be asked
        of this object after that. *seen* is given each slot of the copy, in document
        order, once the translations are in (a preview marks the units it outlines; a
        build passes none, and its pages are made as without it). *made* is called once
        the page to translate is there, before anything is written into it: with the copy's
        nodes in the walked page's document order, or None for the walked page itself.
        """
        if self._spent:
            raise ValueError("the page was already translated in place")
        if last_use:
            self._spent = True
            document, found = self.document, self._found
            if made is not None:
                made(None)
        else:
            if self._order is None:
                self._order = {node: index for index, node in enumerate(self.document.root.iter())}
            onto = PageCopy(self.document, self._order)
            if made is not None:
                made(onto.nodes)
            document, found = onto.document, [slot.moved(onto) for slot in self._found]
        fallbacks: list[Fallback] = []
        with _deep_trees():
            _write_back(found, translations, mark, fallbacks)
        fallbacks.reverse()
        if seen is not None:
            for slot in found:
                seen(slot)
        return document, Applied(len(found) - len(fallbacks), tuple(fallbacks))
