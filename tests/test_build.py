"""Build (DESIGN.md §Build): page-level changes, thresholds, links between articles."""

from __future__ import annotations

import json
from pathlib import Path

import babel
import lxml.etree
import polib
import pytest

from l10n import html_read, project
from l10n.dates import render_time
from l10n.errors import L10nError

from .trees import find, text_of

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="windows-1252"><title>Headline</title>
<meta property="og:title" content="Headline">
<meta property="og:locale" content="en_GB">
<link rel="stylesheet" href="../assets/site.css">
<link rel="alternate" hreflang="de" href="https://example.com/de/story">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Headline", "inLanguage": "en"}</script>
</head><body>
<h1>Headline</h1>
<p>Published <time datetime="2015-11-03">November 3, 2015</time> in Paris.</p>
<p>See <a href="other.html#top">the other story</a> and <a href="https://example.com/x">this site</a>.</p>
<img src="../assets/photo.jpg" srcset="../assets/photo.jpg 1x, ../assets/photo@2x.jpg 2x" alt="Photo caption">
<p>Caf\xe9 cr\xe8me</p>
</body></html>"""

OTHER = """<!DOCTYPE html><html lang="en"><head><title>Other</title></head>
<body><p>Back to <a href="story.html">the story</a>.</p></body></html>"""

FRENCH = {
    "Headline": "Titre",
    "Published <time1/> in Paris.": "Publié le <time1/> à Paris.",
    "See <a1>the other story</a1> and <a2>this site</a2>.": "Voir <a1>l'autre article</a1> et <a2>ce site</a2>.",
    "Photo caption": "Légende de la photo",
    "Café crème": "Café crème",
}


ASSETS = ("site.css", "photo.jpg", "photo@2x.jpg")


def make_project(root: Path, locales: str = '["fr", "fa"]') -> project.Project:
    (root / "articles" / "news").mkdir(parents=True)
    (root / "articles" / "news" / "story.html").write_bytes(ARTICLE.encode("cp1252"))
    (root / "articles" / "news" / "other.html").write_text(OTHER, encoding="utf-8")
    (root / "articles" / "assets").mkdir()
    for name in ASSETS:  # the files the story refers to: a missing one would be a warning
        (root / "articles" / "assets" / name).write_bytes(name.encode())
    (root / "pyproject.toml").write_text(f"[tool.l10n]\nlocales = {locales}\n", encoding="utf-8")
    return project.open_project(root)


def fill(proj: project.Project, code: str, slug: str, table: dict[str, str]) -> None:
    path = proj.root / "locales" / code / "LC_MESSAGES" / slug.replace(".html", ".po")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
    po.save(str(path))


def errors_of(run: list[L10nError]) -> project.Report:
    return run.append


@pytest.fixture
def built(tmp_path: Path) -> project.Project:
    proj = make_project(tmp_path)
    problems: list[L10nError] = []
    project.extract(proj, [], errors_of(problems))
    fill(proj, "fr", "news/story.html", FRENCH)
    fill(proj, "fa", "news/story.html", {k: f"«{v}»" for k, v in FRENCH.items() if "<" not in k})
    project.build(proj, [], None, errors_of(problems))
    assert problems == []
    return proj


def page(proj: project.Project, tag: str, slug: str) -> lxml.etree._Element:
    return html_read.parse((proj.root / "site" / tag / slug).read_bytes()).root


def test_translated_page_has_lang_charset_og_locale_and_jsonld_language(built: project.Project) -> None:
    root = page(built, "fr", "news/story.html")
    assert root.get("lang") == "fr" and root.get("dir") is None
    assert find(root, ".//meta[@charset]").get("charset") == "utf-8"
    assert find(root, ".//meta[@property='og:locale']").get("content") == "fr_FR"
    data = json.loads(text_of(find(root, ".//script")))
    assert data == {"@type": "NewsArticle", "headline": "Titre", "inLanguage": "fr"}
    assert root.findtext(".//h1") == "Titre"


def test_output_is_utf8_whatever_the_source_encoding(built: project.Project) -> None:
    raw = (built.root / "site" / "fr" / "news" / "story.html").read_bytes()
    assert "Café crème".encode() in raw and b'charset="utf-8"' in raw
    source_page = (built.root / "site" / "en" / "news" / "story.html").read_bytes()
    assert "Café crème".encode() in source_page


def test_time_is_rendered_for_the_locale_by_babel(built: project.Project) -> None:
    assert page(built, "fr", "news/story.html").findtext(".//time") == "3 novembre 2015"
    assert page(built, "en", "news/story.html").findtext(".//time") == "November 3, 2015"


def test_render_time_forms() -> None:
    fr = babel.Locale.parse("fr")
    assert render_time("2015-11-03", fr) == "3 novembre 2015"
    assert render_time("2015-11", fr) == "novembre 2015"
    assert render_time("2015-11-03T10:12:00+01:00", fr) == "3 novembre 2015, 10:12 UTC+01:00"  # its zone
    assert render_time("not a date", fr) is None
    assert render_time("2015-13-45", fr) is None
    assert render_time("2015-11-03", babel.Locale.parse("fa")) == "۳ نوامبر ۲۰۱۵"
    assert render_time("2015-11-03", babel.Locale.parse("ar_EG")) == "٣ نوفمبر ٢٠١٥"


def test_hreflang_lists_only_locales_built_and_x_default(built: project.Project) -> None:
    root = page(built, "fr", "news/story.html")
    links = {link.get("hreflang"): link.get("href") for link in root.iter("link") if link.get("hreflang")}
    # fa is below 100 % (the sentence with placeholders is untranslated): not built, not listed.
    # Without base_url the addresses are root-relative: the same on every page of the site.
    assert links == {
        "en": "/en/news/story.html",
        "fr": "/fr/news/story.html",
        "x-default": "/en/news/story.html",
    }
    assert not (built.root / "site" / "fa" / "news" / "story.html").exists()


def test_relative_urls_resolve_to_copies_in_the_site_folder(built: project.Project) -> None:
    root = page(built, "fr", "news/story.html")
    assert find(root, ".//link[@rel='stylesheet']").get("href") == "../../assets/assets/site.css"
    img = find(root, ".//img")
    assert img.get("src") == "../../assets/assets/photo.jpg"
    assert img.get("srcset") == "../../assets/assets/photo.jpg 1x, ../../assets/assets/photo@2x.jpg 2x"
    for name in ASSETS:
        assert (built.root / "site" / "assets" / "assets" / name).read_bytes() == name.encode()
    hrefs = [a.get("href") for a in root.iter("a")]
    # other.html has no French page: the link goes to the source-language page.
    assert hrefs == ["../../en/news/other.html#top", "https://example.com/x"]


def test_links_between_articles_stay_in_the_locale_when_built(tmp_path: Path) -> None:
    proj = make_project(tmp_path, '["fr"]')
    problems: list[L10nError] = []
    project.extract(proj, [], errors_of(problems))
    fill(proj, "fr", "news/story.html", FRENCH)
    other = {"Other": "Autre", "Back to <a1>the story</a1>.": "Retour à <a1>l'article</a1>."}
    fill(proj, "fr", "news/other.html", other)
    project.build(proj, [], None, errors_of(problems))
    assert next(a.get("href") for a in page(proj, "fr", "news/story.html").iter("a")) == "other.html#top"
    assert [a.get("href") for a in page(proj, "fr", "news/other.html").iter("a")] == ["story.html"]


def test_links_follow_an_article_whose_page_appears_or_goes_away(tmp_path: Path) -> None:
    """Links are first made with the locales the last build had; when the linked article's
    page appears, or the article goes away, the linking page is made again with the right
    target. A published page stays published when its translations fall below the threshold."""
    proj = make_project(tmp_path, '["fr"]')
    problems: list[L10nError] = []
    project.extract(proj, [], errors_of(problems))
    fill(proj, "fr", "news/story.html", FRENCH)
    project.build(proj, [], None, errors_of(problems))  # cold: other.html has no fr page yet
    story = proj.root / "site" / "fr" / "news" / "story.html"
    assert next(a.get("href") for a in page(proj, "fr", "news/story.html").iter("a")) == "../../en/news/other.html#top"
    other = {"Other": "Autre", "Back to <a1>the story</a1>.": "Retour à <a1>l'article</a1>."}
    fill(proj, "fr", "news/other.html", other)
    summary = project.build(proj, [], None, errors_of(problems))
    assert next(a.get("href") for a in page(proj, "fr", "news/story.html").iter("a")) == "other.html#top"
    assert "site/fr/news/story.html" in summary.written and "site/fr/news/other.html" in summary.written
    fill(proj, "fr", "news/other.html", {"Other": ""})  # back below the threshold: published, it stays
    summary = project.build(proj, [], None, errors_of(problems))
    assert (proj.root / "site" / "fr" / "news" / "other.html").exists()
    # with its last valid translation: the source text is the same
    assert [title.text for title in page(proj, "fr", "news/other.html").iter("title")] == ["Autre"]
    assert next(a.get("href") for a in page(proj, "fr", "news/story.html").iter("a")) == "other.html#top"
    assert summary.written == [] and summary.kept_translations == 1 and summary.fallbacks == 0
    (proj.root / "articles" / "news" / "other.html").unlink()  # the article goes away, and its pages
    summary = project.build(proj, [], None, errors_of(problems))
    assert not (proj.root / "site" / "fr" / "news" / "other.html").exists()
    href = next(a.get("href") for a in page(proj, "fr", "news/story.html").iter("a"))
    assert href == "../../../articles/news/other.html#top"
    assert summary.written.count("site/fr/news/story.html") == 1
    assert summary.pages == 2  # en story, fr story: each counted once
    before = story.stat().st_mtime_ns
    assert project.build(proj, [], None, errors_of(problems)).written == []
    assert story.stat().st_mtime_ns == before
    assert problems == []


def test_min_percent_builds_partial_pages_marked_in_the_source_language(built: project.Project) -> None:
    problems: list[L10nError] = []
    summary = project.build(built, ["fa"], 50, errors_of(problems))
    assert problems == [] and not [line for line in summary.skipped if "story" in line]
    root = page(built, "fa", "news/story.html")
    assert root.get("lang") == "fa" and root.get("dir") == "rtl"
    assert root.findtext(".//h1") == "«Titre»"
    untranslated = [p for p in root.iter("p") if p.get("lang") == "en"]
    assert [text_of(p).split()[0] for p in untranslated] == ["Published", "See"]


def test_pages_below_threshold_are_listed(built: project.Project) -> None:
    summary = project.build(built, ["fa"], None, errors_of([]))
    assert "site/fa/news/story.html: 60% translated (threshold 100%)" in summary.skipped


def test_og_locale_is_localised_when_the_parser_moved_metadata_into_body(tmp_path: Path) -> None:
    from l10n.locale import parse_locale
    from l10n.page import Site, localise

    document = html_read.parse(
        b'<html><head><title>Story</title><span></span><meta property="og:locale" content="en_GB">'
        b'<meta property="og:title" content="Story"></head><body><p>Text</p></body></html>'
    )
    assert document.root.find("head/meta") is None  # libxml2 moved the tags into <body>
    source = parse_locale("en")
    localise(document, parse_locale("fr"), "story.html", Site("articles", "site", source, {}))
    metas = [m.get("content") for m in document.root.iter("meta") if m.get("property") == "og:locale"]
    assert metas == ["fr_FR"]


def test_articles_are_the_html_files_below_the_folder_in_path_order(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    for name in ("b/z.html", "b/a.HTM", "a.html", "notes.txt", "x.html/inside.htm", ".html", "c/d/e.htm"):
        (articles / name).parent.mkdir(parents=True, exist_ok=True)
        (articles / name).write_text("<p>x</p>", encoding="utf-8")
    (articles / "folder.html").mkdir()
    (articles / "link.html").symlink_to(articles / "a.html")
    (articles / "loop").symlink_to(articles / "b", target_is_directory=True)
    slugs = project.article_slugs(project.open_project(tmp_path))
    assert slugs == ["a.html", "b/a.HTM", "b/z.html", "c/d/e.htm", "link.html", "x.html/inside.htm"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_articles_looked_up_again_build_what_kept_lookups_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """The first articles' lookups before a run are handed to their jobs; past that many
    (a large archive) they are looked up again. Either way the same pages are made and
    the same things said."""
    import re

    from l10n.project import building

    from .conftest import copy_sample, invoke

    def site_and_output(root: Path) -> tuple[dict[str, bytes], str]:
        result = invoke(copy_sample(root), "build", "--jobs", jobs)
        assert result.exit_code == 0, result.output
        site = root / "site"
        pages = {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}
        return pages, re.sub(r" in [0-9.]+ s", "", result.output)

    kept = site_and_output(tmp_path / "kept")
    monkeypatch.setattr(building, "_KEPT_ARTICLES", 1)
    again = site_and_output(tmp_path / "again")
    assert len(kept[0]) > 10
    assert again == kept


def test_an_article_kept_for_its_links_comes_back_whole() -> None:
    # The main process keeps linking articles packed until every article is done; what
    # it counts then (outcomes, paths written, errors said by path and line) must be
    # what the job gave.
    from dataclasses import replace

    from l10n.errors import CatalogError
    from l10n.project.building import _Linking
    from l10n.project.rendering import Article, Rendered
    from l10n.project.summary import PageOutcome

    article = Article(
        "2015/11/x.html", {"": b"\x01" * 32, "fr": b"\x02" * 32}, {"fr": "k|50.0"}, {"fr": "key 1 0 en,fr"},
        frozenset({"en"}), frozenset({"en", "fr"}), None, {"fr": "built"},
    )  # fmt: skip
    error = CatalogError("invalid translation, not used (missing placeholder <a1>)", "locales/fr/x.po", 12)
    outcome = PageOutcome(
        "2015/11/x.html", "fr", "site/fr/2015/11/x.html", "built", True, 50.0, 3, 1, None, (str(error),)
    )
    rendered = Rendered(
        "2015/11/x.html", frozenset({"en", "fr"}), done=(("fr", "key 3 1 en,fr", "site/fr/2015/11/x.html"),),
        links="2015/11/y.html 2015/12/z.html", errors=(error,), outcomes=(outcome,),
    )  # fmt: skip
    kept = _Linking.of(article, rendered)
    assert kept.links == "2015/11/y.html 2015/12/z.html"
    back_article, back_rendered = kept.unpacked()
    assert back_article == article
    assert replace(back_rendered, errors=()) == replace(rendered, errors=())  # exceptions compare by identity
    assert [(type(e), str(e)) for e in back_rendered.errors] == [(CatalogError, str(error))]
    assert (back_rendered.errors[0].path, back_rendered.errors[0].line) == ("locales/fr/x.po", 12)


def test_a_page_written_by_the_first_pass_is_listed_when_the_second_makes_it_the_same(tmp_path: Path) -> None:
    # A first build assumes other.html gets every locale; it gets none but English, so
    # story.html, which links to it, is made again. Its English page, written by the
    # first pass, comes out the same in the second: written once, and listed once.
    proj = make_project(tmp_path, '["fr"]')
    problems: list[L10nError] = []
    project.extract(proj, [], errors_of(problems))
    fill(proj, "fr", "news/story.html", FRENCH)
    summary = project.build(proj, [], None, errors_of(problems))
    assert next(a.get("href") for a in page(proj, "fr", "news/story.html").iter("a")) == "../../en/news/other.html#top"
    for name in ("site/en/news/story.html", "site/fr/news/story.html", "site/en/news/other.html"):
        assert summary.written.count(name) == 1, name
    assert problems == []
