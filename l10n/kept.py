"""Old entries that a merge meets and that gettext refuses or our templates never make.

A translator's catalogue may have been hand-edited or written by another tool: it can
hold the same message twice (live or obsolete: gettext's "duplicate message
definition"), a second header, entries with a ``msgctxt`` or with plural forms. This
module owns what becomes of them so that no translation is ever dropped: which of
duplicates is kept (:func:`one_of`), how a translation that cannot stay a message's
is kept as a ``Kept translation`` translator comment (:func:`kept_lines`), and the
one-line report of each (:func:`duplicates`). ``catalog.merge`` uses it; messages
(:class:`l10n.po.model.Message`) in, new messages and errors out. Duplicates are told
apart by their place in their group, never by equality (two may say the same).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from .errors import CatalogError
from .po.model import Catalog, Message

# A translation that cannot stay a message's is kept as a translator comment line
# 'Kept translation (why): "text"', the text a JSON string: one line whatever it holds,
# never ending in a backslash, and decoded by any JSON reader.
KEPT = "Kept translation"
# What JSON leaves raw but a comment line cannot hold (polib, and tools built on it, end
# a line at U+0085, U+2028 and U+2029).
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")


def _quoted(text: str) -> str:
    """*text* as a JSON string that a comment line can hold."""
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(text, ensure_ascii=False))


def forms(entry: Message) -> list[str]:
    """The entry's translations as gettext has them: its msgstr, or its plural forms (an
    empty msgid_plural is no plural: the pipeline never wrote one)."""
    if not entry.msgid_plural:
        return [entry.msgstr]
    return list(entry.plural_forms) or [entry.msgstr, ""]


def translated(entry: Message) -> bool:
    return any(forms(entry))


def _rank(entry: Message) -> tuple[int, int]:
    """Precedence among duplicates, lowest first: live before obsolete, then a translation,
    a fuzzy translation, none."""
    state = 2 if not translated(entry) else 1 if "fuzzy" in entry.flags else 0
    return (1 if entry.obsolete else 0, state)


def kept_lines(entry: Message, why: str, first_form: int = 0) -> list[str]:
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


def grouped(old: Catalog) -> tuple[list[list[Message]], list[Message]]:
    """The old entries by msgctxt and msgid, in file order, and those that would be a
    second header (an empty msgid without msgctxt: the reader leaves all but the first in
    the messages)."""
    groups: dict[tuple[str | None, str], list[Message]] = {}
    headers: list[Message] = []
    for entry in old:
        if entry.msgid == "" and entry.msgctxt is None:
            headers.append(entry)
        else:
            groups.setdefault((entry.msgctxt, entry.msgid), []).append(entry)
    return list(groups.values()), headers


@dataclass(frozen=True, slots=True)
class _Settled:
    """How merge makes one entry of duplicates: the one kept, and the one whose
    translation it takes as a fuzzy suggestion when it has none (places in the group)."""

    group: list[Message]
    kept: int
    suggestion: int | None

    @property
    def translation(self) -> list[str]:
        return forms(self.group[self.suggestion if self.suggestion is not None else self.kept])


def _settle(group: list[Message]) -> _Settled:
    ranked = sorted(range(len(group)), key=lambda index: _rank(group[index]))  # stable: the first in the file wins
    kept = ranked[0]
    suggestion = None if translated(group[kept]) else next((i for i in ranked[1:] if translated(group[i])), None)
    return _Settled(group, kept, suggestion)


def one_of(group: list[Message]) -> Message:
    """The one entry merge makes of entries with the same msgctxt and msgid (see merge)."""
    if len(group) == 1:
        return group[0]
    settled = _settle(group)
    entry = copy_entry(group[settled.kept])
    if settled.suggestion is not None:
        suggestion = group[settled.suggestion]
        entry = replace(
            entry, msgid_plural=suggestion.msgid_plural, msgstr=suggestion.msgstr, plural_forms=suggestion.plural_forms
        )
        entry = make_fuzzy(entry)
    lines: list[str] = []
    for index, other in enumerate(group):
        if index != settled.kept:
            if index != settled.suggestion and forms(other) != settled.translation:
                lines += kept_lines(other, "duplicate entry")
            lines += other.translator_comments.split("\n") if other.translator_comments else []
    return replace(entry, translator_comments=with_lines(entry.translator_comments, lines))


def copy_entry(entry: Message, obsolete: bool | None = None) -> Message:
    """A new entry with the old one's message, translations, flags and translator comment
    (not its extracted comments, references or previous fields)."""
    return Message(
        entry.msgid,
        entry.msgstr,
        entry.msgctxt,
        entry.msgid_plural,
        entry.plural_forms,
        translator_comments=entry.translator_comments,
        flags=entry.flags,
        obsolete=entry.obsolete if obsolete is None else obsolete,
        line=entry.line,
    )


def dropped_lines(entry: Message) -> list[str]:
    """What the header keeps of an obsolete entry gettext would drop: its translations."""
    what = f"obsolete msgid {_quoted(entry.msgid)}"
    if entry.msgctxt is not None:
        what += f", msgctxt {_quoted(entry.msgctxt)}"
    lines = kept_lines(entry, what)
    for line in entry.translator_comments.split("\n") if entry.translator_comments else []:
        if line.startswith(f"{KEPT} ("):  # translations merge put there before
            lines.append(line.replace("(", f"({what}, ", 1))
    return lines


def make_fuzzy(entry: Message) -> Message:
    """The entry, fuzzy (its flags in order, fuzzy last when it was not)."""
    return entry if "fuzzy" in entry.flags else replace(entry, flags=(*entry.flags, "fuzzy"))


def duplicates(old: Catalog) -> list[CatalogError]:
    """What :func:`merge` does with the entries of *old* that gettext refuses, one
    CatalogError per entry, in file order.

    Those are the entries with the msgctxt and msgid of an earlier one, live or obsolete
    (gettext: "duplicate message definition"), and a second header. Each error has the
    entry's first line in the file (:attr:`l10n.po.model.Message.line`) and says what
    became of its translation:
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


def _line(entry: Message) -> int | None:
    # a message built by hand may say 0 (polib's parser numbered the first entry 0): a line is 1 at the earliest.
    return None if entry.line is None else max(entry.line, 1)


def _reported(group: list[Message]) -> list[CatalogError]:
    first = group[0]
    settled = _settle(group)
    key = f"msgid {_short(first.msgid)}"
    if first.msgctxt is not None:
        key = f"msgctxt {_short(first.msgctxt)}, {key}"
    at = f"line {_line(first)}" if first.line is not None else "an earlier line"
    problems = []
    for index, entry in enumerate(group[1:], 1):
        if index == settled.kept:
            fate = f"this entry is kept ({_why_kept(entry, first)}), and "
            fate += _fate(0, settled, f"the translation at {at}", "that one")
        else:
            fate = _fate(index, settled, "its translation", "it")
        problems.append(CatalogError(f"duplicate of the entry at {at} ({key}): {fate}", line=_line(entry)))
    return problems


def _why_kept(entry: Message, first: Message) -> str:
    """Why a later duplicate is kept rather than the first (see _rank)."""
    if first.obsolete and not entry.obsolete:
        return "a live entry beats an obsolete one"
    beaten = "a fuzzy one" if _rank(first)[1] == 1 else "none"
    return f"a {'fuzzy ' if _rank(entry)[1] else ''}translation beats {beaten}"


def _fate(index: int, settled: _Settled, subject: str, pronoun: str) -> str:
    entry = settled.group[index]
    if index == settled.suggestion:
        return f"{subject} is kept as a fuzzy suggestion"
    if not translated(entry):
        return f"{pronoun} has no translation"
    if forms(entry) == settled.translation:
        return f"{subject} is the same as the one kept"
    return f"{subject} is kept as a translator comment"


def _short(text: str) -> str:
    return _quoted(text if len(text) <= 40 else text[:39] + "…")
