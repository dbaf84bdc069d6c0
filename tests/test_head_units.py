"""Head units a reader or a search engine sees (issue 12): JSON-LD ``keywords``,
``articleSection`` and the topics under ``about``; ``<meta>`` ``article:section``,
``article:tag`` and ``news_keywords``.

Each is extracted with a ``#.`` kind that says what it is, and a build writes its
translation back into the place it came from: a list item into its list, a topic's name
into its topic, through :func:`segment.apply` and through the slots one walk moves onto
each locale's copy (:class:`segment.Segmented`).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from l10n.html_read import Document, parse_text
from l10n.html_write import serialise
from l10n.segment import Segmented, apply, segment
from l10n.slot import copy_document

from .trees import find, text_of


def page(data: Any, head: str = "") -> Document:
    """A page whose head holds *data* as a JSON-LD script (written as json.dumps writes it)."""
    script = f'<script type="application/ld+json">{json.dumps(data)}</script>' if data is not None else ""
    return parse_text(f'<!DOCTYPE html><html lang="en"><head>{head}{script}</head><body><p>Body.</p></body></html>')


def units_of(document: Document) -> list[tuple[str, str]]:
    """(kind, msgid) of each unit in the page's head: the body's paragraph left out."""
    return [(u.kind, u.msgid) for u in segment(document) if u.kind != "p"]


def built_both_ways(document: Document, translations: dict[str, str]) -> list[Document]:
    """The page translated by a fresh walk of a copy, and by the slots of one walk moved
    onto two copies in turn (the second must not see the first's changes)."""
    walked = copy_document(document)
    apply(walked, translations)
    segmented = Segmented(document)
    first, _ = segmented.translated(translations)
    second, _ = segmented.translated(translations)
    return [walked, first, second]


def jsonld_of(document: Document) -> Any:
    return json.loads(text_of(find(document.root, ".//script")))


def upper(document: Document) -> dict[str, str]:
    return {u.msgid: u.msgid.upper() for u in segment(document)}


# --- JSON-LD: extraction ---------------------------------------------------------------------


def test_keywords_and_section_as_strings_are_one_unit_each() -> None:
    data = {"@type": "NewsArticle", "keywords": "Calais, migrants, camp", "articleSection": "World"}
    assert units_of(page(data)) == [
        ("JSON-LD keywords", "Calais, migrants, camp"),
        ("JSON-LD articleSection", "World"),
    ]


def test_keywords_and_section_as_lists_give_a_unit_per_item() -> None:
    data = {"@type": "NewsArticle", "keywords": ["Calais", "people smuggling"], "articleSection": ["World", "Europe"]}
    assert units_of(page(data)) == [
        ("JSON-LD keywords", "Calais"),
        ("JSON-LD keywords", "people smuggling"),
        ("JSON-LD articleSection", "World"),
        ("JSON-LD articleSection", "Europe"),
    ]


def test_a_list_item_that_is_not_text_with_letters_is_no_unit() -> None:
    data = {"keywords": ["Calais", 2015, "2015", None, True, "", " · ", ["nested"], "camp"]}
    assert units_of(page(data)) == [("JSON-LD keywords", "Calais"), ("JSON-LD keywords", "camp")]


def test_the_topic_under_about_has_its_name_and_alternate_name_translated() -> None:
    data = {
        "@type": "NewsArticle",
        "about": {"@type": "Place", "name": "English Channel", "alternateName": "The Channel", "description": "A sea"},
    }
    assert units_of(page(data)) == [
        ("JSON-LD about.name", "English Channel"),
        ("JSON-LD about.alternateName", "The Channel"),
        ("JSON-LD about.description", "A sea"),
    ]


def test_each_topic_of_an_about_list_and_an_about_in_a_graph() -> None:
    data = {
        "@graph": [
            {"@type": "NewsArticle", "about": [{"@type": "Thing", "name": "Migration"}, {"name": "Asylum"}, "Text"]},
            {"@type": "WebPage", "about": {"name": ["Calais", "Pas-de-Calais"]}},
        ]
    }
    # Breadth first: the second object's one topic is nearer the top than the first's list items.
    assert units_of(page(data)) == [
        ("JSON-LD @graph.about.name", "Calais"),
        ("JSON-LD @graph.about.name", "Pas-de-Calais"),
        ("JSON-LD @graph.about.name", "Migration"),
        ("JSON-LD @graph.about.name", "Asylum"),
    ]


def test_names_outside_about_are_not_translated() -> None:
    """Authors, publishers, a page's own name and what a topic holds in turn keep their names."""
    data = {
        "@type": "NewsArticle",
        "name": "Page name",
        "author": {"@type": "Person", "name": "Jane Reporter", "alternateName": "JR"},
        "publisher": {"@type": "Organization", "name": "The Daily"},
        "about": {"name": "Calais", "containedInPlace": {"name": "France"}},
        "mentions": [{"name": "Bernard Cazeneuve"}],
    }
    assert units_of(page(data)) == [("JSON-LD about.name", "Calais")]


# --- JSON-LD: build --------------------------------------------------------------------------

SOURCE = {
    "@type": "NewsArticle",
    "headline": "Camp",
    "keywords": ["Calais", 2015, "2015", "camp", {"@type": "DefinedTerm", "termCode": "x"}],
    "articleSection": "World",
    "about": [{"@type": "Place", "name": "Calais"}, {"@type": "Thing", "name": "Migration", "alternateName": "Exodus"}],
    "author": {"@type": "Person", "name": "Jane Reporter"},
}
FRENCH = {
    "Camp": "Le camp",
    "Calais": "Calais (FR)",
    "camp": "campement",
    "World": "Monde",
    "Migration": "Migrations",
    "Exodus": "Exode",
}


def test_build_writes_each_translation_into_its_place() -> None:
    expected = {
        "@type": "NewsArticle",
        "headline": "Le camp",
        "keywords": ["Calais (FR)", 2015, "2015", "campement", {"@type": "DefinedTerm", "termCode": "x"}],
        "articleSection": "Monde",
        "about": [
            {"@type": "Place", "name": "Calais (FR)"},
            {"@type": "Thing", "name": "Migrations", "alternateName": "Exode"},
        ],
        "author": {"@type": "Person", "name": "Jane Reporter"},
    }
    source = page(SOURCE)
    for built in built_both_ways(source, FRENCH):
        assert jsonld_of(parse_text(serialise(built))) == expected
    assert jsonld_of(source) == SOURCE  # the walked page is untouched


def test_keywords_string_is_written_back_whole() -> None:
    source = page({"keywords": "Calais, migrants", "about": {"name": "Calais"}})
    for built in built_both_ways(source, {"Calais, migrants": "Calais, migrants (FR)", "Calais": "Calé"}):
        assert jsonld_of(built) == {"keywords": "Calais, migrants (FR)", "about": {"name": "Calé"}}


def test_identity_keeps_a_script_with_lists_byte_for_byte() -> None:
    raw = '{"keywords" : [ "Calais",2015 ,"camp" ],\n  "about":[{"name":"Calais"}], "articleSection":"World"}'
    source = parse_text(f'<html><head><script type="application/ld+json">{raw}</script></head><body></body></html>')
    identity = {u.msgid: u.msgid for u in segment(source)}
    assert len(identity) == 3
    for built in built_both_ways(source, identity):
        assert text_of(find(built.root, ".//script")) == raw


# A JSON value as JSON-LD holds one: text (with or without letters), numbers, null, lists, objects.
_KEYS = st.sampled_from(["keywords", "articleSection", "about", "name", "alternateName", "headline", "author", "x"])
_TEXT = st.one_of(st.sampled_from(["Calais", "2015", "", " · ", "people smuggling", "é"]), st.text(max_size=8))
_JSON = st.recursive(
    st.one_of(_TEXT, st.integers(), st.none(), st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=20,
)


def _leaves(value: Any) -> list[Any]:
    """Every value in *value* that is not a list or an object, in order."""
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


def _shape(value: Any) -> Any:
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    return type(value).__name__


def _plain(leaf: Any) -> bool:
    """Text a unit holds as it is (no white space to collapse, nothing escaped)."""
    return not isinstance(leaf, str) or (leaf == " ".join(leaf.split()) and leaf.isprintable() and "<" not in leaf)


@given(st.dictionaries(_KEYS, _JSON, max_size=5))
def test_any_jsonld_identity_is_exact_and_a_translation_changes_only_its_units(data: dict[str, Any]) -> None:
    """Identity leaves the script as written. Upper-casing every unit keeps the data's
    shape (lists keep their items, objects their keys) and changes exactly one string per
    unit, each into its translation."""
    source = page(data)
    units = [u for u in segment(source) if u.kind != "p"]
    raw = text_of(find(source.root, ".//script"))
    for built in built_both_ways(source, {u.msgid: u.msgid for u in units}):
        assert text_of(find(built.root, ".//script")) == raw
    if not all(_plain(leaf) for leaf in _leaves(data)):
        return  # a msgid is then not the string itself: the fields above are checked one by one
    msgids = {u.msgid for u in units}
    for built in built_both_ways(source, {m: m.upper() for m in msgids}):
        result = jsonld_of(built)
        assert _shape(result) == _shape(data)
        changed = [(s, r) for s, r in zip(_leaves(data), _leaves(result), strict=True) if s != r]
        assert all(s in msgids and r == s.upper() for s, r in changed)
        assert len(changed) == sum(1 for u in units if u.msgid.upper() != u.msgid)


# --- meta ------------------------------------------------------------------------------------

META_HEAD = (
    '<meta property="article:published_time" content="2015-11-03T10:12:00+01:00">'
    '<meta property="article:section" content="World">'
    '<meta property="article:tag" content="Calais">'
    '<meta property="article:tag" content="Migration">'
    '<meta property="ARTICLE:TAG" content="Asylum">'
    '<meta name="news_keywords" content="Calais, migrants, camp">'
    '<meta property="article:author" content="https://example.com/jane">'
)


def test_news_meta_fields_are_units() -> None:
    assert units_of(page(None, META_HEAD)) == [
        ("meta article:section", "World"),
        ("meta article:tag", "Calais"),
        ("meta article:tag", "Migration"),
        ("meta ARTICLE:TAG", "Asylum"),
        ("meta news_keywords", "Calais, migrants, camp"),
    ]


def test_news_meta_fields_are_translated_at_build() -> None:
    source = page(None, META_HEAD)
    for built in built_both_ways(source, upper(source)):
        contents = [m.get("content") for m in built.root.iter("meta")]
        assert contents == [
            "2015-11-03T10:12:00+01:00",
            "WORLD",
            "CALAIS",
            "MIGRATION",
            "ASYLUM",
            "CALAIS, MIGRANTS, CAMP",
            "https://example.com/jane",
        ]
