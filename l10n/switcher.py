"""The language switcher readers use (DESIGN.md §Publishing).

An element of the article marked ``data-l10n-languages`` is filled at build with one
link per locale the article's page exists in: the language's own name (CLDR, as its
speakers write it at the start of a menu item), ``lang``, ``hreflang`` and, where the
name's script runs the other way from the page, ``dir``; the page's own locale is
marked ``aria-current="page"``. A list (``ul``, ``ol``, ``menu``) gets one ``li`` a
link; another element gets the links side by side. Its content in the article is
never sent to translators (it is replaced); its attributes are. No marker, no change.
Values in, tree mutated; no file access.
"""

from __future__ import annotations

import posixpath
from functools import cache
from typing import Any

from .elements import SWITCHER
from .locale import Locale, parse_locale
from .site import Site

_LISTS = frozenset(("ul", "ol", "menu"))


def fill_switchers(root: Any, locale: Locale, slug: str, site: Site) -> None:
    """Fill every marked element of the page of *slug* in *locale* with links to its pages."""
    marked = root.xpath(f"//*[@{SWITCHER}]")
    if not marked:
        return
    tags = sorted(site.built.get(slug, frozenset()) | {locale.tag}, key=lambda tag: (tag != site.source.tag, tag))
    page_dir = posixpath.dirname(site.page(locale.tag, slug))
    for element in marked:
        _fill(element, tags, locale, lambda tag: posixpath.relpath(site.page(tag, slug), page_dir))


def _fill(element: Any, tags: list[str], current: Locale, href: Any) -> None:
    indent, closing = _layout(element)
    for child in list(element):
        element.remove(child)
    element.text = indent
    listed = element.tag in _LISTS
    for number, tag in enumerate(tags):
        name, direction = native_name(tag)
        attributes = {"href": href(tag), "hreflang": tag, "lang": tag}
        if direction != current.direction:
            attributes["dir"] = direction
        if tag == current.tag:
            attributes["aria-current"] = "page"
        link = element.makeelement("a", attributes)
        link.text = name
        item = link
        if listed:
            item = element.makeelement("li", {})
            item.append(link)
        item.tail = closing if number == len(tags) - 1 else indent or (" " if not listed else "")
        element.append(item)


def _layout(element: Any) -> tuple[str, str]:
    """The white space before each item and before the end tag, as the article laid the
    element out: its first item's indentation (an empty element's items one step in)."""
    text = element.text or ""
    if text.strip() or "\n" not in text:
        return "", ""  # laid out on one line
    if len(element):
        return text, element[-1].tail or ""
    return text + "  ", text


@cache
def native_name(tag: str) -> tuple[str, str]:
    """The language's name in itself (CLDR), capitalised as a menu item, and its direction."""
    locale = parse_locale(tag)
    name = locale.own_name()
    # CLDR's "uiListOrMenu" context: a language name starting a menu item is capitalised
    # in the languages that write it lower case in running text (français, español).
    return name[:1].upper() + name[1:], locale.direction
