"""Sitemaps and feeds of a built site (issue 12, item 4): ``site/sitemap.xml`` lists every
page with its alternates, valid against the sitemaps.org schema; ``site/<lang>/feed.xml``
is an Atom feed of the locale's pages that feedparser reads; both follow the pages as
they come and go, and a build that changes nothing writes neither.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import feedparser
import lxml.etree as etree
import polib
import pytest

from l10n import project
from l10n.errors import L10nError
from l10n.feed import url_texts
from l10n.project import syndication

from .conftest import invoke

SCHEMAS = Path(__file__).parent / "data" / "sitemap"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "https://news.example.org/"


def article(title: str, summary: str, published: str | None, author: str | None) -> str:
    ld = {"@type": "NewsArticle", "headline": title}
    if published:
        ld["datePublished"] = published
    if author:
        ld["author"] = author
    script = json.dumps(ld).replace("<", "\\u003c")
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta name="description" content="{escape(summary)}">'
        f'<meta property="og:site_name" content="Daily Example">'
        f'<script type="application/ld+json">{script}</script>'
        f"</head><body><h1>{escape(title)}</h1><p>{escape(summary)}</p></body></html>"
    )


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


ARTICLES = {
    "old.html": article("Old story", "An old summary", "2015-11-03T10:12:00+01:00", "Ana Writer"),
    "news/new.html": article("New story", "A new summary", "2015-12-10", None),
    "undated.html": article("Tom & Jerry <script>alert(1)</script>", "Cats & mice", None, "Bo"),
}


def make(root: Path, base_url: str | None = BASE, locales: str = '["fr", "es"]') -> None:
    for name, text in ARTICLES.items():
        path = root / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = f"[tool.l10n]\nlocales = {locales}\n"
    if base_url:
        config += f'base_url = "{base_url}"\n'
    (root / "pyproject.toml").write_text(config, encoding="utf-8")


def translate(root: Path, code: str, names: list[str] | None = None) -> None:
    for name in names or list(ARTICLES):
        path = root / "locales" / code / "LC_MESSAGES" / name.replace(".html", ".po")
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = f"{code.upper()} {entry.msgid}"
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save(str(path))


def extract(proj: project.Project) -> None:
    problems: list[L10nError] = []
    project.extract(proj, [], problems.append, jobs=1)
    assert problems == []


def build(root: Path, *codes: str, min_percent: float | None = None) -> project.Summary:
    problems: list[L10nError] = []
    proj = project.open_project(root)
    summary = project.build(proj, list(codes), min_percent, problems.append, jobs=1)
    assert problems == []
    return summary


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make(tmp_path)
    proj = project.open_project(tmp_path)
    extract(proj)
    translate(tmp_path, "fr")
    build(tmp_path)  # es: nothing translated, below the threshold
    return tmp_path


def validate(path: Path, schema: str = "multilingual.xsd") -> etree._Element:
    checker = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    root = etree.parse(str(path)).getroot()
    assert checker.validate(root), checker.error_log
    return root


def sitemap(root: Path) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href} of every <url> of the sitemap (its files, with an index)."""
    top = etree.parse(str(root / "site" / "sitemap.xml")).getroot()
    files = [root / "site" / "sitemap.xml"]
    if top.tag == f"{SM}sitemapindex":
        files = [root / "site" / loc.text.removeprefix(BASE) for loc in top.iter(f"{SM}loc") if loc.text]
    found = {}
    for file in files:
        for url in validate(file).iter(f"{SM}url"):
            links = {str(link.get("hreflang")): str(link.get("href")) for link in url.iter(f"{XHTML}link")}
            found[str(url.findtext(f"{SM}loc"))] = links
    return found


def test_the_sitemap_lists_every_page_with_all_its_versions(site: Path) -> None:
    urls = sitemap(site)
    pages = sorted(p.relative_to(site / "site").as_posix() for p in (site / "site").rglob("*.html"))
    assert sorted(url.removeprefix(BASE) for url in urls) == pages
    assert len(pages) == 6  # en and fr of each article; es is below the threshold
    for loc, links in urls.items():
        slug = loc.removeprefix(BASE).split("/", 1)[1]
        assert links == {"en": f"{BASE}en/{slug}", "fr": f"{BASE}fr/{slug}", "x-default": f"{BASE}en/{slug}"}
    root = etree.parse(str(site / "site" / "sitemap.xml")).getroot()
    lastmods = {url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.iter(f"{SM}url")}
    assert lastmods[f"{BASE}fr/old.html"] == "2015-11-03T10:12:00+01:00"
    assert lastmods[f"{BASE}en/news/new.html"] == "2015-12-10"
    assert lastmods[f"{BASE}en/undated.html"] is None


def feed(root: Path, tag: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((root / "site" / tag / "feed.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_each_locale_has_an_atom_feed_of_its_pages(site: Path) -> None:
    assert sorted(p.parent.name for p in (site / "site").glob("*/feed.xml")) == ["en", "fr"]
    parsed = feed(site, "fr")
    assert parsed.version == "atom10"
    assert parsed.feed.language == "fr"
    assert parsed.feed.title == "Daily Example (français)"
    assert parsed.feed.id == f"{BASE}fr/feed.xml"
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "self": f"{BASE}fr/feed.xml",
        "alternate": f"{BASE}fr/",
    }
    assert parsed.feed.author == "Daily Example"
    assert parsed.feed.updated == "2015-12-10T00:00:00Z"
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["FR New story", "FR Old story", "FR Tom & Jerry <script>alert(1)</script>"]  # newest first
    new, old, undated = parsed.entries
    assert (new.link, new.id) == (f"{BASE}fr/news/new.html", f"{BASE}fr/news/new.html")
    assert new.summary == "FR A new summary"
    assert new.published == "2015-12-10T00:00:00Z"
    assert "authors" not in new  # none named: the feed's author stands for it
    assert old.published == old.updated == "2015-11-03T10:12:00+01:00"
    assert old.author == "Ana Writer"
    assert undated.updated == "1970-01-01T00:00:00Z" and "published" not in undated
    assert feed(site, "en").entries[0].title == "New story"


def test_markup_in_a_title_stays_text_in_the_feed(site: Path) -> None:
    text = (site / "site" / "en" / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "<title>Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;</title>" in text
    entry = feed(site, "en").entries[2]
    assert (entry.title, entry.summary) == ("Tom & Jerry <script>alert(1)</script>", "Cats & mice")


def stamps(root: Path) -> dict[str, int]:
    folder = root / "site"
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*.xml")}


def test_a_build_that_changes_nothing_writes_neither_sitemap_nor_feeds(site: Path) -> None:
    before = stamps(site)
    assert set(before) == {"sitemap.xml", "en/feed.xml", "fr/feed.xml"}
    summary = build(site)
    assert summary.written == []
    assert stamps(site) == before
    summary = build(site, "fr")  # a partial build changes nothing either
    assert summary.written == []
    assert stamps(site) == before


def test_pages_come_and_go_in_the_sitemap_and_feeds(site: Path) -> None:
    proj = project.open_project(site)
    # A locale published: its pages join every article's alternates and get a feed.
    translate(site, "es")
    summary = build(site)
    assert "site/sitemap.xml" in summary.written and "site/es/feed.xml" in summary.written
    assert sitemap(site)[f"{BASE}fr/old.html"]["es"] == f"{BASE}es/old.html"
    assert feed(site, "es").entries[0].title == "ES New story"
    # An article deleted: gone from the sitemap and from every feed.
    (site / "articles" / "old.html").unlink()
    extract(proj)
    build(site)
    assert not any("old.html" in url for url in sitemap(site))
    assert all(entry.link != f"{BASE}fr/old.html" for entry in feed(site, "fr").entries)
    # A locale removed from the configuration: its pages, its feed and its folder go.
    make(site, locales='["fr"]')
    (site / "articles" / "old.html").unlink()
    build(site)
    assert not (site / "site" / "es").exists()
    assert not any("/es/" in url or "es" in links for url, links in sitemap(site).items())


def test_a_partial_build_still_lists_every_locale(site: Path) -> None:
    translate(site, "es")
    build(site)
    every = sitemap(site)
    (site / "articles" / "news" / "new.html").write_text(ARTICLES["news/new.html"].replace("New story", "Newer story"))
    proj = project.open_project(site)
    extract(proj)
    translate(site, "fr")
    build(site, "fr")
    assert sitemap(site) == every
    assert feed(site, "fr").entries[0].title == "FR Newer story"
    assert feed(site, "es").entries[0].title == "ES New story"  # the Spanish page stays as it was


def test_over_the_limit_the_sitemap_is_an_index(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    every = sitemap(site)
    monkeypatch.setattr(syndication, "SITEMAP_LIMIT", 4)
    summary = build(site)
    assert sorted(summary.written) == ["site/sitemap-1.xml", "site/sitemap-2.xml", "site/sitemap.xml"]
    index = validate(site / "site" / "sitemap.xml", "siteindex.xsd")
    assert [loc.text for loc in index.iter(f"{SM}loc")] == [f"{BASE}sitemap-1.xml", f"{BASE}sitemap-2.xml"]
    assert sitemap(site) == every
    assert [len(list(validate(site / "site" / f"sitemap-{n}.xml").iter(f"{SM}url"))) for n in (1, 2)] == [4, 2]
    monkeypatch.setattr(syndication, "SITEMAP_LIMIT", 50_000)
    build(site)
    assert sorted(p.name for p in (site / "site").glob("sitemap*.xml")) == ["sitemap.xml"]
    assert sitemap(site) == every


def test_a_feed_keeps_the_newest_entries(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syndication, "FEED_ENTRIES", 2)
    build(site, "fr")
    assert [entry.title for entry in feed(site, "fr").entries] == ["FR New story", "FR Old story"]
    assert len(feed(site, "en").entries) == 2


def test_without_base_url_addresses_are_root_relative_and_one_note_says_so(tmp_path: Path) -> None:
    make(tmp_path, base_url=None, locales='["fr"]')
    assert invoke(tmp_path, "extract").exit_code == 0
    translate(tmp_path, "fr")
    result = invoke(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert result.output.count("note: no base_url") == 1
    assert "0 errors" in result.output
    root = etree.parse(str(tmp_path / "site" / "sitemap.xml")).getroot()
    assert root.findtext(f"{SM}url/{SM}loc") == "/en/news/new.html"
    parsed = feed(tmp_path, "fr")
    assert parsed.feed.id == "tag:l10n.invalid,2024:fr/feed.xml"
    assert parsed.entries[0].id == "tag:l10n.invalid,2024:fr/news/new.html"
    assert [link.href for link in parsed.entries[0].links] == ["/fr/news/new.html"]
    make(tmp_path, locales='["fr"]')
    result = invoke(tmp_path, "build")
    assert "note:" not in result.output


@pytest.mark.parametrize("base_url", [BASE, None])
def test_a_site_whose_pages_name_none_is_named_by_its_address_or_folder(tmp_path: Path, base_url: str | None) -> None:
    root = tmp_path / "The Daily"
    make(root, base_url=base_url, locales="[]")
    for path in (root / "articles").rglob("*.html"):
        path.write_text(path.read_text(encoding="utf-8").replace("og:site_name", "og:other"), encoding="utf-8")
    build(root)
    parsed = feed(root, "en")
    name = "news.example.org" if base_url else "The Daily"
    assert (parsed.feed.title, parsed.feed.author) == (f"{name} (English)", name)
    assert parsed.entries[0].id == (f"{BASE}en/news/new.html" if base_url else "tag:l10n.invalid,2024:en/news/new.html")


def test_a_store_deleted_or_a_page_kept_still_gives_every_entry(site: Path) -> None:
    before = {tag: (site / "site" / tag / "feed.xml").read_bytes() for tag in ("en", "fr")}
    sitemap_before = (site / "site" / "sitemap.xml").read_bytes()
    # The metadata of pages not made again comes from site/ when the store has none.
    path = site / "locales" / "fr" / "LC_MESSAGES" / "old.po"
    path.write_text('msgid "broken', encoding="utf-8")  # the French page is kept as it was
    for file in (site / project.CACHE_DIR).iterdir():
        file.unlink()
    problems: list[L10nError] = []
    project.build(project.open_project(site), [], None, problems.append, jobs=1)
    assert len(problems) == 1
    assert {tag: (site / "site" / tag / "feed.xml").read_bytes() for tag in ("en", "fr")} == before
    assert (site / "site" / "sitemap.xml").read_bytes() == sitemap_before


def test_past_the_byte_limit_the_sitemap_is_split_too(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The protocol's other limit: 50 MB a file, which 50,000 pages with twenty locales'
    alternates would pass. Each file keeps under the limit, whole pages only, and the
    pages are all there, in order."""
    from l10n.feed import URLSET_CLOSE, URLSET_OPEN

    every = sitemap(site)
    one = (site / "site" / "sitemap.xml").read_text(encoding="utf-8")
    pages = one.count("<url>")
    limit = len(URLSET_OPEN) + len(URLSET_CLOSE) + (len(one) - len(URLSET_OPEN) - len(URLSET_CLOSE)) * 2 // pages
    monkeypatch.setattr(syndication, "SITEMAP_BYTES", limit)  # room for two pages of average size
    summary = build(site)
    names = sorted(p.name for p in (site / "site").glob("sitemap-*.xml"))
    assert len(names) >= pages // 2
    assert sorted(summary.written) == sorted(["site/sitemap.xml", *(f"site/{name}" for name in names)])
    texts = [(site / "site" / f"sitemap-{n}.xml").read_text(encoding="utf-8") for n in range(1, len(names) + 1)]
    assert all(len(text.encode("utf-8")) <= limit for text in texts if text.count("<url>") > 1)
    for n in range(1, len(names) + 1):
        validate(site / "site" / f"sitemap-{n}.xml")
    assert URLSET_OPEN + "".join(t[len(URLSET_OPEN) : -len(URLSET_CLOSE)] for t in texts) + URLSET_CLOSE == one
    assert sitemap(site) == every
    # Back under the limit: one file again, the numbered ones removed, nothing else written.
    monkeypatch.setattr(syndication, "SITEMAP_BYTES", 50 * 1024 * 1024)
    assert build(site).written == ["site/sitemap.xml"]
    assert sorted(p.name for p in (site / "site").glob("sitemap*.xml")) == ["sitemap.xml"]
    assert (site / "site" / "sitemap.xml").read_text(encoding="utf-8") == one
    assert build(site).written == []  # the same bytes are not written again


def test_a_sitemap_that_cannot_be_written_leaves_the_feeds_whole(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages are read for the sitemap and the feeds in one pass: when a sitemap file
    fails (here a folder stands where the first of several goes), the pages after it are
    still read for the feeds."""
    feeds = {tag: [entry.title for entry in feed(site, tag).entries] for tag in ("en", "fr")}
    for tag in feeds:
        (site / "site" / tag / "feed.xml").unlink()
    monkeypatch.setattr(syndication, "SITEMAP_LIMIT", 2)
    # Pages are read a few hundred at a time: one at a time here, so that some are left.
    monkeypatch.setattr(syndication, "url_texts", functools.partial(url_texts, batch=1))
    (site / "site" / "sitemap-1.xml").mkdir()
    problems: list[L10nError] = []
    summary = project.build(project.open_project(site), [], None, problems.append, jobs=1)
    assert [str(problem) for problem in problems] == ["site/sitemap-1.xml: cannot write: Is a directory"]
    assert summary.errors == 1
    assert {tag: [entry.title for entry in feed(site, tag).entries] for tag in feeds} == feeds
    assert len(feeds["fr"]) > 1


def test_a_sitemap_that_cannot_be_written_is_named_as_it_is(site: Path) -> None:
    """One file holds every page: the error names sitemap.xml, not the name a second file
    would have had."""
    (site / "site" / "sitemap.xml").unlink()
    (site / "site" / "sitemap.xml").mkdir()
    problems: list[L10nError] = []
    project.build(project.open_project(site), [], None, problems.append, jobs=1, force=True)
    assert [str(problem) for problem in problems] == ["site/sitemap.xml: cannot write: Is a directory"]
