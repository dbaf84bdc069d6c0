"""Round trips over the sample articles and every page of the shared corpus.

Identity (every msgstr = its msgid) must give back the source's elements, attributes
and text; an upper-case pseudo-locale must change every visible text and nothing in
never-translated regions.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n import html_read
from l10n.html_write import serialise
from l10n.segment import Segmented, apply
from l10n.slot import SourceMark, copy_document

from .conftest import REPO, corpus_pages
from .roundtrip import build_with, check_pseudo, events, pseudo_upper
from .trees import find, text_of

SAMPLES = sorted((REPO / "articles").rglob("*.html"))
PAGES = SAMPLES + corpus_pages()
IDS = [p.name for p in PAGES]


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_identity_round_trip_is_exact(path: Path) -> None:
    source = html_read.parse(path.read_bytes())
    built, fallbacks = build_with(source, lambda msgid: msgid)
    assert fallbacks == 0
    assert events(built.root) == events(source.root)


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_uppercase_pseudo_round_trip_changes_all_visible_text_and_nothing_else(path: Path) -> None:
    source = html_read.parse(path.read_bytes())
    built, fallbacks = build_with(source, pseudo_upper)
    assert fallbacks == 0
    result = check_pseudo(source, built)
    assert result.missed == []
    assert result.frozen_changed == []
    assert result.missed_attributes == []
    assert [e[:2] for e in events(built.root) if e[0] != "text"] == [
        e[:2] for e in events(source.root) if e[0] != "text"
    ]


def test_pseudo_check_notices_text_left_untranslated() -> None:
    source = html_read.parse(b"<html><body><p>Translated</p><p>Forgotten</p></body></html>")
    built, _ = build_with(source, lambda m: m.upper() if m == "Translated" else m)
    assert check_pseudo(source, built).missed == ["Forgotten"]


def test_pseudo_check_notices_an_iframe_title_left_untranslated() -> None:
    source = html_read.parse(b'<html><body><iframe title="Video"></iframe><p title="Para">Text</p></body></html>')
    built = html_read.parse(b'<html><body><iframe title="Video"></iframe><p title="PARA">TEXT</p></body></html>')
    assert check_pseudo(source, built).missed_attributes == ['iframe title="Video"']


def test_pseudo_check_notices_a_change_in_never_translated_text() -> None:
    source = html_read.parse(b"<html><body><p>Text <code>x = 1</code></p></body></html>")
    built = html_read.parse(b"<html><body><p>TEXT <code>X = 1</code></p></body></html>")
    assert check_pseudo(source, built).frozen_changed == ["x = 1"]


def test_corpus_is_there_when_the_shared_folder_is() -> None:
    if (REPO.parent / "shared").is_dir():
        assert len(corpus_pages()) == 130


def test_its_translate_test_suite_local_markup() -> None:
    """W3C ITS 2.0 test suite, translate2html: the local translate attribute, any case."""
    its = REPO.parent / "shared" / "corpus" / "its2" / "its2.0"
    path = its / "inputdata" / "translate" / "html" / "translate2html.html"
    if not path.exists():
        pytest.skip("ITS 2.0 test suite not beside the repo")
    source = html_read.parse(path.read_bytes())
    built, fallbacks = build_with(source, pseudo_upper)
    text = text_of(built.root)
    assert fallbacks == 0
    assert "doppelgänger" in text and "aficionado" in text  # translate="NO", translate="nO"
    assert "EVERYTHING STARTED WHEN ZEBULON" in text and "THE LIFE OF A SIMPLE MAN" in text
    assert find(built.root, ".//img").get("alt") == "SMILEY FACE"


def _every_other_upper(msgid: str) -> str | None:
    """Translate half of the units (upper case), so fallbacks are mixed with translations."""
    return pseudo_upper(msgid) if len(msgid) % 2 else None


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_translated_copy_of_one_walk_equals_apply_on_a_fresh_walk(path: Path) -> None:
    """Build walks an article once and moves its slots onto each locale's copy; the page
    must be exactly the one a fresh walk of the copy gives, and the source untouched."""
    source = html_read.parse(path.read_bytes())
    before = serialise(source)
    segmented = Segmented(source)
    translations = {m: t for m in segmented.msgids() if (t := _every_other_upper(m)) is not None}
    for _ in range(2):  # the second copy must not see the first one's changes
        page, applied = segmented.translated(translations, SourceMark("en"))
        walked = copy_document(source)
        expected = apply(walked, translations, SourceMark("en"))
        assert serialise(page) == serialise(walked)
        assert applied == expected
    assert serialise(source) == before
    # The last page of an article is the walked page itself, translated in place.
    page, applied = segmented.translated(translations, SourceMark("en"), last_use=True)
    assert page is source and serialise(page) == serialise(walked) and applied == expected
    with pytest.raises(ValueError, match="in place"):
        segmented.translated(translations, SourceMark("en"))


def test_a_copy_keeps_the_comments_outside_the_html_element() -> None:
    """Built pages are made from copies; lxml's copy of the root drops the comments
    before and after <html> (caches and 'saved from' notes), which built pages lost."""
    source = html_read.parse(b"<!-- saved from x --><html><body><p>Text</p></body></html><!-- a --><!-- b -->")
    assert serialise(copy_document(source)) == serialise(source)
    assert serialise(source).endswith("</html><!-- a --><!-- b -->\n")
