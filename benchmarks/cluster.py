"""Archive scale: one process vs the fork pool vs a Dask LocalCluster, with memory per worker.

Run from the repository root with the package's virtualenv (and the dask extra)::

    .venv/bin/python benchmarks/cluster.py [--articles 10000] [--runs 3] [--workers 2]
    .venv/bin/python benchmarks/cluster.py --sizes 10000 --modes "fork pool" --runs 1   # one size, one way

A generated archive (tests/archive.py: variants of the sample articles, translation
memory filling the variants' catalogues) of N articles and, to show memory flat in
archive size, of N/5, with 4 locales (fr, es, fa, zh_Hans). For each size and each way of
running, the full pipeline (``l10n extract`` then ``l10n build``, from a fresh copy of the
archive, no store) is timed by wall clock (median of --runs), and the peak RSS (VmHWM) of
the main process and of each worker process is sampled from /proc, with each worker's
peak own memory (USS: its private pages, from smaps_rollup). A forked worker's RSS also
counts the pages it still shares with the main process that forked it (whatever the main
process held then), so its own memory is what tells whether a worker grows with the archive. Then a no-op rebuild
(``l10n build`` again, nothing changed) is timed five times or more (median), on the fork
pool's result. The
machine's load average is printed with the table: runs on a shared machine vary.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # tests.archive, and the l10n under test

from tests.archive import make_archive  # noqa: E402

LOCALES = ("fr", "es", "fa", "zh_Hans")


@dataclass(frozen=True, slots=True)
class Measure:
    seconds: float
    main_kib: int  # peak RSS of the l10n process
    worker_kib: int  # the largest peak RSS of its worker processes (0: none)
    worker_own_kib: int  # the largest peak own memory (USS) of its worker processes (0: none)
    main_cpu: float  # CPU seconds of the l10n process itself: the part no worker can take


def _children(pid: int) -> list[int]:
    """Every descendant of *pid* (a child is listed under the thread that started it)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found + [grandchild for child in found for grandchild in _children(child)]


def _peak_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _own_kib(pid: int) -> int:
    """The pages *pid* does not share with any other process (USS), in KiB."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return sum(int(line.split()[1]) for line in rollup if line.startswith(("Private_Clean:", "Private_Dirty:")))
    except (OSError, ValueError):
        return 0


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def run(args: list[str], root: Path) -> Measure:
    """Run ``l10n ARGS`` in *root*; its wall time and the peak RSS of it and its workers."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1446541920"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "l10n", *args], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peaks: dict[int, int] = {}
    own: dict[int, int] = {}  # of the workers
    cpu = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            cpu[0] = max(cpu[0], _cpu_seconds(process.pid))
            for pid in (process.pid, *_children(process.pid)):
                peaks[pid] = max(peaks.get(pid, 0), _peak_kib(pid))
                if pid != process.pid:
                    own[pid] = max(own.get(pid, 0), _own_kib(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):  # 1: warnings of the sample articles are fine, errors are counted
        raise SystemExit(f"l10n {' '.join(args)} failed:\n{err.decode()[-2000:]}")
    workers = [kib for pid, kib in peaks.items() if pid != process.pid]
    return Measure(seconds, peaks.get(process.pid, 0), max(workers, default=0), max(own.values(), default=0), cpu[0])


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table: an archive size, a way of running, and what was measured."""

    size: int
    mode: str
    measure: Measure  # median seconds and main CPU of the runs, the largest peaks of any run


def _summed(measures: list[Measure]) -> Measure:
    return Measure(
        statistics.median(m.seconds for m in measures),
        max(m.main_kib for m in measures),
        max(m.worker_kib for m in measures),
        max(m.worker_own_kib for m in measures),
        statistics.median(m.main_cpu for m in measures),
    )


MODES = {
    "one process": ["--jobs", "1"],
    "fork pool": ["--jobs", "{workers}"],
    "LocalCluster": ["--jobs", "{workers}", "--scheduler", "local"],
}


def pipeline(archive: Path, work: Path, options: list[str]) -> tuple[Measure, Path]:
    """extract then build on a fresh copy (hard links: every write is a rename)."""
    root = work / "run"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(archive, root, copy_function=os.link)
    extract = run(["extract", *options], root)
    build = run(["build", *options], root)
    total = Measure(
        extract.seconds + build.seconds,
        max(extract.main_kib, build.main_kib),
        max(extract.worker_kib, build.worker_kib),
        max(extract.worker_own_kib, build.worker_own_kib),
        extract.main_cpu + build.main_cpu,
    )
    return total, root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--sizes", default="", help="archive sizes, comma-separated (default: N/5 and N)")
    parser.add_argument("--modes", default=",".join(MODES), help="which ways to run, comma-separated")
    options = parser.parse_args()
    work = Path(options.workdir or tempfile.mkdtemp(prefix="l10n-cluster-"))
    rows: list[Row] = []
    no_op: dict[int, tuple[float, str]] = {}
    sizes = [int(size) for size in options.sizes.split(",")] if options.sizes else []
    modes = {mode: MODES[mode] for mode in options.modes.split(",")}
    for size in sizes or (max(10, options.articles // 5), options.articles):
        archive = make_archive(work / f"archive-{size}", size, LOCALES, min_percent=50)
        for mode, template in modes.items():
            args = [part.format(workers=options.workers) for part in template]
            measures = []
            for _ in range(options.runs):
                measure, root = pipeline(archive, work, args)
                measures.append(measure)
                print(f"  {size} articles, {mode}: {measure.seconds:.1f} s", file=sys.stderr, flush=True)
            rows.append(Row(size, mode, _summed(measures)))
            if mode == "fork pool":
                again = [run(["build", *args], root) for _ in range(max(5, options.runs))]
                summary = subprocess.run(
                    [sys.executable, "-m", "l10n", "build", *args], cwd=root, capture_output=True, text=True,
                    env={**os.environ, "PYTHONPATH": str(REPO)},
                ).stderr.strip().splitlines()[-1]  # fmt: skip
                no_op[size] = (statistics.median(m.seconds for m in again), summary)
        shutil.rmtree(archive)
    shutil.rmtree(work / "run", ignore_errors=True)
    print(f"\n{len(LOCALES)} locales, {options.workers} workers, medians of {options.runs} run(s);"
          f" load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")  # fmt: skip
    print(
        f"{'articles':>8}  {'how':<13} {'extract+build':>13} {'ms/article':>10} {'main RSS':>9} {'worker RSS':>10}"
        f" {'worker own':>10} {'main CPU':>9}"
    )
    for row in rows:
        m = row.measure
        worker = f"{m.worker_kib / 1024:.0f} MiB" if m.worker_kib else "-"
        own = f"{m.worker_own_kib / 1024:.0f} MiB" if m.worker_own_kib else "-"
        print(
            f"{row.size:>8}  {row.mode:<13} {m.seconds:>11.1f} s {1000 * m.seconds / row.size:>10.1f}"
            f" {m.main_kib / 1024:>5.0f} MiB {worker:>10} {own:>10} {m.main_cpu:>7.1f} s"
        )
    for size, (seconds, summary) in no_op.items():
        print(f"no-op rebuild of {size} articles (fork pool): {seconds:.2f} s wall; l10n says: {summary}")


if __name__ == "__main__":  # the LocalCluster's workers are spawned: they import this file again
    main()
