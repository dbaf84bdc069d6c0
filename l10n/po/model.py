"""The catalogue model: what a PO or POT file says, as GNU gettext understands it.

Typed and immutable: a :class:`Catalog` is its header and its messages in file order; a
:class:`Message` holds what gettext's ``message_ty`` holds (context, msgid, plural
forms, the four kinds of comment, flags, the previous fields of a fuzzy message, whether
it is obsolete). Where a message was in its file (:attr:`Message.line`) is not part of
its value: two catalogues that say the same are equal wherever their messages stand.
Changing a message or a catalogue makes a new one (``dataclasses.replace``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Message:
    """One message of a catalogue (the header is the message whose msgid is "" and has no context)."""

    msgid: str
    msgstr: str = ""  # the translation of a message without plural forms
    msgctxt: str | None = None
    msgid_plural: str | None = None
    plural_forms: tuple[str, ...] = ()  # msgstr[0], msgstr[1], ... of a message with msgid_plural
    translator_comments: str = ""  # "# " lines, joined by "\n"
    extracted_comments: str = ""  # "#. " lines, joined by "\n"
    references: tuple[tuple[str, str], ...] = ()  # "#: file:line" (line "" when there is none)
    flags: tuple[str, ...] = ()  # "#, fuzzy, c-format", in order
    previous_msgctxt: str | None = None  # "#| msgctxt": the source a fuzzy translation was made for
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False  # "#~": no longer in the template, kept for its translation
    line: int | None = field(default=None, compare=False)  # the entry's first line in its file

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translations(self) -> tuple[str, ...]:
        """The translation, or each plural form's."""
        return self.plural_forms if self.msgid_plural is not None else (self.msgstr,)

    @property
    def translated(self) -> bool:
        """True when some translation is not empty."""
        return any(self.translations)

    @property
    def key(self) -> tuple[str | None, str]:
        """What makes two messages of a catalogue the same message for gettext."""
        return (self.msgctxt, self.msgid)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


@dataclass(frozen=True, slots=True)
class Catalog:
    """A PO or POT file: its header message and its messages, obsolete ones included, in file order."""

    messages: tuple[Message, ...] = ()
    header: Message = Message("")
    charset: str = "UTF-8"  # the charset the file was read in (from the header's Content-Type)
    # The lines where a NUL cuts a string or a comment short: gettext reads up to it, and so
    # does the reader; a catalogue written again from what was read would lose the rest.
    cut: tuple[int, ...] = ()

    def __iter__(self) -> Iterator[Message]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    @property
    def metadata(self) -> dict[str, str]:
        """The header's fields (``Language``, ``Plural-Forms``...), as gettext's tools read them:
        one ``Name: value`` a line of the header's msgstr."""
        return header_fields(self.header.msgstr)

    def live(self) -> Iterator[Message]:
        """The messages that are not obsolete."""
        return (message for message in self.messages if not message.obsolete)

    def find(self, msgid: str, msgctxt: str | None = None) -> Message | None:
        """The live message with this msgid and context, if there is one."""
        return next((m for m in self.messages if m.msgid == msgid and m.msgctxt == msgctxt and not m.obsolete), None)


def header_fields(msgstr: str) -> dict[str, str]:
    """The ``Name: value`` lines of a header msgstr, in order (a line without a colon continues the one before)."""
    found: dict[str, str] = {}
    name: str | None = None
    for line in msgstr.split("\n"):
        if not line:
            continue
        head, colon, value = line.partition(":")
        if colon:
            name = head.strip()
            found[name] = value.strip()
        elif name is not None:
            found[name] += "\n" + line.strip()
    return found


def header(
    metadata: Mapping[str, str], comments: str = "", fuzzy: bool = False, flags: tuple[str, ...] = ()
) -> Message:
    """A header message with these fields (each written ``Name: value\\n``)."""
    chosen = tuple(flag for flag in flags if flag != "fuzzy")
    return Message(
        "",
        "".join(f"{name}: {value}\n" for name, value in metadata.items()),
        translator_comments=comments,
        flags=("fuzzy", *chosen) if fuzzy else chosen,
    )


def with_metadata(catalog: Catalog, changes: Mapping[str, str]) -> Catalog:
    """The catalogue with these header fields changed, or added at the end."""
    fields = catalog.metadata
    fields.update(changes)
    new_header = replace(catalog.header, msgstr="".join(f"{name}: {value}\n" for name, value in fields.items()))
    return replace(catalog, header=new_header)
