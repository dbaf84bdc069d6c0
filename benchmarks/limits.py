"""Time of the size limits' cases: what tests/test_limits.py asserts on memory and refusals, timed.

Run from the repository's root with the package's virtualenv::

    .venv/bin/python benchmarks/limits.py [--cases read,refused,within] [--runs N]

The tests keep the limits (each refusal's one line, each command's peak RSS under its
ceiling); time belongs here, where a slow machine gives a slow figure and not a failure.
Three groups of cases (see benchmarks/README.md):

* ``read``: the reader on a catalogue whose one msgid and msgstr are continued on many
  lines, at 0.5 MB and 4 MB. Linear reading takes about 8 times as long for 8 times the
  text; polib's joining was quadratic (64 times; a 10 MB paragraph's catalogue took
  ~220 s to build). Best of N runs each; the ratio is printed with a verdict.
* ``refused``: articles past a limit (20 MB, 10 MB in one paragraph, one unit too many,
  5,000 levels deep), each refused "at once": ``extract`` and ``build`` seconds.
* ``within``: articles at the limits (a news page just under 10 MiB, 25,000 units, one
  unit of half a million characters) and a PO of a million entries: seconds of each
  command, which is what a newsroom waits for its biggest page.

Each command runs in a child process of its own through tests/test_limits.py's
``measure`` (``extract`` and ``build`` with four locales); the seconds are the child's own
around the command (imports and start-up excluded), with its peak RSS beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from l10n import html_read  # noqa: E402
from l10n.po import reader  # noqa: E402
from tests import test_limits as limits  # noqa: E402

GROUPS = ("read", "refused", "within")
# Past this ratio (4 MB read / 0.5 MB read) the reading is not linear any more.
LINEAR_RATIO_CEILING = 20


@dataclass(frozen=True, slots=True)
class Case:
    """One article of tests/test_limits.py: its name, its bytes, whether its catalogue stays wrapped."""

    name: str
    article: Callable[[], bytes]
    wrap: bool = True


REFUSED = (
    Case("20 MB article", lambda: limits.article_markup(20 * limits.MB)),
    Case("10 MB paragraph", lambda: limits.article_one_paragraph(10 * limits.MB), wrap=False),
    Case("units limit + 1", lambda: limits.article_units(html_read.MAX_UNITS + 1)),
    Case("nested 5,000 deep", lambda: limits.article_nested(5000)),
)
WITHIN = (
    Case("news page under 10 MiB", lambda: limits.article_markup(html_read.MAX_BYTES - 8192)),
    Case("25,000 units", lambda: limits.article_units(html_read.MAX_UNITS)),
    # Unwrapped, as tests/test_limits.py saves it (a PO editor with wrapping off).
    Case(
        "one unit of 500,000 chars",
        lambda: limits.article_one_paragraph(html_read.MAX_UNIT_CHARS - 2_000, chars=True),
        wrap=False,
    ),
)


def wrapped_po(size: int) -> str:
    """A PO whose one entry has a msgid and a msgstr of *size* bytes each, wrapped at 79 columns
    as extract and ``msgcat`` wrap them."""
    line = '"Migrants waited near the fence; des bénévoles distribuaient de l\'eau. "\n'
    body = line * (size // len(line.encode("utf-8")))
    return f'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid ""\n{body}msgstr ""\n{body}'


def read_seconds(text: str, runs: int) -> float:
    """The best of *runs* readings of *text* by the catalogue reader, in seconds."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        reader.read(text, "x.po")
        best = min(best, time.perf_counter() - started)
    return best


def wrapped_reading(runs: int) -> None:
    """Reading time of a wrapped catalogue at 0.5 and 4 MB, and whether it grows linearly."""
    small = read_seconds(wrapped_po(limits.MB // 2), runs)
    big = read_seconds(wrapped_po(4 * limits.MB), runs)
    ratio = big / small
    verdict = "linear" if ratio < LINEAR_RATIO_CEILING else f"NOT LINEAR (over {LINEAR_RATIO_CEILING})"
    print(f"wrapped PO read: 0.5 MB {small:.3f} s, 4 MB {big:.3f} s, ratio {ratio:.1f} (linear: 8): {verdict}")


def million_entries(workdir: Path) -> None:
    """Reading a PO of a million entries the way build reads a catalogue, in a child process."""
    root = workdir / "million"
    (root / "articles").mkdir(parents=True)
    text = limits.po_text(1_000_000)
    (root / "x.po").write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    del text
    result = limits.run_child("read_po", root)
    print(
        f"{'PO of 1,000,000 entries':<28} {size / limits.MB:>8.1f} MB  read {result['seconds']:>7.2f} s"
        f"  ({result['peak_rss_bytes'] / limits.MB:.0f} MB)"
    )


def timed_case(case: Case, workdir: Path) -> None:
    """Extract and build one article of the limits (and a small one beside it), one line of figures."""
    with contextlib.redirect_stdout(io.StringIO()):  # measure() prints its figures as JSON for the tests
        result = limits.measure(workdir / case.name.replace(" ", "-"), case.article(), wrap=case.wrap)
    size = result["input_bytes"] / limits.MB
    figures = "  ".join(
        f"{command} {result[command]['seconds']:>7.2f} s ({limits.peak(result, command) / limits.MB:>4.0f} MB)"
        for command in ("extract", "build")
    )
    errors = len(result["extract"]["errors"])
    print(f"{case.name:<28} {size:>8.1f} MB  {figures}  {'refused' if errors else 'built'}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(GROUPS), help=f"groups among {', '.join(GROUPS)}")
    parser.add_argument("--runs", type=int, default=3, help="readings of each wrapped catalogue (best reported)")
    parser.add_argument("--workdir", type=Path, help="where to make the temporary projects (default: a temp dir)")
    args = parser.parse_args(argv)
    groups = [group for group in args.cases.split(",") if group]
    unknown = set(groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown --cases: {', '.join(sorted(unknown))}")
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, load average {load} on {os.cpu_count()} cores", flush=True)
    if "read" in groups:
        wrapped_reading(args.runs)
    with tempfile.TemporaryDirectory(prefix="l10n-limits-", dir=args.workdir) as temporary:
        workdir = Path(temporary)
        for case in (*(REFUSED if "refused" in groups else ()), *(WITHIN if "within" in groups else ())):
            timed_case(case, workdir)
        if "within" in groups:
            million_entries(workdir)


if __name__ == "__main__":
    main()
