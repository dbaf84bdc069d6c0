"""Reading PO and POT files: text in, a ``polib.POFile`` out, or one CatalogError naming
the bad line.

polib is our catalogue model and its parser defines the results, but it is slow (and
quadratic in long wrapped strings), and it accepts half-written files. :func:`read`
checks and parses in one pass with polib's own state machine, building the same
objects about four times faster; anything unusual goes to the reference path, our
line checker then ``polib.pofile``. tests/test_catalog_read.py holds the two to the
same results, field by field, on real, generated and damaged catalogues.

A build needs only the usable translations of each catalogue: :func:`usable` scans for
them without making polib objects, and reads whole, with :func:`read`, what it does not
know; tests/test_po_read_usable.py holds it to ``catalog.translations(read(...))``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager

import polib

from .errors import CatalogError

_POLIB_LINE = re.compile(r"\(line (\d+)\)")


def read(text: str, path: str) -> polib.POFile:
    """Parse PO/POT text (BOM and CRLF tolerated); CatalogError names the bad line.

    The text is checked as it is read: polib accepts an unterminated string (dropping
    its last character) and a msgid without msgstr, which is how a half-written file
    looks. One pass over the lines checks them and builds the polib objects
    (:func:`_read_lines`), with exactly the results of the former pipeline, the checker
    :func:`_checked` then ``polib.pofile`` (about four times slower). What that pass does
    not handle itself - layouts no writer produces, lines polib refuses, a lone carriage
    return - goes to the former pipeline (:func:`_read_reference`), so results and error
    messages stay the same there too.

    Both read lines as gettext does, where polib does not (see :func:`_guarded`): a line
    ends at "\n" alone, not at the other line breaks of ``str.splitlines`` (gettext and
    our writer write U+2028 raw in a string), and a reference in U+2068 ... U+2069 is one
    file name, spaces and all (gettext 0.22 writes a name with spaces so).
    """
    text, plain = _normalised(text)
    if plain:
        try:
            return _read_lines(text, path)
        except _Unusual:
            pass
    return _read_reference(text, path)


def usable(text: str, path: str) -> dict[str, str]:
    """The usable translations of PO/POT text: exactly ``catalog.translations(read(text, path))``.

    The same dict, keys in the same order, and for bad text the same CatalogError (or
    whatever else :func:`read` raises). It is what a build needs of a catalogue, in about
    a third of the time: a catalogue in the layout our writer (or polib's) produces is
    scanned entry by entry (:func:`_usable_entries`) without making polib objects;
    anything else - msgctxt, plural forms, stray white space, a second header,
    damage - is read whole by :func:`read`.
    """
    plain_text, plain = _normalised(text)
    if plain:
        try:
            return _usable_entries(plain_text)
        except _Unusual:
            pass
    # catalog imports this module, so it is imported here, where it is needed, and rarely.
    from .catalog import translations

    return translations(read(text, path))


def _normalised(text: str) -> tuple[str, bool]:
    r"""The text without BOM and CRLF, and whether the one-pass readers may take it: they
    split at "\n" only, so a lone carriage return (a line break for polib) is left to it."""
    text = text.lstrip("\ufeff")
    if "\r" in text:  # finding one character is ~40 times faster than finding two
        text = text.replace("\r\n", "\n")
    return text, not any(mark in text for mark in _OTHER_BREAKS)


def _read_reference(text: str, path: str) -> polib.POFile:
    """The reference reader: check and join the lines, then let polib parse the result."""
    text, guarded = _guarded(text, references=True)
    if not guarded:
        return _reference(text, path)
    with _restoring_messages():
        return _restored(_reference(text, path), references=True)


def _reference(text: str, path: str) -> polib.POFile:
    joined, origin = _checked(text, path)
    try:
        po = polib.pofile(joined, wrapwidth=79)
    except (OSError, ValueError, UnicodeError) as exc:
        found = _POLIB_LINE.search(str(exc))
        line = origin[min(int(found.group(1)), len(origin)) - 1] if found and origin else None
        reason = str(exc).split(" (line")[0].replace(" in po file ", " ").strip()
        raise CatalogError(reason or "cannot parse the catalogue", path, line) from None
    for entry in po:  # polib counted the lines of the joined text
        if entry.linenum is not None and 0 < entry.linenum <= len(origin):
            entry.linenum = origin[entry.linenum - 1]
    return po


class _Unusual(Exception):
    """A line :func:`_read_lines` leaves to :func:`_read_reference`."""


# The line break of str.splitlines() (so of polib) other than "\n" that the one-pass readers
# leave to polib: a lone carriage return. The others are read as gettext reads them (_guarded).
_OTHER_BREAKS = "\r"


# --- reading lines as gettext does ------------------------------------------------------------

# gettext ends a line at "\n" alone; str.splitlines() (so polib's parser and _read_lines'
# split) also at these, which gettext and po_layout write raw in a string: an article holding
# a U+2028 made catalogues that failed to read back ("Syntax error in po file"). While the
# lines are split, each is replaced by a private-use stand-in, and put back in every field.
_RAW_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# gettext 0.22 writes a reference to a file name with spaces inside U+2068 ... U+2069 and reads
# it as one name; polib splits it at the spaces (a catalogue read and written again then held
# "articles/my" and "story.html"). A space or tab inside the isolates gets a stand-in too.
_ISOLATED = re.compile("\u2068[^\u2069\n]*\u2069?")
# gettext reads "\a" in a string as U+0007 (and po_layout writes it so); polib leaves it as a
# backslash and an "a", so a translation holding a U+0007 came back changed. The escape gets a
# stand-in, put back as U+0007 in strings and as written in comments (which are not unescaped).
_ESCAPE_PAIR = re.compile(r"\\(.)")
# White space str.split() (so polib) takes for a separator between references, where gettext
# takes a space or a tab alone (and our writer writes a file name holding one of these as it
# is): "articles/\xa0x.html" came back as "articles/" and "x.html". Stand-ins in "#:" lines.
_NAME_SPACES = "\x1f\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_GUARDED = _RAW_BREAKS + " \t" + _NAME_SPACES
_STAND_INS = "".join(chr(code) for code in range(0x10FFC0, 0x10FFC0 + len(_GUARDED) + 1))
_STAND_IN = re.compile(f"[{_STAND_INS}]")
_BELL = _STAND_INS[-1]
_GUARD_BREAKS = str.maketrans(_RAW_BREAKS, _STAND_INS[: len(_RAW_BREAKS)])
_GUARD_SPACES = str.maketrans(" \t", _STAND_INS[len(_RAW_BREAKS) : len(_RAW_BREAKS) + 2])
_GUARD_NAME_SPACES = str.maketrans(_NAME_SPACES, _STAND_INS[len(_RAW_BREAKS) + 2 : -1])
_RESTORE = str.maketrans(_STAND_INS, _GUARDED + "\x07")  # in strings
# in comments, references and flags
_RESTORE_AS_WRITTEN = str.maketrans({**dict(zip(_STAND_INS, _GUARDED, strict=False)), _BELL: "\\a"})
# What makes a text need stand-ins (searched one by one: a regular expression with these
# classes takes ten times as long over a large catalogue).
_TO_GUARD = (*_RAW_BREAKS, "\\a")
_REFERENCES = r"^([^\S\n]*(?:#~ [^\S\n]*)?#: )([^\n]*)"  # a "#:" line as polib finds one, and its words
_REFERENCE_LINE = re.compile(_REFERENCES, re.MULTILINE)
# How an error message (a repr) shows a stand-in, and what it stands for.
_SHOWN_STAND_INS = tuple(
    (repr(a)[1:-1], repr(b)[1:-1]) for a, b in zip(_STAND_INS, [*_GUARDED, "\\a"], strict=True)
)


def _guarded(text: str, references: bool) -> tuple[str, bool]:
    """The text with the stand-ins in (see :data:`_RAW_BREAKS`), and whether any was needed;
    with *references*, in the words of "#:" lines too (see :func:`_reference_words`).

    Text that already holds a stand-in (a private-use character of plane 16) is read as
    polib reads it: its stand-ins could not be told from ours.
    """
    names = references and ("\u2068" in text or any(space in text for space in _NAME_SPACES))
    if not names and not any(mark in text for mark in _TO_GUARD):
        return text, False
    if any(stand_in in text for stand_in in _STAND_INS):
        return text, False
    text = text.translate(_GUARD_BREAKS)
    if names:
        text = _REFERENCE_LINE.sub(lambda match: match.group(1) + _guarded_words(match.group(2)), text)
    if "\\a" in text:  # escapes are pairs, read from the left: in "\\\\a" the "a" is a letter
        text = _ESCAPE_PAIR.sub(lambda match: _BELL if match.group(1) == "a" else match.group(), text)
    return text, True


def _guarded_words(words: str) -> str:
    """The words of a "#:" line with stand-ins for white space that does not separate them."""
    words = words.translate(_GUARD_NAME_SPACES)
    if "\u2068" in words:
        words = _ISOLATED.sub(lambda match: match.group().translate(_GUARD_SPACES), words)
    return words


def _reference_words(words: str) -> list[str]:
    """The words of a "#:" line as gettext reads them: separated by spaces and tabs, a
    name in U+2068 ... U+2069 one word (stand-ins inside, which :func:`_file_name` puts back).

    Raises :class:`_Unusual` for words holding a stand-in already (see :func:`_guarded`).
    """
    if _STAND_IN.search(words) is not None:
        raise _Unusual
    return _guarded_words(words).split()


def _back(value: str) -> str:
    return value.translate(_RESTORE)


def _as_written(value: str) -> str:
    return value.translate(_RESTORE_AS_WRITTEN)


def _file_name(name: str) -> str:
    """A reference's file name without the isolates gettext 0.22 writes around one with spaces."""
    name = _as_written(name)
    if name.startswith("\u2068"):
        name = name[1:-1] if name.endswith("\u2069") else name[1:]
    return name


# The fields that hold strings (unescaped), and those that hold comments (as written).
_STRING_FIELDS: tuple[str, ...] = ("msgid", "msgstr", "msgid_plural", "msgctxt", "previous_msgctxt")
_STRING_FIELDS += ("previous_msgid", "previous_msgid_plural")
_COMMENT_FIELDS = ("comment", "tcomment")


def _restored(po: polib.POFile, references: bool) -> polib.POFile:
    """*po* read from guarded text, with every stand-in put back (in references too, when
    _guarded put them there: the one-pass reader puts them back as it reads)."""
    po.header = _as_written(po.header)
    metadata = {_back(key): _back(value) for key, value in po.metadata.items()}
    po.metadata.clear()
    po.metadata.update(metadata)
    if isinstance(po.metadata_is_fuzzy, list):  # polib keeps the header's flags there
        po.metadata_is_fuzzy[:] = [_as_written(flag) for flag in po.metadata_is_fuzzy]
    for entry in po:
        fields = vars(entry)
        for name in _STRING_FIELDS:
            value = fields[name]
            if value:
                fields[name] = _back(value)
        for name in _COMMENT_FIELDS:
            value = fields[name]
            if value:
                fields[name] = _as_written(value)
        if entry.msgstr_plural:
            entry.msgstr_plural = {key: _back(value) for key, value in entry.msgstr_plural.items()}
        if entry.flags:
            entry.flags = [_as_written(flag) for flag in entry.flags]
        if references and entry.occurrences:
            entry.occurrences = [(_file_name(name), _as_written(line)) for name, line in entry.occurrences]
    return po


@contextmanager
def _restoring_messages() -> Iterator[None]:
    """CatalogError messages made from guarded text, with the stand-ins shown as what they stand for."""
    try:
        yield
    except CatalogError as exc:
        message = exc.message
        for shown, meant in _SHOWN_STAND_INS:
            message = message.replace(shown, meant)
        raise CatalogError(message, exc.path, exc.line) from None

# polib.unescape: exactly these escapes; a backslash before anything else stays as written.
_ESCAPE = re.compile(r'\\(\\|n|t|r|v|b|f|")')
_ESCAPED = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\", '"': '"'}
_CHARSET = re.compile(r'"?Content-Type:.+? charset=([\w_\-:\.]+)')  # as polib.detect_encoding
_PLAIN_KEYWORDS = frozenset(("msgid", "msgstr", "msgctxt", "msgid_plural"))
_PREVIOUS = {"msgctxt": "previous_msgctxt", "msgid": "previous_msgid", "msgid_plural": "previous_msgid_plural"}
# The states of polib's parser (_POFileParser): start, header comment, translator comment,
# generated comment, occurrences, flags, msgctxt, #| msgctxt, #| msgid, #| msgid_plural,
# msgid, msgid_plural, msgstr, msgstr[n].
_ST, _HE, _TC, _GC, _OC, _FL, _CT, _PC, _PM, _PP, _MI, _MP, _MS, _MX = range(14)  # state >= _MS: msgstr read
_CONTINUED = frozenset((_CT, _PC, _PM, _PP, _MI, _MP, _MS, _MX))  # a string line continues the field
_PREVIOUS_STATE = {"previous_msgctxt": _PC, "previous_msgid": _PM, "previous_msgid_plural": _PP}


def _unescape(match: re.Match[str]) -> str:
    return _ESCAPED[match.group(1)]


def _unescaped(value: str) -> str:
    """A string's text as polib.unescape makes it."""
    return _ESCAPE.sub(_unescape, value) if "\\" in value else value


def _flags(line: str) -> list[str]:
    """The flags of a ``#,`` line (stripped, longer than two characters), as polib splits them."""
    return [flag.strip() for flag in line[3:].split(",")]


def _store(entry: polib.POEntry, field: str, plural: int, parts: list[str]) -> None:
    """Set the field a keyword line opened: its strings joined, then unescaped."""
    # every part is a whole string, so unescaping the join is unescaping each
    value = _unescaped(parts[0] if len(parts) == 1 else "".join(parts))
    if field:
        setattr(entry, field, value)
    else:
        entry.msgstr_plural[plural] = value


_BLANK_ENTRY = vars(polib.POEntry())  # polib's entry attributes and their defaults, in its order


def _entry(linenum: int) -> polib.POEntry:
    """``polib.POEntry(linenum=linenum)``, made without its keyword-argument lookups."""
    entry: polib.POEntry = object.__new__(polib.POEntry)
    fields = _BLANK_ENTRY.copy()
    fields["msgstr_plural"] = {}
    fields["occurrences"] = []
    fields["flags"] = []
    fields["linenum"] = linenum
    entry.__dict__ = fields
    return entry


def _check_body(body: str, number: int, path: str) -> None:
    """The checks :func:`_checked` makes of one line (its ``#~``/``#|`` prefix removed)."""
    if body.startswith('"'):
        if not _STRING.fullmatch(body):
            raise CatalogError("unterminated string", path, number)
    elif body and not body.startswith("#"):
        keyword = _KEYWORD.fullmatch(body)
        if keyword is None:
            raise CatalogError(f"cannot read {body.split()[0]!r}", path, number)
        if not _STRING.fullmatch(keyword.group(2).strip()):
            raise CatalogError("unterminated string", path, number)


def _read_lines(text: str, path: str) -> polib.POFile:
    """Check and parse in one pass, as :func:`_checked` and polib's parser would together
    (lines read as gettext reads them: see :func:`_guarded`)."""
    text, guarded = _guarded(text, references=False)  # references: see _reference_words
    if not guarded:
        return _one_pass(text, path)
    with _restoring_messages():
        return _restored(_one_pass(text, path), references=False)


def _one_pass(text: str, path: str) -> polib.POFile:
    """:func:`_read_lines` on guarded text.

    Lines are handled as polib handles them: the same state machine, the same fields
    (an entry's ``linenum`` is the line that started it, 0 for the first entry; ``#~|``
    lines are skipped; the last entry is kept only if the last line is not a comment).
    A string line continues the field of the keyword before it, which is what joining
    it to that line (as :func:`_checked` does) amounts to. Raises :class:`_Unusual`
    where a line is not in the layouts handled here or polib would refuse it.
    """
    entries: list[polib.POEntry] = []
    entry = _entry(0)
    header = ""
    state = _ST
    field = ""  # the field the open string goes to, "" for msgstr[plural]
    plural = 0
    parts: list[str] = []  # the strings of the open field, still escaped
    open_msgid: int | None = None
    keep_last = False  # polib keeps the last entry if the last line is not a comment
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        first = line[0]
        obsolete = 0
        if first == "#" and line.startswith("#~ "):
            line = line[3:].strip()
            first = line[0]
            obsolete = 1
            if first == "#" and line[1:2] in ("~", "|"):  # polib refuses both after "#~ "
                raise _Unusual
        if first == '"':
            if (
                len(line) < 2
                or line[-1] != '"'
                or ((line.count('"') != 2 or "\\" in line) and _STRING.fullmatch(line) is None)
            ):
                raise CatalogError("unterminated string", path, number)
            if state not in _CONTINUED:
                raise _Unusual
            parts.append(line[1:-1])
            keep_last = True
        elif first == "m":
            space = line.find(" ")
            keyword = line[:space]
            value = line[space + 1 :]
            if (
                space < 0
                or value[:1] != '"'
                or (
                    keyword not in _PLAIN_KEYWORDS
                    and not (keyword.startswith("msgstr[") and keyword[-1] == "]" and keyword[7:-1].isdecimal())
                )
            ):
                _check_body(line, number, path)
                raise _Unusual
            if (
                len(value) < 2
                or value[-1] != '"'
                or ((value.count('"') != 2 or "\\" in value) and _STRING.fullmatch(value) is None)
            ):
                raise CatalogError("unterminated string", path, number)
            second = keyword[3]  # msg(i)d, msg(s)tr, msg(c)txt
            if not obsolete:
                if keyword == "msgid":
                    if open_msgid is not None:
                        raise CatalogError("msgid without msgstr", path, open_msgid)
                    open_msgid = number
                elif second == "s":
                    open_msgid = None
            if parts:
                _store(entry, field, plural, parts)
            parts = [value[1:-1]]
            if keyword == "msgid":
                if state in (_MI, _MP):
                    raise _Unusual
                if state >= _MS:
                    entries.append(entry)
                    entry = _entry(number)
                entry.obsolete = obsolete  # type: ignore[assignment]  # polib stores 0 or 1
                field, state = "msgid", _MI
            elif keyword == "msgstr":
                if state not in (_MI, _MP, _TC):
                    raise _Unusual
                field, state = "msgstr", _MS
            elif second == "s":  # msgstr[n]: polib reads one digit
                if state not in (_MI, _MX, _MP, _TC):
                    raise _Unusual
                field, plural, state = "", int(line[7]), _MX
            elif keyword == "msgctxt":
                if state in (_CT, _MI, _MP):
                    raise _Unusual
                if state >= _MS:
                    entries.append(entry)
                    entry = _entry(number)
                field, state = "msgctxt", _CT
            else:  # msgid_plural
                if state not in (_TC, _GC, _PC, _PM, _PP, _MI):
                    raise _Unusual
                field, state = "msgid_plural", _MP
            keep_last = True
        elif first == "#":
            keep_last = False
            mark = line[1:2]
            if mark in (":", ".", ","):
                if len(line) == 2:  # polib skips an empty one
                    continue
                if line[2] != " ":
                    raise _Unusual
                if parts:
                    _store(entry, field, plural, parts)
                    parts = []
                if state >= _MS:
                    entries.append(entry)
                    entry = _entry(number)
                if mark == ":":
                    occurrences = entry.occurrences
                    # polib's handle_oc: "path:digits" or a path; words as _guarded makes them
                    words = raw[raw.index("#:") + 3 :].rstrip(" \t")
                    plain_words = words.isascii()  # the usual line: no stand-in, no isolate
                    for occurrence in words.split() if plain_words else _reference_words(words):
                        name, colon, at = occurrence.rpartition(":")
                        if not (colon and at.isdigit()):
                            name, at = occurrence, ""
                        occurrences.append((name if plain_words else _file_name(name), at))
                    state = _OC
                elif mark == ".":
                    if entry.comment != "":
                        entry.comment += "\n"
                    entry.comment += line[3:]
                    state = _GC
                else:
                    entry.flags += _flags(line)
                    state = _FL
            elif mark in (" ", "", "#"):
                token = "# " if line == "#" else line
                if state in (_ST, _HE):
                    if header != "":
                        header += "\n"
                    header += token[2:]
                    state = _HE
                    continue
                if state == _CT:
                    raise _Unusual
                if parts:
                    _store(entry, field, plural, parts)
                    parts = []
                if state >= _MS:
                    entries.append(entry)
                    entry = _entry(number)
                comment = token.lstrip("#")
                if entry.tcomment != "":
                    entry.tcomment += "\n"
                entry.tcomment += comment[1:] if comment.startswith(" ") else comment
                state = _TC
            elif mark == "|" and line.startswith("#| "):
                body = line[3:].strip()
                if body[0] == '"':
                    _check_body(body, number, path)
                    if state not in _CONTINUED:
                        raise _Unusual
                    parts.append(body[1:-1])
                    continue
                space = body.find(" ")
                value = body[space + 1 :]
                previous = _PREVIOUS.get(body[:space]) if space > 0 and value[:1] == '"' else None
                if previous is None:
                    _check_body(body, number, path)
                    raise _Unusual
                _check_body(value, number, path)
                if parts:
                    _store(entry, field, plural, parts)
                parts = [value[1:-1]]
                if state >= _MS:
                    entries.append(entry)
                    entry = _entry(number)
                field, state = previous, _PREVIOUS_STATE[previous]
            elif mark == "~" and line.startswith("#~| "):  # polib skips these lines
                _check_body(line[4:].strip(), number, path)
            else:
                raise _Unusual
        else:
            _check_body(line, number, path)
            raise _Unusual
    if open_msgid is not None:
        raise CatalogError("msgid without msgstr (the file ends early)", path, open_msgid)
    if parts:
        _store(entry, field, plural, parts)
    if keep_last:
        entries.append(entry)
    return _catalogue(text, header, entries)


# The layouts _usable_entries scans, each line exactly as written (no white space around
# it). Where what a quantifier takes cannot start what follows it, it is possessive ("*+"):
# that saves the regex engine its backtracking records, a sixth of its time.
# A string, as _STRING on one line:
_LINE_STRING = r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
# the lines before an entry's msgid that leave its msgid, msgstr and flags as they are:
# "#", "# text", "##text"; "#. text", "#: text", "#, flags" (or the mark alone, which polib
# skips); "#| " previous fields; "#~| " lines (polib skips them); blank lines.
_NOTE = (
    r"#(?:[ #][^\n]*+)?\n"
    r"|#[.:,](?: [^\n]*\S[ \t]*)?\n"
    rf"|#\| (?:msgctxt |msgid |msgid_plural ){_LINE_STRING}\n(?:#\| {_LINE_STRING}\n)*+"
    rf"|#~\| (?:msgctxt |msgid |msgid_plural )?{_LINE_STRING}\n"
    r"|\n"
)
# An entry: its notes (group 1), then msgid and msgstr (groups 2, 3: their strings, one a
# line), or an obsolete msgid and msgstr (groups 2 and 3 None).
_USUAL_ENTRY = re.compile(
    rf"((?:{_NOTE})*+)"
    rf"(?:msgid ({_LINE_STRING}(?:\n{_LINE_STRING})*+)\nmsgstr ({_LINE_STRING}(?:\n{_LINE_STRING})*+)\n"
    rf"|#~ msgid {_LINE_STRING}\n(?:#~ {_LINE_STRING}\n)*+#~ msgstr {_LINE_STRING}\n(?:#~ {_LINE_STRING}\n)*+)"
)
# What may follow the last entry: notes, but none that polib skips (a "#." alone, a "#~|"
# line), as those at the end drop the last entry.
_USUAL_END = re.compile(
    rf"(?:#(?:[ #][^\n]*+)?\n|#[.:,] [^\n]*\S[ \t]*\n|#\| (?:msgctxt |msgid |msgid_plural ){_LINE_STRING}\n"
    rf"(?:#\| {_LINE_STRING}\n)*+|\n)*+"
)


def _text(strings: str) -> str:
    r"""The text of a field's strings, one a line (``"a"\n"b"``): joined, then unescaped.

    A line break in them is always between the closing quote of one string and the
    opening quote of the next, so removing each ``"\n"`` joins them.
    """
    return _unescaped(strings[1:-1].replace('"\n"', ""))


def _text_with_bell(strings: str) -> str:
    r""":func:`_text`, "\a" unescaped too, as :func:`read` reads guarded text."""
    return _GETTEXT_ESCAPE.sub(_unescape, strings[1:-1].replace('"\n"', ""))


_GETTEXT_ESCAPE = re.compile(r'\\(\\|n|t|r|v|b|f|a|")')
_ESCAPED["a"] = "\x07"  # only _GETTEXT_ESCAPE finds it


def _usable_entries(text: str) -> dict[str, str]:
    r"""``catalog.translations`` of what :func:`_read_lines` reads, without reading it whole.

    The text (BOM and CRLF removed, no break but "\n") is taken as a sequence of
    :data:`_USUAL_ENTRY` then :data:`_USUAL_END`. In that layout no line makes
    :func:`_read_lines` raise or leave the text to the reference reader, each match is
    one polib entry, with the flags of its ``#,`` lines, and all are kept; so the
    translations are those of the matches, but for the header: polib takes the one
    entry with an empty msgid (and no msgctxt) out as metadata. Raises :class:`_Unusual`
    for text in any other layout, or with two such entries (which one is the header is
    left to :func:`read`).
    """
    # gettext's escape for U+0007, which read() knows unless the text holds its stand-ins
    text_of = _text
    if "\\a" in text:
        if any(stand_in in text for stand_in in _STAND_INS):
            raise _Unusual
        text_of = _text_with_bell
    if not text.endswith("\n"):
        text += "\n"  # no line more or less: str.splitlines() ignores a final "\n"
    found: dict[str, str] = {}
    header = False
    at = 0
    match = _USUAL_ENTRY.match
    while (entry := match(text, at)) is not None:
        at = entry.end()
        notes, strings, translated = entry.groups()
        if strings is None:
            continue  # obsolete
        msgid = text_of(strings)
        if not msgid:
            if header:
                raise _Unusual
            header = True
        elif translated != '""' and not (
            "fuzzy" in notes and any("fuzzy" in _flags(line) for line in notes.split("\n") if line.startswith("#, "))
        ):
            msgstr = text_of(translated)
            if msgstr:
                found[msgid] = msgstr
    if _USUAL_END.fullmatch(text, at) is None:
        raise _Unusual
    return found


def _encoding(text: str) -> str:
    """What ``polib.detect_encoding`` finds in the text as :func:`_checked` joins it.

    That is the first ``Content-Type: ... charset=NAME`` within one joined line, where a
    charset can run across continuation strings. A match in the text as it is has one in
    the joined line holding it, at the latest, so only the lines up to the end of that
    joined line are joined (usually just the header); without one, the whole text is.
    """
    at = text.find("Content-Type:")
    found = _CHARSET.search(text, max(at - 1, 0)) if at >= 0 else None
    end = len(text)
    if found is not None:
        end = text.find("\n", found.end())
        while end >= 0:  # take the string lines that follow: they may belong to the same joined line
            following = text.find("\n", end + 1)
            body = text[end + 1 : following if following >= 0 else len(text)].strip()
            prefix = next((p for p in _ENTRY_PREFIXES if body.startswith(p)), "")
            if not body[len(prefix) :].strip().startswith('"'):
                break
            end = following
        end = len(text) if end < 0 else end
    found = _CHARSET.search(_joined(text[:end].split("\n")))
    if found is not None:
        charset = found.group(1).strip()
        try:
            codecs.lookup(charset)
        except LookupError:
            pass
        else:
            return charset
    return polib.default_encoding


def _joined(lines: list[str]) -> str:
    """The lines joined as :func:`_checked` joins them (lines it has accepted)."""
    joined: list[list[str]] = []
    prefixes: list[str] = []
    for line in lines:
        body = line.strip()
        prefix = next((p for p in _ENTRY_PREFIXES if body.startswith(p)), "")
        body = body[len(prefix) :].strip() if prefix else body
        if body.startswith('"') and joined and prefixes[-1] == prefix and joined[-1][-1].endswith('"'):
            joined[-1][-1] = joined[-1][-1][:-1]
            joined[-1].append(body[1:])
        else:
            joined.append([line])
            prefixes.append(prefix)
    return "\n".join("".join(parts) for parts in joined)


def _catalogue(text: str, header: str, entries: list[polib.POEntry]) -> polib.POFile:
    """The POFile polib's parser makes of these entries: the header entry taken out as metadata."""
    po = polib.POFile(wrapwidth=79, encoding=_encoding(text))
    po.header = header
    po.extend(entries)
    blank = [entry for entry in entries if entry.msgid == "" and not entry.obsolete]
    if blank:  # as POFile.find(""): the last one without msgctxt, else the first
        metadata = next((entry for entry in reversed(blank) if not entry.msgctxt), blank[0])
        po.remove(metadata)
        po.metadata_is_fuzzy = metadata.flags  # type: ignore[assignment]  # polib stores the flags
        key = None
        for line in metadata.msgstr.splitlines():
            try:
                key, value = line.split(":", 1)
                po.metadata[key] = value.strip()
            except ValueError:
                if key is not None:
                    po.metadata[key] += "\n" + line.strip()
    return po


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_ENTRY_PREFIXES = ("#~| ", "#~ ", "#| ")
_KEYWORD = re.compile(r"(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])\s+(.*)")


def _checked(text: str, path: str) -> tuple[str, list[int]]:
    """Join continuation strings; refuse unterminated strings and msgids without msgstr.

    Returns the joined text and, for each of its lines, the line number in *text*.
    """
    lines: list[list[str]] = []  # each output line as parts, continuation strings appended
    origin: list[int] = []
    prefixes: list[str] = []
    open_msgid: int | None = None
    for number, line in enumerate(text.split("\n"), 1):
        body = line.strip()
        prefix = next((p for p in _ENTRY_PREFIXES if body.startswith(p)), "")
        body = body[len(prefix) :].strip() if prefix else body
        if body.startswith('"'):
            if not _STRING.fullmatch(body):
                raise CatalogError("unterminated string", path, number)
            if lines and prefixes[-1] == prefix and "".join(lines[-1][-1:]).endswith('"'):
                lines[-1][-1] = lines[-1][-1][:-1]
                lines[-1].append(body[1:])
                continue
        elif not body.startswith("#") and body:
            keyword = _KEYWORD.fullmatch(body)
            if keyword is None:
                raise CatalogError(f"cannot read {body.split()[0]!r}", path, number)
            if not _STRING.fullmatch(keyword.group(2).strip()):
                raise CatalogError("unterminated string", path, number)
            if not prefix:
                if keyword.group(1) == "msgid":
                    if open_msgid is not None:
                        raise CatalogError("msgid without msgstr", path, open_msgid)
                    open_msgid = number
                elif keyword.group(1).startswith("msgstr"):
                    open_msgid = None
        lines.append([line])
        origin.append(number)
        prefixes.append(prefix)
    if open_msgid is not None:
        raise CatalogError("msgid without msgstr (the file ends early)", path, open_msgid)
    return "\n".join("".join(parts) for parts in lines), origin
