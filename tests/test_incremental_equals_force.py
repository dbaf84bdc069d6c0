"""An incremental build equals a forced one, whatever happened since the last build
(issue 10, item 12).

After each step of a random sequence of edits, additions, removals, renames and
translations, the project is extracted and built incrementally; a copy of it (run
store included, so both know the same published pages) is built with ``--force``.
The two ``site/`` folders must hold the same files, byte for byte.
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from l10n import project
from l10n.errors import L10nError, L10nWarning

NAMES = ("a.html", "b.html", "news/c.html", "news/d.html", "news/deep/e.html")


def page(name: str, links: list[str], version: int) -> str:
    folder = posixpath.dirname(name)
    anchors = "".join(
        f'<li><a href="{posixpath.relpath(target, folder or ".")}">Read the story {target}</a></li>' for target in links
    )
    return (
        f"<html><head><title>Story {name}</title></head><body><h1>Headline of {name}</h1>"
        f"<p>Paragraph version {version} of the story.</p><ul>{anchors}</ul></body></html>"
    )


def write(root: Path, name: str, text: str) -> None:
    path = root / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def translate(root: Path, name: str) -> None:
    path = root / "locales" / "fr" / "LC_MESSAGES" / (name.rsplit(".", 1)[0] + ".po")
    if not path.exists():
        return
    po = polib.pofile(str(path))
    for entry in po:
        if not entry.obsolete:
            entry.msgstr = "FR " + entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(str(path))


def site(root: Path) -> dict[str, bytes]:
    folder = root / "site"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, force: bool = False) -> list[str]:
    """Extract and build; no error, and the warnings the build gave (a renamed article's
    relative link may name a file that does not exist)."""
    problems: list[L10nError] = []
    proj = project.open_project(root)
    project.extract(proj, [], problems.append, jobs=1)
    project.build(proj, [], None, problems.append, jobs=1, force=force)
    assert [problem for problem in problems if not isinstance(problem, L10nWarning)] == []
    return sorted(str(problem) for problem in problems)


def check(root: Path, scratch: Path) -> None:
    said = run(root)
    # The same folder name: a feed names the site by its folder when no page names it.
    twin = scratch / root.name
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(root, twin, symlinks=True)
    assert run(twin, force=True) == said  # an incremental run warns as a forced one does
    assert site(root) == site(twin)


Step = tuple[str, int, int, tuple[int, ...]]
steps = st.lists(
    st.tuples(
        st.sampled_from(["edit", "add", "remove", "rename", "translate"]),
        st.integers(0, len(NAMES) - 1),
        st.integers(0, len(NAMES) - 1),
        st.lists(st.integers(0, len(NAMES) - 1), max_size=3).map(tuple),
    ),
    min_size=1,
    max_size=7,
)


@pytest.mark.slow
@settings(max_examples=30)
@given(steps)
# A renamed article whose relative link now names a file that does not exist (../a.html
# from news/): a warning in both runs, and the same pages.
@example([("add", 4, 0, (0,)), ("rename", 4, 2, ())])
def test_an_incremental_build_equals_a_forced_one_after_any_sequence_of_changes(sequence: list[Step]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root, scratch = Path(folder) / "project", Path(folder) / "scratch"
        scratch.mkdir()
        write(root, "a.html", page("a.html", ["b.html"], 0))
        write(root, "b.html", page("b.html", ["news/c.html"], 0))
        (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
        live = {"a.html": 0, "b.html": 0}
        check(root, scratch)
        for action, first, second, linked in sequence:
            name, other = NAMES[first], NAMES[second]
            links = [NAMES[index] for index in linked if NAMES[index] != name]
            if action == "add" and name not in live:
                live[name] = 0
                write(root, name, page(name, links, 0))
            elif action == "edit" and name in live:
                live[name] += 1
                write(root, name, page(name, links, live[name]))
            elif action == "remove" and name in live and len(live) > 1:
                del live[name]
                (root / "articles" / name).unlink()
            elif action == "rename" and name in live and other not in live:
                live[other] = live.pop(name)
                target = root / "articles" / other
                target.parent.mkdir(parents=True, exist_ok=True)
                (root / "articles" / name).rename(target)
            elif action == "translate" and name in live:
                translate(root, name)
            check(root, scratch)


def test_adding_an_article_that_others_link_to_rebuilds_them(tmp_path: Path) -> None:
    root = tmp_path / "project"
    write(root, "a.html", page("a.html", ["b.html"], 0))
    (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    run(root)
    translate(root, "a.html")
    run(root)
    assert 'href="../../articles/b.html"' in (root / "site" / "fr" / "a.html").read_text(encoding="utf-8")
    write(root, "b.html", page("b.html", [], 0))
    run(root)
    assert 'href="../en/b.html"' in (root / "site" / "fr" / "a.html").read_text(encoding="utf-8")
    translate(root, "b.html")
    run(root)
    assert 'href="b.html"' in (root / "site" / "fr" / "a.html").read_text(encoding="utf-8")
