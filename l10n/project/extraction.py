"""``l10n extract``: templates written and catalogues merged, every translation kept.

Workers segment articles and merge their catalogues; the parent writes the files in
article order and makes itself the merges that need translation memory, so the result
is the same whatever the number of workers. A catalogue saved by a translator while the
run goes on is merged again, never overwritten.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import babel

from .. import __version__, catalog, compendium, stats
from ..errors import CatalogError, L10nError, OutputError
from ..locale import Locale
from ..po.model import Catalog
from ..po.writer import write
from ..segment import segment
from ..slot import Unit
from . import counting, pruning
from .cluster import Runner
from .disk import Disk, DryDisk
from .files import digest_of, holds
from .paths import (
    Project,
    article_slugs,
    clash_error,
    locale_catalogs,
    naming,
    orphan_catalogs,
    read_article,
    read_article_file,
    read_catalog,
    read_text,
    source_path,
    stem,
    stem_clashes,
)
from .pool import in_parallel
from .store import Hashed, Store, digest, file_digest
from .summary import Progress, Report, Summary


# Asked for each catalogue merged (1 % of an extract's time when Babel was asked each
# time: a parse and a lookup in the English display names); a run has a few locales.
@functools.cache
def _team(locale: Locale) -> str:
    try:
        return str(babel.Locale.parse(locale.cldr).english_name)
    except (ValueError, babel.UnknownLocaleError):
        return locale.tag


def extract(
    project: Project,
    codes: list[str],
    report: Report,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    prune: bool = False,
    dry_run: bool = False,
    runner: Runner = in_parallel,
) -> Summary:
    """Write each article's POT and update its PO for every locale; report bad files.

    An article whose bytes, template and catalogues are what the last run left (content
    hashes, with the tool version) is skipped unless *force*. Workers segment articles
    and merge their catalogues; this process writes the files in article order, and
    does the merges that need translation memory itself, in that order, so the result
    is the same whatever *jobs* is. With *prune*, the catalogues whose article is gone
    are then removed, their translations kept in each locale's memory (:mod:`.pruning`).
    With *dry_run*, the same run writes nothing (:class:`~.disk.DryDisk`): the summary
    says what it would have written and removed (:func:`~.disk.planned`). *runner* runs
    the jobs: forked workers, or a Dask cluster (:mod:`.cluster`).
    """
    disk = DryDisk() if dry_run else Disk()
    started = time.perf_counter()
    locales = project.config.with_locales(codes)
    summary = Summary()
    slugs = article_slugs(project)
    summary.articles = len(slugs)
    clashes = stem_clashes(slugs)
    for slug, earlier in clashes.items():  # refused before anything is read or written
        summary.errors += 1
        report(clash_error(project, slug, earlier))
    slugs = [slug for slug in slugs if slug not in clashes]
    memories = {locale.gettext: catalog.Memory(_memory_loader(project, disk, locale, slugs)) for locale in locales}
    with disk.lock(project), disk.store(project) as store:
        # The budgets are in the templates' comments: a changed one makes every article's anew.
        context = "|".join([__version__, repr(project.config.budgets), *(locale.gettext for locale in locales)])
        last = (store.entries(slug).get("extract", {}).get("") for slug in slugs)
        todo = [
            slug
            for slug, key in zip(slugs, last, strict=True)
            if force or key is None or key != _extract_key(project, store, slug, locales, context)
        ]
        # A locale with no catalogue yet has an empty memory, and keeps it: every catalogue
        # this run writes for it starts empty. Workers can merge those on their own.
        empty = frozenset(locale.gettext for locale in locales if todo and not _has_catalogs(project, locale, slugs))
        run = _ExtractRun(project, locales, catalog.now(), empty)
        summary.unchanged = len(slugs) - len(todo)
        for slug, outcome in runner(_extract_job, run, todo, len(todo), jobs, progress):
            if isinstance(outcome, L10nError):
                summary.errors += 1
                report(outcome)
                continue
            summary.decoded.append(f"{source_path(project, slug)}: decoded as {outcome.encoding}")
            for problem in outcome.problems:  # characters removed to read the article
                summary.errors += 1
                report(problem)
            clean = not outcome.problems  # if not, done again (and reported) next run
            # The article's key is made of the bytes this run read and wrote, not of the
            # files as they are by the time it is made: a save right after a write (or an
            # edit of the article after the worker read it) is then seen by the next run.
            # It also spares this process reading every file again.
            made: dict[str, bytes] = {}
            if outcome.article is not None:
                store.remember(str(project.article_path(slug)), slug, outcome.article)
                made[str(project.article_path(slug))] = outcome.article.digest
            written = _write_catalog(project, disk, project.template_path(slug), outcome.template, summary, report)
            if written and outcome.template is not None:
                made[str(project.template_path(slug))] = outcome.template_hash
                store.wrote(str(project.template_path(slug)), slug)
            clean &= written
            template = _Template(project, slug, outcome)
            for locale in locales:
                memory = catalog.Memory() if locale.gettext in empty else memories[locale.gettext]
                again = functools.partial(_merge_again, project, slug, template, locale, memory)
                settled = functools.partial(_counted, store, slug, locale, outcome.template_hash, made)
                clean &= _settle_catalog(
                    project, disk, outcome.catalogs[locale.gettext], again, summary, report, settled
                )
            if clean:
                store.put("extract", slug, "", _extract_key(project, store, slug, locales, context, made))
        store.prune("extract", slugs)
        store.prune(counting.COMMAND, slugs)
        _remove_stale_templates(project, disk, slugs, summary)
        if prune:
            pruning.prune(project, disk, locales, slugs, _team, summary, report)
    summary.seconds = time.perf_counter() - started
    return summary


def _counted(store: Store, slug: str, locale: Locale, template: bytes, made: dict[str, bytes], merged: _Merged) -> None:
    """Keep a settled catalogue's ``status`` counts in the store (:mod:`.counting`); add
    its hash to *made* when this run wrote it."""
    if merged.tally is not None:
        counting.remember(store, slug, locale.tag, template, merged.tally)
        if merged.text is not None:
            made[str(merged.path)] = merged.tally.catalogue
            store.wrote(str(merged.path), slug)


def _extract_key(
    project: Project,
    store: Store,
    slug: str,
    locales: tuple[Locale, ...],
    context: str,
    made: dict[str, bytes] | None = None,
) -> str:
    """What an article's extraction depends on: its bytes, its template and catalogues;
    *made*: the hashes of those this run read or wrote (the others are hashed as they are)."""
    paths = [str(project.article_path(slug)), str(project.template_path(slug))]
    paths.extend(str(project.catalog_path(locale, slug)) for locale in locales)
    made = made or {}
    hashed = iter(store.digests(slug, [path for path in paths if path not in made]))
    return digest(context, [made[path] if path in made else next(hashed) for path in paths])


@dataclass(frozen=True, slots=True)
class _ExtractRun:
    """What every extract job needs."""

    project: Project
    locales: tuple[Locale, ...]
    stamp: str  # the POT-Creation-Date of templates whose content changes
    empty: frozenset[str]  # locales (gettext codes) whose translation memory is empty


class _Waiting:
    """A catalogue whose merge needs the locale's translation memory: the parent does it."""


@dataclass(frozen=True, slots=True)
class _Extracted:
    """One article's extraction, as a worker leaves it for the parent to write."""

    encoding: str
    template: str | None  # the POT text to write; None when the file already says it
    created: str  # the template's POT-Creation-Date
    # per locale (gettext code): the merge, the error that kept it from being made, or _Waiting
    catalogs: dict[str, _Merged | L10nError | _Waiting]
    units: tuple[Unit, ...] = ()  # given when some catalogue is _Waiting
    problems: tuple[L10nError, ...] = ()  # what was removed to read the article
    template_hash: bytes = b""  # store.file_digest of the template's bytes once written
    article: Hashed | None = None  # the hash of the article's bytes the worker read


class _MemoryElsewhere(catalog.Memory):
    """The translation memory, as a worker sees it: not here. Asking it stops the merge."""

    def get(self, msgid: str) -> catalog.Remembered | None:
        raise _AskedMemory

    def near(self, msgid: str, origin: str) -> tuple[catalog.Remembered, float] | None:
        raise _AskedMemory


class _AskedMemory(Exception):
    pass


def _extract_job(run: _ExtractRun, slug: str) -> _Extracted | L10nError:
    project = run.project
    try:
        article = read_article_file(project, slug)
    except L10nError as exc:
        return exc
    document = article.document
    try:
        with naming(source_path(project, slug)):
            units = segment(document)
            pot = catalog.template(units, source_path(project, slug), stem(slug), "", project.config.budgets)
            old = _old_template(project.template_path(slug))
            pot, text = catalog.settle_template(pot, old, run.stamp)
    except L10nError as exc:  # too many units; text a PO file cannot hold
        return exc
    catalogs: dict[str, _Merged | L10nError | _Waiting] = {}
    for locale in run.locales:
        memory = catalog.Memory() if locale.gettext in run.empty else _MemoryElsewhere()
        try:
            catalogs[locale.gettext] = _merged_text(project, slug, pot, locale, memory)
        except _AskedMemory:
            catalogs[locale.gettext] = _Waiting()
    waiting = any(isinstance(merged, _Waiting) for merged in catalogs.values())
    created = catalog.created_date(pot)
    units_sent = tuple(units) if waiting else ()
    written = text if text is not None else old or ""  # old: None only when text is not
    hashed = file_digest(written.encode("utf-8", "surrogatepass"))
    return _Extracted(
        document.encoding, text, created, catalogs, units_sent, document.problems, hashed,
        Hashed.of(article.stat, article.data),
    )  # fmt: skip


def _old_template(path: Path) -> str | None:
    """The template's text, None when there is none or it cannot be read: templates are
    generated, so such a one is written again (a folder in its place: the write says so)."""
    try:
        return read_text(path)
    except (OSError, UnicodeDecodeError):
        return None


@dataclass(frozen=True, slots=True)
class _Merged:
    """A locale's catalogue merged with the template, and the file it was merged from."""

    path: Path
    text: str | None  # the text to write; None when the file already says it
    read: bytes | None  # digest of the file's bytes as read (files.digest_of); None when there was no file
    problems: tuple[L10nError, ...] = ()  # what is wrong in the file read, every translation kept
    tally: counting.Tally | None = None  # its status counts, once written


def _merged_text(
    project: Project, slug: str, pot: Catalog, locale: Locale, memory: catalog.Memory
) -> _Merged | L10nError:
    """A locale's catalogue merged with the template (text None when unchanged)."""
    path = project.catalog_path(locale, slug)
    try:
        old_data, old = read_catalog(project, path)
        if old is not None and old.cut:
            raise CatalogError(
                "a NUL character cuts this text short (GNU gettext reads up to it): the file is left as"
                " saved, since writing it again would lose what follows; remove the NUL",
                project.rel(path),
                old.cut[0],
            )
        merged = catalog.merge(pot, old, locale, _team(locale), memory)
        text = write(merged)
    except L10nError as exc:
        return exc.at(project.rel(path)) if not exc.path else exc
    problems = tuple(problem.at(project.rel(path)) for problem in catalog.duplicates(old)) if old else ()
    unchanged = holds(old_data, text)
    # Counted as status counts the file once written (its bytes: those read, or the text).
    bytes_after = old_data if unchanged else text.encode("utf-8", "surrogatepass")
    tally = counting.Tally(file_digest(bytes_after), stats.count(stats.template_units(pot, merged), merged))
    return _Merged(path, None if unchanged else text, digest_of(old_data), problems, tally)


class _Template:
    """An article's template, made again in this process when a merge must be redone."""

    def __init__(self, project: Project, slug: str, outcome: _Extracted) -> None:
        self.project, self.slug, self.outcome = project, slug, outcome
        self._pot: Catalog | None = None

    def pot(self) -> Catalog:
        if self._pot is None:
            project, slug, outcome = self.project, self.slug, self.outcome
            # A worker sends the units only when some merge needs this process's memory;
            # otherwise the (rare) second merge reads the article again.
            with naming(source_path(project, slug)):
                units = outcome.units or segment(read_article(project, slug))
            self._pot = catalog.template(
                units, source_path(project, slug), stem(slug), outcome.created, project.config.budgets
            )
        return self._pot


def _merge_again(
    project: Project, slug: str, template: _Template, locale: Locale, memory: catalog.Memory
) -> _Merged | L10nError:
    try:
        pot = template.pot()
    except L10nError as exc:
        return exc
    return _merged_text(project, slug, pot, locale, memory)


# How many times a catalogue saved by someone else during the run is merged again.
_ATTEMPTS = 3


def _settle_catalog(
    project: Project,
    disk: Disk,
    merged: _Merged | L10nError | _Waiting,
    again: Callable[[], _Merged | L10nError],
    summary: Summary,
    report: Report,
    settled: Callable[[_Merged], None] = lambda merged: None,
) -> bool:
    """Write a merged catalogue unless its file changed since it was read; False if not done;
    *settled* is given the merge once the file says it.

    A translator may save the file between the read and the write (workers read long
    before this process writes). The file is then merged again from what was saved, at
    most :data:`_ATTEMPTS` times; a file that keeps changing is left as saved, and said.
    A file read empty may be an editor's save half done (see :func:`~.files.write_atomic`).
    """
    for attempt in range(_ATTEMPTS):
        if attempt or isinstance(merged, _Waiting):
            merged = again()
        if isinstance(merged, L10nError):
            summary.errors += 1
            report(merged)
            return False
        if merged.text is None:
            break
        name = project.rel(merged.path)
        try:
            if disk.write(merged.path, merged.text, name=name, based_on=merged.read):
                summary.written.append(name)
                break
        except OutputError as exc:
            summary.errors += 1
            report(exc)
            return False
    else:
        summary.errors += 1
        report(
            CatalogError(
                f"changed by another program while extract ran ({_ATTEMPTS} times); left as it was saved:"
                " run extract again",
                name,
            )
        )
        return False
    settled(merged)
    for problem in merged.problems:
        summary.errors += 1
        report(problem)
    return not merged.problems


def _write_catalog(
    project: Project, disk: Disk, path: Path, text: str | None, summary: Summary, report: Report
) -> bool:
    """Write a template unless *text* is None (unchanged); False if it failed."""
    if text is None:
        return True
    try:
        disk.write(path, text, name=project.rel(path))
    except OutputError as exc:
        summary.errors += 1
        report(exc)
        return False
    summary.written.append(project.rel(path))
    return True


def _has_catalogs(project: Project, locale: Locale, slugs: list[str]) -> bool:
    # The usual answer comes from the first article; a full listing only when it has none.
    return (
        any(project.catalog_path(locale, slug).exists() for slug in slugs[:1])
        or bool(locale_catalogs(project, locale))
        or pruning.memory_path(project, locale).exists()
    )


def _memory_loader(project: Project, disk: Disk, locale: Locale, slugs: list[str]) -> Callable[[catalog.Memory], None]:
    """Fill a locale's memory: current articles' catalogues first, in article order, then
    those whose article is gone (a renamed article finds its translations there), then
    the locale's memory of pruned catalogues. It is filled when first asked, after this
    run wrote some catalogues: read as *disk* has them (a dry run's as it would have)."""

    def load(memory: catalog.Memory) -> None:
        base = Path(project.root, project.config.locales_dir, locale.gettext, "LC_MESSAGES")
        stems = [stem(slug) for slug in slugs] + orphan_catalogs(project, locale, slugs)
        for name in stems:
            try:
                _, po = disk.read_catalog(project, Path(base, name + ".po"))
            except L10nError:
                continue  # reported when that article's catalogue is merged, or by status
            if po is not None:
                memory.add(po, name)
        try:
            pruned = pruning.read_memory(project, locale)
        except L10nError:
            return  # reported by extract --prune, which writes it
        for origin, part in compendium.by_origin(pruned) if pruned is not None else ():
            memory.add(part, origin)

    return load


def _remove_stale_templates(project: Project, disk: Disk, slugs: list[str], summary: Summary) -> None:
    """Remove the templates of articles that are gone: they are generated, and ours."""
    base = Path(project.root, project.config.locales_dir, "templates")
    current = {stem(slug) + ".pot" for slug in slugs}
    for folder, _, names in os.walk(base):
        for name in names:
            path = Path(folder, name)
            if name.endswith(".pot") and path.relative_to(base).as_posix() not in current:
                with contextlib.suppress(OSError):
                    if disk.remove(path):
                        summary.deleted.append(project.rel(path))
