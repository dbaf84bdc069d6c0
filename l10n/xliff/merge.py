"""Units of an XLIFF file merged into their catalogue, under the never-lose rules.

For each unit, in order:

1. its entry is found by id (:func:`~.model.unit_id`); a unit whose entry is gone (the
   article changed since the export) or whose source is not the entry's msgid is refused;
2. no target, or an empty one, changes nothing (an import never clears a translation);
3. a target that says what the entry says (same text, same fuzzy flag) changes nothing;
4. a target the build would refuse (:func:`l10n.catalog.problem`: the source's
   placeholders each once, nested; no other markup) is refused;
5. an entry whose translation changed since the export (its :func:`~.model.record` is not
   the one the unit carries; a unit without one counts as exported from an empty entry)
   is a conflict and kept, unless *overwrite*;
6. else the target is the entry's translation: ``translated``/``reviewed``/``final``
   make it used (not fuzzy, the ``#|`` previous source gone, as a PO editor does),
   ``initial`` makes it fuzzy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import catalog
from ..po.model import Catalog, Message
from .model import canonical, record, unit_id
from .read import Unit


@dataclass(frozen=True, slots=True)
class Problem:
    """A unit not imported: refused (its target or its id) or in conflict."""

    line: int
    unit: str
    message: str
    conflict: bool = False


@dataclass(frozen=True, slots=True)
class Merged:
    catalogue: Catalog  # the same object when nothing changed
    imported: int = 0
    unchanged: int = 0
    problems: tuple[Problem, ...] = field(default=())


def merge(po: Catalog, units: tuple[Unit, ...], overwrite: bool = False) -> Merged:
    """*po* with the translations of *units* (see the module's rules)."""
    entries = {
        unit_id(message.msgctxt, message.msgid): index
        for index, message in enumerate(po.messages)
        if not message.obsolete and not message.is_header and message.msgid_plural is None
    }
    messages = list(po.messages)
    imported = unchanged = 0
    problems: list[Problem] = []
    for unit in units:
        outcome = _one(messages, entries, unit, overwrite)
        if isinstance(outcome, Problem):
            problems.append(outcome)
        elif outcome:
            imported += 1
        else:
            unchanged += 1
    if not imported:
        return Merged(po, 0, unchanged, tuple(problems))
    return Merged(replace(po, messages=tuple(messages)), imported, unchanged, tuple(problems))


def _one(messages: list[Message], entries: dict[str, int], unit: Unit, overwrite: bool) -> Problem | bool:
    """Import one unit into *messages*: True if it changed its entry, False if not, else why not."""
    if unit.problem is not None:
        return Problem(unit.line, unit.id, unit.problem)
    index = entries.get(unit.id)
    if index is None:
        return Problem(unit.line, unit.id, "no such entry in the catalogue (its source changed since the export?)")
    message = messages[index]
    if unit.source != message.msgid:
        return Problem(unit.line, unit.id, "the source is not the catalogue's msgid (was it edited?)")
    if unit.target is None:
        return False
    fuzzy = not unit.done
    if fuzzy == message.fuzzy and unit.target == canonical(message.msgstr):
        return False
    why = catalog.problem(message.msgid, unit.target)
    if why is not None:
        return Problem(unit.line, unit.id, f"invalid translation: {why}")
    changed = unit.recorded != record(message.msgstr, message.fuzzy)
    if changed and not overwrite and (unit.recorded is not None or message.msgstr):
        return Problem(
            unit.line,
            unit.id,
            "the catalogue's translation changed since the export; kept (--overwrite replaces it)",
            conflict=True,
        )
    messages[index] = _translated(message, unit.target, fuzzy)
    return True


def _translated(message: Message, msgstr: str, fuzzy: bool) -> Message:
    others = tuple(flag for flag in message.flags if flag != "fuzzy")
    if fuzzy:
        return replace(message, msgstr=msgstr, flags=("fuzzy", *others))
    return replace(
        message, msgstr=msgstr, flags=others, previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None
    )
