"""Which element is which, for segmentation: the classification tables and the tests on one element.

A block (or an inline element holding one) ends a run of text; a hidden element is never
translated, though a reader may still meet some (:data:`SHOWN_HIDDEN`: their attributes
are translated); a frozen or replaced element stands for itself inside a unit; an inline
element with letters in it is a paired placeholder whose content is translated
(:func:`is_paired`); ``translate="no"`` and class ``notranslate`` refuse translation.
"""

from __future__ import annotations

from typing import Any

import lxml.etree as etree

from .text import has_letters

BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "button",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "label",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "noscript",
        "ol",
        "optgroup",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
# Never translated, and they end a run: nobody reads them, or (textarea) the reader wrote
# them. This holds every raw-text element (html_write.RAW_TEXT: script, style, xmp, iframe,
# noembed, noframes, plaintext): their text is written unescaped, so a translation there
# could end the element and add markup.
# The language switcher's mark (l10n.switcher): the build fills the element, so its content
# is not text to translate.
SWITCHER = "data-l10n-languages"
HIDDEN = frozenset(("script", "style", "template", "textarea", "iframe", "noembed", "noframes", "xmp", "plaintext"))
# Hidden elements a reader still meets: a frame, a text box, raw text shown as it is. Their
# content stays untouched, but their title and aria-label (a textarea's placeholder too) are
# shown or read out, so those are units (DESIGN.md: title and aria-label on every element,
# iframe included). script, style, template, noembed and noframes are never rendered: they
# stay untouched whole (a <style title> even names a style sheet set, which a switcher keys on).
SHOWN_HIDDEN = frozenset(("iframe", "textarea", "xmp", "plaintext"))
# Inside a unit these stand for themselves: a self-closing placeholder, content untouched.
FROZEN = frozenset(("code", "kbd", "samp", "var", "time", "svg", "math"))
REPLACED = frozenset(
    [
        "img",
        "br",
        "wbr",
        "input",
        "embed",
        "object",
        "video",
        "audio",
        "canvas",
        "picture",
        "meter",
        "progress",
        "area",
        "map",
        "hr",
        "source",
        "track",
        "param",
    ]
)
OPAQUE = frozenset(("svg", "math"))
PRESERVE_SPACE = frozenset(("pre", "listing", "plaintext"))
# Children that end a run whatever they hold (containers of blocks end one too).
BOUNDARY = BLOCK | HIDDEN
# Inline elements that are a self-closing placeholder whatever their text.
_NEVER_PAIRED = FROZEN | REPLACED | HIDDEN


def attributes_of(element: Any) -> dict[str, str]:
    """All attributes of *element*, read at once (for an element with a translatable
    one: lxml copies each value out of libxml2, so one ``items()`` costs less than a
    ``get()`` of each)."""
    return dict(element.items())


def no_translate(element: Any) -> bool:
    """True when *element* refuses translation itself (``translate="no"``, class ``notranslate``)."""
    return refuses(element.get("translate"), element.get("class"))


def refuses(translate: str | None, classes: str | None) -> bool:
    """True for ``translate="no"`` or class ``notranslate`` (given those attributes)."""
    if translate is not None and translate.strip().lower() == "no":
        return True
    # The substring test spares splitting the (long) class list of nearly every element.
    return classes is not None and "notranslate" in classes and "notranslate" in classes.split()


def translate_yes(element: Any) -> bool:
    """True for ``translate="yes"``, which translates again inside a ``translate="no"``."""
    return bool(element.get("translate", "").strip().lower() == "yes")


def is_paired(element: Any, tag: str) -> bool:
    """True when an inline element (of tag *tag*) has its content translated: a paired placeholder."""
    if tag in _NEVER_PAIRED:
        return False
    # The element's text and all its descendants' (what "".join(itertext()) gives, but
    # made in C: five times faster). Tested before the attributes: it settles most elements.
    text = etree.tostring(element, method="text", encoding="unicode", with_tail=False)
    return has_letters(text) and not no_translate(element)


def containers_of_blocks(root: Any) -> set[Any]:
    """Every element that has a block element somewhere below it."""
    marked: set[Any] = set()
    for block in root.iter(*BLOCK):
        # Climb to the first ancestor already marked (its own ancestors are, too).
        above: list[Any] = []
        parent = block.getparent()
        while parent is not None and parent not in marked:
            if parent.tag in OPAQUE:
                # svg/math are opaque: an SVG <title> does not make its <svg> a block
                # container. A marked element is never inside svg/math, so the climb
                # meets the island if there is one.
                break
            above.append(parent)
            parent = parent.getparent()
        else:
            marked.update(above)
    return marked
