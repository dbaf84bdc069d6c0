"""The one error type of the package.

Every failure caused by input (an article, a catalogue, the configuration) is an
:class:`L10nError` that knows which file and, where there is one, which line it is
about, so the command line can print one line ``path:line: message`` and go on with
the other files.
"""

from __future__ import annotations

import re
from typing import Self

# What a terminal acts on rather than shows: C0 controls, DEL and C1 controls (U+009B starts
# an escape sequence on some terminals); a tab too, which would pass for spaces in a file name.
# A file name or a catalogue's text quoted in a message may hold any of them; shown as escapes,
# the message stays one line that says what was there.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class L10nError(Exception):
    """A problem with one input file, reported as ``path:line: message``."""

    def __init__(self, message: str, path: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def at(self, path: str) -> Self:
        """Return the same error attributed to *path* (pure code does not know paths)."""
        return type(self)(self.message, path, self.line)

    def __str__(self) -> str:
        """``path:line: message``, one line: control characters written as escapes."""
        where = self.path
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return escape_controls(f"{where}: {self.message}" if where else self.message)


def escape_controls(text: str) -> str:
    """*text* with the characters a terminal acts on written as Python escapes (``\\x1b``)."""
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


class L10nWarning(L10nError):
    """A problem worth saying that does not stop the run: shown as ``path:line: warning:
    message``, counted apart from errors, and no reason for exit status 1."""

    def __str__(self) -> str:
        return str(L10nError(f"warning: {self.message}", self.path, self.line))


class ArticleError(L10nError):
    """An article cannot be decoded or parsed."""


class CatalogError(L10nError):
    """A PO or POT file cannot be read."""


class ConfigError(L10nError):
    """The configuration is wrong (unknown locale, missing folder, bad value)."""


class OutputError(L10nError):
    """A file cannot be written (read-only folder, disk full); the old file is intact."""
