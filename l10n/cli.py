"""The ``l10n`` command line: a thin adapter over :mod:`l10n.project`.

Each command maps library errors to one line on stderr (``path:line: message``) and
to the exit status; no traceback is ever printed for bad input. The global options
(``-C``, ``-q``, ``-v``) reach the commands as an :class:`Options` in Typer's context.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from . import __version__, cli_help, cli_tables, config, project, stats
from .errors import L10nError, L10nWarning, escape_controls

app = typer.Typer(
    help=cli_help.MAIN,
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion
    pretty_exceptions_enable=False,
)


@dataclass(frozen=True, slots=True)
class Options:
    """The global options: where the project is looked for, and how much is said."""

    start: Path  # the current folder, or -C DIR
    quiet: bool = False  # errors only
    verbose: bool = False

    def report(self, error: L10nError) -> None:
        """Say a problem found while the run goes on: errors always, warnings unless quiet."""
        if not (self.quiet and isinstance(error, L10nWarning)):
            typer.echo(str(error), err=True)

    def say(self, line: str) -> None:
        """A note, a summary or a list on stderr: not with -q."""
        if not self.quiet:
            typer.echo(line, err=True)


def _options(ctx: typer.Context, verbose: bool = False) -> Options:
    """The run's global options; a command's own -v adds to the global one (and is said even
    with -q: the later, narrower flag wins)."""
    found = ctx.obj if isinstance(ctx.obj, Options) else Options(Path.cwd())
    return Options(found.start, found.quiet and not verbose, found.verbose or verbose)


def _complete_locales(ctx: typer.Context, incomplete: str) -> list[str]:
    """The configured locales of the project found from the current folder (or -C), for the
    shell; nothing, and never a word on the terminal, when there is no project to read."""
    try:
        directory = ctx.find_root().params.get("directory")
        start = Path.cwd() / directory if directory else Path.cwd()
        config = project.open_project(project.find_root(start)).config
    except Exception:  # a completion must not print a traceback into the user's prompt
        return []
    # BCP 47 tags, or gettext's form when the user started writing it (zh_ -> zh_Hans)
    names = [locale.gettext if "_" in incomplete else locale.tag for locale in config.locales]
    return [name for name in names if name.startswith(incomplete)]


def _complete_pseudo(incomplete: str) -> list[str]:
    return [tag for tag in ("en-XA", "ar-XB") if tag.startswith(incomplete)]


def _locale_option(help: str) -> Any:  # typer.Option is typed Any: it stands for a default value
    return typer.Option("--locale", "-l", help=help, autocompletion=_complete_locales)


# Aliases, not Annotated[...] in each signature: Typer evaluates every annotation (twice
# a command) at start-up, and a name costs less than a call of typer.Option.
LocaleOption = Annotated[
    Optional[list[str]],  # noqa: UP045 - Typer reads the annotation at runtime
    _locale_option(cli_help.LOCALE_BUILD),
]
ExtractLocales = Annotated[Optional[list[str]], _locale_option(cli_help.LOCALE_EXTRACT)]  # noqa: UP045
StatusLocales = Annotated[Optional[list[str]], _locale_option(cli_help.LOCALE_STATUS)]  # noqa: UP045
CheckLocales = Annotated[Optional[list[str]], _locale_option(cli_help.LOCALE_CHECK)]  # noqa: UP045
InitLocales = Annotated[Optional[list[str]], typer.Option("--locale", "-l", help=cli_help.LOCALE_INIT)]  # noqa: UP045


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@contextmanager
def _exit_on_error() -> Iterator[None]:
    """Bad input ends the command with one line on stderr and exit status 1, no traceback."""
    try:
        yield
    except L10nError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def _open(options: Options) -> project.Project:
    """The project found from where the command started (the current folder or -C)."""
    with _exit_on_error():
        return project.open_project(project.find_root(options.start))


VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="List files written and encodings found.")]
JobsOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--jobs", "-j", min=1, help="Worker processes (default: the machine's cores)."),
]
SchedulerOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option(
        "--scheduler",
        help="Run on a Dask cluster: a scheduler's address (tcp://host:8786), or 'local' to start one here"
        " (--jobs workers). Needs the dask extra and a file system the workers share.",
        rich_help_panel="Cluster",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Redo every article, even those unchanged since the last run.")
]


@contextmanager
def _progress(label: str, options: Options) -> Iterator[project.Progress | None]:
    """A Rich progress bar on a terminal; nothing in pipes and CI, nor with -q."""
    if options.quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        yield None
        return
    from rich.console import Console  # Rich costs ~20 ms of start-up: only when shown
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


@contextmanager
def _runner(
    options: Options, proj: project.Project, scheduler: str | None, jobs: int | None
) -> Iterator[tuple[project.Runner, int]]:
    """How the command's jobs run, and the width to ask for: forked workers unless a
    scheduler is set (--scheduler wins over [tool.l10n] scheduler); Dask only then.
    Its errors, and the run's, are one line (the run's go through its yield)."""
    with _exit_on_error():
        chosen = config.scheduler_from(scheduler, "--scheduler") or proj.config.scheduler
        if chosen is None:
            yield project.in_parallel, jobs or _cores()
            return
        from .project import cluster

        shown = options.verbose or (sys.stderr.isatty() and not os.environ.get("CI"))
        workers = jobs or _cores()
        with cluster.connect(chosen, workers, proj.root, options.say if shown else None, options.say) as runner:
            yield runner, max(2, workers)  # 1 would mean "in this process"; the cluster's workers decide


DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Write nothing; list each file the run would create, update or remove.")
]


def _plan(proj: project.Project, summary: project.Summary, err: bool = False) -> bool:
    """Print what a dry run would have done (stdout: it is the answer asked for); True if anything."""
    lines = project.planned(proj, summary)
    for line in lines:
        typer.echo(line, err=err)
    return bool(lines)


def _finish(options: Options, summary: project.Summary, verb: str, failed: bool = False, dry: bool = False) -> None:
    if options.verbose:
        for line in summary.decoded:
            options.say(line)
    if options.verbose and not dry:  # a dry run's listing says it
        for path in summary.written:
            options.say(f"wrote {path}")
        for path in summary.deleted:
            options.say(f"removed {path}")
    for line in summary.skipped:
        options.say(f"skipped {line}")
    for note in summary.notes:
        options.say(f"note: {note}")
    options.say(("dry run, nothing written: " if dry else "") + summary.line(verb))
    raise typer.Exit(1 if summary.errors or failed else 0)


@app.command(help=cli_help.EXTRACT)
def extract(
    ctx: typer.Context,
    locale: ExtractLocales = None,
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    force: ForceOption = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            help="Remove the catalogues whose article is gone; their translations stay in"
            " locales/<lang>/memory.po for translation memory.",
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; list each template and catalogue extract would change; exit 1 if any (for CI).",
        ),
    ] = False,
    dry_run: DryRunOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Segment every article, write its POT and create or update its PO files."""
    options = _options(ctx, verbose)
    proj = _open(options)
    with _exit_on_error():
        for new in project.new_locales(proj, locale or []):
            options.say(
                f"note: {new.tag} is not in the configured locales: its catalogues are created; add it to locales"
                f" in {proj.config_file} to build and check it with the others"
            )
    with _runner(options, proj, scheduler, jobs) as (runner, width), _progress("extract", options) as progress:
        summary = project.extract(
            proj, locale or [], options.report, width, force, progress, prune, check or dry_run, runner
        )
    if check or dry_run:
        changes = _plan(proj, summary)
        if check and changes:
            summary.notes.append("templates or catalogues are not up to date with the articles: run l10n extract")
        _finish(options, summary, "would be written", failed=check and changes, dry=True)
    for line in summary.removed:  # a translator's file: said without -v (with -q, only errors are)
        options.say(f"removed {line}")
    _finish(options, summary, "written")


@app.command(help=cli_help.BUILD)
def build(
    ctx: typer.Context,
    locale: LocaleOption = None,
    min_percent: Annotated[
        Optional[float],  # noqa: UP045
        typer.Option("--min-percent", min=0, max=100, help="Build a page from this share of valid translations."),
    ] = None,
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    force: ForceOption = False,
    verbose: VerboseOption = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON record per article and locale: built, kept, skipped, failed.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Also exit 1 on units shown in the source language and on skipped pages.")
    ] = False,
    dry_run: DryRunOption = False,
) -> None:
    """Write site/<lang>/<slug>.html for the source locale and every target locale."""
    options = _options(ctx, verbose)
    proj = _open(options)
    outcomes: list[project.PageOutcome] = []
    with _runner(options, proj, scheduler, jobs) as (runner, width), _progress("build", options) as progress:
        summary = project.build(
            proj, locale or [], min_percent, options.report, width, force, progress,
            outcomes.append if as_json else None, dry_run, runner,
        )  # fmt: skip
    if dry_run:
        _plan(proj, summary, err=as_json)  # --json: stdout holds the JSON document only
    if as_json:
        outcomes.sort(key=lambda outcome: outcome.article)  # stable: each article's locales in the run's order
        document = {"pages": [outcome.as_json() for outcome in outcomes], "summary": summary.as_json()}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    failed = strict and bool(summary.fallbacks or summary.skipped)
    _finish(options, summary, "would be written" if dry_run else "written", failed, dry_run)


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for dashboards (shape in README.md).")]


@app.command(help=cli_help.STATUS)
def status(
    ctx: typer.Context,
    locale: StatusLocales = None,
    as_json: JsonOption = False,
) -> None:
    """Per locale and article: units, words, translated, fuzzy, untranslated, invalid."""
    options = _options(ctx)
    proj = _open(options)
    with _exit_on_error():
        rows = project.status(proj, locale or [])
        orphans = project.orphans(proj, locale or [])
    for error in dict.fromkeys(row.error for row in rows if row.error):
        typer.echo(error, err=True)
    for orphan in orphans:  # a warning
        options.say(str(orphan))
    if as_json:
        document = stats.to_json(rows, proj.config.source.tag, orphans)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    elif rows:
        cli_tables.status_tables(rows)
    elif locale or proj.config.locales:
        options.say(f"note: no articles in {proj.config.articles}/ yet: copy HTML files there, then run l10n extract")
    else:
        options.say(f"note: no target locales: set locales in {proj.config_file} or pass -l")


@app.command(help=cli_help.CHECK)
def check(
    ctx: typer.Context,
    locale: CheckLocales = None,
    as_json: JsonOption = False,
    errors_only: Annotated[bool, typer.Option("--errors-only", help="Report errors only, not warnings.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print every warning at its line, not counts by article.")
    ] = False,
) -> None:
    """QA of translations: errors (placeholders, markup, plural/format) exit 1; warnings do not."""
    options = _options(ctx, verbose)
    proj = _open(options)
    with _exit_on_error():
        result = project.check(proj, locale or [])
    if errors_only or options.quiet:
        result = result.errors_only()
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        cli_tables.check_report(result, options.quiet, options.verbose)
    raise typer.Exit(1 if result.errors else 0)


@app.command(help=cli_help.PSEUDO)
def pseudo(
    ctx: typer.Context,
    locale: Annotated[
        str,
        typer.Argument(help="The pseudo-locale: en-XA, or ar-XB for right to left.", autocompletion=_complete_pseudo),
    ] = "en-XA",
    verbose: VerboseOption = False,
) -> None:
    """Extract, then fill a pseudo-locale's catalogues with accented, 35 % longer, bracketed text."""
    options = _options(ctx, verbose)
    proj = _open(options)
    with _exit_on_error():
        summary = project.pseudo(proj, locale, options.report)
    _finish(options, summary, "written")


@app.command(help=cli_help.PRETRANSLATE)
def pretranslate(
    ctx: typer.Context,
    locale: Annotated[str, _locale_option("The locale whose catalogues are filled (BCP 47 or gettext form).")],
    engine: Annotated[str, typer.Option("--engine", help="The engine: libretranslate, deepl, or a plug-in's name.")],
    url: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--url", help="The engine's endpoint (default: LibreTranslate's localhost:5000, DeepL's API)."),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for each answer.")] = 120.0,
    verbose: VerboseOption = False,
) -> None:
    """Fill a locale's untranslated units from a machine-translation engine, as fuzzy for review."""
    from .project import pretranslating  # the engines' modules: only for this command

    options = _options(ctx, verbose)
    proj = _open(options)
    with _exit_on_error(), _progress("pretranslate", options) as progress:
        machine = pretranslating.engine_for(engine, url, options.report, timeout)
        result = pretranslating.pretranslate(proj, locale, machine, options.report, progress)
    for path in result.written if options.verbose else ():
        options.say(f"wrote {path}")
    options.say(result.line())
    raise typer.Exit(1 if result.errors else 0)


@app.command(help=cli_help.INIT)
def init(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Option("--source", help="The language the articles are written in (BCP 47 or gettext form).")
    ] = "en",
    locale: InitLocales = None,
) -> None:
    """Create a project in the current folder (or -C DIR): l10n.toml, articles/, locales/, .gitignore."""
    options = _options(ctx)
    with _exit_on_error():
        created = project.init(options.start, source, locale or [])
    if not options.quiet:
        for line in created.lines():
            typer.echo(line)


@app.command()
def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="The port to listen on.")] = 8000,
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (this machine only by default).")
    ] = "127.0.0.1",
) -> None:
    """Serve the desk's web page: progress dashboard and live previews (writes nothing)."""
    proj = _open(_options(ctx))
    try:
        from .project import serving  # the optional extra, and a second's start-up: only here
    except ImportError as exc:
        typer.echo(
            f"l10n serve needs the serve extra ({exc.name} is missing): pip install 'l10n-news[serve]'", err=True
        )
        raise typer.Exit(1) from None
    typer.echo(f"serving {proj.root} on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    serving.serve(proj, host, port)


xliff_app = typer.Typer(
    help="XLIFF 2.1 for agencies and CAT tools: export catalogues, import translations back.", no_args_is_help=True
)
app.add_typer(xliff_app, name="xliff")


@xliff_app.command("export")
def xliff_export(
    ctx: typer.Context,
    locale: Annotated[list[str], _locale_option("Export this locale's catalogues; repeat for more.")],
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--output", "-o", metavar="DIR", help="Write DIR/<lang>/<article>.xlf (default: xliff/)."),
    ] = None,
) -> None:
    """Write one XLIFF 2.1 file per article: xliff/<lang>/<article>.xlf."""
    options = _options(ctx)
    proj = _open(options)
    with _exit_on_error():
        summary = project.xliff_export(proj, locale, output, options.report)
    _finish(options, summary, "written")


@xliff_app.command("import")
def xliff_import(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="XLIFF files to merge back.")],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace translations changed in the catalogue since the export.")
    ] = False,
) -> None:
    """Merge XLIFF translations into the catalogues, validated as any translation (exit 1 on refused units)."""
    options = _options(ctx)
    proj = _open(options)
    with _exit_on_error():
        done = project.xliff_import(proj, [options.start / file for file in files], overwrite, options.report)
    if options.verbose:
        for path in done.written:
            options.say(f"wrote {path}")
    options.say(done.line())
    raise typer.Exit(1 if done.failed else 0)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"l10n {__version__}")
        raise typer.Exit()


def _start(directory: Path | None) -> Path:
    """Where the project is looked for: -C DIR (from the current folder), else the current
    folder; one line and exit 1 when DIR is no folder. Symbolic links are resolved, as git's
    chdir does, so the walk up goes through the folders the files are in."""
    if directory is None:
        return Path.cwd()
    start = Path.cwd() / directory
    if not start.is_dir():
        why = "not a folder" if start.exists() else "no such folder"
        typer.echo(f"{escape_controls(str(directory))}: {why} (given to -C)", err=True)
        raise typer.Exit(1)
    return start.resolve()


DirectoryOption = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("-C", metavar="DIR", help=cli_help.DIRECTORY, show_default=False),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help=cli_help.QUIET)]
GlobalVerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help=cli_help.VERBOSE)]


@app.callback()
def main(
    ctx: typer.Context,
    directory: DirectoryOption = None,
    quiet: QuietOption = False,
    verbose: GlobalVerboseOption = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Localise news articles through gettext PO files."""
    if quiet and verbose:
        raise typer.BadParameter("-q and -v say opposite things: give one", param_hint="-q/-v")
    ctx.obj = Options(_start(directory), quiet, verbose)


def run() -> None:
    """Console-script entry point."""
    # A run makes many objects and few reference cycles. Collected every 700 new objects,
    # they took 60-90 ms of a one-process extract or build of the benchmark's 51 pages (5 %
    # of it); every 10,000, 25-35 ms. Forked workers inherit the setting.
    gc.set_threshold(10_000, 10, 10)
    try:
        sys.exit(app())
    finally:
        # The process ends here. Python's last collection would look at every object the
        # run made, for nothing: 30-35 ms of each extract or build of the benchmark's 51
        # pages. Frozen objects are left out of it. Every file is closed and the store
        # written by then; the standard streams are still flushed and atexit handlers and
        # weakref finalizers still run. (An object in a reference cycle is not finalized:
        # Python never promises that at exit.)
        gc.freeze()
