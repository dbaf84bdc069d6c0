"""Digits as readers of a locale expect them: the locale's default numbering system (CLDR).

Pure: text or a parsed page in, the same with ASCII digits written in the locale's own
(``۲۰۱۵`` in Persian, ``٢٠١٥`` in Egyptian Arabic). Only the digits change: signs,
separators and spaces stay as written (``4.2`` becomes ``۴.۲``, not ``۴٫۲``), so a
number never changes its value or its neighbours.

On a built page, :func:`localise_digits` changes number-only text: the text that no unit
holds, in the runs of text and inline elements that segmentation leaves out because they
have no letter (a table cell ``2015``, ``+4.2%``, a counter ``12 / 14``) and inside the
inline elements a unit shows as self-closing placeholders (``Page <b>3</b>``). Units are
the translators' (they write their own digits) and are left alone, as are attribute
values, never-translated regions
(``translate="no"``, class ``notranslate``), ``script``/``style`` and other hidden
elements, frozen ones (``code``, ``kbd``, ``samp``, ``var``, ``<time>``, SVG, MathML) and
``pre``.
"""

from __future__ import annotations

import re
from typing import Any

import babel

from .elements import BLOCK, BOUNDARY, FROZEN, HIDDEN, OPAQUE, PRESERVE_SPACE, is_paired, refuses, translate_yes
from .inline import RunSlot

# Zero of each CLDR decimal numbering system a locale may default to.
_NATIVE_ZERO = {
    "arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "gujr": 0xAE6, "guru": 0xA66,
    "khmr": 0x17E0, "knda": 0xCE6, "laoo": 0xED0, "mlym": 0xD66, "mymr": 0x1040, "orya": 0xB66,
    "tamldec": 0xBE6, "telu": 0xC66, "thai": 0xE50, "tibt": 0xF20,
}  # fmt: skip
# Never changed: what is not shown as text (hidden), what stands for itself (frozen), and
# preformatted text (code listings, ASCII tables).
_KEPT = HIDDEN | FROZEN | OPAQUE | PRESERVE_SPACE
_DIGIT = re.compile("[0-9]").search
_LETTER = re.compile(r"[^\W\d_]").search  # text.has_letters, which reads ASCII text whole


def digit_table(locale: babel.Locale) -> dict[int, int] | None:
    """The ``str.translate`` table from ASCII digits to the locale's default ones (CLDR);
    None when those are ASCII (``latn``) or a system without ten decimal digits."""
    zero = _NATIVE_ZERO.get(str(locale.default_numbering_system))
    return None if zero is None else {ord("0") + i: zero + i for i in range(10)}


def native_digits(text: str, locale: babel.Locale) -> str:
    """*text* with its ASCII digits written in the locale's default numbering system."""
    table = digit_table(locale)
    return text if table is None else text.translate(table)


def localise_digits(root: Any, table: dict[int, int]) -> int:
    """Write the ASCII digits of the page's number-only text with *table*; how many texts changed.

    A text with digits and no letter is changed when no unit holds it (as segmentation
    cuts units) and nothing around it keeps it (module docstring). The page is read once;
    only such texts cost more, and what is learnt of an element is kept for the next.
    """
    page = _Page()
    changed = 0
    # Most texts are white space or start with a letter: those tests settle them at once,
    # where looking for a digit first would read every text whole.
    for node in root.iter():
        text = node.text
        if (
            text and not text.isspace() and not _LETTER(text) and _DIGIT(text)
            and isinstance(node.tag, str) and page.number_only(node, None)
        ):  # fmt: skip
            node.text = text.translate(table)
            changed += 1
        tail = node.tail
        if tail and not tail.isspace() and not _LETTER(tail) and _DIGIT(tail):
            parent = node.getparent()
            if parent is not None and page.number_only(parent, node):
                node.tail = tail.translate(table)
                changed += 1
    return changed


# What holds for the text directly inside an element (_Page.region).
_NORMAL, _REFUSED, _KEPT_REGION = 0, 1, 2


class _Page:
    """What is known of one page's elements while its texts are looked at."""

    def __init__(self) -> None:
        self.regions: dict[Any, int] = {}
        self.blocks: dict[Any, bool] = {}
        self.runs: dict[tuple[Any, Any], bool] = {}  # (owner, start) -> the run has no letter

    def number_only(self, container: Any, after: Any) -> bool:
        """True for the text inside *container* (its text, or the tail of its child *after*)
        when it is not kept and no unit holds it: its run has no letter, or it is inside an
        inline element that is a self-closing placeholder (one without letters)."""
        if self.region(container) != _NORMAL:
            return False
        owner = container
        while not self.ends_run(owner) and not self.starts_runs(owner):
            if not is_paired(owner, owner.tag):
                return True  # inside a self-closing placeholder (<b>12</b>): no translator writes it
            owner = owner.getparent()
        # The child of the owner the text is in, or after.
        child = after if container is owner else container
        if container is not owner:
            while child.getparent() is not owner:
                child = child.getparent()
        start, nodes = self.run(owner, child, inside=container is not owner)
        key = (owner, start)
        verdict = self.runs.get(key)
        if verdict is None:
            verdict = self.runs[key] = not RunSlot(owner, start, nodes, "", None, False).frame.letters
        return verdict

    def region(self, element: Any) -> int:
        """Whether text directly inside *element* is translated (_NORMAL), refused, or kept,
        as segmentation decides it from the element and its ancestors."""
        path: list[Any] = []
        node = element
        while node is not None and node not in self.regions:
            path.append(node)
            node = node.getparent()
        state = _NORMAL if node is None else self.regions[node]
        for node in reversed(path):
            if state != _KEPT_REGION:
                if node.tag in _KEPT:
                    state = _KEPT_REGION
                else:
                    translate, classes = node.get("translate"), node.get("class")
                    if translate is not None and translate.strip().lower() == "yes":
                        state = _NORMAL
                    elif refuses(translate, classes):
                        state = _REFUSED
            self.regions[node] = state
        return state

    def starts_runs(self, element: Any) -> bool:
        """A translate="yes" element inside a refusal: segmentation starts runs there."""
        parent = element.getparent()
        return parent is None or (self.region(parent) == _REFUSED and translate_yes(element))

    def ends_run(self, node: Any) -> bool:
        """A block, a hidden element or a container of blocks: the owner of runs inside
        it, and the end of the run it stands in."""
        tag = node.tag
        if not isinstance(tag, str):
            return False
        if tag in BOUNDARY:
            return True
        known = self.blocks.get(node)
        if known is None:
            known = self.blocks[node] = _holds_block(node)
        return known

    def run(self, owner: Any, child: Any, inside: bool) -> tuple[Any, list[Any]]:
        """The run of *owner* that holds text at *child*: inside it (*inside*), else in its
        tail. Returns the run's start (the boundary child it follows, None for the owner's
        text) and its nodes, as segmentation gives them."""
        children = list(owner)
        if child is None:  # the owner's own text
            begin, start = 0, None
        elif not inside and self.ends_run(children[index := children.index(child)]):
            begin = index + 1
            start = child
        else:
            begin = children.index(child)
            while begin > 0 and not self.ends_run(children[begin - 1]):
                begin -= 1
            start = children[begin - 1] if begin > 0 else None
        end = begin
        while end < len(children) and not self.ends_run(children[end]):
            end += 1
        return start, children[begin:end]


def _holds_block(element: Any) -> bool:
    """True when a block is below *element*, not inside SVG or MathML (those do not make
    their ancestors containers of blocks: ``elements.containers_of_blocks``)."""
    if not len(element) or element.tag in OPAQUE:  # most inline elements: text alone
        return False
    for block in element.iter(*BLOCK):
        if block is element:
            continue
        node = block.getparent()
        while node is not element and node.tag not in OPAQUE:
            node = node.getparent()
        if node is element:
            return True
    return False
