"""Which references of a page are local files, and where their copies go (issue 12, item 1).

The mapping is pure (:mod:`l10n.assets`); :func:`l10n.page.localise` applies it to every
URL of a page: attributes, srcset candidates, ``style`` attributes and ``<style>``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n import assets, html_read
from l10n.assets import Need
from l10n.locale import parse_locale
from l10n.page import Site, localise

SOURCE = parse_locale("en")
SLUG = "2015/11/story.html"  # built as site/fr/2015/11/story.html


@pytest.mark.parametrize(
    ("url", "parts"),
    [
        ("pic.png", ("pic.png", "")),
        (" pic.png?v=2#top ", ("pic.png", "?v=2#top")),
        ("../a b.png#x", ("../a b.png", "#x")),
        ("https://example.org/a.png", None),
        ("//cdn.example/a.png", None),
        ("/root.png", None),
        ("\\\\host\\a.png", None),
        ("#frag", None),
        ("?q=1", None),
        ("data:image/png;base64,AAAA", None),
        ("mailto:x@example.org", None),
        ("", None),
        ("  ", None),
    ],
)
def test_only_relative_paths_are_local(url: str, parts: tuple[str, str] | None) -> None:
    assert assets.split(url) == parts


@pytest.mark.parametrize(
    ("path", "folder", "found"),
    [
        ("pic.png", "articles/2015/11", "articles/2015/11/pic.png"),
        ("../../assets/a.css", "articles/2015/11", "articles/assets/a.css"),
        ("a%20b.png", "articles", "articles/a b.png"),
        ("caf%C3%A9.png", "articles", "articles/café.png"),
        ("%2e%2e/%2e%2e/x.png", "articles/a", "x.png"),  # read as a server reads it
        ("../../../../etc/passwd", "articles/2015/11", "../etc/passwd"),
        ("%2E%2E/%2E%2E/%2E%2E/etc/passwd", "articles/a", "../etc/passwd"),
        ("%2Fetc/passwd", ".", "../etc/passwd"),  # never an absolute path
        ("%FF.png", "articles", "articles/%FF.png"),  # not UTF-8: left encoded (no such file)
    ],
)
def test_a_url_path_is_resolved_then_decoded(path: str, folder: str, found: str) -> None:
    assert assets.resolve(path, folder) == found


@pytest.mark.parametrize(
    ("path", "copy"),
    [
        ("articles/assets/news.css", "site/assets/assets/news.css"),
        ("articles/pic.png", "site/assets/pic.png"),
        ("shared/logo.svg", "site/assets/_root/shared/logo.svg"),
        ("articlesque/x.png", "site/assets/_root/articlesque/x.png"),  # not below "articles"
        ("../etc/passwd", None),
        ("..", None),
    ],
)
def test_copies_keep_their_place_below_the_articles_folder(path: str, copy: str | None) -> None:
    assert assets.copy_path(path, "articles", "site") == copy
    assert assets.outside(path) == (copy is None)


def test_with_the_articles_at_the_root_every_file_is_below_them() -> None:
    assert assets.copy_path("img/a.png", ".", "public") == "public/assets/img/a.png"
    assert assets.copy_path("img/a.png", "./news/", "out") == "out/assets/_root/img/a.png"
    assert assets.copy_path("news/a.png", "./news/", "out") == "out/assets/a.png"


@pytest.mark.parametrize(
    ("path", "attribute", "css"),
    [
        ("a b.png", "a%20b.png", "a%20b.png"),
        ("pic(1).jpg", "pic(1).jpg", "pic%281%29.jpg"),
        ("it's.png", "it's.png", "it%27s.png"),
        ("a:b.png", "a%3Ab.png", "a%3Ab.png"),
        ("100%.png", "100%25.png", "100%25.png"),
        ("photo@2x,crop=1,2.jpg", "photo@2x,crop=1,2.jpg", "photo@2x,crop=1,2.jpg"),
        ("ends,", "ends%2C", "ends%2C"),
        ("café.png", "caf%C3%A9.png", "caf%C3%A9.png"),
    ],
)
def test_a_path_is_encoded_for_where_it_is_written(path: str, attribute: str, css: str) -> None:
    assert assets.encode(path) == attribute
    assert assets.encode(path, css=True) == css
    assert unquote(attribute) == unquote(css) == path


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("background: url(a.png)", ["a.png"]),
        ("background: URL( 'a b.png' ) ", ["a b.png"]),
        ('@import "x.css"; @import url(y.css) screen;', ["x.css", "y.css"]),
        ("@IMPORT 'x.css';", ["x.css"]),
        ('/* url(commented.png) */ b { background: url("real.png") }', ["real.png"]),
        ('a::before { content: "url(not.png)" }', []),
        ("b { background: myurl(x.png) }", []),
        ("b { background: url(a\\).png) }", []),  # an escape: left alone
        ("b { background: url(data:image/png;base64,AA==) }", ["data:image/png;base64,AA=="]),
        ("color: red", []),
        ("/* never closed url(x.png)", []),
        ('a { content: "\\"url(in-string.png)" }', []),  # an escaped quote does not end a string
        ('a { content: "bad\nurl(after.png) }', ["after.png"]),  # a line end ends a string (CSS: a bad string)
    ],
)
def test_css_urls(text: str, urls: list[str]) -> None:
    assert [text[start:end] for start, end in assets.css_urls(text)] == urls


def test_needs_survive_the_store_and_keep_their_first_line() -> None:
    needs = assets.first_lines([Need("b.png", 9), Need("a.png", None), Need("b.png", 3), Need("a.png", 5)])
    assert needs == (Need("a.png", 5), Need("b.png", 3))
    assert assets.load(assets.dump(needs)) == needs
    assert assets.load(None) == assets.load("not json") == assets.load('{"a": 1}') == ()


PAGE = """<!DOCTYPE html>
<html><head><title>Story</title>
<link rel="stylesheet" href="../../assets/news.css">
<link rel="icon" href="../../../favicon.ico?v=3">
<link rel="alternate" hreflang="de" href="../../de/story.html">
<style>
  body { background: url("../../assets/bg.png"); }
  @import 'print.css' print;
</style>
</head><body>
<img src="pic.png" srcset="pic.png 1x, pic@2x.png 2x" alt="">
<div style="background-image: url(../../assets/a%20b.png)">x</div>
<a href="report.pdf#page=2">PDF</a>
<a href="other.html#top">other</a>
<a href="gone.html">gone</a>
<a href="../../../shared/logo.svg">logo</a>
<a href="../../../../etc/passwd">escape</a>
<video poster="poster.jpg"><source src="clip.mp4?t=1"></video>
<object data="chart.svg"></object>
<a href="https://example.org/x.png">abs</a> <a href="/root.png">root</a> <a href="#f">f</a>
<img src="data:image/png;base64,AAAA" alt=""> <a href="mailto:x@example.org">m</a>
</body></html>"""


def built(page: str = PAGE) -> tuple[html_read.Document, list[Need], set[str]]:
    document = html_read.parse(page.encode())
    site = Site("articles", "site", SOURCE, {"2015/11/other.html": frozenset({"en", "fr"})})
    needs: list[Need] = []
    linked = localise(document, parse_locale("fr"), SLUG, site, needs)
    return document, needs, linked


def at(url: str) -> str:
    """The path, from the project root, that *url* names from the built French page."""
    split = urlsplit(urljoin("http://host/site/fr/" + SLUG, url))
    return (
        unquote(split.path)[1:]
        + (f"?{split.query}" if split.query else "")
        + (f"#{split.fragment}" * bool(split.fragment))
    )


def test_every_local_file_goes_to_its_copy_and_is_needed_at_its_line() -> None:
    document, needs, linked = built()
    root = document.root
    link = {element.get("rel"): element.get("href", "") for element in root.iter("link")}
    assert at(link["stylesheet"]) == "site/assets/assets/news.css"
    assert at(link["icon"]) == "site/assets/_root/favicon.ico?v=3"
    image = root.find(".//img")
    assert image is not None
    assert at(image.get("src", "")) == "site/assets/2015/11/pic.png"
    assert image.get("srcset") == "../../../assets/2015/11/pic.png 1x, ../../../assets/2015/11/pic@2x.png 2x"
    style = root.find(".//style")
    assert style is not None and style.text is not None
    assert 'url("../../../assets/assets/bg.png")' in style.text
    assert "@import '../../../assets/2015/11/print.css' print;" in style.text
    div = root.find(".//div")
    assert div is not None
    assert div.get("style") == "background-image: url(../../../assets/assets/a%20b.png)"
    hrefs = [a.get("href") for a in root.iter("a")]
    assert at(hrefs[0] or "") == "site/assets/2015/11/report.pdf#page=2"
    assert hrefs[1] == "other.html#top"  # an article: its French page
    assert at(hrefs[2] or "") == "articles/2015/11/gone.html"  # an article with no page: as before
    assert at(hrefs[3] or "") == "site/assets/_root/shared/logo.svg"
    assert hrefs[4:] == [
        "../../../../etc/passwd",
        "https://example.org/x.png",
        "/root.png",
        "#f",
        "mailto:x@example.org",
    ]
    video = root.find(".//video")
    assert video is not None and at(video.get("poster", "")) == "site/assets/2015/11/poster.jpg"
    assert linked == {"2015/11/other.html", "2015/11/gone.html"}
    assert assets.first_lines(needs) == (
        Need("../etc/passwd", 17),  # outside the project: needed, so that the build warns
        Need("articles/2015/11/chart.svg", 19),
        Need("articles/2015/11/clip.mp4", 18),
        Need("articles/2015/11/pic.png", 11),
        Need("articles/2015/11/pic@2x.png", 11),
        Need("articles/2015/11/poster.jpg", 18),
        Need("articles/2015/11/print.css", 8),
        Need("articles/2015/11/report.pdf", 13),
        Need("articles/assets/a b.png", 12),
        Need("articles/assets/bg.png", 7),
        Need("articles/assets/news.css", 3),
        Need("favicon.ico", 4),
        Need("shared/logo.svg", 16),
    )


def test_alternates_of_the_source_are_not_files() -> None:
    document, needs, _ = built()
    assert not [need for need in needs if "de/" in need.path]
    hreflang = {link.get("hreflang") for link in document.root.iter("link") if link.get("hreflang")}
    assert "de" not in hreflang  # replaced by the page's own


def test_a_base_href_leaves_every_url_alone_and_needs_nothing() -> None:
    document, needs, _ = built(PAGE.replace("<head>", '<head><base href="https://news.example.org/x/">'))
    assert needs == []
    image = document.root.find(".//img")
    assert image is not None and image.get("src") == "pic.png"


def test_needs_are_optional() -> None:
    document = html_read.parse(PAGE.encode())
    site = Site("articles", "site", SOURCE, {})
    localise(document, parse_locale("fr"), SLUG, site)
    image = document.root.find(".//img")
    assert image is not None and image.get("src") == "../../../assets/2015/11/pic.png"


def _scanned(text: str) -> list[str]:
    """The URLs of CSS *text*, read one character at a time (a reference for css_urls)."""
    found: list[str] = []
    position = 0
    while position < len(text):
        rest = text[position:]
        if rest.startswith("/*"):
            end = text.find("*/", position + 2)
            position = len(text) if end < 0 else end + 2
        elif rest[0] in "\"'":
            position += 1
            while position < len(text) and text[position] not in (rest[0], "\n"):
                position += 2 if text[position] == "\\" else 1
            position += 1
        elif (match := re.match(r"url\(\s*(\"[^\"\\\n]*\"|'[^'\\\n]*'|[^\s\"'()\\]+)\s*\)", rest, re.I)) and not (
            position and re.match(r"[\w-]", text[position - 1])
        ):
            found.append(match.group(1).strip("\"'") if match.group(1)[0] in "\"'" else match.group(1))
            position += match.end()
        elif match := re.match(r"@import\s+(\"[^\"\\\n]*\"|'[^'\\\n]*')", rest, re.I):
            found.append(match.group(1)[1:-1])
            position += match.end()
        else:
            position += 1
    return found


_CSS_PIECES = st.lists(
    st.sampled_from(
        [
            "url(a.png)",
            "URL( 'b c.png' )",
            'url("d.png")',
            "url(e\\).png)",
            "myurl(f.png)",
            "-url(g.png)",
            "@import 'h.css'",
            '@IMPORT "i.css"',
            "@import url(j.css)",
            "@media",
            "/*",
            "*/",
            '"',
            "'",
            "\\",
            "\n",
            " ",
            "u",
            "r",
            "l",
            "(",
            ")",
            "x",
            "@",
            "/",
            "url(",
            "content: ",
            ";",
            "{",
            "}",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500)  # each example costs microseconds
@given(_CSS_PIECES)
def test_css_urls_finds_what_a_character_scan_finds(text: str) -> None:
    assert [text[start:end] for start, end in assets.css_urls(text)] == _scanned(text)


def test_only_long_but_not_huge_css_is_kept_scanned() -> None:
    # Kept: scanned once for an article's three pages. Not kept: the longest (an article
    # may be 10 MiB, and 128 kept texts could then hold a gigabyte).
    assets._scanned.cache_clear()
    long = "a{background:url(x.png)}" + " " * 600
    huge = "a{background:url(x.png)}" + " " * 200_000
    assert assets.css_urls(long) == assets.css_urls(long) == ((17, 22),)
    assert assets._scanned.cache_info().currsize == 1
    assert assets.css_urls(huge) == ((17, 22),)
    assert assets._scanned.cache_info().currsize == 1
