"""The ``status`` figures of each catalogue, kept in the run store between runs.

A catalogue's counts (units, words, translated, fuzzy, untranslated, invalid: see
:mod:`l10n.stats`) depend only on its bytes and its template's bytes. ``extract`` (which
has both in memory when it writes them) and ``status`` store them under ``counts`` in the
run store, keyed by the content hashes of the two files (:func:`key`); ``status`` and the
``serve`` dashboard read them back while the hashes match and count again only the rest.
A catalogue or template that cannot be read is counted (and its error said) every time.

The stored key is made of the hashes of the bytes the counts were made from, never of the
file as it is later: a file saved in between only makes the stored counts unused.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from .. import __version__, stats
from ..errors import L10nError
from ..locale import Locale
from ..po import reader
from ..po.model import Catalog
from .paths import Project, catalog_data, distinct_slugs, stem, targets
from .store import Store, digest, file_digest

COMMAND = "counts"  # the store's command name for these rows
# Another version of the counting rules: the stored counts are not used (with __version__).
_RULES = "counts-2"
_FIELDS = tuple(field.name for field in fields(stats.Counts))


@dataclass(frozen=True, slots=True)
class Tally:
    """A catalogue's counts, with the hash (:func:`~.store.file_digest`) of the bytes counted."""

    catalogue: bytes
    counts: stats.Counts


def key(catalogue: bytes, template: bytes) -> str:
    """What a catalogue's counts depend on: its bytes' and its template's hashes."""
    return digest(f"{__version__}|{_RULES}", [catalogue, template])


def remember(store: Store, slug: str, tag: str, template: bytes, tally: Tally) -> None:
    """Store a catalogue's counts, *template* being its template's hash."""
    counts = [getattr(tally.counts, name) for name in _FIELDS]
    # Words a space apart, not JSON: a dashboard reads thousands, and split() is 5 times faster.
    store.put(COMMAND, slug, tag, " ".join([key(tally.catalogue, template), *map(str, counts)]))


def _recalled(value: str | None, wanted: str) -> stats.Counts | None:
    """The counts stored as *value*, when they were stored under *wanted*."""
    if value is None:
        return None
    try:
        stored, *counts = value.split(" ")
        return stats.Counts(*map(int, counts)) if stored == wanted and len(counts) == len(_FIELDS) else None
    except (ValueError, TypeError):
        return None  # not ours: counted again, and stored anew


class _Read:
    """A file read for counting: its hash (of the bytes read), its catalogue, or its error."""

    def __init__(self, project: Project, path: str, name: str) -> None:
        self.catalogue: Catalog | None = None
        self.error: L10nError | None = None
        self.hash = b"unreadable"
        try:
            data = catalog_data(project, Path(path))
            self.hash = file_digest(data)
            self.catalogue = reader.read(data, name) if data is not None else None
        except L10nError as exc:
            self.error = exc


def files(project: Project, slug: str, locales: Sequence[Locale]) -> list[tuple[str, str]]:
    """The template of article *slug*, then its catalogue in each of *locales*, each as its
    path and its name from the project root (``Project.template_path``, ``catalog_path``
    and ``rel``, made as strings: a dashboard names thousands, and a Path costs 30 µs)."""
    base, shown = _bases(project.root, project.config.locales_dir)
    name = stem(slug)
    below = f"templates/{name}.pot"
    found = [(base + below, shown + below)]
    for locale in locales:
        below = f"{locale.gettext}/LC_MESSAGES/{name}.po"
        found.append((base + below, shown + below))
    return found


@functools.lru_cache(maxsize=8)
def _bases(root: Path, locales_dir: str) -> tuple[str, str]:
    """The catalogues' folder as a path and as a name from the project root, each ending in a slash."""
    folder = Path(root, locales_dir)
    try:
        shown = folder.relative_to(root).as_posix()  # as Project.rel
    except ValueError:
        shown = folder.as_posix()
    return os.path.join(folder, ""), "" if shown == "." else shown + "/"


class Kept:
    """What the store keeps for counting, read for every article at once (two queries,
    where looking each article up costs two): stored counts and file hashes by article."""

    def __init__(self, store: Store) -> None:
        self.counts: dict[str, dict[str, str]] = {}
        for slug, tag, value in store.rows(COMMAND):
            self.counts.setdefault(slug, {})[tag] = value
        self.files = store.kept_files()


def article_rows(
    project: Project, store: Store, slug: str, locales: Sequence[Locale], kept: Kept | None = None
) -> list[stats.Row]:
    """The ``status`` rows of article *slug* in *locales*: stored counts while the files'
    hashes match, counted (and stored) otherwise; *kept*: the store read at once."""
    paths = files(project, slug, locales)
    if kept is None:
        hashes = store.digests(slug, [path for path, _ in paths])
        stored = store.entries(slug).get(COMMAND, {})
    else:
        hashes = store.digests(slug, [path for path, _ in paths], kept.files.get(slug, {}))
        stored = kept.counts.get(slug, {})
    template: _Read | None = None
    rows = []
    for locale, (path, name), hashed in zip(locales, paths[1:], hashes[1:], strict=True):
        counts = _recalled(stored.get(locale.tag), key(hashed, hashes[0]))
        if counts is not None:
            rows.append(stats.Row(locale.tag, slug, name, hashed != b"missing", counts))
            continue
        if template is None:
            template = _Read(project, *paths[0])
        read = _Read(project, path, name)
        problem = read.error or template.error
        units = stats.template_units(template.catalogue, read.catalogue)
        counts = stats.count(units, read.catalogue)
        rows.append(stats.Row(locale.tag, slug, name, os.path.isfile(path), counts, str(problem) if problem else None))
        if problem is None:
            remember(store, slug, locale.tag, template.hash, Tally(read.hash, counts))
    return rows


def status_rows(project: Project, codes: list[str], store: Store) -> list[stats.Row]:
    """The ``status`` rows of the locales *codes* (every configured one when empty), by
    locale then article (see :func:`article_rows`)."""
    locales = targets(project, codes, new=True)
    kept = Kept(store)
    by_article = [article_rows(project, store, slug, locales, kept) for slug in distinct_slugs(project)]
    return [rows[at] for at in range(len(locales)) for rows in by_article]
