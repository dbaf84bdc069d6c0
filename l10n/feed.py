"""Sitemaps and Atom feeds: what a built page says about itself, and the XML that lists pages.

This module owns the metadata a feed entry and a sitemap ``<lastmod>`` are made from
(:func:`page_meta`, read from a page as built, so titles and summaries are the
translated ones), the text the run store keeps of it, and the three documents made of
it: a sitemaps.org ``<urlset>`` with ``xhtml:link`` alternates, a sitemap index, and an
Atom (RFC 4287) feed. Values in, text out; no file access. Every document is built with
lxml, so no text of a page can change the XML's structure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import lxml.etree as etree

from .html_read import Document
from .page import jsonld_blocks
from .text import collapse

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ATOM_NS = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# The sitemaps.org protocol: "no more than 50,000 URLs" a sitemap file, else an index of files.
SITEMAP_LIMIT = 50_000
SITEMAP_BYTES = 50 * 1024 * 1024  # the protocol's other limit (uncompressed), which many locales reach first
# A feed lists a locale's newest articles, as news sites' feeds do; the sitemap lists them all.
FEED_ENTRIES = 50
# The `updated` of an entry whose page gives no date (Atom requires one): a fixed instant, so
# that the feed does not change from one build to the next and the entry sorts last. A build
# time would rewrite every feed on every build and tell readers the article changed.
UNDATED = "1970-01-01T00:00:00Z"

# What XML 1.0 cannot hold (lxml refuses it): JSON-LD text may spell it with \u escapes.
# The complement of XML's Char (tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF)
# written as the few ranges it is: the negated class took 9 ms to compile, in every build.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a built page says of itself, for its feed entry and its sitemap entry."""

    title: str = ""
    summary: str = ""
    published: str | None = None  # RFC 3339 date-time, or an xsd:date (YYYY-MM-DD)
    updated: str | None = None
    authors: tuple[str, ...] = ()
    site_name: str = ""

    def dumps(self) -> str:
        """The text the run store keeps (see :meth:`loads`)."""
        fields = [self.title, self.summary, self.published, self.updated, list(self.authors), self.site_name]
        return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | None) -> PageMeta | None:
        """What :meth:`dumps` wrote, or None for text it did not write."""
        try:
            data = json.loads(text or "")
        except ValueError:
            return None
        if not isinstance(data, list) or len(data) != 6:
            return None
        title, summary, published, updated, authors, site_name = data
        if not all(isinstance(v, str) for v in (title, summary, site_name)) or not isinstance(authors, list):
            return None
        return cls(
            title, summary, _text_or_none(published), _text_or_none(updated), tuple(map(str, authors)), site_name
        )

    @property
    def lastmod(self) -> str | None:
        """The date a sitemap gives for the page: when it was last modified, else published."""
        return self.updated or self.published


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def page_meta(document: Document) -> PageMeta:
    """Title, summary, dates, authors and site name of a built page.

    Title: the JSON-LD ``headline``, else ``og:title``, else ``<title>`` (the headline
    as readers see it in a feed reader: a ``<title>`` often ends with the site's name,
    which the feed already shows). Summary: the
    meta description, else ``og:description``, else the JSON-LD ``description``. Dates:
    JSON-LD ``datePublished``/``dateModified``, else ``article:published_time`` /
    ``article:modified_time``; a date that is not ISO 8601 is not known. Authors: the
    JSON-LD ``author`` names, else the meta author. Site name: ``og:site_name``, else
    the JSON-LD ``publisher`` name.
    """
    root: Any = document.root
    head = root.find("head")
    title_element = head.find("title") if head is not None else None
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = meta.get("content")
        if key and content is not None and key not in metas:
            metas[key] = _clean(content)
    ld = _jsonld_fields(root)
    title = _clean("".join(title_element.itertext())) if title_element is not None else ""
    return PageMeta(
        title=ld.get("headline") or metas.get("og:title") or title,
        summary=metas.get("description") or metas.get("og:description") or ld.get("description", ""),
        published=instant(ld.get("datePublished") or "") or instant(metas.get("article:published_time", "")),
        updated=instant(ld.get("dateModified") or "") or instant(metas.get("article:modified_time", "")),
        authors=_names(ld.get("author")) or tuple(filter(None, [metas.get("author", "")])),
        site_name=metas.get("og:site_name") or _first(_names(ld.get("publisher"))),
    )


def _clean(text: str) -> str:
    return collapse(_NOT_XML.sub("", text))


def _first(names: tuple[str, ...]) -> str:
    return names[0] if names else ""


def _jsonld_fields(root: Any) -> dict[str, Any]:
    """The first value of each field feeds use, over the page's typed JSON-LD objects."""
    found: dict[str, Any] = {}
    for _, _, typed in jsonld_blocks(root):
        for target in typed:
            for key in ("headline", "description", "datePublished", "dateModified"):
                value = target.get(key)
                # Only text counts: a page's JSON-LD may say 123, a list or an object here.
                if key not in found and isinstance(value, str) and (text := _clean(value)):
                    found[key] = text
            for key in ("author", "publisher"):  # names, read by _names whatever their shape
                value = target.get(key)
                if key not in found and value:
                    found[key] = value
    return found


def _names(value: Any) -> tuple[str, ...]:
    """The names in a JSON-LD ``author``: a string, a Person or Organization, or a list of these."""
    names: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and (clean := _clean(name)) and clean not in names:
            names.append(clean)
    return tuple(names)


def instant(value: str) -> str | None:
    """An ISO 8601 date or date-time as RFC 3339 (a date stays a date), None when it is not one.

    A date-time without a zone is taken as UTC; seconds are kept, fractions dropped.
    """
    value = value.strip()
    if not value:
        return None
    try:
        if _DATE.match(value):
            return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    offset = moment.utcoffset()
    if offset is None:
        moment, offset = moment.replace(tzinfo=UTC), timedelta(0)
    elif offset % timedelta(minutes=1):
        moment, offset = moment.astimezone(UTC), timedelta(0)  # RFC 3339 zones are whole minutes
    text = moment.replace(tzinfo=None).isoformat(timespec="seconds")
    if not offset:
        return text + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{text}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def atom_instant(value: str | None) -> str:
    """An :func:`instant` as an Atom date (a date-time: a date is its midnight UTC)."""
    if not value:
        return UNDATED
    return value + "T00:00:00Z" if _DATE.match(value) else value


def sort_key(value: str | None) -> datetime:
    """The moment an :func:`instant` stands for, to order entries (no date: the earliest)."""
    moment = datetime.fromisoformat(atom_instant(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SitemapPage:
    """One page of the sitemap: its address, its date, and its article's every version."""

    loc: str
    lastmod: str | None
    alternates: tuple[tuple[str, str], ...]  # (hreflang, href): each locale's page, then x-default


def urlset(pages: Iterable[SitemapPage]) -> str:
    """A sitemaps.org ``<urlset>`` listing *pages* with their ``xhtml:link`` alternates."""
    root = _root(f"{{{SITEMAP_NS}}}urlset", {None: SITEMAP_NS, "xhtml": XHTML_NS})
    for page in pages:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = page.loc
        if page.lastmod:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = page.lastmod
        for hreflang, href in page.alternates:
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)
    return _document(root)


# A sitemap file as urlset writes it: this opening, each page's <url> element, the closing.
URLSET_OPEN = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n'
URLSET_CLOSE = "</urlset>\n"
_URL_END = "  </url>\n"


def url_texts(pages: Iterable[SitemapPage], batch: int = 256) -> Iterator[str]:
    """The ``<url>`` element of each page, as :func:`urlset` writes it between
    :data:`URLSET_OPEN` and :data:`URLSET_CLOSE`: a sitemap written a page at a time, in
    constant memory (urlset of 50,000 pages made a tree of up to a million elements).
    Made by urlset itself a few hundred pages at a time, so the text is the same."""
    for chunk in chunks(pages, batch):
        text = urlset(chunk)
        body = text[len(URLSET_OPEN) : -len(URLSET_CLOSE)]
        # Split after each element's end: escaped text cannot hold "</url>".
        parts = body.split(_URL_END)
        assert text.startswith(URLSET_OPEN) and len(parts) == len(chunk) + 1 and not parts[-1]
        for part in parts[:-1]:
            yield part + _URL_END


def sitemap_index(locs: Iterable[str]) -> str:
    """A sitemaps.org ``<sitemapindex>`` of the sitemap files at *locs*."""
    root = _root(f"{{{SITEMAP_NS}}}sitemapindex", {None: SITEMAP_NS})
    for loc in locs:
        etree.SubElement(etree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap"), f"{{{SITEMAP_NS}}}loc").text = loc
    return _document(root)


@dataclass(frozen=True, slots=True)
class Feed:
    """What an Atom feed says of itself."""

    id: str
    title: str
    lang: str  # BCP 47
    self_url: str  # where the feed is
    home_url: str  # the pages it lists (rel=alternate)
    author: str  # for entries whose page names no author


@dataclass(frozen=True, slots=True)
class Entry:
    """One page in a feed."""

    id: str
    url: str
    meta: PageMeta


def newest(entries: Iterable[Entry], count: int = FEED_ENTRIES) -> list[Entry]:
    """The *count* entries published last, newest first (a page without a publication date
    counts from its update; ties by address, so the order never depends on the run)."""
    ordered = sorted(entries, key=lambda entry: entry.url)
    ordered.sort(key=lambda entry: sort_key(entry.meta.published or entry.meta.updated), reverse=True)
    return ordered[:count]


def atom(feed: Feed, entries: list[Entry]) -> str:
    """An Atom feed of *entries*, in their order; ``updated`` is the latest entry's."""
    root = _root(_atom("feed"), {None: ATOM_NS})
    root.set(_XML_LANG, feed.lang)
    _add(root, "id", feed.id)
    _add(root, "title", feed.title)
    dates = (atom_instant(entry.meta.updated or entry.meta.published) for entry in entries)
    _add(root, "updated", max(dates, key=sort_key, default=UNDATED))
    etree.SubElement(root, _atom("link"), rel="self", type="application/atom+xml", href=feed.self_url)
    etree.SubElement(root, _atom("link"), rel="alternate", type="text/html", href=feed.home_url)
    # A feed-level author stands for every entry that names none (RFC 4287, 4.1.1).
    _add(etree.SubElement(root, _atom("author")), "name", feed.author)
    for entry in entries:
        meta = entry.meta
        element = etree.SubElement(root, _atom("entry"))
        _add(element, "id", entry.id)
        _add(element, "title", meta.title or entry.url)
        etree.SubElement(element, _atom("link"), rel="alternate", type="text/html", href=entry.url)
        if meta.published:
            _add(element, "published", atom_instant(meta.published))
        _add(element, "updated", atom_instant(meta.updated or meta.published))
        for name in meta.authors:
            _add(etree.SubElement(element, _atom("author")), "name", name)
        if meta.summary:
            _add(element, "summary", meta.summary)
    return _document(root)


def _atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _add(parent: Any, name: str, text: str) -> None:
    etree.SubElement(parent, _atom(name)).text = _NOT_XML.sub("", text)


def _root(tag: str, namespaces: Any) -> Any:
    # Any: lxml-stubs want str keys, and None is how lxml spells the default namespace.
    return etree.Element(tag, nsmap=namespaces)


def _document(root: Any) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode", pretty_print=True)


def chunks(items: Iterable[SitemapPage], size: int) -> Iterator[list[SitemapPage]]:
    """*items* in lists of at most *size*, in order."""
    chunk: list[SitemapPage] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
