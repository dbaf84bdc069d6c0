"""Comments inside a run: where each goes when a translation is written back.

Comments (and processing instructions) inside a run are not in its msgid: they carry
meaning for machines (WordPress ``<!--more-->``, Knockout ``<!-- ko -->``, ESI/SSI,
conditional comments), none for a translator. Where they go at build:

* A unit whose translation is its msgid is left exactly as the source has it, so its
  comments keep their place to the character (between two words too).
* In a translation a comment keeps to its neighbour in its container (the run, or the
  content of a paired placeholder; it never leaves it). Next to the placeholder element
  after it (only white space between), it stays right before that element wherever the
  translation puts it; else next to the one before it, it stays right after that one (so
  does a comment next to both that reads as a closing marker: ``<!-- /ko -->``,
  ``<![endif]>``, ``<!-- end … -->``); else at the container's start or end when only
  white space separates it from there. A comment between words goes before the next
  element, or after the previous one, or, with no element in its container, to its end.
  So while a translation keeps the placeholders' order no comment passes an element, and
  when it reorders them each comment next to an element moves with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .text import WS

# Where a comment of a run goes in a translation: before or after a placeholder's element,
# at the start or end of the run ("") or of a paired placeholder's content.
BEFORE, AFTER, START, END = "before", "after", "start", "end"
Places = dict[tuple[str, str], list[Any]]
NO_PLACES: Places = {}  # a run without comments (never written to)


def comment_places(text: str, nodes: list[Any], elements: Mapping[str, Any], comments: list[tuple[Any, Any]]) -> Places:
    """Where each comment of a run goes in a translation, as the module docstring says.

    The run is *text* then *nodes*; *elements* maps each placeholder to its element, and
    *comments* are the run's comments, each with its parent (None for the run's own).
    Keyed by (BEFORE or AFTER, placeholder) or (START or END, container), each list in
    document order.
    """
    idents = {element: ident for ident, element in elements.items()}
    places: Places = {}
    for parent in dict.fromkeys(parent for _, parent in comments):  # each container once, in order
        if parent is None:
            _place_comments(text, nodes, "", idents, places)
        else:
            _place_comments(parent.text or "", list(parent), idents[parent], idents, places)
    return places


def _place_comments(text: str, nodes: list[Any], container: str, idents: dict[Any, str], places: Places) -> None:
    """Add the comments among *nodes* (a container's children after its *text*) to *places*."""
    # Each comment, the element before it, and whether only white space lies between.
    behind: list[tuple[Any, Any, bool]] = []
    previous, touches = None, not text.strip(WS)
    for node in nodes:
        if isinstance(node.tag, str):
            previous, touches = node, not (node.tail or "").strip(WS)
        else:
            behind.append((node, previous, touches))
            touches = touches and not (node.tail or "").strip(WS)
    # The element after each comment (read backwards), and whether only white space lies between.
    ahead: list[tuple[Any, bool]] = []
    following, touches = None, True
    for node in reversed(nodes):
        if isinstance(node.tag, str):
            following, touches = node, True
        else:
            touches = touches and not (node.tail or "").strip(WS)
            ahead.append((following, touches))
    ahead.reverse()
    for (comment, previous, touches_previous), (following, touches_following) in zip(behind, ahead, strict=True):
        if touches_following and following is not None:
            closing = touches_previous and previous is not None and _closes(comment)
            key = (AFTER, idents[previous]) if closing else (BEFORE, idents[following])
        elif touches_previous:  # with no element before it: the container's start
            key = (START, container) if previous is None else (AFTER, idents[previous])
        elif touches_following:  # with no element after it: the container's end
            key = (END, container)
        elif following is not None:  # between words
            key = (BEFORE, idents[following])
        elif previous is not None:
            key = (AFTER, idents[previous])
        else:
            key = (END, container)
        places.setdefault(key, []).append(comment)


def _closes(comment: Any) -> bool:
    """True for a comment that reads as the end of what comes before it: ``<!-- /ko -->``,
    ``<![endif]>``, ``<!-- end .byline -->``."""
    return _CLOSING.match(comment.text or "") is not None


_CLOSING = re.compile(r"\s*(?:/|<?!?\[endif\]|end\b)", re.IGNORECASE)
