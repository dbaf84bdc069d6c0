"""Page-level localisation at build (DESIGN.md §Build), after the units are translated.

This module owns what changes in a page besides its units: ``<html lang>`` and
``dir``, the ``<meta charset>``, ``og:locale``, JSON-LD ``inLanguage``, the hreflang
alternates, ``<time>`` texts and number-only text (written by ``dates`` and
``numbers``), and relative URLs rewritten so that they resolve from ``site/<lang>/``
(:mod:`l10n.relocation`). Values in, tree mutated; no file access.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import babel
import lxml.etree as etree

from . import assets
from .addresses import JsonLdBlock, alternates, drop, is_alternate, self_address
from .dates import render_time
from .elements import SWITCHER, no_translate, translate_yes
from .html_read import Document
from .jsonld import dump_jsonld, is_jsonld
from .locale import Locale
from .numbers import digit_table, localise_digits
from .relocation import Moves, moves_of
from .site import Site as Site  # re-exported: the build knows Site from here
from .switcher import fill_switchers
from .text import split_space


def localise(
    document: Document,
    locale: Locale,
    slug: str,
    site: Site,
    needs: list[assets.Need] | None = None,
    urls: Moves | None = None,
) -> set[str]:
    """Apply every page-level change for *locale* to a page whose units are translated.

    Returns the articles the page links to, and the paths below the articles folder that
    would be articles (their built locales decide where links go). Appends to *needs*
    the local files the page refers to, at their lines (see :mod:`l10n.assets`). Given
    *urls*, the moves of the article's URLs, already applied to this page (a build finds
    them once an article), its URLs are left as they are and *needs* is not appended to.
    """
    root = document.root
    is_source = locale.tag == site.source.tag
    head = _head(root)
    if not is_source or root.get("lang") is None:
        root.set("lang", locale.tag)
    if locale.direction == "rtl":
        root.set("dir", "rtl")
    elif root.get("dir") is not None:
        root.set("dir", "ltr")
    # lxml matches these tags in C and makes no Python object for the other elements:
    # a walk that costs little beside the one _rewrite_urls needs.
    kinds: dict[str, list[Any]] = {"meta": [], "time": [], "script": [], "link": []}
    for element in root.iter(*kinds):
        kinds[element.tag].append(element)
    _charset(kinds["meta"], head)
    if not is_source:
        _og_locale(root, kinds["meta"], locale)
        cldr = babel.Locale.parse(locale.cldr)
        digits = site.conventions.native_digits
        _times(kinds["time"], cldr, site.conventions.calendar(locale.gettext), digits)
        table = digit_table(cldr) if digits else None
        if table is not None:  # a locale whose digits are not ASCII (fa, ar-EG, hi-Deva...)
            localise_digits(root, table)
    blocks = list(jsonld_blocks(root, kinds["script"]))
    _jsonld_language(blocks, locale)
    self_address([*kinds["link"], *kinds["meta"]], blocks, site.url(locale.tag, slug))
    # The canonical link and the alternates are written here (absolute or root-relative),
    # and left out of the URL moves.
    alternates(head, slug, site)
    if urls is None:
        urls = moves_of(root, slug, site, needs)
        urls.apply(locale)
    if document.marked:
        fill_switchers(root, locale, slug, site)
        _drop_translator_notes(root)
    return set(urls.linked)


# ITS 2.0 local attributes in HTML (its-loc-note, its-term, its-locale-filter-list, ...)
# are for translators and their tools; HTML's own translate attribute stays.
_ITS_ATTRIBUTES = "//@*[starts-with(name(), 'its-')]"


def _drop_translator_notes(root: Any) -> None:
    for attribute in root.xpath(_ITS_ATTRIBUTES):
        del attribute.getparent().attrib[attribute.attrname]


# Whether a tree holds an attribute that localise acts on when the page is marked: an ITS
# attribute (dropped) or the language switcher's mark (filled).
_HAS_MARKS = etree.XPath(f"boolean(//@*[starts-with(name(), 'its-') or name() = '{SWITCHER}'])")


def unmarked(document: Document) -> Document:
    """The document, no longer marked when its tree holds none of the attributes a marked
    page is searched for (the parse's substring test also matches "credits-" in a script).

    For a page a build localises several times: one search of the source instead of two
    on each page. Nothing a build does to a page adds such an attribute, so each page is
    made as before.
    """
    if document.marked and not _HAS_MARKS(document.root):
        return replace(document, marked=False)
    return document


def relink(document: Document, locale: Locale, slug: str, site: Site) -> None:
    """Make a built page's hreflang alternates those of *site* again, nothing else.

    For the page of a locale a partial build does not make (``build -l fr`` leaves the
    Spanish page), when the locales of its article change. The alternates a build wrote
    are removed with the white space it gave them, so relinking a page to the locales it
    already lists gives back the same text.
    """
    head = _head(document.root)
    for link in list(head.iter("link")):
        if is_alternate(link):
            if (link.tail or "").strip():
                drop(link)
            else:
                head.remove(link)  # its tail is the white space the build repeated after each
    alternates(head, slug, site)
    if document.marked:
        fill_switchers(document.root, locale, slug, site)


def _head(root: Any) -> Any:
    head = root.find("head")
    if head is None:
        head = root.makeelement("head", {})
        root.insert(0, head)
    return head


# Both look in the whole page: libxml2 moves <meta> tags that follow stray content in
# <head> into <body>, where browsers and crawlers still read them.
def _charset(metas: list[Any], head: Any) -> None:
    """Make every declaration say UTF-8, and the first one the first child of *head*.

    A browser reads the declaration with a prescan of the page's first 1,024 bytes only
    (HTML standard, "prescan a byte stream to determine its encoding"): first in
    ``<head>`` it comes before the scripts, styles and metadata that pages put there.
    """
    first = None
    for meta in metas:
        if meta.get("charset") is not None:
            meta.set("charset", "utf-8")
        elif (meta.get("http-equiv") or "").lower() == "content-type":
            meta.set("content", "text/html; charset=utf-8")
        else:
            continue
        if first is None:
            first = meta
    if first is None:
        first = head.makeelement("meta", {"charset": "utf-8"})
    elif len(head) and head[0] is first:
        return
    else:
        _detach(first)
    # The head's opening white space, repeated after the declaration, indents it like
    # the element that was first.
    text = head.text or ""
    first.tail = "" if text.strip(_ASCII_SPACE) else text
    head.insert(0, first)


_ASCII_SPACE = " \t\n\r\f"
# What a browser's encoding prescan looks for (HTML standard: a <meta> with a charset).
_PRESCANNED = re.compile(rb"<meta\b[^>]*?charset", re.IGNORECASE)
PRESCAN_BYTES = 1024


def prescan_safe(data: bytes) -> bytes:
    """A built page's UTF-8 bytes, with a byte order mark when a browser's encoding prescan
    (its first 1,024 bytes) would not reach the charset declaration: a start tag of
    ``<html>`` or ``<head>`` with kilobytes of attributes ends past it (msn, nytimes). A
    BOM wins over any declaration, and is read back by ``html_read`` the same way."""
    found = _PRESCANNED.search(data, 0, 4 * PRESCAN_BYTES)
    if found is not None and found.start() < PRESCAN_BYTES:
        return data
    return codecs.BOM_UTF8 + data


def _detach(element: Any) -> None:
    """Take *element* out of the tree, keeping the text around it.

    In ``<head>``, where white space shows nowhere, the white space before it goes with
    it when its tail has its own: the line it stood on goes, no blank line is left.
    """
    parent = element.getparent()
    previous = element.getprevious()
    before = (parent.text if previous is None else previous.tail) or ""
    tail = element.tail or ""
    if parent.tag == "head" and tail and tail[0] in _ASCII_SPACE:
        before = before.rstrip(_ASCII_SPACE)
    if previous is None:
        parent.text = before + tail
    else:
        previous.tail = before + tail
    element.tail = None
    parent.remove(element)


def _og_locale(root: Any, every_meta: list[Any], locale: Locale) -> None:
    metas = [m for m in every_meta if (m.get("property") or "").startswith("og:")]
    for meta in metas:
        if meta.get("property") == "og:locale":
            meta.set("content", locale.og)
            return
    if metas:
        meta = root.makeelement("meta", {"property": "og:locale", "content": locale.og})
        meta.tail = metas[-1].tail
        metas[-1].addnext(meta)


def jsonld_blocks(root: Any, scripts: list[Any] | None = None) -> Iterator[tuple[Any, Any, list[dict[str, Any]]]]:
    """Each parsable JSON-LD script: the element, its data, and its typed objects.

    Typed objects are the top-level ones and those of ``@graph`` that have a ``@type``
    (or already an ``inLanguage``): the ones a language applies to. *scripts*: the
    page's ``<script>`` elements, when the caller has them.
    """
    for script in root.iter("script") if scripts is None else scripts:
        if not is_jsonld(script):
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        typed: list[dict[str, Any]] = []
        for item in data if isinstance(data, list) else [data]:
            for target in item.get("@graph", [item]) if isinstance(item, dict) else []:
                if isinstance(target, dict) and ("@type" in target or "inLanguage" in target):
                    typed.append(target)
        yield script, data, typed


def _jsonld_language(blocks: list[JsonLdBlock], locale: Locale) -> None:
    for script, data, typed in blocks:
        stale = [target for target in typed if target.get("inLanguage") != locale.tag]
        for target in stale:
            target["inLanguage"] = locale.tag
        if stale:
            script.text = dump_jsonld(data)


def _times(times: list[Any], cldr: babel.Locale, calendar: str, digits: bool) -> None:
    for time in times:
        if len(time) or _untranslated(time):
            continue
        # Without a datetime attribute a <time>'s text is its value (HTML standard): it is
        # rendered when it is one of the values dates.render_time renders.
        value = time.get("datetime")
        text = render_time(time.text or "" if value is None else value, cldr, calendar, digits, time.text or "")
        if text is not None:
            lead, trail = split_space(time.text or "")
            time.text = lead + text + trail


def _untranslated(element: Any) -> bool:
    for node in element.iterancestors():
        if translate_yes(node):
            return False
        if no_translate(node):
            return True
    return no_translate(element)
