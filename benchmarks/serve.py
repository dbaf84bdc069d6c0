"""Benchmark ``l10n serve`` (issue 16, item 6): a preview of the largest corpus page and
the dashboard of a 2,000-article project. Never a timed test: figures to read.

    PYTHONPATH=. .venv/bin/python benchmarks/serve.py [--articles 2000] [--runs 20]

* preview: the largest page of ``../shared/corpus/readability`` as an article, extracted,
  its French catalogue filled (each msgstr its msgid, valid), rendered in memory
  (``previewing.render``, the article kept read as the server keeps it) plain and outlined;
  median of *runs* after the first (each made anew, as after a catalogue is saved);
* dashboard: the sample project's three articles and catalogues copied into folders up to
  *articles* articles (four locales), extracted (``-j 2``); the dashboard page made
  (``Desk.dashboard``: status rows, published states, HTML) by a server started after the
  extract, then again (median of 5), then after a catalogue is saved each time (median of
  5), then by a server started after those saves; and ``l10n status`` once; then, after a
  build (``-j 2``), by a new server (first load) and again (median of 5).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polib

from l10n import project
from l10n.project import paths, previewing

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "readability"


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # the first: imports, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def preview_figures(folder: Path, runs: int) -> None:
    pages = sorted(CORPUS.glob("*.html"), key=lambda page: page.stat().st_size)
    if not pages:
        print("preview: no corpus beside the repository (../shared/corpus): skipped")
        return
    page = pages[-1]
    root = folder / "preview"
    (root / "articles").mkdir(parents=True)
    shutil.copy(page, root / "articles" / page.name)
    (root / "l10n.toml").write_text('[tool.l10n]\nsource_locale = "en"\nlocales = ["fr"]\n', encoding="utf-8")
    proj = project.open_project(root)
    project.extract(proj, [], lambda error: None)
    catalogue = proj.catalog_path(proj.config.locales[0], page.name)
    po = polib.pofile(str(catalogue))
    for entry in po:
        entry.msgstr = entry.msgid
    po.save()
    slugs = paths.distinct_slugs(proj)
    locale = proj.config.locales[0]
    walked = previewing.Walked()  # as the server keeps its articles read while unchanged
    plain = median_ms(lambda: previewing.render(proj, locale, page.name, slugs, False, walked), runs)
    outlined = median_ms(lambda: previewing.render(proj, locale, page.name, slugs, True, walked), runs)
    size = page.stat().st_size // 1024
    print(f"preview of {page.name} ({size} KiB, {len(po)} units): {plain:.1f} ms plain, {outlined:.1f} ms outlined")


def desk_project(root: Path, articles: int) -> Path:
    """The sample project's three articles and catalogues copied into folders up to
    *articles* articles (four locales), in *root*."""
    root.mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    samples = sorted((REPO / "articles").rglob("*.html"))
    for number in range(articles):
        sample = samples[number % len(samples)]
        below = sample.relative_to(REPO / "articles")
        name = Path(f"n{number // len(samples):04d}") / below
        (root / "articles" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(sample, root / "articles" / name)
        stem = below.with_suffix("")
        for source in (REPO / "locales").glob(f"*/*/{stem}.po*"):
            # locales/<lang>/LC_MESSAGES/<stem>.po
            target = root / "locales" / source.parts[-3 - len(stem.parts) + 1] / "LC_MESSAGES" / name.with_suffix(".po")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
        template = REPO / "locales" / "templates" / stem.with_suffix(".pot")
        target = root / "locales" / "templates" / name.with_suffix(".pot")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(template, target)
    (root / "articles" / "media").mkdir(exist_ok=True)
    return root


def first_load_ms(root: Path) -> float:
    """The first dashboard of a server started now (a new Desk: nothing in its memory)."""
    from l10n.project.serving import Desk  # the serve extra

    desk = Desk(project.open_project(root))
    started = time.perf_counter()
    desk.dashboard()
    return 1000 * (time.perf_counter() - started)


def dashboard_figures(folder: Path, articles: int) -> None:
    from l10n.project.serving import Desk  # the serve extra

    root = desk_project(folder / "dashboard", articles)
    proj = project.open_project(root)
    started = time.perf_counter()
    project.extract(proj, [], lambda error: None, jobs=2)
    extracted = time.perf_counter() - started
    cold = first_load_ms(root)
    desk = Desk(proj)
    made = median_ms(desk.dashboard, 5)
    touched = next((root / "locales" / "fr" / "LC_MESSAGES").rglob("*.po"))

    def one_saved() -> None:
        touched.write_bytes(touched.read_bytes() + b"\n")  # a translator's save: one row counted again
        desk.dashboard()

    saved = median_ms(one_saved, 5)
    cold_saved = first_load_ms(root)  # a server started after the saves: that catalogue counted again
    started = time.perf_counter()
    project.status(proj, [])
    status = 1000 * (time.perf_counter() - started)
    rows = 4 * articles
    print(
        f"dashboard of {articles:,} articles ({rows:,} cells), after extract ({extracted:.1f} s):"
        f" first load {cold:.0f} ms, then {made:.0f} ms, {saved:.0f} ms after a catalogue is saved;"
        f" first load after that save {cold_saved:.0f} ms; l10n status {status:.0f} ms"
    )
    started = time.perf_counter()
    project.build(proj, [], None, lambda error: None, jobs=2)
    built = time.perf_counter() - started
    cold_built = first_load_ms(root)  # every page published: 8,000 pages stated, 8,000 outcomes read
    desk = Desk(proj)
    made_built = median_ms(desk.dashboard, 5)
    print(
        f"dashboard after a build ({built:.1f} s; every page published, the build's outcomes read):"
        f" first load {cold_built:.0f} ms, then {made_built:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        preview_figures(Path(folder), options.runs)
        dashboard_figures(Path(folder), options.articles)


if __name__ == "__main__":
    main()
