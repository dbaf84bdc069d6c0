"""Old entries that a merge meets and that gettext refuses or our templates never make.

A translator's catalogue may have been hand-edited or written by another tool: it can
hold the same message twice (live or obsolete: gettext's "duplicate message
definition"), a second header, entries with a ``msgctxt`` or with plural forms. This
module owns what becomes of them so that no translation is ever dropped: which of
duplicates is kept (:func:`one_of`), how a translation that cannot stay a message's
is kept as a ``Kept translation`` translator comment (:func:`kept_lines`), and the
one-line report of each (:func:`duplicates`). ``catalog.merge`` uses it; entries in,
entries and errors out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import polib

from .errors import CatalogError

# A translation that cannot stay a message's is kept as a translator comment line
# 'Kept translation (why): "text"', the text a JSON string: one line whatever it holds,
# never ending in a backslash, and decoded by any JSON reader.
KEPT = "Kept translation"
# What JSON leaves raw but a comment line cannot hold (polib ends a line at U+0085,
# U+2028 and U+2029).
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")


def _quoted(text: str) -> str:
    """*text* as a JSON string that a comment line can hold."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(text, ensure_ascii=False))


def forms(entry: polib.POEntry) -> list[str]:
    """The entry's translations as gettext has them: its msgstr, or its plural forms."""
    if not entry.msgid_plural:
        return [entry.msgstr]
    return [text for _, text in sorted(entry.msgstr_plural.items())] or [entry.msgstr, ""]


def translated(entry: polib.POEntry) -> bool:
    return any(forms(entry))


def _rank(entry: polib.POEntry) -> tuple[int, int]:
    """Precedence among duplicates, lowest first: live before obsolete, then a translation,
    a fuzzy translation, none."""
    state = 2 if not translated(entry) else 1 if "fuzzy" in entry.flags else 0
    return (1 if entry.obsolete else 0, state)


def kept_lines(entry: polib.POEntry, why: str, first_form: int = 0) -> list[str]:
    """``Kept translation`` comment lines for the entry's translations (from *first_form* on)."""
    if "fuzzy" in entry.flags:
        why += ", fuzzy"
    if not entry.msgid_plural:
        return [f"{KEPT} ({why}): {_quoted(entry.msgstr)}"] if entry.msgstr and first_form == 0 else []
    why += f", msgid_plural {_quoted(entry.msgid_plural)}"
    texts = forms(entry)
    return [f"{KEPT} ({why}): msgstr[{n}] {_quoted(texts[n])}" for n in range(first_form, len(texts)) if texts[n]]


def with_lines(comment: str, lines: list[str]) -> str:
    """A translator comment with *lines* added, but those it already has."""
    have = comment.split("\n") if comment else []
    return "\n".join(have + [line for line in dict.fromkeys(lines) if line not in have])


def grouped(old: polib.POFile) -> tuple[list[list[polib.POEntry]], list[polib.POEntry]]:
    """The old entries by msgctxt and msgid, in file order, and those that would be a
    second header (an empty msgid without msgctxt: polib leaves all but one in the list)."""
    groups: dict[tuple[str | None, str], list[polib.POEntry]] = {}
    headers: list[polib.POEntry] = []
    for entry in old:
        if entry.msgid == "" and entry.msgctxt is None:
            headers.append(entry)
        else:
            groups.setdefault((entry.msgctxt, entry.msgid), []).append(entry)
    return list(groups.values()), headers


@dataclass(frozen=True, slots=True)
class _Settled:
    """How merge makes one entry of duplicates: the one kept, and the one whose
    translation it takes as a fuzzy suggestion when it has none."""

    kept: polib.POEntry
    suggestion: polib.POEntry | None

    @property
    def translation(self) -> list[str]:
        return forms(self.suggestion if self.suggestion is not None else self.kept)


def _settle(group: list[polib.POEntry]) -> _Settled:
    ranked = sorted(group, key=_rank)  # stable: the first in the file wins a tie
    kept = ranked[0]
    suggestion = None if translated(kept) else next((e for e in ranked[1:] if translated(e)), None)
    return _Settled(kept, suggestion)


def one_of(group: list[polib.POEntry]) -> polib.POEntry:
    """The one entry merge makes of entries with the same msgctxt and msgid (see merge)."""
    if len(group) == 1:
        return group[0]
    settled = _settle(group)
    entry = copy_entry(settled.kept)
    if settled.suggestion is not None:
        entry.msgid_plural = settled.suggestion.msgid_plural
        entry.msgstr = settled.suggestion.msgstr
        entry.msgstr_plural = dict(settled.suggestion.msgstr_plural)
        make_fuzzy(entry)
    lines: list[str] = []
    for other in group:
        if other is not settled.kept:
            if other is not settled.suggestion and forms(other) != settled.translation:
                lines += kept_lines(other, "duplicate entry")
            lines += other.tcomment.split("\n") if other.tcomment else []
    entry.tcomment = with_lines(entry.tcomment, lines)
    return entry


def copy_entry(entry: polib.POEntry, obsolete: bool | None = None) -> polib.POEntry:
    """A new entry with the old one's message, translations, flags and translator comment."""
    return polib.POEntry(
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        msgid_plural=entry.msgid_plural,
        msgstr=entry.msgstr,
        msgstr_plural=dict(entry.msgstr_plural),
        flags=list(entry.flags),
        tcomment=entry.tcomment,
        obsolete=entry.obsolete if obsolete is None else obsolete,
        linenum=entry.linenum,
    )


def dropped_lines(entry: polib.POEntry) -> list[str]:
    """What the header keeps of an obsolete entry gettext would drop: its translations."""
    what = f"obsolete msgid {_quoted(entry.msgid)}"
    if entry.msgctxt is not None:
        what += f", msgctxt {_quoted(entry.msgctxt)}"
    lines = kept_lines(entry, what)
    for line in entry.tcomment.split("\n") if entry.tcomment else []:
        if line.startswith(f"{KEPT} ("):  # translations merge put there before
            lines.append(line.replace("(", f"({what}, ", 1))
    return lines


def make_fuzzy(entry: polib.POEntry) -> None:
    if "fuzzy" not in entry.flags:
        entry.flags = [*entry.flags, "fuzzy"]


def duplicates(old: polib.POFile) -> list[CatalogError]:
    """What :func:`merge` does with the entries of *old* that gettext refuses, one
    CatalogError per entry, in file order.

    Those are the entries with the msgctxt and msgid of an earlier one, live or obsolete
    (gettext: "duplicate message definition"), and a second header. Each error has the
    entry's line (``linenum`` as ``catalog.read`` sets it: the entry's first line in the
    file, :attr:`l10n.po.model.Message.line`) and says what became of its translation:
    'duplicate of the entry at line 12 (msgid "Hello"): its translation is kept as a
    translator comment'.
    """
    problems: list[CatalogError] = []
    groups, headers = grouped(old)
    for group in groups:
        if len(group) > 1:
            problems += _reported(group)
    for entry in headers:
        fate = "its text is kept as a translator comment of the header" if translated(entry) else "it is empty"
        problems.append(
            CatalogError(f"a second header (an entry with an empty msgid and no msgctxt): {fate}", line=_line(entry))
        )
    return sorted(problems, key=lambda problem: problem.line or 0)


def _line(entry: polib.POEntry) -> int | None:
    # polib's own parser numbers the first entry of a file 0 (ours, 1): a line is 1 at the earliest.
    return None if entry.linenum is None else max(int(entry.linenum), 1)


def _reported(group: list[polib.POEntry]) -> list[CatalogError]:
    first = group[0]
    settled = _settle(group)
    key = f"msgid {_short(first.msgid)}"
    if first.msgctxt is not None:
        key = f"msgctxt {_short(first.msgctxt)}, {key}"
    at = f"line {_line(first)}" if first.linenum is not None else "an earlier line"
    problems = []
    for entry in group[1:]:
        if entry is settled.kept:
            fate = f"this entry is kept ({_why_kept(entry, first)}), and "
            fate += _fate(first, settled, f"the translation at {at}", "that one")
        else:
            fate = _fate(entry, settled, "its translation", "it")
        problems.append(CatalogError(f"duplicate of the entry at {at} ({key}): {fate}", line=_line(entry)))
    return problems


def _why_kept(entry: polib.POEntry, first: polib.POEntry) -> str:
    """Why a later duplicate is kept rather than the first (see _rank)."""
    if first.obsolete and not entry.obsolete:
        return "a live entry beats an obsolete one"
    beaten = "a fuzzy one" if _rank(first)[1] == 1 else "none"
    return f"a {'fuzzy ' if _rank(entry)[1] else ''}translation beats {beaten}"


def _fate(entry: polib.POEntry, settled: _Settled, subject: str, pronoun: str) -> str:
    if entry is settled.suggestion:
        return f"{subject} is kept as a fuzzy suggestion"
    if not translated(entry):
        return f"{pronoun} has no translation"
    if forms(entry) == settled.translation:
        return f"{subject} is the same as the one kept"
    return f"{subject} is kept as a translator comment"


def _short(text: str) -> str:
    return _quoted(text if len(text) <= 40 else text[:39] + "…")
