"""Writing pages: an lxml tree back to HTML text, following the HTML standard's serialisation.

We do not use libxml2's serialiser because it changes what it writes: it percent-escapes
``href``/``src`` values, drops their leading spaces, and inserts a ``<meta
http-equiv>``. Reading our output back with lxml gives the same elements, attributes and
text as the tree we wrote; that is the guarantee the round-trip tests check.

A browser must read the same structure, whatever text and attribute values the tree
holds (translators write them). libxml2 2.14 tokenizes as the HTML standard does, with
two differences: it parses ``<noscript>`` content as markup, as a browser with scripting
*off* does, while a browser with scripting on reads it as raw text up to the first
``</noscript``; and it knows no foreign content (inside ``<svg>``/``<math>`` it reads
``style``, ``title``... as raw text, browsers as markup). Escaped text never holds a
``<``, and neither does an attribute value (``<`` and ``>`` are escaped there too, as the
standard's serialiser does since 2025), so nothing written inside a ``<noscript>`` can
end it. Raw text (:data:`RAW_TEXT`) cannot be escaped: it is written as parsed, which
is why no translation is ever written into it (``elements.HIDDEN``; JSON-LD escapes
``<``), and ``svg``/``math`` content is never translated either.

The walk is a hot spot of a build (three pages per article), so it is written for speed:
one iterative loop over ``root.iterdescendants()`` (trees can be 2048 levels deep, too deep
for recursion) that appends to a list; a stack of open elements with their unfinished
child counts tells when an end tag and its tail are due, and whether the parent of a tail
is a raw-text element, without ``getparent()``; text and attribute values are escaped only
when they hold a character that needs it.
"""

from __future__ import annotations

from typing import Any

import lxml.etree as etree

from .html_read import Document

# Elements written without an end tag: libxml2's list, which lacks some of the HTML
# standard's (source, track, wbr, embed): libxml2 would nest what follows them.
VOID = frozenset(["area", "base", "basefont", "br", "col", "frame", "hr", "img", "input", "link", "meta", "param"])
# libxml2 reads these elements' content as raw text, as browsers do, so it must be written
# raw. Not noscript: libxml2 parses its content as markup (see the module docstring). The
# escapable raw text elements (title, textarea) need no case of their own: escaped text
# decodes to the same text in them, and libxml2 gives them no child elements.
RAW_TEXT = frozenset(["script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext"])

_COMMENT = etree.Comment
_PI = etree.PI
_name_value = '="'.join  # ("name", "value") -> 'name="value'
_between_attributes = '" '.join


def escape_text(text: str) -> str:
    """Escape text content so no markup can be read from it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\xa0", "&nbsp;")


def escape_attribute(value: str) -> str:
    """Escape an attribute value for a double-quoted attribute, ``<`` and ``>`` included:
    they decode to themselves, and a browser reading a ``<noscript>`` as raw text ends it
    at a ``</noscript`` even inside a value."""
    return (
        value.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\xa0", "&nbsp;")
    )


def _start_tag(tag: str, items: list[tuple[str, str]]) -> str:
    """The start tag of an element with attributes ``items`` (inlined in :func:`_walk`)."""
    for _, value in items:
        if "&" in value or '"' in value or "<" in value or ">" in value or "\xa0" in value:
            return _escaped_start_tag(tag, items)
    if items:  # nothing to escape: C-level joins build 'a="1" b="2' without a Python loop
        return f'<{tag} {_between_attributes(map(_name_value, items))}">'
    return f"<{tag}>"


def _escaped_start_tag(tag: str, items: list[tuple[str, str]]) -> str:
    pairs = [f'{name}="{escape_attribute(value)}' for name, value in items]
    return f'<{tag} {_between_attributes(pairs)}">'


def _content(text: str, raw: bool) -> str:
    """Text or tail as written: raw in a raw-text element, else escaped (if it needs it)."""
    if raw or not ("&" in text or "<" in text or ">" in text or "\xa0" in text):
        return text
    return escape_text(text)


def _walk(root: Any, parts: list[str]) -> None:
    """Append the HTML of ``root``'s subtree (without its tail) to ``parts``."""
    append = parts.append
    tag = root.tag
    append(_start_tag(tag, root.items()))
    if root.text:
        append(_content(root.text, tag in RAW_TEXT))
    # The element whose children are being written, the number of its children not yet
    # finished, whether it is a raw-text element; the same for its open ancestors. The
    # root's count is one too many, so it is closed after the loop, not in it.
    parent = root
    left = len(root) + 1
    raw = tag in RAW_TEXT
    stack: list[tuple[Any, int, bool]] = []
    for node in root.iterdescendants():
        tag = node.tag
        if tag is _COMMENT:
            append(f"<!--{node.text or ''}-->")
        elif tag is _PI:  # libxml2's HTML parser reads <?x ...> as one
            append(f"<?{node.target} {node.text or ''}>")
        else:
            # _start_tag, inlined, with one and two attributes (three elements in four) written
            # by a single f-string
            items = node.items()
            count = len(items)
            if count == 1:
                ((name, value),) = items
                if "&" in value or '"' in value or "<" in value or ">" in value or "\xa0" in value:
                    append(_escaped_start_tag(tag, items))
                else:
                    append(f'<{tag} {name}="{value}">')
            elif count == 2:
                ((name, value), (name2, value2)) = items
                if (
                    "&" in value
                    or '"' in value
                    or "<" in value
                    or ">" in value
                    or "\xa0" in value
                    or "&" in value2
                    or '"' in value2
                    or "<" in value2
                    or ">" in value2
                    or "\xa0" in value2
                ):
                    append(_escaped_start_tag(tag, items))
                else:
                    append(f'<{tag} {name}="{value}" {name2}="{value2}">')
            elif count:
                for _, value in items:
                    if "&" in value or '"' in value or "<" in value or ">" in value or "\xa0" in value:
                        append(_escaped_start_tag(tag, items))
                        break
                else:
                    append(f'<{tag} {_between_attributes(map(_name_value, items))}">')
            else:
                append(f"<{tag}>")
            text = node.text
            if text:  # _content, inlined; so are the tails' below
                if tag in RAW_TEXT or not ("&" in text or "<" in text or ">" in text or "\xa0" in text):
                    append(text)
                else:
                    append(escape_text(text))
            children = len(node)
            if children:
                stack.append((parent, left, raw))
                parent, left, raw = node, children, tag in RAW_TEXT
                continue
            if tag not in VOID:
                append(f"</{tag}>")
        # node is finished: its tail, then the end (and tail) of every ancestor it was the
        # last child of
        while True:
            tail = node.tail
            if tail:
                if raw or not ("&" in tail or "<" in tail or ">" in tail or "\xa0" in tail):
                    append(tail)
                else:
                    append(escape_text(tail))
            left -= 1
            if left:
                break
            node = parent
            tag = node.tag
            if tag not in VOID:
                append(f"</{tag}>")
            parent, left, raw = stack.pop()
    if root.tag not in VOID:
        append(f"</{root.tag}>")


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
    _walk(root, parts)
    parts.extend(_top_level(node) for node in root.itersiblings())
    parts.append("\n")
    return "".join(parts)
