"""The ``l10n`` command line: a thin adapter over :mod:`l10n.project`.

Each command maps library errors to one line on stderr (``path:line: message``) and
to the exit status; no traceback is ever printed for bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__, project
from .errors import L10nError

app = typer.Typer(
    help="Localise news articles: extract HTML to gettext catalogues, build localised pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

LocaleOption = Annotated[
    Optional[list[str]],  # noqa: UP045 - Typer reads the annotation at runtime
    typer.Option("--locale", "-l", help="A target locale (BCP 47 or gettext form); repeat for more."),
]


def _report(error: L10nError) -> None:
    typer.echo(str(error), err=True)


def _open() -> project.Project:
    try:
        return project.open_project(Path.cwd())
    except L10nError as exc:
        _report(exc)
        raise typer.Exit(1) from None


VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="List files written and encodings found.")]


def _finish(summary: project.Summary, verb: str, verbose: bool = False) -> None:
    if verbose:
        for line in summary.decoded:
            typer.echo(line, err=True)
        for path in summary.written:
            typer.echo(f"wrote {path}", err=True)
    for line in summary.skipped:
        typer.echo(f"skipped {line}", err=True)
    typer.echo(summary.line(verb), err=True)
    raise typer.Exit(1 if summary.errors else 0)


@app.command()
def extract(locale: LocaleOption = None, verbose: VerboseOption = False) -> None:
    """Segment every article, write its POT and create or update its PO files."""
    proj = _open()
    try:
        summary = project.extract(proj, locale or [], _report)
    except L10nError as exc:
        _report(exc)
        raise typer.Exit(1) from None
    _finish(summary, "written", verbose)


@app.command()
def build(
    locale: LocaleOption = None,
    min_percent: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--min-percent", min=0, max=100, help="Build a page from this share of valid translations."),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Write site/<lang>/<slug>.html for the source locale and every target locale."""
    proj = _open()
    try:
        summary = project.build(proj, locale or [], min_percent, _report)
    except L10nError as exc:
        _report(exc)
        raise typer.Exit(1) from None
    _finish(summary, "written", verbose)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"l10n {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Localise news articles through gettext PO files."""


def run() -> None:
    """Console-script entry point."""
    sys.exit(app())
