"""The site's sitemap and feeds: ``site/sitemap.xml`` and ``site/<lang>/feed.xml``.

A build job reads each page it makes for its metadata (:func:`l10n.feed.page_meta`); the
run store keeps it, command :data:`COMMAND`, by article and locale, so a build that makes
no page again still knows every page's. After the build, :func:`publish` lists the pages
that are in ``site/`` (every article's built locales, those a partial build leaves
included) from the store, reading a page from ``site/`` only when the store has nothing
for it (a page kept as it was, a store deleted or unusable). Each file is written
atomically and only when its text changed; sitemap files and feeds no page needs any
more are removed.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

import babel

from .. import html_read
from ..errors import ConfigError, L10nError, OutputError
from ..feed import (
    FEED_ENTRIES,
    SITEMAP_BYTES,
    SITEMAP_LIMIT,
    URLSET_CLOSE,
    URLSET_OPEN,
    Entry,
    Feed,
    PageMeta,
    SitemapPage,
    atom,
    newest,
    page_meta,
    sitemap_index,
    url_texts,
)
from ..locale import parse_locale
from ..page import Site
from .disk import Disk
from .files import StreamedFile
from .paths import Project
from .store import Store
from .summary import Report, Summary

COMMAND = "feed"  # the run store's entries: article slug, locale tag -> PageMeta.dumps()

# Without base_url an entry's id cannot be the page's address (a root-relative one names a
# page on any site): it is a tag URI (RFC 4151) on the path, which stays the same from one
# build to the next. The authority is under .invalid (RFC 6761), a name nobody owns: the
# project has no domain of its own to mint ids under until base_url gives it one.
TAG_AUTHORITY = "tag:l10n.invalid,2024:"

NO_BASE_URL = (
    "no base_url: sitemap.xml and the feeds give root-relative addresses, but search engines and feed"
    " readers need absolute ones; set base_url in [tool.l10n] of {config}"
)

_NUMBERED = re.compile(r"sitemap-([0-9]+)\.xml\Z")


def sizes() -> str:
    """The sitemap's and the feeds' sizes, as :func:`publish` reads them: what else a
    build's output depends on (see :mod:`.stamp`)."""
    return f"sitemap {SITEMAP_LIMIT} {SITEMAP_BYTES}, feeds {FEED_ENTRIES}"


def publish(
    project: Project,
    disk: Disk,
    store: Store,
    built: Mapping[str, frozenset[str]],
    report: Report,
    summary: Summary,
) -> None:
    """Write the sitemap and each locale's feed for the pages in *built* (article -> the
    locales whose page is in ``site/``); paths written go to *summary*, failures to *report*.

    Over :data:`SITEMAP_LIMIT` pages, ``sitemap.xml`` is an index of ``sitemap-1.xml``...;
    a feed lists its locale's :data:`FEED_ENTRIES` newest pages (both read when called, so
    that tests can make them small).
    """
    config = project.config
    site = Site(config.articles, config.output, config.source, built, config.base_url)
    output = project.root / config.output
    found: list[tuple[str, str, str]] = []  # (slug, tag, meta text) read from site/, for the store
    feeds: dict[str, list[Entry]] = {}
    writer = _Writer(project, disk, report, summary)
    files = _write_sitemaps(output, url_texts(_sitemap_pages(project, store, site, found, feeds)), writer)
    if files is not None:
        if files > 1:
            writer.write(
                output / "sitemap.xml", sitemap_index(site.at(f"sitemap-{n}.xml") for n in range(1, files + 1))
            )
        elif not files:
            writer.remove(output / "sitemap.xml")
        for path in output.glob("sitemap-*.xml"):
            match = _NUMBERED.match(path.name)
            if match and (files < 2 or int(match[1]) > files):
                writer.remove(path)
    for slug, tag, text in found:
        store.put(COMMAND, slug, tag, text)
    _write_feeds(project, site, feeds, writer)
    if built and not site.base_url:
        summary.notes.append(NO_BASE_URL.format(config=project.config_file))


def _write_sitemaps(output: Path, texts: Iterator[str], writer: _Writer) -> int | None:
    """Write the pages' ``<url>`` elements a page at a time: ``sitemap.xml`` when one file
    holds them all, else ``sitemap-1.xml``... of at most :data:`SITEMAP_LIMIT` pages and
    :data:`SITEMAP_BYTES` bytes each (the protocol's limits; with 20 locales, 50,000
    pages and their alternates would make 145 MB). Returns the number of files, None
    when one could not be written (reported; what is in ``site/`` is left as it is)."""
    opening, closing = URLSET_OPEN.encode("utf-8"), URLSET_CLOSE.encode("utf-8")
    pending = _encoded(next(texts, None))
    number = 0
    while pending is not None:
        number += 1
        name = f"sitemap-{number}.xml"
        try:
            with writer.disk.stream(output, writer.project.rel(output / name)) as out:
                out.write(opening)
                size, count = len(opening) + len(closing), 0
                while pending is not None and count < SITEMAP_LIMIT:
                    if count and size + len(pending) > SITEMAP_BYTES:
                        break
                    out.write(pending)
                    size, count = size + len(pending), count + 1
                    pending = _encoded(next(texts, None))
                out.write(closing)
                writer.commit(out, output / ("sitemap.xml" if number == 1 and pending is None else name))
        except OutputError as exc:
            writer.failed(exc)
            for _ in texts:  # the feeds are still made from every page
                pass
            return None
    return number


def _encoded(text: str | None) -> bytes | None:
    return None if text is None else text.encode("utf-8")


def _sitemap_pages(
    project: Project, store: Store, site: Site, found: list[tuple[str, str, str]], feeds: dict[str, list[Entry]]
) -> Iterator[SitemapPage]:
    """Every built page, by article (in the store's order) then locale, with its alternates;
    each page's feed entry is added to *feeds* on the way (the newest few kept)."""
    source = site.source.tag
    rows = _by_article(store.rows(COMMAND))
    current: tuple[str, dict[str, str]] | None = next(rows, None)
    for slug in sorted(site.built, key=_stored_order):
        while current is not None and _stored_order(current[0]) < _stored_order(slug):
            current = next(rows, None)  # an article not built this run (refused): left out
        known = current[1] if current is not None and current[0] == slug else {}
        tags = sorted(site.built[slug])
        versions = [(tag, site.url(tag, slug)) for tag in tags]
        if source in site.built[slug]:
            versions.append(("x-default", site.url(source, slug)))
        alternates = tuple(versions)
        for tag, url in versions[: len(tags)]:
            meta = PageMeta.loads(known.get(tag))
            if meta is None:
                meta = _read_meta(project, site, tag, slug)
                if meta is not None:
                    found.append((slug, tag, meta.dumps()))
            meta = meta or PageMeta()
            entries = feeds.setdefault(tag, [])
            entries.append(Entry(_entry_id(site, f"{tag}/{slug}"), url, meta))
            if len(entries) >= 2 * FEED_ENTRIES:
                entries[:] = newest(entries, FEED_ENTRIES)
            yield SitemapPage(url, meta.lastmod, alternates)


def _stored_order(slug: str) -> bytes:
    # The store's order (SQLite compares the UTF-8 bytes), so the two lists merge in one pass.
    return slug.encode("utf-8", "surrogatepass")


def _by_article(rows: Iterator[tuple[str, str, str]]) -> Iterator[tuple[str, dict[str, str]]]:
    slug: str | None = None
    entries: dict[str, str] = {}
    for row_slug, key, value in rows:
        if row_slug != slug:
            if slug is not None:
                yield slug, entries
            slug, entries = row_slug, {}
        entries[key] = value
    if slug is not None:
        yield slug, entries


def _read_meta(project: Project, site: Site, tag: str, slug: str) -> PageMeta | None:
    """A page's metadata read from ``site/``; None when it cannot be read."""
    try:
        return page_meta(html_read.parse(Path(project.root, site.page(tag, slug)).read_bytes()))
    except (OSError, L10nError):
        return None


def _entry_id(site: Site, path: str) -> str:
    """An entry's or a feed's id: its address with base_url, else a tag URI on its path."""
    return site.at(path) if site.base_url else TAG_AUTHORITY + quote(path, safe="/")


def _write_feeds(project: Project, site: Site, feeds: dict[str, list[Entry]], writer: _Writer) -> None:
    output = project.root / project.config.output
    fallback = _unnamed_site(project, site)
    for tag, entries in feeds.items():
        kept = newest(entries, FEED_ENTRIES)
        name = next((entry.meta.site_name for entry in kept if entry.meta.site_name), "") or fallback
        url = site.url(tag, "feed.xml")
        feed = Feed(
            id=_entry_id(site, f"{tag}/feed.xml"),
            title=f"{name} ({_language(tag)})",
            lang=tag,
            self_url=url,
            home_url=site.url(tag, ""),
            author=name,
        )
        writer.write(output / tag / "feed.xml", atom(feed, kept))
    # Feeds of locales with no page left (a locale removed from the configuration).
    with contextlib.suppress(OSError):
        for folder in output.iterdir():
            if folder.name not in feeds and (folder / "feed.xml").is_file() and _is_locale(folder.name):
                writer.remove(folder / "feed.xml")
                with contextlib.suppress(OSError):
                    writer.disk.remove_folder(folder)  # only when nothing else is in it


def _unnamed_site(project: Project, site: Site) -> str:
    """The site's name when no page gives one: base_url's host, else the project's folder."""
    host = urlsplit(site.base_url).hostname if site.base_url else None
    return host or project.root.resolve().name


def _language(tag: str) -> str:
    """The locale's name in its own language (CLDR), for the feed's title."""
    try:
        return parse_locale(tag).own_name()
    except (ConfigError, ValueError, babel.UnknownLocaleError):
        return tag


def _is_locale(name: str) -> bool:
    try:
        parse_locale(name)
    except ConfigError:
        return False
    return True


class _Writer:
    """Writes a file only when its text changed; says what it wrote and what failed."""

    def __init__(self, project: Project, disk: Disk, report: Report, summary: Summary) -> None:
        self.project, self.disk, self.report, self.summary = project, disk, report, summary

    def write(self, path: Path, text: str) -> None:
        try:
            if path.read_bytes() == text.encode("utf-8"):
                return
        except OSError:
            pass
        name = self.project.rel(path)
        try:
            self.disk.write(path, text, durable=False, name=name)
        except OutputError as exc:
            self.failed(exc)
            return
        self.summary.written.append(name)

    def commit(self, out: StreamedFile, path: Path) -> None:
        """Give a streamed file its name (OutputError when it cannot be)."""
        name = self.project.rel(path)
        if out.commit(path, name):
            self.summary.written.append(name)

    def failed(self, error: OutputError) -> None:
        """Say a write or removal that failed; it counts as an error of the run."""
        self.report(error)
        self.summary.errors += 1

    def remove(self, path: Path) -> None:
        try:
            removed = self.disk.remove(path)
        except OSError as exc:
            self.failed(OutputError(f"cannot remove: {exc.strerror}", self.project.rel(path)))
            return
        if removed:
            self.summary.deleted.append(self.project.rel(path))
