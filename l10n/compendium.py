"""A locale's memory of pruned catalogues: the translations of articles that are gone.

``l10n extract --prune`` removes the catalogues whose article is gone; their translations
move here first, into one PO file a locale (a gettext *compendium*: ``msgmerge
--compendium`` reads it too), which translation memory reads after the articles'
catalogues. This module owns that file's content: its header, one entry a msgctxt and
msgid with the catalogue it came from written as the first translator comment line
(``Pruned from: "news/old"``, a JSON string), and which translation an entry keeps when
two pruned catalogues translated the same text (:func:`gather`). Every entry is kept as
it was (comments, references to the gone article, flags, obsolete or not); a
translation that loses to another stays as a ``Kept translation`` comment line.
Catalogues in, a catalogue out: :mod:`l10n.project.pruning` reads and writes the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from . import __version__, kept
from .catalog import as_written
from .locale import Locale
from .po.model import Catalog, Message, header, with_metadata

#: The file's name, in the locale's folder beside LC_MESSAGES (``locales/fr/memory.po``).
MEMORY_FILE = "memory.po"

_ORIGIN = "Pruned from: "
_UTF8 = "text/plain; charset=UTF-8"


def origin_line(stem: str) -> str:
    """The translator comment line naming the catalogue an entry was pruned from."""
    return _ORIGIN + json.dumps(stem)  # ASCII: one comment line whatever the name holds


def origin_of(message: Message) -> str | None:
    """The catalogue (its stem) *message* was pruned from, None when it does not say."""
    first = message.translator_comments.split("\n", 1)[0]
    if not first.startswith(_ORIGIN):
        return None
    try:
        stem = json.loads(first[len(_ORIGIN) :])
    except ValueError:
        return None
    return stem if isinstance(stem, str) else None


def empty(locale: Locale, team: str, date: str) -> Catalog:
    """A new memory: the full header a PO file has, no message."""
    metadata = {
        "Project-Id-Version": "translation memory",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": date,
        "PO-Revision-Date": date,
        "Last-Translator": "",
        "Language-Team": team,
        "Language": locale.gettext,
        "MIME-Version": "1.0",
        "Content-Type": _UTF8,
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": locale.plural_forms,
        "X-Generator": f"l10n {__version__}",
    }
    comments = (
        f"{locale.tag} translation memory: the translations of catalogues whose article is gone,\n"
        "moved here by l10n extract --prune. Extract pre-fills new text from it; no page is built from it.\n"
        "Delete an entry to forget its translation."
    )
    return Catalog((), header(metadata, comments))


def gather(memory: Catalog, pruned: Iterable[tuple[str, Catalog]], date: str) -> Catalog:
    """*memory* with every translated entry of the *pruned* catalogues (stem, catalogue) added.

    One entry a msgctxt and msgid, in the order first met. When one is there already, the
    entry of the same catalogue (pruned again) replaces it; else the better one stays (live
    before obsolete, then translated before fuzzy), the one already there when they are
    equal, and the other's translation, if it differs, is kept in a comment line.
    """
    head = with_metadata(as_written(memory), {"Content-Type": _UTF8, "PO-Revision-Date": date})
    entries = list(head.messages)
    places: dict[tuple[str | None, str], int] = {}
    for index, entry in enumerate(entries):
        places.setdefault(entry.key, index)
    for stem, catalogue in pruned:
        for message in catalogue.messages:
            if message.is_header or not kept.translated(message):
                continue
            new = _entry(message, stem)
            place = places.get(new.key)
            if place is None:
                places[new.key] = len(entries)
                entries.append(new)
                continue
            old = entries[place]
            if origin_of(old) == stem:
                entries[place] = new
                continue
            winner, loser = (new, old) if _rank(new) < _rank(old) else (old, new)
            lines: list[str] = []
            if kept.forms(loser) != kept.forms(winner):
                lines = kept.kept_lines(loser, f"pruned from {json.dumps(origin_of(loser) or '')}")
            entries[place] = replace(winner, translator_comments=kept.with_lines(winner.translator_comments, lines))
    return replace(head, messages=tuple(entries), charset="UTF-8")


def _entry(message: Message, stem: str) -> Message:
    """The message as the memory keeps it: its origin as the first comment line."""
    comments = [line for line in message.translator_comments.split("\n") if line and not line.startswith(_ORIGIN)]
    entry = replace(message, translator_comments="\n".join([origin_line(stem), *comments]), line=None)
    if entry.obsolete and not kept.forms(entry)[0]:
        # gettext drops an obsolete entry whose first translation is empty: kept live, fuzzy
        entry = kept.make_fuzzy(replace(entry, obsolete=False))
    return entry


def _rank(entry: Message) -> tuple[int, int]:
    return (1 if entry.obsolete else 0, 1 if entry.fuzzy else 0)


def by_origin(memory: Catalog) -> list[tuple[str, Catalog]]:
    """The memory's messages by the catalogue they were pruned from, for translation memory:
    each origin is named ``<stem> (pruned)`` (an article of the same name may come back,
    and memory never fills a catalogue from its own origin); entries that name none are
    :data:`MEMORY_FILE`'s."""
    groups: dict[str, list[Message]] = {}
    for message in memory.messages:
        stem = origin_of(message)
        groups.setdefault(MEMORY_FILE if stem is None else f"{stem} (pruned)", []).append(message)
    return [(origin, Catalog(tuple(messages), memory.header)) for origin, messages in groups.items()]
