"""The walk's fast paths give what the plain definitions give (l10n/text.py, l10n/elements.py, l10n/segment.py).

The walk is the hot path of extraction and build, so it uses cheaper forms of a few
definitions: letters tested by case for ASCII text, white space collapsed without the
regex when there is no run, an element's text made by lxml in C, the containers of
blocks found in one climb. Each is checked here against the plain definition.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree as etree
from hypothesis import given
from hypothesis import strategies as st

from l10n import html_read
from l10n.elements import BLOCK, FROZEN, HIDDEN, OPAQUE, REPLACED, containers_of_blocks, is_paired, no_translate
from l10n.segment import segment
from l10n.text import collapse, has_letters, split_space

from .trees import text_of

DATA = Path(__file__).parent / "data"
WS = " \t\n\r\f"
# White space of every kind (only text.WS counts for collapsing), digits, marks and letters.
TRICKY = " \t\n\r\f\v\x1c\x1f\x85\xa0\u2003\u3000_0٣½²Ⅻé中ǅßİKaZ&<-"

ISLANDS = """<!DOCTYPE html><html><head><title>T</title></head><body>
<p>Icon <a href="/"><svg><title>Home</title><path d="M0"/></svg></a> link</p>
<span class="card"><svg><foreignObject><div>Inside</div></foreignObject></svg></span>
<em><math><mtext>x</mtext><p>math block</p></math> formula</em>
<my-card><b><svg><svg><title>Nested</title></svg></svg></b><div>Real block</div></my-card>
<a>before<!-- note -->after<?pi data?><b>bold</b> tail</a>
</body></html>"""


def pages() -> list[html_read.Document]:
    documents = [html_read.parse(path.read_bytes()) for path in sorted(DATA.glob("*.html"))]
    return [*documents, html_read.parse_text(ISLANDS)]


@given(st.text(alphabet=TRICKY, max_size=12) | st.text(max_size=12))
def test_has_letters_is_the_unicode_letter_class(text: str) -> None:
    assert has_letters(text) == (re.search(r"[^\W\d_]", text) is not None)


@given(st.text(alphabet=TRICKY, max_size=16))
def test_collapse_and_split_space_are_the_regex_definitions(text: str) -> None:
    assert collapse(text) == re.sub(r"[ \t\n\r\f]+", " ", text).strip(WS)
    stripped = text.lstrip(WS)
    assert split_space(text) == (text[: len(text) - len(stripped)], stripped[len(stripped.rstrip(WS)) :])


def test_paired_elements_are_those_with_letters_in_their_itertext() -> None:
    for document in pages():
        for element in document.root.iter(etree.Element):
            tag = element.tag
            expected = (
                tag not in FROZEN
                and tag not in REPLACED
                and tag not in HIDDEN
                and not no_translate(element)
                and re.search(r"[^\W\d_]", text_of(element)) is not None
            )
            assert is_paired(element, tag) == expected, tag


def test_containers_of_blocks_ignore_blocks_inside_svg_and_math() -> None:
    for document in pages():
        root = document.root
        real_blocks = [
            block
            for block in root.iter(*BLOCK)
            if not any(ancestor.tag in OPAQUE for ancestor in block.iterancestors())
        ]
        expected = {ancestor for block in real_blocks for ancestor in block.iterancestors()}
        assert containers_of_blocks(root) == expected


def test_notranslate_is_a_whole_class_name() -> None:
    page = (
        "<html><body><p class='notranslated'>One</p><p class='x-notranslate'>Two</p>"
        "<p class='a\tnotranslate'>Three</p><p class='notranslate b'>Four</p></body></html>"
    )
    assert [unit.msgid for unit in segment(html_read.parse_text(page))] == ["One", "Two"]
