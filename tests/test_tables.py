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

import io
import json
import os
from pathlib import Path

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from l10n import qa, stats
from l10n.tables import STATUS_COLUMNS, draw, shorten_left, status_grids

from .conftest import dumps, invoke

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


# --- status: a table that fits ---------------------------------------------------------------

FULL = ["article", "units", "words", "translated", "fuzzy", "untranslated", "invalid", "%"]
SHORT = ["article", "units", "words", "done", "fuzzy", "todo", "invalid", "%"]
STATES = ["units", "words", "translated", "fuzzy", "untranslated", "invalid", "percent"]


def status_at(root: Path, plain: pytest.MonkeyPatch, width: int | None, *args: str) -> list[str]:
    if width is not None:
        plain.setenv("COLUMNS", str(width))
    result = invoke(root, "status", *args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def table_rows(lines: list[str]) -> dict[tuple[str, str], list[str]]:
    """(locale, label) -> the numbers of each row and total row, read from the text."""
    rows: dict[tuple[str, str], list[str]] = {}
    locale = ""
    for line in lines:
        words = line.split()
        if len(words) == 1:
            locale = words[0]
        elif words and words[0] != "article" and len(words) >= 8:
            rows[(locale, " ".join(words[:-7]))] = words[-7:]
    return rows


@pytest.mark.parametrize("width", [60, 80, 100, 132])
def test_status_fits_the_width_with_whole_headers_and_every_number(
    sample_project: Path, plain: pytest.MonkeyPatch, width: int
) -> None:
    lines = status_at(sample_project, plain, width)
    assert lines and all(len(line) <= width for line in lines), "\n".join(lines)
    headers = [line.split() for line in lines if line.startswith("article")]
    assert len(headers) == 4 and all(header in (FULL, SHORT) for header in headers), headers
    if headers[0] == SHORT:
        assert lines[-1] == "done: translated; todo: untranslated"
    same_numbers_as_json(sample_project, lines)


def test_status_below_60_columns_grows_lines_rather_than_lose_a_number(
    sample_project: Path, plain: pytest.MonkeyPatch
) -> None:
    lines = status_at(sample_project, plain, 40)
    assert [line.split() for line in lines if line.startswith("article")] == [SHORT] * 4
    assert max(map(len, lines)) > 40
    same_numbers_as_json(sample_project, lines)


def same_numbers_as_json(root: Path, lines: list[str]) -> None:
    """Every number of the table as the JSON has it: none wrapped, cut or lost."""
    document = json.loads(invoke(root, "status", "--json").stdout)
    rows = table_rows(lines)
    for group in document["locales"]:
        for article in group["articles"]:
            label = next(
                label for tag, label in rows if tag == group["locale"] and label.endswith(article["article"][-10:])
            )
            assert article["article"].endswith(label.lstrip("…")), (label, article["article"])
            numbers = rows[(group["locale"], label)]
            assert numbers == [str(article[s]) if s != "percent" else f"{article[s]:.1f}" for s in STATES]
        assert rows[(group["locale"], "total")][0] == str(group["total"]["units"])


def test_status_at_80_columns_matches_its_snapshot(sample_project: Path, plain: pytest.MonkeyPatch) -> None:
    lines = status_at(sample_project, plain, 80)
    golden("status-80.txt", "\n".join(lines) + "\n")


def test_status_in_a_pipe_keeps_whole_paths_and_headers(sample_project: Path, plain: pytest.MonkeyPatch) -> None:
    """No COLUMNS and no terminal (a pipe, a CI log): every path whole, the headers in full."""
    deep = "2015/11/a/folder/deep/enough/to/overflow/any/terminal/width/of/a/desk/story.html"
    (sample_project / "articles" / deep).parent.mkdir(parents=True)
    (sample_project / "articles" / deep).write_text("<p>One sentence of news.</p>", encoding="utf-8")
    lines = status_at(sample_project, plain, None, "-l", "fr")
    assert [line.split() for line in lines if line.startswith("article")] == [FULL]
    assert any(line.startswith(f"{deep} (no catalogue) ") for line in lines)
    assert not any("…" in line for line in lines)


@pytest.mark.parametrize("width", [60, 80])
def test_status_shortens_long_paths_from_the_left(sample_project: Path, plain: pytest.MonkeyPatch, width: int) -> None:
    deep = "2015/11/a/folder/deep/enough/to/overflow/any/terminal/story.html"
    (sample_project / "articles" / deep).parent.mkdir(parents=True)
    (sample_project / "articles" / deep).write_text("<p>One sentence of news.</p>", encoding="utf-8")
    lines = status_at(sample_project, plain, width, "-l", "fr")
    assert all(len(line) <= width for line in lines), "\n".join(lines)
    (label,) = [label for _, label in table_rows(lines) if label.endswith("(no catalogue)")]
    assert label.startswith("…") and f"{deep} (no catalogue)".endswith(label[1:])
    if width == 80:  # room for whole folders: as many as fit, from a folder boundary
        assert label.startswith("…/") and len(label) > len("…/story.html (no catalogue)")


# --- the layout, unit by unit --------------------------------------------------------------


def test_shorten_left_keeps_the_end_from_a_folder() -> None:
    path = "2015/11/calais-migrant-camp.html"
    assert shorten_left(path, 40) == path == shorten_left(path, len(path))
    assert shorten_left(path, 31) == "…/11/calais-migrant-camp.html"
    assert shorten_left(path, 28) == "…/calais-migrant-camp.html"
    assert shorten_left(path, 20) == "…s-migrant-camp.html"  # no folder fits: the name loses its start
    assert shorten_left(path, 12) == "…t-camp.html"
    assert shorten_left("北京/新闻报道.html", 10) == "…报道.html"  # a Han character is two cells


@given(st.text(alphabet="ab/北é-", max_size=30), st.integers(min_value=1, max_value=40))
def test_shorten_left_fits_and_keeps_an_end(text: str, width: int) -> None:
    shown = shorten_left(text, width)
    assert cell_len(shown) <= width
    assert shown == text or (shown.startswith("…") and text.endswith(shown[1:]))
    if cell_len(text) > width:
        assert cell_len(shown) >= width - 2 or "/" in shown  # only a folder boundary or a wide character costs room


def test_fancy_tables_fit_too() -> None:
    """On a terminal the tables have rules and bold headers, and the same width."""
    rows = [
        stats.Row(tag, f"2015/{n:02}/a-story-with-a-rather-long-name-{n}.html", "x.po", True, stats.Counts(9, 99, 9))
        for tag in ("fr", "zh-Hans")
        for n in range(1, 13)
    ]
    for width in (60, 80, 120):
        tables, legend = draw(STATUS_COLUMNS, status_grids(rows), width, fancy=True)
        console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="standard")
        for table in tables:
            console.print(table)
        text = console.file.getvalue()  # type: ignore[attr-defined]
        assert "\x1b[1m" in text and "─" in text
        assert all(cell_len(Text.from_ansi(line).plain) <= width for line in text.splitlines())
        assert all(len(line) <= width for line in legend)


# --- check: errors at their lines, warnings counted --------------------------------------------

HEADING = "warnings by article (l10n check -v lists each at its line)"
LILLE = "locales/fr/LC_MESSAGES/2015/11/lille-court-ruling.po"


def check_at(root: Path, plain: pytest.MonkeyPatch, width: int | None, *args: str) -> tuple[int, list[str]]:
    if width is not None:
        plain.setenv("COLUMNS", str(width))
    result = invoke(root, "check", *args)
    return result.exit_code, result.stdout.splitlines()


def test_check_counts_many_warnings_in_a_few_lines(sample_project: Path, plain: pytest.MonkeyPatch) -> None:
    assert invoke(sample_project, "extract", "-l", "de").exit_code == 0
    findings = json.loads(invoke(sample_project, "check", "--json", "-l", "de").stdout)["findings"]
    assert len(findings) > 100 and {f["code"] for f in findings} == {"untranslated"}
    code, lines = check_at(sample_project, plain, None, "-l", "de")
    assert code == 0
    per_catalogue = {path: sum(f["path"] == path for f in findings) for path in {f["path"] for f in findings}}
    assert lines[:2] == [HEADING, "de"] and lines[2].split() == ["article", "untranslated"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:-1]}
    assert rows == {
        **{
            path.removeprefix("locales/de/LC_MESSAGES/").removesuffix(".po") + ".html": [str(count)]
            for path, count in per_catalogue.items()
        },
        "total": [str(len(findings))],
    }
    assert lines[-1] == f"0 errors, {len(findings)} warnings in 3 catalogues"
    assert len(lines) == 8  # instead of one line per warning

    code, every = check_at(sample_project, plain, None, "-l", "de", "-v")
    assert code == 0
    listed = [f"{f['path']}:{f['line']}: warning: [untranslated] {f['message']}" for f in findings]
    assert every == [*listed, lines[-1]]


def _edit(root: Path) -> None:
    """Five kinds of warning and an error in the French Lille catalogue."""
    path = root / LILLE
    po = polib.pofile(str(path), wrapwidth=79)
    for entry in po:
        if entry.msgid.startswith("The judge gave"):  # the placeholder is lost: an error
            entry.msgstr = entry.msgstr.replace("<strong1>", "").replace("</strong1>", "")
        elif entry.msgid.startswith("© 2015"):
            entry.msgstr = entry.msgstr.replace("2015", "2016")
        elif entry.msgid.startswith("French authorities have eight days"):
            entry.msgstr += " "
        elif entry.msgid == "Lille administrative court":  # a unit without a length budget
            entry.msgstr = entry.msgid
        elif entry.msgid == "Stone facade":
            entry.msgstr = ""
        elif entry.msgid.startswith("Lille court orders urgent"):
            entry.flags.append("fuzzy")
    path.write_text(dumps(po), encoding="utf-8")


@pytest.mark.parametrize("width", [None, 60, 80])
def test_check_lists_each_error_and_counts_warnings_by_kind(
    sample_project: Path, plain: pytest.MonkeyPatch, width: int | None
) -> None:
    _edit(sample_project)
    code, every = check_at(sample_project, plain, width, "-v")
    assert code == 1
    errors = [line for line in every if ": error: " in line]
    warnings = [line for line in every if ": warning: " in line]
    assert len(errors) == 1 and len(warnings) >= 5
    code, lines = check_at(sample_project, plain, width)
    assert code == 1
    assert lines[0] == errors[0]  # an error is never summarised: it is found at its line
    assert not [line for line in lines if ": warning: " in line]
    assert lines[-1] == every[-1]
    assert all(len(line) <= (width or 10_000) for line in lines if line not in errors), "\n".join(lines)
    headers = [line.split() for line in lines if line.startswith("article")]
    assert len(headers) == 2 and headers[0] == headers[1]  # fr, and fa's punctuation warning
    last_total = max(index for index, line in enumerate(lines) if line.startswith("total"))
    legend = " ".join(lines[last_total + 1 : -1])
    short = dict(item.split(": ") for item in legend.split("; ")) if legend else {}
    kinds = [line.split("[")[1].split("]")[0] for line in warnings]
    in_order = sorted(set(kinds), key=list(qa.CODES).index)
    assert [short.get(word, word) for word in headers[0][1:]] == [*in_order, "total"]
    per_locale = {tag: sum(f"locales/{tag}/" in line for line in warnings) for tag in ("fr", "fa")}
    totals = [line.split()[-1] for line in lines if line.startswith("total")]
    assert totals == [str(per_locale["fr"]), str(per_locale["fa"])]


def test_check_errors_only_prints_no_warning_table(sample_project: Path, plain: pytest.MonkeyPatch) -> None:
    _edit(sample_project)
    code, lines = check_at(sample_project, plain, None, "--errors-only")
    assert code == 1 and HEADING not in lines
    assert len(lines) == 2 and ": error: [invalid-placeholder]" in lines[0]
    assert lines[1] == "1 error, 0 warnings in 12 catalogues"
