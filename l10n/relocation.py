"""Relative URLs of a built page (DESIGN.md §Build): what each names from the article,
named from ``site/<lang>/``.

A URL relative to the article is rewritten to the page of the article it names, or to
the copy of a local file in ``site/assets/`` (:mod:`l10n.assets` says where). Every page
of an article lies at the same depth below ``site/``, so its URLs move alike in every
locale but for one kind: a link to an article built in some locales only, which goes to
that article's page in the same locale when there is one, else in the source locale.

So an article's URLs are found once (:func:`moves_of`, a look at every element, which is
most of the cost), and each of its pages is given them (:meth:`Moves.apply`), the links
of that one kind worked out for its locale. Values in, tree mutated; no file access.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import assets
from .addresses import is_alternate, is_canonical
from .locale import Locale
from .site import Site

URL_ATTRIBUTES = ("href", "src", "poster", "data", "action", "cite", "formaction", "background", "longdesc")
_SRCSET_NAMES = frozenset(("srcset", "imagesrcset"))
_URL_NAMES = frozenset((*URL_ATTRIBUTES, *_SRCSET_NAMES, "style"))


@dataclass(frozen=True, slots=True)
class Move:
    """A value relocated: an attribute of an element, or a ``<style>``'s text (*name* None)."""

    element: Any  # in the page the moves were found in
    index: int  # its place there in document order (root.iter())
    name: str | None
    value: str  # the value to set; the page's own for a move worked out in each locale
    each_locale: bool


@dataclass(frozen=True, slots=True)
class Moves:
    """A page's relocated URLs, and the articles (or would-be articles) they link to."""

    slug: str
    site: Site
    linked: frozenset[str]
    moves: tuple[Move, ...]

    def apply(self, locale: Locale, nodes: Sequence[Any] | None = None) -> None:
        """Set each value in the page of *locale*: the page the moves were found in, or,
        given its *nodes* in that page's document order, a copy of it."""
        walk: _Walk | None = None
        for move in self.moves:
            element = move.element if nodes is None else nodes[move.index]
            value = move.value
            if move.each_locale:
                walk = walk or _walk_for(self.slug, locale, self.site, set(), None)
                value = _relocated(move.name, value, walk, element)
            if move.name is None:
                element.text = value
            else:
                element.set(move.name, value)


def moves_of(root: Any, slug: str, site: Site, needs: list[assets.Need] | None = None) -> Moves:
    """The relocated URLs of the page *root* of article *slug*; appends to *needs* the
    local files they refer to, at their lines.

    Left out: the canonical link and the hreflang alternates of ``<head>``, which
    ``page.localise`` writes itself (with absolute or root-relative URLs), and every URL
    of a page with a ``<base href>``, against which its URLs resolve.
    """
    linked: set[str] = set()
    if any(base.get("href") is not None for base in root.iterdescendants("base")):
        return Moves(slug, site, frozenset(), ())
    head = root.find("head")
    written = {link for link in head.iter("link") if is_alternate(link)} if head is not None else set()
    walk = _walk_for(slug, site.source, site, linked, needs)
    found: list[Move] = []
    url_free = _URL_NAMES.isdisjoint
    # Any element may carry a URL, so each one is looked at here: libxml2's XPath
    # (//*[@href or @src or ...]) takes longer over a page than this loop does.
    for index, element in enumerate(root.iter()):
        tag = element.tag
        if tag == "style" and element.text:
            move = _move(element, index, None, element.text, walk)
            if move is not None:
                found.append(move)
        names = element.keys()
        if url_free(names):  # most elements
            continue
        if tag == "link" and (element in written or is_canonical(element)):
            continue
        for name in names:
            if name in _URL_NAMES:
                move = _move(element, index, name, element.get(name), walk, linked)
                if move is not None:
                    found.append(move)
    return Moves(slug, site, frozenset(linked), tuple(found))


def _move(
    element: Any, index: int, name: str | None, value: str, walk: _Walk, linked: set[str] | None = None
) -> Move | None:
    """The move of one value, None when it stays as it is in every locale."""
    before = len(walk.built)
    new = _relocated(name, value, walk, element, linked)
    if len(walk.built) > before:
        return Move(element, index, name, value, each_locale=True)
    return None if new == value else Move(element, index, name, new, each_locale=False)


def _relocated(name: str | None, value: str, walk: _Walk, element: Any, linked: set[str] | None = None) -> str:
    if name is None or name == "style":
        return _relocate_css(value, walk, element)
    if name in _SRCSET_NAMES:
        return _relocate_srcset(value, walk, element)
    return _relocate(value, walk, element, linked=linked)


@dataclass(frozen=True, slots=True)
class _Walk:
    """Where the page's URLs are read from and written for, and what they are found to name."""

    article_dir: str
    page_dir: str
    locale: Locale
    site: Site
    linked: set[str]
    needs: list[assets.Need] | None  # the local files the page refers to, when the caller wants them
    built: list[str]  # articles named that the run builds: their links depend on the locale


def _walk_for(slug: str, locale: Locale, site: Site, linked: set[str], needs: list[assets.Need] | None) -> _Walk:
    article_dir = posixpath.dirname(posixpath.join(site.articles, slug))
    return _Walk(article_dir, posixpath.dirname(site.page(locale.tag, slug)), locale, site, linked, needs, [])


def _relocate(
    url: str, walk: _Walk, element: Any, lines: int = 0, linked: set[str] | None = None, css: bool = False
) -> str:
    """The URL that names, from the built page, what *url* names from the article: the
    page of an article, the copy of a local file (see :mod:`l10n.assets`), or *url*.
    *url* is *lines* lines below the start of *element* (in its text, or an attribute)."""
    parts = assets.split(url)
    if parts is None:
        return url
    path, rest = parts
    site = walk.site
    target = assets.resolve(path, walk.article_dir)
    slug = posixpath.relpath(target, site.articles)
    if _could_be_article(slug):
        if linked is not None:
            # Recorded even when no such article exists yet: when it appears, the link must change.
            linked.add(slug)
        if slug in site.built:
            walk.built.append(slug)
            tag = walk.locale.tag if walk.locale.tag in site.built[slug] else site.source.tag
            return assets.encode(posixpath.relpath(site.page(tag, slug), walk.page_dir), css) + rest
        # No such page: the link names the article's file, as written.
        raw = posixpath.normpath(posixpath.join(walk.article_dir, path))
        return posixpath.relpath(raw, walk.page_dir) + rest
    if walk.needs is not None:
        line = element.sourceline  # asked only here: a property that calls into libxml2
        walk.needs.append(assets.Need(target, None if line is None else line + lines))
    copy = assets.copy_path(target, site.articles, site.output)
    if copy is None:
        return url  # outside the project: never copied, left as written (the build warns)
    return assets.encode(posixpath.relpath(copy, walk.page_dir), css) + rest


def _relocate_css(text: str, walk: _Walk, element: Any) -> str:
    """CSS text (of *element*: a ``style`` attribute or element) with each URL it refers to relocated."""
    return _relocate_spans(text, assets.css_urls(text), walk, element, css=True)


def _could_be_article(slug: str) -> bool:
    """True for a path below the articles folder with an article's suffix."""
    return not slug.startswith("../") and posixpath.splitext(slug)[1].lower() in (".html", ".htm")


def _relocate_srcset(srcset: str, walk: _Walk, element: Any) -> str:
    return _relocate_spans(srcset, srcset_urls(srcset), walk, element)


def _relocate_spans(text: str, spans: Sequence[tuple[int, int]], walk: _Walk, element: Any, css: bool = False) -> str:
    """*text* with the URL at each of *spans* relocated. Only the URLs that move are
    replaced: the rest (a srcset's spacing, commas and descriptors; CSS around its URLs)
    stays byte for byte, and text with nothing to move is returned as it was. In CSS, a
    URL's line is counted within the text (a long <style> is read once, from URL to URL)."""
    parts: list[str] = []
    done = counted = lines = 0
    for start, end in spans:
        url = text[start:end]
        if css:
            lines += text.count("\n", counted, start)
            counted = start
        new = _relocate(url, walk, element, lines, css=css)
        if new != url:
            parts += (text[done:start], new)
            done = end
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


# One image candidate: separators (ASCII white space and commas; not \v, not U+00A0),
# the URL (group 1: up to white space, less its trailing commas), then either those
# commas or the descriptors up to a comma outside parentheses (an unclosed "(" runs to
# the end). Atomic groups: a huge attribute costs one pass, never backtracking.
_SRCSET_CANDIDATE = re.compile(
    r"(?>[\t\n\f\r ,]*)([^\t\n\f\r ]*[^\t\n\f\r ,])(?:(?>,+)|(?>[^,(]*)(?>(?:\((?>[^)]*)\)?(?>[^,(]*))*),?)"
)


def srcset_urls(srcset: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each image candidate's URL in *srcset*, in order.

    As the HTML standard parses a srcset attribute: "collect a sequence of code points
    that are ASCII whitespace or U+002C COMMA characters" (skipped); "collect a sequence
    of code points that are not ASCII whitespace, and let that be url"; "if url ends
    with U+002C (,), then: remove all trailing U+002C COMMA characters from url" and the
    candidate ends; otherwise the descriptor tokenizer reads up to a comma that is not
    inside parentheses, or to the end. So a URL keeps the commas inside it (``data:``
    URLs, CDN crop parameters), and a word after a URL is a descriptor, never a URL.
    Candidates a browser then drops for their descriptors are listed too.
    """
    found: list[tuple[int, int]] = []
    position = 0
    while (match := _SRCSET_CANDIDATE.match(srcset, position)) is not None:
        found.append(match.span(1))
        position = match.end()
    return found
