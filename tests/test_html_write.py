"""The serialiser's fast paths: escaping only when needed, raw-text parents tracked without
getparent(), end tags and tails from a stack of open elements, no recursion."""

from __future__ import annotations

import lxml.etree as etree
import pytest

from l10n.html_read import Document, parse_text
from l10n.html_write import serialise


def body(html: str) -> str:
    """Serialise a page and return what is between <body> and </body>."""
    text = serialise(parse_text(f"<html><body>{html}</body></html>"))
    return text[text.index("<body>") + 6 : text.rindex("</body>")]


def written(root: etree._Element) -> str:
    return serialise(Document(root, None, "utf-8"))


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>plain words, nothing to escape</p>", "<p>plain words, nothing to escape</p>"),
        ("<p>a &amp; b</p>", "<p>a &amp; b</p>"),
        ("<p>a &lt; b</p>", "<p>a &lt; b</p>"),
        ("<p>a &gt; b</p>", "<p>a &gt; b</p>"),
        ("<p>a&nbsp;b</p>", "<p>a&nbsp;b</p>"),
        ("<p>x</p>tail &amp; &lt;&gt;&nbsp;", "<p>x</p>tail &amp; &lt;&gt;&nbsp;"),
        ("<p>x</p>plain tail", "<p>x</p>plain tail"),
    ],
)
def test_text_and_tails_are_escaped_only_when_needed(html: str, expected: str) -> None:
    assert body(html) == expected


@pytest.mark.parametrize(("char", "escaped"), [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\xa0", "&nbsp;")])
def test_each_escapable_character_alone(char: str, escaped: str) -> None:
    root = etree.Element("html")
    p = etree.SubElement(root, "p", {"title": f"v{char}"})
    p.text = f"t{char}"
    p.tail = f"a{char}"
    pre = etree.SubElement(root, "pre", {"id": "1", "title": f"v{char}"})
    pre.tail = f"b{char}"
    value = "v&amp;" if char == "&" else "v&nbsp;" if char == "\xa0" else f"v{char}"
    assert written(root) == (
        f'<html><p title="{value}">t{escaped}</p>a{escaped}<pre id="1" title="{value}"></pre>b{escaped}</html>\n'
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="x.html">l</a>', '<a href="x.html">l</a>'),
        ('<a title="a &amp; &quot;b&quot;&nbsp;<>">l</a>', '<a title="a &amp; &quot;b&quot;&nbsp;<>">l</a>'),
        ('<a id="1" class="c" href="h">l</a>', '<a id="1" class="c" href="h">l</a>'),
        # Only the last value needs escaping: every value must be checked.
        ('<a id="1" class="c" title="&quot;">l</a>', '<a id="1" class="c" title="&quot;">l</a>'),
        ('<a title="&quot;">l</a>', '<a title="&quot;">l</a>'),
        ('<a title="&quot;" id="1">l</a>', '<a title="&quot;" id="1">l</a>'),
        ('<a id="1" title="&quot;">l</a>', '<a id="1" title="&quot;">l</a>'),
        ('<a id="1" title="x&amp;y">l</a>', '<a id="1" title="x&amp;y">l</a>'),
        ('<a id="1" title="x&nbsp;y">l</a>', '<a id="1" title="x&nbsp;y">l</a>'),
        ('<input disabled value="">', '<input disabled="disabled" value="">'),
        ('<a href=" a b">l</a>', '<a href=" a b">l</a>'),
    ],
)
def test_attributes_are_escaped_only_when_needed(html: str, expected: str) -> None:
    assert body(html) == expected


def test_raw_text_parent_applies_to_its_own_text_and_children_tails_only() -> None:
    root = etree.fromstring("<html><body><script>if (a<b && c>d) {}</script><p>x</p></body></html>", etree.HTMLParser())
    script = root.find(".//script")
    comment = etree.Comment(" c ")
    comment.tail = "a<b&c\xa0"
    script.append(comment)
    pi = etree.PI("x", "y")
    pi.tail = "<&>"
    script.append(pi)
    child = etree.SubElement(script, "b")
    child.text = "<&"  # b is not raw text: escaped
    grandchild = etree.SubElement(child, "i")
    grandchild.tail = "&"  # its parent is b: escaped
    child.tail = "</x>&"  # its parent is script: raw
    root.find(".//p").tail = "<after script>"  # its parent is body: escaped
    assert written(root) == (
        "<html><body><script>if (a<b && c>d) {}<!-- c -->a<b&c\xa0<?x y><&>"
        "<b>&lt;&amp;<i></i>&amp;</b></x>&</script><p>x</p>&lt;after script&gt;</body></html>\n"
    )


def test_end_tags_and_tails_when_several_elements_end_together() -> None:
    html = "<div>a<ul><li>1<b>x<i>y</i>i-tail</b>b-tail</li>li-tail</ul>ul-tail<br>br-tail<img></div>div-tail"
    assert body(html) == html


def test_void_and_childless_root() -> None:
    assert written(etree.Element("html")) == "<html></html>\n"
    assert written(etree.Element("br")) == "<br>\n"
    script = etree.Element("script", {"src": "a&b"})
    script.text = "a<b"
    assert written(script) == '<script src="a&amp;b">a<b</script>\n'


def test_doctype_and_comments_outside_html() -> None:
    page = parse_text("<!DOCTYPE html><!-- before --><html><body>x</body></html><!-- after -->")
    assert serialise(page) == "<!DOCTYPE html>\n<!-- before --><html><body>x</body></html><!-- after -->\n"


def test_deep_tree_does_not_recurse() -> None:
    depth = 5000  # deeper than both the parser's limit and Python's recursion limit
    root = etree.Element("html")
    node = root
    for _ in range(depth):
        node = etree.SubElement(node, "div")
        node.text = "<"
        node.tail = "&"
    assert written(root) == "<html>" + "<div>&lt;" * depth + "</div>&amp;" * depth + "</html>\n"
