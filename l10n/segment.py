"""Segmentation: the one traversal that both extraction and build use (DESIGN.md §Units).

:func:`slots` walks a parsed page once and returns, in document order, every place
that holds translatable text: a run of text and inline elements in a block, a
translatable attribute, a text field of JSON-LD. :func:`segment` reads the units out of
those slots; :func:`apply` writes translations back into them. Because both go through
the same walk, a unit extracted from a page always finds its place again at build.

Rules in brief: blocks (and inline elements that contain blocks) split text into runs;
a run with at least one letter is a unit; inline elements inside it become placeholders;
``script``/``style``/``template``, ``svg``/``math`` internals, ``translate="no"`` (until a
``translate="yes"``) and class ``notranslate`` are never translated; ``code``, ``kbd``,
``samp``, ``var`` and ``<time>`` are frozen whole. Hidden elements that a reader still meets
(``iframe``, ``textarea``, ``xmp``, ``plaintext``) have their ``title``/``aria-label`` (and a
textarea's ``placeholder``) translated, never their content.

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

import copy
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Self

import lxml.etree as etree

from . import placeholders as ph
from .errors import ArticleError
from .html_read import MAX_DEPTH, MAX_UNIT_CHARS, MAX_UNITS, Document

BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "button",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "label",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "noscript",
        "ol",
        "optgroup",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
# Never translated, and they end a run: nobody reads them, or (textarea) the reader wrote
# them. This holds every raw-text element (html_write.RAW_TEXT: script, style, xmp, iframe,
# noembed, noframes, plaintext): their text is written unescaped, so a translation there
# could end the element and add markup.
HIDDEN = frozenset(("script", "style", "template", "textarea", "iframe", "noembed", "noframes", "xmp", "plaintext"))
# Hidden elements a reader still meets: a frame, a text box, raw text shown as it is. Their
# content stays untouched, but their title and aria-label (a textarea's placeholder too) are
# shown or read out, so those are units (DESIGN.md: title and aria-label on every element,
# iframe included). script, style, template, noembed and noframes are never rendered: they
# stay untouched whole (a <style title> even names a style sheet set, which a switcher keys on).
SHOWN_HIDDEN = frozenset(("iframe", "textarea", "xmp", "plaintext"))
# Inside a unit these stand for themselves: a self-closing placeholder, content untouched.
FROZEN = frozenset(("code", "kbd", "samp", "var", "time", "svg", "math"))
REPLACED = frozenset(
    [
        "img",
        "br",
        "wbr",
        "input",
        "embed",
        "object",
        "video",
        "audio",
        "canvas",
        "picture",
        "meter",
        "progress",
        "area",
        "map",
        "hr",
        "source",
        "track",
        "param",
    ]
)
OPAQUE = frozenset(("svg", "math"))
PRESERVE_SPACE = frozenset(("pre", "listing", "plaintext"))
# Children that end a run whatever they hold (containers of blocks end one too).
_BOUNDARY = BLOCK | HIDDEN
# Inline elements that are a self-closing placeholder whatever their text.
_NEVER_PAIRED = FROZEN | REPLACED | HIDDEN

_WS = " \t\n\r\f"
_SPACES = re.compile(r"[ \t\n\r\f]+")
_LETTER = re.compile(r"[^\W\d_]")

JSONLD_FIELDS = ("headline", "alternativeHeadline", "description", "caption", "abstract")
META_FIELDS = frozenset(
    [
        "description",
        "keywords",
        "og:title",
        "og:description",
        "og:image:alt",
        "twitter:title",
        "twitter:description",
        "twitter:image:alt",
    ]
)
BUTTON_INPUTS = frozenset(("button", "submit", "reset"))
# Attributes shown in the placeholder legend; the rest (class, style, data-*) is noise.
LEGEND_ATTRIBUTES = ("href", "src", "alt", "title", "datetime", "lang", "translate")


@dataclass(frozen=True, slots=True)
class Placeholder:
    """What a placeholder of a unit stands for."""

    name: str
    paired: bool
    legend: str


@dataclass(frozen=True, slots=True)
class Unit:
    """One translatable text, as a translator sees it."""

    msgid: str
    kind: str
    line: int
    placeholders: tuple[Placeholder, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Fallback:
    """A unit that kept its source text at build, and why."""

    msgid: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class SourceMark:
    """How a unit left in the source language is marked in a translated page: the source's
    language, and its direction when it differs from the page's (English in Persian)."""

    lang: str
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class Applied:
    """What :func:`apply` did: units translated, and those that fell back to the source."""

    translated: int
    fallbacks: tuple[Fallback, ...]


def has_letters(text: str) -> bool:
    """True when *text* holds at least one letter (runs without letters are not units)."""
    if text.isascii():
        # The ASCII letters are the ASCII characters that have a case: comparing the
        # cases runs in C, several times faster than the regex on most page text.
        return text.lower() != text.upper()
    return _LETTER.search(text) is not None


def _collapse(text: str) -> str:
    text = text.strip(_WS)
    # Most text has no run of white space to collapse, and the regex is the slow part.
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        return _SPACES.sub(" ", text)
    return text


def split_space(raw: str) -> tuple[str, str]:
    """The leading and trailing white space of *raw* (kept in the page around a unit)."""
    if not raw or (raw[0] not in _WS and raw[-1] not in _WS):
        return "", ""  # the usual case, without copying the text twice
    stripped = raw.lstrip(_WS)
    lead = raw[: len(raw) - len(stripped)]
    core = stripped.rstrip(_WS)
    return lead, stripped[len(core) :]


def _attributes_of(element: Any) -> dict[str, str]:
    """All attributes of *element*, read at once.

    The walk needs several of them for every element; lxml copies each value out of
    libxml2 on every ``get()``, so one ``items()`` costs less than three ``get()``.
    """
    return dict(element.items())


def no_translate(element: Any) -> bool:
    return _refuses(element.get("translate"), element.get("class"))


def _refuses(translate: str | None, classes: str | None) -> bool:
    """True for ``translate="no"`` or class ``notranslate`` (given those attributes)."""
    if translate is not None and translate.strip().lower() == "no":
        return True
    # The substring test spares splitting the (long) class list of nearly every element.
    return classes is not None and "notranslate" in classes and "notranslate" in classes.split()


def translate_yes(element: Any) -> bool:
    return bool(element.get("translate", "").strip().lower() == "yes")


def is_jsonld(element: Any) -> bool:
    """True for a ``<script type="application/ld+json">``."""
    return _jsonld(element.tag, str(element.get("type", "")))


def _jsonld(tag: str, kind: str) -> bool:
    return tag == "script" and kind.split(";")[0].strip().lower() == "application/ld+json"


def _legend(element: Any, ident: str, paired: bool) -> str:
    attrs = "".join(
        f' {name}="{_short(element.get(name))}"' for name in LEGEND_ATTRIBUTES if element.get(name) is not None
    )
    if "notranslate" in element.get("class", "").split():
        attrs += ' class="notranslate"'  # says why the text is frozen
    shown = f"<{ident}>…</{ident}>" if paired else f"<{ident}/>"
    if not paired and element.tag not in OPAQUE and element.tag not in REPLACED:
        text = _short(_collapse("".join(element.itertext())))
        if text:
            return f"{shown} is <{element.tag}{attrs}>{text}</{element.tag}>"
    return f"{shown} is <{element.tag}{attrs}>"


def _short(value: str, limit: int = 60) -> str:
    value = _collapse(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _Slot:
    """A place in the tree that holds one unit's text."""

    kind: str
    line: int
    msgid: str
    note: str | None

    def unit(self) -> Unit:
        return Unit(self.msgid, self.kind, self.line, self.placeholders(), self.note)

    def placeholders(self) -> tuple[Placeholder, ...]:
        return ()

    def put(self, translation: str) -> None:
        raise NotImplementedError

    def mark_fallback(self, mark: SourceMark) -> None:
        """Say in the page that this unit is still in the source language (if it can)."""

    def moved(self, onto: _Copy) -> _Slot:
        """The same slot in a copy of its page."""
        raise NotImplementedError

    def _clone(self) -> Self:
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)  # copy.copy does the same, ten times slower
        return twin


class _AttributeSlot(_Slot):
    def __init__(self, element: Any, name: str, kind: str, note: str | None) -> None:
        self.element = element
        self.name = name
        self.kind = kind
        self.line = element.sourceline or 1
        self.note = note
        value = element.get(name)
        self.lead, self.trail = split_space(value)
        self.msgid = ph.escape_literal(_collapse(value))

    def put(self, translation: str) -> None:
        text = ph.text_of(ph.parse(translation, {}))
        self.element.set(self.name, self.lead + text + self.trail)

    def moved(self, onto: _Copy) -> _Slot:
        twin = self._clone()
        twin.element = onto.node(self.element)
        return twin


class _JsonLd:
    """One JSON-LD script: its data, rewritten once a field changes."""

    def __init__(self, element: Any, data: Any) -> None:
        self.element = element
        self.data = data

    def rewrite(self) -> None:
        self.element.text = dump_jsonld(self.data)


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


class _JsonLdSlot(_Slot):
    def __init__(self, holder: _JsonLd, container: Any, key: Any, path: str) -> None:
        self.holder = holder
        self.container = container
        self.key = key
        self.kind = f"JSON-LD {path}"
        self.line = holder.element.sourceline or 1
        self.note = None
        # page_safe: a JSON escape can spell what neither a page nor a PO file can hold.
        self.msgid = ph.escape_literal(_collapse(ph.page_safe(container[key])))

    def put(self, translation: str) -> None:
        text = ph.text_of(ph.parse(translation, {}))
        # Unchanged text keeps the script as the newsroom wrote it (no reformatting).
        if text != _collapse(ph.page_safe(self.container[self.key])):
            self.container[self.key] = text
            self.holder.rewrite()

    def moved(self, onto: _Copy) -> _Slot:
        twin = self._clone()
        twin.holder, twin.container = onto.jsonld(self.holder, self.container)
        return twin


@dataclass(slots=True)
class _Frame:
    """State while encoding a run: placeholders found so far, in order."""

    elements: dict[str, Any] = field(default_factory=dict)
    paired: dict[str, bool] = field(default_factory=dict)
    comments: list[tuple[Any, Any]] = field(default_factory=list)  # (comment, parent or None)
    letters: bool = False


class _RunSlot(_Slot):
    """A maximal run of text and inline nodes inside a block-like *owner*.

    The run starts in ``owner.text`` (``start`` is None) or in the tail of the block
    child ``start``, and covers the inline ``nodes`` that follow.
    """

    def __init__(self, owner: Any, start: Any, nodes: list[Any], kind: str, note: str | None, pre: bool) -> None:
        self.owner = owner
        self.start = start
        self.nodes = nodes
        self.kind = kind
        self.note = note
        self.pre = pre
        self.line = (start.sourceline if start is not None else owner.sourceline) or 1
        # Arguments, not the default factories: this runs for every run of every page.
        self.frame = _Frame({}, {}, [], False)
        parts: list[str] = []
        self._encode(parts, self._first_text(), nodes, None)
        raw = "".join(parts)
        self.lead, self.trail = split_space(raw)
        self.msgid = raw.strip(_WS) if pre else _collapse(raw)

    def _first_text(self) -> str:
        return (self.start.tail if self.start is not None else self.owner.text) or ""

    def _encode(self, parts: list[str], text: str, nodes: Iterable[Any], parent: Any) -> None:
        """Append the msgid of *text* and *nodes* (children of *parent*, None for the run's own) to *parts*."""
        frame = self.frame
        if text:
            self._literal(parts, text)
        for node in nodes:
            tag = node.tag
            if not isinstance(tag, str):  # a comment or processing instruction
                frame.comments.append((node, parent))
            else:
                # Numbered in document order, an element before its content.
                ident = f"{_placeholder_name(tag)}{len(frame.elements) + 1}"
                paired = _is_paired(node, tag)
                frame.elements[ident] = node
                frame.paired[ident] = paired
                if paired:
                    parts.append(f"<{ident}>")
                    self._encode(parts, node.text or "", node, node)
                    parts.append(f"</{ident}>")
                else:
                    parts.append(f"<{ident}/>")
            tail = node.tail
            if tail:
                self._literal(parts, tail)

    def _literal(self, parts: list[str], text: str) -> None:
        if not self.frame.letters and has_letters(text):
            self.frame.letters = True
        parts.append(ph.escape_literal(text))

    def placeholders(self) -> tuple[Placeholder, ...]:
        # Only extraction shows legends; a build never asks, so they are made here.
        frame = self.frame
        return tuple(
            Placeholder(ident, frame.paired[ident], _legend(element, ident, frame.paired[ident]))
            for ident, element in frame.elements.items()
        )

    def put(self, translation: str) -> None:
        if translation == self.msgid:
            # The source's own words: the run stays exactly as the source has it, its
            # comments and white space included (and nothing is taken apart).
            return
        frame = self.frame
        nodes = ph.parse(translation, frame.paired)
        if not self.nodes:  # text alone, as in most units: no element to take out and put back
            value = self.lead + ph.text_of(nodes) + self.trail
            if self.start is None:
                self.owner.text = value or None
            else:
                self.start.tail = value or None
            return
        owner = self.owner
        # Where each comment goes, read while the run is still whole.
        places = _comment_places(self._first_text(), self.nodes, frame) if frame.comments else _NO_PLACES
        # Take the run's nodes out (lxml keeps each detached element alive and intact).
        index = 0 if self.start is None else owner.index(self.start) + 1
        for node in self.nodes:
            owner.remove(node)
        for ident, element in frame.elements.items():
            if frame.paired[ident]:
                element.text = None
                for child in list(element):
                    element.remove(child)
        if self.start is None:
            owner.text = None
        else:
            self.start.tail = None
        inserted = _Filler(owner, self.start, index, frame.elements, places)
        inserted.place((self.lead,))
        if places:
            inserted.comments(_START, "")
        inserted.place(nodes)
        if places:
            inserted.comments(_END, "")
        inserted.place((self.trail,))
        inserted.flush()

    def mark_fallback(self, mark: SourceMark) -> None:
        owner = self.owner
        if owner.tag == "html" or owner.get("lang") is not None:
            return  # the page's own element, or one the newsroom marked itself
        owner.set("lang", mark.lang)
        if mark.direction is not None and owner.get("dir") is None:
            # Without it the bidi algorithm lays English out right to left in a Persian page:
            # the full stop lands at the left end.
            owner.set("dir", mark.direction)

    def moved(self, onto: _Copy) -> _Slot:
        twin = self._clone()
        node = onto.node
        twin.owner = node(self.owner)
        twin.start = None if self.start is None else node(self.start)
        twin.nodes = [node(each) for each in self.nodes]
        frame = self.frame
        twin.frame = _Frame(
            {ident: node(element) for ident, element in frame.elements.items()},
            frame.paired,
            [(node(comment), None if parent is None else node(parent)) for comment, parent in frame.comments],
            frame.letters,
        )
        return twin


# Where a comment of a run goes in a translation: before or after a placeholder's element,
# at the start or end of the run ("") or of a paired placeholder's content.
_BEFORE, _AFTER, _START, _END = "before", "after", "start", "end"
_Places = dict[tuple[str, str], list[Any]]
_NO_PLACES: _Places = {}  # a run without comments (never written to)


def _comment_places(text: str, nodes: list[Any], frame: _Frame) -> _Places:
    """Where each comment of a run goes in a translation, as the module docstring says:
    keyed by (_BEFORE or _AFTER, placeholder) or (_START or _END, container), each list
    in document order."""
    idents = {element: ident for ident, element in frame.elements.items()}
    places: _Places = {}
    for parent in dict.fromkeys(parent for _, parent in frame.comments):  # each container once, in order
        if parent is None:
            _place_comments(text, nodes, "", idents, places)
        else:
            _place_comments(parent.text or "", list(parent), idents[parent], idents, places)
    return places


def _place_comments(text: str, nodes: list[Any], container: str, idents: dict[Any, str], places: _Places) -> None:
    """Add the comments among *nodes* (a container's children after its *text*) to *places*."""
    # Each comment, the element before it, and whether only white space lies between.
    behind: list[tuple[Any, Any, bool]] = []
    previous, touches = None, not text.strip(_WS)
    for node in nodes:
        if isinstance(node.tag, str):
            previous, touches = node, not (node.tail or "").strip(_WS)
        else:
            behind.append((node, previous, touches))
            touches = touches and not (node.tail or "").strip(_WS)
    # The element after each comment (read backwards), and whether only white space lies between.
    ahead: list[tuple[Any, bool]] = []
    following, touches = None, True
    for node in reversed(nodes):
        if isinstance(node.tag, str):
            following, touches = node, True
        else:
            touches = touches and not (node.tail or "").strip(_WS)
            ahead.append((following, touches))
    ahead.reverse()
    for (comment, previous, touches_previous), (following, touches_following) in zip(behind, ahead, strict=True):
        if touches_following and following is not None:
            closing = touches_previous and previous is not None and _closes(comment)
            key = (_AFTER, idents[previous]) if closing else (_BEFORE, idents[following])
        elif touches_previous:  # with no element before it: the container's start
            key = (_START, container) if previous is None else (_AFTER, idents[previous])
        elif touches_following:  # with no element after it: the container's end
            key = (_END, container)
        elif following is not None:  # between words
            key = (_BEFORE, idents[following])
        elif previous is not None:
            key = (_AFTER, idents[previous])
        else:
            key = (_END, container)
        places.setdefault(key, []).append(comment)


def _closes(comment: Any) -> bool:
    """True for a comment that reads as the end of what comes before it: ``<!-- /ko -->``,
    ``<![endif]>``, ``<!-- end .byline -->``."""
    return _CLOSING.match(comment.text or "") is not None


_CLOSING = re.compile(r"\s*(?:/|<?!?\[endif\]|end\b)", re.IGNORECASE)


class _Filler:
    """Writes parsed translation nodes into a parent element after an anchor, and the
    run's comments at their *places*."""

    def __init__(self, parent: Any, anchor: Any, index: int, elements: dict[str, Any], places: _Places) -> None:
        self.parent = parent
        self.previous = anchor
        self.index = index
        self.elements = elements
        self.places = places
        self.buffer: list[str] = []

    def place(self, nodes: Iterable[ph.Node]) -> None:
        places = self.places
        for node in nodes:
            if isinstance(node, str):
                self.buffer.append(node)
                continue
            name = node.name
            element = self.elements[name]
            if places:  # the run has comments: most have none
                self.comments(_BEFORE, name)
            self.append_node(element)
            if isinstance(node, ph.Span):
                inner = _Filler(element, None, 0, self.elements, places)
                if places:
                    inner.comments(_START, name)
                inner.place(node.children)
                if places:
                    inner.comments(_END, name)
                inner.flush()
            if places:
                self.comments(_AFTER, name)

    def comments(self, where: str, name: str) -> None:
        """Write the comments that go *where* of placeholder (or container) *name*."""
        for comment in self.places.get((where, name), ()):
            self.append_node(comment)

    def append_node(self, node: Any) -> None:
        self.flush()
        node.tail = None
        self.parent.insert(self.index, node)
        self.index += 1
        self.previous = node

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer.clear()
        if not text:
            return
        if self.previous is None:
            self.parent.text = (self.parent.text or "") + text
        else:
            self.previous.tail = (self.previous.tail or "") + text


def _is_paired(element: Any, tag: str) -> bool:
    """True when an inline element (of tag *tag*) has its content translated: a paired placeholder."""
    if tag in _NEVER_PAIRED:
        return False
    # The element's text and all its descendants' (what "".join(itertext()) gives, but
    # made in C: five times faster). Tested before the attributes: it settles most elements.
    text = etree.tostring(element, method="text", encoding="unicode", with_tail=False)
    return has_letters(text) and not no_translate(element)


_PLACEHOLDER_NAMES: dict[str, str] = {}


def _placeholder_name(tag: str) -> str:
    """ph.placeholder_name(), remembered: pages use few tags, and its regex is slow."""
    name = _PLACEHOLDER_NAMES.get(tag)
    if name is None:
        name = ph.placeholder_name(tag)
        if len(_PLACEHOLDER_NAMES) < 1024:  # bounded whatever tags the pages invent
            _PLACEHOLDER_NAMES[tag] = name
    return name


class _Walker:
    """Finds every slot of a page, in document order.

    The methods take an element's tag (and attributes) from their caller, which has
    read them already: each lxml property or attribute access is a C call that makes
    new Python strings, and the walk is most of what extraction and build cost.
    """

    def __init__(self, root: Any) -> None:
        self.found: list[_Slot] = []
        self.structural = _containers_of_blocks(root)

    def container(self, element: Any, tag: str, attrs: dict[str, str], note: str | None, pre: bool) -> None:
        """Visit an element whose content is translated and split into runs."""
        note = attrs.get("its-loc-note") or note
        pre = pre or tag in PRESERVE_SPACE
        self.attributes(element, tag, attrs, note)
        start: Any = None
        run: list[Any] = []
        structural = self.structural
        for child in element:
            child_tag = child.tag
            if isinstance(child_tag, str) and (child_tag in _BOUNDARY or child in structural):
                self.run(element, tag, start, run, note, pre)
                self.boundary(child, child_tag, note, pre)
                start, run = child, []
            else:
                run.append(child)
        self.run(element, tag, start, run, note, pre)

    def boundary(self, element: Any, tag: str, note: str | None, pre: bool) -> None:
        attrs = _attributes_of(element)
        refused = _refuses(attrs.get("translate"), attrs.get("class"))
        if tag in HIDDEN:
            if refused:
                return
            if tag in SHOWN_HIDDEN:
                self.attributes(element, tag, attrs, attrs.get("its-loc-note") or note)
            elif _jsonld(tag, attrs.get("type", "")):
                self.jsonld(element)
        elif refused:
            self.untranslated(element, tag, note, pre)
        else:
            self.container(element, tag, attrs, note, pre)

    def run(
        self, owner: Any, owner_tag: str, start: Any, nodes: list[Any], note: str | None, pre: bool, kind: str = ""
    ) -> None:
        text = (start.tail if start is not None else owner.text) or ""
        kind = kind or owner_tag
        if not nodes:  # most runs: the white space between two blocks
            if text and has_letters(text):
                self.found.append(_RunSlot(owner, start, nodes, kind, note, pre))
            return
        wrapper = _sole_wrapper(text, nodes)
        if wrapper is not None:
            # <li><a>Title</a></li>: the unit is the link's content, so translators see
            # "Title", not "<a1>Title</a1>", and the same words match everywhere.
            tag = wrapper.tag
            attrs = _attributes_of(wrapper)
            note = attrs.get("its-loc-note") or note
            self.attributes(wrapper, tag, attrs, note)
            inner_pre = pre or tag in PRESERVE_SPACE
            self.run(wrapper, tag, None, list(wrapper), note, inner_pre, f"{kind} {tag}")
            return
        slot = _RunSlot(owner, start, nodes, kind, note, pre)
        if slot.frame.letters:
            self.found.append(slot)
        for node in nodes:
            tag = node.tag
            if isinstance(tag, str):
                self.inline(node, tag, note, pre)

    def inline(self, element: Any, tag: str, note: str | None, pre: bool) -> None:
        """Find slots inside an inline element of a run (attributes, translate="yes")."""
        if tag in OPAQUE or (tag in HIDDEN and tag not in SHOWN_HIDDEN):
            return
        attrs = _attributes_of(element)
        refused = _refuses(attrs.get("translate"), attrs.get("class"))
        if tag in HIDDEN:  # an <iframe> inside a <span>: its title, never its content
            if not refused:
                self.attributes(element, tag, attrs, attrs.get("its-loc-note") or note)
            return
        if refused:
            self.untranslated(element, tag, note, pre)
            return
        if tag in FROZEN:
            return
        note = attrs.get("its-loc-note") or note
        self.attributes(element, tag, attrs, note)
        pre = pre or tag in PRESERVE_SPACE
        for child in element:
            child_tag = child.tag
            if isinstance(child_tag, str):
                self.inline(child, child_tag, note, pre)

    def untranslated(self, element: Any, tag: str, note: str | None, pre: bool) -> None:
        """Inside translate="no": only translate="yes" descendants are translated."""
        for child in element:
            child_tag = child.tag
            if not isinstance(child_tag, str) or child_tag in OPAQUE:
                continue
            if child_tag in HIDDEN:
                if child_tag in SHOWN_HIDDEN and translate_yes(child):
                    attrs = _attributes_of(child)
                    self.attributes(child, child_tag, attrs, attrs.get("its-loc-note") or note)
                continue
            if translate_yes(child):
                self.container(child, child_tag, _attributes_of(child), note, pre or tag in PRESERVE_SPACE)
            else:
                self.untranslated(child, child_tag, note, pre or child_tag in PRESERVE_SPACE)

    def attributes(self, element: Any, tag: str, attrs: dict[str, str], note: str | None) -> None:
        """The translatable attributes of *element* (*note* already has its its-loc-note)."""
        if _ATTRIBUTE_NAMES.isdisjoint(attrs):
            return  # most elements: a quick no before working out which names count here
        wanted = _translatable_attributes(tag, attrs)
        for name, value in attrs.items():
            if name in wanted and has_letters(value):
                kind = f"meta {attrs.get('name') or attrs.get('property')}" if tag == "meta" else f"{tag} {name}"
                self.found.append(_AttributeSlot(element, name, kind, note))

    def jsonld(self, element: Any) -> None:
        try:
            data = json.loads(element.text or "")
        except ValueError:
            return  # not JSON: leave the script exactly as it is
        holder = _JsonLd(element, data)
        pending: list[tuple[Any, str]] = [(data, "")]
        while pending:
            value, path = pending.pop(0)
            if isinstance(value, list):
                pending.extend((item, path) for item in value)
            elif isinstance(value, dict):
                for key, item in value.items():
                    where = f"{path}.{key}" if path else key
                    if key in JSONLD_FIELDS and isinstance(item, str) and has_letters(item):
                        self.found.append(_JsonLdSlot(holder, value, key, where))
                    elif isinstance(item, (dict, list)):
                        pending.append((item, where))


def _sole_wrapper(text: str, nodes: list[Any]) -> Any:
    """The one paired inline element a run consists of, with only white space around it."""
    if len(nodes) != 1 or text.strip(_WS) or (nodes[0].tail or "").strip(_WS):
        return None
    node = nodes[0]
    tag = node.tag
    if not isinstance(tag, str) or not _is_paired(node, tag):
        return None
    return node


def _translatable_attributes(tag: str, attrs: dict[str, str]) -> Iterable[str]:
    if tag == "meta":
        key = (attrs.get("name") or attrs.get("property") or "").strip().lower()
        return ("content",) if key in META_FIELDS else ()
    if tag not in _SPECIAL_ATTRIBUTES:
        return _EVERY_ELEMENT_ATTRIBUTES
    names = ["title", "aria-label"]
    if tag in ("img", "area") or (tag == "input" and attrs.get("type", "").lower() == "image"):
        names.append("alt")
    if tag in ("input", "textarea"):
        names.append("placeholder")
    if tag in ("track", "option", "optgroup", "menu", "menuitem"):
        names.append("label")
    if tag == "th":
        names.append("abbr")
    if tag == "input" and attrs.get("type", "").lower() in BUTTON_INPUTS:
        names.append("value")
    return names


_EVERY_ELEMENT_ATTRIBUTES = ("title", "aria-label")
# Every name _translatable_attributes() can give.
_ATTRIBUTE_NAMES = frozenset(("title", "aria-label", "alt", "placeholder", "label", "abbr", "value", "content"))
# Elements with more translatable attributes than _EVERY_ELEMENT_ATTRIBUTES.
_SPECIAL_ATTRIBUTES = frozenset(
    ("img", "area", "input", "textarea", "track", "option", "optgroup", "menu", "menuitem", "th")
)


def _containers_of_blocks(root: Any) -> set[Any]:
    """Every element that has a block element somewhere below it."""
    marked: set[Any] = set()
    for block in root.iter(*BLOCK):
        # Climb to the first ancestor already marked (its own ancestors are, too).
        above: list[Any] = []
        parent = block.getparent()
        while parent is not None and parent not in marked:
            if parent.tag in OPAQUE:
                # svg/math are opaque: an SVG <title> does not make its <svg> a block
                # container. A marked element is never inside svg/math, so the climb
                # meets the island if there is one.
                break
            above.append(parent)
            parent = parent.getparent()
        else:
            marked.update(above)
    return marked


@contextmanager
def _deep_trees() -> Iterator[None]:
    """Allow recursion as deep as the deepest tree the parser accepts.

    The walk recurses once or twice per level of nesting, and libxml2 accepts up to
    MAX_DEPTH levels; Python frames live on the heap (3.11+), so this is safe.
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, 8 * MAX_DEPTH + 1000))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


class _Bounded(list[_Slot]):
    """The walk's slots, refused at the first unit past ``html_read.MAX_UNITS`` or longer
    than ``MAX_UNIT_CHARS``: the walk stops there, so a page of a million short paragraphs
    is refused before its slots fill memory."""

    def append(self, slot: _Slot, /) -> None:
        if len(self) >= MAX_UNITS:
            raise ArticleError(
                f"more than {MAX_UNITS:,} units (texts to translate) in the article; "
                f"the limit is {MAX_UNITS:,}, and unit {MAX_UNITS + 1:,} is on this line",
                line=slot.line,
            )
        if len(slot.msgid) > MAX_UNIT_CHARS:
            raise ArticleError(
                f"a unit of {len(slot.msgid):,} characters; the limit is {MAX_UNIT_CHARS:,} a unit",
                line=slot.line,
            )
        list.append(self, slot)  # half the cost of super().append: this runs for every unit


def slots(document: Document) -> list[_Slot]:
    """Every translatable place of the page, in document order (ArticleError past
    ``html_read.MAX_UNITS`` units or for a unit longer than ``MAX_UNIT_CHARS``)."""
    root = document.root
    walker = _Walker(root)
    walker.found = _Bounded()
    with _deep_trees():
        walker.boundary(root, root.tag, None, False)
    return walker.found


def segment(document: Document) -> list[Unit]:
    """Return the page's units in document order (one per place; duplicates kept)."""
    return [slot.unit() for slot in slots(document)]


def apply(document: Document, translations: Mapping[str, str], mark: SourceMark | None = None) -> Applied:
    """Write translations into *document* (in place); return what was translated.

    *translations* maps a msgid to its translation. A unit without one, or whose
    translation is invalid for its placeholders, keeps its source text; with
    *mark* its element is marked with the source's ``lang`` (and ``dir``). Whatever a
    translation holds, the page gains no element: other text that looks like markup is
    written as escaped characters (a build does not use such translations at all:
    ``catalog.problem``).
    """
    found = slots(document)
    fallbacks: list[Fallback] = []
    with _deep_trees():
        _write_back(found, translations, mark, fallbacks)
    fallbacks.reverse()
    return Applied(len(found) - len(fallbacks), tuple(fallbacks))


def _write_back(
    found: list[_Slot], translations: Mapping[str, str], mark: SourceMark | None, fallbacks: list[Fallback]
) -> None:
    # Last first: a run re-attaches the elements inside it, so slots inside those
    # elements (an img alt, a translate="yes" span) must be written before.
    for slot in reversed(found):
        translation = translations.get(slot.msgid)
        if translation is None:
            fallbacks.append(Fallback(slot.msgid, slot.line, "untranslated"))
        else:
            try:
                slot.put(translation)
                continue
            except ph.InvalidTranslation as exc:
                fallbacks.append(Fallback(slot.msgid, slot.line, str(exc)))
        if mark is not None:
            slot.mark_fallback(mark)


def copy_document(document: Document) -> Document:
    """A deep copy to build one locale's page from, leaving the source intact.

    Comments before and after ``<html>`` are copied one by one: lxml's copy of a root
    element leaves them out, and its copy of a whole tree reverses those after it.
    """
    root = copy.deepcopy(document.root)
    for node in reversed(list(document.root.itersiblings(preceding=True))):
        root.addprevious(copy.deepcopy(node))
    for node in reversed(list(document.root.itersiblings())):
        root.addnext(copy.deepcopy(node))
    return Document(root, document.doctype, document.encoding)


class _Copy:
    """A deep copy of a page and the way from each node of the original to its twin."""

    def __init__(self, document: Document, order: Mapping[Any, int]) -> None:
        self.document = copy_document(document)
        # lxml copies in document order: the n-th node of one tree is the n-th of the other.
        self._nodes = list(self.document.root.iter())
        self._order = order
        self._jsonld: dict[int, tuple[_JsonLd, dict[int, Any]]] = {}

    def node(self, original: Any) -> Any:
        return self._nodes[self._order[original]]

    def jsonld(self, holder: _JsonLd, container: Any) -> tuple[_JsonLd, Any]:
        """The copy's JSON-LD script holding *holder*'s data, and *container*'s twin in it."""
        made = self._jsonld.get(id(holder))
        if made is None:
            memo: dict[int, Any] = {}
            made = _JsonLd(self.node(holder.element), copy.deepcopy(holder.data, memo)), memo
            self._jsonld[id(holder)] = made
        twin, memo = made
        return twin, memo.get(id(container), twin.data)


class Segmented:
    """A page walked once: its units, and translated copies of it made without walking again.

    A build translates each article into several locales; :meth:`translated` moves the
    slots found in the source onto a copy instead of walking every copy. It gives the
    same page as :func:`apply` on a copy (tests/test_roundtrip.py checks this).
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self._found = slots(document)
        self._order: dict[Any, int] | None = None  # each node's place in document order
        self._spent = False

    def units(self) -> list[Unit]:
        return [slot.unit() for slot in self._found]

    def msgids(self) -> list[str]:
        return [slot.msgid for slot in self._found]

    def translated(
        self, translations: Mapping[str, str], mark: SourceMark | None = None, *, last_use: bool = False
    ) -> tuple[Document, Applied]:
        """A copy of the page with *translations* written in, as :func:`apply` does.

        With *last_use* the walked page itself is translated and returned: no copy to
        make, no slot to move (a build's last page of an article). Nothing can be asked
        of this object after that.
        """
        if self._spent:
            raise ValueError("the page was already translated in place")
        if last_use:
            self._spent = True
            document, found = self.document, self._found
        else:
            if self._order is None:
                self._order = {node: index for index, node in enumerate(self.document.root.iter())}
            onto = _Copy(self.document, self._order)
            document, found = onto.document, [slot.moved(onto) for slot in self._found]
        fallbacks: list[Fallback] = []
        with _deep_trees():
            _write_back(found, translations, mark, fallbacks)
        fallbacks.reverse()
        return document, Applied(len(found) - len(fallbacks), tuple(fallbacks))
