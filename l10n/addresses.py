"""A built page's own address and its language versions (DESIGN.md §Publishing).

This module owns every place where a page names itself or its translations: the
``<link rel="canonical">``, ``<meta property="og:url">``, JSON-LD ``url`` and
``mainEntityOfPage`` of the article's own object, and the hreflang alternates. Each
names the page *in its own locale* (:meth:`page.Site.url`: absolute below ``base_url``,
else root-relative), so canonical, og:url and hreflang always agree. Values in, tree
mutated; no file access.
"""

from __future__ import annotations

from typing import Any

from .jsonld import dump_jsonld
from .site import Site

# schema.org types whose ``url`` is the page itself (CreativeWork kinds a news page is);
# an Organization's or an ImageObject's ``url`` is somewhere else and stays.
_PAGE_TYPES = ("Article", "WebPage", "Posting", "Report", "BlogPosting", "LiveBlogPosting", "CreativeWork")


JsonLdBlock = tuple[Any, Any, list[dict[str, Any]]]  # page.jsonld_blocks: script, data, typed objects


def self_address(elements: list[Any], blocks: list[JsonLdBlock], url: str) -> None:
    """Make the page's canonical link, og:url and JSON-LD self-references *url*.

    *elements*: the page's ``<link>`` and ``<meta>`` elements; *blocks*: its JSON-LD
    (:func:`page.jsonld_blocks`). Only references that exist are changed: a page without
    a canonical link does not get one.
    """
    for element in elements:
        if element.tag == "link":
            if is_canonical(element):
                element.set("href", url)
        elif (element.get("property") or "").strip().lower() == "og:url" and element.get("content") is not None:
            element.set("content", url)
    for script, data, typed in blocks:
        if any([_point_to(target, url) for target in typed]):
            script.text = dump_jsonld(data)


def _point_to(target: dict[str, Any], url: str) -> bool:
    """Make one typed JSON-LD object's references to its page *url*; True when it changed."""
    changed = False
    main = target.get("mainEntityOfPage")
    if isinstance(main, str) and main != url:
        target["mainEntityOfPage"] = url
        changed = True
    elif isinstance(main, dict):
        for key in ("@id", "url"):
            if isinstance(main.get(key), str) and main[key] != url:
                main[key] = url
                changed = True
    if _is_page_type(target.get("@type")) and isinstance(target.get("url"), str) and target["url"] != url:
        target["url"] = url
        changed = True
    return changed


def _is_page_type(kind: Any) -> bool:
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].endswith(_PAGE_TYPES) for k in kinds)


def is_canonical(link: Any) -> bool:
    """True for a ``<link rel="canonical">`` with an ``href`` (the one :func:`self_address` rewrites)."""
    return "canonical" in (link.get("rel") or "").lower().split() and link.get("href") is not None


def is_alternate(link: Any) -> bool:
    """True for a ``<link rel="alternate" hreflang>``."""
    return link.get("hreflang") is not None and "alternate" in (link.get("rel") or "").lower().split()


def alternates(head: Any, slug: str, site: Site) -> None:
    """Replace the page's hreflang alternates with one per locale the article is built in,
    and ``x-default`` (the source locale's page), each at its :meth:`Site.url`."""
    for link in list(head.iter("link")):
        if is_alternate(link):
            drop(link)
    tags = sorted(site.built.get(slug, frozenset()))
    if not tags:
        return
    anchor = head[-1] if len(head) else None
    tail = anchor.tail if anchor is not None else "\n"
    for tag in [*tags, "x-default"]:
        href = site.url(site.source.tag if tag == "x-default" else tag, slug)
        link = head.makeelement("link", {"rel": "alternate", "hreflang": tag, "href": href})
        link.tail = tail
        head.append(link)


def drop(element: Any) -> None:
    """Remove *element*, keeping the text that followed it."""
    parent = element.getparent()
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
