"""A page's own address and its language versions, translator-only attributes, and the
language switcher (DESIGN.md §Publishing): built through the library, read back with an
HTML5 parser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import html5lib
import polib
import pytest

from l10n import project
from l10n.errors import L10nError

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Headline</title>
<link rel="canonical" href="https://cms.example.com/en/story">
<meta property="og:url" content="https://cms.example.com/en/story">
<meta property="og:title" content="Headline">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "NewsArticle", "headline": "Headline", "mainEntityOfPage": {"@type": "WebPage", "@id": "https://cms.example.com/en/story"},
  "publisher": {"@type": "Organization", "name": "Daily", "url": "https://cms.example.com/"}},
 {"@type": "WebPage", "url": "https://cms.example.com/en/story", "name": "Headline"},
 {"@type": "Organization", "url": "https://cms.example.com/", "name": "Daily"}]}</script>
</head><body>
<nav aria-label="Other languages">
  <ul class="languages" data-l10n-languages>
    <li>English</li>
  </ul>
</nav>
<h1 its-loc-note="Keep it short" its-term="no" translate="yes">Headline</h1>
<p>Body text.</p>
</body></html>"""

FRENCH = {"Headline": "Titre", "Body text.": "Corps du texte.", "Other languages": "Autres langues"}
PERSIAN = {"Headline": "تیتر", "Body text.": "متن.", "Other languages": "زبان‌های دیگر"}


def make(root: Path, base_url: str | None = None, article: str = ARTICLE) -> project.Project:
    (root / "articles" / "news").mkdir(parents=True)
    (root / "articles" / "news" / "story.html").write_text(article, encoding="utf-8")
    setting = f'base_url = "{base_url}"\n' if base_url else ""
    (root / "pyproject.toml").write_text(f'[tool.l10n]\nlocales = ["fr", "fa"]\n{setting}', encoding="utf-8")
    proj = project.open_project(root)
    problems: list[L10nError] = []
    project.extract(proj, [], problems.append)
    for code, table in (("fr", FRENCH), ("fa", PERSIAN)):
        path = root / "locales" / code / "LC_MESSAGES" / "news" / "story.po"
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = table.get(entry.msgid, entry.msgid)
        po.save(str(path))
    project.build(proj, [], None, problems.append)
    assert problems == []
    return proj


def read(proj: project.Project, tag: str) -> Any:
    data = (proj.root / "site" / tag / "news" / "story.html").read_bytes()
    return html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=False)


def addresses(tree: Any) -> dict[str, Any]:
    """Every place the page names itself or its versions."""
    canonical = [link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical"]
    og_url = [meta.get("content") for meta in tree.iter("meta") if meta.get("property") == "og:url"]
    graph = json.loads(next(s for s in tree.iter("script") if s.get("type") == "application/ld+json").text)["@graph"]
    alternates = {link.get("hreflang"): link.get("href") for link in tree.iter("link") if link.get("hreflang")}
    return {"canonical": canonical, "og:url": og_url, "graph": graph, "alternates": alternates}


@pytest.mark.parametrize("base_url", [None, "https://news.example.org/world/"])
def test_every_self_reference_names_the_page_in_its_own_locale(tmp_path: Path, base_url: str | None) -> None:
    proj = make(tmp_path, base_url)
    prefix = "https://news.example.org/world" if base_url else ""
    for tag in ("en", "fr", "fa"):
        found = addresses(read(proj, tag))
        own = f"{prefix}/{tag}/news/story.html"
        assert found["canonical"] == [own]
        assert found["og:url"] == [own]
        article, webpage, organisation = found["graph"]
        assert article["mainEntityOfPage"]["@id"] == own
        assert webpage["url"] == own
        # Another thing's address is not the page's.
        assert article["publisher"]["url"] == organisation["url"] == "https://cms.example.com/"
        # hreflang agrees with canonical: each locale's entry is that locale's canonical.
        assert found["alternates"] == {
            "en": f"{prefix}/en/news/story.html",
            "fr": f"{prefix}/fr/news/story.html",
            "fa": f"{prefix}/fa/news/story.html",
            "x-default": f"{prefix}/en/news/story.html",
        }
        assert found["alternates"][tag] == own


def test_a_page_without_a_canonical_link_does_not_get_one(tmp_path: Path) -> None:
    article = ARTICLE.replace('<link rel="canonical" href="https://cms.example.com/en/story">', "")
    proj = make(tmp_path, article=article)
    assert addresses(read(proj, "fr"))["canonical"] == []


def test_translator_only_attributes_never_reach_a_page_and_translate_stays(tmp_path: Path) -> None:
    proj = make(tmp_path)
    pot = (tmp_path / "locales" / "templates" / "news" / "story.pot").read_text(encoding="utf-8")
    assert "#. Note: Keep it short" in pot  # the note reached the translators
    for tag in ("en", "fr", "fa"):
        text = (proj.root / "site" / tag / "news" / "story.html").read_text(encoding="utf-8")
        assert "its-" not in text
        h1 = next(read(proj, tag).iter("h1"))
        assert h1.get("translate") == "yes"


def switcher_links(tree: Any) -> list[dict[str, str | None]]:
    menu = next(ul for ul in tree.iter("ul") if ul.get("data-l10n-languages") is not None)
    assert [child.tag for child in menu] == ["li"] * len(menu)
    assert all([link.tag for link in item] == ["a"] and not (item.text or "").strip() for item in menu)
    return [{**link.attrib, "text": link.text} for item in menu for link in item]


def test_the_switcher_lists_every_locale_in_its_own_name_and_marks_the_current_one(tmp_path: Path) -> None:
    proj = make(tmp_path)
    assert switcher_links(read(proj, "fr")) == [
        {"href": "../../en/news/story.html", "hreflang": "en", "lang": "en", "text": "English"},
        {"href": "../../fa/news/story.html", "hreflang": "fa", "lang": "fa", "dir": "rtl", "text": "فارسی"},
        {"href": "story.html", "hreflang": "fr", "lang": "fr", "aria-current": "page", "text": "Français"},
    ]
    persian = switcher_links(read(proj, "fa"))
    assert [link.get("dir") for link in persian] == ["ltr", None, "ltr"]
    assert [link.get("aria-current") for link in persian] == [None, "page", None]
    nav = next(read(proj, "fa").iter("nav"))
    assert nav.get("aria-label") == "زبان‌های دیگر"  # the marked element's attributes are translated


def test_the_switcher_content_is_not_sent_to_translators(tmp_path: Path) -> None:
    make(tmp_path)
    pot = polib.pofile(str(tmp_path / "locales" / "templates" / "news" / "story.pot"))
    assert "English" not in {entry.msgid for entry in pot}


def test_without_a_mark_no_switcher_and_no_change(tmp_path: Path) -> None:
    article = ARTICLE.replace(" data-l10n-languages", "")
    proj = make(tmp_path, article=article)
    menu = next(read(proj, "fr").iter("ul"))
    assert [(item.tag, item.text) for item in menu] == [("li", "English")]


def test_a_partial_build_relinks_the_switcher_of_the_pages_it_leaves(tmp_path: Path) -> None:
    proj = make(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr", "fa", "es"]\n', encoding="utf-8")
    proj = project.open_project(tmp_path)
    problems: list[L10nError] = []
    project.extract(proj, [], problems.append)
    path = tmp_path / "locales" / "es" / "LC_MESSAGES" / "news" / "story.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = {"Headline": "Titular", "Body text.": "Texto.", "Other languages": "Otros idiomas"}[entry.msgid]
    po.save(str(path))
    project.build(proj, ["es"], None, problems.append)
    assert problems == []
    for tag in ("fr", "fa", "es"):
        assert [link["hreflang"] for link in switcher_links(read(proj, tag))] == ["en", "es", "fa", "fr"]


def test_the_source_own_relative_hreflang_links_are_replaced_not_taken_for_files(tmp_path: Path) -> None:
    # make() fails on any problem, warnings included: ../de/story names no file to copy.
    article = ARTICLE.replace("<title>", '<link rel="alternate" hreflang="de" href="../de/story"><title>')
    proj = make(tmp_path, article=article)
    assert "de" not in addresses(read(proj, "fr"))["alternates"]
