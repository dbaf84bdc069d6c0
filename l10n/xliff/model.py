"""What the XLIFF writer and reader share.

A PO entry becomes one ``<unit>`` whose id is derived from its context and msgid
(:func:`unit_id`), so an import finds the entry wherever re-extraction moved it. The
unit records what the catalogue held at export (:func:`record`, a digest of the
translation and its fuzzy flag, in the Metadata module), so an import can tell a
translation changed since the export from one that did not.

Our placeholder syntax is read here as tokens (:func:`tokens`): text between tags, decoded
(``&lt;`` is ``<``) but otherwise kept as it is, control characters included, so that
export and import lose nothing; :func:`canonical` is the one spelling of a msgstr
that has several (``&lt;3`` and ``<3`` say the same).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from .. import placeholders as ph
from ..errors import L10nError

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 core keeps the 2.0 namespace
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML = "http://www.w3.org/XML/1998/namespace"
VERSION = "2.1"
#: The Metadata module's group and type that carry :func:`record`.
META_GROUP = "l10n"
META_RECORD = "po-translation"
#: ``subState`` of a fuzzy translation (state ``initial`` with a target: a draft to review).
FUZZY = "gettext:fuzzy"
#: The XLIFF 2 states that mean "translated": the translation is used.
DONE = frozenset({"translated", "reviewed", "final"})


class XliffError(L10nError):
    """An XLIFF file cannot be read, or one of its units cannot be imported."""


def unit_id(msgctxt: str | None, msgid: str) -> str:
    """The unit id of an entry: stable across re-extraction, an XML NMTOKEN."""
    key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return "u" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def record(msgstr: str, fuzzy: bool) -> str:
    """What an export records of an entry's translation: a digest of its text and flag."""
    data = ("F" if fuzzy else "T") + msgstr
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Tag:
    """A placeholder tag of a msgid or msgstr: ``<a1>`` (open), ``</a1>`` (close), ``<br3/>`` (void)."""

    name: str
    kind: Literal["open", "close", "void"]

    def __str__(self) -> str:
        if self.kind == "open":
            return f"<{self.name}>"
        return f"</{self.name}>" if self.kind == "close" else f"<{self.name}/>"


Token = str | Tag


def tokens(text: str) -> list[Token]:
    """*text* (placeholder syntax) as decoded text and tags, in order; nothing dropped."""
    found: list[Token] = []
    position = 0
    for match in ph.PLACEHOLDER.finditer(text):
        if match.start() > position:
            found.append(ph.unescape_literal(text[position : match.start()]))
        closing, name, index, void = match.groups()
        found.append(Tag(name + index, "close" if closing else "void" if void else "open"))
        position = match.end()
    if position < len(text):
        found.append(ph.unescape_literal(text[position:]))
    return found


def joined(parts: list[Token]) -> str:
    """Tokens back to placeholder syntax: text encoded so that none of it reads as a tag
    (consecutive texts encoded as one, so two halves never make a tag)."""
    out: list[str] = []
    text: list[str] = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
            continue
        if text:
            out.append(ph.escape_literal("".join(text)))
            text = []
        out.append(str(part))
    if text:
        out.append(ph.escape_literal("".join(text)))
    return "".join(out)


def canonical(text: str) -> str:
    """The one spelling of *text*: equal for two msgstrs that say the same."""
    return joined(tokens(text)) if "&" in text or "<" in text else text
