"""Placeholders protected through a machine-translation engine, and its answers checked.

An engine is told the text is XML or HTML and keeps elements where the words they wrap
go. A msgid's placeholders become elements no engine knows and every engine keeps:
``<a1>court</a1>`` becomes ``<g id="a1">court</g>`` and ``<br3/>`` becomes
``<x id="br3"/>`` (XLIFF 1.2's inline codes: a paired code and a void one). The text
between them is sent as the page shows it, escaped for markup (``&lt;``, ``&amp;``), so a
source that talks about HTML (``&lt;b1>`` in a msgid) reaches the engine as text, never as
a tag. :func:`restore` reads an answer back into a msgstr and validates it with the
core's rules (:func:`l10n.placeholders.parse` and :func:`~l10n.placeholders.check_markup`):
exactly the source's placeholders, properly nested, and no markup the source does not have
as text. Anything else in an answer that looks like a tag stays text and fails the markup
check, so an engine can never add an element or an attribute to a page.
"""

from __future__ import annotations

import html
import re

from ..placeholders import (
    InvalidTranslation,
    Node,
    Void,
    check_markup,
    escape_literal,
    parse,
    placeholders_of,
    unsafe_characters,
)

# Our inline codes as engines give them back: HTML engines write a void <x/> as <x ...></x>
# and may change the quotes; anything else (another attribute, another tag) is not ours.
_NAME = r"[a-z]+(?:-[a-z]+)*\d+"
_CODE = re.compile(
    rf"<g\s+id\s*=\s*(?P<gq>[\"']?)(?P<g>{_NAME})(?P=gq)\s*>"
    r"|</g\s*>"
    rf"|<x\s+id\s*=\s*(?P<xq>[\"']?)(?P<x>{_NAME})(?P=xq)\s*(?P<slash>/)?>(?(slash)|(?:</x\s*>)?)"
)


def protect(msgid: str) -> str:
    """The msgid as markup for an engine: placeholders as ``<g id>``/``<x id/>``, text escaped.

    Raises InvalidTranslation when the msgid itself is not a valid set of placeholders
    (a hand-edited catalogue): such a unit is not sent.
    """
    return "".join(_markup(node) for node in parse(msgid, placeholders_of(msgid)))


def _markup(node: Node) -> str:
    if isinstance(node, str):
        return html.escape(node, quote=False)
    if isinstance(node, Void):
        return f'<x id="{node.name}"/>'
    return f'<g id="{node.name}">' + "".join(_markup(child) for child in node.children) + "</g>"


def restore(msgid: str, answer: str) -> str:
    """The engine's *answer* for *msgid* as a msgstr, valid for that msgid.

    Raises InvalidTranslation saying why it cannot be used: a placeholder missing,
    repeated, added or badly nested; markup the source does not have; characters a
    catalogue cannot hold; or nothing at all. White space around the answer is dropped
    (msgids are trimmed, and ``msgfmt -c`` refuses a msgstr that ends in a line break
    its msgid does not).
    """
    if unsafe_characters(answer):
        raise InvalidTranslation("control characters in the answer")
    parts: list[str] = []
    stack: list[str] = []  # the open <g>s, by name
    position = 0
    for match in _CODE.finditer(answer):
        parts.append(escape_literal(html.unescape(answer[position : match.start()])))
        position = match.end()
        if match.group("g"):
            stack.append(match.group("g"))
            parts.append(f"<{match.group('g')}>")
        elif match.group("x"):
            parts.append(f"<{match.group('x')}/>")
        elif stack:
            parts.append(f"</{stack.pop()}>")
        else:
            raise InvalidTranslation("a closing tag without its opening one")
    if stack:
        raise InvalidTranslation(f"<{stack[-1]}> is never closed")
    parts.append(escape_literal(html.unescape(answer[position:])))
    msgstr = "".join(parts).strip()
    if not msgstr:
        raise InvalidTranslation("an empty answer")
    parse(msgstr, placeholders_of(msgid))
    check_markup(msgid, msgstr)
    return msgstr
