"""Tables of the desk commands that fit a width (``l10n status``, ``l10n check``).

This module owns how a table meets a terminal: one table per locale with a total row,
a label column (the article) and right-aligned number columns. Every table of a run
shares one layout, chosen for the width:

* headers in full (``translated``, ``untranslated``) when the longest label fits beside
  them; else short whole words (``done``, ``todo``) and a legend line saying what they
  stand for: a header is never cut inside a word;
* number columns as wide as their widest cell, never wrapped nor shortened;
* labels shortened from the left, from a folder boundary when one fits
  (``…/11/calais-migrant-camp.html``): the end of a path names the article, its start
  is the same year folder on every row.

Rows in, Rich renderables and lines out; the command line chooses the width (the
terminal's, or none in a pipe) and prints. Rich is imported by this module, so the
command line imports it only when it draws a table (start-up time).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from . import qa, stats
from .errors import escape_controls

ELLIPSIS = "\u2026"
MIN_LABEL = 12  # below this a shortened path names nothing: the table is let overflow instead


@dataclass(frozen=True, slots=True)
class Column:
    """A number column: its header in full, and the whole word shown when space is short."""

    header: str
    short: str


@dataclass(frozen=True, slots=True)
class Grid:
    """One table: a title (the locale), labelled rows of numbers and the total row."""

    title: str
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    total: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    """How every table of a run is drawn at one width."""

    headers: tuple[str, ...]
    widths: tuple[int, ...]  # of the number columns, in cells
    label_width: int
    legend: tuple[str, ...]  # "short: header" for each shortened header in use


def shorten_left(text: str, width: int) -> str:
    """*text* in at most *width* terminal cells: whole when it fits, else its end after an
    ellipsis, starting at a ``/`` when the end holds one (a path loses whole folders first)."""
    if cell_len(text) <= width:
        return text
    if width < 1:
        return ""
    room = width - 1
    start = len(text)
    while start > 0 and cell_len(text[start - 1 :]) <= room:
        start -= 1
    tail = text[start:]
    slash = tail.find("/")
    return ELLIPSIS + (tail[slash:] if slash > 0 else tail)


def fit(columns: Sequence[Column], grids: Sequence[Grid], width: int) -> Layout:
    """The layout of *grids* at *width* cells: full headers when every label fits whole
    beside them, else short headers and labels shortened to the room left (at least
    :data:`MIN_LABEL` cells, so that below some width the lines are longer than *width*)."""
    lines = [cells for grid in grids for _, cells in grid.rows] + [grid.total for grid in grids]
    labels = [label for grid in grids for label, _ in grid.rows] + ["total"]
    longest = max(cell_len(label) for label in labels)

    def widths(headers: Sequence[str]) -> tuple[int, ...]:
        return tuple(max([cell_len(h), *(cell_len(cells[i]) for cells in lines)]) for i, h in enumerate(headers))

    full = tuple(column.header for column in columns)
    gaps = len(columns)  # one space before each number column
    if longest + sum(widths(full)) + gaps <= width:
        return Layout(full, widths(full), longest, ())
    short = tuple(column.short for column in columns)
    room = width - sum(widths(short)) - gaps
    legend = tuple(f"{c.short}: {c.header}" for c in columns if c.short != c.header)
    return Layout(short, widths(short), min(longest, max(room, MIN_LABEL)), legend)


def draw(columns: Sequence[Column], grids: Sequence[Grid], width: int, fancy: bool) -> tuple[list[Table], list[str]]:
    """The Rich tables of *grids* laid out for *width* (a rule under the headers and above
    the totals when *fancy*), and the legend lines (empty when the headers are in full)."""
    layout = fit(columns, grids, width)
    tables = [_table(grid, layout, fancy) for grid in grids]
    legend = wrap("; ".join(layout.legend), width) if layout.legend else []
    return tables, legend


def _table(grid: Grid, layout: Layout, fancy: bool) -> Table:
    table = Table(
        title=Text(grid.title),
        title_justify="left",
        title_style="bold" if fancy else "",
        show_footer=True,
        box=box.SIMPLE if fancy else None,
        show_edge=False,
        pad_edge=False,
        padding=0 if fancy else (0, 0, 0, 1),  # one space between columns, a box's or the padding's
        # its own width, even on a narrower terminal: longer lines, never a number cut
        width=layout.label_width + sum(layout.widths) + len(layout.widths),
    )
    table.add_column("article", footer="total", width=layout.label_width, no_wrap=True)
    for header, size, total in zip(layout.headers, layout.widths, grid.total, strict=True):
        table.add_column(header, footer=total, justify="right", width=size, no_wrap=True)
    for label, cells in grid.rows:
        # Text, not a str: Rich would read "[/]" or "[bold]" in a file name as its markup
        table.add_row(Text(shorten_left(label, layout.label_width)), *cells)
    return table


def wrap(text: str, width: int) -> list[str]:
    """*text* in lines of at most *width* cells, broken between words only."""
    return textwrap.wrap(text, max(width, MIN_LABEL), break_long_words=False, break_on_hyphens=False)


# --- l10n status ------------------------------------------------------------------------------

STATUS_COLUMNS = (
    Column("units", "units"),
    Column("words", "words"),
    Column("translated", "done"),
    Column("fuzzy", "fuzzy"),
    Column("untranslated", "todo"),
    Column("invalid", "invalid"),
    Column("%", "%"),
)
_STATES = ("units", "words", "translated", "fuzzy", "untranslated", "invalid")


def _numbers(counts: stats.Counts) -> tuple[str, ...]:
    return (*(str(getattr(counts, name)) for name in _STATES), f"{counts.percent:.1f}")


def status_grids(rows: Sequence[stats.Row]) -> list[Grid]:
    """One grid per locale: each article's counts (``(no catalogue)`` when it has none
    yet) and the locale's total."""
    return [
        Grid(
            tag,
            tuple(
                (escape_controls(row.article if row.exists else f"{row.article} (no catalogue)"), _numbers(row.counts))
                for row in group
            ),
            _numbers(stats.total(group)),
        )
        for tag, group in stats.by_locale(rows).items()
    ]


# --- l10n check -------------------------------------------------------------------------------

# Short headers: whole words; the legend line says which code each stands for.
_SHORT = {
    "untranslated": "todo",
    "whitespace": "space",
    "punctuation": "punct",
    "same-as-source": "same",
    "control-character": "control",
}
OTHER = "other"  # the title of findings in catalogues the run did not place (none expected)


def warning_grids(checked: qa.Checked) -> tuple[list[Column], list[Grid]]:
    """The warnings of a check run counted by locale, article and kind: the columns (the
    kinds found, in :data:`qa.CODES` order, and a total when more than one) and one grid
    per locale, articles in the run's order, only those with warnings."""
    counts: dict[str, dict[str, Counter[str]]] = {}
    for finding in checked.findings:
        if finding.severity == qa.WARNING:
            locale, article = checked.places.get(finding.path, (OTHER, finding.path))
            counts.setdefault(locale, {}).setdefault(escape_controls(article), Counter())[finding.code] += 1
    found = {code for articles in counts.values() for kinds in articles.values() for code in kinds}
    kinds = [code for code, severity in qa.CODES.items() if severity == qa.WARNING and code in found]
    columns = [Column(kind, _SHORT.get(kind, kind)) for kind in kinds]
    if len(kinds) > 1:
        columns.append(Column("total", "total"))

    def cells(kinds_found: Counter[str]) -> tuple[str, ...]:
        numbers = [kinds_found[kind] for kind in kinds]
        return tuple(str(n) for n in ([*numbers, sum(numbers)] if len(kinds) > 1 else numbers))

    grids = [
        Grid(
            locale,
            tuple((article, cells(kinds_found)) for article, kinds_found in articles.items()),
            cells(sum(articles.values(), Counter())),
        )
        for locale, articles in counts.items()
    ]
    return columns, grids
