"""Where a built page lives and the address it is known by.

:class:`Site` is what every page-level step needs to know about the other pages: the
folders, the source locale, which locales each article is built in, and ``base_url``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from .dates import DEFAULTS, Conventions
from .locale import Locale


@dataclass(frozen=True, slots=True)
class Site:
    """Where a page lives and which pages exist, as POSIX paths from the project root."""

    articles: str  # "articles"
    output: str  # "site"
    source: Locale
    built: Mapping[str, frozenset[str]]  # article slug -> tags of the locales built for it
    base_url: str | None = None
    conventions: Conventions = DEFAULTS  # calendars and digits (dates, numbers)

    def page(self, tag: str, slug: str) -> str:
        return posixpath.join(self.output, tag, slug)

    def url(self, tag: str, slug: str) -> str:
        """The address readers and search engines know the page by (:meth:`at`)."""
        return self.at(f"{tag}/{slug}")

    def at(self, path: str) -> str:
        """The address of *path* below ``site/``: below ``base_url`` when one is
        configured, else from the root of the server that serves ``site/``."""
        quoted = quote(path, safe="/")
        return f"{self.base_url.rstrip('/')}/{quoted}" if self.base_url else f"/{quoted}"
