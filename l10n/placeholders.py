"""The placeholder syntax of msgids and msgstrs (DESIGN.md §Placeholders).

A msgid is text with placeholder tags: ``<a1>…</a1>`` for an inline element whose
content is translated, ``<br3/>`` for a void or frozen one. Literal source text that
looks like a placeholder tag is written ``&lt;b1>`` (and a literal ``&lt;`` or ``&amp;``
as ``&amp;lt;``/``&amp;amp;``), so every msgid decodes to exactly one source.

This module owns that syntax: encoding literal text, reading a translation into a
tree of text and placeholders, and deciding whether a translation is *valid* for its
source (same placeholders, each once, properly nested; order is free). It also owns
what a page can hold of a translation's characters (:func:`page_safe`), since every
translation reaches a page through :func:`parse`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

PLACEHOLDER = re.compile(r"<(/?)([a-z]+(?:-[a-z]+)*)(\d+)(/?)>")
_ENTITY = re.compile(r"&(lt|amp);")
_ENTITY_LIKE = re.compile(r"&(?=(?:lt|amp);)")
# Markup a translator may have typed that is not one of our placeholders (QA error): what
# an HTML tokenizer would read as other than text. A comment, to its "-->" or the end;
# "<!" (doctype, CDATA, bogus comment) or "<?" to its ">" or the end; an end tag or
# "</" bogus comment to its ">"; a start tag, "<" and an ASCII letter, to its ">" (attributes
# may follow a "/": <img/src=x>). A "<" before anything else is text ("a < b", "x<3").
MARKUP_LIKE = re.compile(r"<!--(?:.*?-->|.*)|<[!?][^>]*>?|</[^>]*>|<[A-Za-z][^>]*>", re.DOTALL)
# Characters an lxml tree cannot hold (XML's Char excludes them; HTML calls the C0 ones
# controls, the others noncharacters or surrogates): C0 controls but tab, LF and CR,
# lone surrogates, U+FFFE and U+FFFF. Form feed and vertical tab are white space.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
AS_SPACE = "\x0b\x0c"
NAME_SAFE = re.compile(r"[a-z]+(?:-[a-z]+)*\Z")


def placeholder_name(tag: str) -> str:
    """Return the placeholder name for an element tag (``a``, ``em``; ``x`` when unusable)."""
    tag = tag.lower()
    return tag if NAME_SAFE.match(tag) else "x"


def escape_literal(text: str) -> str:
    """Encode source text so nothing in it can be read as a placeholder."""
    if "<" not in text and "&" not in text:  # most text: nothing to encode
        return text
    text = _ENTITY_LIKE.sub("&amp;", text)
    return PLACEHOLDER.sub(lambda m: "&lt;" + m.group(0)[1:], text)


def page_safe(text: str) -> str:
    """*text* as a page can hold it: form feed and vertical tab become a space, the other
    :data:`UNSAFE` characters are dropped (lxml refuses them; a build must not crash)."""
    if text.isprintable() or UNSAFE.search(text) is None:  # isprintable: the usual case, in C
        return text
    return UNSAFE.sub(lambda m: " " if m.group(0) in AS_SPACE else "", text)


def unsafe_characters(text: str) -> list[str]:
    """The :data:`UNSAFE` characters of *text*, each once, in order of appearance."""
    return list(dict.fromkeys(UNSAFE.findall(text)))


def _decode_unsafe(text: str) -> str:
    return page_safe(unescape_literal(text))


def unescape_literal(text: str) -> str:
    """Decode the text between placeholders back to what the page shows."""
    if "&" not in text:
        return text
    return _ENTITY.sub(lambda m: "<" if m.group(1) == "lt" else "&", text)


@dataclass(frozen=True, slots=True)
class Span:
    """A paired placeholder and what it encloses."""

    name: str
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Void:
    """A self-closing placeholder."""

    name: str


Node = str | Span | Void


class InvalidTranslation(ValueError):
    """The translation does not carry exactly the source's placeholders."""


def parse(text: str, expected: dict[str, bool]) -> tuple[Node, ...]:
    """Read a msgid or msgstr into nodes, checking it against the source's placeholders.

    *expected* maps each placeholder of the source (``"a1"``) to True when it is paired.
    Raises InvalidTranslation naming the first problem. Text nodes are decoded and made
    :func:`page_safe` (after the placeholders are read, so a dropped character can never
    make or unmake one).
    """
    if "<" not in text:  # no placeholder at all, as in most units: the same result, sooner
        if expected:
            raise InvalidTranslation("missing placeholder " + ", ".join(f"<{m}>" for m in sorted(expected)))
        return (_decoder(text)(text),) if text else ()
    placeholders = tuple(expected.items())
    return _parsed(text, placeholders) if len(text) <= _KEPT_CHARS else _read(text, placeholders)


def _decoder(text: str) -> Callable[[str], str]:
    # One look at the whole text (isprintable, in C, settles most) spares a look at each node.
    return unescape_literal if text.isprintable() or UNSAFE.search(text) is None else _decode_unsafe


def _read(text: str, placeholders: tuple[tuple[str, bool], ...]) -> tuple[Node, ...]:
    """:func:`parse` of a text with a ``<``."""
    expected = dict(placeholders)
    decode = _decoder(text)
    stack: list[tuple[str, list[Node]]] = [("", [])]
    seen: set[str] = set()
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            stack[-1][1].append(decode(text[position : match.start()]))
        position = match.end()
        closing, name, index, void = match.groups()
        ident = name + index
        token = match.group(0)
        if ident not in expected:
            raise InvalidTranslation(f"placeholder {token} is not in the source")
        paired = expected[ident]
        if closing:
            if void or stack[-1][0] != ident:
                raise InvalidTranslation(f"{token} does not close the open placeholder")
            _, children = stack.pop()
            stack[-1][1].append(Span(ident, tuple(children)))
            continue
        if ident in seen:
            raise InvalidTranslation(f"placeholder {token} appears twice")
        seen.add(ident)
        if void:
            if paired:
                raise InvalidTranslation(f"{token} must enclose text: <{ident}>…</{ident}>")
            stack[-1][1].append(Void(ident))
        else:
            if not paired:
                raise InvalidTranslation(f"<{ident}> must be written <{ident}/>")
            stack.append((ident, []))
    if len(stack) > 1:
        raise InvalidTranslation(f"<{stack[-1][0]}> is never closed")
    if position < len(text):
        stack[0][1].append(decode(text[position:]))
    missing = sorted(set(expected) - seen)
    if missing:
        raise InvalidTranslation("missing placeholder " + ", ".join(f"<{m}>" for m in missing))
    return tuple(stack[0][1])


# A build reads each translation twice: checked against its msgid's placeholders
# (catalog.problem), then written into the page (the same placeholders, in the same
# order). The nodes are immutable, so they are shared. Only texts of up to _KEPT_CHARS
# are kept, at most 1,024 of them: a few megabytes at worst, whatever translators write.
_KEPT_CHARS = 2000
_parsed = lru_cache(maxsize=1024)(_read)


def markup(source: str, translation: str) -> list[str]:
    """Markup-like text (:data:`MARKUP_LIKE`) in *translation* that is not a placeholder,
    nor literal text of the *source* (in any case), each once, in order."""
    if "<" not in translation and "&" not in translation:  # most translations: nothing to look for (&lt; is <)
        return []
    found = dict.fromkeys(_markup_in(translation))
    if not found:  # only placeholders: the source need not be searched
        return []
    # Compared without case: a translation may write the source's literal <noun> as <NOUN>.
    literal = {token.lower() for token in _markup_in(source)}
    return [token for token in found if token.lower() not in literal]


def _markup_in(text: str) -> Iterator[str]:
    # The text between placeholders as the page holds it (what parse makes of it).
    for part in PLACEHOLDER.split(text)[:: PLACEHOLDER.groups + 1]:
        # Every MARKUP_LIKE match starts with "<", which only "&lt;" decodes to, and
        # dropping characters (page_safe) makes none.
        if "<" not in part and "&" not in part:
            continue
        for match in MARKUP_LIKE.finditer(page_safe(unescape_literal(part))):
            yield match.group(0)


def check_markup(source: str, translation: str) -> None:
    """Raise InvalidTranslation when *translation* holds markup-like text that is not a
    placeholder: the page would hold it as escaped characters, never as the markup a
    translator meant, so such a translation is not used."""
    tokens = markup(source, translation)
    if tokens:
        raise InvalidTranslation(f"markup-like text {' '.join(tokens)} is not a placeholder")


def placeholders_of(msgid: str) -> dict[str, bool]:
    """Return the placeholders a msgid holds (name to paired), read from its text alone."""
    if "<" not in msgid:
        return {}
    found: dict[str, bool] = {}
    for closing, name, index, void in PLACEHOLDER.findall(msgid):
        if not closing:
            found[name + index] = not void
    return found


def text_of(nodes: tuple[Node, ...]) -> str:
    """Return the plain text of parsed nodes (placeholders dropped)."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, Span):
            parts.append(text_of(node.children))
    return "".join(parts)
