"""A generated archive: the sample project with many variants of its three articles.

Each variant sits beside its original (``2015/11/calais-migrant-camp-v0007.html``), so
its images and links resolve as the original's do; its title and a few paragraphs differ
(a dispatch number, a changed word), the rest is the original's text. The originals keep
their translated catalogues and the variants have none: a first ``extract`` fills the
variants' catalogues from translation memory (exact and near matches), which is the
order-dependent work a parallel run must do exactly as one process does.
Used by tests/test_cluster.py and benchmarks/cluster.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PARAGRAPH = re.compile(r"(<p\b[^>]*>)([^<]{20,})")


def make_archive(root: Path, articles: int, locales: tuple[str, ...] | None = None, min_percent: int = 50) -> Path:
    """Lay out a project of *articles* articles in *root* (the three originals included),
    with the sample's catalogues; *locales* replaces the configured ones when given. A page
    is published from *min_percent* (variants are partly translated). Returns *root*."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "articles", root / "articles")
    shutil.copytree(REPO / "locales", root / "locales", ignore=shutil.ignore_patterns(".l10n.lock"))
    config = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    table = config[config.index("[tool.l10n]") :].split("\n\n[", 1)[0]
    table = re.sub(r"(?m)^min_percent = .*$", f"min_percent = {min_percent}", table)
    if locales is not None:
        table = re.sub(r"(?m)^locales = .*$", f"locales = {list(locales)!r}".replace("'", '"'), table)
        table = re.sub(r"(?m)^calendars = .*$", "", table)
        for folder in (root / "locales").iterdir():
            if folder.is_dir() and folder.name not in {*locales, "templates"}:
                shutil.rmtree(folder)
    (root / "pyproject.toml").write_text(table + "\n", encoding="utf-8")
    originals = sorted((root / "articles").glob("2015/*/*.html"))
    for number in range(articles - len(originals)):
        source = originals[number % len(originals)]
        target = source.with_name(f"{source.stem}-v{number:04d}.html")
        target.write_text(variant(source.read_text(encoding="utf-8"), number), encoding="utf-8")
    return root


def variant(html: str, number: int) -> str:
    """An article's text with its title numbered, its first paragraph opened by a dispatch
    line, and one paragraph in three given another weekday (exact and near matches for
    translation memory; some units new)."""
    html = html.replace("</title>", f" ({number})</title>", 1)
    seen = 0

    def change(match: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        text = match.group(2)
        if seen == 1:
            return f"{match.group(1)}Dispatch {number}. {text}"
        if (seen + number) % 3 == 0:
            return match.group(1) + re.sub(r"\bthe\b", WORDS[number % len(WORDS)], text, count=1)
        return match.group(0)

    return _PARAGRAPH.sub(change, html)
