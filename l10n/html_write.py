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

Writing is a hot spot of a build (three pages per article). :func:`_walk` is the
reference: one iterative loop over ``root.iterdescendants()`` (trees can be 2048 levels
deep, too deep for recursion) that appends to a list; a stack of open elements with their
unfinished child counts tells when an end tag and its tail are due, and whether the parent
of a tail is a raw-text element, without ``getparent()``; text and attribute values are
escaped only when they hold a character that needs it. A page is written by libxml2's
XML serialiser instead (:func:`_fast`: a fifth to a third less time on real pages), whose output
differs from the walk's in a few known ways that are mended, with the nodes it cannot
write as the walk does written by the walk; tests/test_html_write.py checks that the two
give the same text for any tree, and a probe at import falls back to the walk should a
libxml2 write otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
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


# Elements without content: XML writes "<x/>", the void ones among them mended by
# _from_xml, the others given an empty text while it writes ("<x></x>").
_EMPTY = etree.XPath("descendant::*[not(node())]")
_HOLE_TARGET = "l10n-hole"
_HOLE_START = f"<?{_HOLE_TARGET} ".encode()


def _fast(root: Any) -> bytes:
    """What :func:`_walk` writes for *root*, in UTF-8, written by libxml2's XML serialiser.

    Its XML is the walk's HTML but for elements without content (``<x/>``), the line
    breaks and tabs of attribute values (``&#10;``...) and U+00A0 (written as itself):
    each element without content that is not void is given an empty text while libxml2
    writes (then "<x></x>"), and :func:`_from_xml` mends the rest. Each node it would
    write otherwise (:func:`_holes`) is swapped for a processing instruction, the hole,
    while libxml2 writes the tree, and the walk writes it into the hole's place: XML
    escapes ``<`` in text and values, so the holes are the only ``<?`` of its output. The
    tree is as it was when this returns.

    Bytes, not text: libxml2 writes UTF-8, which the page is written in, and the mending
    is faster on bytes (decoding the XML and encoding the page took a third of the time
    of writing a page, and a search in wide text is slower).
    """
    swapped: list[tuple[Any, Any]] = []
    holes: list[bytes] = []
    emptied: list[Any] = []
    try:
        inside: Any = None  # the last hole: nodes below it are written with it
        for node in list(_holes(root)):  # found before any is swapped: the walk of lxml's iter would follow it
            if inside is not None and any(parent is inside for parent in node.iterancestors()):
                continue
            inside = node
            hole = _PI(_HOLE_TARGET, str(len(holes)))
            holes.append(_written(node).encode("utf-8"))
            hole.tail = node.tail
            node.getparent().replace(node, hole)
            swapped.append((hole, node))
        found: Any = _EMPTY(root)  # a node-set: a list of elements
        emptied = [element for element in found if element.tag not in VOID]
        for element in emptied:
            element.text = ""
        data = _from_xml(_tostring(root, method="xml", encoding="utf-8", with_tail=False))
    finally:
        for element in emptied:
            element.text = None
        for hole, node in reversed(swapped):
            hole.getparent().replace(hole, node)
    if not holes:
        return data
    pieces = data.split(_HOLE_START)
    written = [pieces[0]]
    for piece in pieces[1:]:
        end = piece.index(b"?>")
        written.append(holes[int(piece[:end])])
        written.append(piece[end + 2 :])
    return b"".join(written)


def _written(node: Any) -> str:
    """A node's HTML as :func:`_walk` writes it, without its tail."""
    if node.tag is _COMMENT:
        return f"<!--{node.text or ''}-->"
    if node.tag is _PI:
        return f"<?{node.target} {node.text or ''}>"
    parts: list[str] = []
    _walk(node, parts)
    return "".join(parts)


def _holes(root: Any) -> Iterator[Any]:
    """The nodes below *root* that libxml2's XML serialiser does not write as :func:`_walk`
    does, or whose text :func:`_from_xml` would change: comments that hold what it mends,
    processing instructions (written "<?x y?>"), void elements with content (written with
    an end tag), raw-text elements with children or with text that XML escapes."""
    for node in root.iter(_COMMENT, _PI, *RAW_TEXT, *VOID):
        tag = node.tag
        if tag is _COMMENT:
            text = node.text
            if text and ("/>" in text or "&#" in text or "\xa0" in text or "<?" in text):
                yield node
        elif tag is _PI:
            yield node
        elif tag in VOID:
            if node.text is not None or len(node):
                yield node
        elif len(node):
            yield node
        else:
            text = node.text
            if text and ("&" in text or "<" in text or ">" in text or "\r" in text or "\xa0" in text):
                yield node


def _from_xml(data: bytes) -> bytes:
    """libxml2's XML (UTF-8), holes aside, as :func:`_walk` writes it: ">" and "&" are
    escaped in text and values, so each "/>" ends a void element and each "&#" starts what
    libxml2 escaped in a value (a line break, a tab, a carriage return)."""
    data = b">".join(data.split(b"/>"))  # split and join: twice as fast as replace here
    data = _swapped(data, b"#", _ESCAPED_CONTROLS, 1)
    return _swapped(data, b"\xc2", _NBSP, 0)


_ESCAPED_CONTROLS = {b"&#10;": b"\n", b"&#9;": b"\t", b"&#13;": b"\r"}
_NBSP = {"\xa0".encode(): b"&nbsp;"}


def _swapped(data: bytes, pivot: bytes, swaps: dict[bytes, bytes], offset: int) -> bytes:
    """*data* with each key of *swaps* replaced by its value. Each key holds the byte
    *pivot* at *offset*, a byte rare in pages: found by memchr, where a search for the key
    itself went at a nanosecond a byte (a page is full of ">", and "\xa0" is the second
    byte of many letters). The keys must not overlap one another."""
    found = data.find(pivot)
    if found < 0:
        return data
    pieces: list[bytes] = []
    start = 0
    while found >= 0:
        at = found - offset
        if at >= start:
            for key, value in swaps.items():
                if data.startswith(key, at):
                    pieces.append(data[start:at])
                    pieces.append(value)
                    start = at + len(key)
                    break
        found = data.find(pivot, max(found + 1, start))
    if not pieces:
        return data
    pieces.append(data[start:])
    return b"".join(pieces)


_tostring = etree.tostring


def _probe() -> Any:
    """A tree with each case :func:`_fast` mends or leaves to the walk."""
    root = etree.Element("html", {"lang": "en"})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "meta", {"charset": "utf-8"}).tail = "\n"
    script = etree.SubElement(head, "script")
    script.text = "if (a < b && c > d) {}\r\xa0"
    etree.SubElement(head, "style").text = "p{}"
    etree.SubElement(head, "script", {"src": "a.js"})
    body = etree.SubElement(root, "body", {"class": 'a\nb\tc\rd "e" <f> &amp; \xa0'})
    body.text = "t & < > \" ' \r\n\t\xa0 &#10; /> <?x?>"
    body.append(etree.Comment(" plain "))
    body.append(etree.Comment(" <br/> &#10; \xa0 <?x?> "))
    body.append(etree.PI("php", "echo 1"))
    for tag in ("br", "img", "p", "span", "div", "td", "iframe", "xmp"):
        etree.SubElement(body, tag, {"title": "/>"}).tail = "&#9;"
    etree.SubElement(body, "br").text = "void with text"
    etree.SubElement(etree.SubElement(body, "script"), "b").text = "<"
    return root


def _agrees() -> bool:
    """Whether this libxml2 writes :func:`_probe` as the walk does (its XML serialiser is
    not ours to fix: should a version write otherwise, every page is walked)."""
    root = _probe()
    walked: list[str] = []
    _walk(root, walked)
    try:
        return _fast(root) == "".join(walked).encode("utf-8")
    except (ValueError, etree.LxmlError):
        return False


_LIBXML2_AGREES = _agrees()
_NOT_FAST = VOID | RAW_TEXT  # as the root: the holes are below it


def _top_level(node: Any) -> str:
    # Comments outside <html> have no parent to walk from.
    return _written(node) if node.tag is _COMMENT else ""


def serialise(document: Document) -> str:
    """Return the whole page as HTML text (doctype, outer comments, the ``<html>`` tree)."""
    return serialise_utf8(document).decode("utf-8")


def serialise_utf8(document: Document) -> bytes:
    """The whole page as :func:`serialise` writes it, in UTF-8: the bytes of its file."""
    root = document.root
    parts: list[str] = []
    if document.doctype:
        parts.append(document.doctype + "\n")
    parts.extend(_top_level(node) for node in reversed(list(root.itersiblings(preceding=True))))
    if _LIBXML2_AGREES and len(root) and root.tag not in _NOT_FAST and root.getroottree().docinfo.internalDTD is None:
        tree = _fast(root)
    else:
        walked: list[str] = []
        _walk(root, walked)
        tree = "".join(walked).encode("utf-8")
    after = "".join(_top_level(node) for node in root.itersiblings())
    return b"".join(["".join(parts).encode("utf-8"), tree, f"{after}\n".encode()])
