"""Reading PO and POT files: text in, a ``polib.POFile`` out, or one CatalogError naming
the bad line.

polib is our catalogue model and its parser defines the results, but it is slow (and
quadratic in long wrapped strings), and it accepts half-written files. :func:`read`
checks and parses in one pass with polib's own state machine, building the same
objects about four times faster; anything unusual goes to the reference path, our
line checker then ``polib.pofile``. tests/test_catalog_read.py holds the two to the
same results, field by field, on real, generated and damaged catalogues.
"""

from __future__ import annotations

import codecs
import re

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
    not handle itself - layouts no writer produces, lines polib refuses, line breaks
    that only ``str.splitlines`` sees - goes to the former pipeline
    (:func:`_read_reference`), so results and error messages stay the same there too.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not any(mark in text for mark in _OTHER_BREAKS):
        try:
            return _read_lines(text, path)
        except _Unusual:
            pass
    return _read_reference(text, path)


def _read_reference(text: str, path: str) -> polib.POFile:
    """The reference reader: check and join the lines, then let polib parse the result."""
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


# Line breaks of str.splitlines() other than "\n": polib splits at them, _checked does not.
_OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
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


def _store(entry: polib.POEntry, field: str, plural: int, parts: list[str]) -> None:
    """Set the field a keyword line opened: its strings joined, then unescaped."""
    value = parts[0] if len(parts) == 1 else "".join(parts)
    if "\\" in value:  # every part is a whole string, so unescaping the join is unescaping each
        value = _ESCAPE.sub(_unescape, value)
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
    """Check and parse in one pass, as :func:`_checked` and polib's parser would together.

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
                    for occurrence in line[3:].split():  # polib's handle_oc: "path:digits" or a path
                        name, colon, at = occurrence.rpartition(":")
                        occurrences.append((name, at) if colon and at.isdigit() else (occurrence, ""))
                    state = _OC
                elif mark == ".":
                    if entry.comment != "":
                        entry.comment += "\n"
                    entry.comment += line[3:]
                    state = _GC
                else:
                    entry.flags += [flag.strip() for flag in line[3:].split(",")]
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
