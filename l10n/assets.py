"""Local files a page refers to, and where their copies go in the built site.

This module owns the rule that makes ``site/`` the whole website: a relative URL that
names a file of the project (not an article: those go to the article's page) is a
*need*; the file's copy goes to ``<output>/assets/<path below the articles folder>``,
or ``<output>/assets/_root/<path from the project root>`` for a file elsewhere in the
project, once for every locale. It also finds the URLs of CSS text (``url()`` and
``@import``). Pure: POSIX paths from the project root and URL text in, paths and URL
text out; :mod:`l10n.project.copying` checks and copies the files.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote

ASSETS = "assets"  # the folder of copies, in the output folder
ROOT = "_root"  # below ASSETS: files of the project outside the articles folder
# Part of every page's key: pages made before copies existed point into the articles folder.
LAYOUT = "assets-1"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# Characters a rewritten path keeps as they are (RFC 3986 sub-delimiters, "@" and "/");
# every other one is percent-encoded: white space ends a srcset URL. In CSS, quoted or
# not, neither quotes nor parentheses. No colon: "a:b.png" would read as a scheme.
_SAFE = "/!$&'()*+,;=@~"
_SAFE_IN_CSS = "/!$&*+,;=@~"


@dataclass(frozen=True, slots=True)
class Need:
    """A file a page (or a stylesheet) refers to, where it refers to it."""

    path: str  # POSIX, from the project root, normalised; outside() when it leaves the project
    line: int | None = None


def split(url: str) -> tuple[str, str] | None:
    """The path of a relative URL and what follows it (``?query``, ``#fragment``, with its
    mark), or None when the URL names no local file: empty, a fragment or query alone,
    root-relative or ``//host``, or with a scheme (``https:``, ``data:``, ``mailto:``)."""
    url = url.strip()
    if not url or url[0] in "#/?\\" or _SCHEME.match(url):
        return None
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return (url[:cut], url[cut:]) if cut else None


def resolve(path: str, folder: str) -> str:
    """The file a URL path names, from the project root: *path* (percent-encoded, as
    written) resolved against *folder* (the page's or stylesheet's folder), then decoded.

    Resolved before it is decoded, as a browser does; ``%2e%2e`` and ``%2F`` are then
    read as a server reads them. A result that leaves the project starts with ``../``
    (see :func:`outside`).
    """
    joined = posixpath.normpath(posixpath.join(folder, path))
    if "%" not in joined:
        return joined
    try:
        decoded = posixpath.normpath(unquote(joined, errors="strict"))
    except UnicodeDecodeError:  # not UTF-8 once decoded: kept as written
        decoded = joined
    if decoded.startswith("/") or "\0" in decoded:
        return "../" + decoded.lstrip("/")  # never a path of the project
    return decoded


def outside(path: str) -> bool:
    """True when a :func:`resolve`-d path is not in the project."""
    return path == ".." or path.startswith("../")


def copy_path(path: str, articles: str, output: str) -> str | None:
    """Where the copy of the project file *path* goes, from the project root; None for a
    path outside the project (never copied)."""
    if outside(path):
        return None
    articles = posixpath.normpath(articles)
    if articles == ".":
        below = path
    elif path == articles or path.startswith(articles + "/"):
        below = posixpath.relpath(path, articles)
    else:
        below = posixpath.join(ROOT, path)
    return posixpath.normpath(posixpath.join(output, ASSETS, below))


def encode(path: str, css: bool = False) -> str:
    """A file path written as URL text for an attribute (or for CSS): percent-encoded but
    for unreserved characters and sub-delimiters (``a b.png`` is ``a%20b.png``)."""
    text = quote(path, safe=_SAFE_IN_CSS if css else _SAFE)
    # A srcset URL loses its trailing commas (HTML standard): one would drop the file's.
    return text[:-1] + "%2C" if text.endswith(",") else text


# In CSS text: comments and strings are skipped (a URL in them is no reference); a
# url() (quoted or not) and an @import string are references. A URL with a backslash
# (a CSS escape) is left alone, as is everything this does not recognise. One match
# skips everything up to the next reference (in atomic groups: no backtracking), so a long
# style sheet costs one match a reference, not one a string or comment. Atomic groups, not
# possessive quantifiers (x*+): Python 3.11.0-3.11.4 match those wrongly (tests/
# test_regex_portability.py), and on Debian 12's 3.11.2 this scan found no URL of a real
# page's style sheet and ran for minutes.
_SKIP = (
    r"""(?>(?:(?>[^/"'uU@]+)|/\*.*?(?:\*/|\Z)|"(?>(?:[^"\\\n]|\\.)*)"?|'(?>(?:[^'\\\n]|\\.)*)'?|/"""
    r"|(?<=[\w-])[uU]|[uU](?![rR][lL]\()|@(?![iI][mM][pP][oO][rR][tT]\s))*)"
)
_CSS = re.compile(
    _SKIP + r"""(?:[uU][rR][lL]\((?>\s*)(?:"((?>[^"\\\n]*))"|'((?>[^'\\\n]*))'|((?>[^\s"'()\\]+)))(?>\s*)\)"""
    r"""|@[iI][mM][pP][oO][rR][tT](?>\s+)(?:"((?>[^"\\\n]*))"|'((?>[^'\\\n]*))')|[uU@]|\Z)""",
    re.S,
)
_HINTS = ("rl(", "rL(", "Rl(", "RL(", "@")


def css_urls(text: str) -> tuple[tuple[int, int], ...]:
    """The ``(start, end)`` of each URL that CSS *text* refers to (``url()``, ``@import``)."""
    if not any(hint in text for hint in _HINTS):
        return ()  # most style attributes: a substring test costs less than a match
    return _scanned(text) if _SHORT_CSS < len(text) <= _LONG_CSS else _scan(text)


# A build relocates the URLs of an article's CSS once per locale, from the same text:
# a long <style> is scanned once (hashing the text costs a fraction of the scan). Short
# texts are scanned each time: many, and quick to scan (in the benchmark's news pages,
# 372 texts over 500 characters took 95 ms of scanning, 885 shorter ones 6 ms). Nor are
# the longest kept: 128 of them could hold a gigabyte (an article may be 10 MiB).
_SHORT_CSS = 500
_LONG_CSS = 100_000


def _scan(text: str) -> tuple[tuple[int, int], ...]:
    found: list[tuple[int, int]] = []
    for match in _CSS.finditer(text):
        group = match.lastindex  # None: a url( or @import that is no reference, or the end
        if group is not None:
            found.append(match.span(group))
    return tuple(found)


_scanned = functools.lru_cache(maxsize=128)(_scan)


def dump(needs: Iterable[Need]) -> str:
    """*needs* as text for the run store (see :func:`load`)."""
    return json.dumps([[need.path, need.line] for need in needs], ensure_ascii=False)


def load(text: str | None) -> tuple[Need, ...]:
    """The needs :func:`dump` wrote; () for no text or text it did not write."""
    try:
        rows = json.loads(text or "[]")
    except ValueError:
        return ()
    if not isinstance(rows, list):
        return ()
    return tuple(
        Need(row[0], row[1] if isinstance(row[1], int) else None)
        for row in rows
        if isinstance(row, list) and len(row) == 2 and isinstance(row[0], str)
    )


def first_lines(needs: Iterable[Need]) -> tuple[Need, ...]:
    """One need a file, at the first line that refers to it, in path order."""
    lines: dict[str, int | None] = {}
    for need in needs:
        known = lines.get(need.path, need.line)
        lines[need.path] = need.line if known is None or (need.line is not None and need.line < known) else known
    return tuple(Need(path, lines[path]) for path in sorted(lines))
