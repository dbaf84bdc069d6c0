"""The messages of a PO file from its tokens, as GNU gettext's grammar reads them (po-gram-gen.y).

The grammar is gettext's, down to where it reports: "missing 'msgstr' section" on the
msgid's line, a syntax error on the line where the unexpected token ends (the line after a
comment), plural indexes counted from 0 (a counter msgid_plural resets), ``#~`` on every
line of an obsolete entry, a ``domain`` directive refused (a catalogue is one domain).
Until the header names the charset, messages are kept raw, to be built once their bytes can
be decoded (read-catalog.c); the reader says how to go on in that charset
(:meth:`Parser._switch`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..errors import CatalogError
from .lexer import (
    COMMENT,
    DOMAIN,
    EOF,
    LBRACKET,
    MSGCTXT,
    MSGID,
    MSGID_PLURAL,
    MSGSTR,
    NUMBER,
    PREV_MSGCTXT,
    PREV_MSGID,
    PREV_MSGID_PLURAL,
    PREV_STRING,
    RBRACKET,
    STRING,
    Lexer,
    Token,
)
from .model import Message
from .notes import flags_of, notes_of

_INTRO = frozenset((MSGCTXT, MSGID, PREV_MSGCTXT, PREV_MSGID))
_Previous = tuple[str | None, str | None, str | None]
_SHOWN = {EOF: "the end of the file", COMMENT: "a comment", STRING: "a string", PREV_STRING: "a #| string"}


class Parser(Lexer):
    """A reading's parser: the messages read so far and what it is in the middle of (gettext
    keeps them in globals). :meth:`parse` reads tokens the lexer makes."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.next: Callable[[], Token] = iter(()).__next__
        self.comments: list[str] = []  # comments since the last message
        self.first_line: int | None = None  # the line of the first of them
        self.plural_counter = 0  # po-gram-gen.y's, reset only by msgid_plural
        self.messages: list[Message] = []
        self.records: list[Callable[[Callable[[str], str] | None], Message]] = []  # messages read raw
        self.raw = False  # reading bytes before the header named the charset
        self.header: str | None = None  # the msgstr of the header, read raw
        self.header_line = 0
        self.fast = False  # whether to stop where the reader may read entries whole again
        self.notes = True  # False: of the comments, keep the flags alone (see reader.read)

    def _switch(self, lookahead: Token) -> Token:
        """Go on in the charset the header names, *lookahead* the token after it read raw; return it."""
        raise NotImplementedError

    def parse(self, tokens: Iterator[Token] | None, token: Token | None = None) -> tuple[int, int] | None:
        """Parse *tokens* (or go on, from *token*) to the end of the file (None), or to the end of a
        message after which a line starts clean (its offset and number), if entries may be read
        whole again there."""
        if tokens is not None:
            self.next = tokens.__next__
        if token is None:
            token = self.next()
        while True:
            kind = token[0]
            if kind == COMMENT:
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
            elif kind == EOF:
                return None
            elif kind == DOMAIN:
                name = self._expect(STRING)
                raise CatalogError(f"'domain {name[1]}' directive: a catalogue has one domain", self.path, name[3])
            else:
                self._syntax(token)

    def _message(self, token: Token) -> Token:
        """Read one message from its first keyword; return the token after it."""
        first_line = self.first_line if self.first_line is not None else token[4]
        previous: _Previous = (None, None, None)
        intro: Token | None = None  # the previous msgid
        if token[0] == PREV_MSGCTXT or token[0] == PREV_MSGID:
            context = plural = None
            if token[0] == PREV_MSGCTXT:
                context, token = self._keyword_strings(token, PREV_STRING)
                if token[0] != PREV_MSGID:
                    self._syntax(token)
                self._same(self.keyword, self.strings)
                self._same(self.keyword, token)
            intro = token
            msgid, token = self._keyword_strings(token, PREV_STRING)
            strings = self.strings
            if token[0] == PREV_MSGID_PLURAL:
                plural, token = self._keyword_strings(token, PREV_STRING)
                self._same(self.keyword, self.strings)
                self._same(intro, strings)
                self._same(intro, self.keyword)
            else:
                self._same(intro, strings)
            previous = (context, msgid, plural)
            if token[0] != MSGID and token[0] != MSGCTXT:
                self._syntax(token)
        msgctxt = None
        if token[0] == MSGCTXT:
            msgctxt, token = self._keyword_strings(token, STRING)
            if token[0] != MSGID:
                self._syntax(token)
            self._same(self.keyword, self.strings)
            self._same(self.keyword, token)
        if intro is not None:
            self._same(intro, token)
        intro = token
        msgid, token = self._keyword_strings(token, STRING)
        msgid_strings = self.strings
        msgstr, msgid_plural = "", None
        forms: list[str] = []
        if token[0] == MSGSTR:
            keyword, token = token, self.next()
            if token[0] == STRING:
                msgstr, token = self._strings(token)
                for part in (msgid_strings, keyword, self.strings):
                    self._same(intro, part)
            elif token[0] == LBRACKET:
                forms, token = self._plural_forms(keyword, token)
                self._same(intro, msgid_strings)
                self._same(intro, keyword)
                raise CatalogError("missing 'msgid_plural' section", self.path, intro[3])
            else:
                self._syntax(token)
        elif token[0] == MSGID_PLURAL:
            msgid_plural, token = self._keyword_strings(token, STRING)
            keyword = self.keyword
            self._same(keyword, self.strings)
            self.plural_counter = 0
            firsts: tuple[Token, ...] = ()
            if token[0] == MSGSTR:
                forms, token = self._plural_forms(token, self.next())
                firsts = self.plural_first
            for part in (msgid_strings, keyword, *firsts):
                self._same(intro, part)
            if not forms:
                raise CatalogError("missing 'msgstr[]' section", self.path, intro[3])
        else:
            self._same(intro, msgid_strings)
            raise CatalogError("missing 'msgstr' section", self.path, intro[3])
        comments, obsolete, notes = self.comments, intro[2], self.notes
        self.comments, self.first_line = [], None

        def build(fix: Callable[[str], str] | None) -> Message:
            return _message(
                first_line, msgctxt, msgid, msgid_plural, msgstr, forms, previous, obsolete, comments, notes, fix
            )

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
            if token[0] != LBRACKET:
                self._syntax(token)
            number, closing = self._expect(NUMBER), self._expect(RBRACKET)
            value, following = self._strings(self._expect(STRING))
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
            if following[0] != MSGSTR:
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
    notes: bool,
    fix: Callable[[str], str] | None,
) -> Message:
    """A message as the parser read it, without its notes but flags unless *notes*; *fix*
    decodes the texts of one read raw."""
    if fix is not None:

        def maybe(text: str | None) -> str | None:
            return None if text is None else fix(text)

        msgctxt, msgid, msgid_plural, msgstr = maybe(msgctxt), fix(msgid), maybe(msgid_plural), fix(msgstr)
        forms = [fix(form) for form in forms]
        previous = (maybe(previous[0]), maybe(previous[1]), maybe(previous[2]))
        comments = [fix(comment) for comment in comments]
    heard = notes_of(comments) if notes else ("", "", (), flags_of(comments))
    return Message(msgid, msgstr, msgctxt, msgid_plural, tuple(forms), *heard, *previous, obsolete, line)
