"""JSON-LD: which scripts are JSON-LD, which of their text fields are translated, the slot
that reads one field and writes its translation back, and how the script is written again.

A ``<script type="application/ld+json">`` that parses as JSON gives a unit for each
field in :data:`JSONLD_FIELDS` with letters in it, wherever it is nested, and for the
:data:`TOPIC_FIELDS` of each object under ``about`` (the article's topics: a name elsewhere
is an author's or a publisher's, and stays as it is). A field may hold a string (one unit:
a comma-separated ``keywords`` is one list for the translator) or a list: each string item
with letters is then a unit of its own, written back into its place in the list. The
script is rewritten only when a field's text changes; what is not JSON is left exactly as
it is.
"""

from __future__ import annotations

import copy
import json
import re
from collections import deque
from collections.abc import Iterator
from typing import Any

from . import placeholders as ph
from .slot import PageCopy, Slot
from .text import collapse, has_letters

JSONLD_FIELDS = frozenset(
    ("headline", "alternativeHeadline", "description", "caption", "abstract", "keywords", "articleSection")
)
# Translated in an object under "about" only, on top of JSONLD_FIELDS.
TOPIC_FIELDS = frozenset(("name", "alternateName"))
_IN_TOPIC = JSONLD_FIELDS | TOPIC_FIELDS


def is_jsonld(element: Any) -> bool:
    """True for a ``<script type="application/ld+json">``."""
    return declares_jsonld(element.tag, str(element.get("type", "")))


def declares_jsonld(tag: str, kind: str) -> bool:
    """True for an element of *tag* whose ``type`` is *kind* that is a JSON-LD script."""
    return tag == "script" and kind.split(";")[0].strip().lower() == "application/ld+json"


def jsonld_slots(element: Any) -> Iterator[Slot]:
    """The translatable fields of a JSON-LD script, breadth first (each object's in its
    own order, a list's items in theirs); none when its text is not JSON."""
    try:
        data = json.loads(element.text or "")
    except ValueError:
        return  # not JSON: leave the script exactly as it is
    holder = _JsonLd(element, data)
    # (value, its path, the fields translated in it: a list hands its own to its items)
    pending: deque[tuple[Any, str, frozenset[str]]] = deque([(data, "", JSONLD_FIELDS)])
    while pending:
        value, path, fields = pending.popleft()
        if isinstance(value, list):
            pending.extend((item, path, fields) for item in value)
            continue
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key in fields:
                if isinstance(item, str):
                    if has_letters(item):
                        yield _JsonLdSlot(holder, value, key, where)
                    continue
                if isinstance(item, list):
                    for index, text in enumerate(item):
                        if isinstance(text, str) and has_letters(text):
                            yield _JsonLdSlot(holder, item, index, where)
            if isinstance(item, (dict, list)):
                pending.append((item, where, _IN_TOPIC if key == "about" else JSONLD_FIELDS))


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
    """One text field of a JSON-LD script: *key* of the object *container* in its data,
    or the item at index *key* of the list *container* (a field that holds a list)."""

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
        # deepcopy's memo holds every list and dict it copied, so a list's twin as well as an object's.
        twin.holder, twin.container = holder, memo[id(self.container)]
        return twin
