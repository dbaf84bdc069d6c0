"""Reading real pages: decoding order and clear errors for input that is not a page."""

from __future__ import annotations

import codecs

import pytest

from l10n import html_read
from l10n.errors import ArticleError

from .conftest import READABILITY


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
