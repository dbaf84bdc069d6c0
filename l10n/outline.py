"""The preview's outlines: which units of a translated page are not shown as translated.

``l10n serve`` shows a page as ``build`` would make it now; with its outline on, every
element that shows a unit the catalogue does not translate validly (untranslated, fuzzy,
invalid) is outlined, and says on hover or focus (its ``title``) the unit's state, what
the page shows instead (the source text, or the last valid translation), the msgid and
``path:line`` of its PO entry. Pure: the translated tree and the units' states in, tree
mutated; only previews call it, so built pages never hold any of this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .slot import Slot

ATTRIBUTE = "data-l10n-unit"  # the states of the units an element shows, space-separated
STATES = ("untranslated", "fuzzy", "invalid")

# Dashed for what the reader sees in the source language, dotted for a last valid translation.
STYLE = """
[data-l10n-unit]{outline:2px dashed #b00020;outline-offset:2px}
[data-l10n-unit~=fuzzy]{outline-color:#c77700}
[data-l10n-unit~=invalid]{outline-color:#7b1fa2}
[data-l10n-unit~=kept]{outline-style:dotted}
[data-l10n-unit]:hover,[data-l10n-unit]:focus{background:rgba(255,235,59,.35)}
#l10n-legend{position:fixed;bottom:.5em;right:.5em;z-index:2147483647;background:#fff;color:#111;
font:13px/1.4 system-ui,sans-serif;border:1px solid #888;padding:.4em .7em;max-width:24em;direction:ltr;text-align:left}
#l10n-legend b{font-weight:600}
"""


@dataclass(frozen=True, slots=True)
class UnitState:
    """What the preview says of one unit: its state in the catalogue, whether the page shows
    its last valid translation (else its source text), and where its entry is."""

    state: str  # one of STATES
    kept: bool = False  # shown with the translation the page was last published with
    where: str = ""  # "locales/fr/LC_MESSAGES/x.po:42", or the catalogue alone when it has no entry

    def describe(self, msgid: str) -> str:
        shown = "the last valid translation" if self.kept else "the source text"
        return f"{self.state}, shows {shown}\nmsgid: {msgid}\n{self.where}"


class Marker:
    """Collects, slot by slot, the elements to outline (a ``seen`` hook of ``Segmented.translated``)."""

    def __init__(self, states: Mapping[str, UnitState]) -> None:
        self.states = states
        self.marked: dict[Any, list[tuple[str, UnitState]]] = {}  # element -> its units not translated
        self.hidden: list[tuple[str, UnitState]] = []  # units in no element a reader sees (JSON-LD)

    def __call__(self, slot: Slot) -> None:
        found = self.states.get(slot.msgid)
        if found is None:
            return
        element = slot.shown_in()
        if element is None:
            self.hidden.append((slot.msgid, found))
        else:
            self.marked.setdefault(element, []).append((slot.msgid, found))

    def counts(self) -> dict[str, int]:
        """Units outlined (or hidden) by state, each element's units counted."""
        counts = dict.fromkeys(STATES, 0)
        for units in (*self.marked.values(), self.hidden):
            for _, found in units:
                counts[found.state] += 1
        return counts

    def apply(self, root: Any) -> None:
        """Outline the elements collected, add the style and a legend to the page at *root*."""
        for element, units in self.marked.items():
            words = {found.state for _, found in units} | ({"kept"} if any(f.kept for _, f in units) else set())
            element.set(ATTRIBUTE, " ".join(sorted(words)))
            said = "\n\n".join(found.describe(msgid) for msgid, found in units)
            title = element.get("title")
            element.set("title", said if not title else f"{said}\n\n{title}")
            if element.get("tabindex") is None:
                element.set("tabindex", "0")  # focusable: the title is read by keyboard users too
        head = root.find("head")
        if head is not None:
            style = head.makeelement("style", {"id": "l10n-outline-style"})
            style.text = STYLE
            head.append(style)
        body = root.find("body")
        if body is not None:
            body.append(self._legend(body))

    def _legend(self, body: Any) -> Any:
        legend = body.makeelement("aside", {"id": "l10n-legend", "lang": "en", "dir": "ltr"})
        counts = self.counts()
        title = legend.makeelement("b", {})
        title.text = "Preview outline"
        legend.append(title)
        parts = [f"{counts[state]} {state}" for state in STATES]
        title.tail = (
            ": " + ", ".join(parts) + (f" ({len(self.hidden)} in JSON-LD, not outlined)" if self.hidden else "")
        )
        return legend
