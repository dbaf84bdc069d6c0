"""The ``l10n`` command line: a thin adapter over :mod:`l10n.project`.

Each command maps library errors to one line on stderr (``path:line: message``) and
to the exit status; no traceback is ever printed for bad input.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__, project, stats
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


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _report(error: L10nError) -> None:
    typer.echo(str(error), err=True)


@contextmanager
def _exit_on_error() -> Iterator[None]:
    """Bad input ends the command with one line on stderr and exit status 1, no traceback."""
    try:
        yield
    except L10nError as exc:
        _report(exc)
        raise typer.Exit(1) from None


def _open() -> project.Project:
    with _exit_on_error():
        return project.open_project(Path.cwd())


VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="List files written and encodings found.")]
JobsOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--jobs", "-j", min=1, help="Worker processes (default: the machine's cores)."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Redo every article, even those unchanged since the last run.")
]


@contextmanager
def _progress(label: str) -> Iterator[project.Progress | None]:
    """A Rich progress bar on a terminal; nothing in pipes and CI."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console  # Rich costs ~20 ms of start-up: only when shown
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _finish(summary: project.Summary, verb: str, verbose: bool = False, failed: bool = False) -> None:
    if verbose:
        for line in summary.decoded:
            typer.echo(line, err=True)
        for path in summary.written:
            typer.echo(f"wrote {path}", err=True)
    for line in summary.skipped:
        typer.echo(f"skipped {line}", err=True)
    for note in summary.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(summary.line(verb), err=True)
    raise typer.Exit(1 if summary.errors or failed else 0)


@app.command()
def extract(
    locale: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option("--locale", "-l", help="Also make catalogues for this locale (BCP 47 or gettext form); repeat."),
    ] = None,
    jobs: JobsOption = None,
    force: ForceOption = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Remove the catalogues whose article is gone; their translations stay in"
            " locales/<lang>/memory.po for translation memory.",
        ),
    ] = False,
    verbose: VerboseOption = False,
) -> None:
    """Segment every article, write its POT and create or update its PO files."""
    proj = _open()
    with _exit_on_error():
        for new in project.new_locales(proj, locale or []):
            typer.echo(
                f"note: {new.tag} is not in the configured locales: its catalogues are created; add it to locales"
                f" in {proj.config_file} to build and check it with the others",
                err=True,
            )
    with _exit_on_error(), _progress("extract") as progress:
        summary = project.extract(proj, locale or [], _report, jobs or _cores(), force, progress, prune)
    for line in summary.removed:  # a translator's file: always said
        typer.echo(f"removed {line}", err=True)
    _finish(summary, "written", verbose)


@app.command()
def build(
    locale: LocaleOption = None,
    min_percent: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--min-percent", min=0, max=100, help="Build a page from this share of valid translations."),
    ] = None,
    jobs: JobsOption = None,
    force: ForceOption = False,
    verbose: VerboseOption = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON record per article and locale: built, kept, skipped, failed.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also exit 1 on units shown in the source language and on skipped pages.")
    ] = False,
) -> None:
    """Write site/<lang>/<slug>.html for the source locale and every target locale.

    A page once published stays published: --min-percent decides only a first
    publication. Exit 1 when anything could not be built as asked (an unreadable file,
    an invalid translation, a page kept as it was).
    """
    proj = _open()
    outcomes: list[project.PageOutcome] = []
    with _exit_on_error(), _progress("build") as progress:
        summary = project.build(
            proj, locale or [], min_percent, _report, jobs or _cores(), force, progress, outcomes.append
        )
    if as_json:
        outcomes.sort(key=lambda outcome: outcome.article)  # stable: each article's locales in the run's order
        document = {"pages": [outcome.as_json() for outcome in outcomes], "summary": summary.as_json()}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    failed = strict and bool(summary.fallbacks or summary.skipped)
    _finish(summary, "written", verbose, failed)


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for dashboards (shape in README.md).")]


def _status_tables(rows: list[stats.Row]) -> None:
    """One table per locale; boxes and colours on a terminal, plain columns elsewhere."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    fancy = Console().is_terminal
    plain = io.StringIO()
    console = Console(highlight=False) if fancy else Console(file=plain, color_system=None, width=10_000)
    names = ("units", "words", "translated", "fuzzy", "untranslated", "invalid")
    for tag, group in stats.by_locale(rows).items():
        total = stats.total(group)
        frame = box.SIMPLE_HEAD if fancy else None
        table = Table(title=Text(tag), title_justify="left", show_footer=True, box=frame, pad_edge=False)
        table.add_column("article", footer="total", overflow="fold", min_width=12)
        for name in names:
            table.add_column(name, footer=str(getattr(total, name)), justify="right")
        table.add_column("%", footer=f"{total.percent:.1f}", justify="right")
        for row in group:
            label = row.article if row.exists else f"{row.article} (no catalogue)"
            # Text, not a str: Rich would read "[/]" or "[bold]" in a file name as its markup
            table.add_row(Text(label), *(str(getattr(row.counts, n)) for n in names), f"{row.counts.percent:.1f}")
        console.print(table)
    for line in plain.getvalue().splitlines():
        typer.echo(line.rstrip())


@app.command()
def status(locale: LocaleOption = None, as_json: JsonOption = False) -> None:
    """Per locale and article: units, words, translated, fuzzy, untranslated, invalid."""
    proj = _open()
    with _exit_on_error():
        rows = project.status(proj, locale or [])
        orphans = project.orphans(proj, locale or [])
    for error in dict.fromkeys(row.error for row in rows if row.error):
        typer.echo(error, err=True)
    for orphan in orphans:
        typer.echo(str(orphan), err=True)
    if as_json:
        document = stats.to_json(rows, proj.config.source.tag, orphans)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    elif rows:
        _status_tables(rows)
    elif locale or proj.config.locales:
        typer.echo(
            f"note: no articles in {proj.config.articles}/ yet: copy HTML files there, then run l10n extract", err=True
        )
    else:
        typer.echo(f"note: no target locales: set locales in {proj.config_file} or pass -l", err=True)


@app.command()
def check(
    locale: LocaleOption = None,
    as_json: JsonOption = False,
    errors_only: Annotated[bool, typer.Option("--errors-only", help="Report errors only, not warnings.")] = False,
) -> None:
    """QA of translations: errors (placeholders, markup, plural/format) exit 1; warnings do not."""
    proj = _open()
    with _exit_on_error():
        result = project.check(proj, locale or [])
    if errors_only:
        result = result.errors_only()
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in result.lines():
            typer.echo(line)
    raise typer.Exit(1 if result.errors else 0)


@app.command()
def pseudo(
    locale: Annotated[str, typer.Argument(help="The pseudo-locale: en-XA, or ar-XB for right to left.")] = "en-XA",
    verbose: VerboseOption = False,
) -> None:
    """Extract, then fill a pseudo-locale's catalogues with accented, 35 % longer, bracketed text."""
    proj = _open()
    with _exit_on_error():
        summary = project.pseudo(proj, locale, _report)
    _finish(summary, "written", verbose)


@app.command()
def init(
    source: Annotated[
        str, typer.Option("--source", help="The language the articles are written in (BCP 47 or gettext form).")
    ] = "en",
    locale: LocaleOption = None,
) -> None:
    """Create a project in the current folder: l10n.toml, articles/, locales/, .gitignore.

    Exit 1, changing nothing, when the folder already holds a project.
    """
    with _exit_on_error():
        created = project.init(Path.cwd(), source, locale or [])
    for line in created.lines():
        typer.echo(line)


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The port to listen on.")] = 8000,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (this machine only by default).")
    ] = "127.0.0.1",
) -> None:
    """Serve the desk's web page: progress dashboard and live previews (writes nothing)."""
    proj = _open()
    try:
        from .project import serving  # the optional extra, and a second's start-up: only here
    except ImportError as exc:
        typer.echo(
            f"l10n serve needs the serve extra ({exc.name} is missing): pip install 'l10n-news[serve]'", err=True
        )
        raise typer.Exit(1) from None
    typer.echo(f"serving {proj.root} on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    serving.serve(proj, host, port)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"l10n {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Localise news articles through gettext PO files."""


def run() -> None:
    """Console-script entry point."""
    sys.exit(app())
