"""The one error type of the package.

Every failure caused by input (an article, a catalogue, the configuration) is an
:class:`L10nError` that knows which file and, where there is one, which line it is
about, so the command line can print one line ``path:line: message`` and go on with
the other files.
"""

from __future__ import annotations

from typing import Self


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
        where = self.path
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class ArticleError(L10nError):
    """An article cannot be decoded or parsed."""


class CatalogError(L10nError):
    """A PO or POT file cannot be read."""


class ConfigError(L10nError):
    """The configuration is wrong (unknown locale, missing folder, bad value)."""


class OutputError(L10nError):
    """A file cannot be written (read-only folder, disk full); the old file is intact."""
