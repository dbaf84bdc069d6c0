"""JSON-LD: which scripts are JSON-LD, which of their text fields are translated, the slot
that reads one field and writes its translation back, and how the script is written again.

A ``<script type="application/ld+json">`` that parses as JSON gives a unit for each
field in :data:`JSONLD_FIELDS` with letters in it, wherever it is nested. The script is
rewritten only when a field's text changes; what is not JSON is left exactly as it is.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

from . import placeholders as ph
from .slot import PageCopy, Slot
from .text import collapse, has_letters

JSONLD_FIELDS = ("headline", "alternativeHeadline", "description", "caption", "abstract")


def is_jsonld(element: Any) -> bool:
    """True for a ``<script type="application/ld+json">``."""
    return declares_jsonld(element.tag, str(element.get("type", "")))


def declares_jsonld(tag: str, kind: str) -> bool:
    """True for an element of *tag* whose ``type`` is *kind* that is a JSON-LD script."""
    return tag == "script" and kind.split(";")[0].strip().lower() == "application/ld+json"


def jsonld_slots(element: Any) -> Iterator[Slot]:
    """The translatable fields of a JSON-LD script, breadth first (each object's in its
    own order); none when its text is not JSON."""
    try:
        data = json.loads(element.text or "")
    except ValueError:
        return  # not JSON: leave the script exactly as it is
    holder = _JsonLd(element, data)
    pending: list[tuple[Any, str]] = [(data, "")]
    while pending:
        value, path = pending.pop(0)
        if isinstance(value, list):
            pending.extend((item, path) for item in value)
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else key
                if key in JSONLD_FIELDS and isinstance(item, str) and has_letters(item):
                    yield _JsonLdSlot(holder, value, key, where)
                elif isinstance(item, (dict, list)):
                    pending.append((item, where))


class _JsonLd:
    """One JSON-LD script: its data, rewritten once a field changes."""

    def __init__(self, element: Any, data: Any) -> None:
        self.element = element
        self.data = data

    def rewrite(self) -> None:
        self.element.text = dump_jsonld(self.data)

    def copied(self, onto: PageCopy) -> tuple[_JsonLd, dict[int, Any]]:
        """This script in *onto* with a copy of its data, and the deepcopy memo that leads
        from each object of the data to its twin."""
        memo: dict[int, Any] = {}
        return _JsonLd(onto.node(self.element), copy.deepcopy(self.data, memo)), memo


def dump_jsonld(data: Any) -> str:
    """Serialise JSON-LD so that no text in it can end the ``<script>`` element, and with
    ``\\u`` escapes for what a page cannot hold (lone surrogates, U+FFFE, U+FFFF: JSON
    escapes spell them, json.loads makes them characters, lxml refuses them)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if _UNSAFE_IN_JSON.search(text):
        text = _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return "\n" + text + "\n"


# json.dumps escapes the C0 controls itself; these it writes as they are.
_UNSAFE_IN_JSON = re.compile("[\ud800-\udfff\ufffe\uffff]")


class _JsonLdSlot(Slot):
    """One text field of a JSON-LD script (*key* of the object *container* in its data)."""

    def __init__(self, holder: _JsonLd, container: Any, key: Any, path: str) -> None:
        self.holder = holder
        self.container = container
        self.key = key
        self.kind = f"JSON-LD {path}"
        self.line = holder.element.sourceline or 1
        self.note = None
        # page_safe: a JSON escape can spell what neither a page nor a PO file can hold.
        self.msgid = ph.escape_literal(collapse(ph.page_safe(container[key])))

    def put(self, translation: str) -> None:
        text = ph.text_of(ph.parse(translation, {}))
        # Unchanged text keeps the script as the newsroom wrote it (no reformatting).
        if text != collapse(ph.page_safe(self.container[self.key])):
            self.container[self.key] = text
            self.holder.rewrite()

    def moved(self, onto: PageCopy) -> Slot:
        twin = self._clone()
        # All the fields of one script share one copy of its data.
        holder, memo = onto.shared(self.holder, self.holder.copied)
        twin.holder, twin.container = holder, memo.get(id(self.container), holder.data)
        return twin
