"""Golden segmentation: each ``tests/data/<case>.html`` beside the POT it must produce.

Set ``L10N_UPDATE_GOLDEN=1`` to rewrite the expected files after a deliberate change
(then read the diff: it is the review).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from l10n import catalog, html_read
from l10n.segment import segment

from .conftest import dumps

DATA = Path(__file__).parent / "data"
CASES = sorted(DATA.glob("*.html"))
FIXED_DATE = "2015-11-03 10:12+0000"


def render_pot(path: Path) -> str:
    document = html_read.parse(path.read_bytes())
    pot = catalog.template(segment(document), path.name, path.stem, FIXED_DATE)
    return dumps(pot)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_segmentation_matches_golden_pot(case: Path) -> None:
    expected = case.with_suffix(".pot")
    produced = render_pot(case)
    if os.environ.get("L10N_UPDATE_GOLDEN"):
        expected.write_text(produced, encoding="utf-8")
    assert expected.exists(), f"no golden file {expected.name}; run with L10N_UPDATE_GOLDEN=1 and review it"
    assert produced == expected.read_text(encoding="utf-8")


def test_there_is_a_golden_case_per_rule() -> None:
    names = {c.stem for c in CASES}
    rules = {
        "blocks", "split-runs", "no-letters", "attributes", "head-metadata", "jsonld",
        "translate-attribute", "frozen", "time", "whitespace", "pre", "literal-placeholders",
        "loc-note", "placeholders", "duplicates", "hidden", "comments", "hidden-attributes",
        "comments-in-sentences",
    }
    assert rules <= names
