"""Units per second of ``l10n pretranslate`` against a local LibreTranslate stand-in.

Run from the repository's root with the package's virtualenv::

    .venv/bin/python benchmarks/pretranslate.py [--runs 5] [--copies 20]

The sample project's three articles are copied *copies* times (``--copies 20``: 60
articles), German catalogues are extracted once, and each run pretranslates them all
from freshly restored (empty) catalogues through the real HTTP client against the fake
server of tests/fake_engines.py on 127.0.0.1, which answers at once: what is measured is
our side (reading, protecting, one request an article, validating, writing atomically),
not an engine's translation time. Prints the median of the runs in units per second.

Last measured (2 cores shared, 2026-12, --runs 5 --copies 20): 4,814 units/s, 60 articles
(2,540 units) in 0.53 s a run.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from l10n.project import open_project  # noqa: E402
from l10n.project.pretranslating import engine_for, pretranslate  # noqa: E402
from tests.conftest import copy_sample, invoke  # noqa: E402
from tests.fake_engines import Fake, serving  # noqa: E402


def _project(root: Path, copies: int) -> Path:
    copy_sample(root)
    articles = root / "articles"
    originals = [path for path in articles.rglob("*.html") if "media" not in path.parts]
    for copy in range(1, copies):
        for path in originals:
            target = articles / f"copy{copy}" / path.relative_to(articles)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    result = invoke(root, "extract", "-l", "de")
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, serving(Fake("libretranslate")) as fake:
        root = _project(Path(folder), args.copies)
        empty = Path(folder, "empty-de")
        shutil.copytree(root / "locales/de", empty)
        project = open_project(root)
        rates = []
        for _ in range(args.runs):
            shutil.rmtree(root / "locales/de")
            shutil.copytree(empty, root / "locales/de")
            fake.requests.clear()
            engine = engine_for("libretranslate", fake.url, lambda error: print(error, file=sys.stderr))
            started = time.perf_counter()
            result = pretranslate(project, "de", engine, lambda error: print(error, file=sys.stderr))
            seconds = time.perf_counter() - started
            assert result.errors == 0 and len(fake.posts()) == result.articles
            rates.append(result.filled / seconds)
            print(f"run: {result.filled} units, {result.articles} articles, {seconds:.3f} s", file=sys.stderr)
    print(
        f"pretranslate: {statistics.median(rates):,.0f} units/s (median of {args.runs} runs;"
        f" {result.articles} articles, {result.filled} units, one request an article)"
    )


if __name__ == "__main__":
    main()
