"""Reading PO and POT files as GNU gettext reads them: bytes (or text) in, a :class:`Catalog` out.

The package's reader accepts exactly the files GNU gettext 0.21's reader accepts (po-lex.c,
po-gram-gen.y, read-catalog.c), with the same messages, and refuses the others with one
:class:`~l10n.errors.CatalogError` on the line gettext names first. The work is shared by
rooms, each after a part of gettext:

* :mod:`.charsets` (po-charset.c): the charsets gettext knows, and the bytes decoded by the
  header's. Bytes are read raw until the header names its charset (po-gram-gen.y sets the
  converter when it reduces the header), then decoded with it. A UTF-8 BOM is skipped
  (gettext 0.21 refuses it: "syntax error" on line 1). Text is taken as decoded.
* :mod:`.lexer` (po-lex.c): the tokens, line ends, escapes, and the errors of the lexer.
* :mod:`.parser` (po-gram-gen.y): the messages from the tokens, and the errors of the grammar.
* :mod:`.notes` (read-catalog-abstract.c): comment lines sorted out into translator and
  extracted comments, references and flags.

This module owns the entry point, :func:`read`, the switch to the header's charset, and the
fast path: most entries are read whole by one regular expression (:data:`_LIVE`,
:data:`_OBSOLETE`) in the layouts gettext and polib write; anything else, and any entry the
expressions do not take, by the lexer and parser, which hand back to the expressions where
a line starts clean.

Not refused, where ``msgfmt -c`` refuses for other reasons than syntax: duplicate messages
(both are returned), format strings, header fields, plural counts. A ``domain`` directive
is refused: a catalogue is one domain (``msgfmt -c -o`` refuses it too).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from itertools import repeat

from ..errors import CatalogError
from .charsets import charset_of, decoded, has_surrogates, header_charset, transcoded
from .lexer import COMMENT, EOF, ESCAPES, Token, lex
from .model import Catalog, Message
from .notes import Notes, flags_of, notes_of, usual_flags, usual_notes
from .parser import Parser

__all__ = ["FAST", "header_charset", "read"]

_BOM = b"\xef\xbb\xbf"
FAST = True  # read the usual entries with _LIVE and _OBSOLETE (tests turn it off to compare)
_SIMPLE_ESCAPE = re.compile(r"\\(.)")

# An entry as gettext and polib write it: blank lines, comment lines (none ends in a
# backslash): translator, extracted, references, flags (_NOTES; in another order, _COMMENTS);
# then (_BODY) each keyword at the start of its line before one simple string (no octal or
# hex escape), the strings continuing it one a line, "#| ", "#~ " or "#~| " before each line
# where they belong; blank lines, and what cannot continue the entry (a string or msgstr can).
# Each repeat is in an atomic group (?>...): never backtracked into, and matched alike by
# every Python 3.11, where the possessive x*+ is not (tests/test_regex_portability.py).
_S = r'"(?>[^"\\\n]*)(?>(?:\\[\\"abfnrtv](?>[^"\\\n]*))*)"'  # unrolled: no alternation to try at each character
_NOTES = re.compile(
    r"(?>\n*)((?>(?:#(?: (?>[^\n]*))?(?<!\\)\n)*))((?>(?:#\.(?>[^\n]*)(?<!\\)\n)*))"
    r"((?>(?:#:(?>[^\n]*)(?<!\\)\n)*))((?>(?:#,(?>[^\n]*)(?<!\\)\n)*))"
)
_COMMENTS = re.compile(r"(?>\n*)((?>(?:#(?:[^~|\n](?>[^\n]*))?(?<!\\)\n)*))")


def _body(prefix: str, previous: str) -> re.Pattern[str]:
    p, pp = re.escape(prefix), re.escape(previous)

    def strings(q: str) -> str:
        return rf"({_S}(?>(?:\n{q}{_S})*))\n"

    return re.compile(
        rf"(?:(?:{pp}msgctxt {strings(pp)})?{pp}msgid {strings(pp)}(?:{pp}msgid_plural {strings(pp)})?)?"
        rf"(?:{p}msgctxt {strings(p)})?{p}msgid {strings(p)}(?:{p}msgstr {strings(p)}"
        rf"|{p}msgid_plural {strings(p)}((?>(?:{p}msgstr\[[0-9]{{1,18}}\] {_S}(?>(?:\n{p}{_S})*)\n)+)))"
        r"(?>\n*)(?=#[^~|]|#\Z|#\| msg|#~\| msg|#~ msg[ci]|msg[ci]|\Z)"
    )


_LIVE, _OBSOLETE = _body("", "#| "), _body("#~ ", "#~| ")
_USUAL = re.compile(_NOTES.pattern + _LIVE.pattern)  # the notes in their usual order and a live entry
_FORMS = {
    old: re.compile(rf"{p}msgstr\[([0-9]+)\] ({_S}(?>(?:\n{p}{_S})*))\n") for old, p in ((False, ""), (True, "#~ "))
}


# A frozen dataclass's __init__ sets each field through object.__setattr__: for the usual
# entry that was a fifth of the reader's time. The fast path sets the slots directly, the
# fields in their order, which makes the same message (Message has no __post_init__).
_M0, _M1, _M2, _M3, _M4, _M5, _M6, _M7, _M8, _M9, _M10, _M11, _M12, _M13 = (
    getattr(Message, field.name).__set__ for field in fields(Message)
)
_new = object.__new__
_SETTERS = (_M0, _M1, _M2, _M3, _M4, _M5, _M6, _M7, _M8, _M9, _M10, _M11, _M12, _M13)


def _message(
    msgid: str,
    msgstr: str,
    msgctxt: str | None,
    msgid_plural: str | None,
    plural_forms: tuple[str, ...],
    translator_comments: str,
    extracted_comments: str,
    references: tuple[tuple[str, str], ...],
    flags: tuple[str, ...],
    previous_msgctxt: str | None,
    previous_msgid: str | None,
    previous_msgid_plural: str | None,
    obsolete: bool,
    line: int | None,
) -> Message:
    """``Message(...)`` with every field given, without the cost of the dataclass's __init__."""
    message: Message = _new(Message)
    _M0(message, msgid), _M1(message, msgstr), _M2(message, msgctxt), _M3(message, msgid_plural)
    _M4(message, plural_forms), _M5(message, translator_comments), _M6(message, extracted_comments)
    _M7(message, references), _M8(message, flags), _M9(message, previous_msgctxt), _M10(message, previous_msgid)
    _M11(message, previous_msgid_plural), _M12(message, obsolete), _M13(message, line)
    return message


def _made(
    msgids: list[str],
    msgstrs: list[str],
    contexts: list[str | None],
    noted: list[Notes | tuple[str, ...]],
    lines: list[int],
    notes: bool,
) -> list[Message]:
    """The usual messages (live, no previous fields, no plural forms) of these columns, *noted*
    their notes (or, without *notes*, their flags alone): ``_message`` for each, made a
    field at a time, so that C, not the interpreter, goes from one message to the next."""
    made: list[Message] = list(map(_new, repeat(Message, len(msgids))))
    none, empty = repeat(None), repeat("")
    columns: tuple[Iterable[object], ...]
    if notes:
        translators, extracted, references, flags = zip(*noted, strict=True)
        columns = (msgids, msgstrs, contexts, none, repeat(()), translators, extracted, references, flags)
    else:
        columns = (msgids, msgstrs, contexts, none, repeat(()), empty, empty, repeat(()), noted)
    for setter, column in zip(_SETTERS, (*columns, none, none, none, repeat(False), lines), strict=True):
        deque(map(setter, made, column), 0)  # setter(message, value) for each; deque(..., 0) drops the Nones
    return made


def read(data: bytes | str, path: str = "", notes: bool = True) -> Catalog:
    """The catalogue in PO or POT *data*, as GNU gettext reads it.

    Bytes are decoded with the header's charset; text is taken as decoded (a leading BOM is
    skipped in both). Raises :class:`CatalogError` for a file gettext's reader refuses,
    naming the line gettext names first, and nothing else.

    Without *notes* (for a caller that wants the translations, as a build does), each
    message, the header too, keeps of its comment lines its flags alone (``fuzzy`` matters):
    its translator and extracted comments are "" and its references (). The file is read
    the same, by the same grammar: what it refuses and where does not change, and the
    messages are those of ``read(data, path)`` with those three fields cleared.
    """
    return _Reader(path, notes).read(data)


class _Reader(Parser):
    """One reading, as gettext keeps it in globals: the text and its charset here, the
    messages and what the grammar is in the middle of in :class:`Parser`, where the lexer is
    in :class:`~.lexer.Lexer`."""

    def __init__(self, path: str, notes: bool = True) -> None:
        super().__init__(path)
        self.notes = notes
        self.data = b""
        self.text = ""  # the file from where its charset is known, decoded
        self.checked = False  # whether self.text holds bytes that are no character (surrogateescape)
        self.codec = "utf-8"
        self.fast = FAST
        self.charset = "UTF-8"

    def read(self, data: bytes | str) -> Catalog:
        if isinstance(data, str):
            text = data[1:] if data.startswith("\ufeff") else data
            self._start(text, not text.isascii() and has_surrogates(text), "utf-8")
            self._run(0, 1)
        else:
            self.data = data[3:] if data.startswith(_BOM) else data
            self.raw = True
            latin = self.data.decode("latin-1")  # the bytes gettext reads raw, one character each
            usual = self._usual_header(latin) if FAST and "\0" not in latin and "\x04" not in latin else None
            if usual is None:
                restart = self.parse(self.tokens(latin, 0, 1, False, False, False, "latin-1"))
            else:
                at, lineno, comment = usual
                self.cursor = (at, lineno, False, False)
                comment = self._switch(comment)
                if comment[0] == COMMENT:
                    self.comments, self.first_line = [comment[1]], comment[4]
                restart = (0, lineno)
            if self.raw:  # no header: gettext never converts; we take the bytes as UTF-8
                self._build_raw("utf-8")
            elif restart is not None:
                self._run(*restart)
        messages = self.messages
        header = next((m for m in messages if m.msgctxt is None and m.msgid == "" and not m.obsolete), None)
        if header is None:
            return Catalog(tuple(messages), Message(""), self.charset, tuple(sorted(self.cut)))
        if isinstance(data, str):
            self.charset = header_charset(header.plural_forms[0] if header.plural_forms else header.msgstr)
        return Catalog(tuple(m for m in messages if m is not header), header, self.charset, tuple(sorted(self.cut)))

    def _start(self, text: str, checked: bool, codec: str) -> None:
        """Read *text* from here on; a CRLF is an LF but after a backslash (which it does not join)."""
        if "\r" in text and "\\\r\n" not in text:
            text = text.replace("\r\n", "\n")
        self.text, self.checked, self.codec = text, checked, codec
        self.fast = FAST and not checked and "\0" not in text and "\x04" not in text

    def _run(self, at: int, lineno: int) -> None:
        """Read self.text from offset *at* (line *lineno*): usual entries whole, the rest by tokens."""
        while True:
            if self.fast:
                at, lineno = self._entries(at, lineno)
            restart = self.parse(self.tokens(self.text, at, lineno, False, False, self.checked, self.codec))
            if restart is None:
                return
            at, lineno = restart

    def _entries(self, at: int, lineno: int, limit: int = -1) -> tuple[int, int]:
        """Read the entries :data:`_NOTES` (or :data:`_COMMENTS`) and :data:`_LIVE` (or
        :data:`_OBSOLETE`) match from *at*, at most *limit*; return where they end."""
        text, messages, keep_notes = self.text, self.messages, self.notes
        usual, count = _USUAL.match, text.count
        while limit:
            # The usual entries (no comment pending, no previous fields, no plural forms), in short:
            # _joined's usual case inline, the messages made by columns (_made): this loop is
            # most of a build's reading.
            msgids: list[str] = []
            msgstrs: list[str] = []
            contexts: list[str | None] = []
            noted: list[Notes | tuple[str, ...]] = []
            lines: list[int] = []
            while limit and not self.comments and (found := usual(text, at)) is not None:
                translator, extracted, references, flags, _, previous, _, context, msgid, msgstr, plural, _ = (
                    found.groups()
                )
                if previous is not None or plural is not None:
                    break
                limit -= 1
                msgid, msgstr, end = msgid[1:-1], msgstr[1:-1], found.end()
                if '"\n' in msgid:
                    msgid = msgid.replace('"\n"', "")
                if "\\" in msgid:
                    msgid = _SIMPLE_ESCAPE.sub(_simple_escape, msgid)
                if '"\n' in msgstr:
                    msgstr = msgstr.replace('"\n"', "")
                if "\\" in msgstr:
                    msgstr = _SIMPLE_ESCAPE.sub(_simple_escape, msgstr)
                msgids.append(msgid)
                msgstrs.append(msgstr)
                lines.append(lineno + found.start(1) - at)
                contexts.append(None if context is None else _joined(context, '"\n"'))
                if keep_notes:
                    noted.append(usual_notes(translator, extracted, references, flags))
                else:
                    noted.append(usual_flags(flags))
                lineno += count("\n", at, end)
                at = end
            if msgids:
                messages += _made(msgids, msgstrs, contexts, noted, lines, keep_notes)
            if not limit:
                break
            limit -= 1
            notes = _NOTES.match(text, at)
            assert notes is not None  # it matches the empty string
            where, first = notes.end(), lineno + notes.start(1) - at
            comments: list[str] | None = None
            if self.comments or (text.startswith("#", where) and text[where + 1 : where + 2] not in ("~", "|")):
                others = _COMMENTS.match(text, at)
                assert others is not None
                comments = self.comments + [line[1:] for line in others.group(1).split("\n")[:-1]]
                where = others.end()
                if self.first_line is not None:
                    first = self.first_line
            old = text.startswith("#~", where)
            found = (_OBSOLETE if old else _LIVE).match(text, where)
            if found is None:
                return at, lineno
            previous_context, previous_msgid, previous_plural, context, msgid, msgstr, plural, forms_text = (
                found.groups()
            )
            separator = '"\n#~ "' if old else '"\n"'
            forms: tuple[str, ...] = ()
            if forms_text is not None:
                pairs = _FORMS[old].findall(forms_text)
                if any(int(number) != index for index, (number, _) in enumerate(pairs)):
                    return at, lineno  # the parser says which index is wrong
                forms = tuple(_joined(strings, separator) for _, strings in pairs)
                self.plural_counter = len(forms)
            if previous_msgid is not None:
                marks = '"\n#~| "' if old else '"\n#| "'
                previous_context = previous_context and _joined(previous_context, marks)
                previous_msgid = _joined(previous_msgid, marks)
                previous_plural = previous_plural and _joined(previous_plural, marks)
            if comments is None:
                heard = usual_notes(*notes.groups()) if self.notes else ("", "", (), usual_flags(notes.group(4)))
            else:
                heard = notes_of(comments) if self.notes else ("", "", (), flags_of(comments))
            source, translation = _joined(msgid, separator), "" if msgstr is None else _joined(msgstr, separator)
            context, plural = context and _joined(context, separator), plural and _joined(plural, separator)
            previous = (previous_context, previous_msgid, previous_plural)
            messages.append(_message(source, translation, context, plural, forms, *heard, *previous, old, first))
            self.comments, self.first_line = [], None
            lineno += text.count("\n", at, found.end())
            at = found.end()
        return at, lineno

    def _usual_header(self, latin: str) -> tuple[int, int, Token | None] | None:
        """Read the header, if it is the first entry and :meth:`_entries` reads it (no character
        outside ASCII in its comments): where the file goes on, its line, and the comment
        there, read raw as gettext reads the token after the header."""
        self.text, keep_notes, self.notes = latin, self.notes, True  # the checks below need the notes
        at, lineno = self._entries(0, 1, 1)
        self.notes = keep_notes
        header = self.messages.pop() if self.messages else None
        notes = (header.translator_comments, header.extracted_comments, *header.flags) if header else ("\x80",)
        if (
            header is None
            or not header.is_header
            or header.obsolete
            or header.references
            or not all(map(str.isascii, notes))
        ):
            self.plural_counter = 0
            return None
        kept = header if keep_notes else replace(header, translator_comments="", extracted_comments="")
        self.records.append(lambda fix: _fixed(kept, fix))
        self.header = header.plural_forms[0] if header.plural_forms else header.msgstr
        self.header_line = header.line or 1
        if not latin.startswith("#", at) or latin[at + 1 : at + 2] in ("~", "|"):
            return at, lineno, None
        newline = latin.find("\n", at)
        line = latin[at:] if newline < 0 else latin[at:newline]
        if line.endswith("\\") and newline >= 0:
            self.records.clear()
            self.header = None
            return None
        comment = lex(line, lineno, (), newline < 0, False, False, False, "latin-1")[0][0]
        return (len(latin), lineno, comment) if newline < 0 else (newline + 1, lineno + 1, comment)

    def _switch(self, lookahead: Token | None) -> Token:
        """Go on in the charset the header names; the token after the header was read raw, as
        gettext reads it before it knows the charset."""
        charset = charset_of(self.header or "")
        codec = charset.codec
        if codec is None:
            raise CatalogError(f'the charset "{charset.name}" is not supported', self.path, self.header_line)
        self.charset = charset.name
        self._build_raw(codec)
        if lookahead is None:
            lookahead = (EOF, "", False, 0, 0)  # not read: the caller goes on from the cursor
        elif lookahead[0] == COMMENT:
            lookahead = (COMMENT, transcoded(lookahead[1], codec), lookahead[2], lookahead[3], lookahead[4])
        offset, lineno, obsolete, previous = self.cursor
        text, checked = decoded(self.data[offset:], codec, charset.converted)
        self._start(text, checked, codec)
        self.next = self.tokens(self.text, 0, lineno, obsolete, previous, checked, codec).__next__
        return lookahead

    def _build_raw(self, codec: str) -> None:
        """Build the messages read raw, their bytes decoded with *codec* (unchecked, as gettext leaves them)."""
        for record in self.records:
            self.messages.append(record(lambda text: transcoded(text, codec)))
        self.records.clear()
        self.raw = False


def _joined(strings: str, separator: str) -> str:
    """The text of one string a line, ``"a"\\n"b"`` (*separator* the end of a line and the
    start of the next): joined, unescaped. Only between two strings are a quote, a line end
    and a quote together."""
    value = strings[1:-1]
    if '"\n' in value:
        value = value.replace(separator, "")
    return _SIMPLE_ESCAPE.sub(_simple_escape, value) if "\\" in value else value


def _simple_escape(match: re.Match[str]) -> str:
    return ESCAPES[match.group(1)]


def _fixed(message: Message, fix: Callable[[str], str] | None) -> Message:
    """A header read raw, its texts decoded (its comments are ASCII)."""
    if fix is None:
        return message
    return replace(
        message,
        msgstr=fix(message.msgstr),
        plural_forms=tuple(fix(form) for form in message.plural_forms),
        msgid_plural=None if message.msgid_plural is None else fix(message.msgid_plural),
        previous_msgctxt=None if message.previous_msgctxt is None else fix(message.previous_msgctxt),
        previous_msgid=None if message.previous_msgid is None else fix(message.previous_msgid),
        previous_msgid_plural=None if message.previous_msgid_plural is None else fix(message.previous_msgid_plural),
    )
