"""``l10n build``: the localised pages of every article, written to ``site/<lang>/``."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .. import __version__, catalog, html_read, html_write, po_read
from ..errors import ArticleError, CatalogError, L10nError, OutputError
from ..locale import Locale
from ..page import Site, localise
from ..segment import Segmented, copy_document
from .files import project_lock, write_atomic
from .paths import Project, article_slugs, catalog_text, naming, read_article, read_text, source_path
from .pool import in_parallel
from .store import Store, digest
from .summary import Progress, Report, Summary


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
    with project_lock(project), Store.open(project) as store:
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
        for article, rendered in in_parallel(_render_job, run, articles, len(slugs), workers, progress):
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
                summary.decoded.append(f"{source_path(project, slug)}: decoded as {rendered.encoding}")
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
            for article, rendered in in_parallel(_render_job, fixed, articles, len(again), jobs, None):
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


def _remove_pages(project: Project, store: Store, slug: str, tags: frozenset[str]) -> None:
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
    article: _Article, rendered: _Rendered, store: Store, summary: Summary, earlier: Iterable[str] = ()
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
    return f"{digest(setting, [article.digests['']])}|{digest('', [article.digests[tag]])}"


@dataclass(frozen=True, slots=True)
class _Article:
    """One article as a build job gets it: its input files' content hashes and what the
    last run stored for it."""

    slug: str
    digests: Mapping[str, bytes]  # "" -> the article's, locale tag -> its catalogue's
    coverage: Mapping[str, str]  # locale tag -> "key|percent" (empty when --force)
    pages: Mapping[str, str]  # locale tag -> page key, "links" -> linked slugs (empty when --force)
    published: frozenset[str] = frozenset()  # the locales whose page a build wrote (also with --force)


def _known(project: Project, store: Store, slug: str, locales: list[Locale], force: bool) -> _Article:
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
                    with naming(source_path(project, slug)):
                        segmented = Segmented(document)
                percent = catalog.coverage(segmented.msgids(), usable[locale.tag]).percent
                covered.append((locale.tag, key, percent))
            if percent + 1e-9 >= run.threshold:
                tags.add(locale.tag)
            else:
                shown = project.rel(project.page_path(locale, slug))
                skipped.append(f"{shown}: {percent:.0f}% translated (threshold {run.threshold:g}%)")
        if document is None and article.digests[""] == b"missing":
            raise ArticleError("cannot read: No such file or directory", source_path(project, slug))
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
                    with naming(source_path(project, slug)):
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
        if read_text(path) != text:
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
    if document is not None and document.problems:
        # Characters were removed to read the article: reported, and nothing is kept in
        # the store, so that the next run reads it again and says so again.
        errors.extend(document.problems)
        covered, done = [], [(page, "", path) for page, _, path in done]
    return _Rendered(slug, built, tuple(skipped), tuple(covered), encoding, tuple(done), links, tuple(errors))


def _translations(project: Project, path: Path) -> dict[str, str]:
    """The usable translations of a catalogue (``catalog.translations``), {} without one."""
    text = catalog_text(project, path)
    return po_read.usable(text, project.rel(path)) if text is not None else {}


def _page_key(article: _Article, tag: str, site: Site, setting: str, links: str) -> str:
    """What one page depends on: the article, the locale's catalogue (none for the source
    page), the settings, and the locales built for the article and those it links to."""
    slug = article.slug
    linked = [f"{other}:{','.join(sorted(site.built.get(other, ())))}" for other in links.split()]
    context = f"{setting}|{sorted(site.built[slug])}|{linked}|{site.base_url}|{site.output}|{site.articles}"
    files = [article.digests[""], *([article.digests[tag]] if tag in article.digests else [])]
    return digest(context, files)
