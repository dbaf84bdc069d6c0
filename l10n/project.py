"""A newsroom project on disk: the only module that reads and writes files.

It finds the configuration and the articles, runs extraction and build over every
article, and reports each bad file as one :class:`~l10n.errors.L10nError` while going on
with the others. Writes are atomic (temporary file, then rename) and catalogue updates
hold a lock, so a crash or a second run never leaves half a file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import multiprocessing
import os
import tempfile
import time
import tomllib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import babel
import polib

from . import __version__, catalog, html_read, html_write, qa, stats
from .config import Config, config_from
from .errors import ArticleError, CatalogError, ConfigError, L10nError, OutputError
from .locale import PSEUDO, Locale, parse_locale
from .page import Site, localise
from .po_layout import dumps
from .pseudo import pseudo_translate
from .segment import Unit, apply, copy_document, segment

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
    return text, catalog.read(text, project.rel(path))


def write_atomic(path: Path, text: str, durable: bool = True, name: str | None = None) -> None:
    """Replace *path* with *text* (UTF-8) so that readers see the old or the new file, whole.

    *durable* also flushes the data to disk before the rename (translators' catalogues);
    generated pages, which a build can always write again, skip that cost. A failure
    (read-only folder, disk full) is an OutputError naming the file as *name*.
    """
    _FILE_DIGESTS.pop(path, None)
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
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Holding the lock, no other run is writing: temporary files left are a crash's.
        for stale in folder.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


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
    hashes, with the tool version) is skipped unless *force*. Articles are segmented in
    *jobs* processes; catalogues are merged and written in article order by this one, so
    the result is the same whatever *jobs* is.
    """
    started = time.perf_counter()
    _FILE_DIGESTS.clear()
    locales = project.config.with_locales(codes)
    summary = Summary()
    stamp = catalog.now()
    slugs = article_slugs(project)
    memories = {locale.gettext: catalog.Memory(_memory_loader(project, locale, slugs)) for locale in locales}
    with catalog_lock(project):
        cache = _Cache.load(project, "extract")
        context = "|".join([__version__, *(locale.gettext for locale in locales)])
        keys = {slug: _extract_key(project, slug, locales, context) for slug in slugs}
        todo = [slug for slug in slugs if force or cache.get(slug) != keys[slug]]
        summary.articles = len(slugs)
        summary.unchanged = len(slugs) - len(todo)
        for slug, outcome in _in_parallel(_segment_job, project, todo, jobs, progress):
            if isinstance(outcome, L10nError):
                summary.errors += 1
                report(outcome)
                continue
            units, encoding = outcome
            source_path = project.rel(project.article_path(slug))
            summary.decoded.append(f"{source_path}: decoded as {encoding}")
            pot = catalog.template(units, source_path, _stem(slug), "")
            pot_path = project.template_path(slug)
            text = catalog.settle_template(pot, _read_text(pot_path), stamp)
            clean = True
            if text is not None:
                try:
                    write_atomic(pot_path, text, name=project.rel(pot_path))
                    summary.written.append(project.rel(pot_path))
                except OutputError as exc:
                    summary.errors += 1
                    report(exc)
                    clean = False
            for locale in locales:
                clean &= _update_catalog(project, slug, pot, locale, memories[locale.gettext], summary, report)
            if clean:
                cache.set(slug, _extract_key(project, slug, locales, context))
        cache.save(slugs)
    summary.seconds = time.perf_counter() - started
    return summary


def _extract_key(project: Project, slug: str, locales: tuple[Locale, ...], context: str) -> str:
    paths = [project.article_path(slug), project.template_path(slug)]
    paths.extend(project.catalog_path(locale, slug) for locale in locales)
    return _digest(context, *paths)


def _segment_job(project: Project, slug: str) -> tuple[list[Unit], str] | L10nError:
    try:
        document = read_article(project, slug)
    except L10nError as exc:
        return exc
    return segment(document), document.encoding


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


def _update_catalog(
    project: Project,
    slug: str,
    pot: polib.POFile,
    locale: Locale,
    memory: catalog.Memory,
    summary: Summary,
    report: Report,
) -> bool:
    """Merge one catalogue; False when it could not be read (it is then left untouched)."""
    path = project.catalog_path(locale, slug)
    try:
        old_text, old = read_catalog(project, path)
    except L10nError as exc:
        summary.errors += 1
        report(exc)
        return False
    merged = catalog.merge(pot, old, locale, _team(locale), memory)
    text = dumps(merged)
    if text != old_text:
        try:
            write_atomic(path, text, name=project.rel(path))
        except OutputError as exc:
            summary.errors += 1
            report(exc)
            return False
        summary.written.append(project.rel(path))
    return True


@dataclass(frozen=True, slots=True)
class _Failed:
    """A worker's result when its article or a catalogue could not be read."""

    errors: tuple[L10nError, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What pass 1 of a build decided for one article."""

    slug: str
    tags: frozenset[str]  # locales whose page is built, the source included
    skipped: tuple[str, ...]  # "site/fa/x.html: 60% translated (threshold 100%)"
    coverage: tuple[tuple[str, str, float], ...]  # (locale tag, key, percent) to cache
    encoding: str | None  # None when the article was not parsed (all cached)
    errors: tuple[L10nError, ...] = ()  # catalogues that could not be read: those pages are not built


@dataclass(frozen=True, slots=True)
class _Built:
    """What pass 2 did for one article: cache entries (entry, value, path written, "" if
    unchanged, None if not rendered) and the pages it could not write."""

    done: tuple[tuple[str, str, str | None], ...]
    errors: tuple[L10nError, ...]


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

    Pass 1 decides which pages are built (so hreflang and links between articles know);
    pass 2 writes them. A page whose inputs (article, catalogue, tool version, threshold,
    the locales built for it and for the articles it links to) hash as in the last run,
    and which is still on disk, is not rewritten unless *force*.
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
    setting = f"{__version__}|{threshold}"
    known = {} if force else coverage_cache.entries
    plans: dict[str, _Plan] = {}
    stale = [slug for slug in slugs if any(_coverage_stale(project, slug, loc, setting, known) for loc in locales[1:])]
    context = (project, locales, threshold, setting, known)
    # Starting worker processes costs more than a run where (nearly) everything is cached.
    for slug, outcome in _in_parallel(_plan_job, context, slugs, jobs if len(stale) > 1 else 1, progress):
        if isinstance(outcome, _Failed):
            summary.errors += len(outcome.errors)
            for error in outcome.errors:
                report(error)
            continue
        plans[slug] = outcome
        summary.errors += len(outcome.errors)
        for error in outcome.errors:
            report(error)
        summary.skipped.extend(outcome.skipped)
        if outcome.encoding is not None:
            summary.decoded.append(f"{project.rel(project.article_path(slug))}: decoded as {outcome.encoding}")
        for tag, key, percent in outcome.coverage:
            coverage_cache.set(f"{slug}|{tag}", f"{key}|{percent!r}")
        for locale in locales[1:]:
            if locale.tag not in outcome.tags:
                project.page_path(locale, slug).unlink(missing_ok=True)
    coverage_cache.save(slugs)
    site = Site(config.articles, config.output, config.source, {s: p.tags for s, p in plans.items()}, config.base_url)
    page_cache = _Cache.load(project, "pages")
    pages = {} if force else page_cache.entries
    job = (project, locales, site, threshold, setting, pages)
    stale = [slug for slug in plans if _pages_stale(project, slug, locales, site, setting, pages)]
    for _, built in _in_parallel(_build_job, job, list(plans), jobs if len(stale) > 1 else 1, progress):
        summary.errors += len(built.errors)
        for error in built.errors:
            report(error)
        summary.pages += sum(1 for page, _, _ in built.done if not page.endswith("|links"))
        for page, key, path in built.done:
            page_cache.set(page, key)
            if path:
                summary.written.append(path)
            if path is not None and not page.endswith("|links"):
                summary.rendered += 1
    page_cache.save(slugs)
    summary.seconds = time.perf_counter() - started
    return summary


def _coverage_key(project: Project, slug: str, locale: Locale, setting: str) -> str:
    """What a page's coverage depends on: the article and the locale's catalogue."""
    return f"{_digest(setting, project.article_path(slug))}|{_digest('', project.catalog_path(locale, slug))}"


def _coverage_stale(project: Project, slug: str, locale: Locale, setting: str, known: dict[str, str]) -> bool:
    return known.get(f"{slug}|{locale.tag}", "").rsplit("|", 1)[0] != _coverage_key(project, slug, locale, setting)


def _pages_stale(
    project: Project, slug: str, locales: list[Locale], site: Site, setting: str, known: dict[str, str]
) -> bool:
    """True when some page of the article would be rendered again (see _build_job)."""
    links = known.get(f"{slug}|links")
    if links is None:
        return True
    for locale in locales:
        if locale.tag not in site.built[slug]:
            continue
        catalog_path = project.catalog_path(locale, slug) if locale.tag != site.source.tag else None
        key = _page_key(project, slug, catalog_path, site, setting, links)
        if known.get(f"{slug}|{locale.tag}") != key or not project.page_path(locale, slug).exists():
            return True
    return False


def _plan_job(
    context: tuple[Project, list[Locale], float, str, dict[str, str]], slug: str
) -> _Plan | _Failed:
    project, locales, threshold, setting, known = context
    errors: list[L10nError] = []
    tags = {locales[0].tag}
    skipped: list[str] = []
    covered: list[tuple[str, str, float]] = []
    msgids: list[str] | None = None
    encoding: str | None = None
    for locale in locales[1:]:
        path = project.catalog_path(locale, slug)
        key = _coverage_key(project, slug, locale, setting)
        cached = known.get(f"{slug}|{locale.tag}", "")
        if cached.rsplit("|", 1)[0] == key:
            percent = float(cached.rsplit("|", 1)[1])
        else:
            try:
                _, po = read_catalog(project, path)
                if msgids is None:
                    document = read_article(project, slug)
                    encoding = document.encoding
                    msgids = [unit.msgid for unit in segment(document)]
            except ArticleError as exc:
                return _Failed((exc,))
            except L10nError as exc:
                errors.append(exc)  # this locale's page is not built; the others are
                continue
            percent = catalog.coverage(msgids, catalog.translations(po) if po is not None else {}).percent
            covered.append((locale.tag, key, percent))
        if percent + 1e-9 >= threshold:
            tags.add(locale.tag)
        else:
            page = project.rel(project.page_path(locale, slug))
            skipped.append(f"{page}: {percent:.0f}% translated (threshold {threshold:g}%)")
    if encoding is None and not project.article_path(slug).is_file():
        missing = ArticleError("cannot read: No such file or directory", project.rel(project.article_path(slug)))
        return _Failed((missing,))
    return _Plan(slug, frozenset(tags), tuple(skipped), tuple(covered), encoding, tuple(errors))


def _build_job(
    context: tuple[Project, list[Locale], Site, float, str, dict[str, str]], slug: str
) -> _Built:
    """Write one article's pages; a page that cannot be read or written is reported, not fatal."""
    project, locales, site, threshold, setting, known = context
    source: html_read.Document | None = None
    done: list[tuple[str, str, str | None]] = []
    errors: list[L10nError] = []
    # The articles this one links to, as the last build found them: their built locales
    # are part of each page's key (a link goes to the target's page in the same locale).
    links = known.get(f"{slug}|links")
    for locale in locales:
        if locale.tag not in site.built[slug]:
            continue
        path = project.page_path(locale, slug)
        catalog_path = project.catalog_path(locale, slug) if locale.tag != site.source.tag else None
        entry = f"{slug}|{locale.tag}"
        if links is not None:
            key = _page_key(project, slug, catalog_path, site, setting, links)
            if known.get(entry) == key and path.exists():
                done.append((entry, key, None))
                continue
        try:
            if source is None:
                source = read_article(project, slug)
            usable: dict[str, str] = {}
            if catalog_path is not None:
                _, po = read_catalog(project, catalog_path)
                usable = catalog.translations(po) if po is not None else {}
        except ArticleError as exc:
            return _Built(tuple(done), (exc,))
        except L10nError as exc:
            errors.append(exc)
            continue
        page = copy_document(source)
        if catalog_path is not None:
            apply(page, usable, site.source.tag if threshold < 100 else None)
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
        done.append((entry, _page_key(project, slug, catalog_path, site, setting, links), written))
    if links is not None:
        done.append((f"{slug}|links", links, None))
    return _Built(tuple(done), tuple(errors))


def _page_key(project: Project, slug: str, catalog_path: Path | None, site: Site, setting: str, links: str) -> str:
    linked = [f"{other}:{','.join(sorted(site.built.get(other, ())))}" for other in links.split()]
    context = f"{setting}|{sorted(site.built[slug])}|{linked}|{site.base_url}|{site.output}|{site.articles}"
    return _digest(context, project.article_path(slug), *([catalog_path] if catalog_path else []))


def _digest(context: str, *paths: Path) -> str:
    """A content hash of files (a missing file counts as such) and a context string."""
    digest = hashlib.blake2b(context.encode(), digest_size=16)
    for path in paths:
        digest.update(_file_digest(path))
    return digest.hexdigest()


# Content hashes of the files read in this run: an article is part of the key of each
# of its pages, so without this it would be read and hashed once per locale. Cleared
# when a run starts and for each file the run writes.
_FILE_DIGESTS: dict[Path, bytes] = {}


def _file_digest(path: Path) -> bytes:
    known = _FILE_DIGESTS.get(path)
    if known is None:
        try:
            known = hashlib.blake2b(path.read_bytes(), digest_size=16).digest() + b"present"
        except FileNotFoundError:
            known = b"missing"
        _FILE_DIGESTS[path] = known
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

    Workers are spawned, not forked: a forked worker would inherit the catalogue lock
    and the pool's pipes, and outlive a killed run holding the lock. The context is
    sent once per worker, not once per article. At most a few batches are in flight,
    so results never pile up while the caller merges (memory stays flat in archive size).
    """
    total = len(slugs)
    if jobs <= 1 or total < 2:
        for done, slug in enumerate(slugs, 1):
            yield slug, job(context, slug)
            if progress:
                progress(done, total)
        return
    spawn = multiprocessing.get_context("spawn")
    workers = min(jobs, total)
    size = max(1, min(16, total // (workers * 4)))
    batches = deque(slugs[start : start + size] for start in range(0, total, size))
    done = 0
    with ProcessPoolExecutor(workers, mp_context=spawn, initializer=_worker_setup, initargs=(job, context)) as pool:
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
