"""How the command line prints tables: ``status`` and ``check`` (drawn by :mod:`l10n.tables`).

On a terminal, tables fit its width, with rules and bold (Rich); elsewhere (a pipe, a CI
log) plain lines that keep every path whole, or COLUMNS wide when it is set.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from . import stats

if TYPE_CHECKING:
    from . import (
        qa,  # imported by the check command's own module (l10n.project.desk)
        tables,  # imports Rich: at run time only when a table is drawn
    )


def _width() -> int:
    """The width of tables off a terminal: COLUMNS when set (a snapshot, a narrow log),
    else none, so that a pipe or a CI log keeps every path whole."""
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else 10_000


def _draw(columns: Sequence[tables.Column], grids: Sequence[tables.Grid], heading: str = "") -> None:
    """Print tables that fit: a terminal's width, with rules and bold; elsewhere plain lines."""
    from rich.console import Console  # Rich costs ~20 ms of start-up: only when a table is drawn

    from . import tables

    screen = Console(highlight=False)
    fancy = screen.is_terminal
    plain = io.StringIO()
    width = screen.width if fancy else _width()
    console = screen if fancy else Console(file=plain, color_system=None, width=width, highlight=False)
    drawn, legend = tables.draw(columns, grids, width, fancy)
    for line in tables.wrap(heading, width):
        typer.echo(line)
    for table in drawn:
        console.print(table, crop=False)  # a terminal too narrow wraps a line: no column is dropped
    for line in plain.getvalue().splitlines():
        typer.echo(line.rstrip())
    for line in legend:
        typer.echo(line)


def status_tables(rows: list[stats.Row]) -> None:
    """One table per locale, with its total; a legend when the headers are shortened."""
    from . import tables

    _draw(tables.STATUS_COLUMNS, tables.status_grids(rows))


def check_report(result: qa.Checked, quiet: bool, verbose: bool) -> None:
    """Every finding at its line with -v; else each error at its line and the warnings
    counted by locale, article and kind. Then the summary line (-q: the errors alone)."""
    if quiet or verbose:
        lines = result.lines()
        for line in lines[:-1] if quiet else lines:
            typer.echo(line)
        return
    from . import tables

    for line in result.error_lines():
        typer.echo(line)
    columns, grids = tables.warning_grids(result)
    if grids:
        _draw(columns, grids, "warnings by article (l10n check -v lists each at its line)")
    typer.echo(result.line())
