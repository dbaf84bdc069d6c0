"""Reading real pages: decoding order and clear errors for input that is not a page."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import lxml.etree as etree
import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import catalog, html_read, html_write, project
from l10n.errors import ArticleError
from l10n.locale import parse_locale
from l10n.segment import apply, segment

from .conftest import READABILITY, dumps
from .trees import find


def test_bom_wins_over_declared_charset() -> None:
    data = codecs.BOM_UTF8 + '<meta charset="windows-1252"><p>Café</p>'.encode()
    text, encoding = html_read.decode(data)
    assert encoding == "utf-8" and "Café" in text and not text.startswith("\ufeff")


def test_valid_utf8_wins_over_a_wrong_declaration() -> None:
    data = '<meta charset="gb2312"><title>新电脑</title>'.encode()
    assert html_read.decode(data) == ('<meta charset="gb2312"><title>新电脑</title>', "utf-8")


def test_declared_charset_is_used_when_bytes_are_not_utf8() -> None:
    data = '<title>Über</title><meta charset="iso-8859-15"><p>€</p>'.encode("iso-8859-15")
    text, encoding = html_read.decode(data)
    assert "Über" in text and "€" in text and encoding == "iso-8859-15"


def test_latin1_label_means_windows_1252_as_in_browsers() -> None:
    data = '<meta charset="iso-8859-1"><p>\u201cquoted\u201d</p>'.encode("cp1252")
    text, encoding = html_read.decode(data)
    assert "\u201cquoted\u201d" in text and encoding == "windows-1252"


def test_undeclared_non_utf8_falls_back_to_windows_1252() -> None:
    text, encoding = html_read.decode("<p>déjà vu \x81</p>".encode("latin-1"))
    assert text == "<p>déjà vu \x81</p>" and encoding == "windows-1252"


def test_bytes_that_break_the_declared_charset_name_the_line() -> None:
    data = b'<meta charset="shift_jis">\n<p>ok</p>\n<p>\x81\xff</p>'
    with pytest.raises(ArticleError) as caught:
        html_read.decode(data)
    assert caught.value.line == 3 and "shift_jis" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty article"),
        (b"  \n\t", "empty article"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Just a plain text note, no markup at all.", "no markup"),
    ],
)
def test_input_that_is_not_a_page_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        html_read.parse(data)


def test_nesting_beyond_the_parser_limit_is_refused_not_truncated() -> None:
    deep = "<div>" * 5000 + "deep text" + "</div>" * 5000
    with pytest.raises(ArticleError, match="nested more than"):
        html_read.parse(f"<html><body>{deep}</body></html>".encode())


@pytest.mark.skipif(not READABILITY.is_dir(), reason="shared corpus not beside the repo")
def test_corpus_page_declared_gb2312_but_utf8_decodes_as_utf8() -> None:
    document = html_read.parse((READABILITY / "qq.html").read_bytes())
    assert document.encoding == "utf-8"
    assert "人工智能" in (document.root.findtext(".//title") or "")


# --- limits (issue 10, item 13) -------------------------------------------------------------


def test_an_article_over_the_byte_limit_is_refused_before_decoding() -> None:
    data = b"<p>" + b"x" * html_read.MAX_BYTES
    with pytest.raises(ArticleError) as caught:
        html_read.decode(data)
    assert caught.value.line == 1
    assert str(caught.value) == f"line 1: article is 10.0 MiB ({len(data):,} bytes); the limit is 10 MiB"


def test_an_article_at_the_byte_limit_is_read() -> None:
    data = b"<p>" + b"x" * (html_read.MAX_BYTES - 3)
    assert len(html_read.decode(data)[0]) == html_read.MAX_BYTES
    with pytest.raises(ArticleError, match=r"article is 52\.4 MiB \(54,925,722 bytes\); the limit is 10 MiB"):
        html_read.check_size(54_925_722)


# --- characters a page or a PO file cannot hold (issue 10, item 7) ---------------------------

# What libxml2 2.14's HTML parser does with each (test_libxml2_keeps_c0_controls_but_nul):
# NUL becomes U+FFFD; every other C0 control, U+FFFE and U+FFFF are kept in text and in
# attribute values; a lone surrogate ends the text node (the rest of the page is lost).
# lxml refuses to set any of them (NUL, C0 but tab/LF/CR, U+FFFE, U+FFFF, surrogates),
# so a build writing a translation next to one crashed; a PO file cannot hold NUL or
# U+0004 (the writer refuses them), so extract crashed.
REMOVED = [chr(c) for c in range(1, 0x20) if chr(c) not in "\t\n\f\r"]
REPLACED = ["\x00", "\ufffe", "\uffff", "\ud800", "\udfff"]


def _padded(body: str) -> str:
    # Past the first 4 KiB, where a NUL means binary data and the file is refused.
    return "<html><head><title>t</title></head><body>\n" + "<!-- pad -->\n" * 400 + body + "</body></html>\n"


def _line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


@pytest.mark.parametrize("char", ["\x00", "\x04", "\x01", "\x08", "\x0b", "\x1b", "\x1f"])
def test_libxml2_keeps_c0_controls_but_nul(char: str) -> None:
    # Why html_read cleans before parsing: the parser keeps them (NUL becomes U+FFFD).
    root = etree.fromstring(f"<p title='a{char}b'>a{char}b</p>", etree.HTMLParser())
    kept = "\ufffd" if char == "\x00" else char
    assert root.findtext(".//p") == f"a{kept}b" and find(root, ".//p").get("title") == f"a{kept}b"


@pytest.mark.parametrize("char", REMOVED)
def test_a_control_character_is_removed_and_reported_on_its_line(char: str) -> None:
    text = _padded(f"<p>First paragraph.</p>\n<p title='Caption{char} here'>Wo{char}rds here.</p>\n")
    document = html_read.parse_text(text)
    paragraph = document.root.findall(".//p")[1]
    assert paragraph.text == "Words here." and paragraph.get("title") == "Caption here"
    assert [(p.line, p.message) for p in document.problems] == [
        (_line_of(text, "Wo"), f"control character U+{ord(char):04X} removed")
    ]


def test_a_form_feed_becomes_a_space() -> None:
    # HTML reads U+000C as white space; lxml cannot hold it, and a page whose unit began
    # with one crashed the build even with a clean translation.
    document = html_read.parse_text(_padded("<p>\fWords\fhere.</p>\n"))
    assert document.root.findtext(".//p") == " Words here."
    assert [p.message for p in document.problems] == ["form feed U+000C replaced by a space"]


@pytest.mark.parametrize("char", REPLACED)
def test_nul_noncharacters_and_lone_surrogates_become_the_replacement_character(char: str) -> None:
    text = _padded(f"<p>Before{char}after.</p>\n<p title='x{char}y'>Next paragraph.</p>\n")
    document = html_read.parse_text(text)
    paragraphs = document.root.findall(".//p")
    assert paragraphs[0].text == "Before\ufffdafter."  # not cut at the surrogate
    assert paragraphs[1].get("title") == "x\ufffdy" and paragraphs[1].text == "Next paragraph."
    assert [(p.line, p.message) for p in document.problems] == [
        (_line_of(text, "Before"), f"U+{ord(char):04X} replaced by U+FFFD"),
        (_line_of(text, "Next"), f"U+{ord(char):04X} replaced by U+FFFD"),
    ]


def test_one_problem_per_line_naming_each_character_once() -> None:
    text = _padded("<p>a\x04b\x04c\x07d\x00e\fz</p>\n<p>clean</p>\n<p>\x04</p>\n")
    problems = html_read.parse_text(text).problems
    first = _line_of(text, "a\x04")
    assert [(p.line, p.message) for p in problems] == [
        (
            first,
            "control characters U+0004, U+0007 removed; U+0000 replaced by U+FFFD; "
            "form feed U+000C replaced by a space",
        ),
        (first + 2, "control character U+0004 removed"),
    ]
    assert all(isinstance(p, ArticleError) for p in problems)


def test_a_lone_surrogate_beside_a_control_character_is_reported_with_it() -> None:
    text = _padded("<p>a\x04b\ud800c</p>\n")
    document = html_read.parse_text(text)
    assert document.root.findtext(".//p") == "ab\ufffdc"
    assert [p.message for p in document.problems] == ["control character U+0004 removed; U+D800 replaced by U+FFFD"]


def test_problems_are_reported_for_the_first_lines_then_counted() -> None:
    text = _padded("".join(f"<p>Line {n}\x04</p>\n" for n in range(html_read.MAX_PROBLEMS + 5)))
    problems = html_read.parse_text(text).problems
    assert len(problems) == html_read.MAX_PROBLEMS + 1
    assert problems[-1].line == _line_of(text, f"Line {html_read.MAX_PROBLEMS}\x04")
    assert problems[-1].message == "5 more lines hold characters a page or a PO file cannot hold; cleaned the same way"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("char", "encoding"),
    [
        (char, encoding)
        for char in [*REMOVED, "\f", "\x00", "\ufffe", "\uffff"]
        for encoding in ["utf-8", "utf-8-sig", "utf-16", "windows-1252", "gb18030"]
        # windows-1252 has no U+FFFE or U+FFFF to write
        if not (encoding == "windows-1252" and char in "\ufffe\uffff")
    ],
)
def test_bytes_are_cleaned_as_their_text_is_whatever_the_encoding(char: str, encoding: str) -> None:
    # parse() looks for C0 controls in the bytes (faster than in the text) but for UTF-16.
    text = _padded(f'<meta charset="{encoding}"><p>Déjà vu{char} here.</p>\n')
    data = text.encode("utf-16" if encoding == "utf-16" else encoding)
    if encoding in ("windows-1252", "gb18030"):
        assert html_read.decode(data)[1] == encoding  # not valid UTF-8: the declared charset
    from_bytes, from_text = html_read.parse(data), html_read.parse_text(text)
    assert from_bytes.root.findtext(".//p") == from_text.root.findtext(".//p") != f"Déjà vu{char} here."
    assert [str(p) for p in from_bytes.problems] == [str(p) for p in from_text.problems] != []


def test_a_clean_page_has_no_problems() -> None:
    assert html_read.parse(b"<p>Caf\xc3\xa9 \xc2\x81\x7f \xef\xb7\x90</p>").problems == ()  # C1, DEL, U+FDD0 kept


@given(
    st.text(
        alphabet=st.sampled_from([*REMOVED, *REPLACED, "\f", "\t", "\n", "\x7f", "\x85", "a", "é", " ", "<", "&"]),
        max_size=40,
    )
)
def test_any_character_in_an_article_is_extracted_and_built(noise: str) -> None:
    # The article goes through what extract and build do with it: segmenting, the
    # template laid out as gettext writes it, translations written back, the page written.
    text = _padded(f"<pre>{noise} pre</pre><p title='{noise} t'>Text {noise} here <b>{noise}</b></p>\n")
    document = html_read.parse_text(text)
    units = segment(document)
    dumps(catalog.template(units, "articles/x.html", "x", "2025-01-01 00:00+0000"))
    apply(document, {unit.msgid: f"[fr] {unit.msgid}" for unit in units})
    html_write.serialise(document)


# --- declared charsets browsers do not know (issue 10, item 7) --------------------------------


@pytest.mark.parametrize("label", ["base64", "rot13", "hex", "zlib", "undefined", "unicode_escape", "utf-7", "cp037"])
def test_a_label_browsers_do_not_know_is_ignored(label: str) -> None:
    # Python decodes these (or crashed on them: LookupError, UnicodeError); a browser
    # ignores a label that is not in the Encoding Standard and reads windows-1252.
    data = f'<meta charset="{label}"><p>caf\xe9 \\ud800 \\x04 +2AA-</p>'.encode("latin-1")
    assert html_read.decode(data) == (data.decode("cp1252"), "windows-1252")


def test_extract_and_build_report_each_cleaned_line_and_go_on(tmp_path: Path) -> None:
    # What project.py does with Document.problems: one "path:line: message" each, and the
    # article is processed (issue 10, item 7: U+0004 in an article crashed extract).
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "x.html").write_bytes(b"<html><body>\n<p>Cal\x04ais camp</p>\n</body></html>\n")
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    proj = project.open_project(tmp_path)
    expected = "articles/x.html:2: control character U+0004 removed"
    reported: list[str] = []
    project.extract(proj, [], lambda error: reported.append(str(error)))
    assert reported == [expected]
    po = proj.catalog_path(parse_locale("fr"), "x.html")
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Calais camp"' in text
    po.write_text(text.replace('msgid "Calais camp"\nmsgstr ""', 'msgid "Calais camp"\nmsgstr "Camp de Calais"'))
    reported.clear()
    project.build(proj, [], None, lambda error: reported.append(str(error)))
    assert reported == [expected]
    assert "<p>Camp de Calais</p>" in proj.page_path(parse_locale("fr"), "x.html").read_text(encoding="utf-8")


# --- UTF-8 pages are parsed from their bytes -------------------------------------------

_PAGE_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<br>",
        "<td>",
        "<!-- c -->",
        "&amp;",
        "&nbsp;",
        "é",
        "中文",
        "\U0001f600",
        "\n",
        " ",
    ]
)


def _tree(document: html_read.Document) -> list[tuple[object, ...]]:
    return [(e.tag, list(e.attrib.items()), e.text, e.tail, e.sourceline) for e in document.root.iter()]


@given(st.lists(st.one_of(_PAGE_PIECES, st.text(max_size=5)), max_size=30).map("".join))
def test_a_utf8_page_read_from_its_bytes_is_the_page_read_from_its_text(body: str) -> None:
    # parse() hands libxml2 the bytes of a UTF-8 page; parse_text() the decoded text.
    data = f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode(
        "utf-8", "surrogatepass"
    )
    assert _read(lambda: html_read.parse(data)) == _read(lambda: html_read.parse_text(html_read.decode(data)[0]))


def _read(parse: Callable[[], html_read.Document]) -> object:
    """The page's tree and problems, or the error that refused it."""
    try:
        document = parse()
    except ArticleError as refused:
        return str(refused)
    return _tree(document), [str(problem) for problem in document.problems]


@pytest.mark.skipif(not READABILITY.is_dir(), reason="shared corpus not beside the repo")
def test_every_utf8_corpus_page_read_from_its_bytes_is_the_page_read_from_its_text() -> None:
    checked = 0
    for path in sorted(READABILITY.glob("*.html")):
        data = path.read_bytes()
        text, encoding = html_read.decode(data)
        if encoding != "utf-8" or data.startswith(codecs.BOM_UTF8):
            continue
        assert _tree(html_read.parse(data)) == _tree(html_read.parse_text(text)), path.name
        checked += 1
    assert checked > 100
