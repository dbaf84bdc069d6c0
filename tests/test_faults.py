"""Faults (issue "Real pages: nothing lost, nothing broken", item 5), through the command line.

Whatever goes wrong on disk, a command prints one clear ``path: message`` line per
problem (no traceback), exits 1, processes the other files where it can, and leaves
every file it could not replace as it was.

* a read-only output folder (real ``chmod`` when the tests do not run as root; as root,
  where ``chmod`` does not stop writes, the file system's EROFS is simulated);
* the disk filling up while a catalogue is written (ENOSPC in the middle of the write,
  or when the data is flushed to disk);
* an article deleted while ``extract`` runs;
* a PO file being edited (half written) while ``build`` reads it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polib
import pytest
from typer.testing import CliRunner, Result

from l10n import project
from l10n.cli import app
from l10n.errors import OutputError
from l10n.project import building, extraction, files

runner = CliRunner()

ARTICLES = {
    "alpha.html": "<html lang='en'><head><title>Alpha title</title></head>"
    "<body><p>The first story about the camp.</p><p>Écoles fermées à Calais.</p></body></html>\n",
    "beta.html": "<html lang='en'><head><title>Beta title</title></head>"
    "<body><p>The second story, about the court.</p></body></html>\n",
    "news/gamma.html": "<html lang='en'><head><title>Gamma title</title></head>"
    "<body><p>The third story, <em>in Lille</em>.</p></body></html>\n",
}
SUMMARY = re.compile(r"^\d+ articles, ")
ERROR = re.compile(r"^(?P<path>[^\s:][^:]*?)(?::\d+)?: \S.*$")


def invoke(root: Path, *args: str) -> Result:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return runner.invoke(app, list(args))
    finally:
        os.chdir(cwd)


def error_lines(result: Result) -> list[str]:
    """The output lines that are not the run's summary, a "skipped" or a "note:" notice."""
    return [
        line
        for line in result.output.splitlines()
        if not SUMMARY.match(line) and not line.startswith(("skipped ", "note: "))
    ]


def assert_clean_failure(result: Result, *paths: str) -> list[str]:
    """Exit 1, no traceback, no exception escaping, every other line ``path: message``.

    With *paths*, exactly one line for each of them; the lines are returned.
    """
    assert result.exc_info is None or result.exc_info[0] is SystemExit, (
        f"{result.exception!r} escaped the command; output: {result.output!r}"
    )
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 1, result.output
    lines = error_lines(result)
    assert lines, "the failure must be reported"
    assert [line for line in lines if not ERROR.match(line)] == [], lines
    if paths:
        assert sorted(m["path"] for line in lines if (m := ERROR.match(line))) == sorted(paths), lines
    return lines


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*.tmp")]


def po_path(root: Path, slug: str) -> Path:
    return root / "locales" / "fr" / "LC_MESSAGES" / (slug.rsplit(".", 1)[0] + ".po")


def translate_all(root: Path) -> None:
    """Fill every French catalogue: ``FR `` + source (placeholders kept)."""
    for path in (root / "locales" / "fr").rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = "FR " + entry.msgid
        po.save(str(path))


@pytest.fixture
def newsroom(tmp_path: Path) -> Path:
    """A project with three articles, French catalogues fully translated and pages built."""
    for slug, text in ARTICLES.items():
        path = tmp_path / "articles" / slug
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    result = invoke(tmp_path, "extract", "-j", "1")
    assert result.exit_code == 0, result.output
    translate_all(tmp_path)
    return tmp_path


# --- a read-only output folder -------------------------------------------------------------------


def chmod_stops_writes(folder: Path) -> bool:
    """True when a folder without write permission really refuses a new file (not root)."""
    probe = folder / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        (probe / "x").write_text("x")
    except PermissionError:
        return True
    finally:
        probe.chmod(0o755)
        (probe / "x").unlink(missing_ok=True)
        probe.rmdir()
    return False


@pytest.fixture
def read_only_site(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """``site/`` (and its locale folders) cannot be written to."""
    site = newsroom / "site"
    for tag in ("en", "fr", "fr/news", "en/news"):
        (site / tag).mkdir(parents=True, exist_ok=True)
    folders = [site, *(p for p in site.rglob("*") if p.is_dir())]
    if chmod_stops_writes(tmp_path_factory.mktemp("probe")):
        for folder in folders:
            folder.chmod(0o555)
        try:
            yield newsroom
        finally:
            for folder in folders:
                folder.chmod(0o755)
        return
    # Running as root: simulate a read-only file system under site/.
    real_mkstemp = tempfile.mkstemp
    real_replace = os.replace
    real_mkdir = os.mkdir

    def inside(path: Any) -> bool:
        return path is not None and Path(os.fsdecode(path)).resolve().is_relative_to(site.resolve())

    def mkstemp(*args: Any, **kwargs: Any) -> Any:
        if inside(kwargs.get("dir")):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(kwargs["dir"]))
        return real_mkstemp(*args, **kwargs)

    def replace(source: Any, target: Any, **kwargs: Any) -> None:
        if inside(target):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
        real_replace(source, target, **kwargs)

    def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
        if inside(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "mkdir", mkdir)
    yield newsroom


def test_a_read_only_output_folder_is_one_line_per_page_and_exit_1(read_only_site: Path) -> None:
    root = read_only_site
    before = snapshot(root / "locales")
    result = invoke(root, "build", "-j", "1")
    lines = assert_clean_failure(result)
    assert all(line.startswith("site/") for line in lines), lines
    assert len(lines) <= 6 + 3, "at most one line per file: 6 pages, the sitemap, 2 feeds"
    assert snapshot(root / "locales") == before
    assert leftovers(root) == []


# --- the disk fills up while a catalogue is written ---------------------------------------------


class _FullDisk:
    """A binary stream on a full disk: writes half of the data, then fails with ENOSPC."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        self.stream.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()


def fill_disk_when_writing(monkeypatch: pytest.MonkeyPatch, name: str, stage: str) -> None:
    """Make the next atomic write of a file called *name* fail with ENOSPC at *stage*."""
    real_fdopen = os.fdopen
    real_fsync = os.fsync

    def target(fd: int) -> bool:
        try:
            opened = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            return False
        return Path(opened).name.startswith(f".{name}.") and opened.endswith(".tmp")

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        stream = real_fdopen(fd, *args, **kwargs)
        return _FullDisk(stream) if stage == "write" and target(fd) else stream

    def fsync(fd: int) -> None:
        if stage == "fsync" and target(fd):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(os, "fsync", fsync)


def test_the_disk_fill_simulation_hits_write_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.po"
    target.write_text("old", encoding="utf-8")
    fill_disk_when_writing(monkeypatch, "x.po", "write")
    with pytest.raises(OutputError, match="No space left on device"):
        project.write_atomic(target, "new text " * 100)
    assert target.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("stage", ["write", "fsync"])
def test_a_full_disk_while_writing_a_catalogue_is_one_line_and_keeps_the_old_file(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    root = newsroom
    article = root / "articles" / "beta.html"
    article.write_text(ARTICLES["beta.html"].replace("</body>", "<p>A correction.</p></body>"), encoding="utf-8")
    catalogue = po_path(root, "beta.html")
    before = catalogue.read_bytes()
    fill_disk_when_writing(monkeypatch, "beta.po", stage)
    result = invoke(root, "extract", "-j", "1")
    (line,) = assert_clean_failure(result, "locales/fr/LC_MESSAGES/beta.po")
    assert "No space left on device" in line
    assert catalogue.read_bytes() == before
    assert leftovers(root) == []
    polib.pofile(str(catalogue))  # still a whole catalogue


# --- an article deleted while extract runs ------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_article_deleted_during_extract_is_one_line_and_the_others_are_processed(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    root = newsroom
    real = project.article_slugs
    # The listing saw the article; by the time it is read, it is gone.
    monkeypatch.setattr(extraction, "article_slugs", lambda proj: sorted([*real(proj), "deleted.html"]))
    result = invoke(root, "extract", "-j", jobs, "-l", "es")
    (line,) = assert_clean_failure(result, "articles/deleted.html")
    assert "No such file" in line
    for slug in ARTICLES:
        spanish = root / "locales" / "es" / "LC_MESSAGES" / (slug.rsplit(".", 1)[0] + ".po")
        assert spanish.exists(), f"{slug} was not processed"
    assert not (root / "locales" / "templates" / "deleted.pot").exists()
    assert leftovers(root) == []


def test_an_article_deleted_during_build_is_one_line_and_the_others_are_built(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = newsroom
    real = project.article_slugs
    monkeypatch.setattr(building, "article_slugs", lambda proj: sorted([*real(proj), "deleted.html"]))
    result = invoke(root, "build", "-j", "1")
    assert_clean_failure(result, "articles/deleted.html")
    for slug in ARTICLES:
        assert (root / "site" / "fr" / slug).exists()
        assert (root / "site" / "en" / slug).exists()


# --- a PO being edited while build reads it -------------------------------------------------------


def cut(text: bytes, where: str) -> bytes:
    """The file as a reader sees it while an editor is half-way through writing it."""
    if where == "inside a multi-byte character":
        at = text.index("É".encode())
        return text[: at + 1]
    if where == "inside a keyword":
        at = text.rindex(b"\nmsgstr ")
        return text[: at + 4]
    if where == "inside a msgstr string":
        at = text.rindex(b'\nmsgstr "FR \xc3\x89coles')  # the last entry: "FR Écoles fermées à Calais."
        return text[: at + len('\nmsgstr "FR Écol'.encode())]
    if where == "after a msgid, before its msgstr":
        at = text.rindex(b"\nmsgstr ")
        return text[: at + 1]
    raise AssertionError(where)


TORN = [
    "inside a multi-byte character",
    "inside a keyword",
    pytest.param(
        "inside a msgstr string",
    ),
    pytest.param(
        "after a msgid, before its msgstr",
    ),
]


@pytest.mark.parametrize("where", TORN)
def test_a_half_written_po_is_one_line_for_that_catalogue_and_the_other_pages_are_built(
    newsroom: Path, where: str
) -> None:
    root = newsroom
    catalogue = po_path(root, "alpha.html")
    catalogue.write_bytes(cut(catalogue.read_bytes(), where))
    result = invoke(root, "build", "-j", "1")
    (line,) = assert_clean_failure(result, "locales/fr/LC_MESSAGES/alpha.po")
    assert "Traceback" not in line
    assert (root / "site" / "fr" / "beta.html").exists()
    assert (root / "site" / "fr" / "news" / "gamma.html").exists()
    assert "FR The second story" in (root / "site" / "fr" / "beta.html").read_text(encoding="utf-8")
    assert not (root / "site" / "fr" / "alpha.html").exists()


def test_a_half_written_po_does_not_stop_the_source_page_of_its_article(newsroom: Path) -> None:
    root = newsroom
    catalogue = po_path(root, "alpha.html")
    catalogue.write_bytes(cut(catalogue.read_bytes(), "inside a keyword"))
    result = invoke(root, "build", "-j", "1")
    assert_clean_failure(result, "locales/fr/LC_MESSAGES/alpha.po")
    assert (root / "site" / "en" / "alpha.html").exists()


def test_a_po_cut_at_an_entry_boundary_only_lacks_translations(newsroom: Path) -> None:
    """A cut between entries is a valid shorter catalogue: the page is below threshold, not broken."""
    root = newsroom
    catalogue = po_path(root, "alpha.html")
    text = catalogue.read_bytes()
    catalogue.write_bytes(text[: text.rindex(b"\n\n") + 2])
    result = invoke(root, "build", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "skipped site/fr/alpha.html: " in result.output
    assert not (root / "site" / "fr" / "alpha.html").exists()
    assert (root / "site" / "fr" / "beta.html").exists()


# --- flushing to disk: a replaced catalogue before its rename, new files before the lock goes ----


def test_a_replaced_catalogue_is_flushed_before_its_rename_and_new_files_before_the_lock_goes(
    newsroom: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from l10n.project import disk, files

    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_lock = os.fsync, os.replace, files.project_lock

    def fsync(fd: int) -> None:
        events.append(("flush", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(source: Any, target: Any, **kwargs: Any) -> None:
        events.append(("rename", os.fspath(target)))
        real_replace(source, target, **kwargs)

    @contextlib.contextmanager
    def lock(proj: Any) -> Iterator[None]:
        with real_lock(proj):
            yield
            events.append(("unlock", ""))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(disk, "project_lock", lock)
    root = newsroom
    article = root / "articles" / "beta.html"
    article.write_text(ARTICLES["beta.html"].replace("</body>", "<p>A correction.</p></body>"), encoding="utf-8")
    (root / "articles" / "gamma.html").write_text(ARTICLES["beta.html"], encoding="utf-8")
    events.clear()
    assert invoke(root, "extract", "-j", "1").exit_code == 0
    unlocked = events.index(("unlock", ""))
    replaced = str(po_path(root, "beta.html"))
    # The translator's file: its new text is on disk before it takes the old one's place.
    renamed = events.index(("rename", replaced))
    assert events[renamed - 1][0] == "flush" and ".beta.po." in events[renamed - 1][1]
    new = [str(root / "locales" / "templates" / "gamma.pot"), str(po_path(root, "gamma.html"))]
    for target in new:  # flushed by name after the rename, before the lock goes
        assert events.index(("rename", target)) < events.index(("flush", target)) < unlocked


@pytest.mark.parametrize("count", [3, 40])
def test_every_new_file_is_flushed_once_whether_few_or_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """flush_files flushes each file given, one at a time or (many) several at once, and
    returns only when all are on disk; a file gone meanwhile is left, the others flushed."""
    paths = [tmp_path / f"new-{number}.po" for number in range(count)]
    for path in paths:
        path.write_text("msgid \"\"\n", encoding="utf-8")
    gone = tmp_path / "gone.po"
    flushed: list[str] = []
    lock = threading.Lock()
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        real_fsync(fd)
        with lock:
            flushed.append(os.readlink(f"/proc/self/fd/{fd}"))

    monkeypatch.setattr(os, "fsync", fsync)
    threads_before = threading.active_count()
    files.flush_files([*paths[: count // 2], gone, *paths[count // 2 :]])
    assert sorted(flushed) == sorted(str(path) for path in paths)
    assert threading.active_count() == threads_before  # no thread outlives the call
