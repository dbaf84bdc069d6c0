"""Writing pages: an lxml tree back to HTML text, following the HTML standard's serialisation.

We do not use libxml2's serialiser because it changes what it writes: it percent-escapes
``href``/``src`` values, drops their leading spaces, and inserts a ``<meta
http-equiv>``. Reading our output back with lxml gives the same elements, attributes and
text as the tree we wrote; that is the guarantee the round-trip tests check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import lxml.etree as etree

from .html_read import Document

# Elements written without an end tag: libxml2's list, which lacks some of the HTML
# standard's (source, track, wbr, embed): libxml2 would nest what follows them.
VOID = frozenset(["area", "base", "basefont", "br", "col", "frame", "hr", "img", "input", "link", "meta", "param"])
# libxml2 reads these elements' content as raw text, so it must be written raw.
RAW_TEXT = frozenset(["script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext"])
# Character references are decoded in these but tags are not parsed.
ESCAPABLE_RAW_TEXT = frozenset(("title", "textarea"))


def escape_text(text: str) -> str:
    """Escape text content so no markup can be read from it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")


def escape_attribute(value: str) -> str:
    """Escape an attribute value for a double-quoted attribute."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("\xa0", "&nbsp;")


def _start_tag(element: Any) -> str:
    attrs = "".join(f' {name}="{escape_attribute(value)}"' for name, value in element.items())
    return f"<{element.tag}{attrs}>"


def _content(element: Any, text: str) -> str:
    if element.tag in RAW_TEXT:
        return text
    return escape_text(text)


def _walk(root: Any) -> Iterator[str]:
    for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event == "start":
            yield _start_tag(node)
            if node.text:
                yield _content(node, node.text)
        elif event == "end":
            if node.tag not in VOID:
                yield f"</{node.tag}>"
            if node.tail and node is not root:
                yield _tail(node)
        elif event == "comment":
            yield f"<!--{node.text or ''}-->"
            if node.tail:
                yield _tail(node)
        else:  # processing instruction: libxml2's HTML parser reads <?x ...> as one
            yield f"<?{node.target} {node.text or ''}>"
            if node.tail:
                yield _tail(node)


def _tail(node: Any) -> str:
    parent = node.getparent()
    if parent is not None and parent.tag in RAW_TEXT:
        return str(node.tail)
    return escape_text(node.tail)


def _top_level(node: Any) -> str:
    # Comments outside <html> have no parent to walk from.
    return f"<!--{node.text or ''}-->" if node.tag is etree.Comment else ""


def serialise(document: Document) -> str:
    """Return the whole page as HTML text (doctype, outer comments, the ``<html>`` tree)."""
    root = document.root
    parts: list[str] = []
    if document.doctype:
        parts.append(document.doctype + "\n")
    parts.extend(_top_level(node) for node in reversed(list(root.itersiblings(preceding=True))))
    parts.extend(_walk(root))
    parts.extend(_top_level(node) for node in root.itersiblings())
    parts.append("\n")
    return "".join(parts)
