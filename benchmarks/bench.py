"""Benchmark ``l10n extract`` / ``l10n build`` against translate-toolkit and an lxml floor.

Run from anywhere with the package's virtualenv::

    .venv/bin/python benchmarks/bench.py [--runs N] [--quick] [--scale 200,2000,10000]

Two parts (see benchmarks/README.md for what every number means):

* **Main comparison** over the real news pages of the shared corpus (the MANIFEST.tsv rows
  whose ``category`` is ``news``) and two target locales, fr and es. Three contenders, each
  run in its own process(es) and timed by wall clock from this script, medians over N runs:

  - *ours*: ``l10n extract`` on a project without catalogues, then ``l10n build`` with every
    PO filled with pseudo translations (so every page is built);
  - *translate-toolkit*: its batch CLI over the same folder: ``html2po`` (pages -> POTs),
    ``pot2po`` per locale (POTs -> POs), pseudo-fill (not timed), ``po2html`` per locale;
  - *floor*: one Python process that decodes and lxml-parses each page once and then
    parses and serialises it once per locale: what any lxml-based tool must at least do.

* **Scaling**: archives of the news pages plus the sample articles of this repo,
  replicated to each requested size under distinct folders, with four locales (fr, es, fa,
  zh_Hans) and filled catalogues; times ``l10n build``, ``l10n extract`` on the up-to-date
  project and ``l10n extract`` from scratch, with each process's peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# The shared corpus beside the repository (../shared/corpus), unless $L10N_CORPUS says where.
CORPUS = Path(os.environ.get("L10N_CORPUS", REPO.parent / "shared" / "corpus"))
# translate-toolkit runs in a venv of the interpreter running this script, as l10n and the
# floor do: one per interpreter (builds of Python differ in speed: see benchmarks/README.md).
_PYTHON = f"{'.'.join(map(str, sys.version_info[:3]))}-{hashlib.sha1(sys.base_prefix.encode()).hexdigest()[:6]}"
TTK_VENV = HERE / f".venv-ttk-{_PYTHON}"
MAIN_LOCALES = ("fr", "es")
SCALE_LOCALES = ("fr", "es", "fa", "zh_Hans")
BASE_FOLDER = "c0000"  # replicas are c0001, c0002, ...: same length, so PO line wrapping is unchanged

sys.path.insert(0, str(REPO))  # for tests.roundtrip.pseudo_upper and the l10n package itself


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True, slots=True)
class Run:
    """One finished child process (with its worker processes, if any).

    ``cpu`` is user + system seconds of the process and every worker it reaped: less
    sensitive than wall time to other load on the machine. ``max_rss_mb`` is the peak RSS
    of the largest single process (``wait4``); ``tree_pss_mb`` the peak of the whole
    process tree's proportional set size (shared pages counted once), sampled every
    0.2 s when asked for, else 0.
    """

    seconds: float
    cpu: float
    max_rss_mb: float
    returncode: int
    stderr: str
    tree_pss_mb: float = 0.0


# A process's peak RSS (ru_maxrss) survives exec: a command launched straight from this
# script reports at least the script's own peak (seen: 96 MB for a no-op build). GNU time
# runs the command as a fresh fork of a 1 MB process and prints that child's own peak.
GNU_TIME = Path("/usr/bin/time")


def run_timed(command: Sequence[str | Path], cwd: Path, sample_memory: bool = False) -> Run:
    """Run *command* in *cwd* and measure it (see :class:`Run`)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile() as peak_kib:
        launcher = [str(GNU_TIME), "-o", peak_kib.name, "-f", "%M"] if GNU_TIME.exists() else []
        start = time.perf_counter()
        process = subprocess.Popen([*launcher, *map(str, command)], cwd=cwd, stdout=out, stderr=err)
        done = threading.Event()
        peak = [0]
        sampler = threading.Thread(target=_sample_tree, args=(process.pid, done, peak), daemon=True)
        if sample_memory:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        if sample_memory:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, tell Popen
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        reported = (peak_kib.read().decode().strip().splitlines() or [""])[-1]  # after "exited with..."
    rss = (int(reported) if reported.isdigit() else usage.ru_maxrss) / 1024
    return Run(seconds, usage.ru_utime + usage.ru_stime, rss, process.returncode, stderr, peak[0] / 1024)


def _sample_tree(pid: int, done: threading.Event, peak: list[int]) -> None:
    """Keep in ``peak[0]`` the largest summed Pss (KiB) of *pid* and its descendants."""
    while not done.wait(0.2):
        peak[0] = max(peak[0], _tree_pss_kib(pid))


def _tree_pss_kib(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    return total


CACHE_DIR = ".l10n-cache"  # l10n.project.CACHE_DIR (not imported: the bench must not need the package whole)


def clear_cache(root: Path) -> None:
    """Remove l10n's incremental-run cache so that a timed run does all the work."""
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)


def compile_l10n() -> None:
    """Compile l10n's bytecode, as ``pip install`` does for an installed package.

    An editable install (the dev venv) under PYTHONDONTWRITEBYTECODE (set on these
    machines) would otherwise compile every module from source in every command:
    ~40 ms a process that no installed copy pays. translate-toolkit's venv is a normal
    install, compiled by pip.
    """
    spec = importlib.util.find_spec("l10n")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            subprocess.run([sys.executable, "-m", "compileall", "-q", folder], check=True)


def l10n_command() -> list[str]:
    """The ``l10n`` console script beside this interpreter (the package's venv)."""
    script = Path(sys.executable).parent / "l10n"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from l10n.cli import run; run()"]


def ttk_tool(name: str) -> Path:
    return TTK_VENV / "bin" / name


def ensure_ttk() -> None:
    """Create benchmarks/.venv-ttk with translate-toolkit (and rapidfuzz) when missing."""
    if ttk_tool("po2html").exists():
        return
    print(f"creating {TTK_VENV} (pip install translate-toolkit rapidfuzz) ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(TTK_VENV)], check=True)
    pip = [str(TTK_VENV / "bin" / "pip"), "install", "-q", "translate-toolkit", "rapidfuzz"]
    subprocess.run(pip, check=True)


# --------------------------------------------------------------------------- inputs


PAGE_LIMIT: int | None = None  # --limit: only the first N news pages (smoke tests of this script)


def news_pages() -> list[Path]:
    """The corpus pages whose MANIFEST.tsv ``category`` is ``news`` (51 under readability/)."""
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [CORPUS / row["file"] for row in rows if row["category"] == "news"][:PAGE_LIMIT]


def sample_articles() -> list[tuple[str, Path]]:
    """The repo's own articles as ``(slug, path)``: articles/2015/11/x.html -> 2015/11/x.html."""
    base = REPO / "articles"
    return sorted((p.relative_to(base).as_posix(), p) for p in base.rglob("*.html"))


def write_config(root: Path, locales: Sequence[str]) -> None:
    listed = ", ".join(f'"{code}"' for code in locales)
    (root / "pyproject.toml").write_text(f'[tool.l10n]\nsource_locale = "en"\nlocales = [{listed}]\n')


# --------------------------------------------------------------------------- pseudo translation


def fill_ours(locales_dir: Path) -> int:
    """Give every entry of every PO under *locales_dir* its pseudo translation; return entries.

    The msgstr is the msgid with its text upper-cased and its placeholders kept
    (``tests.roundtrip.pseudo_upper``), so every translation is valid and every page is
    built. Files are written with l10n's own GNU gettext layout, as a PO editor would.
    """
    import polib

    from l10n.po.convert import from_polib
    from l10n.po.writer import write
    from tests.roundtrip import pseudo_upper

    entries = 0
    for path in sorted(locales_dir.glob("*/LC_MESSAGES/**/*.po")):
        po = polib.pofile(str(path), wrapwidth=79)
        for entry in po:
            if entry.msgid and not entry.obsolete:
                entry.msgstr = pseudo_upper(entry.msgid)
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
                entries += 1
        path.write_text(write(from_polib(po)), encoding="utf-8")
    return entries


_TTK_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")


def ttk_pseudo(msgid: str) -> str:
    """Upper-case a translate-toolkit msgid outside its inline tags and entities.

    html2po keeps inline markup (``<a href="…">``) and entities (``&amp;``) in msgids;
    both must survive unchanged for po2html to rebuild the page.
    """
    parts = _TTK_MARKUP.split(msgid)
    return "".join(part if index % 2 else part.upper() for index, part in enumerate(parts))


def fill_ttk(po_dir: Path) -> None:
    """Fill every translate-toolkit PO under *po_dir* with :func:`ttk_pseudo` (not timed)."""
    import polib

    for path in po_dir.glob("*.po"):
        if path.stat().st_size == 0:
            continue
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid:
                entry.msgstr = ttk_pseudo(entry.msgid)
        po.save(str(path))


# --------------------------------------------------------------------------- main comparison


@dataclass(slots=True)
class Timing:
    """One contender's run: wall seconds of its extract-like and build-like steps, their CPU
    seconds (user + system, summed over its processes) and the peak RSS of any one process."""

    extract: float
    build: float
    cpu: float
    max_rss_mb: float

    @property
    def total(self) -> float:
        return self.extract + self.build


class Ours:
    """``l10n extract`` (no catalogues) and ``l10n build`` (filled catalogues), both cold.

    Cold: before each timed command the incremental cache (``.l10n-cache``) and the output
    are removed, so every article is segmented, merged, built and written. *jobs* is passed
    as ``--jobs`` when given; by default l10n uses one worker per core.
    """

    def __init__(self, pages: list[Path], workdir: Path, jobs: int | None = None, filled: Path | None = None) -> None:
        self.root = workdir / ("ours" if jobs is None else f"ours-j{jobs}")
        self.options = [] if jobs is None else ["--jobs", str(jobs)]
        (self.root / "articles").mkdir(parents=True)
        for page in pages:
            shutil.copy2(page, self.root / "articles" / page.name)
        write_config(self.root, MAIN_LOCALES)
        if filled is None:
            filled = workdir / "ours-filled-locales"
            first = run_timed([*l10n_command(), "extract"], self.root)
            if first.returncode:
                raise SystemExit(f"l10n extract failed:\n{first.stderr}")
            fill_ours(self.root / "locales")
            shutil.move(self.root / "locales", filled)
        self.filled = filled
        # Per run, per command: (first run, second run with nothing changed), untimed by Timing.
        self.reruns: list[dict[str, tuple[Run, Run]]] = []

    def run(self) -> Timing:
        shutil.rmtree(self.root / "locales", ignore_errors=True)
        shutil.rmtree(self.root / "site", ignore_errors=True)
        clear_cache(self.root)
        extract = run_timed([*l10n_command(), "extract", *self.options], self.root)
        extract_again = run_timed([*l10n_command(), "extract", *self.options], self.root)
        shutil.rmtree(self.root / "locales")
        shutil.copytree(self.filled, self.root / "locales")
        clear_cache(self.root)
        build = run_timed([*l10n_command(), "build", *self.options], self.root)
        build_again = run_timed([*l10n_command(), "build", *self.options], self.root)
        steps = {"extract": extract, "build": build, "extract again": extract_again, "build again": build_again}
        for step, result in steps.items():
            if result.returncode or "skipped" in result.stderr:
                raise SystemExit(f"l10n {step} did not process every page:\n{result.stderr}")
            if step.endswith("again") and ", 0 files written" not in _summary(result):
                raise SystemExit(f"l10n {step} wrote files with nothing changed:\n{result.stderr}")
        self.reruns.append({"extract": (extract, extract_again), "build": (build, build_again)})
        return Timing(
            extract.seconds, build.seconds, extract.cpu + build.cpu, max(extract.max_rss_mb, build.max_rss_mb)
        )


class TranslateToolkit:
    """translate-toolkit's batch CLI: one process per tool and locale over the whole folder.

    Extract-like = ``html2po --pot`` + ``pot2po`` per locale; build-like = ``po2html`` per
    locale. The pseudo fill between them is not timed. A page it *cannot process* is one
    whose POT, PO or output page is missing or empty for any locale (its tools log the
    exception and go on with the other files).
    """

    def __init__(self, pages: list[Path], workdir: Path) -> None:
        self.root = workdir / "ttk"
        (self.root / "pages").mkdir(parents=True)
        for page in pages:
            shutil.copy2(page, self.root / "pages" / page.name)
        self.names = sorted(page.stem for page in pages)
        self.failed: set[str] = set()
        self.errors: list[str] = []

    def _tool(self, *args: str) -> Run:
        result = run_timed([ttk_tool(args[0]), "--progress=none", *args[1:]], self.root)
        self.errors += [line for line in result.stderr.splitlines() if "Error processing" in line]
        if result.returncode:
            self.errors.append(f"{args[0]} exited {result.returncode}")
        return result

    def run(self) -> Timing:
        for folder in self.root.iterdir():
            if folder.name != "pages":
                shutil.rmtree(folder)
        self.errors = []
        steps = [self._tool("html2po", "--pot", "pages", "pot")]
        extract = steps[0].seconds
        for code in MAIN_LOCALES:
            steps.append(self._tool("pot2po", "pot", f"po-{code}"))
            extract += steps[-1].seconds
        build = 0.0
        for code in MAIN_LOCALES:
            fill_ttk(self.root / f"po-{code}")
            steps.append(self._tool("po2html", "-t", "pages", f"po-{code}", f"site-{code}"))
            build += steps[-1].seconds
        self.failed = {name for name in self.names if not self._complete(name)}
        return Timing(extract, build, sum(step.cpu for step in steps), max(step.max_rss_mb for step in steps))

    def _complete(self, name: str) -> bool:
        wanted = [self.root / "pot" / f"{name}.pot"]
        for code in MAIN_LOCALES:
            wanted += [self.root / f"po-{code}" / f"{name}.po", self.root / f"site-{code}" / f"{name}.html"]
        return all(path.exists() and path.stat().st_size > 0 for path in wanted)


class TranslateToolkitPerFile(TranslateToolkit):
    """translate-toolkit's CLI once per page and tool (5 processes per page for 2 locales).

    How a newsroom script calling the tools file by file would run them; mostly measures
    process start-up and imports. Only with ``--ttk-per-file``.
    """

    def run(self) -> Timing:
        for folder in self.root.iterdir():
            if folder.name != "pages":
                shutil.rmtree(folder)
        for name in ["pot", *(f"{kind}-{code}" for kind in ("po", "site") for code in MAIN_LOCALES)]:
            (self.root / name).mkdir()
        self.errors = []
        extract = build = cpu = rss = 0.0
        for name in self.names:
            steps = [self._tool("html2po", "--pot", f"pages/{name}.html", f"pot/{name}.pot")]
            for code in MAIN_LOCALES:
                steps.append(self._tool("pot2po", f"pot/{name}.pot", f"po-{code}/{name}.po"))
            extract += sum(step.seconds for step in steps)
            cpu += sum(step.cpu for step in steps)
            rss = max([rss, *(step.max_rss_mb for step in steps)])
        for code in MAIN_LOCALES:
            fill_ttk(self.root / f"po-{code}")
        for name in self.names:
            for code in MAIN_LOCALES:
                args = ("-t", f"pages/{name}.html", f"po-{code}/{name}.po", f"site-{code}/{name}.html")
                step = self._tool("po2html", *args)
                build += step.seconds
                cpu += step.cpu
                rss = max(rss, step.max_rss_mb)
        self.failed = {name for name in self.names if not self._complete(name)}
        return Timing(extract, build, cpu, rss)


class Floor:
    """The lxml floor, in one child process of the same interpreter (start-up included).

    For each page: read, decode (l10n's decoder), ``document_fromstring`` once, then per
    locale ``document_fromstring`` + ``tostring`` again. Nothing is written. *strict*:
    the same with lxml.etree, from a UTF-8 page's bytes (see floor.py).
    """

    def __init__(self, pages: list[Path], strict: bool = False) -> None:
        self.pages = pages
        self.options = ["--strict"] if strict else []

    def run(self) -> Timing:
        command: list[str | Path] = [
            sys.executable, HERE / "floor.py", *self.options, str(len(MAIN_LOCALES)), *self.pages
        ]  # fmt: skip
        result = run_timed(command, REPO)
        if result.returncode:
            raise SystemExit(f"floor worker failed:\n{result.stderr}")
        return Timing(0.0, result.seconds, result.cpu, result.max_rss_mb)


def source_fingerprint() -> str:
    """A short hash of every module of l10n (subpackages too) and the git HEAD: which code a
    result belongs to."""
    digest = hashlib.sha1()
    for path in sorted((REPO / "l10n").rglob("*.py")):
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    return f"l10n sources {digest.hexdigest()[:10]} (git HEAD {head.stdout.strip() or '?'} plus working tree)"


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def median(values: list[float]) -> float:
    return statistics.median(values)


OURS = "ours (l10n CLI)"
OURS_J1 = "ours (l10n CLI, --jobs 1)"
TTK = "translate-toolkit (batch CLI)"
TTK_FILES = "translate-toolkit (CLI per file)"
FLOOR = "floor (lxml, 1 process)"
FLOOR_STRICT = "floor, strict (etree, UTF-8 bytes)"


def main_comparison(runs: int, per_file: bool, workdir: Path) -> None:
    """Interleave the contenders run by run (noise hits all alike) and print medians."""
    pages = news_pages()
    print(
        f"Main comparison: {len(pages)} news pages x {len(MAIN_LOCALES)} locales ({', '.join(MAIN_LOCALES)}), "
        f"{runs} run(s), {os.cpu_count()} CPUs, load average {_load()}"
    )
    ours_runs = Ours(pages, workdir)
    contenders: dict[str, Callable[[], Timing]] = {OURS: ours_runs.run}
    contenders[OURS_J1] = Ours(pages, workdir, jobs=1, filled=ours_runs.filled).run
    ttk = TranslateToolkit(pages, workdir)
    contenders[TTK] = ttk.run
    ttk_files: TranslateToolkitPerFile | None = None
    if per_file:
        ttk_files = TranslateToolkitPerFile(pages, workdir / "per-file")
        contenders[TTK_FILES] = ttk_files.run
    contenders[FLOOR] = Floor(pages).run
    contenders[FLOOR_STRICT] = Floor(pages, strict=True).run
    results: dict[str, list[Timing]] = {name: [] for name in contenders}
    for index in range(runs):
        for name, contender in contenders.items():
            results[name].append(contender())
        print(f"  run {index + 1}/{runs} done", flush=True)
    table = {
        name: Timing(
            median([t.extract for t in ts]),
            median([t.build for t in ts]),
            median([t.cpu for t in ts]),
            max(t.max_rss_mb for t in ts),
        )
        for name, ts in results.items()
    }
    totals = {name: median([t.total for t in ts]) for name, ts in results.items()}
    print()
    print(f"  {'wall clock, median':34}{'extract':>9}{'build':>9}{'end-to-end':>12}{'CPU':>9}{'peak RSS':>10}")
    for name, timing in table.items():
        floor = name.startswith("floor")
        extract = "-" if floor else f"{timing.extract:.2f}s"
        build = "-" if floor else f"{timing.build:.2f}s"
        print(f"  {name:34}{extract:>9}{build:>9}{totals[name]:11.2f}s{timing.cpu:8.2f}s{timing.max_rss_mb:8.0f}MB")
    ours, floor_total = table[OURS], totals[FLOOR]
    print(f"  {'end-to-end of each run (wall):':34}")
    for name, timings in results.items():
        print(f"    {name:32}" + " ".join(f"{timing.total:6.2f}s" for timing in timings))
    print()
    print(f"  {'ours / floor, end-to-end wall:':60}{totals[OURS] / floor_total:6.2f}x")
    print(f"  {'ours / strict floor, end-to-end wall:':60}{totals[OURS] / totals[FLOOR_STRICT]:6.2f}x")
    print(f"  {'ours / floor, build only wall:':60}{ours.build / floor_total:6.2f}x")
    print(f"  {'ours / floor, CPU:':60}{ours.cpu / table[FLOOR].cpu:6.2f}x")
    print(f"  {'ours --jobs 1 / floor, end-to-end wall:':60}{totals[OURS_J1] / floor_total:6.2f}x")
    for name in (TTK, TTK_FILES):
        if name in table:
            label = f"{name} / ours, end-to-end wall:"
            print(f"  {label:60}{totals[name] / totals[OURS]:6.2f}x  (CPU {table[name].cpu / ours.cpu:.2f}x)")
    print(f"  {'ours, pages per second end-to-end:':60}{len(pages) / totals[OURS]:6.1f}")
    for command in ("extract", "build"):
        pairs = [rerun[command] for rerun in ours_runs.reruns]
        first, again = median([p[0].seconds for p in pairs]), median([p[1].seconds for p in pairs])
        own_first = median([_own_seconds(p[0]) for p in pairs])
        own_again = median([_own_seconds(p[1]) for p in pairs])
        label = f"ours, {command} again with nothing changed / first:"
        print(
            f"  {label:60}{first / again:6.2f}x  wall ({first:.2f}s / {again:.2f}s); "
            f"{own_first / own_again:.0f}x its own time ({own_first:.3f}s / {own_again:.3f}s)"
        )
    print(
        f"  translate-toolkit could not process {len(ttk.failed)} of {len(pages)} pages"
        + (f": {', '.join(sorted(ttk.failed))}" if ttk.failed else "")
    )
    for line in sorted(set(ttk.errors)):
        print(f"    {line.strip()[:160]}")
    print()


# --------------------------------------------------------------------------- scaling


@dataclass(frozen=True, slots=True)
class Archive:
    """The canonical base set: article paths and the filled POT/PO texts for folder c0000."""

    root: Path
    articles: list[str]  # slugs under articles/, all starting with BASE_FOLDER/
    files: dict[str, str]  # path relative to root -> text, for locales/**


def make_base(workdir: Path) -> Archive:
    """Extract the news pages and sample articles once with 4 locales and fill the POs.

    A second extract after the fill brings every file to the exact bytes extract writes,
    so that replicas are up to date and an extract over them writes nothing.
    """
    root = workdir / "base"
    folder = root / "articles" / BASE_FOLDER
    folder.mkdir(parents=True)
    for page in news_pages():
        shutil.copy2(page, folder / page.name)
    for slug, path in sample_articles():
        (folder / slug).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, folder / slug)
    write_config(root, SCALE_LOCALES)
    for step in ("extract", "fill", "extract"):
        if step == "fill":
            fill_ours(root / "locales")
            continue
        result = run_timed([*l10n_command(), step], root)
        if result.returncode:
            raise SystemExit(f"l10n {step} failed on the base archive:\n{result.stderr}")
    articles = sorted(p.relative_to(root / "articles").as_posix() for p in folder.rglob("*.html"))
    files = {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in (root / "locales").rglob("*")
        if p.suffix in (".po", ".pot")
    }
    return Archive(root, articles, files)


def make_archive(base: Archive, size: int, root: Path) -> None:
    """Lay out *size* articles: copy k of the base set goes to articles/c{k:04d}/.

    Articles are hard links to the base copies (same bytes, no disk cost); each POT and
    PO is the base text with ``c0000/`` replaced by the copy's folder, which keeps every
    location reference and header right and the line wrapping identical.
    """
    root.mkdir(parents=True)
    write_config(root, SCALE_LOCALES)
    by_article: dict[str, list[tuple[str, str]]] = {}
    for rel, text in base.files.items():
        stem = rel.split(f"/{BASE_FOLDER}/", 1)[1].rsplit(".", 1)[0]
        by_article.setdefault(stem, []).append((rel, text))
    made_dirs: set[Path] = set()
    for index in range(size):
        copy, slug = divmod(index, len(base.articles))
        folder = f"c{copy:04d}"
        article = base.articles[slug]
        target = root / "articles" / folder / article.split("/", 1)[1]
        _link(base.root / "articles" / article, target, made_dirs)
        stem = article.split("/", 1)[1].rsplit(".", 1)[0]
        for rel, text in by_article[stem]:
            path = root / rel.replace(f"/{BASE_FOLDER}/", f"/{folder}/", 1)
            if path.parent not in made_dirs:
                path.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(path.parent)
            path.write_text(text.replace(f"{BASE_FOLDER}/", f"{folder}/"), encoding="utf-8")


def _link(source: Path, target: Path, made_dirs: set[Path]) -> None:
    if target.parent not in made_dirs:
        target.parent.mkdir(parents=True, exist_ok=True)
        made_dirs.add(target.parent)
    os.link(source, target)


def _summary(result: Run) -> str:
    """The last line l10n prints (``N articles, M files written, ...``)."""
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else ""


def _own_seconds(result: Run) -> float:
    """The command's own time, as its summary line gives it (``... in 0.41 s``): without
    the interpreter's start and the imports."""
    return float(_summary(result).rsplit(" in ", 1)[1].split()[0])


SCALE_STEPS = ("build", "build-warm", "extract-update", "extract-warm", "extract-fresh")
NO_OP_PAIRS = (("build", "build-warm"), ("extract-update", "extract-warm"))  # (first run, same again)


def _scale_step(step: str, root: Path) -> Run:
    """Run one scaling step on the filled archive at *root* (steps run in SCALE_STEPS order).

    ``build``: cold build (no site/, no cache), every page of every locale written.
    ``build-warm``: the same build again, nothing changed (incremental: cache and pages kept).
    ``extract-update``: cold extract over the up-to-date filled catalogues (every article
    segmented, every catalogue read, merged and compared; nothing written).
    ``extract-warm``: the same extract again, nothing changed.
    ``extract-fresh``: cold extract with no locales/ (every POT and PO written); the filled
    catalogues are put back afterwards (not timed).
    """
    command = [*l10n_command(), step.split("-")[0]]
    if step in ("build", "extract-update"):
        shutil.rmtree(root / "site", ignore_errors=True)
        clear_cache(root)
    if step != "extract-fresh":
        return run_timed(command, root, sample_memory=True)
    clear_cache(root)
    shutil.move(root / "locales", root / "locales.filled")
    result = run_timed(command, root, sample_memory=True)
    shutil.rmtree(root / "locales")
    shutil.move(root / "locales.filled", root / "locales")
    return result


def scaling(sizes: list[int], steps: list[str], budget_minutes: float, workdir: Path) -> None:
    """Time each step at each archive size (one run each); sizes over budget are estimated.

    Before a size, its duration is predicted from the largest size run so far (time per
    article, linear) and skipped when it would exceed *budget_minutes*; its row then shows
    that estimate and a memory estimate extrapolated linearly from the two largest sizes.
    """
    print(
        f"Scaling: news pages + sample articles replicated, {len(SCALE_LOCALES)} locales "
        f"({', '.join(SCALE_LOCALES)}), catalogues filled, one run per size, load average {_load()}"
    )
    start = time.perf_counter()
    base = make_base(workdir)
    print(
        f"  base set: {len(base.articles)} articles, {len(base.files)} POT/PO files "
        f"({time.perf_counter() - start:.1f}s to make)",
        flush=True,
    )
    measured: dict[int, dict[str, Run]] = {}
    estimated: dict[int, dict[str, tuple[float, float]]] = {}
    for size in sorted(sizes):
        if measured and budget_minutes > 0:
            largest = max(measured)
            guess = {step: run.seconds / largest * size for step, run in measured[largest].items()}
            if sum(guess.values()) > budget_minutes * 60:
                estimated[size] = {step: (guess[step], _rss_estimate(measured, step, size)) for step in steps}
                minutes = sum(guess.values()) / 60
                print(f"  {size} articles: skipped, estimated {minutes:.1f} min > budget {budget_minutes:g} min")
                continue
        root = workdir / f"archive-{size}"
        start = time.perf_counter()
        make_archive(base, size, root)
        print(f"  {size} articles: archive generated in {time.perf_counter() - start:.1f}s", flush=True)
        measured[size] = {}
        for step in steps:
            result = _scale_step(step, root)
            measured[size][step] = result
            print(f"    {step:15}{result.seconds:8.1f}s  {_summary(result)}", flush=True)
            if result.returncode:
                print(f"    {step} exited {result.returncode}: {result.stderr.strip()[-300:]}")
        shutil.rmtree(root)
    print()
    header = f"{'wall':>10}{'per article':>13}{'CPU':>10}{'largest RSS':>13}{'tree PSS':>10}"
    print(f"  {'articles':>9}  {'command':16}{header}")
    for size in sorted(sizes):
        for step in steps:
            if size in measured:
                run = measured[size][step]
                per = run.seconds / size * 1000
                memory = f"{run.max_rss_mb:11.0f}MB{run.tree_pss_mb:8.0f}MB"
                print(f"  {size:9}  {step:16}{run.seconds:9.1f}s{per:10.1f} ms{run.cpu:9.1f}s{memory}")
            else:
                seconds, rss = estimated[size][step]
                per = seconds / size * 1000
                print(f"  {size:9}  {step:16}{seconds:9.0f}s{per:10.1f} ms{'':>10}{'':>13}{rss:8.0f}MB  (estimated)")
    for size in sorted(measured):
        ran = measured[size]
        pairs = [(first, again) for first, again in NO_OP_PAIRS if first in ran and again in ran]
        if pairs:
            ratios = ", ".join(
                f"{again} {ran[first].seconds / ran[again].seconds:.0f}x faster than {first}" for first, again in pairs
            )
            print(f"  {size:9}  nothing changed: {ratios}")
    print(f"  load average now {_load()}")
    print()


def _rss_estimate(measured: dict[int, dict[str, Run]], step: str, size: int) -> float:
    """Peak tree PSS at *size* by linear extrapolation from the two largest measured sizes."""
    sizes = sorted(measured)
    if len(sizes) < 2:
        return measured[sizes[-1]][step].tree_pss_mb
    small, large = sizes[-2], sizes[-1]
    low, high = measured[small][step].tree_pss_mb, measured[large][step].tree_pss_mb
    return high + (high - low) / (large - small) * (size - large)


# --------------------------------------------------------------------------- profile


def profile(workdir: Path, top: int) -> None:
    """cProfile of ``l10n build`` (filled catalogues) and of ``l10n extract`` (fresh, then
    over the filled catalogues) on the news pages with fr and es, in a child process."""
    ours = Ours(news_pages(), workdir)
    shutil.copytree(ours.filled, ours.root / "locales")
    runs = [("build", "l10n build, filled catalogues"), ("extract", "l10n extract, up-to-date catalogues")]
    runs.append(("extract", "l10n extract, no catalogues (fresh)"))
    for index, (command, title) in enumerate(runs):
        clear_cache(ours.root)
        if index == 2:
            shutil.rmtree(ours.root / "locales")
        worker = [sys.executable, __file__, "--profile-worker", command, str(top)]
        result = subprocess.run(worker, cwd=ours.root, capture_output=True, text=True)
        print(f"cProfile of {title}, --jobs 1, cold ({len(news_pages())} news pages, fr + es)")
        print(result.stdout)
        if result.returncode:
            print(result.stderr)


def profile_worker(command: str, top: int) -> None:
    """Body of the profiled process: the CLI's ``command`` in this directory under cProfile."""
    import cProfile
    import pstats

    from l10n.cli import run

    sys.argv = ["l10n", command, "--jobs", "1"]
    profiler = cProfile.Profile()
    profiler.enable()
    with contextlib.suppress(SystemExit):
        run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = [
        (total, inner, calls, _where(file, line, function))
        for (file, line, function), (_, calls, inner, total, _) in stats.stats.items()  # type: ignore[attr-defined]
    ]
    print(f"  {sum(row[1] for row in rows):.2f} s profiled; top {top} by cumulative time (CLI wrappers left out):")
    print(f"  {'cumulative':>10} {'own':>7} {'calls':>9}  function")
    wrappers = ("typer/", "click/", "l10n/cli.py", "builtins.exec", "contextlib.py")
    shown = [row for row in rows if not any(part in row[3] for part in wrappers)]
    for total, inner, calls, where in sorted(shown, reverse=True)[:top]:
        print(f"  {total:9.2f}s {inner:6.2f}s {calls:9}  {where}")
    print(f"  top {top} by own time:")
    for total, inner, calls, where in sorted(rows, key=lambda row: row[1], reverse=True)[:top]:
        print(f"  {total:9.2f}s {inner:6.2f}s {calls:9}  {where}")


def _where(file: str, line: int, function: str) -> str:
    """``l10n/segment.py:378(container)``, ``lxml/html/__init__.py:…``, or a built-in's name."""
    if file == "~":
        return function
    for marker in ("/site-packages/", f"{REPO}/", "/lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{file}:{line}({function})"


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the main comparison (median reported)")
    parser.add_argument("--quick", action="store_true", help="smoke test: 1 run, scaling at 200 articles only")
    parser.add_argument("--scale", default="200,2000", help="archive sizes for the scaling run ('' to skip)")
    parser.add_argument("--skip-main", action="store_true", help="only the scaling run")
    parser.add_argument("--ttk-per-file", action="store_true", help="also time translate-toolkit's CLI per page")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP", help="also cProfile build and extract")
    parser.add_argument(
        "--scale-steps", default=",".join(SCALE_STEPS), help=f"scaling steps among {', '.join(SCALE_STEPS)}"
    )
    parser.add_argument(
        "--budget", type=float, default=20, help="minutes a scaling size may take; larger ones are estimated (0: none)"
    )
    parser.add_argument("--workdir", type=Path, help="where to make the temporary projects (default: a temp dir)")
    parser.add_argument("--profile-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help="only the first N news pages (to test this script quickly)")
    args = parser.parse_args(argv)
    global PAGE_LIMIT
    PAGE_LIMIT = args.limit
    compile_l10n()
    if args.profile_worker:
        profile_worker(args.profile_worker[0], int(args.profile_worker[1]))
        return
    runs = 1 if args.quick else args.runs
    sizes = [200] if args.quick else [int(size) for size in args.scale.split(",") if size.strip()]
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    fingerprint = source_fingerprint()
    print(f"{fingerprint}, {time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    print(f"Python {sys.version.split()[0]} from {sys.base_prefix} (every contender runs on it)", flush=True)
    with tempfile.TemporaryDirectory(prefix="l10n-bench-", dir=args.workdir) as temporary:
        workdir = Path(temporary)
        if not args.skip_main:
            ensure_ttk()
            main_comparison(runs, args.ttk_per_file, workdir / "main")
        if args.profile:
            profile(workdir / "profile", args.profile)
        if sizes:
            steps = [step for step in args.scale_steps.split(",") if step]
            unknown = set(steps) - set(SCALE_STEPS)
            if unknown:
                parser.error(f"unknown --scale-steps: {', '.join(sorted(unknown))}")
            scaling(sizes, steps, args.budget, workdir / "scale")
    if source_fingerprint() != fingerprint:
        print(f"WARNING: l10n changed during the run: now {source_fingerprint()}")


if __name__ == "__main__":
    main()
