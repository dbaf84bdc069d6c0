"""The project on disk: its configuration, folders, articles and catalogues, read.

It finds the project root (the nearest folder, from where a command starts upwards,
that holds ``l10n.toml``, a ``pyproject.toml`` with ``[tool.l10n]`` or ``articles/``) and
its configuration, checks that the configured folders lie inside the project and apart
from one another, lists the articles and reads one article or catalogue; each failure
is an :class:`~l10n.errors.L10nError` naming the file.
"""

from __future__ import annotations

import os
import posixpath
import re
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from .. import html_read
from ..config import Config, closest, config_from
from ..errors import ArticleError, CatalogError, ConfigError, L10nError, escape_controls
from ..locale import Locale
from ..po import reader
from ..po.model import Catalog

CACHE_DIR = ".l10n-cache"
XLIFF_DIR = "xliff"  # where l10n xliff export writes by default (git-ignored: hand-offs, made again at will)


ARTICLE_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True, slots=True)
class Project:
    """A project root and its validated configuration."""

    root: Path
    config: Config
    real_root: str = ""  # the root with symbolic links resolved (articles must stay inside)
    config_file: str = "pyproject.toml"  # where the configuration is (or would be)

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
        return Path(self.root, self.config.locales_dir, "templates", stem(slug) + ".pot")

    def catalog_path(self, locale: Locale, slug: str) -> Path:
        return Path(self.root, self.config.locales_dir, locale.gettext, "LC_MESSAGES", stem(slug) + ".po")

    def page_path(self, locale: Locale, slug: str) -> Path:
        return Path(self.root, self.config.output, locale.tag, slug)

    def page_name(self, tag: str, slug: str) -> str:
        """A page's path as users see it (``site/fr/x.html``), made without a Path: a run
        with nothing to do names every page, and a Path a name cost half of such a run."""
        return posixpath.normpath(posixpath.join(self.config.output, tag, slug))


def stem(slug: str) -> str:
    return slug.rsplit(".", 1)[0]


# What makes a folder a project root, for messages; see project_marker().
LOOKED_FOR = "l10n.toml, a pyproject.toml with [tool.l10n], or an articles/ folder"


@dataclass(frozen=True, slots=True)
class Found:
    """A project root found by :func:`find_project` and what made it one."""

    root: Path
    marker: str  # "l10n.toml", "pyproject.toml" or "articles/"


def project_marker(folder: Path) -> str | None:
    """What makes *folder* a project root (``l10n.toml``, ``pyproject.toml`` or
    ``articles/``, in the order :func:`open_project` reads them), None when nothing does.

    A ``pyproject.toml`` counts when it has a ``[tool.l10n]`` table, or when it mentions
    l10n but cannot be read: its table cannot be looked for, and the search must not go
    past it to a project above (open_project then says what is wrong with it). Without
    that table it is some other tool's file: a monorepo's root is no project unless
    ``articles/`` is beside it.
    """
    if (folder / "l10n.toml").is_file():
        return "l10n.toml"
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _declares_l10n(pyproject):
        return "pyproject.toml"
    if (folder / "articles").is_dir():
        return "articles/"
    return None


def _declares_l10n(pyproject: Path) -> bool:
    """True when *pyproject* has a ``[tool.l10n]`` table, or mentions l10n unreadably."""
    try:
        data = pyproject.read_bytes()
    except OSError:
        return True
    if b"l10n" not in data:  # most pyproject.toml files of a monorepo: no TOML parse
        return False
    try:
        tool = tomllib.loads(data.decode("utf-8")).get("tool")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True
    return isinstance(tool, dict) and "l10n" in tool


def find_project(start: Path) -> Found | None:
    """The nearest project root at or above *start* (made absolute), as git finds its
    repository: the walk stops at the filesystem root, and it crosses mount points (a
    newsroom's articles may be a mounted share)."""
    start = start.absolute()
    for folder in (start, *start.parents):
        marker = project_marker(folder)
        if marker is not None:
            return Found(folder, marker)
    return None


def find_root(start: Path) -> Path:
    """The root of the project that a command started in *start* works on; ConfigError,
    naming *start* and what was looked for, when there is none."""
    found = find_project(start)
    if found is None:
        raise ConfigError(
            f"no l10n project here or in any folder above (looked for {LOOKED_FOR}); `l10n init` makes one",
            str(start.absolute()),
        )
    return found.root


def open_project(root: Path) -> Project:
    """Read the configuration of the project at *root* (pyproject.toml, l10n.toml or none)."""
    table: dict[str, object] = {}
    where = "pyproject.toml"
    l10n_toml = root / "l10n.toml"
    pyproject = root / "pyproject.toml"
    if l10n_toml.exists():
        where = "l10n.toml"
        data = _toml(l10n_toml, where)
        table = _table(_table(data, "tool", where), "l10n", where, data)
    elif pyproject.exists():
        table = _table(_table(_toml(pyproject, where), "tool", where), "l10n", where)
    config = config_from(table, where)
    _check_values(config, where)
    _check_folders(root, config, where)
    project = Project(root, config, os.path.realpath(root), where)
    if not project.articles_dir.is_dir():
        # The root was found by its configuration (a folder holding articles/ has them)
        raise ConfigError(
            f"the articles folder is missing: make it and copy the HTML articles there, or set 'articles' in {where}",
            project.config.articles,
        )
    return project


def _toml(path: Path, where: str) -> dict[str, object]:
    """A configuration file's TOML document; ConfigError when it cannot be read."""
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 (byte {exc.start}), as TOML must be", where) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", where) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", where) from None


def _table(
    data: dict[str, object], key: str, where: str, default: dict[str, object] | None = None
) -> dict[str, object]:
    """The table *key* of *data* (*default*, else empty, when there is none)."""
    value = data.get(key, {} if default is None else default)
    if not isinstance(value, dict):
        raise ConfigError(f"'{key}' must be a table ([{key}]), not {type(value).__name__}", where)
    return value


def _check_values(config: Config, where: str) -> None:
    """Refuse folder names and a base URL holding a control character: no file name holds a
    NUL (a ValueError deep in the run), and the base URL goes into every page's links."""
    for name in (*_FOLDERS, "base_url"):
        value = getattr(config, name)
        if value is not None and _CONTROL.search(value):
            raise ConfigError(f"'{name}' holds a control character ({escape_controls(value)})", where)


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


def targets(project: Project, codes: list[str], new: bool = False) -> tuple[Locale, ...]:
    """The locales *codes* name (else the configured ones), each configured or with
    catalogues of its own (a pseudo-locale, one extract made): a typo such as ``fr-FR``
    for ``fr`` is a ConfigError that says which was meant, never a silent empty locale.
    With *new*, a locale of no configured language is taken as it is (``status -l de``
    counts what a new locale would have to translate)."""
    config = project.config
    chosen = config.targets(codes)
    configured = {locale.gettext for locale in config.locales}
    for locale in chosen:
        if locale.gettext in configured or Path(project.root, config.locales_dir, locale.gettext).is_dir():
            continue
        meant = closest(locale, config.locales)
        if meant is not None:
            raise ConfigError(f"{locale.tag} is not a configured locale; did you mean {meant.tag}?")
        if new:
            continue
        known = ", ".join(loc.tag for loc in config.locales) or "none"
        raise ConfigError(
            f"{locale.tag} is not a configured locale (configured: {known}); "
            f"`l10n extract -l {locale.tag}` creates its catalogues"
        )
    return chosen


def new_locales(project: Project, codes: list[str]) -> list[Locale]:
    """The locales *codes* name that are neither configured nor have catalogues yet
    (ConfigError for an unknown code): ``extract`` would create them."""
    config = project.config
    configured = {locale.gettext for locale in config.locales}
    return [
        locale
        for locale in config.with_locales(codes)
        if locale.gettext not in configured and not Path(project.root, config.locales_dir, locale.gettext).is_dir()
    ]


def article_slugs(project: Project) -> list[str]:
    """Every article below the articles folder, as sorted POSIX paths relative to it
    (symbolic links to files count; folders are not followed through links, as os.walk)."""
    slugs: list[str] = []
    # os.scandir says which names are folders or files without a stat a file (os.walk and
    # relpath took 0.1 s for 2,000 articles in 2,700 folders; this, a third of it).
    folders = [("", str(project.articles_dir))]
    while folders:
        prefix, folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((prefix + entry.name + "/", entry.path))
                    elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES and entry.is_file():
                        slugs.append(prefix + entry.name)
        except OSError:
            continue  # unreadable or gone meanwhile: as os.walk, which skips it
    return sorted(slugs)


def stem_clashes(slugs: list[str]) -> dict[str, str]:
    """The articles (of *slugs*, sorted) named as an earlier one but for the suffix
    (``a.htm`` after ``a.HTML``), each with that earlier one: they would share its template
    and catalogues, each extract merging one article's units over the other's."""
    first: dict[str, str] = {}
    clashes: dict[str, str] = {}
    for slug in slugs:
        earlier = first.setdefault(stem(slug), slug)
        if earlier != slug:
            clashes[slug] = earlier
    return clashes


def clash_error(project: Project, slug: str, earlier: str) -> ArticleError:
    """The one line that refuses an article of :func:`stem_clashes`."""
    catalogues = shown(project, project.template_path(slug))
    return ArticleError(
        f"named as {shown(project, project.article_path(earlier))} but for the suffix, it would share its"
        f" catalogues ({catalogues}); not read: rename one of them",
        shown(project, project.article_path(slug)),
    )


def distinct_slugs(project: Project) -> list[str]:
    """:func:`article_slugs` without those of :func:`stem_clashes` (which extract and build refuse)."""
    slugs = article_slugs(project)
    clashes = stem_clashes(slugs)
    return [slug for slug in slugs if slug not in clashes] if clashes else slugs


def read_article(project: Project, slug: str) -> html_read.Document:
    """Read and parse one article; ArticleError names the file, and so do the document's
    ``problems`` (characters removed to read it, reported by the caller)."""
    return read_article_file(project, slug).document


@dataclass(frozen=True, slots=True)
class ArticleFile:
    """An article as :func:`read_article_file` read it: the page, and the file's stat data
    just before the read and the bytes read (what the page was made from)."""

    document: html_read.Document
    stat: os.stat_result
    data: bytes


def read_article_file(project: Project, slug: str) -> ArticleFile:
    """:func:`read_article`, with what the file was when read (for a hash of the exact
    bytes the article's catalogues are made from)."""
    path = project.article_path(slug)
    if _CONTROL.search(slug):
        # Its name would break the PO references and the pages' URLs: one line, and on.
        raise ArticleError("the file name holds a control character; rename the file", shown(project, path))
    if not _inside(project, os.path.realpath(path)):
        raise ArticleError("a symbolic link to a file outside the project; not read", project.rel(path))
    try:
        stat = path.stat()
        html_read.check_size(stat.st_size)  # an oversized file is refused unread
        data = path.read_bytes()
        document = html_read.parse(data)
    except OSError as exc:
        raise ArticleError(f"cannot read: {exc.strerror}", project.rel(path)) from None
    except ArticleError as exc:
        raise exc.at(project.rel(path)) from None
    if document.problems:
        document = replace(document, problems=tuple(problem.at(project.rel(path)) for problem in document.problems))
    return ArticleFile(document, stat, data)


@contextmanager
def naming(where: str) -> Iterator[None]:
    """Attribute to the file *where* an L10nError raised without a path (pure code's)."""
    try:
        yield
    except L10nError as exc:
        if exc.path:
            raise
        raise exc.at(where) from None


# Characters a file name or a folder setting may not hold (C0 controls and DEL).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def shown(project: Project, path: Path) -> str:
    """A path for a one-line message: control characters written as escapes."""
    return escape_controls(project.rel(path))


def _inside(project: Project, real: str) -> bool:
    """True when the resolved path *real* is inside the project."""
    return within(real, project.real_root or os.path.realpath(project.root))


def pages_on_disk(project: Project, slug: str, locales: Iterable[Locale]) -> frozenset[str]:
    """The tags of *locales* whose page of article *slug* is in the output folder."""
    output = os.path.join(project.root, project.config.output)  # strings: this runs for every page
    return frozenset(locale.tag for locale in locales if os.path.isfile(os.path.join(output, locale.tag, slug)))


def within(path: str, folder: str) -> bool:
    """True when *path* is below *folder* (both resolved: ``os.path.realpath``), not *folder* itself."""
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def read_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return None


def read_catalog(project: Project, path: Path) -> tuple[bytes | None, Catalog | None]:
    """Return ``(the file's bytes, its catalogue)`` or ``(None, None)`` when there is no file.

    The catalogue is read as GNU gettext reads it, in the charset its header names (see
    :func:`l10n.po.reader.read`); the bytes are what a write based on it compares (see
    :func:`~l10n.project.files.write_atomic`). Each message has its first line in the file
    (:attr:`l10n.po.model.Message.line`).
    """
    data = catalog_data(project, path)
    if data is None:
        return None, None
    return data, reader.read(data, project.rel(path))


def catalog_data(project: Project, path: Path) -> bytes | None:
    """A catalogue's bytes, None when there is no file; CatalogError when it cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", project.rel(path)) from None


def source_path(project: Project, slug: str) -> str:
    return project.rel(project.article_path(slug))


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
    current = {stem(slug) for slug in slugs}
    return [stem for stem in locale_catalogs(project, locale) if stem not in current]
