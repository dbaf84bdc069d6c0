"""Quality checks of translations (DESIGN.md §QA, ``l10n check``).

This module owns the QA rules: which problems of a catalogue's entries are errors (the
page would be wrong or the file unusable) and which are warnings (a translator should
look), the finding codes, and the text and JSON forms of a report. One parsed catalogue
in, findings out; ``project`` reads the files.

Errors: ``parse-error`` (the PO does not parse), ``invalid-placeholder`` (not exactly the
source's placeholders, each once, properly nested), ``markup`` (text that a browser would
read as markup, a tag, comment, doctype, CDATA section or processing instruction, but that
is not a placeholder: the build escapes it, so a page would hold those characters, never
markup; markup that is literal text of the source is fine), ``plural`` (a plural
entry without the locale's number of forms), ``format`` (a ``c-format`` or
``python-format`` entry whose directives differ from the source's), ``nul`` (a NUL
character cuts a string or comment short: GNU gettext and the build read up to it, and
``extract`` leaves the file as saved rather than lose what follows), ``too-long`` (a
translation longer than the length budget its entry's ``#.`` comment states, ``at most 70
characters``, counted as :func:`l10n.budgets.visible_length` counts: a title or description
that the places showing it would cut; the build still publishes it).

Warnings: ``fuzzy``, ``untranslated``, ``number`` (a number of the source is not in the
translation, after reading every script's decimal digits and dropping separators, so
``6,000``, ``6 000``, ``6.000`` and ``۶۰۰۰`` are one number), ``whitespace`` (leading or
trailing white space differs), ``punctuation`` (the final punctuation differs, with
``. 。 ۔``, ``? ？ ؟``, ``! ！``, ``: ：``, ``; ； ؛`` and ``, ، ， 、`` taken as equal and closing quotes and
brackets skipped), ``same-as-source`` (identical to a source of at least two words),
``control-character`` (characters a page cannot hold, named by code point: form feed and
vertical tab are replaced by a space, the other C0 controls but tab, LF and CR, U+FFFE,
U+FFFF and lone surrogates are dropped; see ``placeholders.page_safe``).

Only entries the build would use are checked for errors and content warnings: a fuzzy
entry gets its ``fuzzy`` warning, an empty one its ``untranslated`` warning. Obsolete
entries are not checked.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from . import budgets
from . import placeholders as ph
from .errors import L10nError, escape_controls
from .po.model import Catalog, Message
from .stats import plain_text, word_count

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
CODES: dict[str, Severity] = {
    "parse-error": ERROR,
    "invalid-placeholder": ERROR,
    "markup": ERROR,
    "plural": ERROR,
    "format": ERROR,
    "nul": ERROR,
    "too-long": ERROR,
    "fuzzy": WARNING,
    "untranslated": WARNING,
    "number": WARNING,
    "whitespace": WARNING,
    "punctuation": WARNING,
    "same-as-source": WARNING,
    "control-character": WARNING,
}

# A number: digits of any script, with thousands groups (6,000  6 000  6.000  6 000  6'000)
# and a decimal part; separators are dropped before comparing.
_GROUP = "[,.\u00a0\u202f\u2009 '\u2019\u066c]"
_NUMBER = re.compile(rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:[.,\u066b]\d+)?|\d+(?:[.,\u066b]\d+)?")
# Final punctuation, by meaning: the same mark in different scripts is one class.
_END_CLASS = {
    ".": ".", "\u3002": ".", "\u06d4": ".", "\uff0e": ".", "\uff61": ".",
    "?": "?", "\uff1f": "?", "\u061f": "?",
    "!": "!", "\uff01": "!",
    ":": ":", "\uff1a": ":",
    ";": ";", "\uff1b": ";", "\u061b": ";",
    ",": ",", "\uff0c": ",", "\u060c": ",", "\u3001": ",",
    "\u2026": "\u2026",
}  # fmt: skip
# Closing quotes and brackets that may follow the final punctuation mark.
_CLOSERS = frozenset("\"'\u2019\u201d\u00bb\u203a)]}") | frozenset(
    "\uff09\uff3d\uff5d\u300d\u300f\u3011\u3009\u300b\u3015\u3017\u27e9\u27e7"
)
_C_FORMAT = re.compile(
    r"%(?:(\d+)\$)?[-+ #0']*(?:\d+|\*(?:\d+\$)?)?(?:\.(?:\d+|\*(?:\d+\$)?))?"
    r"(?:hh|h|ll|l|L|q|j|z|Z|t)?([diouxXeEfFgGaAcCsSpnm%])"
)
_PYTHON_FORMAT = re.compile(r"%(?:\(([^)]*)\))?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, where it is and how bad it is."""

    path: str  # the PO file, relative to the project root
    line: int | None  # the entry's first line (None when a file cannot be placed)
    severity: Severity
    code: str
    message: str
    msgid: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return escape_controls(f"{where}: {self.severity}: [{self.code}] {self.message}")

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "msgid": self.msgid,
        }


def _finding(path: str, line: int | None, code: str, message: str, msgid: str | None = None) -> Finding:
    return Finding(path, line, CODES[code], code, message, msgid)


def parse_error(error: L10nError) -> Finding:
    """The finding for a catalogue that cannot be read (its path and line come with it)."""
    return _finding(error.path, error.line, "parse-error", error.message)


# --- the rules, one text at a time ------------------------------------------------------


def _digits(number: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in number if char.isdecimal())


def numbers(text: str) -> set[str]:
    """The numbers of a msgid or msgstr as ASCII digit strings, separators dropped."""
    return {_digits(match.group(0)) for match in _NUMBER.finditer(plain_text(text))}


def missing_numbers(source: str, translation: str) -> list[str]:
    """Numbers of *source* that *translation* does not have, as the source writes them."""
    present = numbers(translation)
    written = dict.fromkeys(match.group(0) for match in _NUMBER.finditer(plain_text(source)))
    return [number for number in written if _digits(number) not in present]


def end_punctuation(text: str) -> str | None:
    """The class of the final punctuation mark (``.``, ``?``, ``!``, ``:``, ``;``, ``,``, ``…``),
    or None when the text ends otherwise. Closing quotes and brackets and the end tags of
    paired placeholders are skipped; a self-closing placeholder (a date, an image) is content."""
    shown = ph.unescape_literal(ph.PLACEHOLDER.sub(lambda m: "\ufffc" if m.group(4) else "", text)).rstrip()
    while shown and shown[-1] in _CLOSERS:
        shown = shown[:-1].rstrip()
    if shown.endswith("..."):
        return "\u2026"
    return _END_CLASS.get(shown[-1:]) if shown else None


def whitespace_difference(source: str, translation: str) -> str | None:
    """Say how leading or trailing white space differs, or None."""
    for side, edge in (("starts", slice(None, 1)), ("ends", slice(-1, None))):
        has = source[edge].isspace(), translation[edge].isspace()
        if has[0] != has[1]:
            first, second = ("the translation", "the source") if has[1] else ("the source", "the translation")
            return f"{first} {side} with white space, {second} does not"
    return None


def control_characters(translation: str) -> str | None:
    """Say which characters of *translation* a page cannot hold and what the build does
    with them (:func:`placeholders.page_safe`), or None when there are none."""
    found = ph.unsafe_characters(translation)
    if not found:
        return None
    names = [f"U+{ord(char):04X}" for char in found]
    spaced = [name for char, name in zip(found, names, strict=True) if char in ph.AS_SPACE]
    dropped = [name for char, name in zip(found, names, strict=True) if char not in ph.AS_SPACE]
    if len(names) == 1:
        fate = "replaced by a space" if spaced else "dropped"
        return f"control character {names[0]} cannot be on a page: it is {fate}"
    said = [
        f"{', '.join(group)} {'is' if len(group) == 1 else 'are'} {fate}"
        for group, fate in ((spaced, "replaced by a space"), (dropped, "dropped"))
        if group
    ]
    return f"control characters {', '.join(names)} cannot be on a page: {', '.join(said)}"


def directives(text: str, kind: str) -> list[str]:
    """The format directives of *text* (``c-format`` or ``python-format``), normalised so
    that two texts are compatible when the lists are equal (``%%`` is not a directive)."""
    if kind == "c-format":
        found = [(m.group(1), m.group(2)) for m in _C_FORMAT.finditer(text) if m.group(2) != "%"]
        if any(position for position, _ in found):
            return sorted(f"{position}${conversion}" for position, conversion in found)
        return [conversion for _, conversion in found]
    found = [(m.group(1), m.group(2)) for m in _PYTHON_FORMAT.finditer(text) if m.group(2) != "%"]
    if any(name is not None for name, _ in found):
        return sorted({f"({name}){conversion}" for name, conversion in found})
    return [conversion for _, conversion in found]


def same_as_source(source: str, translation: str) -> bool:
    """True when the translation repeats a source of at least two words."""
    return translation == source and word_count(source) >= 2


# --- one catalogue ------------------------------------------------------------------------


def _forms(entry: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: one, or one per plural form (an empty msgid_plural is none)."""
    if not entry.msgid_plural:
        return [(entry.msgid, entry.msgstr)]
    return [
        (entry.msgid if index == 0 else entry.msgid_plural, translation)
        for index, translation in enumerate(entry.plural_forms)
    ]


def _entry(entry: Message, nplurals: int, budgeted: bool = True) -> Iterator[tuple[str, str]]:
    """(code, message) for each problem of one live entry (*budgeted*: held to its length budget)."""
    if entry.msgid_plural and len(entry.plural_forms) != nplurals:
        yield "plural", f"{len(entry.plural_forms)} plural forms, the locale has {nplurals}"
    forms = _forms(entry)
    if not any(translation for _, translation in forms):
        yield "untranslated", "not translated"
        return
    if "fuzzy" in entry.flags:
        yield "fuzzy", "fuzzy translation: not used until a translator reviews it"
        return
    expected = ph.placeholders_of(entry.msgid)
    for index, (source, translation) in enumerate(forms):
        form = f" (plural form {index})" if entry.msgid_plural else ""
        if not translation:
            yield "untranslated", f"plural form {index} is empty"
            continue
        try:
            ph.parse(translation, expected)
        except ph.InvalidTranslation as exc:
            yield "invalid-placeholder", f"{exc}{form}; the page shows the source text"
        tokens = ph.markup(source, translation)
        if tokens:
            yield (
                "markup",
                (
                    f"markup-like text {' '.join(tokens)} is not a placeholder: "
                    f"a page would hold it as escaped characters, never as markup{form}"
                ),
            )
        overrun = budgets.overrun(entry.extracted_comments, source, translation) if budgeted else None
        if overrun:
            yield "too-long", overrun + form
        controls = control_characters(translation)
        if controls:
            yield "control-character", controls + form
        for kind in ("c-format", "python-format"):
            if kind in entry.flags and directives(source, kind) != directives(translation, kind):
                wanted = " ".join(directives(source, kind)) or "none"
                yield "format", f"{kind} directives differ from the source's ({wanted}){form}"
        yield from _warnings(source, translation, form)


def _warnings(source: str, translation: str, form: str) -> Iterator[tuple[str, str]]:
    for number in missing_numbers(source, translation):
        yield "number", f"number {number} of the source is missing from the translation{form}"
    difference = whitespace_difference(source, translation)
    if difference:
        yield "whitespace", difference + form
    ends = end_punctuation(source), end_punctuation(translation)
    if ends[0] != ends[1]:
        said = [f"with {mark!r}" if mark else "without end punctuation" for mark in ends]
        yield "punctuation", f"the source ends {said[0]}, the translation {said[1]}{form}"
    if same_as_source(source, translation):
        yield "same-as-source", f"the translation is identical to the source{form}"


def check_catalogue(po: Catalog, path: str, nplurals: int, budgeted: bool = True) -> list[Finding]:
    """Every finding of one parsed catalogue, in file order (*path* is how it is shown);
    *budgeted* False leaves out ``too-long`` (a pseudo-locale lengthens text on purpose).

    Each finding has its entry's first line in the file (its first comment or keyword
    line): :attr:`l10n.po.model.Message.line`, as the reader sets it.
    """
    findings: list[Finding] = []
    for entry in po:
        if entry.obsolete:
            continue
        for code, message in _entry(entry, nplurals, budgeted):
            findings.append(_finding(path, entry.line, code, message, entry.msgid))
    if po.cut:  # lines, not entries: a comment may be cut too
        cut = [_finding(path, line, "nul", _NUL_CUT) for line in po.cut]
        findings = sorted([*findings, *cut], key=lambda finding: finding.line or 0)
    return findings


_NUL_CUT = (
    "a NUL character cuts this text short: GNU gettext and the build read up to it; extract leaves"
    " the file as saved so that nothing after it is lost: remove the NUL"
)


# --- a whole run --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checked:
    """The findings of a ``check`` run, how many catalogues it read, and where each
    catalogue belongs: its path (as findings show it) to its locale's tag and article."""

    findings: tuple[Finding, ...]
    catalogues: int
    places: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == WARNING)

    def line(self) -> str:
        """The summary line: ``N errors, M warnings in K catalogues`` (``1 error``...)."""
        return (
            f"{self.errors} error{'' if self.errors == 1 else 's'}, {self.warnings} warning"
            f"{'' if self.warnings == 1 else 's'} in {self.catalogues} catalogue{'' if self.catalogues == 1 else 's'}"
        )

    def errors_only(self) -> Checked:
        """The same run with its warnings left out."""
        errors = tuple(finding for finding in self.findings if finding.severity == ERROR)
        return Checked(errors, self.catalogues, self.places)

    def lines(self) -> list[str]:
        """The text report: one line per finding, then the summary line."""
        return [str(finding) for finding in self.findings] + [self.line()]

    def error_lines(self) -> list[str]:
        """One line per error, in the order found (warnings left out)."""
        return [str(finding) for finding in self.findings if finding.severity == ERROR]

    def as_json(self) -> dict[str, object]:
        """The ``l10n check --json`` document (its shape is documented in README.md)."""
        by_code = Counter(finding.code for finding in self.findings)
        return {
            "findings": [finding.as_json() for finding in self.findings],
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "catalogues": self.catalogues,
                "by_code": {code: by_code[code] for code in CODES if by_code[code]},
            },
        }


def nplurals(plural_forms: str) -> int:
    """The ``nplurals`` of a Plural-Forms header value (1 when it cannot be read)."""
    found = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    return int(found.group(1)) if found else 1


def collect(
    findings: Iterable[Sequence[Finding]], catalogues: int, places: Mapping[str, tuple[str, str]] | None = None
) -> Checked:
    """Join the findings of several catalogues into one run's result (*places*: each
    catalogue's path to its locale's tag and article, as :class:`Checked` keeps them)."""
    return Checked(tuple(finding for group in findings for finding in group), catalogues, dict(places or {}))
