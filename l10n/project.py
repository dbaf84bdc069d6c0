"""A newsroom project on disk: the only module that reads and writes files.

It finds the configuration and the articles, runs extraction and build over every
article, and reports each bad file as one :class:`~l10n.errors.L10nError` while going on
with the others. Writes are atomic (temporary file, then rename) and catalogue updates
hold a lock, so a crash or a second run never leaves half a file.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import multiprocessing
import os
import signal
import tempfile
import time
import tomllib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import babel
import polib

from . import __version__, catalog, html_read, html_write, po_read, qa, stats
from .config import Config, config_from
from .errors import ArticleError, CatalogError, ConfigError, L10nError, OutputError
from .locale import PSEUDO, Locale, parse_locale
from .page import Site, localise
from .po_layout import dumps
from .pseudo import pseudo_translate
from .segment import Segmented, Unit, copy_document, segment

Report = Callable[[L10nError], None]
Progress = Callable[[int, int], None]  # (done, total), for a progress bar
CACHE_DIR = ".l10n-cache"
ARTICLE_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True, slots=True)
class Project:
    """A project root and its validated configuration."""

    root: Path
    config: Config

    def rel(self, path: Path) -> str:
        """A path as users see it in messages: relative to the root, with slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @property
    def articles_dir(self) -> Path:
        return self.root / self.config.articles

    def article_path(self, slug: str) -> Path:
        return self.articles_dir / slug

    def template_path(self, slug: str) -> Path:
        return self.root / self.config.locales_dir / "templates" / (_stem(slug) + ".pot")

    def catalog_path(self, locale: Locale, slug: str) -> Path:
        return self.root / self.config.locales_dir / locale.gettext / "LC_MESSAGES" / (_stem(slug) + ".po")

    def page_path(self, locale: Locale, slug: str) -> Path:
        return self.root / self.config.output / locale.tag / slug


def _stem(slug: str) -> str:
    return slug.rsplit(".", 1)[0]


def open_project(root: Path) -> Project:
    """Read the configuration of the project at *root* (pyproject.toml, l10n.toml or none)."""
    table: dict[str, object] = {}
    where = "pyproject.toml"
    l10n_toml = root / "l10n.toml"
    pyproject = root / "pyproject.toml"
    try:
        if l10n_toml.exists():
            where = "l10n.toml"
            data = tomllib.loads(l10n_toml.read_text(encoding="utf-8"))
            table = data.get("tool", {}).get("l10n", data)
        elif pyproject.exists():
            table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("l10n", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", where) from None
    project = Project(root, config_from(table, where))
    if not project.articles_dir.is_dir():
        raise ConfigError("articles folder not found (run l10n from the project root)", project.config.articles)
    return project


def article_slugs(project: Project) -> list[str]:
    """Every article below the articles folder, as sorted POSIX paths relative to it."""
    base = project.articles_dir
    return sorted(
        path.relative_to(base).as_posix()
        for path in base.rglob("*")
        if path.suffix.lower() in ARTICLE_SUFFIXES and path.is_file()
    )


def read_article(project: Project, slug: str) -> html_read.Document:
    """Read and parse one article; ArticleError names the file."""
    path = project.article_path(slug)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read: {exc.strerror}", project.rel(path)) from None
    try:
        return html_read.parse(data)
    except ArticleError as exc:
        raise exc.at(project.rel(path)) from None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return None


def read_catalog(project: Project, path: Path) -> tuple[str | None, polib.POFile | None]:
    """Return ``(text, parsed POFile)`` or ``(None, None)`` when there is no file."""
    try:
        text = _read_text(path)
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 (byte {exc.start})", project.rel(path)) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", project.rel(path)) from None
    if text is None:
        return None, None
    return text, po_read.read(text, project.rel(path))


def write_atomic(path: Path, text: str, durable: bool = True, name: str | None = None) -> None:
    """Replace *path* with *text* (UTF-8) so that readers see the old or the new file, whole.

    *durable* also flushes the data to disk before the rename (translators' catalogues);
    generated pages, which a build can always write again, skip that cost. A failure
    (read-only folder, disk full) is an OutputError naming the file as *name*.
    """
    _FILE_DIGESTS.pop(str(path), None)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", name or str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {exc.strerror}", name or str(path)) from None
        raise


@contextmanager
def catalog_lock(project: Project) -> Iterator[None]:
    """Hold the project's catalogue lock: a second extract waits instead of interleaving."""
    folder = project.root / project.config.locales_dir
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".l10n.lock", "w") as lock:
        # A POSIX record lock belongs to this process: forked workers do not hold it, and
        # it goes when the process dies, however it dies.
        fcntl.lockf(lock, fcntl.LOCK_EX)
        # Holding the lock, no other run is writing: temporary files left are a crash's.
        for stale in folder.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            fcntl.lockf(lock, fcntl.LOCK_UN)


@dataclass(slots=True)
class Summary:
    """What a run did, for the one-line summary and the exit status."""

    articles: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0  # articles skipped because nothing they depend on changed
    rendered: int = 0  # pages rendered by build (written only when their text changed)
    pages: int = 0  # pages the build has on disk, up to date
    seconds: float = 0.0
    decoded: list[str] = field(default_factory=list)  # "path: decoded as X", for -v
    skipped: list[str] = field(default_factory=list)
    errors: int = 0

    def line(self, verb: str) -> str:
        parts = [f"{self.articles} articles", f"{len(self.written)} files {verb}"]
        if self.pages:
            parts.append(f"{self.pages} pages built")
        if self.unchanged:
            parts.append(f"{self.unchanged} articles unchanged")
        if self.skipped:
            parts.append(f"{len(self.skipped)} pages skipped below threshold")
        parts.append(f"{self.errors} errors")
        return ", ".join(parts) + f" in {self.seconds:.2f} s"


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
) -> Summary:
    """Write each article's POT and update its PO for every locale; report bad files.

    An article whose bytes, template and catalogues are what the last run left (content
    hashes, with the tool version) is skipped unless *force*. Workers segment articles
    and merge their catalogues; this process writes the files in article order, and
    does the merges that need translation memory itself, in that order, so the result
    is the same whatever *jobs* is.
    """
    started = time.perf_counter()
    _FILE_DIGESTS.clear()
    locales = project.config.with_locales(codes)
    summary = Summary()
    slugs = article_slugs(project)
    memories = {locale.gettext: catalog.Memory(_memory_loader(project, locale, slugs)) for locale in locales}
    with catalog_lock(project):
        cache = _Cache.load(project, "extract")
        context = "|".join([__version__, *(locale.gettext for locale in locales)])
        keys = {slug: _extract_key(project, slug, locales, context) for slug in slugs}
        todo = [slug for slug in slugs if force or cache.get(slug) != keys[slug]]
        # A locale with no catalogue yet has an empty memory, and keeps it: every catalogue
        # this run writes for it starts empty. Workers can merge those on their own.
        empty = frozenset(
            locale.gettext
            for locale in locales
            if all(_file_digest(project.catalog_path(locale, slug)) == b"missing" for slug in slugs)
        )
        run = _ExtractRun(project, locales, catalog.now(), empty)
        summary.articles = len(slugs)
        summary.unchanged = len(slugs) - len(todo)
        for slug, outcome in _in_parallel(_extract_job, run, todo, jobs, progress):
            if isinstance(outcome, L10nError):
                summary.errors += 1
                report(outcome)
                continue
            summary.decoded.append(f"{_source_path(project, slug)}: decoded as {outcome.encoding}")
            clean = _write_catalog(project, project.template_path(slug), outcome.template, summary, report)
            for locale in locales:
                merged = outcome.catalogs[locale.gettext]
                if isinstance(merged, _Waiting):
                    pot = catalog.template(outcome.units, _source_path(project, slug), _stem(slug), outcome.created)
                    memory = memories[locale.gettext]
                    merged = _merged_text(project, slug, pot, locale, memory)
                path = project.catalog_path(locale, slug)
                if isinstance(merged, L10nError):
                    summary.errors += 1
                    report(merged)
                    clean = False
                else:
                    clean &= _write_catalog(project, path, merged, summary, report)
            if clean:
                cache.set(slug, _extract_key(project, slug, locales, context))
        cache.save(slugs)
    summary.seconds = time.perf_counter() - started
    return summary


def _extract_key(project: Project, slug: str, locales: tuple[Locale, ...], context: str) -> str:
    paths = [project.article_path(slug), project.template_path(slug)]
    paths.extend(project.catalog_path(locale, slug) for locale in locales)
    return _digest(context, *paths)


def _source_path(project: Project, slug: str) -> str:
    return project.rel(project.article_path(slug))


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
    # per locale (gettext code): the PO text to write, None when the file already says it,
    # the error that kept it unread, or _Waiting
    catalogs: dict[str, str | L10nError | _Waiting | None]
    units: tuple[Unit, ...] = ()  # given when some catalogue is _Waiting


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
        document = read_article(project, slug)
    except L10nError as exc:
        return exc
    units = segment(document)
    pot = catalog.template(units, _source_path(project, slug), _stem(slug), "")
    text = catalog.settle_template(pot, _read_text(project.template_path(slug)), run.stamp)
    catalogs: dict[str, str | L10nError | _Waiting | None] = {}
    for locale in run.locales:
        memory = catalog.Memory() if locale.gettext in run.empty else _MemoryElsewhere()
        try:
            catalogs[locale.gettext] = _merged_text(project, slug, pot, locale, memory)
        except _AskedMemory:
            catalogs[locale.gettext] = _Waiting()
    waiting = any(isinstance(merged, _Waiting) for merged in catalogs.values())
    created = catalog.created_date(pot)
    return _Extracted(document.encoding, text, created, catalogs, tuple(units) if waiting else ())


def _merged_text(
    project: Project, slug: str, pot: polib.POFile, locale: Locale, memory: catalog.Memory
) -> str | L10nError | None:
    """The text of a locale's catalogue merged with the template; None when unchanged."""
    path = project.catalog_path(locale, slug)
    try:
        old_text, old = read_catalog(project, path)
    except L10nError as exc:
        return exc
    text = dumps(catalog.merge(pot, old, locale, _team(locale), memory))
    return None if text == old_text else text


def _write_catalog(project: Project, path: Path, text: str | None, summary: Summary, report: Report) -> bool:
    """Write a template or catalogue unless *text* is None (unchanged); False if it failed."""
    if text is None:
        return True
    try:
        write_atomic(path, text, name=project.rel(path))
    except OutputError as exc:
        summary.errors += 1
        report(exc)
        return False
    summary.written.append(project.rel(path))
    return True


def _memory_loader(project: Project, locale: Locale, slugs: list[str]) -> Callable[[catalog.Memory], None]:
    def load(memory: catalog.Memory) -> None:
        for slug in slugs:
            try:
                _, po = read_catalog(project, project.catalog_path(locale, slug))
            except L10nError:
                continue  # reported when that article's catalogue is merged
            if po is not None:
                memory.add(po, _stem(slug))

    return load


def build(
    project: Project,
    codes: list[str],
    min_percent: float | None,
    report: Report,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Write ``site/<lang>/<slug>`` for the source locale and each target locale that qualifies.

    Each article is read, walked and translated once. Its own pages know which of its
    locales qualify; a link to another article goes to that article's page in the same
    locale when it is built, which is only known once every article is done. Links are
    first made with the locales the last run built (every locale on a first run); the
    few articles that link to one whose locales turned out different are made again.
    A page whose inputs (article, catalogue, tool version, threshold, the locales built
    for it and for the articles it links to) hash as in the last run, and which is
    still on disk, is not rewritten unless *force*.
    """
    started = time.perf_counter()
    _FILE_DIGESTS.clear()
    config = project.config
    threshold = config.min_percent if min_percent is None else min_percent
    locales = [config.source, *config.targets(codes)]
    summary = Summary()
    slugs = article_slugs(project)
    summary.articles = len(slugs)
    coverage_cache = _Cache.load(project, "coverage")
    page_cache = _Cache.load(project, "pages")
    setting = f"{__version__}|{threshold}"
    coverage = {} if force else coverage_cache.entries
    pages = {} if force else page_cache.entries
    assumed: dict[str, frozenset[str]] = {}
    stale = 0
    for slug in slugs:
        assumed[slug], fresh = _last_built(project, slug, locales, setting, threshold, coverage)
        stale += not fresh
    run = _BuildRun(project, locales, threshold, setting, coverage, pages, assumed)
    built: dict[str, frozenset[str]] = {}
    linking: dict[str, _Rendered] = {}  # articles whose links may need the second pass
    # Starting worker processes costs more than a run where (nearly) everything is cached.
    for slug, rendered in _in_parallel(_render_job, run, slugs, jobs if stale > 1 else 1, progress):
        for error in rendered.errors:
            report(error)
        summary.errors += len(rendered.errors)
        if rendered.tags is None:
            continue
        built[slug] = _shared(rendered.tags)
        summary.skipped.extend(rendered.skipped)
        if rendered.encoding is not None:
            summary.decoded.append(f"{_source_path(project, slug)}: decoded as {rendered.encoding}")
        for tag, key, percent in rendered.coverage:
            coverage_cache.set(f"{slug}|{tag}", f"{key}|{percent!r}")
        for locale in locales[1:]:
            if locale.tag not in rendered.tags:
                project.page_path(locale, slug).unlink(missing_ok=True)
        if rendered.links:
            linking[slug] = rendered
        else:
            _count_pages(rendered, page_cache, summary)
    coverage_cache.save(slugs)
    again = [
        slug
        for slug, rendered in linking.items()
        if any(assumed.get(other) != built.get(other) for other in (rendered.links or "").split())
    ]
    for slug in linking.keys() - set(again):
        _count_pages(linking[slug], page_cache, summary)
    if again:
        # Made with the real locales of every article; the pages are written again.
        fixed = replace(run, assumed=built, pages={}, coverage={**coverage, **coverage_cache.fresh})
        for slug, rendered in _in_parallel(_render_job, fixed, again, jobs if len(again) > 1 else 1, None):
            for error in rendered.errors:
                report(error)
            summary.errors += len(rendered.errors)
            first = [path for _, _, path in linking[slug].done if path]
            _count_pages(rendered, page_cache, summary, first)
    page_cache.save(slugs)
    summary.seconds = time.perf_counter() - started
    return summary


def _count_pages(rendered: _Rendered, cache: _Cache, summary: Summary, earlier: Iterable[str] = ()) -> None:
    """Put one article's pages in the summary and the page cache (*earlier*: the paths its
    first pass wrote, when it was made twice)."""
    written = dict.fromkeys(earlier)
    for page, key, path in rendered.done:
        cache.set(page, key)
        if page.endswith("|links"):
            continue
        summary.pages += 1
        if path:
            written[path] = None
        if path is not None:
            summary.rendered += 1
    summary.written.extend(written)


def _last_built(
    project: Project, slug: str, locales: list[Locale], setting: str, threshold: float, known: Mapping[str, str]
) -> tuple[frozenset[str], bool]:
    """The locales the last run built for an article, if its coverage still holds (and
    True), else every locale (and False): what links to it assume until it is done."""
    tags = {locales[0].tag}
    fresh = True
    for locale in locales[1:]:
        cached = known.get(f"{slug}|{locale.tag}", "").rsplit("|", 1)
        if cached[0] != _coverage_key(project, slug, locale, setting):
            fresh = False
            tags.add(locale.tag)
        elif float(cached[1]) + 1e-9 >= threshold:
            tags.add(locale.tag)
    return _shared(frozenset(tags)), fresh


# A run keeps the built locales of every article; most articles share one of a few sets.
_TAG_SETS: dict[frozenset[str], frozenset[str]] = {}


def _shared(tags: frozenset[str]) -> frozenset[str]:
    return _TAG_SETS.setdefault(tags, tags)


def _coverage_key(project: Project, slug: str, locale: Locale, setting: str) -> str:
    """What a page's coverage depends on: the article and the locale's catalogue."""
    return f"{_digest(setting, project.article_path(slug))}|{_digest('', project.catalog_path(locale, slug))}"


@dataclass(frozen=True, slots=True)
class _BuildRun:
    """What every build job needs: the project, the settings, the last run's cache, and the
    locales each article is assumed to be built in while pages that link to it are made."""

    project: Project
    locales: list[Locale]
    threshold: float
    setting: str
    coverage: Mapping[str, str]  # cache "slug|tag" -> "key|percent" (empty when --force)
    pages: Mapping[str, str]  # cache "slug|tag" -> page key, "slug|links" -> linked slugs
    assumed: Mapping[str, frozenset[str]]

    def site(self, slug: str, tags: frozenset[str]) -> Site:
        config = self.project.config
        built = _Overlay(self.assumed, slug, tags)
        return Site(config.articles, config.output, config.source, built, config.base_url)


class _Overlay(Mapping[str, frozenset[str]]):
    """The locales built for each article: *assumed*, except one article's own, known ones."""

    def __init__(self, assumed: Mapping[str, frozenset[str]], slug: str, tags: frozenset[str]) -> None:
        self.assumed, self.slug, self.tags = assumed, slug, tags

    def __getitem__(self, key: str) -> frozenset[str]:
        return self.tags if key == self.slug else self.assumed[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.assumed)

    def __len__(self) -> int:
        return len(self.assumed)


@dataclass(frozen=True, slots=True)
class _Rendered:
    """What the build job did for one article."""

    slug: str
    tags: frozenset[str] | None  # locales built, the source included; None: the article is unreadable
    skipped: tuple[str, ...] = ()  # "site/fa/x.html: 60% translated (threshold 100%)"
    coverage: tuple[tuple[str, str, float], ...] = ()  # (locale tag, key, percent) to cache
    encoding: str | None = None  # None when the article was not parsed (all cached)
    # (cache entry, key, path written; "" when the page was already so, None when not rendered)
    done: tuple[tuple[str, str, str | None], ...] = ()
    links: str | None = None  # the articles its pages link to, space-separated
    errors: tuple[L10nError, ...] = ()


def _render_job(run: _BuildRun, slug: str) -> _Rendered:
    """Decide which pages of one article are built and write them.

    The article is parsed and walked once, each catalogue read once, whatever the number
    of locales. A page whose key matches the last run's and which is on disk is left as is.
    """
    project, locales = run.project, run.locales
    errors: list[L10nError] = []
    tags = {locales[0].tag}
    skipped: list[str] = []
    covered: list[tuple[str, str, float]] = []
    document: html_read.Document | None = None
    segmented: Segmented | None = None
    usable: dict[str, dict[str, str]] = {}
    try:
        for locale in locales[1:]:
            key = _coverage_key(project, slug, locale, run.setting)
            cached = run.coverage.get(f"{slug}|{locale.tag}", "")
            if cached.rsplit("|", 1)[0] == key:
                percent = float(cached.rsplit("|", 1)[1])
            else:
                try:
                    usable[locale.tag] = _translations(project, project.catalog_path(locale, slug))
                except CatalogError as exc:
                    errors.append(exc)  # this locale's page is not built; the others are
                    continue
                if segmented is None:
                    document = read_article(project, slug)
                    segmented = Segmented(document)
                percent = catalog.coverage(segmented.msgids(), usable[locale.tag]).percent
                covered.append((locale.tag, key, percent))
            if percent + 1e-9 >= run.threshold:
                tags.add(locale.tag)
            else:
                shown = project.rel(project.page_path(locale, slug))
                skipped.append(f"{shown}: {percent:.0f}% translated (threshold {run.threshold:g}%)")
        if document is None and not project.article_path(slug).is_file():
            raise ArticleError("cannot read: No such file or directory", _source_path(project, slug))
    except ArticleError as exc:
        return _Rendered(slug, None, errors=(exc,))
    built = frozenset(tags)
    site = run.site(slug, built)
    done: list[tuple[str, str, str | None]] = []
    # The articles this one links to, as the last build found them: their built locales
    # are part of each page's key (a link goes to the target's page in the same locale).
    links = run.pages.get(f"{slug}|links")
    todo: list[tuple[Locale, Path, Path | None, str]] = []
    for locale in locales:
        if locale.tag not in built:
            continue
        path = project.page_path(locale, slug)
        catalog_path = project.catalog_path(locale, slug) if locale != locales[0] else None
        entry = f"{slug}|{locale.tag}"
        if links is not None:
            key = _page_key(project, slug, catalog_path, site, run.setting, links)
            if run.pages.get(entry) == key and path.exists():
                done.append((entry, key, None))
                continue
        todo.append((locale, path, catalog_path, entry))
    for number, (locale, path, catalog_path, entry) in enumerate(todo, 1):
        last = number == len(todo)  # the article's last page is made from the parsed page itself
        try:
            if document is None:
                document = read_article(project, slug)
            if catalog_path is None:
                page = document if last else copy_document(document)
            else:
                if segmented is None:
                    segmented = Segmented(document)
                if locale.tag not in usable:
                    usable[locale.tag] = _translations(project, catalog_path)
                fallback = locales[0].tag if run.threshold < 100 else None
                page, _ = segmented.translated(usable[locale.tag], fallback, last_use=last)
        except ArticleError as exc:
            return _Rendered(slug, None, errors=(*errors, exc))
        except CatalogError as exc:
            errors.append(exc)
            continue
        links = " ".join(sorted(localise(page, locale, slug, site)))
        text = html_write.serialise(page)
        written: str | None = ""
        if _read_text(path) != text:
            try:
                write_atomic(path, text, durable=False, name=project.rel(path))
            except OutputError as exc:
                errors.append(exc)
                continue
            written = project.rel(path)
        done.append((entry, _page_key(project, slug, catalog_path, site, run.setting, links), written))
    if links is not None:
        done.append((f"{slug}|links", links, None))
    encoding = document.encoding if document is not None else None
    return _Rendered(slug, built, tuple(skipped), tuple(covered), encoding, tuple(done), links, tuple(errors))


def _translations(project: Project, path: Path) -> dict[str, str]:
    _, po = read_catalog(project, path)
    return catalog.translations(po) if po is not None else {}


def _page_key(project: Project, slug: str, catalog_path: Path | None, site: Site, setting: str, links: str) -> str:
    linked = [f"{other}:{','.join(sorted(site.built.get(other, ())))}" for other in links.split()]
    context = f"{setting}|{sorted(site.built[slug])}|{linked}|{site.base_url}|{site.output}|{site.articles}"
    return _digest(context, project.article_path(slug), *([catalog_path] if catalog_path else []))


def _digest(context: str, *paths: Path) -> str:
    """A content hash of files (a missing file counts as such) and a context string."""
    digest = hashlib.sha256(context.encode())
    for path in paths:
        digest.update(_file_digest(path))
    return digest.hexdigest()[:32]  # 128 bits tell versions apart; the cache holds many


# Content hashes of the files read in this run: an article is part of the key of each
# of its pages, so without this it would be read and hashed once per locale. Cleared
# when a run starts and for each file the run writes. Keyed by the path's text: a Path
# object costs several times more memory, and a run holds one per file of the archive.
_FILE_DIGESTS: dict[str, bytes] = {}


def _file_digest(path: Path) -> bytes:
    key = str(path)
    known = _FILE_DIGESTS.get(key)
    if known is None:
        try:
            # SHA-256 has CPU instructions here: 2.0 GB/s against BLAKE2b's 1.35 GB/s, and a
            # run with nothing to do is mostly this hashing of every article and catalogue.
            known = hashlib.sha256(path.read_bytes()).digest() + b"present"
        except FileNotFoundError:
            known = b"missing"
        _FILE_DIGESTS[key] = known
    return known


class _Cache:
    """Content hashes of the last run, in ``.l10n-cache/<name>.json`` (safe to delete)."""

    def __init__(self, path: Path, entries: dict[str, str]) -> None:
        self.path = path
        self.entries = entries
        self.fresh: dict[str, str] = {}

    @classmethod
    def load(cls, project: Project, name: str) -> _Cache:
        path = project.root / CACHE_DIR / f"{name}.json"
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}
        return cls(path, entries if isinstance(entries, dict) else {})

    def get(self, key: str) -> str | None:
        value = self.entries.get(key)
        return value if isinstance(value, str) else None

    def set(self, key: str, value: str) -> None:
        self.fresh[key] = value

    def save(self, slugs: list[str]) -> None:
        """Write this run's entries over the last run's, dropping articles that are gone."""
        live = set(slugs)
        entries = {k: v for k, v in self.entries.items() if k.split("|", 1)[0] in live}
        entries.update(self.fresh)
        if entries != self.entries:
            # Without its cache the next run redoes the work; the outputs are still right.
            with contextlib.suppress(OutputError):
                write_atomic(self.path, json.dumps(entries, sort_keys=True, indent=0), durable=False)


def _in_parallel(
    job: Callable[[Any, str], Any], context: Any, slugs: list[str], jobs: int, progress: Progress | None
) -> Iterator[tuple[str, Any]]:
    """Run ``job(context, slug)`` for each slug in *jobs* processes; yield in slug order.

    Workers are forked: they start at once, with everything imported and the context
    in memory (spawned ones took ~0.15 s each to import l10n again). They do not hold
    the catalogue lock (a record lock is per process) and die with the run. At most a
    few batches are in flight, so results never pile up while the caller merges (memory
    stays flat in archive size).
    """
    total = len(slugs)
    if jobs <= 1 or total < 2:
        for done, slug in enumerate(slugs, 1):
            yield slug, job(context, slug)
            if progress:
                progress(done, total)
        return
    fork = multiprocessing.get_context("fork")
    workers = min(jobs, total)
    size = max(1, min(16, total // (workers * 4)))
    batches = deque(slugs[start : start + size] for start in range(0, total, size))
    done = 0
    with ProcessPoolExecutor(workers, mp_context=fork, initializer=_worker_setup, initargs=(job, context)) as pool:
        flying: deque[tuple[list[str], Future[list[Any]]]] = deque()
        while batches or flying:
            while batches and len(flying) < 2 * workers:
                batch = batches.popleft()
                flying.append((batch, pool.submit(_worker_batch, batch)))
            batch, future = flying.popleft()
            for slug, outcome in zip(batch, future.result(), strict=True):
                done += 1
                yield slug, outcome
                if progress:
                    progress(done, total)


_WORKER: tuple[Callable[[Any, str], Any], Any] | None = None


def _worker_setup(job: Callable[[Any, str], Any], context: Any) -> None:
    global _WORKER
    _WORKER = (job, context)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the run that forked it dies (even by SIGKILL);
    an orphaned worker would otherwise wait on its pipe for ever."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _worker_batch(slugs: list[str]) -> list[Any]:
    assert _WORKER is not None
    job, context = _WORKER
    return [job(context, slug) for slug in slugs]


# --- Desk commands: status, check, pseudo (README.md "Desk commands") ----------------------


def _desk_catalog(project: Project, path: Path) -> tuple[polib.POFile | None, L10nError | None]:
    """A parsed catalogue or template (None when there is no file) and the error that kept it unread."""
    try:
        _, po = read_catalog(project, path)
    except L10nError as exc:
        return None, exc
    return (po if isinstance(po, polib.POFile) else None), None


def status(project: Project, codes: list[str]) -> list[stats.Row]:
    """Progress per locale and article: units of the article's template, by state in the PO."""
    templates = {slug: _desk_catalog(project, project.template_path(slug)) for slug in article_slugs(project)}
    rows: list[stats.Row] = []
    for locale in project.config.targets(codes):
        for slug, (template, template_error) in templates.items():
            path = project.catalog_path(locale, slug)
            po, error = _desk_catalog(project, path)
            problem = error or template_error
            rows.append(
                stats.Row(
                    locale.tag,
                    slug,
                    project.rel(path),
                    path.is_file(),
                    stats.count(stats.template_units(template, po), po),
                    str(problem) if problem else None,
                )
            )
    return rows


def check(project: Project, codes: list[str]) -> qa.Checked:
    """QA findings of every existing catalogue of the locales, by locale then article."""
    groups: list[list[qa.Finding]] = []
    for locale in project.config.targets(codes):
        nplurals = qa.nplurals(locale.plural_forms)
        for slug in article_slugs(project):
            path = project.catalog_path(locale, slug)
            try:
                text, po = read_catalog(project, path)
            except L10nError as exc:
                groups.append([qa.parse_error(exc)])
                continue
            if text is not None and isinstance(po, polib.POFile):
                groups.append(qa.check_catalogue(po, project.rel(path), nplurals, text))
    return qa.collect(groups, len(groups))


def _fill_pseudo(po: polib.POFile, nplurals: int) -> None:
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {
                index: pseudo_translate(entry.msgid if index == 0 else entry.msgid_plural) for index in range(nplurals)
            }
        else:
            entry.msgstr = pseudo_translate(entry.msgid)
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def pseudo(project: Project, code: str, report: Report) -> Summary:
    """Extract for the pseudo-locale *code*, then fill all its catalogues with pseudo-translations."""
    locale = parse_locale(code)
    if locale.gettext not in PSEUDO:
        names = ", ".join(name.replace("_", "-") for name in PSEUDO)
        raise ConfigError(f"{code!r} is not a pseudo-locale ({names}); pseudo never overwrites real translations")
    summary = extract(project, [locale.gettext], report)
    with catalog_lock(project):
        for slug in article_slugs(project):
            path = project.catalog_path(locale, slug)
            try:
                old_text, po = read_catalog(project, path)
            except L10nError:
                continue  # extract has reported it
            if not isinstance(po, polib.POFile):
                continue  # the article could not be read: extract has reported it
            _fill_pseudo(po, qa.nplurals(locale.plural_forms))
            text = dumps(po)
            if text != old_text:
                write_atomic(path, text)
                if project.rel(path) not in summary.written:
                    summary.written.append(project.rel(path))
    return summary
