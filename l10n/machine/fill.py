"""What a catalogue asks an engine, and the catalogue its answers make: never human work.

Only *untranslated* entries are sent: live, not the header, no plural forms (our
extraction makes none; a hand-made plural entry needs a form per plural category, which
an engine translating one text does not give), not fuzzy, and an empty msgstr. A
translated or fuzzy entry is a translator's, and is never touched. An answer becomes the
entry's msgstr, marked ``fuzzy`` (a translator reviews it before it is published) with
the translator comment ``Machine translation: <engine>``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .. import kept
from ..catalog import as_written
from ..placeholders import InvalidTranslation
from ..po.model import Catalog, Message
from .protect import protect, restore

Key = tuple[str | None, str]  # (msgctxt, msgid): an entry of a catalogue


def comment(engine: str) -> str:
    """The translator comment of a machine translation."""
    return f"Machine translation: {engine}"


def untranslated(message: Message) -> bool:
    """True for an entry an engine may fill (see the module's docstring)."""
    return (
        not message.obsolete
        and not message.is_header
        and message.msgid_plural is None
        and not message.fuzzy
        and message.msgstr == ""
    )


@dataclass(frozen=True, slots=True)
class Batch:
    """The request of one catalogue: the entries sent and their texts, in order, and the
    untranslated entries that cannot be sent (a msgid whose placeholders do not parse)."""

    keys: tuple[Key, ...]
    texts: tuple[str, ...]
    lines: tuple[int | None, ...]  # each sent entry's line in the file, for reports
    unsent: tuple[tuple[Message, str], ...] = ()  # (entry, why)


def batch(catalogue: Catalog) -> Batch:
    """The untranslated entries of *catalogue* as the texts to send an engine."""
    keys: list[Key] = []
    texts: list[str] = []
    lines: list[int | None] = []
    unsent: list[tuple[Message, str]] = []
    for message in catalogue:
        if not untranslated(message):
            continue
        try:
            texts.append(protect(message.msgid))
        except InvalidTranslation as why:
            unsent.append((message, str(why)))
            continue
        keys.append(message.key)
        lines.append(message.line)
    return Batch(tuple(keys), tuple(texts), tuple(lines), tuple(unsent))


@dataclass(frozen=True, slots=True)
class Checked:
    """An engine's answers to a batch: the usable msgstrs by entry, and those dropped (index, why)."""

    usable: Mapping[Key, str]
    dropped: tuple[tuple[int, str], ...]


def check(sent: Batch, answers: Sequence[str]) -> Checked:
    """Each answer read back and validated for its msgid (:func:`.protect.restore`)."""
    usable: dict[Key, str] = {}
    dropped: list[tuple[int, str]] = []
    for index, (key, answer) in enumerate(zip(sent.keys, answers, strict=True)):
        try:
            usable[key] = restore(key[1], answer)
        except InvalidTranslation as why:
            dropped.append((index, str(why)))
    return Checked(usable, tuple(dropped))


def fill(catalogue: Catalog, usable: Mapping[Key, str], engine: str) -> tuple[Catalog, int]:
    """*catalogue* (as the pipeline writes what it read) with each entry that is still
    untranslated and has a usable answer filled, fuzzy; and how many were filled. An entry
    a translator filled in the meantime keeps what they wrote."""
    written = as_written(catalogue)
    note = [comment(engine)]
    filled = 0
    messages: list[Message] = []
    for message in written:
        answer = usable.get(message.key) if untranslated(message) else None
        if answer is not None:
            comments = kept.with_lines(message.translator_comments, note)
            message = kept.make_fuzzy(replace(message, msgstr=answer, translator_comments=comments))
            filled += 1
        messages.append(message)
    return replace(written, messages=tuple(messages)), filled
