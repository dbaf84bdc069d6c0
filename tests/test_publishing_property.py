"""Whatever a translator writes into any PO, the published pages never shrink and no page
gains an element or attribute its source does not have (issue 11).

A project is built once with every page published; then hypothesis plays a translator
at random: new msgstrs drawn from placeholders, markup, quotes and control characters,
fuzzy flags, emptied entries, files cut short, lines of garbage, files deleted. After
each step the project is built again and checked: every page published before is still
there, and each page, read by an HTML5 parser (html5lib), has the elements and
attribute names of the source-locale page, but for the ``lang``/``dir`` marks of units
left in the source language and the ``og:locale`` a translated page gets.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import html5lib
import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n import project
from l10n.errors import L10nError

STORY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The camp</title>
<meta name="description" content="Water points in the camp">
<meta property="og:title" content="The camp">
</head><body>
<h1>The camp</h1>
<p>The <a href="https://example.com/court">court</a> in <em>Lille</em> ordered new water points.</p>
<noscript><img src="x.png" alt="A photo of the camp"></noscript>
<p>A vote follows <time datetime="2015-11-24">next week</time>.<br>Schools close.</p>
<p title="A note">Read <a href="other.html">the other story</a>.</p>
</body></html>
"""
OTHER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The port</title></head><body>
<p>Back to <a href="story.html">the camp</a>.</p>
</body></html>
"""
LOCALES = ("fr", "fa")
PIECES = [
    "<a1>", "</a1>", "<em2>", "</em2>", "<br3/>", "<time2/>", "<a1/>", "<b>", "</b>", "<script>alert(1)</script>",
    "</noscript><img src=x onerror=alert(1)>", '" onmouseover="x', "'", "&amp;", "&lt;", "<!--", "-->", "<![CDATA[",
    "\x0b", "\x00", "\ufffe", "\ud800", "\u2028", "\\", "mot", " ", "é", "ب",
]  # fmt: skip


def translation() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


step = st.one_of(
    st.tuples(st.just("translate"), st.sampled_from(LOCALES), st.integers(0, 30), translation()),
    st.tuples(st.just("fuzzy"), st.sampled_from(LOCALES), st.integers(0, 30), st.just("")),
    st.tuples(st.just("empty"), st.sampled_from(LOCALES), st.integers(0, 30), st.just("")),
    st.tuples(st.just("cut"), st.sampled_from(LOCALES), st.integers(0, 4000), st.just("")),
    st.tuples(
        st.just("garbage"), st.sampled_from(LOCALES), st.integers(0, 200), st.sampled_from(['msgid "', "x", "#~"])
    ),
    st.tuples(st.just("delete"), st.sampled_from(LOCALES), st.just(0), st.just("")),
    st.tuples(st.just("restore"), st.sampled_from(LOCALES), st.just(0), st.just("")),
)


def catalogue(root: Path, code: str) -> Path:
    return root / "locales" / code / "LC_MESSAGES" / "story.po"


def act(root: Path, saved: dict[str, bytes], action: str, code: str, number: int, text: str) -> None:
    path = catalogue(root, code)
    if action == "restore":
        path.write_bytes(saved[code])
        return
    if action == "delete":
        path.unlink(missing_ok=True)
        return
    if not path.exists():
        return
    data = path.read_bytes()
    if action == "cut":
        path.write_bytes(data[: number % (len(data) + 1)])
        return
    if action == "garbage":
        lines = data.split(b"\n")
        lines.insert(number % (len(lines) + 1), text.encode())
        path.write_bytes(b"\n".join(lines))
        return
    try:
        po = polib.pofile(str(path))
    except (OSError, ValueError, UnicodeError):
        return  # a damaged file: a PO editor would not open it either
    entries = [entry for entry in po if not entry.obsolete]
    if not entries:
        return
    entry = entries[number % len(entries)]
    if action == "translate":
        entry.msgstr = text
    elif action == "fuzzy" and "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")
    else:
        entry.msgstr = ""
    try:
        po.save(str(path))
    except (OSError, ValueError, UnicodeError):
        path.write_bytes(data)  # polib cannot write what it was given: the save never happens


def structure(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Elements and attribute names as an HTML5 parser (scripting on) reads the page, without
    the marks a translated page may add: lang/dir, og:locale, hreflang alternates."""
    tree = html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False, scripting=True)
    shape = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "meta" and element.get("property") == "og:locale":
            continue
        if element.tag == "link" and element.get("hreflang"):
            continue
        shape.append((element.tag, tuple(sorted(set(element.attrib) - {"lang", "dir"}))))
    return shape


def published(root: Path) -> set[str]:
    return {p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("*.html")}


def build(root: Path) -> None:
    problems: list[L10nError] = []
    project.build(project.open_project(root), [], None, problems.append, jobs=1)
    assert all("\n" not in str(problem) for problem in problems)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with both articles fully translated in both locales, built."""
    root = tmp_path_factory.mktemp("publishing")
    (root / "articles").mkdir()
    (root / "articles" / "story.html").write_text(STORY, encoding="utf-8")
    (root / "articles" / "other.html").write_text(OTHER, encoding="utf-8")
    (root / "articles" / "x.png").write_bytes(b"png")  # the story's image: a missing one is a warning
    (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr", "fa"]\n', encoding="utf-8")
    problems: list[L10nError] = []
    proj = project.open_project(root)
    project.extract(proj, [], problems.append, jobs=1)
    for code in LOCALES:
        for path in (root / "locales" / code).rglob("*.po"):
            po = polib.pofile(str(path))
            for entry in po:
                entry.msgstr = f"[{code}] {entry.msgid}"
            po.save(str(path))
    project.build(proj, [], None, problems.append, jobs=1)
    assert problems == [] and len(published(root)) == 6
    return root


@pytest.mark.slow
@settings(max_examples=25)
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_whatever_a_translator_writes_pages_stay_published_and_keep_the_sources_markup(
    template: Path, steps: list[tuple[str, str, int, str]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(template, root, dirs_exist_ok=True)
        saved = {code: catalogue(root, code).read_bytes() for code in LOCALES}
        before = published(root)
        for action in steps:
            act(root, saved, *action)
            build(root)
            now = published(root)
            assert before <= now, f"pages went offline: {sorted(before - now)}"
            for name in now:
                slug = name.split("/", 1)[1]
                assert structure(root / "site" / name) == structure(root / "site" / "en" / slug), name
            before = now
