"""The units-per-article limit (issue 10, item 13): refused at the first unit past it, early.

The byte limit is tested in tests/test_decode.py, the depth limit there and in
tests/test_limits.py, which also measures time and memory of articles at the limits.
"""

from __future__ import annotations

import tracemalloc

import pytest

from l10n import html_read
from l10n import segment as segment_module
from l10n.errors import ArticleError
from l10n.segment import Segmented, apply, segment

LIMIT = 40


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(html_read, "MAX_UNITS", LIMIT)
    monkeypatch.setattr(segment_module, "MAX_UNITS", LIMIT)  # the walk's own name for it
    return LIMIT


def page(units: int) -> bytes:
    """A page with *units* units, one a line from line 2: paragraphs and images' alt texts in turn."""
    body = "".join(
        f"<img src='x.png' alt='Photo {n}'>\n" if n % 2 else f"<p>Paragraph {n}</p>\n" for n in range(units)
    )
    return f"<html><head></head><body>\n{body}</body></html>\n".encode()


def test_the_real_limit_is_far_above_real_pages() -> None:
    # wikipedia-2.html, the corpus page with most units, has 3,813.
    assert html_read.MAX_UNITS >= 5 * 3_813


def test_an_article_at_the_limit_is_segmented(small_limit: int) -> None:
    assert len(segment(html_read.parse(page(small_limit)))) == small_limit


def test_the_first_unit_past_the_limit_is_refused_on_its_line(small_limit: int) -> None:
    document = html_read.parse(page(small_limit + 1))
    with pytest.raises(ArticleError) as caught:
        segment(document)
    assert caught.value.line == 42  # line 1 is <html>, unit 1 on line 2
    assert caught.value.message == (
        "more than 40 units (texts to translate) in the article; the limit is 40, and unit 41 is on this line"
    )


@pytest.mark.parametrize("use", ["apply", "Segmented"])
def test_build_refuses_it_too(small_limit: int, use: str) -> None:
    document = html_read.parse(page(small_limit + 1))
    with pytest.raises(ArticleError, match="more than 40 units"):
        if use == "apply":
            apply(document, {})
        else:
            Segmented(document)


@pytest.mark.slow
def test_the_walk_stops_at_the_limit_instead_of_finding_every_unit(small_limit: int) -> None:
    # 100,000 units: finding them all takes ~70 MB of slots; stopping at the 41st, nothing.
    document = html_read.parse(page(100_000))
    tracemalloc.start()
    try:
        with pytest.raises(ArticleError):
            segment(document)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"{peak:,} bytes allocated before refusing"
