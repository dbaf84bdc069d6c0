"""Golden built pages: the head and the header (language switcher) of the sample article
as the build writes them in French, Persian and Chinese, beside what they must be.

What a newsroom publishes to readers and search engines lives there: lang and dir, the
canonical and og:url of the page's own locale, hreflang alternates, translated metadata
and JSON-LD, the switcher. Set ``L10N_UPDATE_GOLDEN=1`` to rewrite the expected files after
a deliberate change (then read the diff: it is the review).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import built_sample

EXPECTED = Path(__file__).parent / "data" / "pages"
SLUG = "2015/11/calais-migrant-camp.html"
TAGS = ("fr", "fa", "zh-Hans")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_sample(tmp_path_factory.mktemp("golden-pages"))


def head_and_header(page: str) -> str:
    """The page from its start to the end of its ``<header>``: head, body start, switcher."""
    end = page.index("</header>") + len("</header>")
    return page[:end] + "\n"


@pytest.mark.slow
@pytest.mark.parametrize("tag", TAGS)
def test_built_head_and_switcher_match_golden(site: Path, tag: str) -> None:
    produced = head_and_header((site / tag / SLUG).read_text(encoding="utf-8"))
    expected = EXPECTED / f"{tag}.html"
    if os.environ.get("L10N_UPDATE_GOLDEN"):
        EXPECTED.mkdir(parents=True, exist_ok=True)
        expected.write_text(produced, encoding="utf-8")
    assert expected.exists(), f"no golden file {expected.name}; run with L10N_UPDATE_GOLDEN=1 and review it"
    assert produced == expected.read_text(encoding="utf-8")
