"""A newsroom project on disk: the only module that reads and writes files.

It finds the configuration and the articles, runs extraction and build over every
article, and reports each bad file as one :class:`~l10n.errors.L10nError` while going on
with the others. Writes are atomic (temporary file, then rename) and catalogue updates
hold a lock, so a crash or a second run never leaves half a file.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import babel
import polib

from . import catalog, html_read, html_write
from .config import Config, config_from
from .errors import ArticleError, CatalogError, ConfigError, L10nError
from .locale import Locale, parse_locale
from .page import Site, localise
from .po_layout import dumps
from .segment import apply, copy_document, segment

Report = Callable[[L10nError], None]
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


def write_atomic(path: Path, text: str) -> None:
    """Replace *path* with *text* (UTF-8) so that readers see the old or the new file, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def catalog_lock(project: Project) -> Iterator[None]:
    """Hold the project's catalogue lock: a second extract waits instead of interleaving."""
    folder = project.root / project.config.locales_dir
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".l10n.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass(slots=True)
class Summary:
    """What a run did, for the one-line summary and the exit status."""

    articles: int = 0
    written: list[str] = field(default_factory=list)
    decoded: list[str] = field(default_factory=list)  # "path: decoded as X", for -v
    skipped: list[str] = field(default_factory=list)
    errors: int = 0

    def line(self, verb: str) -> str:
        parts = [f"{self.articles} articles", f"{len(self.written)} files {verb}"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} pages skipped below threshold")
        parts.append(f"{self.errors} errors")
        return ", ".join(parts)


def _team(locale: Locale) -> str:
    try:
        return str(babel.Locale.parse(locale.cldr).english_name)
    except (ValueError, babel.UnknownLocaleError):
        return locale.tag


def extract(project: Project, codes: list[str], report: Report) -> Summary:
    """Write each article's POT and update its PO for every locale; report bad files."""
    locales = project.config.with_locales(codes)
    summary = Summary()
    stamp = catalog.now()
    slugs = article_slugs(project)
    memories = {locale.gettext: catalog.Memory(_memory_loader(project, locale, slugs)) for locale in locales}
    with catalog_lock(project):
        for slug in slugs:
            summary.articles += 1
            try:
                document = read_article(project, slug)
            except L10nError as exc:
                summary.errors += 1
                report(exc)
                continue
            source_path = project.rel(project.article_path(slug))
            summary.decoded.append(f"{source_path}: decoded as {document.encoding}")
            pot = catalog.template(segment(document), source_path, _stem(slug), "")
            pot_path = project.template_path(slug)
            old_pot = _read_text(pot_path)
            text = catalog.settle_template(pot, old_pot, stamp)
            if text is not None:
                write_atomic(pot_path, text)
                summary.written.append(project.rel(pot_path))
            for locale in locales:
                _update_catalog(project, slug, pot, locale, memories[locale.gettext], summary, report)
    return summary


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
) -> None:
    path = project.catalog_path(locale, slug)
    try:
        old_text, old = read_catalog(project, path)
    except L10nError as exc:
        summary.errors += 1
        report(exc)
        return
    merged = catalog.merge(pot, old, locale, _team(locale), memory)
    text = dumps(merged)
    if text != old_text:
        write_atomic(path, text)
        summary.written.append(project.rel(path))


def build(project: Project, codes: list[str], min_percent: float | None, report: Report) -> Summary:
    """Write ``site/<lang>/<slug>`` for the source locale and each target locale that qualifies."""
    config = project.config
    threshold = config.min_percent if min_percent is None else min_percent
    targets = _only(codes) if codes else list(config.locales)
    locales = [config.source, *(loc for loc in targets if loc.gettext != config.source.gettext)]
    summary = Summary()
    plans: dict[str, dict[str, dict[str, str]]] = {}
    # Pass 1: which pages are built, so hreflang and links between articles know.
    for slug in article_slugs(project):
        summary.articles += 1
        try:
            document = read_article(project, slug)
        except L10nError as exc:
            summary.errors += 1
            report(exc)
            continue
        msgids = [unit.msgid for unit in segment(document)]
        summary.decoded.append(f"{project.rel(project.article_path(slug))}: decoded as {document.encoding}")
        plans[slug] = {config.source.tag: {}}
        for locale in locales[1:]:
            path = project.catalog_path(locale, slug)
            try:
                _, po = read_catalog(project, path)
            except L10nError as exc:
                summary.errors += 1
                report(exc)
                continue
            usable = catalog.translations(po) if po is not None else {}
            cover = catalog.coverage(msgids, usable)
            page = project.rel(project.page_path(locale, slug))
            if cover.percent + 1e-9 >= threshold:
                plans[slug][locale.tag] = usable
            else:
                summary.skipped.append(f"{page}: {cover.percent:.0f}% translated (threshold {threshold:g}%)")
                project.page_path(locale, slug).unlink(missing_ok=True)
    site = Site(
        config.articles,
        config.output,
        config.source,
        {slug: frozenset(plan) for slug, plan in plans.items()},
        config.base_url,
    )
    by_tag = {locale.tag: locale for locale in locales}
    # Pass 2: write the pages.
    for slug, plan in plans.items():
        source = read_article(project, slug)
        for tag, usable in plan.items():
            locale = by_tag[tag]
            page = copy_document(source)
            if tag != config.source.tag:
                apply(page, usable, config.source.tag if threshold < 100 else None)
            localise(page, locale, slug, site)
            path = project.page_path(locale, slug)
            text = html_write.serialise(page)
            if _read_text(path) != text:
                write_atomic(path, text)
                summary.written.append(project.rel(path))
    return summary


def _only(codes: list[str]) -> list[Locale]:
    found: list[Locale] = []
    for code in codes:
        locale = parse_locale(code)
        if locale.gettext not in {known.gettext for known in found}:
            found.append(locale)
    return found


# --- Desk commands: status, check, pseudo (README.md "Desk commands") ----------------------
# Imported here, beside the only functions that use them.
from . import qa, stats  # noqa: E402
from .locale import PSEUDO  # noqa: E402
from .pseudo import pseudo_translate  # noqa: E402


def _desk_locales(project: Project, codes: list[str]) -> list[Locale]:
    """The ``-l`` locales when given, else the configured target locales."""
    return _only(codes) if codes else list(project.config.locales)


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
    for locale in _desk_locales(project, codes):
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
    for locale in _desk_locales(project, codes):
        nplurals = qa.nplurals(locale.plural_forms)
        for slug in article_slugs(project):
            path = project.catalog_path(locale, slug)
            po, error = _desk_catalog(project, path)
            if error is not None:
                groups.append([qa.parse_error(error)])
            elif po is not None:
                groups.append(qa.check_catalogue(po, project.rel(path), nplurals))
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
