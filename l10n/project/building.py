"""``l10n build``: the localised pages of every article, written to ``site/<lang>/``.

Each article is read, walked and translated once (:mod:`.rendering` makes its pages).
A link to another article goes to that article's page in the same locale when it
exists, which is only known once every article is done: links are first made with the
locales the last run left (every locale that may be built, on a first run), and the few
articles that link to one whose locales turned out different are made again. A page
whose inputs hash as in the last run, and which is still on disk, is not rewritten
unless *force*. The run store keeps, for each page, the translations it was made with.
"""

from __future__ import annotations

import contextlib
import pickle
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import __version__, assets
from ..errors import L10nError, L10nWarning
from ..locale import Locale, read_cldr
from . import outcomes, stamp, syndication
from .cluster import Runner
from .copying import Copier
from .disk import Disk, DryDisk
from .paths import Project, article_slugs, clash_error, pages_on_disk, source_path, stem_clashes, targets
from .pool import in_parallel
from .rendering import Article, BuildRun, Rendered, coverage_key, render_job
from .store import Store
from .summary import Progress, Records, Report, Summary


def build(
    project: Project,
    codes: list[str],
    min_percent: float | None,
    report: Report,
    jobs: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    records: Records | None = None,
    dry_run: bool = False,
    runner: Runner = in_parallel,
) -> Summary:
    """Write ``site/<lang>/<slug>`` for the source locale and each target locale that is
    published or qualifies for a first publication; report each bad input and, to
    *records*, what became of each article's page in each locale of the run.

    *codes* restricts the run to those locales (configured ones, or ones with catalogues):
    the other locales' pages stay, their alternates following what is in ``site/``.
    With *dry_run*, the same run writes nothing (:class:`~.disk.DryDisk`, in the workers
    too): the summary says what it would have written, copied and removed. *runner* runs
    the jobs: forked workers, or a Dask cluster (:mod:`.cluster`).
    """
    disk = DryDisk() if dry_run else Disk()
    started_at = time.perf_counter()
    config = project.config
    threshold = config.min_percent if min_percent is None else min_percent
    locales = [config.source, *targets(project, codes)]
    others = [locale for locale in config.locales if locale.tag not in {loc.tag for loc in locales}]
    summary = Summary()
    every_slug = article_slugs(project)
    summary.articles = len(every_slug)
    clashes = stem_clashes(every_slug)
    for slug, first_slug in clashes.items():  # refused, and their pages left as they are
        summary.errors += 1
        report(clash_error(project, slug, first_slug))
    slugs = [slug for slug in every_slug if slug not in clashes]
    setting = f"{__version__}|{threshold}|{assets.LAYOUT}"
    # Pages of these locales stay; a locale gone from the configuration loses its pages.
    kept = {locale.tag for locale in (*locales, *config.locales)}
    every = [*locales[1:], *others]
    with disk.lock(project), disk.store(project) as store:
        wanted = stamp.settings(
            f"{setting}|{syndication.sizes()}", [locale.tag for locale in locales], [locale.tag for locale in others]
        )
        standing, started = (None, stamp.scan(project)) if force else stamp.unchanged(store, wanted, project)
        if standing is not None and _replay(project, store, standing, every_slug, locales, report, summary, records):
            summary.seconds = time.perf_counter() - started_at
            return summary
        stamp.forget(store)
        warned: list[L10nWarning] = []
        report = _noting(report, warned)
        assumed: dict[str, frozenset[str]] = {}
        looked_up: dict[str, Article] = {}
        stale = 0
        for slug in slugs:
            article = _known(project, store, slug, every, force)
            assumed[slug], fresh = _last_built(article, locales, others, setting, threshold)
            stale += not fresh
            if len(looked_up) < _KEPT_ARTICLES:
                looked_up[slug] = article
        run = BuildRun(project, locales, others, threshold, setting, assumed, disk)
        copier = Copier(project, report, summary, disk)
        built: dict[str, frozenset[str]] = {}
        linking: dict[str, _Linking] = {}  # articles whose links may need the second pass
        # The first articles as the loop above found them; the others looked up again (a
        # stat and two indexed queries an article), where keeping them all would grow
        # memory with the archive.
        articles = (
            looked_up.pop(slug) if slug in looked_up else _known(project, store, slug, every, force) for slug in slugs
        )
        # Starting worker processes costs more than a run where (nearly) everything is cached.
        workers = jobs if stale > 1 else 1
        if workers > 1:
            read_cldr(locales)  # once, before the workers are forked (the feeds need it too)
        for article, rendered in runner(render_job, run, articles, len(slugs), workers, progress):
            slug = article.slug
            for path, hashed in rendered.hashed:
                store.remember(path, slug, hashed)
            _remove_pages(project, disk, store, slug, article.published - kept, summary)
            for error in rendered.errors:
                report(error)
            summary.errors += len(rendered.errors)
            _copy_files(project, store, copier, article, rendered)
            if rendered.tags is None:
                _count_pages(article, rendered, store, summary, records)
                continue
            built[slug] = _shared(rendered.tags)
            if rendered.encoding is not None:
                summary.decoded.append(f"{source_path(project, slug)}: decoded as {rendered.encoding}")
            for tag, key, percent in rendered.coverage:
                store.put("coverage", slug, tag, f"{key}|{percent!r}")
            if rendered.links:
                linking[slug] = _kept_for_links(article, rendered, store)
            else:
                _count_pages(article, rendered, store, summary, records)
        again = [
            slug
            for slug, waiting in linking.items()
            if any(assumed.get(other) != built.get(other) for other in waiting.links.split())
        ]
        made_again = set(again)
        for slug, waiting in linking.items():
            if slug not in made_again:
                _count_pages(*waiting.unpacked(), store, summary, records)
        if again:
            # Made with the real locales of every article; the pages are written again.
            fixed = replace(run, assumed=built)
            store.flush()  # the coverage the first pass found
            articles = (replace(_known(project, store, slug, every, force), pages={}) for slug in again)
            for article, rendered in runner(render_job, fixed, articles, len(again), jobs, None):
                # The second pass finds again what the first found: only what is new is said.
                for path, hashed in rendered.hashed:
                    store.remember(path, article.slug, hashed)
                first = linking.pop(article.slug).unpacked()[1]
                for error in rendered.errors:
                    if str(error) not in {str(seen) for seen in first.errors}:
                        report(error)
                        summary.errors += 1
                earlier = [path for _, _, path in first.done if path]
                _count_pages(article, rendered, store, summary, records, earlier)
        store.prune("coverage", every_slug)
        store.prune("assets", every_slug)
        for slug, pages in store.prune("pages", every_slug).items():
            _remove_pages(project, disk, store, slug, frozenset(pages) - {"links"}, summary)
        store.prune(syndication.COMMAND, every_slug)
        store.prune(outcomes.COMMAND, every_slug)
        syndication.publish(project, disk, store, built, report, summary)
        summary.skipped.sort()  # by page, whichever articles needed a second pass
        if not summary.errors and not dry_run:
            said = tuple((warning.message, warning.path, warning.line) for warning in warned)
            done = stamp.Stamp(
                wanted,
                outside=tuple(copier.outside()),
                notes=tuple(summary.notes),
                warnings=said,
                pages=summary.page_counts,
            )
            stamp.record(store, project, started, done)
    summary.seconds = time.perf_counter() - started_at
    return summary


def _noting(report: Report, warned: list[L10nWarning]) -> Report:
    """*report*, keeping the warnings it is given in *warned* too."""

    def noted(error: L10nError) -> None:
        if isinstance(error, L10nWarning):
            warned.append(error)
        report(error)

    return noted


def _replay(
    project: Project,
    store: Store,
    standing: stamp.Stamp,
    slugs: list[str],
    locales: list[Locale],
    report: Report,
    summary: Summary,
    records: Records | None,
) -> bool:
    """Say what a run with nothing to do says, from the stamp: its warnings, notes and
    page counts, and each page's outcome (from the store) for *records*. False when the
    store lacks an outcome (nothing said)."""
    if records is not None:
        found = outcomes.replayed(project, store, slugs, [locale.tag for locale in locales])
        if found is None:
            return False
        for outcome in found:
            records(outcome)
    for warning in standing.replayed():
        report(warning)
        summary.warnings += 1
    summary.add_pages(standing.pages)
    summary.notes.extend(standing.notes)
    return True


def _copy_files(project: Project, store: Store, copier: Copier, article: Article, rendered: Rendered) -> None:
    """Copy the local files of an article's pages (as its pages found them, or as the last
    run stored them when no page was made), and store them for the next run."""
    needs = assets.load(article.assets) if rendered.assets is None else rendered.assets
    if rendered.assets is not None and (text := assets.dump(needs)) != article.assets:
        store.put("assets", article.slug, "files", text)
    copier.article(source_path(project, article.slug), needs)


def _remove_pages(
    project: Project, disk: Disk, store: Store, slug: str, tags: frozenset[str], summary: Summary
) -> None:
    """Remove an article's pages in locales *tags*, and the folders left empty."""
    output = project.root / project.config.output
    for tag in tags:
        page = Path(output, tag, slug)
        with contextlib.suppress(OSError):
            if disk.remove(page):
                summary.deleted.append(project.rel(page))
            folder = page.parent
            while folder != output and not any(folder.iterdir()):
                disk.remove_folder(folder)
                folder = folder.parent
        store.forget("pages", slug, tag)
        store.forget(syndication.COMMAND, slug, tag)
        store.forget(outcomes.COMMAND, slug, tag)


def _count_pages(
    article: Article,
    rendered: Rendered,
    store: Store,
    summary: Summary,
    records: Records | None,
    earlier: Iterable[str] = (),
) -> None:
    """Put one article's pages in the summary and the store, its outcomes in *records*
    (*earlier*: the paths its first pass wrote, when it was made twice)."""
    written = dict.fromkeys(earlier)
    for page, value, path in rendered.done:
        if article.pages.get(page) != value:
            store.put("pages", article.slug, page, value)
        if page == "links":
            continue
        if path:
            written[path] = None
        if path is not None:
            summary.rendered += 1
    _store_pages_made(rendered, store)
    outcomes.remember(store, article.outcomes, rendered.outcomes)
    for outcome in rendered.outcomes:
        summary.count(outcome)
        if records is not None:
            records(outcome)
    summary.written.extend(written)


def _store_pages_made(rendered: Rendered, store: Store) -> None:
    """Store what the pages written said of themselves: the translations each was made
    with, and its metadata for the sitemap and feeds."""
    for tag, translations in rendered.records:
        store.put_record(rendered.slug, tag, translations)
    for tag, meta in rendered.metas:
        store.put(syndication.COMMAND, rendered.slug, tag, meta)


def _kept_for_links(article: Article, rendered: Rendered, store: Store) -> _Linking:
    """What the run keeps of an article whose links are settled once every article is
    done: the pages it wrote are stored now, and what is counted then is kept packed.
    (Its pages' translations and metadata, kept too, grew the main process with the
    archive: 134 MB instead of 94 MB for a build of 1,000 articles.)

    Stored now, a page's translations and metadata are those of the page on disk: if the
    second pass makes it again, it stores its own over them."""
    _store_pages_made(rendered, store)
    return _Linking.of(article, replace(rendered, records=(), metas=(), coverage=(), assets=None))


@dataclass(frozen=True, slots=True)
class _Linking:
    """An article whose pages link to others, kept until every article is done: the
    articles it links to, and its lookup and result pickled and compressed. Most news
    articles link to others, and an outcome a page kept as objects grew the main process
    by about 3 KB an article at 4 locales (more with more locales)."""

    links: str
    packed: bytes

    @classmethod
    def of(cls, article: Article, rendered: Rendered) -> _Linking:
        return cls(rendered.links or "", zlib.compress(pickle.dumps((article, rendered), pickle.HIGHEST_PROTOCOL), 1))

    def unpacked(self) -> tuple[Article, Rendered]:
        article, rendered = pickle.loads(zlib.decompress(self.packed))
        return article, rendered


def _last_built(
    article: Article, locales: list[Locale], others: list[Locale], setting: str, threshold: float
) -> tuple[frozenset[str], bool]:
    """The locales an article's pages are assumed to be in while pages linking to it are
    made: those in site/, and those whose coverage (known and unchanged, and True; else
    unknown, and False) qualifies them for a first publication. The flag: no coverage has
    changed, so no page is likely to be made (a page in site/ too: a catalogue changed, or
    --force, makes it again, and such a run is worth the workers)."""
    tags = {locales[0].tag}
    fresh = True
    for locale in locales[1:]:
        cached = article.coverage.get(locale.tag, "").rsplit("|", 1)
        # no coverage kept: nothing to compare, and no file to hash for it here
        known = len(cached) == 2 and cached[0] == coverage_key(article, locale.tag, setting)
        fresh &= known
        if locale.tag in article.on_disk or not known or float(cached[1]) + 1e-9 >= threshold:
            tags.add(locale.tag)
    tags.update(locale.tag for locale in others if locale.tag in article.on_disk)
    return _shared(frozenset(tags)), fresh


# Articles whose lookup before the run is kept for their job: the lookup took a fourth of
# the main process's time during a build of the benchmark's 51 pages. Few (about 2 KB each,
# and forked workers inherit them), so that memory stays flat in archive size.
_KEPT_ARTICLES = 1024

# A run keeps the built locales of every article; most articles share one of a few sets.
_TAG_SETS: dict[frozenset[str], frozenset[str]] = {}


def _shared(tags: frozenset[str]) -> frozenset[str]:
    return _TAG_SETS.setdefault(tags, tags)


def _known(project: Project, store: Store, slug: str, locales: list[Locale], force: bool) -> Article:
    """What is known of an article: its files' hashes, what the store keeps of it, which of
    *locales* (targets of the run and others configured) have its page in site/."""
    paths = {"": str(project.article_path(slug))}
    paths.update((locale.tag, str(project.catalog_path(locale, slug))) for locale in locales)
    # An article the store knows nothing of is hashed by its worker, as it reads the files.
    digests = store.digests_or_deferred(slug, paths)
    on_disk = pages_on_disk(project, slug, (project.config.source, *locales))
    stored = store.entries(slug)
    pages = stored.get("pages", {})
    published = frozenset(pages) - {"links"}
    # Kept with --force too: an article that cannot be read makes no page, and its pages
    # in site/ still need their files.
    files = stored.get("assets", {}).get("files")
    last = stored.get(outcomes.COMMAND, {})
    if force:
        return Article(slug, digests, {}, {}, published, on_disk, files, outcomes=last)
    return Article(slug, digests, stored.get("coverage", {}), pages, published, on_disk, files, outcomes=last)
