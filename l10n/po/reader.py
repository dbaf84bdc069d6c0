"""Reading PO and POT files as GNU gettext reads them: bytes (or text) in, a :class:`Catalog` out.

This module owns the PO *syntax*. It accepts exactly the files GNU gettext 0.21's reader
accepts (po-lex.c, po-gram-gen.y, read-catalog.c), with the same messages, and refuses the
others with one :class:`~l10n.errors.CatalogError` on the line gettext names first.

* Bytes are read raw until the header names its charset (po-gram-gen.y sets the converter
  when it reduces the header), then decoded with it: any charset gettext knows
  (po-charset.c) that Python can decode. A byte sequence that is no character is an error
  where gettext checks (strings, keywords, the character after ``#``) and U+FFFD where it
  does not (comments, what precedes the header, bytes made by escapes, files whose charset
  gettext does not know, which are decoded as named, or as UTF-8). A UTF-8 BOM is skipped
  (gettext 0.21 refuses it: "syntax error" on line 1). Text is taken as decoded.
* Lines end at LF only: VT, FF, CR, U+001C-U+001E, U+0085, U+2028 are ordinary characters.
  A backslash before a line end joins the lines, everywhere, comments included. Space, tab,
  CR, FF and VT between tokens are blank, so CRLF files read as LF files; a CR that ends a
  comment line is dropped (gettext keeps it in the comment, which no one means).
* Strings: ``\\n \\t \\b \\r \\f \\v \\a \\\\ \\"``, one to three octal digits, ``\\x`` and all the hex
  digits after it (the low byte counts); any other escape is an error. A string ends at a
  NUL; an EOT (the msgctxt separator of .mo files) is an error.
* The grammar is gettext's, down to where it reports: "missing 'msgstr' section" on the
  msgid's line, a syntax error on the line where the unexpected token ends (the line after
  a comment), "end-of-line within string" on the next line, plural indexes counted from 0
  (a counter msgid_plural resets), ``#~`` on every line of an obsolete entry, ``#|`` in
  force after a comment on its line.
* Comments are sorted out as read-catalog-abstract.c does (``#.``, ``#:``, ``#,`` or ``#!``,
  Solaris ``# File: x, line: n`` references, translator comments); references as gettext
  0.22 splits them (a name between U+2068 and U+2069 keeps its spaces), each once; flags in
  order, each once, ``range: a..b`` as one flag.

Not refused, where ``msgfmt -c`` refuses for other reasons than syntax: duplicate messages
(both are returned), format strings, header fields, plural counts. A ``domain`` directive
is refused: a catalogue is one domain (``msgfmt -c -o`` refuses it too).

Most entries are read whole by one regular expression (:data:`_LIVE`, :data:`_OBSOLETE`)
in the layouts gettext and polib write; anything else, by the lexer and parser.
"""

from __future__ import annotations

import codecs
import re
import warnings
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TypeVar

from ..errors import CatalogError
from .model import Catalog, Message

# Token kinds, as po-gram-gen.y names them.
_EOF, _COMMENT, _DOMAIN, _MSGCTXT, _MSGID, _MSGID_PLURAL, _MSGSTR = range(7)
_PREV_MSGCTXT, _PREV_MSGID, _PREV_MSGID_PLURAL, _STRING, _PREV_STRING = range(7, 12)
_LBRACKET, _RBRACKET, _NUMBER, _NAME, _JUNK = range(12, 17)
_INTRO = frozenset((_MSGCTXT, _MSGID, _PREV_MSGCTXT, _PREV_MSGID))
# kind, text, obsolete, line (where gettext's position is once it has read it), first line.
Token = tuple[int, str, bool, int, int]
_Mark = tuple[int, bool, bool]  # where a token ends on its line, and the #~ and #| states there
_Previous = tuple[str | None, str | None, str | None]
_T = TypeVar("_T")

_KEYWORDS = {"domain": _DOMAIN, "msgid": _MSGID, "msgid_plural": _MSGID_PLURAL, "msgstr": _MSGSTR, "msgctxt": _MSGCTXT}
_PREV_KEYWORDS = {"msgid": _PREV_MSGID, "msgid_plural": _PREV_MSGID_PLURAL, "msgctxt": _PREV_MSGCTXT}
_SHOWN = {_EOF: "the end of the file", _COMMENT: "a comment", _STRING: "a string", _PREV_STRING: "a #| string"}
_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}
_BLANK = frozenset(" \t\r\f\v")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
_NAME_REST = re.compile(r"[A-Za-z0-9_$]*")
_DIGITS = re.compile(r"[0-9]*")
_HEX = re.compile(r"[0-9A-Fa-f]*")
_STRING_STOP = re.compile(r'["\\]')
_UNDECODED = re.compile("[\ud800-\udfff]")  # bytes that are no character, as surrogateescape keeps them
_SIMPLE_ESCAPE = re.compile(r"\\(.)")
_FLAG_SEPARATORS = re.compile(r"[\n \t\r\f\v,]+")
_SOLARIS = re.compile(r" [Ff]ile:[ \t]*(.*?)[ \t]*,[ \t]*line[ \t]*(?:number[ \t]*)?:([0-9]+)[ \t\n]*", re.DOTALL)
_BOM = b"\xef\xbb\xbf"
FAST = True  # read the usual entries with _LIVE and _OBSOLETE (tests turn it off to compare)

# An entry as gettext and polib write it: blank lines, comment lines (none ends in a
# backslash): translator, extracted, references, flags (_NOTES; in another order, _COMMENTS);
# then (_BODY) each keyword at the start of its line before one simple string (no octal or
# hex escape), the strings continuing it one a line, "#| ", "#~ " or "#~| " before each line
# where they belong; blank lines, and what cannot continue the entry (a string or msgstr can).
_S = r'"(?:[^"\\\n]++|\\[\\"abfnrtv])*+"'
_NOTES = re.compile(
    r"\n*+((?:#(?: [^\n]*+)?(?<!\\)\n)*+)((?:#\.[^\n]*+(?<!\\)\n)*+)"
    r"((?:#:[^\n]*+(?<!\\)\n)*+)((?:#,[^\n]*+(?<!\\)\n)*+)"
)
_COMMENTS = re.compile(r"\n*+((?:#(?:[^~|\n][^\n]*+)?(?<!\\)\n)*+)")


def _body(prefix: str, previous: str) -> re.Pattern[str]:
    p, pp = re.escape(prefix), re.escape(previous)

    def strings(q: str) -> str:
        return rf"({_S}(?:\n{q}{_S})*+)\n"

    return re.compile(
        rf"(?:(?:{pp}msgctxt {strings(pp)})?{pp}msgid {strings(pp)}(?:{pp}msgid_plural {strings(pp)})?)?"
        rf"(?:{p}msgctxt {strings(p)})?{p}msgid {strings(p)}(?:{p}msgstr {strings(p)}"
        rf"|{p}msgid_plural {strings(p)}((?:{p}msgstr\[[0-9]{{1,18}}\] {_S}(?:\n{p}{_S})*+\n)++))"
        r"\n*+(?=#[^~|]|#\Z|#\| msg|#~\| msg|#~ msg[ci]|msg[ci]|\Z)"
    )


_LIVE, _OBSOLETE = _body("", "#| "), _body("#~ ", "#~| ")
_USUAL = re.compile(_NOTES.pattern + _LIVE.pattern)  # the notes in their usual order and a live entry
_FORMS = {old: re.compile(rf"{p}msgstr\[([0-9]+)\] ({_S}(?:\n{p}{_S})*+)\n") for old, p in ((False, ""), (True, "#~ "))}
# The references of a "#:" line as gettext writes them: one space before each, a file name
# that does not start with ":" or an isolate, a line number without leading zeros.
_USUAL_REFERENCES = re.compile(r"(?: [^ \t:\u2068][^ \t]*:(?:0|[1-9][0-9]{0,17}))+")
_REFERENCE = re.compile(r" ([^ \t]+):([0-9]+)")


def read(data: bytes | str, path: str = "") -> Catalog:
    """The catalogue in PO or POT *data*, as GNU gettext reads it.

    Bytes are decoded with the header's charset; text is taken as decoded (a leading BOM is
    skipped in both). Raises :class:`CatalogError` for a file gettext's reader refuses,
    naming the line gettext names first, and nothing else.
    """
    return _Reader(path).read(data)


def header_charset(msgstr: str) -> str:
    """The charset a header msgstr names, as :attr:`Catalog.charset` records it: gettext's name
    for a charset gettext knows, the name as written for one only Python knows, else UTF-8."""
    name = _charset_named(msgstr)
    canonical = _canonical(name)
    if canonical is not None:
        return canonical
    return name if name and _codec(name) else "UTF-8"


class _Reader:
    """One reading: the lexer's input and the parser's state (gettext keeps them in globals)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.data = b""
        self.text = ""  # the file from where its charset is known, decoded
        self.checked = False  # whether self.text holds bytes that are no character (surrogateescape)
        self.codec = "utf-8"
        self.fast = FAST
        self.raw = False  # reading bytes before the header named the charset
        self.header: str | None = None  # the msgstr of the header, read raw
        self.header_line = 0
        self.next: Callable[[], Token] = iter(()).__next__
        self.cursor = (0, 1, False, False)  # where the text after the last token starts: offset, line, #~, #|
        self.restart: tuple[int, int] | None = None  # the last token's line, if it is the first on it
        self.comments: list[str] = []  # comments since the last message
        self.first_line: int | None = None  # the line of the first of them
        self.plural_counter = 0  # po-gram-gen.y's, reset only by msgid_plural
        self.records: list[Callable[[Callable[[str], str] | None], Message]] = []  # messages read raw
        self.messages: list[Message] = []
        self.charset = "UTF-8"

    def read(self, data: bytes | str) -> Catalog:
        if isinstance(data, str):
            text = data[1:] if data.startswith("\ufeff") else data
            self._start(text, not text.isascii() and _has_surrogates(text), "utf-8")
            self._run(0, 1)
        else:
            self.data = data[3:] if data.startswith(_BOM) else data
            self.raw = True
            latin = self.data.decode("latin-1")  # the bytes gettext reads raw, one character each
            usual = self._usual_header(latin) if FAST and "\0" not in latin and "\x04" not in latin else None
            if usual is None:
                restart = self._general(self._tokens(latin, 0, 1, False, False, False, "latin-1"))
            else:
                at, lineno, comment = usual
                self.cursor = (at, lineno, False, False)
                comment = self._switch(comment)
                if comment[0] == _COMMENT:
                    self.comments, self.first_line = [comment[1]], comment[4]
                restart = (0, lineno)
            if self.raw:  # no header: gettext never converts; we take the bytes as UTF-8
                self._build_raw("utf-8")
            elif restart is not None:
                self._run(*restart)
        messages = self.messages
        header = next((m for m in messages if m.msgctxt is None and m.msgid == "" and not m.obsolete), None)
        if header is None:
            return Catalog(tuple(messages), Message(""), self.charset)
        if isinstance(data, str):
            self.charset = header_charset(header.plural_forms[0] if header.plural_forms else header.msgstr)
        return Catalog(tuple(m for m in messages if m is not header), header, self.charset)

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
            restart = self._general(self._tokens(self.text, at, lineno, False, False, self.checked, self.codec))
            if restart is None:
                return
            at, lineno = restart

    def _entries(self, at: int, lineno: int, limit: int = -1) -> tuple[int, int]:
        """Read the entries :data:`_NOTES` (or :data:`_COMMENTS`) and :data:`_LIVE` (or
        :data:`_OBSOLETE`) match from *at*, at most *limit*; return where they end."""
        text, messages = self.text, self.messages
        usual = _USUAL.match
        while limit:
            limit -= 1
            found = None if self.comments else usual(text, at)
            if found is not None:  # the usual entry, in short
                groups = found.groups()
                msgid, msgstr, plural = groups[8], groups[9], groups[10]
                if groups[5] is None and plural is None:
                    heard = _usual_notes(*groups[:4])
                    context = None if groups[7] is None else _joined(groups[7], '"\n"')
                    first = lineno + found.start(1) - at
                    msgid, msgstr = _joined(msgid, '"\n"'), _joined(msgstr, '"\n"')
                    messages.append(Message(msgid, msgstr, context, None, (), *heard, None, None, None, False, first))
                    end = found.end()
                    lineno += text.count("\n", at, end)
                    at = end
                    continue
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
            heard = _usual_notes(*notes.groups()) if comments is None else _notes(comments)
            source, translation = _joined(msgid, separator), "" if msgstr is None else _joined(msgstr, separator)
            context, plural = context and _joined(context, separator), plural and _joined(plural, separator)
            previous = (previous_context, previous_msgid, previous_plural)
            messages.append(Message(source, translation, context, plural, forms, *heard, *previous, old, first))
            self.comments, self.first_line = [], None
            lineno += text.count("\n", at, found.end())
            at = found.end()
        return at, lineno

    # -- the lexer (po-lex.c) --------------------------------------------------------------

    def _tokens(
        self, text: str, at: int, lineno: int, obsolete: bool, previous: bool, checked: bool, codec: str
    ) -> Iterator[Token]:
        """The tokens of *text* from offset *at*, line *lineno* (with these #~ and #| states), each
        with :attr:`cursor` and :attr:`restart` set for it."""
        end = len(text)
        carry = previous  # "#|" stays in force on the line after a comment that followed it
        while True:
            start, first = at, lineno
            joins: list[int] = []
            parts: list[str] = []
            clean = not obsolete and not carry
            while True:  # a backslash before a line end joins the lines
                newline = text.find("\n", at)
                last = newline < 0
                line = text[at:] if last else text[at:newline]
                at = end if last else newline + 1
                if last or not line.endswith("\\"):
                    parts.append(line)
                    break
                parts.append(line[:-1])
                joins.append((joins[-1] if joins else 0) + len(line) - 1)
                lineno += 1
            line = parts[0] if len(parts) == 1 else "".join(parts)
            tokens, marks, carry, error = _lex(line, first, joins, last, obsolete, carry, checked, codec)
            obsolete = False
            for index, (token, (column, old, before)) in enumerate(zip(tokens, marks, strict=True)):
                if token[0] == _COMMENT:
                    self.cursor = (at, lineno if last else lineno + 1, False, before)
                else:
                    crossed = bisect_right(joins, column)
                    self.cursor = (start + column + 2 * crossed, first + crossed, old, before)
                self.restart = (start, first) if index == 0 and clean else None
                yield token
            if error is not None:
                raise error.at(self.path)
            if last:
                self.cursor, self.restart = (end, lineno, False, False), None
                yield (_EOF, "", False, lineno, lineno)
                return
            lineno += 1

    def _usual_header(self, latin: str) -> tuple[int, int, Token | None] | None:
        """Read the header, if it is the first entry and :meth:`_entries` reads it (no character
        outside ASCII in its comments): where the file goes on, its line, and the comment
        there, read raw as gettext reads the token after the header."""
        self.text = latin
        at, lineno = self._entries(0, 1, 1)
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
        self.records.append(lambda fix: _fixed(header, fix))
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
        comment = _lex(line, lineno, (), newline < 0, False, False, False, "latin-1")[0][0]
        return (len(latin), lineno, comment) if newline < 0 else (newline + 1, lineno + 1, comment)

    def _switch(self, lookahead: Token | None) -> Token:
        """Go on in the charset the header names; the token after the header was read raw, as
        gettext reads it before it knows the charset."""
        msgstr = self.header or ""
        name = _charset_named(msgstr)
        canonical = _canonical(name)
        codec = _codec(canonical or name or "")
        if canonical is not None and codec is None:
            raise CatalogError(f'the charset "{canonical}" is not supported', self.path, self.header_line)
        self.charset = header_charset(msgstr)
        codec = codec or "utf-8"
        self._build_raw(codec)
        if lookahead is None:
            lookahead = (_EOF, "", False, 0, 0)  # not read: the caller goes on from the cursor
        elif lookahead[0] == _COMMENT:
            lookahead = (_COMMENT, _transcoded(lookahead[1], codec), lookahead[2], lookahead[3], lookahead[4])
        offset, lineno, obsolete, previous = self.cursor
        rest, checked = self.data[offset:], False
        if canonical is None:  # gettext does not convert: nothing is checked
            text = rest.decode(codec, "replace")
        else:
            try:
                text = rest.decode(codec)
            except UnicodeDecodeError:
                text, checked = rest.decode(codec, "surrogateescape"), True
        self._start(text, checked, codec)
        self.next = self._tokens(self.text, 0, lineno, obsolete, previous, checked, codec).__next__
        return lookahead

    def _build_raw(self, codec: str) -> None:
        """Build the messages read raw, their bytes decoded with *codec* (unchecked, as gettext leaves them)."""
        for record in self.records:
            self.messages.append(record(lambda text: _transcoded(text, codec)))
        self.records.clear()
        self.raw = False

    # -- the parser (po-gram-gen.y) -------------------------------------------------------

    def _general(self, tokens: Iterator[Token] | None, token: Token | None = None) -> tuple[int, int] | None:
        """Parse *tokens* (or go on, from *token*) to the end of the file (None), or to the end of a
        message after which a line starts clean (its offset and number), if entries may be read
        whole again there."""
        if tokens is not None:
            self.next = tokens.__next__
        if token is None:
            token = self.next()
        while True:
            kind = token[0]
            if kind == _COMMENT:
                if self.first_line is None:
                    self.first_line = token[4]
                self.comments.append(token[1])
                token = self.next()
            elif kind in _INTRO:
                token = self._message(token)
                if self.header is not None and self.raw:
                    token = self._switch(token)
                elif self.restart is not None and self.fast and not self.raw:
                    return self.restart
            elif kind == _EOF:
                return None
            elif kind == _DOMAIN:
                name = self._expect(_STRING)
                raise CatalogError(f"'domain {name[1]}' directive: a catalogue has one domain", self.path, name[3])
            else:
                self._syntax(token)

    def _message(self, token: Token) -> Token:
        """Read one message from its first keyword; return the token after it."""
        first_line = self.first_line if self.first_line is not None else token[4]
        previous: _Previous = (None, None, None)
        intro: Token | None = None  # the previous msgid
        if token[0] == _PREV_MSGCTXT or token[0] == _PREV_MSGID:
            context = plural = None
            if token[0] == _PREV_MSGCTXT:
                context, token = self._keyword_strings(token, _PREV_STRING)
                if token[0] != _PREV_MSGID:
                    self._syntax(token)
                self._same(self.keyword, self.strings)
                self._same(self.keyword, token)
            intro = token
            msgid, token = self._keyword_strings(token, _PREV_STRING)
            strings = self.strings
            if token[0] == _PREV_MSGID_PLURAL:
                plural, token = self._keyword_strings(token, _PREV_STRING)
                self._same(self.keyword, self.strings)
                self._same(intro, strings)
                self._same(intro, self.keyword)
            else:
                self._same(intro, strings)
            previous = (context, msgid, plural)
            if token[0] != _MSGID and token[0] != _MSGCTXT:
                self._syntax(token)
        msgctxt = None
        if token[0] == _MSGCTXT:
            msgctxt, token = self._keyword_strings(token, _STRING)
            if token[0] != _MSGID:
                self._syntax(token)
            self._same(self.keyword, self.strings)
            self._same(self.keyword, token)
        if intro is not None:
            self._same(intro, token)
        intro = token
        msgid, token = self._keyword_strings(token, _STRING)
        msgid_strings = self.strings
        msgstr, msgid_plural = "", None
        forms: list[str] = []
        if token[0] == _MSGSTR:
            keyword, token = token, self.next()
            if token[0] == _STRING:
                msgstr, token = self._strings(token)
                for part in (msgid_strings, keyword, self.strings):
                    self._same(intro, part)
            elif token[0] == _LBRACKET:
                forms, token = self._plural_forms(keyword, token)
                self._same(intro, msgid_strings)
                self._same(intro, keyword)
                raise CatalogError("missing 'msgid_plural' section", self.path, intro[3])
            else:
                self._syntax(token)
        elif token[0] == _MSGID_PLURAL:
            msgid_plural, token = self._keyword_strings(token, _STRING)
            keyword = self.keyword
            self._same(keyword, self.strings)
            self.plural_counter = 0
            firsts: tuple[Token, ...] = ()
            if token[0] == _MSGSTR:
                forms, token = self._plural_forms(token, self.next())
                firsts = self.plural_first
            for part in (msgid_strings, keyword, *firsts):
                self._same(intro, part)
            if not forms:
                raise CatalogError("missing 'msgstr[]' section", self.path, intro[3])
        else:
            self._same(intro, msgid_strings)
            raise CatalogError("missing 'msgstr' section", self.path, intro[3])
        comments, obsolete = self.comments, intro[2]
        self.comments, self.first_line = [], None

        def build(fix: Callable[[str], str] | None) -> Message:
            return _message(first_line, msgctxt, msgid, msgid_plural, msgstr, forms, previous, obsolete, comments, fix)

        if not self.raw:
            self.messages.append(build(None))
        else:
            self.records.append(build)
            if msgctxt is None and msgid == "" and not obsolete and self.header is None:
                self.header = forms[0] if forms else msgstr  # now gettext knows the charset
                self.header_line = first_line
        return token

    def _plural_forms(self, keyword: Token, token: Token) -> tuple[list[str], Token]:
        """Read ``msgstr[N] "..."`` from the first keyword and the token after it, while they
        last: the forms, the token after them (:attr:`plural_first` is the first keyword)."""
        forms: list[str] = []
        self.plural_first = (keyword,)
        while True:
            if token[0] != _LBRACKET:
                self._syntax(token)
            number, closing = self._expect(_NUMBER), self._expect(_RBRACKET)
            value, following = self._strings(self._expect(_STRING))
            for part in (token, number, closing, self.strings):
                self._same(keyword, part)
            if len(number[1]) > 18 or int(number[1]) != self.plural_counter:  # atol: any number
                reason = (
                    "first plural form has nonzero index" if not self.plural_counter else "plural form has wrong index"
                )
                raise CatalogError(reason, self.path, keyword[3])
            self.plural_counter += 1
            self._same(self.plural_first[0], keyword)
            forms.append(value)
            if following[0] != _MSGSTR:
                return forms, following
            keyword, token = following, self.next()

    def _keyword_strings(self, keyword: Token, kind: int) -> tuple[str, Token]:
        """The strings after *keyword* (:attr:`keyword`, :attr:`strings` the first) and the token after them."""
        self.keyword = keyword
        return self._strings(self._expect(kind))

    def _strings(self, first: Token) -> tuple[str, Token]:
        """A string and those that follow it (:attr:`strings` is the first): their text, the token after."""
        self.strings = first
        token = self.next()
        if token[0] != first[0]:
            return first[1], token
        parts = [first[1]]
        while token[0] == first[0]:
            self._same(first, token)
            parts.append(token[1])
            token = self.next()
        return "".join(parts), token

    def _expect(self, kind: int) -> Token:
        token = self.next()
        if token[0] != kind:
            self._syntax(token)
        return token

    def _same(self, first: Token, then: Token) -> None:
        if first[2] != then[2]:
            raise CatalogError("inconsistent use of #~", self.path, then[3])

    def _syntax(self, token: Token) -> None:
        shown = _SHOWN.get(token[0]) or f'"{token[1]}"'
        raise CatalogError(f"syntax error: {shown} cannot come here", self.path, token[3])

    plural_first: tuple[Token, ...] = ()
    keyword: Token
    strings: Token


def _lex(
    line: str, first: int, joins: Sequence[int], last: bool, obsolete: bool, previous: bool, checked: bool, codec: str
) -> tuple[list[Token], list[_Mark], bool, CatalogError | None]:
    """The tokens of one line as po_gram_lex reads them (lines joined at a backslash before
    their end are one, *joins* says where): the tokens, where each ends, whether ``#|`` is in
    force on the next line, and the error that stopped the line if one did.

    *first* is the file's number of the line, *last* whether no line end follows it, *checked*
    whether characters that were no bytes of the charset are refused, *codec* the charset of
    the bytes escapes make.
    """
    tokens: list[Token] = []
    marks: list[_Mark] = []
    size = len(line)
    end = first + len(joins)

    def at(position: int) -> int:
        """The line gettext's position is on once it has read the character at *position*."""
        return first + bisect_right(joins, position) if joins else first

    def fail(reason: str, where: int) -> tuple[list[Token], list[_Mark], bool, CatalogError]:
        return tokens, marks, False, CatalogError(reason, "", where)

    def undecoded(position: int) -> bool:
        return checked and position < size and "\ud800" <= line[position] <= "\udfff"

    i = 0
    while i < size:
        char = line[i]
        if char in _BLANK:
            i += 1
            continue
        if undecoded(i):
            return fail("invalid multibyte sequence", at(i))
        if char == "#":
            if undecoded(i + 1):  # gettext checks the character after "#"
                return fail("invalid multibyte sequence", at(i + 1))
            following = line[i + 1 : i + 2]
            if following == "~" or following == "|":
                obsolete = obsolete or following == "~"
                previous = previous or following == "|"
                i += 2
                if following == "~" and line[i : i + 1] == "|":
                    previous, i = True, i + 1
                elif following == "~" and undecoded(i):
                    return fail("invalid multibyte sequence", at(i))
                continue
            comment = line[i + 1 :]
            if "\0" in comment:  # gettext's comments are C strings
                comment = comment[: comment.index("\0")]
            elif comment.endswith("\r") and not last:
                comment = comment[:-1]
            if checked:
                comment = _UNDECODED.sub("\ufffd", comment)
            tokens.append((_COMMENT, comment, obsolete, end if last else end + 1, at(i)))
            marks.append((size, False, previous))
            return tokens, marks, previous, None
        if char == '"':
            parts: list[str | int] = []
            j = i + 1
            while True:
                stop = _STRING_STOP.search(line, j)
                k = size if stop is None else stop.start()
                if k > j:
                    chunk = line[j:k]
                    if checked and (bad := _UNDECODED.search(chunk)):
                        return fail("invalid multibyte sequence", at(j + bad.start()))
                    parts.append(chunk)
                if stop is None:
                    if last:
                        return fail("end-of-file within string", end)
                    return fail("end-of-line within string", end + 1)
                j = k + 1
                if line[k] == '"':
                    break
                escape = line[j : j + 1]
                if escape and escape in _ESCAPES:
                    parts.append(_ESCAPES[escape])
                    j += 1
                elif escape and escape in "01234567":
                    digits, j = escape, j + 1
                    while len(digits) < 3 and line[j : j + 1] and line[j] in "01234567":
                        digits, j = digits + line[j], j + 1
                    parts.append(int(digits, 8) & 0xFF)
                elif escape == "x" and (hexes := _HEX.match(line, j + 1)) and hexes.end() > j + 1:
                    parts.append(int(hexes.group()[-2:], 16))  # a char keeps the low byte
                    j = hexes.end()
                else:
                    where = j + 1 if escape == "x" else j
                    if undecoded(where):
                        return fail("invalid multibyte sequence", at(where))
                    return fail("invalid control sequence", at(where) if where < size else end)
            value = _string_value(parts, codec)
            if "\0" in value:  # gettext's strings are C strings
                value = value[: value.index("\0")]
            if "\x04" in value:
                return fail("context separator <EOT> within string", at(k))
            tokens.append((_PREV_STRING if previous else _STRING, value, obsolete, at(k), at(i)))
        elif char in _NAME_START or "0" <= char <= "9":
            word_end = (_NAME_REST if char in _NAME_START else _DIGITS).match(line, i + 1)
            j = word_end.end() if word_end else i + 1
            if undecoded(j):  # read to see that the word has ended
                return fail("invalid multibyte sequence", at(j))
            word = line[i:j]
            kind = (_PREV_KEYWORDS if previous else _KEYWORDS).get(word) if char in _NAME_START else _NUMBER
            if kind is None:
                return fail(f'keyword "{word}" unknown', at(j))
            tokens.append((kind, word, obsolete, at(j), at(i)))
        else:
            kind = _LBRACKET if char == "[" else _RBRACKET if char == "]" else _JUNK
            tokens.append((kind, char, obsolete, at(i), at(i)))
            j = i + 1
        marks.append((j, obsolete, previous))
        i = j
    return tokens, marks, False, None


def _string_value(parts: list[str | int], codec: str) -> str:
    """A string's text: its characters and the bytes octal and hex escapes make, in the file's
    charset (gettext copies the bytes unchecked: one that is no character becomes U+FFFD)."""
    if all(isinstance(part, str) for part in parts):
        return "".join(part for part in parts if isinstance(part, str))
    data = bytearray()
    for part in parts:
        if isinstance(part, int):
            data.append(part)
        else:
            data += part.encode(codec, "surrogateescape")
    return data.decode(codec, "replace")


def _joined(strings: str, separator: str) -> str:
    """The text of one string a line, ``"a"\\n"b"`` (*separator* the end of a line and the
    start of the next): joined, unescaped. Only between two strings are a quote, a line end
    and a quote together."""
    value = strings[1:-1]
    if '"\n' in value:
        value = value.replace(separator, "")
    return _SIMPLE_ESCAPE.sub(_simple_escape, value) if "\\" in value else value


def _simple_escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group(1)]


def _transcoded(text: str, codec: str) -> str:
    """Bytes read as Latin-1, decoded with *codec* (unchecked: a byte that is no character is U+FFFD)."""
    return text if text.isascii() else text.encode("latin-1").decode(codec, "replace")


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# -- messages and comments (read-catalog.c, read-catalog-abstract.c) -----------------------


def _message(
    line: int,
    msgctxt: str | None,
    msgid: str,
    msgid_plural: str | None,
    msgstr: str,
    forms: list[str],
    previous: _Previous,
    obsolete: bool,
    comments: list[str],
    fix: Callable[[str], str] | None,
) -> Message:
    """A message as the parser read it; *fix* decodes the texts of one read raw."""
    if fix is not None:

        def maybe(text: str | None) -> str | None:
            return None if text is None else fix(text)

        msgctxt, msgid, msgid_plural, msgstr = maybe(msgctxt), fix(msgid), maybe(msgid_plural), fix(msgstr)
        forms = [fix(form) for form in forms]
        previous = (maybe(previous[0]), maybe(previous[1]), maybe(previous[2]))
        comments = [fix(comment) for comment in comments]
    return Message(msgid, msgstr, msgctxt, msgid_plural, tuple(forms), *_notes(comments), *previous, obsolete, line)


def _usual_notes(
    translator: str, extracted: str, references: str, flags: str
) -> tuple[str, str, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """:func:`_notes` of comment lines in the usual order, each kind a block of whole lines
    (nearly always one "#." line, one "#:" line, perhaps "#, fuzzy")."""
    if "ile:" in translator:  # perhaps a Solaris reference
        return _notes([line[1:] for line in (translator + extracted + references + flags).split("\n")[:-1]])
    if translator:
        translator = "\n".join([line[2:] for line in translator[:-1].split("\n")])
    if extracted:
        extracted = _EXTRACTED.get(extracted) or _remembered(_EXTRACTED, extracted, _extracted(extracted))
    found: tuple[tuple[str, str], ...] = ()
    if references:
        line = references
        lines = references.count("\n")
        if lines > 1 and references.count("\n#: ") == lines - 1:  # the lines as one: " name:line" each
            line, lines = references.replace("\n#:", ""), 1
        end = len(line) - 1
        if lines == 1 and _USUAL_REFERENCES.fullmatch(line, 2, end):
            pairs = _REFERENCE.findall(line, 2, end)
            found = tuple(pairs) if len(pairs) == 1 else tuple(dict.fromkeys(pairs))
        else:
            every: dict[tuple[str, str], None] = {}
            for line in references[:-1].split("\n"):
                every.update(dict.fromkeys(_references(line[2:])))
            found = tuple(every)
    words = (_FLAG_LINES.get(flags) or _remembered(_FLAG_LINES, flags, _flag_lines(flags))) if flags else ()
    return translator, extracted, found, words


# A catalogue repeats a few blocks of extracted comments and of flags: what they say, by block.
_EXTRACTED: dict[str, str] = {}
_FLAG_LINES: dict[str, tuple[str, ...]] = {}


def _remembered(seen: dict[str, _T], block: str, value: _T) -> _T:
    if len(seen) > 256:
        seen.clear()
    seen[block] = value
    return value


def _extracted(block: str) -> str:
    return "\n".join([line[3:] if line[2:3] == " " else line[2:] for line in block[:-1].split("\n")])


def _flag_lines(block: str) -> tuple[str, ...]:
    words: dict[str, None] = {}
    for line in block[:-1].split("\n"):
        words.update(dict.fromkeys(_flags(line[2:])))
    return tuple(words)


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


def _notes(comments: list[str]) -> tuple[str, str, tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Translator comments, extracted comments, references and flags, from the text after each ``#``."""
    if not comments:
        return "", "", (), ()
    translator: list[str] = []
    extracted: list[str] = []
    references: dict[tuple[str, str], None] = {}  # gettext keeps a reference once
    flags: dict[str, None] = {}
    for text in comments:
        mark = text[:1]
        if mark == ".":
            extracted.append(text[2:] if text[1:2] == " " else text[1:])
        elif mark == ":":
            for reference in _references(text[1:]):
                references[reference] = None
        elif mark == "," or mark == "!":
            for flag in _flags(text[1:]):
                flags[flag] = None
        elif mark == " " and (solaris := _SOLARIS.fullmatch(text)) is not None:
            references[(solaris.group(1), _line_number(solaris.group(2)))] = None
        else:
            translator.append(text[1:] if mark == " " else text)
    return "\n".join(translator), "\n".join(extracted), tuple(references), tuple(flags)


def _flags(text: str) -> list[str]:
    """The words of a ``#,`` line; ``range:`` takes the word after it, as gettext does."""
    words = [word for word in _FLAG_SEPARATORS.split(text) if word]
    if "range:" not in words:
        return words
    flags: list[str] = []
    while words:
        word = words.pop(0)
        flags.append(f"range: {words.pop(0)}" if word == "range:" and words else word)
    return flags


def _line_number(digits: str) -> str:
    """A reference's line as gettext stores it, in a size_t where -1 means none."""
    if len(digits) < 19:
        return str(int(digits))
    number = 0
    for at in range(0, len(digits), 18):  # int() takes at most 4300 digits
        chunk = digits[at : at + 18]
        number = (number * 10 ** len(chunk) + int(chunk)) % 2**64
    return "" if number == 2**64 - 1 else str(number)


def _references(text: str) -> list[tuple[str, str]]:
    """The (file, line) pairs of a ``#:`` line (line "" when there is none), as gettext 0.22 reads them."""
    if "\u2068" not in text and "\t" not in text:
        words = text.split(" ")
        if all(word[:1] != ":" and word[-1:] != ":" for word in words):
            found = []
            for word in words:
                if word:
                    name, colon, digits = word.rpartition(":")
                    usual = colon and name and digits.isdigit() and digits.isascii()
                    found.append((name, _line_number(digits)) if usual else (word, ""))
            return found
    return _references_exactly(text)


def _references_exactly(text: str) -> list[tuple[str, str]]:
    """:func:`_references` step by step, as parse_comment_filepos goes: a file name (or one
    between isolates), then " : N", ":N" or ": N" after it, or the digits after its last colon."""
    blank, digits = " \t\n", "0123456789"
    found: list[tuple[str, str]] = []
    size, i = len(text), 0
    while i < size:
        while i < size and text[i] in blank:
            i += 1
        if i >= size:
            break
        isolated = text[i] == "\u2068"
        start = i + 1 if isolated else i
        i = start if isolated else i + 1
        while i < size and (text[i] not in "\n\u2069" if isolated else text[i] not in blank):
            i += 1
        name_end = i
        if isolated and i < size and text[i] == "\u2069":
            i += 1
        for colon_first in (True, False):
            p = i
            if colon_first:
                while p < size and text[p] in blank:
                    p += 1
                if text[p : p + 1] != ":":
                    continue
                p += 1
            elif text[i - 1] != ":":
                continue
            while p < size and text[p] in blank:
                p += 1
            q = p
            while q < size and text[q] in digits:
                q += 1
            if q > p and (q == size or text[q] in blank):
                found.append((text[start : name_end if colon_first else i - 1], _line_number(text[p:q])))
                i = q
                break
        else:
            p = i
            while p > start and text[p - 1] in digits:
                p -= 1
            trailing = start + 1 < p < i and text[p - 1] == ":"
            found.append((text[start : p - 1], _line_number(text[p:i])) if trailing else (text[start:name_end], ""))
    return found


# -- charsets (po-charset.c) ---------------------------------------------------------------

_GETTEXT_CHARSETS = [
    *("ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7"),
    *("ISO-8859-8", "ISO-8859-9", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15", "KOI8-R", "KOI8-U", "KOI8-T"),
    *("CP850", "CP866", "CP874", "CP932", "CP949", "CP950", "CP1250", "CP1251", "CP1252", "CP1253", "CP1254"),
    *("CP1255", "CP1256", "CP1257", "GB2312", "EUC-JP", "EUC-KR", "EUC-TW", "BIG5", "BIG5-HKSCS", "GBK"),
    *("GB18030", "SHIFT_JIS", "JOHAB", "TIS-620", "VISCII", "GEORGIAN-PS", "UTF-8"),
]
# Every name po_charset_canonicalize knows (compared without case), and its canonical name.
_CANONICAL = {name: name for name in _GETTEXT_CHARSETS} | {
    "ANSI_X3.4-1968": "ASCII",
    "US-ASCII": "ASCII",
    **{name.replace("ISO-", "ISO_"): name for name in _GETTEXT_CHARSETS if name.startswith("ISO-8859-")},
}


def _charset_named(msgstr: str) -> str | None:
    """What follows the first ``charset=`` of a header, to a space, tab or line end (po_lex_charset_set)."""
    at = msgstr.find("charset=")
    return None if at < 0 else re.split(r"[ \t\n]", msgstr[at + 8 :], maxsplit=1)[0]


def _canonical(name: str | None) -> str | None:
    return _CANONICAL.get(name.upper()) if name is not None and name.isascii() else None


@lru_cache(maxsize=64)
def _codec(name: str) -> str | None:
    """Python's codec for a charset name, if it has one that decodes ASCII as ASCII (backslashes
    included: not unicode_escape, not UTF-16, not rot13...) and can replace what it cannot decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unicode_escape warns of its own invalid escapes
            info = codecs.lookup(name)
            if _ASCII.decode(info.name) != _ASCII.decode("ascii"):
                return None
            b"\xff\xfe\x80\x8e\xa4".decode(info.name, "replace")
    except (LookupError, ValueError, UnicodeError):
        return None
    return info.name


_ASCII = bytes(range(128)) + b"\\n\\x41\\101\\u0041\\\\+-~"
