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
import functools
import hashlib
import multiprocessing
import os
import re
import signal
import sqlite3
import stat
import tempfile
import time
import tomllib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

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
    real_root: str = ""  # the root with symbolic links resolved (articles must stay inside)

    def rel(self, path: Path) -> str:
        """A path as users see it in messages: relative to the root, with slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @property
    def articles_dir(self) -> Path:
        return self.root / self.config.articles

    # Each path is made from all its parts at once: a chain of joins made a Path per
    # join, close to half the time of a build with nothing to do (2,000 articles).

    def article_path(self, slug: str) -> Path:
        return Path(self.root, self.config.articles, slug)

    def template_path(self, slug: str) -> Path:
        return Path(self.root, self.config.locales_dir, "templates", _stem(slug) + ".pot")

    def catalog_path(self, locale: Locale, slug: str) -> Path:
        return Path(self.root, self.config.locales_dir, locale.gettext, "LC_MESSAGES", _stem(slug) + ".po")

    def page_path(self, locale: Locale, slug: str) -> Path:
        return Path(self.root, self.config.output, locale.tag, slug)


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
    config = config_from(table, where)
    _check_folders(root, config, where)
    project = Project(root, config, os.path.realpath(root))
    if not project.articles_dir.is_dir():
        raise ConfigError("articles folder not found (run l10n from the project root)", project.config.articles)
    return project


_FOLDERS = ("articles", "locales_dir", "output")


def _check_folders(root: Path, config: Config, where: str) -> None:
    """Refuse configured folders outside the project, or inside one another.

    Symbolic links are followed: a folder is where its files are. A build whose output
    lies inside the articles would read its own pages as articles, and clean-up in a
    folder that holds other things could meet files that are not ours.
    """
    top = Path(os.path.realpath(root))
    real = {name: Path(os.path.realpath(root / getattr(config, name))) for name in _FOLDERS}
    for name, path in real.items():
        if path != top and not path.is_relative_to(top):
            raise ConfigError(f"'{name}' ({getattr(config, name)}) is outside the project", where)
    for index, first in enumerate(_FOLDERS):
        for second in _FOLDERS[index + 1 :]:
            a, b = real[first], real[second]
            shown = {name: getattr(config, name) for name in (first, second)}
            if a == b:
                raise ConfigError(f"'{second}' and '{first}' are the same folder ({shown[first]})", where)
            for inner, outer in ((second, first), (first, second)):
                if real[inner].is_relative_to(real[outer]):
                    raise ConfigError(f"'{inner}' ({shown[inner]}) is inside '{outer}' ({shown[outer]})", where)


def article_slugs(project: Project) -> list[str]:
    """Every article below the articles folder, as sorted POSIX paths relative to it."""
    base = str(project.articles_dir)
    slugs = []
    # os.walk gives names, not a Path per file: 10 ms for 2,000 articles instead of 24 ms.
    for folder, _, names in os.walk(base):
        prefix = os.path.relpath(folder, base).replace(os.sep, "/") + "/"
        for name in names:
            if os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES and os.path.isfile(os.path.join(folder, name)):
                slugs.append(name if prefix == "./" else prefix + name)
    return sorted(slugs)


def read_article(project: Project, slug: str) -> html_read.Document:
    """Read and parse one article; ArticleError names the file."""
    path = project.article_path(slug)
    if _CONTROL.search(slug):
        # Its name would break the PO references and the pages' URLs: one line, and on.
        raise ArticleError(
            "the file name holds a control character (a tab or line break); rename the file", _shown(project, path)
        )
    if not _inside(project, os.path.realpath(path)):
        raise ArticleError("a symbolic link to a file outside the project; not read", project.rel(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read: {exc.strerror}", project.rel(path)) from None
    try:
        return html_read.parse(data)
    except ArticleError as exc:
        raise exc.at(project.rel(path)) from None


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _shown(project: Project, path: Path) -> str:
    """A path for a one-line message: control characters written as escapes."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], project.rel(path))


def _inside(project: Project, real: str) -> bool:
    """True when the resolved path *real* is inside the project."""
    top = project.real_root or os.path.realpath(project.root)
    return real.startswith(top.rstrip(os.sep) + os.sep)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return None


def read_catalog(project: Project, path: Path) -> tuple[str | None, polib.POFile | None]:
    """Return ``(text, parsed POFile)`` or ``(None, None)`` when there is no file."""
    text = _catalog_text(project, path)
    if text is None:
        return None, None
    return text, po_read.read(text, project.rel(path))


def _catalog_text(project: Project, path: Path) -> str | None:
    """A catalogue's text, None when there is no file; CatalogError when it cannot be read."""
    try:
        return _read_text(path)
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 (byte {exc.start})", project.rel(path)) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", project.rel(path)) from None


class _Unchecked:
    """write_atomic replaces the file whatever it holds now."""


UNCHECKED = _Unchecked()


def write_atomic(
    path: Path,
    text: str,
    durable: bool = True,
    name: str | None = None,
    based_on: bytes | _Unchecked | None = UNCHECKED,
) -> bool:
    """Replace *path* with *text* (UTF-8) so that readers see the old or the new file, whole.

    *durable* also flushes the data to disk before the rename (translators' catalogues);
    generated pages, which a build can always write again, skip that cost. A failure
    (read-only folder, disk full) is an OutputError naming the file as *name*. The file
    gets the mode an ordinary write would give it: a replaced file keeps its own, a new
    one gets 0666 less the umask (mkstemp's 0600 would hide pages from a web server).

    With *based_on* (the :func:`_text_digest` of the text *text* was made from, None for
    no file), the file is replaced only if it still holds that text, checked after the
    new text is on disk and just before the rename; returns False, writing nothing,
    when someone else changed it meanwhile. (The check and the rename are two steps:
    a save in the microseconds between them is not seen.)
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}{_TEMPORARY_MARK}", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", name or str(path)) from None
    try:
        os.fchmod(handle, _mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if not isinstance(based_on, _Unchecked) and _file_digest(path) != based_on:
            os.unlink(temporary)
            return False
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {exc.strerror}", name or str(path)) from None
        raise
    return True


def _file_digest(path: Path) -> bytes | None:
    """The :func:`_text_digest` of a catalogue's text as :func:`read_catalog` reads it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return _text_digest(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return hashlib.sha256(data).digest() + b"undecodable"  # matches no text


# write_atomic's temporary files: ".<name>.l10n-<8 random characters>.tmp" (mkstemp's
# characters). Clean-up removes files of exactly this form and nothing else.
_TEMPORARY_MARK = ".l10n-"
_TEMPORARY = re.compile(r"\..+\.l10n-[a-z0-9_]{8}\.tmp\Z")


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


@contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Hold the project's lock: a second extract or build waits instead of interleaving.

    Holding it, no other run is writing, so the temporary files left in the catalogue
    and output folders are a crashed run's: they are removed (only files named as
    :func:`write_atomic` names them).
    """
    folder = project.root / project.config.locales_dir
    path = folder / ".l10n.lock"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(path, "w")  # noqa: SIM115 - held across the yield
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", project.rel(path)) from None
    with lock:
        # A POSIX record lock belongs to this process: forked workers do not hold it, and
        # it goes when the process dies, however it dies.
        fcntl.lockf(lock, fcntl.LOCK_EX)
        try:
            for name in ("locales_dir", "output"):
                _remove_temporaries(project.root / getattr(project.config, name))
            yield
        finally:
            fcntl.lockf(lock, fcntl.LOCK_UN)


def _remove_temporaries(folder: Path) -> None:
    for parent, _, names in os.walk(folder):
        for name in names:
            if name[0] == "." and _TEMPORARY.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(parent, name))


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
        # Milliseconds below a second: a run with nothing to do takes a few.
        return ", ".join(parts) + f" in {self.seconds:.{3 if self.seconds < 1 else 2}f} s"


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
    locales = project.config.with_locales(codes)
    summary = Summary()
    slugs = article_slugs(project)
    memories = {locale.gettext: catalog.Memory(_memory_loader(project, locale, slugs)) for locale in locales}
    with project_lock(project), _Store.open(project) as store:
        context = "|".join([__version__, *(locale.gettext for locale in locales)])
        last = (store.entries(slug).get("extract", {}).get("") for slug in slugs)
        todo = [
            slug
            for slug, key in zip(slugs, last, strict=True)
            if force or key != _extract_key(project, store, slug, locales, context)
        ]
        # A locale with no catalogue yet has an empty memory, and keeps it: every catalogue
        # this run writes for it starts empty. Workers can merge those on their own.
        empty = frozenset(locale.gettext for locale in locales if todo and not _has_catalogs(project, locale, slugs))
        run = _ExtractRun(project, locales, catalog.now(), empty)
        summary.articles = len(slugs)
        summary.unchanged = len(slugs) - len(todo)
        for slug, outcome in _in_parallel(_extract_job, run, todo, len(todo), jobs, progress):
            if isinstance(outcome, L10nError):
                summary.errors += 1
                report(outcome)
                continue
            summary.decoded.append(f"{_source_path(project, slug)}: decoded as {outcome.encoding}")
            clean = _write_catalog(project, project.template_path(slug), outcome.template, summary, report)
            template = _Template(project, slug, outcome)
            for locale in locales:
                memory = catalog.Memory() if locale.gettext in empty else memories[locale.gettext]
                again = functools.partial(_merge_again, project, slug, template, locale, memory)
                clean &= _settle_catalog(project, outcome.catalogs[locale.gettext], again, summary, report)
            if clean:
                store.put("extract", slug, "", _extract_key(project, store, slug, locales, context))
        store.prune("extract", slugs)
        _remove_stale_templates(project, slugs, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _extract_key(project: Project, store: _Store, slug: str, locales: tuple[Locale, ...], context: str) -> str:
    """What an article's extraction depends on: its bytes, its template and catalogues."""
    paths = [project.article_path(slug), project.template_path(slug)]
    paths.extend(project.catalog_path(locale, slug) for locale in locales)
    return _digest(context, store.digests(slug, map(str, paths)))


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
    # per locale (gettext code): the merge, the error that kept it from being made, or _Waiting
    catalogs: dict[str, _Merged | L10nError | _Waiting]
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
    try:
        text = catalog.settle_template(pot, _read_text(project.template_path(slug)), run.stamp)
    except L10nError as exc:  # text a PO file cannot hold
        return CatalogError(exc.message, _source_path(project, slug))
    catalogs: dict[str, _Merged | L10nError | _Waiting] = {}
    for locale in run.locales:
        memory = catalog.Memory() if locale.gettext in run.empty else _MemoryElsewhere()
        try:
            catalogs[locale.gettext] = _merged_text(project, slug, pot, locale, memory)
        except _AskedMemory:
            catalogs[locale.gettext] = _Waiting()
    waiting = any(isinstance(merged, _Waiting) for merged in catalogs.values())
    created = catalog.created_date(pot)
    return _Extracted(document.encoding, text, created, catalogs, tuple(units) if waiting else ())


@dataclass(frozen=True, slots=True)
class _Merged:
    """A locale's catalogue merged with the template, and the file it was merged from."""

    path: Path
    text: str | None  # the text to write; None when the file already says it
    read: bytes | None  # digest of the file's text as read; None when there was no file
    problems: tuple[L10nError, ...] = ()  # what is wrong in the file read, every translation kept


def _merged_text(
    project: Project, slug: str, pot: polib.POFile, locale: Locale, memory: catalog.Memory
) -> _Merged | L10nError:
    """A locale's catalogue merged with the template (text None when unchanged)."""
    path = project.catalog_path(locale, slug)
    try:
        old_text, old = read_catalog(project, path)
        text = dumps(catalog.merge(pot, old, locale, _team(locale), memory))
    except L10nError as exc:
        return exc.at(project.rel(path)) if not exc.path else exc
    read = _text_digest(old_text)
    problems = tuple(problem.at(project.rel(path)) for problem in catalog.duplicates(old)) if old else ()
    return _Merged(path, None if text == old_text else text, read, problems)


def _text_digest(text: str | None) -> bytes | None:
    return None if text is None else hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class _Template:
    """An article's template, made again in this process when a merge must be redone."""

    def __init__(self, project: Project, slug: str, outcome: _Extracted) -> None:
        self.project, self.slug, self.outcome = project, slug, outcome
        self._pot: polib.POFile | None = None

    def pot(self) -> polib.POFile:
        if self._pot is None:
            project, slug, outcome = self.project, self.slug, self.outcome
            # A worker sends the units only when some merge needs this process's memory;
            # otherwise the (rare) second merge reads the article again.
            units = outcome.units or segment(read_article(project, slug))
            self._pot = catalog.template(units, _source_path(project, slug), _stem(slug), outcome.created)
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
    merged: _Merged | L10nError | _Waiting,
    again: Callable[[], _Merged | L10nError],
    summary: Summary,
    report: Report,
) -> bool:
    """Write a merged catalogue unless its file changed since it was read; False if not done.

    A translator may save the file between the read and the write (workers read long
    before this process writes). The file is then merged again from what was saved, at
    most :data:`_ATTEMPTS` times; a file that keeps changing is left as saved, and said.
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
            if write_atomic(merged.path, merged.text, name=name, based_on=merged.read):
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
    for problem in merged.problems:
        summary.errors += 1
        report(problem)
    return not merged.problems


def _write_catalog(project: Project, path: Path, text: str | None, summary: Summary, report: Report) -> bool:
    """Write a template unless *text* is None (unchanged); False if it failed."""
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


def locale_catalogs(project: Project, locale: Locale) -> list[str]:
    """The stems (``news/story``) of every catalogue of a locale, in path order: those of
    current articles and those whose article is gone."""
    base = str(Path(project.root, project.config.locales_dir, locale.gettext, "LC_MESSAGES"))
    stems = []
    for folder, _, names in os.walk(base):
        prefix = os.path.relpath(folder, base).replace(os.sep, "/") + "/"
        for name in names:
            if name.endswith(".po") and not name.startswith("."):
                stem = name[:-3]
                stems.append(stem if prefix == "./" else prefix + stem)
    return sorted(stems)


def orphan_catalogs(project: Project, locale: Locale, slugs: list[str]) -> list[str]:
    """The stems of a locale's catalogues whose article is gone."""
    current = {_stem(slug) for slug in slugs}
    return [stem for stem in locale_catalogs(project, locale) if stem not in current]


def _has_catalogs(project: Project, locale: Locale, slugs: list[str]) -> bool:
    # The usual answer comes from the first article; a full listing only when it has none.
    return any(project.catalog_path(locale, slug).exists() for slug in slugs[:1]) or bool(
        locale_catalogs(project, locale)
    )


def _memory_loader(project: Project, locale: Locale, slugs: list[str]) -> Callable[[catalog.Memory], None]:
    """Fill a locale's memory: current articles' catalogues first, in article order, then
    those whose article is gone (a renamed article finds its translations there)."""

    def load(memory: catalog.Memory) -> None:
        base = Path(project.root, project.config.locales_dir, locale.gettext, "LC_MESSAGES")
        stems = [_stem(slug) for slug in slugs] + orphan_catalogs(project, locale, slugs)
        for stem in stems:
            try:
                _, po = read_catalog(project, Path(base, stem + ".po"))
            except L10nError:
                continue  # reported when that article's catalogue is merged, or by status
            if po is not None:
                memory.add(po, stem)

    return load


def _remove_stale_templates(project: Project, slugs: list[str], summary: Summary) -> None:
    """Remove the templates of articles that are gone: they are generated, and ours."""
    base = Path(project.root, project.config.locales_dir, "templates")
    current = {_stem(slug) + ".pot" for slug in slugs}
    for folder, _, names in os.walk(base):
        for name in names:
            path = Path(folder, name)
            if name.endswith(".pot") and path.relative_to(base).as_posix() not in current:
                with contextlib.suppress(OSError):
                    path.unlink()
                    summary.written.append(f"{project.rel(path)} (removed: its article is gone)")


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
    config = project.config
    threshold = config.min_percent if min_percent is None else min_percent
    locales = [config.source, *config.targets(codes)]
    summary = Summary()
    slugs = article_slugs(project)
    summary.articles = len(slugs)
    setting = f"{__version__}|{threshold}"
    # Pages of these locales stay; a locale gone from the configuration loses its pages.
    kept = {locale.tag for locale in (*locales, *config.locales)}
    with project_lock(project), _Store.open(project) as store:
        assumed: dict[str, frozenset[str]] = {}
        stale = 0
        for slug in slugs:
            article = _known(project, store, slug, locales, force)
            assumed[slug], fresh = _last_built(article, locales, setting, threshold)
            stale += not fresh
        run = _BuildRun(project, locales, threshold, setting, assumed)
        built: dict[str, frozenset[str]] = {}
        linking: dict[str, tuple[_Article, _Rendered]] = {}  # articles whose links may need the second pass
        # Looked up again rather than kept from the loop above: a stat and two indexed
        # queries an article, where keeping them all would grow memory with the archive.
        articles = (_known(project, store, slug, locales, force) for slug in slugs)
        # Starting worker processes costs more than a run where (nearly) everything is cached.
        workers = jobs if stale > 1 else 1
        for article, rendered in _in_parallel(_render_job, run, articles, len(slugs), workers, progress):
            slug = article.slug
            _remove_pages(project, store, slug, article.published - kept)
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
                store.put("coverage", slug, tag, f"{key}|{percent!r}")
            for locale in locales[1:]:
                if locale.tag not in rendered.tags:
                    project.page_path(locale, slug).unlink(missing_ok=True)
            if rendered.links:
                linking[slug] = (article, rendered)
            else:
                _count_pages(article, rendered, store, summary)
        again = [
            slug
            for slug, (_, rendered) in linking.items()
            if any(assumed.get(other) != built.get(other) for other in (rendered.links or "").split())
        ]
        for slug, (article, rendered) in linking.items():
            if slug not in again:
                _count_pages(article, rendered, store, summary)
        if again:
            # Made with the real locales of every article; the pages are written again.
            fixed = replace(run, assumed=built)
            store.flush()  # the coverage the first pass found
            articles = (replace(_known(project, store, slug, locales, force), pages={}) for slug in again)
            for article, rendered in _in_parallel(_render_job, fixed, articles, len(again), jobs, None):
                for error in rendered.errors:
                    report(error)
                summary.errors += len(rendered.errors)
                first = [path for _, _, path in linking[article.slug][1].done if path]
                _count_pages(article, rendered, store, summary, first)
        store.prune("coverage", slugs)
        for slug, pages in store.prune("pages", slugs).items():
            _remove_pages(project, store, slug, frozenset(pages) - {"links"})
    summary.seconds = time.perf_counter() - started
    return summary


def _remove_pages(project: Project, store: _Store, slug: str, tags: frozenset[str]) -> None:
    """Remove an article's pages in locales *tags*, and the folders left empty."""
    output = project.root / project.config.output
    for tag in tags:
        page = Path(output, tag, slug)
        with contextlib.suppress(OSError):
            page.unlink(missing_ok=True)
            folder = page.parent
            while folder != output and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        store.forget("pages", slug, tag)


def _count_pages(
    article: _Article, rendered: _Rendered, store: _Store, summary: Summary, earlier: Iterable[str] = ()
) -> None:
    """Put one article's pages in the summary and their keys in the store (*earlier*: the
    paths its first pass wrote, when it was made twice)."""
    written = dict.fromkeys(earlier)
    for page, key, path in rendered.done:
        if article.pages.get(page) != key:
            store.put("pages", article.slug, page, key)
        if page == "links":
            continue
        summary.pages += 1
        if path:
            written[path] = None
        if path is not None:
            summary.rendered += 1
    summary.written.extend(written)


def _last_built(
    article: _Article, locales: list[Locale], setting: str, threshold: float
) -> tuple[frozenset[str], bool]:
    """The locales the last run built for an article, if its coverage still holds (and
    True), else every locale (and False): what links to it assume until it is done."""
    tags = {locales[0].tag}
    fresh = True
    for locale in locales[1:]:
        cached = article.coverage.get(locale.tag, "").rsplit("|", 1)
        if cached[0] != _coverage_key(article, locale.tag, setting):
            fresh = False
            tags.add(locale.tag)
        elif float(cached[1]) + 1e-9 >= threshold:
            tags.add(locale.tag)
    return _shared(frozenset(tags)), fresh


# A run keeps the built locales of every article; most articles share one of a few sets.
_TAG_SETS: dict[frozenset[str], frozenset[str]] = {}


def _shared(tags: frozenset[str]) -> frozenset[str]:
    return _TAG_SETS.setdefault(tags, tags)


def _coverage_key(article: _Article, tag: str, setting: str) -> str:
    """What a page's coverage depends on: the article and the locale's catalogue."""
    return f"{_digest(setting, [article.digests['']])}|{_digest('', [article.digests[tag]])}"


@dataclass(frozen=True, slots=True)
class _Article:
    """One article as a build job gets it: its input files' content hashes and what the
    last run stored for it."""

    slug: str
    digests: Mapping[str, bytes]  # "" -> the article's, locale tag -> its catalogue's
    coverage: Mapping[str, str]  # locale tag -> "key|percent" (empty when --force)
    pages: Mapping[str, str]  # locale tag -> page key, "links" -> linked slugs (empty when --force)
    published: frozenset[str] = frozenset()  # the locales whose page a build wrote (also with --force)


def _known(project: Project, store: _Store, slug: str, locales: list[Locale], force: bool) -> _Article:
    paths = [str(project.article_path(slug)), *(str(project.catalog_path(locale, slug)) for locale in locales[1:])]
    digests = dict(zip(["", *(locale.tag for locale in locales[1:])], store.digests(slug, paths), strict=True))
    stored = store.entries(slug)
    pages = stored.get("pages", {})
    published = frozenset(pages) - {"links"}
    if force:
        return _Article(slug, digests, {}, {}, published)
    return _Article(slug, digests, stored.get("coverage", {}), pages, published)


@dataclass(frozen=True, slots=True)
class _BuildRun:
    """What every build job needs: the project, the settings, and the locales each article
    is assumed to be built in while pages that link to it are made."""

    project: Project
    locales: list[Locale]
    threshold: float
    setting: str
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


def _render_job(run: _BuildRun, article: _Article) -> _Rendered:
    """Decide which pages of one article are built and write them.

    The article is parsed and walked once, each catalogue read once, whatever the number
    of locales. A page whose key matches the last run's and which is on disk is left as is.
    """
    project, locales, slug = run.project, run.locales, article.slug
    errors: list[L10nError] = []
    tags = {locales[0].tag}
    skipped: list[str] = []
    covered: list[tuple[str, str, float]] = []
    document: html_read.Document | None = None
    segmented: Segmented | None = None
    usable: dict[str, dict[str, str]] = {}
    try:
        for locale in locales[1:]:
            key = _coverage_key(article, locale.tag, run.setting)
            cached = article.coverage.get(locale.tag, "")
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
        if document is None and article.digests[""] == b"missing":
            raise ArticleError("cannot read: No such file or directory", _source_path(project, slug))
    except ArticleError as exc:
        return _Rendered(slug, None, errors=(exc,))
    built = frozenset(tags)
    site = run.site(slug, built)
    done: list[tuple[str, str, str | None]] = []
    # The articles this one links to, as the last build found them: their built locales
    # are part of each page's key (a link goes to the target's page in the same locale).
    links = article.pages.get("links")
    todo: list[tuple[Locale, Path, Path | None]] = []
    for locale in locales:
        if locale.tag not in built:
            continue
        path = project.page_path(locale, slug)
        catalog_path = project.catalog_path(locale, slug) if locale != locales[0] else None
        if links is not None:
            key = _page_key(article, locale.tag, site, run.setting, links)
            if article.pages.get(locale.tag) == key and path.exists():
                done.append((locale.tag, key, None))
                continue
        todo.append((locale, path, catalog_path))
    for number, (locale, path, catalog_path) in enumerate(todo, 1):
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
        done.append((locale.tag, _page_key(article, locale.tag, site, run.setting, links), written))
    if links is not None:
        done.append(("links", links, None))
    encoding = document.encoding if document is not None else None
    return _Rendered(slug, built, tuple(skipped), tuple(covered), encoding, tuple(done), links, tuple(errors))


def _translations(project: Project, path: Path) -> dict[str, str]:
    """The usable translations of a catalogue (``catalog.translations``), {} without one."""
    text = _catalog_text(project, path)
    return po_read.usable(text, project.rel(path)) if text is not None else {}


def _page_key(article: _Article, tag: str, site: Site, setting: str, links: str) -> str:
    """What one page depends on: the article, the locale's catalogue (none for the source
    page), the settings, and the locales built for the article and those it links to."""
    slug = article.slug
    linked = [f"{other}:{','.join(sorted(site.built.get(other, ())))}" for other in links.split()]
    context = f"{setting}|{sorted(site.built[slug])}|{linked}|{site.base_url}|{site.output}|{site.articles}"
    files = [article.digests[""], *([article.digests[tag]] if tag in article.digests else [])]
    return _digest(context, files)


def _digest(context: str, files: Iterable[bytes]) -> str:
    """A hash of a context string and of files' content hashes."""
    digest = hashlib.sha256(context.encode())
    for known in files:
        digest.update(known)
    return digest.hexdigest()[:32]  # 128 bits tell versions apart; the store holds many


# A file changed less than this before it was hashed is hashed again next run: file
# timestamps come from a coarse clock (a tick of a few ms; 2 s on FAT), so a same-size
# rewrite within one tick could leave size, mtime and ctime as they were. Git's index
# calls such entries "racy" and does the same.
_SETTLED_NS = 2_000_000_000
_SCHEMA = 2  # PRAGMA user_version of the store; another version is dropped and made anew
_BATCH = 2048  # rows kept in memory before they are written


class _Store:
    """What earlier runs found, in ``.l10n-cache/state.sqlite3`` (safe to delete).

    ``files`` remembers each input file's content hash with the stat data it had when it
    was hashed (size, mtime, ctime, inode), as git's index does: while those are the
    same, the hash stands and the file is not read again. Any write changes the ctime,
    which no program can set back, so an edit is always seen, even one that keeps the
    size and puts the mtime back; a touched file is read, hashed, and found unchanged.
    Every decision is made on content hashes. ``entries`` holds each command's keys per
    article. Rows are read one article at a time and written in batches, so a run's
    memory does not grow with the archive. A store that cannot be used (damaged, locked
    for half a minute, read-only folder) is dropped: the run then redoes all its work.
    """

    def __init__(self, db: sqlite3.Connection | None, path: Path | None) -> None:
        self._db, self._path = db, path
        self._files: dict[str, tuple[str, str, bytes]] = {}  # path -> (slug, stamp, hash), unwritten
        self._entries: list[tuple[str, str, str, str]] = []  # (slug, command, key, value), unwritten

    @classmethod
    def open(cls, project: Project) -> _Store:
        path = project.root / CACHE_DIR / "state.sqlite3"
        for _ in range(2):
            try:
                path.parent.mkdir(exist_ok=True)
                return cls(_connect(path), path)
            except (OSError, sqlite3.Error):
                with contextlib.suppress(OSError):
                    path.unlink()  # damaged: the second attempt starts a new one
        return cls(None, None)

    def __enter__(self) -> _Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()

    def digests(self, slug: str, paths: Iterable[str]) -> list[bytes]:
        """The content hashes of the files at *paths*, inputs of article *slug*."""
        known: dict[str, tuple[str, bytes]] = {}
        if self._db is not None:
            rows = self._query("SELECT path, stamp, digest FROM files WHERE slug = ?", (slug,))
            known = {str(path): (str(stamp), bytes(digest)) for path, stamp, digest in rows}
        return [self._digest(path, slug, known) for path in paths]

    def _digest(self, path: str, slug: str, stored: dict[str, tuple[str, bytes]]) -> bytes:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return b"missing"
        except OSError:
            return b"unreadable"
        stamp = f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"
        unwritten = self._files.get(path)
        known = (unwritten[1], unwritten[2]) if unwritten else stored.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            with open(path, "rb") as stream:
                # SHA-256 has CPU instructions here: 2.0 GB/s against BLAKE2b's 1.35 GB/s.
                digest = hashlib.sha256(stream.read()).digest() + b"present"
        except FileNotFoundError:
            return b"missing"
        except OSError:
            return b"unreadable"
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - _SETTLED_NS:
            self._files[path] = (slug, stamp, digest)
            if len(self._files) >= _BATCH:
                self.flush()
        return digest

    def entries(self, slug: str) -> dict[str, dict[str, str]]:
        """What each command stored for article *slug*, by command (written rows only: see flush)."""
        found: dict[str, dict[str, str]] = {}
        if self._db is not None:
            for command, key, value in self._query("SELECT command, key, value FROM entries WHERE slug = ?", (slug,)):
                found.setdefault(str(command), {})[str(key)] = str(value)
        return found

    def put(self, command: str, slug: str, key: str, value: str) -> None:
        self._entries.append((slug, command, key, value))
        if len(self._entries) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the rows kept in memory, in one transaction."""
        files, entries = self._files, self._entries
        self._files, self._entries = {}, []
        if self._db is None or not (files or entries):
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                    ((path, *row) for path, row in files.items()),
                )
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", entries)
        except sqlite3.Error as exc:
            self._drop(exc)

    def forget(self, command: str, slug: str, key: str) -> None:
        """Forget one entry (written at once: it is rare)."""
        self.flush()
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("DELETE FROM entries WHERE slug = ? AND command = ? AND key = ?", (slug, command, key))
        except sqlite3.Error as exc:
            self._drop(exc)

    def prune(self, command: str, slugs: list[str]) -> dict[str, dict[str, str]]:
        """Forget what *command* stored for articles that are gone, and their files;
        return what it had stored for them (slug -> key -> value)."""
        self.flush()
        if self._db is None:
            return {}
        gone: dict[str, dict[str, str]] = {}
        try:
            with self._db:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS live (slug TEXT PRIMARY KEY) WITHOUT ROWID")
                self._db.execute("DELETE FROM live")
                self._db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((slug,) for slug in slugs))
                rows = self._db.execute(
                    "SELECT slug, key, value FROM entries WHERE command = ? AND slug NOT IN live", (command,)
                )
                for slug, key, value in rows.fetchall():
                    gone.setdefault(str(slug), {})[str(key)] = str(value)
                self._db.execute("DELETE FROM entries WHERE command = ? AND slug NOT IN live", (command,))
                self._db.execute("DELETE FROM files WHERE slug NOT IN live")
        except sqlite3.Error as exc:
            self._drop(exc)
        return gone

    def _query(self, sql: str, parameters: tuple[str, ...]) -> list[Any]:
        assert self._db is not None
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            self._drop(exc)
            return []

    def _drop(self, exc: sqlite3.Error) -> None:
        """Go on without the store; delete it if it is damaged (not merely busy)."""
        assert self._db is not None
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._db = None
        if self._path is not None and not isinstance(exc, sqlite3.OperationalError):
            with contextlib.suppress(OSError):
                self._path.unlink()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)
    try:
        # Losing the store costs one full run; syncing it to disk would cost every run.
        db.execute("PRAGMA synchronous = OFF")
        if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
            with db:
                db.execute("DROP TABLE IF EXISTS files")
                db.execute("DROP TABLE IF EXISTS entries")
                db.execute(
                    "CREATE TABLE files (path TEXT PRIMARY KEY, slug TEXT NOT NULL,"
                    " stamp TEXT NOT NULL, digest BLOB NOT NULL) WITHOUT ROWID"
                )
                db.execute("CREATE INDEX files_by_slug ON files (slug)")
                db.execute(
                    "CREATE TABLE entries (slug TEXT, command TEXT, key TEXT, value TEXT NOT NULL,"
                    " PRIMARY KEY (slug, command, key)) WITHOUT ROWID"
                )
                db.execute(f"PRAGMA user_version = {_SCHEMA}")
    except sqlite3.Error:
        db.close()
        raise
    return db


Item = TypeVar("Item")


def _in_parallel(
    job: Callable[[Any, Item], Any],
    context: Any,
    items: Iterable[Item],
    total: int,
    jobs: int,
    progress: Progress | None,
) -> Iterator[tuple[Item, Any]]:
    """Run ``job(context, item)`` for each of *total* items in *jobs* processes; yield
    ``(item, outcome)`` in the items' order.

    Workers are forked: they start at once, with everything imported and the context
    in memory (spawned ones took ~0.15 s each to import l10n again). They do not hold
    the catalogue lock (a record lock is per process) and die with the run. Items are
    taken from *items* as workers need them, and at most a few batches are in flight, so
    neither items nor results pile up (memory stays flat in archive size).
    """
    if jobs <= 1 or total < 2:
        for done, item in enumerate(items, 1):
            yield item, job(context, item)
            if progress:
                progress(done, total)
        return
    fork = multiprocessing.get_context("fork")
    workers = min(jobs, total)
    size = max(1, min(16, total // (workers * 4)))
    pending = iter(items)
    batches = iter(lambda: list(islice(pending, size)), [])
    done = 0
    with ProcessPoolExecutor(workers, mp_context=fork, initializer=_worker_setup, initargs=(job, context)) as pool:
        flying: deque[tuple[list[Item], Future[list[Any]]]] = deque()
        while True:
            while len(flying) < 2 * workers and (batch := next(batches, None)) is not None:
                flying.append((batch, pool.submit(_worker_batch, batch)))
            if not flying:
                break
            batch, future = flying.popleft()
            for item, outcome in zip(batch, future.result(), strict=True):
                done += 1
                yield item, outcome
                if progress:
                    progress(done, total)


_WORKER: tuple[Callable[[Any, Any], Any], Any] | None = None


def _worker_setup(job: Callable[[Any, Any], Any], context: Any) -> None:
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


def _worker_batch(items: list[Any]) -> list[Any]:
    assert _WORKER is not None
    job, context = _WORKER
    return [job(context, item) for item in items]


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


def orphans(project: Project, codes: list[str]) -> list[stats.Orphan]:
    """The catalogues of the locales whose article is gone, by locale then path."""
    slugs = article_slugs(project)
    suffix = {_stem(slug): os.path.splitext(slug)[1] for slug in slugs}
    found = []
    for locale in project.config.targets(codes):
        for stem in orphan_catalogs(project, locale, slugs):
            path = Path(project.root, project.config.locales_dir, locale.gettext, "LC_MESSAGES", stem + ".po")
            article = Path(project.articles_dir, stem + suffix.get(stem, ".html"))
            found.append(stats.Orphan(locale.tag, project.rel(path), project.rel(article)))
    return found


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
    with project_lock(project):
        for slug in article_slugs(project):
            path = project.catalog_path(locale, slug)
            try:
                old_text, po = read_catalog(project, path)
            except L10nError:
                continue  # extract has reported it
            if not isinstance(po, polib.POFile):
                continue  # the article could not be read: extract has reported it
            _fill_pseudo(po, qa.nplurals(locale.plural_forms))
            try:
                text = dumps(po)
                if text == old_text:
                    continue
                if not write_atomic(path, text, name=project.rel(path), based_on=_text_digest(old_text)):
                    raise CatalogError("changed by another program while pseudo ran; left as it was saved")
            except L10nError as exc:
                summary.errors += 1
                report(exc if exc.path else exc.at(project.rel(path)))
                continue
            if project.rel(path) not in summary.written:
                summary.written.append(project.rel(path))
    return summary
