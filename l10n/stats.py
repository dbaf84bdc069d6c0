"""Translation progress of one catalogue against its template (``l10n status``).

This module owns the counting rules of ``status``: what a unit is (a distinct msgid of
the article's current template), how source words are counted, and the four disjoint
states a unit is in for a locale. Parsed catalogues in, numbers out: ``project`` reads
the files, the command line draws the table.

Every unit is exactly one of:

* ``translated`` - a non-empty, non-fuzzy translation with valid placeholders: what the
  build uses;
* ``fuzzy`` - a translation flagged fuzzy (not used until a translator reviews it);
* ``invalid`` - translated, not fuzzy, but its placeholders do not match the source
  (:func:`l10n.catalog.is_valid`): the build shows the source text instead;
* ``untranslated`` - an empty translation, or no entry (or no catalogue) at all.

Words are the source words of the units. A word is a run of characters between white
space that holds a letter or a digit, with placeholders removed (a self-closing one
such as ``<br3/>`` separates words); every Han, Hiragana or Katakana character counts as
one word, as Chinese and Japanese are written without spaces. Scripts that are written
without spaces but are not CJK (Thai, Lao, Khmer, Myanmar) are counted by space-separated
runs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from . import placeholders as ph
from .catalog import is_valid
from .po.model import Catalog, Message

# Han (with extensions and compatibility ideographs), Hiragana, Katakana, CJK symbols.
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


@functools.cache
def _token() -> re.Pattern[str]:
    """A word-like token: one CJK character, or a run of other non-space characters.
    Compiled when first used (5 ms: the class of astral characters), not in every command."""
    return re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")


_WORDLIKE = re.compile(r"[^\W_]")


def plain_text(text: str) -> str:
    """The text a reader sees of a msgid or msgstr: paired placeholder tags dropped, a
    self-closing one (``<br3/>``) read as a space, literal escapes decoded."""
    parts: list[str] = []
    position = 0
    for match in ph.PLACEHOLDER.finditer(text):
        parts.append(ph.unescape_literal(text[position : match.start()]))
        if match.group(4):
            parts.append(" ")
        position = match.end()
    parts.append(ph.unescape_literal(text[position:]))
    return "".join(parts)


# Kept: a unit is counted once per locale (extract, status), and the same across articles.
@functools.lru_cache(maxsize=16384)
def word_count(msgid: str) -> int:
    """Source words of a msgid (see the module docstring for the rule)."""
    # Three msgids in four of the benchmark's pages hold no placeholder and no escape, and
    # most no character as far on as the CJK ones (U+3040 is the first): their tokens are
    # then str.split()'s, which splits where \s matches. A fourth less time in all.
    text = msgid if "<" not in msgid and "&" not in msgid else plain_text(msgid)
    tokens = text.split() if text.isascii() or max(text) < "\u3040" else _token().findall(text)
    return sum(map(bool, map(_WORDLIKE.search, tokens)))


@dataclass(frozen=True, slots=True)
class Counts:
    """Units of one or more catalogues by state, and their source words."""

    units: int = 0
    words: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    invalid: int = 0

    @property
    def percent(self) -> float:
        """Share of units the build can use (100 for an article without units)."""
        return 100.0 if self.units == 0 else 100.0 * self.translated / self.units

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Counts)))

    def as_json(self) -> dict[str, int | float]:
        data: dict[str, int | float] = {f.name: getattr(self, f.name) for f in fields(Counts)}
        data["percent"] = round(self.percent, 1)
        return data


def template_units(template: Catalog | None, catalogue: Catalog | None) -> list[str]:
    """The article's units: the template's msgids, or the catalogue's live ones without it."""
    source = template if template is not None else catalogue
    if source is None:
        return []
    return list(dict.fromkeys(entry.msgid for entry in source if not entry.obsolete))


def state(entry: Message | None) -> str:
    """The state of a unit whose catalogue entry is *entry* (None: no entry): translated,
    fuzzy, untranslated or invalid (see the module docstring)."""
    if entry is None:
        return "untranslated"
    # an empty msgid_plural is no plural (as polib read it: its forms are not counted)
    forms = entry.plural_forms if entry.msgid_plural else (entry.msgstr,)
    if not any(forms):
        return "untranslated"
    if "fuzzy" in entry.flags:
        return "fuzzy"
    if all(is_valid(entry.msgid, form) for form in forms if form):
        return "translated"
    return "invalid"


def count(units: Sequence[str], catalogue: Catalog | None) -> Counts:
    """Count *units* (distinct msgids) by their state in *catalogue* (None: no file yet)."""
    live: dict[str, Message] = {}
    if catalogue is not None:
        live = {entry.msgid: entry for entry in catalogue if not entry.obsolete}
    states = {"translated": 0, "fuzzy": 0, "untranslated": 0, "invalid": 0}
    for msgid in units:
        states[state(live.get(msgid))] += 1
    return Counts(units=len(units), words=sum(word_count(m) for m in units), **states)


@dataclass(frozen=True, slots=True)
class Row:
    """The progress of one article in one locale."""

    locale: str  # BCP 47 tag, as in site/<lang>/
    article: str  # slug: the path below the articles folder
    catalogue: str  # the PO file, relative to the project root
    exists: bool  # False when the locale has no catalogue for the article yet
    counts: Counts
    error: str | None = None  # the catalogue could not be read (its units count as untranslated)


@dataclass(frozen=True, slots=True)
class Orphan:
    """A catalogue whose article is gone: kept (a translator's work), and read by translation memory."""

    locale: str  # BCP 47 tag
    catalogue: str  # the PO file, relative to the project root
    article: str  # the article it was made for, relative to the project root

    def __str__(self) -> str:
        return (
            f"{self.catalogue}: its article {self.article} is gone; its translations feed translation memory"
            " (l10n extract --prune removes the file and keeps them in the locale's memory.po)"
        )


def total(rows: Iterable[Row]) -> Counts:
    """The sum of the rows' counts."""
    counts = [row.counts for row in rows]
    # Summed a field at a time: a dashboard totals thousands of rows, and Counts + Counts
    # makes an object each time.
    return Counts(*(sum(getattr(each, field.name) for each in counts) for field in fields(Counts)))


def by_locale(rows: Iterable[Row]) -> dict[str, list[Row]]:
    """Rows grouped by locale, in the order the locales first appear."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.locale, []).append(row)
    return groups


def to_json(rows: Sequence[Row], source_locale: str, orphans: Sequence[Orphan] = ()) -> dict[str, object]:
    """The ``l10n status --json`` document (its shape is documented in README.md)."""
    locales = [
        {
            "locale": tag,
            "articles": [
                {
                    "article": row.article,
                    "catalogue": row.catalogue,
                    "exists": row.exists,
                    **row.counts.as_json(),
                    "error": row.error,
                }
                for row in group
            ],
            "total": total(group).as_json(),
        }
        for tag, group in by_locale(rows).items()
    ]
    return {
        "source_locale": source_locale,
        "locales": locales,
        "total": total(rows).as_json(),
        "orphans": [{"locale": orphan.locale, "catalogue": orphan.catalogue} for orphan in orphans],
    }
