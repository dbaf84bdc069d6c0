"""Attributes to translate: which attributes of which element hold text a reader sees,
and the slot that reads one and writes its translation back.

Every element's ``title`` and ``aria-label``; an image's ``alt``; a text box's
``placeholder``; the ``label`` of a track or an option; a ``th``'s ``abbr``; a button
input's ``value``; the ``content`` of the ``<meta>`` elements in :data:`META_FIELDS`.
An attribute holds plain text: a translation's placeholders are dropped from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import placeholders as ph
from .slot import PageCopy, Slot
from .text import collapse, split_space

META_FIELDS = frozenset(
    [
        "description",
        "keywords",
        "og:title",
        "og:description",
        "og:image:alt",
        "twitter:title",
        "twitter:description",
        "twitter:image:alt",
        "article:section",
        "article:tag",
        "news_keywords",
    ]
)
BUTTON_INPUTS = frozenset(("button", "submit", "reset"))


def translatable_attributes(tag: str, attrs: dict[str, str]) -> Iterable[str]:
    """The names of the attributes translated on an element of *tag* with attributes *attrs*."""
    if tag == "meta":
        key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        return ("content",) if key in META_FIELDS else ()
    if tag not in _SPECIAL_ATTRIBUTES:
        return _EVERY_ELEMENT_ATTRIBUTES
    names = ["title", "aria-label"]
    if tag in ("img", "area") or (tag == "input" and attrs.get("type", "").lower() == "image"):
        names.append("alt")
    if tag in ("input", "textarea"):
        names.append("placeholder")
    if tag in ("track", "option", "optgroup", "menu", "menuitem"):
        names.append("label")
    if tag == "th":
        names.append("abbr")
    if tag == "input" and attrs.get("type", "").lower() in BUTTON_INPUTS:
        names.append("value")
    return names


_EVERY_ELEMENT_ATTRIBUTES = ("title", "aria-label")
# Every name translatable_attributes() can give.
ATTRIBUTE_NAMES = frozenset(("title", "aria-label", "alt", "placeholder", "label", "abbr", "value", "content"))
# Elements with more translatable attributes than _EVERY_ELEMENT_ATTRIBUTES.
_SPECIAL_ATTRIBUTES = frozenset(
    ("img", "area", "input", "textarea", "track", "option", "optgroup", "menu", "menuitem", "th")
)


class AttributeSlot(Slot):
    """An attribute's value: its white space at both ends stays in the page, the rest is the unit."""

    def __init__(self, element: Any, name: str, kind: str, note: str | None) -> None:
        self.element = element
        self.name = name
        self.kind = kind
        self.line = element.sourceline or 1
        self.note = note
        value = element.get(name)
        self.lead, self.trail = split_space(value)
        self.msgid = ph.escape_literal(collapse(value))

    def put(self, translation: str) -> None:
        text = ph.text_of(ph.parse(translation, {}))
        self.element.set(self.name, self.lead + text + self.trail)

    def shown_in(self) -> Any:
        return self.element

    def moved(self, onto: PageCopy) -> Slot:
        twin = self._clone()
        twin.element = onto.node(self.element)
        return twin
