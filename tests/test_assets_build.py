"""``site/`` is the whole website (issue 12, item 1): the local files pages refer to are
copied once into ``site/assets/``, whatever the number of locales, and kept in step by
incremental builds; a file that cannot be copied is a warning naming ``path:line``."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import polib
import pytest

from l10n import html_read, project
from l10n.errors import L10nError, L10nWarning

from .conftest import invoke

STORY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Headline</title>
<link rel="stylesheet" href="../assets/site.css">
<link rel="icon" href="../assets/icon.png">
<style>body { background: url(../assets/bg.png) }</style>
</head><body>
<h1>Headline</h1>
<img src="../assets/photo.jpg" srcset="../assets/photo.jpg 1x, ../assets/photo%402x.jpg 2x" alt="Photo">
<p style="background: url('../assets/a%20b.png')">Paragraph text.</p>
<p>Read <a href="../docs/report.pdf?download=1#page=2">the report</a>.</p>
<p>Missing <img src="../assets/missing.png" alt="Gone"> here.</p>
</body></html>"""

SITE_CSS = """@import url("fonts.css");
body { background: url(../assets/bg.png) }
h1 { background: url('img/h1.png') }
"""
FONTS_CSS = "@font-face { font-family: X; src: url(fonts/x.woff2) format('woff2') }\n"
FILES = {
    "assets/site.css": SITE_CSS.encode(),
    "assets/fonts.css": FONTS_CSS.encode(),
    "assets/fonts/x.woff2": b"wOF2 font",
    "assets/img/h1.png": b"h1 png",
    "assets/icon.png": b"icon png",
    "assets/bg.png": b"bg png",
    "assets/photo.jpg": b"photo jpg",
    "assets/photo@2x.jpg": b"photo 2x jpg",
    "assets/a b.png": b"a b png",
    "docs/report.pdf": b"%PDF-1.4",
}
COPIED = dict(FILES)  # the articles folder's layout, below site/assets/


def make(root: Path, locales: str = '["fr", "es", "de"]', story: str = STORY) -> project.Project:
    articles = root / "articles"
    (articles / "news").mkdir(parents=True)
    (articles / "news" / "story.html").write_text(story, encoding="utf-8")
    for name, data in FILES.items():
        path = articles / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "pyproject.toml").write_text(f"[tool.l10n]\nlocales = {locales}\nmin_percent = 0\n", encoding="utf-8")
    return project.open_project(root)


def run(proj: project.Project, force: bool = False) -> tuple[project.Summary, list[L10nError]]:
    problems: list[L10nError] = []
    project.extract(proj, [], problems.append, jobs=1)
    summary = project.build(proj, [], None, problems.append, jobs=1, force=force)
    return summary, problems


def copies(root: Path) -> dict[str, bytes]:
    folder = root / "site" / "assets"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def urls(page: Path) -> list[str]:
    """Every URL of a built page: attributes, srcset candidates, CSS url() in style."""
    root = html_read.parse(page.read_bytes()).root
    found: list[str] = []
    for element in root.iter(lxml.etree.Element):
        for name, value in ((str(n), str(v)) for n, v in element.items()):
            if element.get("hreflang"):
                continue  # the page in another locale
            if name in ("src", "href"):
                found.append(value)
            elif name == "srcset":
                found += [candidate.split()[0] for candidate in value.split(",")]
            elif name == "style":
                found.append(value.split("url('")[1].split("')")[0])
    for style in root.iter("style"):
        found.append((style.text or "").split("url(")[1].split(")")[0])
    return found


def served(root: Path, page: Path, url: str) -> Path:
    """The file of site/ that *url*, in *page*, names (as a server of site/ reads it)."""
    site = root / "site"
    address = urlsplit(urljoin("http://host/" + page.relative_to(site).as_posix(), url))
    return site / unquote(address.path)[1:]


def test_every_local_file_is_copied_once_and_every_page_reaches_it(tmp_path: Path) -> None:
    proj = make(tmp_path)
    summary, problems = run(proj)
    assert copies(tmp_path) == COPIED
    assert sorted(summary.copied) == sorted(f"site/assets/{name}" for name in COPIED)
    site = tmp_path / "site"
    pages = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.parts[len(site.parts)] != "assets" and p.name not in ("feed.xml", "sitemap.xml")
    ]
    assert sorted(pages) == [f"{tag}/news/story.html" for tag in ("de", "en", "es", "fr")]  # no copy in a locale
    for tag in ("en", "fr", "es", "de"):
        page = tmp_path / "site" / tag / "news" / "story.html"
        for url in urls(page):
            if "missing" in url:
                continue
            found = served(tmp_path, page, url)
            assert found.is_file() and found.is_relative_to(tmp_path / "site" / "assets"), (tag, url)
    text = (tmp_path / "site" / "fr" / "news" / "story.html").read_text(encoding="utf-8")
    assert 'href="../../assets/docs/report.pdf?download=1#page=2"' in text
    assert "url('../../assets/assets/a%20b.png')" in text
    assert [str(problem) for problem in problems] == [
        "articles/news/story.html:11: warning: articles/assets/missing.png does not exist: the reference points"
        " to its copy's place, site/assets/assets/missing.png, all the same: the first build after the file is"
        " added copies it there, with no change to the page"
    ]
    assert summary.warnings == 1 and summary.errors == 0


def test_copies_are_readable_by_a_web_server(tmp_path: Path) -> None:
    proj = make(tmp_path)
    os.chmod(tmp_path / "articles" / "assets" / "photo.jpg", 0o600)
    run(proj)
    for path in (tmp_path / "site" / "assets").rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_a_missing_file_is_a_warning_at_its_line_and_the_build_succeeds(tmp_path: Path) -> None:
    make(tmp_path)
    result = invoke(tmp_path, "build", "--json")
    assert result.exit_code == 0, result.output
    assert "articles/news/story.html:11: warning: articles/assets/missing.png does not exist" in result.output
    document = json.loads(result.stdout)
    assert document["summary"]["warnings"] == 1 and document["summary"]["errors"] == 0
    assert ", 0 errors, 1 warning in " in result.stderr
    # Added later: the next build copies it, and the pages that point to it are not made again.
    (tmp_path / "articles" / "assets" / "missing.png").write_bytes(b"late png")
    result = invoke(tmp_path, "build", "-v")
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    assert "0 files written" in result.stderr and "1 file copied" in result.stderr
    assert (tmp_path / "site" / "assets" / "assets" / "missing.png").read_bytes() == b"late png"


def test_a_reference_to_a_folder_is_a_warning(tmp_path: Path) -> None:
    proj = make(tmp_path, story=STORY.replace("../docs/report.pdf?download=1#page=2", "../docs/"))
    _, problems = run(proj)
    assert "articles/news/story.html:10: warning: articles/docs is a folder, not a file: nothing is copied" in {
        str(p) for p in problems
    }
    assert all(isinstance(problem, L10nWarning) for problem in problems)


def test_nothing_is_copied_from_outside_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    root = tmp_path / "project"
    story = STORY.replace(
        "</body>",
        '<a href="../../../../../../../../../../../../etc/passwd">a</a>\n'
        '<a href="%2e%2e/%2e%2e/%2e%2e/elsewhere/secret.txt">b</a>\n'
        '<img src="../assets/link.png" alt="c">\n'
        '<img src="../.git/config" alt="d">\n'
        '<img src="../../site/en/news/story.html" alt="e">\n'
        '<img src="../../locales/fr/LC_MESSAGES/news/story.po" alt="f">\n</body>',
    )
    proj = make(root, story=story)
    (root / "articles" / "assets" / "link.png").symlink_to(outside / "secret.txt")
    (root / "articles" / ".git").mkdir()
    (root / "articles" / ".git" / "config").write_text("[core]", encoding="utf-8")
    _, problems = run(proj)
    run(proj)  # site/ and locales/ exist now
    _, problems = run(proj)
    lines = sorted(str(problem) for problem in problems)
    assert [line.split(": warning: ")[0] for line in lines] == [
        f"articles/news/story.html:{n}" for n in (11, 12, 13, 14, 15, 16, 17)
    ]
    text = "\n".join(lines)
    assert ":12: warning: " + "../" * 10 + "etc/passwd is outside the project: not copied" in text
    assert ":13: warning: ../elsewhere/secret.txt is outside the project: not copied" in text
    assert ":14: warning: articles/assets/link.png leads outside the project (a symbolic link): not copied" in text
    assert ":15: warning: articles/.git/config is a hidden file or in a hidden folder: not copied" in text
    assert ":16: warning: site/en/news/story.html is in the output folder: not copied" in text
    assert ":17: warning: locales/fr/LC_MESSAGES/news/story.po is in the locales folder: not copied" in text
    names = {path.name for path in (root / "site").rglob("*")}
    assert not {"passwd", "secret.txt", "link.png", "config", "story.po"} & names
    page = (root / "site" / "fr" / "news" / "story.html").read_text(encoding="utf-8")
    assert 'href="../../../../../../../../../../../../etc/passwd"' in page  # left as written


def test_a_file_shared_by_articles_and_locales_is_copied_once(tmp_path: Path) -> None:
    proj = make(tmp_path)
    (tmp_path / "articles" / "news" / "other.html").write_text(STORY.replace("Headline", "Other"), encoding="utf-8")
    summary, _ = run(proj)
    assert summary.copied.count("site/assets/assets/photo.jpg") == 1
    assert len(summary.copied) == len(set(summary.copied)) == len(COPIED)
    assert summary.warnings == 2  # the missing image, once for each article


def test_an_incremental_build_copies_a_deleted_or_changed_file_again(tmp_path: Path) -> None:
    proj = make(tmp_path)
    run(proj)
    copy = tmp_path / "site" / "assets" / "assets" / "photo.jpg"
    font = tmp_path / "site" / "assets" / "assets" / "fonts" / "x.woff2"
    copy.unlink()
    font.unlink()
    summary, problems = run(proj)
    assert summary.written == [] and summary.rendered == 0  # no page made again
    assert sorted(summary.copied) == [str(font.relative_to(tmp_path)), str(copy.relative_to(tmp_path))]
    assert copy.read_bytes() == FILES["assets/photo.jpg"] and font.exists()
    assert [p.line for p in problems] == [11]  # the missing file, said again, at its line
    source = tmp_path / "articles" / "assets" / "photo.jpg"
    source.write_bytes(b"new photo")  # same size or not, a changed file is copied again
    assert run(proj)[0].copied == ["site/assets/assets/photo.jpg"]
    assert copy.read_bytes() == b"new photo"
    assert run(proj)[0].copied == []
    assert copies(tmp_path) == copies(tmp_path) | {"assets/photo.jpg": b"new photo"}


def test_a_file_of_the_same_size_and_time_but_other_content_is_copied_again(tmp_path: Path) -> None:
    proj = make(tmp_path)
    run(proj)
    copy = tmp_path / "site" / "assets" / "assets" / "bg.png"
    before = copy.stat()
    copy.write_bytes(b"BG PNG")  # same size; mtime put back: only the mode tells
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.chmod(copy, 0o600)
    summary, _ = run(proj)
    assert summary.copied == ["site/assets/assets/bg.png"] and copy.read_bytes() == b"bg png"


def test_a_translated_page_alone_finds_the_same_lines(tmp_path: Path) -> None:
    proj = make(tmp_path)
    run(proj)
    po_path = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "news" / "story.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = "FR " + entry.msgid if "<" not in entry.msgid else entry.msgid
    po.save(str(po_path))
    summary, problems = run(proj)
    # The page, and the French feed whose entry reads the page's (translated) title.
    assert summary.written == ["site/fr/news/story.html", "site/fr/feed.xml"]
    assert [str(p).split(": warning:")[0] for p in problems] == ["articles/news/story.html:11"]


def test_a_stylesheet_url_leaving_the_layout_is_a_warning_at_its_line(tmp_path: Path) -> None:
    proj = make(tmp_path)
    (tmp_path / "shared.png").write_bytes(b"png")
    css = tmp_path / "articles" / "assets" / "site.css"
    css.write_text(SITE_CSS + "p { background: url(../../shared.png) }\np { background: url(gone.png) }\n")
    _, problems = run(proj)
    shown = sorted(str(p) for p in problems)
    assert shown[0].startswith("articles/assets/site.css:4: warning: shared.png is not copied: the stylesheet is")
    assert shown[1].startswith("articles/assets/site.css:5: warning: articles/assets/gone.png does not exist")
    assert not (tmp_path / "site" / "assets" / "_root").exists()


def test_an_import_loop_ends(tmp_path: Path) -> None:
    proj = make(tmp_path)
    (tmp_path / "articles" / "assets" / "fonts.css").write_text('@import "site.css";\n' + FONTS_CSS)
    summary, problems = run(proj)
    assert len(problems) == 1 and "site/assets/assets/fonts/x.woff2" in summary.copied


@pytest.mark.parametrize("force", [False, True])
def test_an_unreadable_article_keeps_its_files(tmp_path: Path, force: bool) -> None:
    proj = make(tmp_path)
    run(proj)
    copy = tmp_path / "site" / "assets" / "assets" / "photo.jpg"
    copy.unlink()
    (tmp_path / "articles" / "news" / "story.html").write_bytes(b"\x00" * 10)
    problems: list[L10nError] = []
    project.build(proj, [], None, problems.append, jobs=1, force=force)
    assert copy.exists()
