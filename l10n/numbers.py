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

from .elements import BLOCK, BOUNDARY, FROZEN, HIDDEN, OPAQUE, PRESERVE_SPACE, is_paired, no_translate, translate_yes
from .inline import RunSlot
from .text import has_letters

# Zero of each CLDR decimal numbering system a locale may default to.
_NATIVE_ZERO = {
    "arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "gujr": 0xAE6, "guru": 0xA66,
    "khmr": 0x17E0, "knda": 0xCE6, "laoo": 0xED0, "mlym": 0xD66, "mymr": 0x1040, "orya": 0xB66,
    "tamldec": 0xBE6, "telu": 0xC66, "thai": 0xE50, "tibt": 0xF20,
}  # fmt: skip
# Never changed: what is not shown as text (hidden), what stands for itself (frozen), and
# preformatted text (code listings, ASCII tables).
_KEPT = HIDDEN | FROZEN | OPAQUE | PRESERVE_SPACE
_DIGIT = re.compile("[0-9]")


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

    A text with digits and no letter is changed when the run it belongs to (as
    segmentation cuts runs) has no letter either, and nothing around it keeps it
    (module docstring). The page is read once; only such texts cost more.
    """
    verdicts: dict[tuple[Any, Any], bool] = {}
    changed = 0
    for node in root.iter():
        if isinstance(node.tag, str):
            text = node.text
            if text and _DIGIT.search(text) and not has_letters(text) and _number_only(node, None, verdicts):
                node.text = text.translate(table)
                changed += 1
        tail = node.tail
        if tail and _DIGIT.search(tail) and not has_letters(tail) and node is not root:
            parent = node.getparent()
            if parent is not None and _number_only(parent, node, verdicts):
                node.tail = tail.translate(table)
                changed += 1
    return changed


def _number_only(container: Any, after: Any, verdicts: dict[tuple[Any, Any], bool]) -> bool:
    """True for the text inside *container* (its text, or the tail of its child *after*)
    when it is not kept and no unit holds it: its run has no letter, or it is inside an
    inline element that is a self-closing placeholder (one without letters)."""
    owner = _owner(container)
    if owner is None:
        return False
    node = container
    while node is not owner:
        if not is_paired(node, node.tag):
            return True  # inside a self-closing placeholder (<b>12</b>): no translator writes it
        node = node.getparent()
    # The child of the owner the text is in, or after.
    child = after if container is owner else container
    if container is not owner:
        while child.getparent() is not owner:
            child = child.getparent()
    start, nodes = _run(owner, child, inside=container is not owner)
    key = (owner, start)
    verdict = verdicts.get(key)
    if verdict is None:
        verdict = verdicts[key] = not RunSlot(owner, start, nodes, "", None, False).frame.letters
    return verdict


def _owner(element: Any) -> Any:
    """The element whose run holds text inside *element*, or None when the text is kept.

    Climbs as segmentation descends: a kept element or a refusal of translation (not
    overridden by a nearer ``translate="yes"``) keeps the text; the run's owner is the
    nearest block, hidden element or container of blocks, or a ``translate="yes"``
    element inside a refusal (segmentation starts runs there).
    """
    owner = None
    said_yes = None  # the nearest translate="yes", once met
    owner_below_yes = None
    refused_above_yes = False
    node = element
    while node is not None:
        tag = node.tag
        if tag in _KEPT:
            return None
        if said_yes is None:
            if translate_yes(node):
                said_yes = node
            elif no_translate(node):
                return None
        elif not refused_above_yes and no_translate(node):
            refused_above_yes = True
        if owner is None and not refused_above_yes and (tag in BOUNDARY or _holds_block(node)):
            owner = node
        if node is said_yes:
            owner_below_yes = owner
        node = node.getparent()
    if refused_above_yes:
        # Inside a refusal segmentation walks only from the translate="yes" element down:
        # it starts runs there, whatever it is.
        return owner_below_yes if owner_below_yes is not None else said_yes
    return owner


def _run(owner: Any, child: Any, inside: bool) -> tuple[Any, list[Any]]:
    """The run of *owner* that holds text at *child*: inside it (*inside*), else in its
    tail. Returns the run's start (the boundary child it follows, None for the owner's
    text) and its nodes, as segmentation gives them."""
    children = list(owner)
    if child is None:  # the owner's own text
        begin, start = 0, None
    elif not inside and _ends_run(children[index := children.index(child)]):
        begin = index + 1
        start = child
    else:
        begin = children.index(child)
        while begin > 0 and not _ends_run(children[begin - 1]):
            begin -= 1
        start = children[begin - 1] if begin > 0 else None
    end = begin
    while end < len(children) and not _ends_run(children[end]):
        end += 1
    return start, children[begin:end]


def _ends_run(node: Any) -> bool:
    tag = node.tag
    return isinstance(tag, str) and (tag in BOUNDARY or _holds_block(node))


def _holds_block(element: Any) -> bool:
    """True when a block is below *element*, not inside SVG or MathML (those do not make
    their ancestors containers of blocks: ``elements.containers_of_blocks``)."""
    if element.tag in OPAQUE:
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
