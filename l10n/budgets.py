"""Length budgets: how long the translation of a unit with a natural limit may be.

A page's title, its link-preview titles and its descriptions are cut by the places that
show them (a search result, a shared link): ``<title>``, ``og:title`` and ``twitter:title``
share the *title* budget (70 characters by default), the JSON-LD ``headline`` has its own
(*headline*, 110: the length search engines long required of it), and the ``description``,
``og:description`` and ``twitter:description`` meta contents share the *description* budget
(160). A unit whose msgid several fields share gets the smallest of their budgets (the
translation is one for all of them).

This module owns which units have a budget, the ``#.`` line that tells translators
(``at most 70 characters``: :func:`comment`; :func:`stated` reads it back, so ``l10n check``
holds a translation to what its catalogue says), how characters are counted
(:func:`visible_length`) and the ``length_budgets`` table of ``[tool.l10n]``
(:func:`budgets_from`). Pure: no file is read here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from . import placeholders as ph
from .errors import ConfigError

KEY = "length_budgets"
_TITLE_KINDS = frozenset({"title", "meta og:title", "meta twitter:title"})
_DESCRIPTION_KINDS = frozenset({"meta description", "meta og:description", "meta twitter:description"})
# What a reader does not see as a character of its own: combining marks (an accent, Arabic
# vowel signs) and format characters (ZWNJ in Persian, ZWJ, bidirectional marks).
_UNSEEN = frozenset({"Mn", "Me", "Cf"})
_STATED = re.compile(r"^at most (\d+) characters$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Budgets:
    """The budget of each kind of limited unit, in visible characters (0: no budget)."""

    title: int = 70
    headline: int = 110
    description: int = 160

    def of(self, kind: str) -> int:
        """The budget of a unit of this kind (its ``#.`` name, e.g. ``meta og:title``), or 0."""
        kind = kind.lower()
        if kind in _TITLE_KINDS:
            return self.title
        if kind in _DESCRIPTION_KINDS:
            return self.description
        if kind.startswith("json-ld ") and kind.rsplit(".", 1)[-1].removeprefix("json-ld ") == "headline":
            return self.headline  # at any depth: "JSON-LD @graph.headline"
        return 0

    def limit(self, kinds: Iterable[str]) -> int:
        """The budget of one msgid shared by units of these kinds: the smallest, or 0 for none."""
        found = [budget for budget in map(self.of, kinds) if budget]
        return min(found, default=0)


DEFAULT = Budgets()
NAMES = tuple(field.name for field in fields(Budgets))


def comment(limit: int) -> str:
    """The ``#.`` line that gives a unit's budget to translators."""
    return f"at most {limit} characters"


def stated(extracted_comments: str) -> int:
    """The budget a ``#.`` comment states (:func:`comment`), or 0 when it states none."""
    if "at most " not in extracted_comments:  # most units: no budget, no regular expression
        return 0
    found = _STATED.search(extracted_comments)
    return int(found.group(1)) if found else 0


def visible_length(text: str) -> int:
    """How many characters a reader sees of a msgid or msgstr.

    Placeholder tags are not counted (``<em1>`` is markup, its content is), nor a
    self-closing placeholder (what it stands for is not in the text); an escaped literal
    counts as the character it shows (``&lt;`` is one). Characters are counted after NFC
    composition, leaving out combining marks and invisible format characters: ``é``
    written as ``e`` and an accent is one, a Persian zero-width non-joiner none.
    """
    shown = ph.unescape_literal(ph.PLACEHOLDER.sub("", text)) if "<" in text or "&" in text else text
    if shown.isascii():
        return len(shown)
    shown = unicodedata.normalize("NFC", shown)
    return sum(1 for char in shown if unicodedata.category(char) not in _UNSEEN)


def overrun(extracted_comments: str, msgid: str, translation: str) -> str | None:
    """Say how a translation exceeds the budget its entry states, or None when it fits."""
    limit = stated(extracted_comments)
    if not limit:
        return None
    length = visible_length(translation)
    if length <= limit:
        return None
    source = visible_length(msgid)
    also = f" (the source has {source})" if source > limit else ""
    return f"{length} characters, over the budget of {limit}{also}: the text may be cut where it is shown"


def budgets_from(table: Mapping[str, Any]) -> Budgets:
    """Read ``length_budgets = { title = 70, headline = 110, description = 160 }`` (each key
    optional, 0 turns a budget off); raise ConfigError naming the key."""
    value = table.get(KEY, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"'{KEY}' must be a table, e.g. {KEY} = {{ title = 70, description = 160 }}")
    for name, limit in value.items():
        if name not in NAMES:
            raise ConfigError(f"unknown length budget '{KEY}.{name}'; known budgets: {', '.join(NAMES)}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ConfigError(f"'{KEY}.{name}' must be a whole number of characters (0: no budget), not {limit!r}")
    return Budgets(**{name: int(limit) for name, limit in value.items()})
