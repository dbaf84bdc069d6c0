"""Tables that fit (issue 18): ``status`` and ``check`` on a terminal of any width.

``status`` draws one table per locale whose lines fit the width: headers are whole
words, article paths are shortened from the left, numbers are never wrapped. ``check``
prints every error at its line and summarises warnings by locale, article and kind
(``-v`` prints each). The JSON documents are byte-identical to those of before the
tables changed (golden files under ``tests/data/tables``).

Set ``L10N_UPDATE_GOLDEN=1`` to rewrite the golden files after a deliberate change
(then read the diff: it is the review).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import invoke

GOLDEN = Path(__file__).parent / "data" / "tables"


def golden(name: str, produced: str) -> None:
    """Compare *produced* with ``tests/data/tables/NAME`` (rewritten with L10N_UPDATE_GOLDEN)."""
    expected = GOLDEN / name
    if os.environ.get("L10N_UPDATE_GOLDEN"):
        expected.write_text(produced, encoding="utf-8")
    assert expected.exists(), f"no golden file {name}; run with L10N_UPDATE_GOLDEN=1 and review it"
    assert produced == expected.read_text(encoding="utf-8")


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No terminal wishes from the environment: the runner's output is plain and full width."""
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# --- JSON: unchanged in shape and content ------------------------------------------------------


@pytest.mark.parametrize("args", [("status", "--json"), ("check", "--json")], ids=["status", "check"])
def test_json_documents_are_as_before(sample_project: Path, plain: pytest.MonkeyPatch, args: tuple[str, ...]) -> None:
    result = invoke(sample_project, *args)
    assert result.exit_code == 0, result.output
    golden(f"{args[0]}.json", result.stdout)


def test_check_json_of_many_warnings_is_as_before(sample_project: Path, plain: pytest.MonkeyPatch) -> None:
    assert invoke(sample_project, "extract", "-l", "de").exit_code == 0
    result = invoke(sample_project, "check", "--json", "-l", "de", "-l", "fa")
    assert result.exit_code == 0, result.output
    golden("check-de-fa.json", result.stdout)
