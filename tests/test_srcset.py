"""``srcset`` relocation at build (issue 14): candidates parsed as the HTML standard does.

A srcset URL runs until white space, so commas inside it (CDN crop parameters,
``data:`` URLs) are the URL's; a built page must keep every candidate resolving to the
file it named in the source (now its copy in ``site/assets/``), its descriptors, and the
source's spacing and commas.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import html_read
from l10n.locale import parse_locale
from l10n.page import Site, localise
from l10n.relocation import srcset_urls

from .trees import find, parent_of

SOURCE = parse_locale("en")
FRENCH = parse_locale("fr")
CASES = Path(__file__).parent / "data" / "pages" / "srcset.html"


def _localised(document: html_read.Document, slug: str = "2015/11/story.html") -> None:
    localise(document, FRENCH, slug, Site("articles", "site", SOURCE, {}))


def _cases() -> list[pytest.ParameterSet]:
    # Each element with a srcset in the case page, named by the comment before it.
    document = html_read.parse(CASES.read_bytes())
    found = []
    for element in document.root.iter("img", "source"):
        note = element.getprevious() if element.tag == "img" else parent_of(element).getprevious()
        assert note is not None, "each case follows the comment naming it"
        found.append(pytest.param(element.get("srcset"), element.get("data-expect"), id=str(note.text).strip()))
    return found


@pytest.mark.parametrize(("srcset", "expected"), _cases())
def test_srcset_case(srcset: str, expected: str | None) -> None:
    document = html_read.parse(CASES.read_bytes())
    before = [element.get("srcset") for element in document.root.iter("img", "source")]
    _localised(document)
    after = dict(zip(before, (e.get("srcset") for e in document.root.iter("img", "source")), strict=True))
    assert after[srcset] == (srcset if expected is None else expected)


@pytest.mark.parametrize(
    ("srcset", "urls"),
    [
        ("a.jpg\f1x,\fb.jpg", ["a.jpg", "b.jpg"]),  # form feed is ASCII white space
        ("a.jpg\v1x, b.jpg", ["a.jpg\v1x", "b.jpg"]),  # a vertical tab is not: it is the URL's
        ("a.jpg\xa01x", ["a.jpg\xa01x"]),  # nor is a no-break space
        ("a.jpg 1x (, b.jpg", ["a.jpg"]),  # an unclosed parenthesis runs to the end
        ("a.jpg 1x ), b.jpg", ["a.jpg", "b.jpg"]),  # a closing one alone is an ordinary character
        (",,,", []),
        ("a.jpg 1x b.jpg, c.jpg", ["a.jpg", "c.jpg"]),  # a second word is a descriptor, not a URL
    ],
)
def test_srcset_urls_follow_the_standard(srcset: str, urls: list[str]) -> None:
    assert [srcset[start:end] for start, end in srcset_urls(srcset)] == urls


# --- property: any srcset, relocated, names the same files ------------------------------------

_WS = st.sampled_from([" ", "\t", "\n", "\r"])
_SPACE = st.lists(_WS, min_size=1, max_size=3).map("".join)
_MAYBE_SPACE = st.lists(_WS, max_size=2).map("".join)
_LEAD = st.lists(st.sampled_from([" ", "\t", "\n", ","]), max_size=3).map("".join)
_NAME = st.from_regex(r"[A-Za-z0-9_=()-]([A-Za-z0-9_=(),.-]*[A-Za-z0-9_=()-])?", fullmatch=True)
_DESCRIPTOR = st.sampled_from(["1x", "2x", "1.5x", "100w", "640w", "50h", "x(1, 2)", "(a,b)"])


@dataclass(frozen=True)
class Candidate:
    url: str
    relative: bool  # resolved against the page's folder; else left as written
    end: str  # what follows the URL up to the next candidate: descriptors, commas, white space


@st.composite
def _url(draw: st.DrawFn) -> tuple[str, bool]:
    kind = draw(st.sampled_from(["relative", "relative", "relative", "https", "protocol", "root", "data", "#", "?"]))
    folders = draw(st.lists(st.one_of(_NAME, st.sampled_from(["..", "."])), max_size=3))
    path = "/".join([*folders, draw(_NAME)])
    query = draw(st.sampled_from(["", "?w=1,2", "?crop=0,0,10,10&x=(1)", "#top"]))
    if kind == "relative":
        return draw(st.sampled_from(["", "./", "../", "../../../../"])) + path + query, True
    return {
        "https": f"https://cdn.example/{path}{query}",
        "protocol": f"//cdn.example/{path}{query}",
        "root": f"/{path}{query}",
        "data": "data:image/png;base64,iVBORw0KGgo=",
        "#": f"#{path}",
        "?": f"?{path}",
    }[kind], False


@st.composite
def _candidates(draw: st.DrawFn) -> tuple[str, list[Candidate]]:
    count = draw(st.integers(0, 5))
    lead = draw(_LEAD)
    candidates = []
    for number in range(count):
        last = number == count - 1
        url, relative = draw(_url())
        kind = draw(st.sampled_from(["descriptors", "commas", "bare"]))
        if kind == "descriptors":
            words = draw(st.lists(_DESCRIPTOR, min_size=1, max_size=2))
            spaces = [draw(_SPACE) for _ in words]
            text = "".join(space + word for space, word in zip(spaces, words, strict=True))
            end = text + draw(_MAYBE_SPACE) + ("," if not last else draw(st.sampled_from(["", ","])))
        elif kind == "commas":
            end = "," * draw(st.integers(1, 3)) + (draw(_SPACE) if not last else draw(_MAYBE_SPACE))
        else:
            # "a.jpg ,": a comma right after the URL would be the URL's (the "commas" kind)
            end = (draw(_SPACE) + ",") if not last else draw(st.sampled_from(["", " ", " ,"]))
        candidates.append(Candidate(url, relative, end + ("" if last else draw(_LEAD))))
    return lead, candidates


def _text(lead: str, candidates: list[Candidate]) -> str:
    return lead + "".join(c.url + c.end for c in candidates)


def _built_srcset(srcset: str, slug: str) -> str:
    document = html_read.parse(b"<!DOCTYPE html><html><head><title>t</title></head><body><img alt=''></body></html>")
    image = find(document.root, ".//img")
    image.set("srcset", srcset)
    _localised(document, slug)
    return str(image.get("srcset"))


_SLUGS = st.sampled_from(["story.html", "2015/11/story.html", "a/b/c/d/story.html"])


@pytest.mark.slow
@given(_candidates(), _SLUGS)
def test_every_candidate_names_the_same_file_from_the_built_page(
    parsed: tuple[str, list[Candidate]], slug: str
) -> None:
    lead, candidates = parsed
    built = _built_srcset(_text(lead, candidates), slug)
    # Everything but the URLs is kept byte for byte: the pattern matches only then.
    pattern = re.escape(lead) + "".join(r"([^\t\n\r ]+)" + re.escape(c.end) for c in candidates)
    match = re.fullmatch(pattern, built)
    assert match is not None, built
    for candidate, url in zip(candidates, match.groups(), strict=True):
        if candidate.relative and (expected := _copy_of(candidate.url, slug)) is not None:
            built_url = urlsplit(urljoin("http://host/" + posixpath.join("site/fr", slug), url))
            written = urlsplit(candidate.url)
            assert (unquote(built_url.path), built_url.query, built_url.fragment) == (
                "/" + expected,
                written.query,
                written.fragment,
            ), (candidate.url, url)
        else:
            assert url == candidate.url


def _copy_of(url: str, slug: str) -> str | None:
    """Where, from the site's root, the file a relative URL of article *slug* names is
    served: its copy in site/assets/, or the article's own file for a link to an article
    with no page; None when it is outside the project (the URL is left as it is)."""
    path = posixpath.normpath(posixpath.join("articles", posixpath.dirname(slug), urlsplit(url).path))
    if path.startswith("../"):
        return None
    if path.startswith("articles/"):
        below = path.removeprefix("articles/")
        return path if below.endswith((".html", ".htm")) else "site/assets/" + below
    return "site/assets/_root/" + path


@pytest.mark.slow
@given(_candidates(), _SLUGS)
def test_a_srcset_whose_urls_do_not_move_is_kept_byte_for_byte(parsed: tuple[str, list[Candidate]], slug: str) -> None:
    lead, candidates = parsed
    fixed = [Candidate("https://cdn.example/x,y.png" if c.relative else c.url, False, c.end) for c in candidates]
    assert _built_srcset(_text(lead, fixed), slug) == _text(lead, fixed)
