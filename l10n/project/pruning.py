"""``l10n extract --prune``: the catalogues of articles that are gone, removed, their translations kept.

A catalogue whose article is gone (an *orphan*, :func:`~l10n.project.paths.orphan_catalogs`)
is a translator's work: before it is removed, its entries go into the locale's memory,
``locales/<lang>/memory.po`` (:mod:`l10n.compendium`), which translation memory reads
after the articles' catalogues. The file lies in the locale's folder, beside
``LC_MESSAGES``: no article's catalogue can be named so (they are all inside
``LC_MESSAGES``), no locale folder either (those are the catalogue folder's children),
and ``status``, ``check`` and ``build``, which read ``LC_MESSAGES`` only, never count it.

Nothing is lost on the way: a catalogue that cannot be read is not removed, the memory is
written (atomically, only if no one changed it since it was read) before any catalogue
is removed, and a catalogue that changed on disk since it was read is left where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import compendium
from ..catalog import now
from ..errors import CatalogError, ConfigError, L10nError, OutputError
from ..locale import Locale
from ..po.model import Catalog
from ..po.writer import write
from .disk import Disk
from .files import digest_of, holds
from .paths import Project, catalog_data, naming, orphan_catalogs, read_catalog
from .summary import Report, Summary


def memory_path(project: Project, locale: Locale) -> Path:
    """The locale's memory of pruned catalogues (it may not exist)."""
    return Path(project.root, project.config.locales_dir, locale.gettext, compendium.MEMORY_FILE)


def read_memory(project: Project, locale: Locale) -> Catalog | None:
    """The locale's memory, None when there is none (L10nError when it cannot be read)."""
    return read_catalog(project, memory_path(project, locale))[1]


@dataclass(frozen=True, slots=True)
class _Orphan:
    stem: str
    path: Path
    read: bytes | None  # the digest of the bytes its translations were taken from
    catalogue: Catalog


def prune(
    project: Project,
    disk: Disk,
    locales: tuple[Locale, ...],
    slugs: list[str],
    team: Callable[[Locale], str],
    summary: Summary,
    report: Report,
) -> None:
    """Move the orphan catalogues of *locales* (articles: *slugs*) into each locale's memory,
    and remove them; each removal is in ``summary.removed``, each failure reported. The
    caller holds the project's lock; *disk* makes the changes (a dry run's, none)."""
    if not slugs:
        # An articles folder emptied by mistake (or misconfigured) would remove every catalogue.
        summary.errors += 1
        report(ConfigError("no articles found: --prune removes nothing (it would remove every catalogue)"))
        return
    stamp = now()
    for locale in locales:
        orphans = _read_orphans(project, locale, slugs, summary, report)
        if orphans and _remember(project, disk, locale, orphans, team, stamp, summary, report):
            for orphan in orphans:
                _remove(project, disk, locale, orphan, summary, report)


def _read_orphans(
    project: Project, locale: Locale, slugs: list[str], summary: Summary, report: Report
) -> list[_Orphan]:
    base = Path(project.root, project.config.locales_dir, locale.gettext, "LC_MESSAGES")
    orphans = []
    for stem in orphan_catalogs(project, locale, slugs):
        path = Path(base, stem + ".po")
        try:
            data, catalogue = read_catalog(project, path)
        except L10nError as exc:
            summary.errors += 1
            report(type(exc)(f"{exc.message}; not pruned (its translations could not be kept)", exc.path, exc.line))
            continue
        if catalogue is not None:
            orphans.append(_Orphan(stem, path, digest_of(data), catalogue))
    return orphans


def _remember(
    project: Project,
    disk: Disk,
    locale: Locale,
    orphans: list[_Orphan],
    team: Callable[[Locale], str],
    stamp: str,
    summary: Summary,
    report: Report,
) -> bool:
    """Write the orphans' translations into the locale's memory; False (reported) if not done."""
    path = memory_path(project, locale)
    name = project.rel(path)
    try:
        data, memory = read_catalog(project, path)
        base = memory if memory is not None else compendium.empty(locale, team(locale), stamp)
        with naming(name):
            text = write(compendium.gather(base, ((o.stem, o.catalogue) for o in orphans), stamp))
        if holds(data, text):
            return True
        written = disk.write(path, text, name=name, based_on=digest_of(data))
    except L10nError as exc:
        summary.errors += 1
        report(exc)
        return False
    if not written:
        summary.errors += 1
        report(CatalogError("changed by another program while extract ran; nothing pruned: run it again", name))
        return False
    summary.written.append(name)
    return True


def _remove(project: Project, disk: Disk, locale: Locale, orphan: _Orphan, summary: Summary, report: Report) -> None:
    """Remove an orphan whose translations are in the memory, unless it changed since it was read."""
    name = project.rel(orphan.path)
    try:
        data = catalog_data(project, orphan.path)
        if data is None:
            return  # removed by someone else meanwhile: nothing to do
        if digest_of(data) != orphan.read:
            # saved by a translator meanwhile: the next prune keeps what they saved
            raise CatalogError("changed by another program while extract ran; not removed: run extract --prune again")
        disk.remove(orphan.path)
    except OSError as exc:
        summary.errors += 1
        report(OutputError(f"cannot remove: {exc.strerror}", name))
        return
    except L10nError as exc:
        summary.errors += 1
        report(exc if exc.path else exc.at(name))
        return
    memory = project.rel(memory_path(project, locale))
    summary.removed.append(f"{name}: its article is gone; its translations are kept in {memory}")
    _remove_empty_folders(
        disk, orphan.path.parent, Path(project.root, project.config.locales_dir, locale.gettext, "LC_MESSAGES")
    )


def _remove_empty_folders(disk: Disk, folder: Path, top: Path) -> None:
    """Remove *folder* and its parents up to *top* (excluded) while they are empty."""
    while folder != top and top in folder.parents:
        try:
            disk.remove_folder(folder)
        except OSError:  # not empty (or not ours to remove): left, and its parents too
            return
        folder = folder.parent
