"""One article's pages at build: which locales are published, and each page made.

A page once published stays published: a locale whose page is in ``site/`` is made again
whatever its coverage (the threshold decides only the first publication), and a page
whose catalogue cannot be read is left as it is. A unit gets a translation only when it
is valid; one whose translation is missing, fuzzy or invalid gets the translation the
page was last made with while its source text is the same (the run store's record),
else the source text, marked with the source's ``lang`` and ``dir``. Without a record
(a deleted store), a page where a translation turned invalid is kept as published.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import catalog, html_read, html_write
from ..assets import Need, first_lines
from ..errors import ArticleError, CatalogError, L10nError, OutputError
from ..feed import page_meta
from ..locale import Locale
from ..page import Site, localise, prescan_safe, relink, unmarked
from ..po import reader
from ..relocation import Moves, moves_of
from ..segment import Segmented
from ..slot import SourceMark, copy_document
from .disk import Disk
from .paths import Project, catalog_data, naming, read_article, source_path
from .store import Deferred, Hashed, digest, pack, read_record
from .summary import PageOutcome, State


@dataclass(frozen=True, slots=True)
class Article:
    """One article as a build job gets it: its input files' content hashes and what the
    last run stored for it."""

    slug: str
    digests: Mapping[str, bytes]  # "" -> the article's, locale tag -> its catalogue's
    coverage: Mapping[str, str]  # locale tag -> "key|percent" (empty when --force)
    pages: Mapping[str, str]  # locale tag -> PageEntry text, "links" -> linked slugs (empty when --force)
    published: frozenset[str] = frozenset()  # the locales whose page a build wrote (also with --force)
    on_disk: frozenset[str] = frozenset()  # the locales whose page is in site/ as the run starts
    assets: str | None = None  # the local files its pages refer to, as the last run stored them (assets.dump)
    outcomes: Mapping[str, str] = field(default_factory=dict)  # locale tag -> what the last build did (.outcomes)


@dataclass(frozen=True, slots=True)
class PageEntry:
    """What the store keeps of a page: its key, what it showed and the locales it listed."""

    key: str
    fallbacks: int = 0
    kept_translations: int = 0
    alternates: str = ""  # the locales of its hreflang links, comma-separated

    def __str__(self) -> str:
        return f"{self.key} {self.fallbacks} {self.kept_translations} {self.alternates}"

    @classmethod
    def parse(cls, text: str | None) -> PageEntry | None:
        parts = (text or "").split(" ")
        if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
            return None
        return cls(parts[0], int(parts[1]), int(parts[2]), parts[3])


@dataclass(frozen=True, slots=True)
class BuildRun:
    """What every build job needs: the project, the settings, and the locales each article
    is assumed to be built in while pages that link to it are made."""

    project: Project
    locales: list[Locale]  # the source, then the locales this run makes pages for
    others: list[Locale]  # configured locales this run leaves alone (build -l): their pages stay
    threshold: float
    setting: str
    assumed: Mapping[str, frozenset[str]]
    disk: Disk  # where pages are written (a dry run's writes nothing)

    def site(self, slug: str, tags: frozenset[str]) -> Site:
        config = self.project.config
        built = _Overlay(self.assumed, slug, tags)
        return Site(config.articles, config.output, config.source, built, config.base_url, config.conventions)


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
class Rendered:
    """What the build job did for one article."""

    slug: str
    tags: frozenset[str] | None  # locales in site/ after the run, the source's included; None: unreadable
    coverage: tuple[tuple[str, str, float], ...] = ()  # (locale tag, key, percent) to cache
    encoding: str | None = None  # None when the article was not parsed (all cached)
    # (store entry, value, path written; "" when the page was already so, None when not rendered)
    done: tuple[tuple[str, str, str | None], ...] = ()
    links: str | None = None  # the articles its pages link to, space-separated
    errors: tuple[L10nError, ...] = ()
    outcomes: tuple[PageOutcome, ...] = ()  # one a locale of the run, in the run's order
    records: tuple[tuple[str, bytes], ...] = ()  # (locale tag, translations its page was made with: store.pack)
    metas: tuple[tuple[str, str], ...] = ()  # (locale tag, PageMeta text) of the pages read: sitemap, feeds
    assets: tuple[Need, ...] | None = None  # the local files its pages refer to; None: no page made
    hashed: tuple[tuple[str, Hashed], ...] = ()  # (path, hash) of the files the job hashed (store.Deferred)


@dataclass(frozen=True, slots=True)
class _Translations:
    """A catalogue's translations of one page's units: those the page may use, and those it may not."""

    valid: dict[str, str]
    invalid: dict[str, str]  # msgid -> why
    units: int

    @property
    def percent(self) -> float:
        return 100.0 if not self.units else 100.0 * len(self.valid) / self.units


class Job:
    """One article's build: the article read and walked once, each catalogue read once
    (also made by :mod:`.previewing`, with *segmented*: the article as it read and walked
    it earlier, while the file is unchanged)."""

    def __init__(self, run: BuildRun, article: Article, segmented: Segmented | None = None) -> None:
        self.run, self.article, self.project, self.slug = run, article, run.project, article.slug
        self.document: html_read.Document | None = segmented.document if segmented is not None else None
        self._segmented: Segmented | None = segmented
        self._catalogues: dict[str, _Translations] = {}
        self.errors: list[L10nError] = []
        self.stale = False  # a problem was found: nothing is cached, so the next run says it again
        self.metas: list[tuple[str, str]] = []  # (locale tag, PageMeta text) of each page made or relinked
        self.needs: list[Need] | None = None  # the local files of the pages made, once one is

    def read(self) -> html_read.Document:
        if self.document is None:
            self.document = unmarked(read_article(self.project, self.slug))
        return self.document

    def segmented(self) -> Segmented:
        if self._segmented is None:
            with naming(source_path(self.project, self.slug)):
                self._segmented = Segmented(self.read())
        return self._segmented

    def translations(self, locale: Locale) -> _Translations:
        """The catalogue's translations of this page (CatalogError when it cannot be read)."""
        found = self._catalogues.get(locale.tag)
        if found is None:
            path = self.project.catalog_path(locale, self.slug)
            usable = _usable(self.project, path)
            units = set(self.segmented().msgids())
            valid: dict[str, str] = {}
            invalid: dict[str, str] = {}
            for msgid in units:
                if msgid in usable:
                    why = catalog.problem(msgid, usable[msgid])
                    if why is None:
                        valid[msgid] = usable[msgid]
                    else:
                        invalid[msgid] = why
            found = self._catalogues[locale.tag] = _Translations(valid, invalid, len(units))
            if invalid:
                self.stale = True
        return found

    def read_catalogue(self, locale: Locale) -> _Translations | None:
        """The locale's translations if this job has read its catalogue, else None."""
        return self._catalogues.get(locale.tag)

    def outcome(self, locale: Locale, state: State, **fields: Any) -> PageOutcome:
        return PageOutcome(self.slug, locale.tag, self.project.page_name(locale.tag, self.slug), state, **fields)


def render_job(run: BuildRun, article: Article) -> Rendered:
    """Decide which pages of one article are published, make them, and say what happened."""
    job = Job(run, article)
    try:
        rendered = _render(job)
    except ArticleError as exc:
        # The article cannot be read: its pages stay as they are.
        outcomes = tuple(
            job.outcome(locale, "kept" if locale.tag in article.on_disk else "failed", reason=str(exc))
            for locale in run.locales
        )
        tags = frozenset(article.on_disk) if article.on_disk else None
        rendered = Rendered(article.slug, tags, errors=(*job.errors, exc), outcomes=outcomes)
    if isinstance(article.digests, Deferred) and article.digests.taken:
        rendered = replace(rendered, hashed=tuple(article.digests.taken))
    return rendered


def _render(job: Job) -> Rendered:
    run, article, project = job.run, job.article, job.project
    source = run.locales[0]
    tags = {source.tag}
    made: list[Locale] = [source]  # pages to make, in the run's order
    waiting: dict[str, PageOutcome] = {}  # outcomes of pages not made (kept, skipped, failed)
    covered: list[tuple[str, str, float]] = []
    for locale in run.locales[1:]:
        published = locale.tag in article.on_disk
        key = coverage_key(article, locale.tag, run.setting)
        cached = article.coverage.get(locale.tag, "").rsplit("|", 1)
        if cached[0] == key:
            percent = float(cached[1])
        else:
            try:
                translations = job.translations(locale)
            except CatalogError as exc:
                job.errors.append(exc)
                job.stale = True
                if published:
                    tags.add(locale.tag)
                    waiting[locale.tag] = job.outcome(locale, "kept", reason=f"{exc}", problems=(str(exc),))
                else:
                    waiting[locale.tag] = job.outcome(locale, "failed", reason=f"{exc}", problems=(str(exc),))
                continue
            percent = translations.percent
            if not translations.invalid:
                covered.append((locale.tag, key, percent))
        if published or percent + 1e-9 >= run.threshold:
            tags.add(locale.tag)
            made.append(locale)
        else:
            problems = _invalid_errors(job, locale, set()) if job.read_catalogue(locale) else ()
            reason = f"{percent:.0f}% translated (threshold {run.threshold:g}%)"
            waiting[locale.tag] = job.outcome(locale, "skipped", percent=percent, reason=reason, problems=problems)
    if job.document is None and article.digests[""] == b"missing":
        raise ArticleError("cannot read: No such file or directory", source_path(project, job.slug))
    tags.update(other.tag for other in run.others if other.tag in article.on_disk)
    built = frozenset(tags)
    site = run.site(job.slug, built)
    made_outcomes, done, links, records = _make_pages(job, made, site, built)
    done.extend(_relink_others(job, site, built))
    outcomes = tuple(made_outcomes.get(tag) or waiting[tag] for tag in (loc.tag for loc in run.locales))
    if job.document is not None and job.document.problems:
        job.errors.extend(job.document.problems)  # characters removed to read it
        job.stale = True
    if job.stale:
        # Nothing is remembered: the next run reads everything again and says so again.
        covered, done = [], [(page, "", path) for page, _, path in done]
    encoding = job.document.encoding if job.document is not None else None
    needs = None if job.needs is None else first_lines(job.needs)
    return Rendered(
        job.slug, built, tuple(covered), encoding, tuple(done), links, tuple(job.errors), outcomes, tuple(records),
        metas=tuple(job.metas), assets=needs,
    )  # fmt: skip


def _make_pages(
    job: Job, made: list[Locale], site: Site, built: frozenset[str]
) -> tuple[dict[str, PageOutcome], list[tuple[str, str, str | None]], str | None, list[tuple[str, bytes]]]:
    """Make the pages of *made* whose inputs changed; the outcome of each, what the store
    keeps of them, the articles they link to, and the translations each was made with."""
    run, article, project = job.run, job.article, job.project
    source = run.locales[0]
    outcomes: dict[str, PageOutcome] = {}
    done: list[tuple[str, str, str | None]] = []
    records: list[tuple[str, bytes]] = []
    alternates = ",".join(sorted(built))
    # The articles this one links to, as the last build found them: their built locales
    # are part of each page's key (a link goes to the target's page in the same locale).
    links = article.pages.get("links")
    todo: list[Locale] = []
    for locale in made:
        path = project.page_path(locale, job.slug)
        if links is not None and not job.stale:
            key = _page_key(article, locale.tag, site, run.setting, links)
            stored = PageEntry.parse(article.pages.get(locale.tag))
            if stored is not None and stored.key == key and path.exists():
                outcomes[locale.tag] = job.outcome(
                    locale, "built", percent=_cached_percent(article, locale.tag), fallbacks=stored.fallbacks,
                    kept_translations=stored.kept_translations,
                )  # fmt: skip
                done.append((locale.tag, str(stored), None))
                continue
        todo.append(locale)
    urls: Moves | None = None  # the article's URLs, found for its first page and given to each
    if todo:
        job.needs = []
    for number, locale in enumerate(todo, 1):
        last = number == len(todo)  # the article's last page is made from the parsed page itself
        path = project.page_path(locale, job.slug)
        document = job.read()
        if urls is None:
            urls = moves_of(document.root, job.slug, site, job.needs)
        fallbacks = kept = 0
        percent: float | None = None
        problems: tuple[str, ...] = ()
        if locale == source:
            page = document if last else copy_document(document)
            urls.apply(locale, None if last else list(page.root.iter()))
        else:
            translations = job.translations(locale)
            percent = translations.percent
            chosen = choose(job, locale, translations)
            if chosen is None:  # a translation turned invalid, and the last valid one is unknown
                problems = _invalid_errors(job, locale, set(), kept_page=True)
                reason = (
                    "kept as published: a translation turned invalid and the run store has no record of"
                    " the last valid translations (was .l10n-cache deleted?); fix the translations named"
                )
                error = L10nError(reason, project.rel(path))
                job.errors.append(error)
                outcomes[locale.tag] = job.outcome(
                    locale, "kept", percent=percent, reason=reason, problems=(*problems, str(error))
                )
                continue
            use, kept = chosen
            problems = _invalid_errors(job, locale, set(use) - set(translations.valid))
            mark = SourceMark(source.tag, source.direction if locale.direction != source.direction else None)
            page, applied = job.segmented().translated(
                use, mark, last_use=last, made=functools.partial(urls.apply, locale)
            )
            fallbacks = len(applied.fallbacks)
            records.append((locale.tag, pack(use)))
        links = " ".join(sorted(localise(page, locale, job.slug, site, job.needs, urls)))
        data = prescan_safe(html_write.serialise_utf8(page))
        written: str | None = ""
        if not _holds(path, data):
            try:
                run.disk.write(path, data, durable=False, name=project.rel(path))
            except OutputError as exc:
                job.errors.append(exc)
                outcomes[locale.tag] = job.outcome(locale, "failed", percent=percent, reason=str(exc))
                continue
            written = project.rel(path)
        job.metas.append((locale.tag, page_meta(page).dumps()))
        entry = PageEntry(_page_key(article, locale.tag, site, run.setting, links), fallbacks, kept, alternates)
        done.append((locale.tag, str(entry), written))
        outcomes[locale.tag] = job.outcome(
            locale, "built", written=bool(written), percent=percent, fallbacks=fallbacks, kept_translations=kept,
            problems=problems,
        )  # fmt: skip
    if links is not None:
        done.append(("links", links, None))
    return outcomes, done, links, records


def choose(job: Job, locale: Locale, translations: _Translations) -> tuple[dict[str, str], int] | None:
    """The translations a page is made with, and how many come from its last record.

    A unit without a valid translation gets the one the page was last made with, if the
    page is published and that one is still valid for its (unchanged) source text. None
    when a translation is invalid and there is no record to take the last valid one from.
    """
    use = dict(translations.valid)
    if len(use) == translations.units or locale.tag not in job.article.on_disk:
        return use, 0
    record = read_record(job.project, job.slug, locale.tag)
    if record is None:
        return None if translations.invalid else (use, 0)
    kept = 0
    for msgid in set(job.segmented().msgids()) - set(use):
        last = record.get(msgid)
        if last is not None and catalog.is_valid(msgid, last):
            use[msgid] = last
            kept += 1
    return use, kept


def _invalid_errors(job: Job, locale: Locale, recovered: set[str], kept_page: bool = False) -> tuple[str, ...]:
    """Report each invalid translation of the locale's catalogue at its line; return the lines."""
    translations = job.read_catalogue(locale)
    if translations is None or not translations.invalid:
        return ()
    path = job.project.catalog_path(locale, job.slug)
    lines = _entry_lines(job.project, path)
    errors = []
    for msgid, why in sorted(translations.invalid.items(), key=lambda item: lines.get(item[0]) or 0):
        if kept_page:
            shown = "the published page is kept as it is"
        elif msgid in recovered:
            shown = "the page shows the last valid translation"
        else:
            shown = "the page shows the source text"
        error = CatalogError(f"invalid translation, not used ({why}): {shown}", job.project.rel(path), lines.get(msgid))
        job.errors.append(error)
        errors.append(str(error))
    return tuple(errors)


def _entry_lines(project: Project, path: Path) -> dict[str, int]:
    """The first line of each entry of a catalogue (read again: only when something is wrong)."""
    try:
        data = catalog_data(project, path)
        messages = reader.read(data, project.rel(path)).messages if data is not None else ()
    except L10nError:
        return {}
    return {message.msgid: message.line for message in messages if message.line is not None and not message.obsolete}


def _relink_others(job: Job, site: Site, built: frozenset[str]) -> list[tuple[str, str, str | None]]:
    """Give the pages of the locales this run leaves alone the article's new alternates."""
    done: list[tuple[str, str, str | None]] = []
    alternates = ",".join(sorted(built))
    for locale in job.run.others:
        if locale.tag not in job.article.on_disk:
            continue
        stored = PageEntry.parse(job.article.pages.get(locale.tag))
        if stored is not None and stored.alternates == alternates:
            continue
        path = job.project.page_path(locale, job.slug)
        try:
            document = html_read.parse(path.read_bytes())
        except (OSError, ArticleError):
            continue  # not a page this tool can read: left alone
        relink(document, locale, job.slug, site)
        job.metas.append((locale.tag, page_meta(document).dumps()))
        data = prescan_safe(html_write.serialise_utf8(document))
        written: str | None = ""
        if not _holds(path, data):
            try:
                job.run.disk.write(path, data, durable=False, name=job.project.rel(path))
            except OutputError as exc:
                job.errors.append(exc)
                continue
            written = job.project.rel(path)
        key = stored.key if stored is not None else ""
        entry = PageEntry(key, stored.fallbacks if stored else 0, stored.kept_translations if stored else 0, alternates)
        done.append((locale.tag, str(entry), written))
    return done


def _holds(path: Path, data: bytes) -> bool:
    """True when the file at *path* holds *data*."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _usable(project: Project, path: Path) -> dict[str, str]:
    """The usable translations of a catalogue (:func:`catalog.usable`), {} without one."""
    data = catalog_data(project, path)
    # notes=False: a build needs no comment but the flags (fuzzy), and reads every catalogue
    return catalog.usable(reader.read(data, project.rel(path), notes=False)) if data is not None else {}


def _cached_percent(article: Article, tag: str) -> float | None:
    cached = article.coverage.get(tag, "").rsplit("|", 1)
    return float(cached[1]) if len(cached) == 2 else None


def coverage_key(article: Article, tag: str, setting: str) -> str:
    """What a page's coverage depends on: the article and the locale's catalogue."""
    return f"{digest(setting, [article.digests['']])}|{digest('', [article.digests[tag]])}"


def _page_key(article: Article, tag: str, site: Site, setting: str, links: str) -> str:
    """What one page depends on: the article, the locale's catalogue (none for the source
    page), the settings, and the locales built for the article and those it links to."""
    slug = article.slug
    linked = [f"{other}:{','.join(sorted(site.built.get(other, ())))}" for other in links.split()]
    context = (
        f"{setting}|{sorted(site.built[slug])}|{linked}|{site.base_url}|{site.output}|{site.articles}"
        f"|{site.conventions}"
    )
    files = [article.digests[""], *([article.digests[tag]] if tag in article.digests else [])]
    return digest(context, files)
