"""How fast a Python interpreter runs Python code, next to another: why l10n's ratio to the
lxml floor depends on the interpreter while the floor's time does not.

Usage: ``python benchmarks/interpreter.py PYTHON [PYTHON ...]`` (each a venv's python with
l10n installed, or any interpreter for the first two rows). For each, side by side and in
turn: how it was configured (``--enable-optimizations`` is profile-guided optimisation,
``--with-lto`` link-time optimisation), the best of five runs of a loop of dictionary and
string work, and the median of 25 starts of ``python -c "import l10n.cli"`` (start-up and
imports, which each l10n command pays). A distribution's build may be optimised without
saying so in its configure arguments (Debian's does not list them): the timings tell.
"""

import statistics
import subprocess
import sys
import time

_CONFIG = "import sysconfig; print(sysconfig.get_config_var('CONFIG_ARGS') or '')"
_LOOP = """
import time
def work():
    counts = {}
    for i in range(2_000_000):
        counts[i & 1023] = counts.get(i & 1023, 0) + len(str(i))
times = []
for _ in range(5):
    start = time.perf_counter(); work(); times.append(time.perf_counter() - start)
print(min(times))
"""


def _output(python: str, code: str) -> str:
    return subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def _import_seconds(python: str, runs: int) -> float | None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        if subprocess.run([python, "-c", "import l10n.cli"], capture_output=True).returncode:
            return None  # no l10n in that interpreter
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(pythons: list[str]) -> None:
    for python in pythons:
        version = _output(python, "import sys; print(sys.version.split()[0], sys.base_prefix)")
        config = _output(python, _CONFIG)
        flags = [flag for flag in ("--enable-optimizations", "--with-lto", "--enable-shared") if flag in config]
        loop = float(_output(python, _LOOP))
        imported = _import_seconds(python, 25)
        startup = "no l10n" if imported is None else f"{imported * 1000:.0f} ms"
        print(f"{python}: Python {version}; configured with {', '.join(flags) or 'none of the optimisations'}")
        print(f"    loop (best of 5): {loop:.3f} s    import l10n.cli (median of 25 starts): {startup}")


if __name__ == "__main__":
    main(sys.argv[1:] or [sys.executable])
