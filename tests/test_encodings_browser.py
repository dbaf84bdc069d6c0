"""Decoding agrees with a browser: the page title Chromium shows is the title we read.

Covers the corpus pages whose charset is undeclared or wrong (where lxml reading the
raw bytes mis-decodes), and generated pages in declared legacy charsets.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import lxml.etree
import pytest

from l10n import html_read

from .conftest import READABILITY, need
from .trees import find, text_of

# Every test here starts Chromium on a page (seconds each).
pytestmark = pytest.mark.slow

CORPUS = [
    "nytimes-1.html",  # no charset declared
    "quanta-1.html",
    "telegraph.html",
    "wikipedia-4.html",
    "keep-tabular-data.html",
    "la-nacion.html",  # UTF-8 BOM
]

LEGACY = {
    "windows-1252": "Déjà vu – “quoted” café",
    "iso-8859-15": "Prix : 10 € à Besançon",
    "shift_jis": "東京の天気予報",
    "gb2312": "法国和英国签署协议",
    "koi8-r": "Соглашение подписано",
    "iso-8859-7": "Συμφωνία υπεγράφη",
}


def browser_title(path: Path) -> str:
    chromium = need("chromium")
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={path.parent / '.chromium'}",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    title = lxml.etree.fromstring(result.stdout or "<html/>", lxml.etree.HTMLParser()).find(".//title")
    return " ".join(text_of(title).split()) if title is not None else ""


def our_title(data: bytes) -> str:
    return " ".join(text_of(find(html_read.parse(data).root, ".//title")).split())


@pytest.mark.skipif(not READABILITY.is_dir(), reason="shared corpus not beside the repo")
@pytest.mark.parametrize("name", CORPUS)
def test_corpus_titles_decode_as_in_a_browser(name: str, tmp_path: Path) -> None:
    page = tmp_path / name
    page.write_bytes((READABILITY / name).read_bytes())
    assert our_title(page.read_bytes()) == browser_title(page)


@pytest.mark.skipif(not READABILITY.is_dir(), reason="shared corpus not beside the repo")
def test_a_wrong_declaration_on_utf8_bytes_is_where_we_beat_the_browser(tmp_path: Path) -> None:
    """qq.html declares gb2312 but its bytes are UTF-8: a browser shows mojibake, we do not.

    DESIGN.md puts "valid UTF-8 is UTF-8" before the declared charset on purpose.
    """
    page = tmp_path / "qq.html"
    page.write_bytes((READABILITY / "qq.html").read_bytes())
    ours = our_title(page.read_bytes())
    assert ours == "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶_科技_腾讯网"
    browser = browser_title(page)
    assert browser.startswith("DeepMind") and browser != ours and "人工智能" not in browser


@pytest.mark.parametrize("charset", sorted(LEGACY))
def test_declared_legacy_charsets_decode_as_in_a_browser(charset: str, tmp_path: Path) -> None:
    text = LEGACY[charset]
    # The title comes before the meta, as on many real pages.
    html = (
        f'<!DOCTYPE html><html><head><title>{text}</title><meta charset="{charset}"></head>'
        f"<body><p>{text}</p></body></html>"
    )
    page = tmp_path / "page.html"
    page.write_bytes(html.encode(charset))
    assert our_title(page.read_bytes()) == text == browser_title(page)
