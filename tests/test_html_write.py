"""The serialiser's fast paths: escaping only when needed, raw-text parents tracked without
getparent(), end tags and tails from a stack of open elements, no recursion."""

from __future__ import annotations

import html5lib
import lxml.etree as etree
import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import html_write
from l10n.html_read import Document, parse, parse_text
from l10n.html_write import RAW_TEXT, serialise

from .conftest import corpus_pages
from .trees import find


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
    value = f"v{escaped}"  # attribute values escape these four as text does
    assert written(root) == (
        f'<html><p title="{value}">t{escaped}</p>a{escaped}<pre id="1" title="{value}"></pre>b{escaped}</html>\n'
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="x.html">l</a>', '<a href="x.html">l</a>'),
        ('<a title="a &amp; &quot;b&quot;&nbsp;<>">l</a>', '<a title="a &amp; &quot;b&quot;&nbsp;&lt;&gt;">l</a>'),
        ('<a id="1" class="c" href="h">l</a>', '<a id="1" class="c" href="h">l</a>'),
        # Only the last value needs escaping: every value must be checked.
        ('<a id="1" class="c" title="&quot;">l</a>', '<a id="1" class="c" title="&quot;">l</a>'),
        ('<a title="&quot;">l</a>', '<a title="&quot;">l</a>'),
        ('<a title="&quot;" id="1">l</a>', '<a title="&quot;" id="1">l</a>'),
        ('<a id="1" title="&quot;">l</a>', '<a id="1" title="&quot;">l</a>'),
        ('<a id="1" title="x&amp;y">l</a>', '<a id="1" title="x&amp;y">l</a>'),
        ('<a id="1" title="x&nbsp;y">l</a>', '<a id="1" title="x&nbsp;y">l</a>'),
        # < and > in every path (one, two, more attributes; first or last value)
        ('<a title="<">l</a>', '<a title="&lt;">l</a>'),
        ('<a title=">">l</a>', '<a title="&gt;">l</a>'),
        ('<a title="<" id="1">l</a>', '<a title="&lt;" id="1">l</a>'),
        ('<a title=">" id="1">l</a>', '<a title="&gt;" id="1">l</a>'),
        ('<a id="1" title="x<y">l</a>', '<a id="1" title="x&lt;y">l</a>'),
        ('<a id="1" title="x>y">l</a>', '<a id="1" title="x&gt;y">l</a>'),
        ('<a id="1" class="c" title="</a>">l</a>', '<a id="1" class="c" title="&lt;/a&gt;">l</a>'),
        ('<a id="1" class="c" title="a>b">l</a>', '<a id="1" class="c" title="a&gt;b">l</a>'),
        ('<input disabled value="">', '<input disabled="disabled" value="">'),
        ('<a href=" a b">l</a>', '<a href=" a b">l</a>'),
    ],
)
def test_attributes_are_escaped_only_when_needed(html: str, expected: str) -> None:
    assert body(html) == expected


def test_raw_text_parent_applies_to_its_own_text_and_children_tails_only() -> None:
    root = etree.fromstring("<html><body><script>if (a<b && c>d) {}</script><p>x</p></body></html>", etree.HTMLParser())
    script = find(root, ".//script")
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
    find(root, ".//p").tail = "<after script>"  # its parent is body: escaped
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
    assert written(etree.Element("img", {"alt": "<x>"})) == '<img alt="&lt;x&gt;">\n'
    assert written(etree.Element("html", {"a": "1", "b": "2", "c": "<"})) == '<html a="1" b="2" c="&lt;"></html>\n'


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


# --- contexts a browser parses differently from libxml2 ---------------------------------

_XML_SAFE = st.characters(exclude_categories=["Cs"], exclude_characters="\x0b\x0c\ufffe\uffff").filter(
    lambda c: c >= " " or c in "\t\n\r"
)


def html5(text: str, scripting: bool) -> etree._ElementTree:
    """The page as an HTML5 parser (html5lib, standing for a browser) builds it."""
    # types-html5lib types only the "etree" tree builder; "lxml" gives an lxml ElementTree.
    tree: etree._ElementTree = html5lib.parse(
        text, treebuilder="lxml", namespaceHTMLElements=False, scripting=scripting
    )
    return tree


def test_attribute_value_cannot_end_a_noscript_read_as_raw_text() -> None:
    # libxml2 parses <noscript> content as markup; a browser with scripting on reads it as
    # raw text up to the first "</noscript", wherever that is.
    page = parse_text('<html><body><noscript><img src="a.png" alt="x"></noscript><p>after</p></body></html>')
    img = page.root.find(".//img")
    assert img is not None
    img.set("alt", "</noscript><img src=x onerror=alert(1)>")
    text = serialise(page)
    for scripting in (True, False):
        tree = html5(text, scripting)
        assert [e.tag for e in tree.iter("img")] == ([] if scripting else ["img"])
        assert [e.tag for e in tree.iter("p")] == ["p"]
    (noscript,) = html5(text, True).iter("noscript")
    assert "</noscript" not in (noscript.text or "")


@given(st.text(st.one_of(st.sampled_from("<>&\"'\xa0=/ ;"), _XML_SAFE), max_size=30))
def test_any_attribute_value_decodes_back_to_itself(value: str) -> None:
    root = parse_text("<html><body><noscript><p>x</p></noscript></body></html>").root
    p = root.find(".//p")
    assert p is not None
    p.set("title", value)
    text = written(root)
    start = text.index('<p title="') + len('<p title="')
    written_value = text[start : text.index('"', start)]
    # nothing in the value can start or end a tag, whatever the context
    assert "<" not in written_value and ">" not in written_value
    # HTML parsers read a CR (or CRLF) as LF wherever it is, attribute values included
    expected = value.replace("\r\n", "\n").replace("\r", "\n")
    assert find(parse_text(text).root, ".//p").get("title") == expected
    assert find(html5(text, False), ".//p").get("title") == expected


@pytest.mark.parametrize("tag", ["title", "textarea"])
def test_escapable_raw_text_cannot_be_ended_by_its_text(tag: str) -> None:
    root = parse_text(f"<html><body><{tag}>x</{tag}><p>after</p></body></html>").root
    element = root.find(f".//{tag}")
    assert element is not None
    element.text = f"a </{tag}><img src=x onerror=alert(1)> & b"
    text = written(root)
    for tree in (parse_text(text).root, html5(text, True)):
        assert [e.tag for e in tree.iter("img")] == []
        assert find(tree, f".//{tag}").text == element.text


@pytest.mark.parametrize(
    "tag", ["script", "style", "xmp", "iframe", "noembed", "noframes", "plaintext", "noscript", "title", "textarea"]
)
def test_raw_text_is_what_libxml2_reads_as_raw_text(tag: str) -> None:
    # RAW_TEXT is written unescaped because libxml2, like browsers, reads it unparsed; title
    # and textarea (escapable raw text) decode references; noscript is parsed as markup.
    root = parse_text(f"<html><body><{tag}><b>x</b>&amp;</{tag}><p>after</p></body></html>").root
    element = root.find(f".//{tag}")
    assert element is not None
    if tag in RAW_TEXT:
        rest = f"</{tag}><p>after</p></body></html>" if tag == "plaintext" else ""  # it never ends
        assert (len(element), element.text) == (0, "<b>x</b>&amp;" + rest)
    elif tag == "noscript":
        assert [child.tag for child in element] == ["b"]
    else:
        assert (len(element), element.text) == (0, "<b>x</b>&")


# --- libxml2 writes most of the page (html_write._fast); the walk is the reference -------


def walked(root: etree._Element) -> str:
    """What the walk alone writes for *root*: the reference the fast path must equal."""
    parts: list[str] = []
    html_write._walk(root, parts)
    return "".join(parts)


def fast(root: etree._Element) -> str:
    """What serialise writes for a page of *root*, less its final line break."""
    return serialise(Document(root, None, "utf-8"))[: -len("\n")]


_TAGS = ["p", "span", "div", "a", "td", "br", "img", "meta", "input", "hr", *sorted(RAW_TEXT), "noscript", "title"]
# Text made of pieces: what libxml2 escapes, what _from_xml mends, what a hole looks like.
_PIECES = [
    "<",
    ">",
    "&",
    '"',
    "'",
    "\xa0",
    "\r",
    "\n",
    "\t",
    "/>",
    "&#10;",
    "&#9;",
    "&#13;",
    "<?",
    "?>",
    "l10n-hole",
    " ",
]
_TEXT = st.lists(st.one_of(st.sampled_from(_PIECES), _XML_SAFE), max_size=8).map("".join)
_COMMENT_TEXT = _TEXT.filter(lambda text: "--" not in text and not text.endswith("-"))


@st.composite
def trees(draw: st.DrawFn) -> etree._Element:
    """A tree with every kind of node the page can hold, anywhere: raw-text elements with
    children, void elements with content, comments and processing instructions."""
    root = etree.Element("html", {"lang": "en"})
    open_elements = [root]
    for _ in range(draw(st.integers(0, 25))):
        parent = draw(st.sampled_from(open_elements))
        kind = draw(st.sampled_from(["element", "element", "element", "comment", "pi"]))
        node: etree._Element
        if kind == "comment":
            node = etree.Comment(draw(_COMMENT_TEXT))
        elif kind == "pi":
            node = etree.PI(
                draw(st.sampled_from(["php", "x", "l10n-hole"])), draw(_TEXT.filter(lambda t: "?>" not in t))
            )
        else:
            names = draw(st.lists(st.sampled_from(["title", "href", "class", "alt"]), max_size=3, unique=True))
            node = etree.Element(draw(st.sampled_from(_TAGS)), {name: draw(_TEXT) for name in names})
            node.text = draw(st.one_of(st.none(), _TEXT))
            open_elements.append(node)
        node.tail = draw(st.one_of(st.none(), _TEXT))
        parent.append(node)
    return root


@given(trees())
def test_libxml2_writes_what_the_walk_writes_and_leaves_the_tree_as_it_was(root: etree._Element) -> None:
    before = walked(root)
    assert fast(root) == before
    assert walked(root) == before  # the holes and emptied elements were put back


def _mended_by_replace(text: str) -> str:
    """What _from_xml does, said the slow and obvious way: one replace after another."""
    text = text.replace("/>", ">")
    text = text.replace("&#10;", "\n").replace("&#9;", "\t").replace("&#13;", "\r")
    return text.replace("\xa0", "&nbsp;")


# Pieces that make _from_xml's search stop and look: its rare bytes where they mean
# nothing ("#" without "&", "\xc2" as the first byte of other letters) and half keys.
_MENDED = st.lists(
    st.one_of(
        st.sampled_from([*_PIECES, "#", "&#", "&#1", "&#10", "#10;", "\xc2", "\xa1", "«", "à", "&#&#9;"]), _XML_SAFE
    ),
    max_size=12,
).map("".join)


@given(_MENDED)
def test_libxml2s_output_is_mended_as_one_replace_after_another_would(text: str) -> None:
    assert html_write._from_xml(text.encode()) == _mended_by_replace(text).encode()


@given(trees())
def test_a_page_written_as_bytes_is_its_text_in_utf8(root: etree._Element) -> None:
    page = Document(root, "<!DOCTYPE html>", "utf-8")
    assert html_write.serialise_utf8(page) == serialise(page).encode("utf-8")
    assert serialise(page) == "<!DOCTYPE html>\n" + walked(root) + "\n"


def test_the_fast_path_is_taken_with_this_libxml2() -> None:
    # Should a libxml2 write its XML otherwise, every page is walked (slower, the same
    # text): this says so instead of letting it pass unseen.
    assert html_write._LIBXML2_AGREES


def test_the_probe_notices_a_libxml2_that_writes_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    assert html_write._agrees()
    monkeypatch.setattr(html_write, "_from_xml", lambda data: data.replace(b"/>", b">"))  # no U+00A0 mended
    assert not html_write._agrees()


def test_no_empty_element_written_as_xml_and_no_hole_left() -> None:
    page = parse_text("<html><body><p></p><span/><br><img src=x><script src=a.js></script><!-- <br/> --></body></html>")
    text = serialise(page)
    assert "/>" not in text.replace("<!-- <br/> -->", "")
    assert "l10n-hole" not in text
    assert text.endswith(
        '<body><p></p><span></span><br><img src="x"><script src="a.js"></script><!-- <br/> --></body></html>\n'
    )


XHTML = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"></head>'
    '<body><p id="a"></p><br></body></html>'
)


def test_an_xhtml_doctype_is_kept_as_text_and_changes_nothing_written() -> None:
    # libxml2's XML serialiser writes XHTML ("<br />", an xml:lang added) for a document
    # whose DTD is XHTML: the parser keeps the doctype as text and drops the DTD.
    page = parse_text(XHTML)
    assert page.root.getroottree().docinfo.internalDTD is None
    assert serialise(page) == XHTML.replace('<p id="a"></p>', '<p id="a"></p>') + "\n"
    # A tree that still has its DTD (not read by html_read) is walked.
    root = etree.fromstring(XHTML, etree.HTMLParser())
    assert root.getroottree().docinfo.internalDTD is not None
    assert serialise(Document(root, None, "utf-8")) == walked(root) + "\n"


@pytest.mark.skipif(not corpus_pages(), reason="shared corpus not beside the repo")
def test_every_corpus_page_is_written_as_the_walk_writes_it() -> None:
    for path in corpus_pages():
        root = parse(path.read_bytes()).root
        assert len(root) and html_write._fast(root) == walked(root).encode("utf-8"), path.name
