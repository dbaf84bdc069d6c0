"""The built page declares UTF-8 first in ``<head>`` (issue 14).

A browser's encoding prescan reads only the first 1,024 bytes of a page served without
an HTTP charset; a declaration after them is not seen, and the page is mis-decoded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from l10n import html_read
from l10n.html_write import serialise
from l10n.locale import parse_locale
from l10n.page import Site, localise

SOURCE = parse_locale("en")
LATE = Path(__file__).parent / "data" / "pages" / "charset-late.html"
_DECLARATION = re.compile(r'<meta (charset|http-equiv)="[^"]*"[^>]*>', re.IGNORECASE)


def _built(data: bytes, code: str = "fr") -> tuple[html_read.Document, str]:
    document = html_read.parse(data)
    localise(document, parse_locale(code), "story.html", Site("articles", "site", SOURCE, {}))
    return document, serialise(document)


def _head(text: str) -> str:
    return text[text.index("<head>") : text.index("</head>") + len("</head>")]


@pytest.mark.parametrize("code", ["fr", "en"])
def test_a_late_charset_moves_first_in_head_within_the_prescan(code: str) -> None:
    source = LATE.read_text(encoding="utf-8")
    assert source.encode().index(b"<meta charset") > 1024  # the case is what it says
    document, text = _built(LATE.read_bytes(), code)
    assert 0 <= text.encode().find(b'<meta charset="utf-8">') < 1024
    head = document.root.find("head")
    assert head is not None and head[0].tag == "meta" and head[0].get("charset") == "utf-8"
    assert len([m for m in document.root.iter("meta") if m.get("charset") is not None]) == 1
    # The rest of the head, white space included, is as it was: the line moved, no blank left.
    lines = _head(source).split("\n")
    (line,) = [n for n, line in enumerate(lines) if "<meta charset" in line]
    lines.insert(1, '  <meta charset="utf-8">')
    del lines[line + 1]
    assert _head(text) == "\n".join(lines)


def test_a_late_http_equiv_content_type_moves_too() -> None:
    page = b'<html><head>\n<title>t</title>\n<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">\n'
    _, text = _built(page + b"</head><body><p>x</p></body></html>")
    assert _head(text) == (
        '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n<title>t</title>\n</head>'
    )


def test_a_declaration_the_parser_moved_into_body_comes_back_first_in_head() -> None:
    # libxml2 moves what follows stray text in <head> into <body>; browsers' prescan read it there.
    page = b'<!DOCTYPE html><html><head><title>t</title>\nstray\n<meta charset="windows-1252">\n<meta name="a">\n'
    document, text = _built(page + b"</head><body><p>x</p></body></html>")
    assert _head(text) == '<head><meta charset="utf-8"><title>t</title>\n</head>'
    body = document.root.find("body")
    assert body is not None and body.find("meta[@charset]") is None
    # Outside <head> white space may show: the text around the meta is kept whole.
    assert body.text == "stray\n\n"


def test_a_page_without_a_declaration_gets_one_first() -> None:
    _, text = _built(b"<html><head>\n<title>t</title>\n</head><body><p>x</p></body></html>")
    assert _head(text) == '<head>\n<meta charset="utf-8">\n<title>t</title>\n</head>'


def test_a_declaration_already_first_stays_as_it_was() -> None:
    _, text = _built(b'<html><head>\n  <meta charset="UTF-8">\n  <title>t</title>\n</head><body><p>x</p></body></html>')
    assert _head(text) == '<head>\n  <meta charset="utf-8">\n  <title>t</title>\n</head>'


def test_with_several_declarations_the_first_moves_and_all_say_utf8() -> None:
    page = (
        b'<html><head>\n<title>t</title>\n<meta http-equiv="content-type" content="text/html; charset=gbk">\n'
        b'<meta charset="gbk">\n</head>'
        b'<body><div><meta http-equiv="Content-Type" content="text/html"></div></body></html>'
    )
    _, text = _built(page)
    assert [m.group(0) for m in _DECLARATION.finditer(text)] == [
        '<meta http-equiv="content-type" content="text/html; charset=utf-8">',
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    ]
    assert _head(text).startswith('<head>\n<meta http-equiv="content-type"')


def test_a_comment_before_the_declaration_stays_after_it() -> None:
    page = b'<html><head>\n<!-- a long licence banner -->\n<meta charset="utf-8">\n<title>t</title>\n</head>'
    _, text = _built(page + b"<body></body></html>")
    assert _head(text) == '<head>\n<meta charset="utf-8">\n<!-- a long licence banner -->\n<title>t</title>\n</head>'


def test_a_page_whose_head_starts_past_the_prescan_gets_a_byte_order_mark(tmp_path: Path) -> None:
    """msn and nytimes pages: a <html class> of 3.9 KB puts even the first child of <head>
    past byte 1,024. A UTF-8 byte order mark wins over any declaration in a browser."""
    from l10n import project
    from l10n.errors import L10nError

    classes = " ".join(f"feature-{n}" for n in range(400))
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "late.html").write_text(
        f'<html class="{classes}"><head><title>Late</title></head><body><p>Text.</p></body></html>', encoding="utf-8"
    )
    (tmp_path / "articles" / "early.html").write_text(
        "<html><head><title>Early</title></head><body><p>Text.</p></body></html>", encoding="utf-8"
    )
    problems: list[L10nError] = []
    proj = project.open_project(tmp_path)
    project.build(proj, [], None, problems.append, jobs=1)
    late = (tmp_path / "site" / "en" / "late.html").read_bytes()
    assert late.startswith(b"\xef\xbb\xbf") and late.index(b"<meta charset") > 1024
    assert html_read.decode(late)[1] == "utf-8"  # the BOM is what says it
    assert not (tmp_path / "site" / "en" / "early.html").read_bytes().startswith(b"\xef\xbb\xbf")
    summary = project.build(proj, [], None, problems.append, jobs=1)
    assert summary.written == [] and problems == []  # a page with a BOM is not written again
