"""Sitemaps and feeds, the pure part (issue 12, item 4): what a page says of itself, and
the sitemap, sitemap index and Atom documents made of it.

Sitemaps are validated with the sitemaps.org schemas (typed into tests/data/sitemap: no
network here); feeds are read back with feedparser, a reader independent of ours.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.etree as etree
import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import html_read
from l10n.feed import (
    UNDATED,
    URLSET_CLOSE,
    URLSET_OPEN,
    Entry,
    Feed,
    PageMeta,
    SitemapPage,
    atom,
    chunks,
    instant,
    newest,
    page_meta,
    sitemap_index,
    url_texts,
    urlset,
)

SCHEMAS = Path(__file__).parent / "data" / "sitemap"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def valid(text: str, name: str = "multilingual.xsd") -> tuple[bool, str]:
    checker = schema(name)
    ok = checker.validate(etree.fromstring(text.encode("utf-8")))
    return ok, str(checker.error_log)


PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>  Titre   traduit </title>
<meta name="description" content="Résumé traduit">
<meta property="og:title" content="Titre OG">
<meta property="og:description" content="Description OG">
<meta property="og:site_name" content="RFI">
<meta name="author" content="Meta Author">
<meta property="article:published_time" content="2015-11-03T10:12:00+01:00">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Titre LD",
 "datePublished": "2015-11-04T08:00:00Z", "dateModified": "2015-11-05",
 "author": [{"@type": "Person", "name": "Ana"}, {"@type": "Person", "name": "Bo"}, "Ana"],
 "publisher": {"@type": "Organization", "name": "Radio"}}</script>
</head><body><svg><title>not this</title></svg><p>Text</p></body></html>"""


def meta_of(html: str) -> PageMeta:
    return page_meta(html_read.parse_text(html))


def test_page_meta_reads_the_built_page() -> None:
    meta = meta_of(PAGE)
    assert meta.title == "Titre LD"  # the headline: a <title> often ends with the site's name
    assert meta.summary == "Résumé traduit"
    assert meta.published == "2015-11-04T08:00:00Z"  # JSON-LD before the meta
    assert meta.updated == "2015-11-05"
    assert meta.authors == ("Ana", "Bo")
    assert meta.site_name == "RFI"
    assert meta.lastmod == "2015-11-05"


def test_page_meta_falls_back_to_open_graph_meta_and_json_ld() -> None:
    page = (
        '<html><head><meta property="og:title" content="OG title">'
        '<meta property="og:description" content="OG text"><meta name="author" content="Desk">'
        '<meta property="article:published_time" content="2015-11-03T10:12:00+01:00">'
        '<meta property="article:modified_time" content="2015-11-03T11:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "publisher": {"name": "Radio"}}</script><title>Title - Radio</title></head><body><p>x</p></body></html>'
    )
    meta = meta_of(page)
    assert (meta.title, meta.summary, meta.authors, meta.site_name) == ("OG title", "OG text", ("Desk",), "Radio")
    assert meta.published == "2015-11-03T10:12:00+01:00"
    assert meta.updated == "2015-11-03T11:00:00Z"  # no zone: UTC
    only_ld = '<html><head><script type="application/ld+json">{"@type": "A", "headline": "LD"}</script></head></html>'
    assert meta_of(only_ld).title == "LD"
    assert meta_of("<html><head><title>Only - Radio</title></head></html>").title == "Only - Radio"
    bare = meta_of("<html><head></head><body><p>x</p></body></html>")
    assert bare == PageMeta()
    assert bare.lastmod is None


@pytest.mark.parametrize("odd", ["123", "true", '["a", "b"]', '{"@value": "x"}', "null", '""'])
def test_json_ld_fields_that_are_not_text_are_not_known(odd: str) -> None:
    # Found by the fuzz test: a JSON-LD headline 123 became the feed entry's title and the
    # Atom writer raised a TypeError (a traceback for a page's odd data).
    page = (
        '<html><head><title>Title</title><meta property="og:description" content="OG text">'
        '<meta property="article:published_time" content="2015-11-03">'
        f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": {odd},'
        f' "description": {odd}, "datePublished": {odd}, "dateModified": {odd}}}</script>'
        "</head><body><p>x</p></body></html>"
    )
    meta = meta_of(page)
    assert (meta.title, meta.summary, meta.published, meta.updated) == ("Title", "OG text", "2015-11-03", None)
    url = "https://example.com/fr/a.html"
    assert "<title>Title</title>" in atom(FEED, [Entry(url, url, meta)])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-11-03", "2015-11-03"),
        ("2015-11-03T10:12:00+01:00", "2015-11-03T10:12:00+01:00"),
        ("2015-11-03T10:12:00.123Z", "2015-11-03T10:12:00Z"),
        ("2015-11-03 10:12", "2015-11-03T10:12:00Z"),
        ("2015-11-03T10:12:00-0530", "2015-11-03T10:12:00-05:30"),
        ("  2015-11-03  ", "2015-11-03"),
        ("2015-13-03", None),
        ("3 November 2015", None),
        ("2015-11", None),
        ("", None),
    ],
)
def test_instant_is_rfc_3339_or_unknown(value: str, expected: str | None) -> None:
    assert instant(value) == expected


def test_page_meta_text_round_trips_through_the_store() -> None:
    meta = meta_of(PAGE)
    assert PageMeta.loads(meta.dumps()) == meta
    assert PageMeta.loads(PageMeta().dumps()) == PageMeta()
    for bad in (None, "", "x", "[]", '["a", "b", null, null, "c", "d"]', "[1, 2, 3, 4, [], 5]"):
        assert PageMeta.loads(bad) is None


def sitemap_pages(base: str) -> list[SitemapPage]:
    pages = []
    for slug in ("a.html", "news/b c.html"):
        versions = [(tag, f"{base}/{tag}/{slug}") for tag in ("en", "fr")]
        alternates = (*versions, ("x-default", f"{base}/en/{slug}"))
        pages += [SitemapPage(href, "2015-11-03T10:12:00+01:00", alternates) for _, href in alternates[:2]]
    return pages


def test_a_sitemap_is_valid_against_the_sitemaps_org_schema_with_its_alternates() -> None:
    text = urlset(sitemap_pages("https://example.com"))
    assert valid(text) == (True, "")
    root = etree.fromstring(text.encode())
    urls = root.findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
    assert len(urls) == 4
    links = urls[0].findall("{http://www.w3.org/1999/xhtml}link")
    assert [(link.get("hreflang"), link.get("href")) for link in links] == [
        ("en", "https://example.com/en/a.html"),
        ("fr", "https://example.com/fr/a.html"),
        ("x-default", "https://example.com/en/a.html"),
    ]


def test_sitemap_validation_can_fail() -> None:
    # The schema check is worth something only if it refuses what the protocol refuses.
    good = SitemapPage("https://example.com/en/a.html", "2015-11-03", (("en", "https://example.com/en/a.html"),))
    assert valid(urlset([good]))[0]
    bad_date = SitemapPage(good.loc, "2015-13-45", good.alternates)
    assert not valid(urlset([bad_date]))[0]
    assert not valid(urlset([SitemapPage("/en/a.html", None, ())]))[0]  # not absolute: too short for tLoc
    text = urlset([good]).replace('hreflang="en"', 'hreflang="en" media="print"')
    assert not valid(text)[0]  # xhtml:link is checked too


def test_a_sitemap_index_is_valid_against_the_sitemaps_org_schema() -> None:
    text = sitemap_index(["https://example.com/sitemap-1.xml", "https://example.com/sitemap-2.xml"])
    assert valid(text, "siteindex.xsd") == (True, "")
    assert not valid(sitemap_index(["x"]), "siteindex.xsd")[0]


def test_chunks_keep_the_order_and_the_limit() -> None:
    pages = sitemap_pages("https://example.com")
    assert [len(chunk) for chunk in chunks(pages, 3)] == [3, 1]
    assert [page for chunk in chunks(pages, 3) for page in chunk] == pages
    assert list(chunks([], 3)) == []


FEED = Feed("https://example.com/fr/feed.xml", "RFI · français", "fr", "https://example.com/fr/feed.xml",
            "https://example.com/fr/", "RFI")  # fmt: skip


def entry(slug: str, **fields: object) -> Entry:
    url = f"https://example.com/fr/{slug}"
    return Entry(url, url, PageMeta(**fields))  # type: ignore[arg-type]


def test_a_feed_reads_back_with_feedparser() -> None:
    entries = [
        entry("a.html", title="Titre A", summary="Résumé A", published="2015-11-03T10:12:00+01:00",
              updated="2015-11-04", authors=("Ana", "Bo")),
        entry("b.html", title="Titre B", published="2015-11-02"),
    ]  # fmt: skip
    parsed = feedparser.parse(atom(FEED, entries))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "RFI · français"
    assert parsed.feed.id == FEED.id
    assert parsed.feed.language == "fr"
    assert parsed.feed.updated == "2015-11-04T00:00:00Z"  # the latest entry's
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "self": FEED.self_url,
        "alternate": FEED.home_url,
    }
    assert parsed.feed.author == "RFI"
    first, second = parsed.entries
    assert (first.title, first.summary, first.link, first.id) == ("Titre A", "Résumé A", entries[0].url, entries[0].id)
    assert first.published == "2015-11-03T10:12:00+01:00"
    assert first.updated == "2015-11-04T00:00:00Z"
    assert [author.name for author in first.authors] == ["Ana", "Bo"]
    assert second.updated == "2015-11-02T00:00:00Z"
    assert "summary" not in second


def test_an_undated_entry_gets_a_fixed_date() -> None:
    parsed = feedparser.parse(atom(FEED, [entry("a.html", title="A")]))
    assert parsed.bozo == 0
    assert parsed.entries[0].updated == UNDATED
    assert "published" not in parsed.entries[0]
    assert atom(FEED, [entry("a.html", title="A")]) == atom(FEED, [entry("a.html", title="A")])


@pytest.mark.parametrize(
    "title", ["<script>alert(1)</script>", "Tom & Jerry", "]]><evil/>", "a\x01b", "&amp; &lt;already&gt;"]
)
def test_markup_in_a_title_is_text(title: str) -> None:
    text = atom(FEED, [entry("a.html", title=title, summary=title, authors=(title,))])
    assert "<script>" not in text and "<evil/>" not in text
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0
    shown = title.replace("\x01", "")
    assert parsed.entries[0].title == shown
    assert parsed.entries[0].summary == shown
    assert parsed.entries[0].author == shown
    root = etree.fromstring(text.encode())
    assert root.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title") == shown


def test_newest_keeps_the_latest_first_and_ties_in_address_order() -> None:
    entries = [
        entry("old.html", published="2015-01-01"),
        entry("undated.html"),
        entry("new.html", published="2015-12-01T08:00:00+01:00"),
        entry("updated-only.html", updated="2015-06-01"),
        entry("same-b.html", published="2015-03-01"),
        entry("same-a.html", published="2015-03-01T00:00:00Z"),
    ]
    order = [e.url.rsplit("/", 1)[1] for e in newest(entries)]
    assert order == ["new.html", "updated-only.html", "same-a.html", "same-b.html", "old.html", "undated.html"]
    assert [e.url for e in newest(entries, 2)] == [e.url for e in newest(entries)[:2]]


_URL_TEXT = st.text(alphabet=st.sampled_from(list("ab/&<>\"' é%:.-\u4e2d")), min_size=1, max_size=12)
_PAGE = st.builds(
    SitemapPage,
    _URL_TEXT.map(lambda path: f"https://example.com/{path}"),
    st.none() | st.sampled_from(["2015-11-03", "2015-11-03T10:12:00+01:00"]),
    st.lists(st.tuples(st.sampled_from(["en", "fr", "x-default"]), _URL_TEXT), max_size=4).map(tuple),
)


@given(st.lists(_PAGE, min_size=1, max_size=40), st.integers(min_value=1, max_value=7))
def test_a_sitemap_written_a_page_at_a_time_is_the_one_urlset_writes(pages: list[SitemapPage], batch: int) -> None:
    texts = list(url_texts(pages, batch))
    assert len(texts) == len(pages)
    assert URLSET_OPEN + "".join(texts) + URLSET_CLOSE == urlset(pages)
