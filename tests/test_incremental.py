"""Incremental and parallel runs: same bytes whatever --jobs, no-op runs touch nothing."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import polib
import pytest

from l10n import project
from l10n.errors import L10nError, L10nWarning
from l10n.project import store

from .conftest import REPO, corpus_pages


def make(root: Path, pages: int = 6) -> project.Project:
    shutil.copytree(REPO / "articles", root / "articles")
    shutil.copytree(REPO / "locales", root / "locales")
    for page in corpus_pages()[:pages]:
        shutil.copy(page, root / "articles" / page.name)
    (root / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return project.open_project(root)


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("locales", "site")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def mtimes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for folder in ("locales", "site")
        for p in (root / folder).rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def run_all(proj: project.Project, jobs: int, force: bool = False) -> tuple[project.Summary, project.Summary]:
    problems: list[L10nError] = []
    extracted = project.extract(proj, ["pt-BR"], problems.append, jobs=jobs, force=force)
    built = project.build(proj, [], 0, problems.append, jobs=jobs, force=force)
    # Corpus pages refer to files the corpus does not hold: warnings, not errors.
    assert [p for p in problems if not isinstance(p, L10nWarning)] == []
    return extracted, built


@pytest.mark.slow
def test_output_is_identical_with_one_or_two_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # New catalogues carry the run's time; pin it, or two runs a minute apart differ.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1446541920")
    one = make(tmp_path / "one")
    two = make(tmp_path / "two")
    run_all(one, jobs=1)
    run_all(two, jobs=2)
    first, second = files(one.root), files(two.root)
    articles = len(project.article_slugs(one))
    # Per article: a POT, five POs (4 configured locales + pt-BR), five pages (en + 4 built);
    # then the sitemap and a feed per built locale, and the copies of the files pages refer to.
    made = [name for name in first if not name.startswith("site/assets/")]
    assert len(made) == 11 * articles + 1 + 5 and first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


@pytest.mark.slow
def test_no_op_runs_touch_no_file_and_skip_every_article(tmp_path: Path) -> None:
    proj = make(tmp_path)
    run_all(proj, jobs=2)
    before = mtimes(proj.root)
    extracted, built = run_all(proj, jobs=2)
    assert mtimes(proj.root) == before
    assert extracted.written == [] and extracted.unchanged == extracted.articles
    assert built.written == [] and built.rendered == 0


def test_one_changed_catalogue_rebuilds_exactly_its_page(tmp_path: Path) -> None:
    proj = make(tmp_path, pages=0)
    run_all(proj, jobs=1)
    path = proj.root / "locales" / "fr" / "LC_MESSAGES" / "2015" / "11" / "lille-court-ruling.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if e.msgid == "What the court ordered")
    entry.msgstr = "Ce que le tribunal a ordonné aujourd'hui"
    po.save(str(path))
    built = project.build(proj, [], 0, lambda error: None, jobs=1)
    assert built.written == ["site/fr/2015/11/lille-court-ruling.html"] and built.rendered == 1


def test_a_new_locale_rebuilds_pages_whose_alternates_change(tmp_path: Path) -> None:
    proj = make(tmp_path, pages=0)
    problems: list[L10nError] = []
    project.build(proj, ["fr"], None, problems.append, jobs=1)
    built = project.build(proj, ["fr", "es"], None, problems.append, jobs=1)
    # Every French and English page now lists Spanish among its alternates, and so does the
    # sitemap; Spanish gets its feed (the English and French ones list the same pages).
    assert sorted(path for path in built.written if path.endswith(".xml")) == ["site/es/feed.xml", "site/sitemap.xml"]
    assert sorted(path for path in built.written if not path.endswith(".xml")) == sorted(
        f"site/{tag}/{slug}"
        for tag in ("en", "es", "fr")
        for slug in (
            "2015/11/calais-migrant-camp.html",
            "2015/11/lille-court-ruling.html",
            "2015/12/channel-crossings-winter.html",
        )
    )


@pytest.mark.slow
def test_force_redoes_everything(tmp_path: Path) -> None:
    proj = make(tmp_path, pages=2)
    _, first_build = run_all(proj, jobs=1)
    extracted, built = run_all(proj, jobs=1, force=True)
    assert extracted.unchanged == 0
    assert built.rendered == first_build.rendered > 0


def test_deleting_the_cache_is_safe(tmp_path: Path) -> None:
    proj = make(tmp_path, pages=1)
    run_all(proj, jobs=1)
    before = files(proj.root)
    shutil.rmtree(proj.root / project.CACHE_DIR)
    run_all(proj, jobs=1)
    assert files(proj.root) == before
    assert os.path.isdir(proj.root / project.CACHE_DIR)


def inputs(root: Path) -> list[Path]:
    return [p for folder in ("articles", "locales") for p in (root / folder).rglob("*") if p.is_file()]


def test_touched_files_are_hashed_again_and_found_unchanged(tmp_path: Path) -> None:
    proj = make(tmp_path, pages=1)
    run_all(proj, jobs=1)
    before = mtimes(proj.root)
    for path in inputs(proj.root):
        if path.name.endswith((".html", ".po", ".pot")):
            path.touch()
    extracted, built = run_all(proj, jobs=1)
    assert extracted.written == [] and extracted.unchanged == extracted.articles
    assert built.written == [] and built.rendered == 0
    assert {name: stamp for name, stamp in mtimes(proj.root).items() if name.startswith("site/")} == {
        name: stamp for name, stamp in before.items() if name.startswith("site/")
    }


def test_a_change_behind_the_same_size_and_mtime_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Content hashes decide, not timestamps: a same-length edit whose mtime is put back
    # (as rsync -t or an archive restore does) still rebuilds the page. Files are
    # remembered at once here instead of two seconds after their last change.
    monkeypatch.setattr(store, "SETTLED_NS", 0)
    proj = make(tmp_path, pages=0)
    run_all(proj, jobs=1)
    run_all(proj, jobs=1)  # hashes remembered for every input
    path = proj.root / "locales" / "fr" / "LC_MESSAGES" / "2015" / "11" / "lille-court-ruling.po"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert 'msgstr "Ce qu\'a ordonné le tribunal"' in text
    time.sleep(0.05)  # past the filesystem's timestamp tick
    path.write_text(text.replace("a ordonné le tribunal", "a décidé le tribunal"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    built = project.build(proj, [], 0, lambda error: None, jobs=1)
    assert built.written == ["site/fr/2015/11/lille-court-ruling.html"]
    assert "décidé le tribunal" in (proj.root / built.written[0]).read_text(encoding="utf-8")


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    proj = make(tmp_path, pages=1)
    run_all(proj, jobs=1)
    before = files(proj.root)
    for path in (proj.root / project.CACHE_DIR).iterdir():
        path.write_bytes(b"\0garbage" * 100)
    extracted, built = run_all(proj, jobs=1)
    assert files(proj.root) == before
    assert extracted.unchanged == 0 and built.rendered > 0
    extracted, built = run_all(proj, jobs=1)
    assert extracted.unchanged == extracted.articles and built.rendered == 0


def _project_with_a_file(root: Path) -> tuple[project.Project, Path]:
    """An empty project at *root* and a file a.po in it, holding "one"."""
    (root / "articles").mkdir()
    path = root / "a.po"
    path.write_text("one", encoding="utf-8")
    return project.open_project(root), path


def test_a_file_changed_in_the_tick_it_was_hashed_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # File timestamps come from a coarse clock: a same-size rewrite within one tick can
    # leave size, mtime and ctime as they were. Simulated here by stat seeing the old file.
    proj, path = _project_with_a_file(tmp_path)
    old, real_stat = os.stat(path), os.stat
    with store.Store.open(proj) as opened:
        [first] = opened.digests("a", [str(path)])
    path.write_text("two", encoding="utf-8")

    def stat(
        name: int | str | bytes | os.PathLike[str] | os.PathLike[bytes],
        *,
        dir_fd: int | None = None,
        follow_symlinks: bool = True,
    ) -> os.stat_result:
        return old if name == str(path) else real_stat(name, dir_fd=dir_fd, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(os, "stat", stat)
    with store.Store.open(proj) as opened:
        [second] = opened.digests("a", [str(path)])
    assert first != second


def _remembered(proj: project.Project) -> set[str]:
    """The files whose content hash the run store keeps (with the stat data it was taken with)."""
    import sqlite3

    with sqlite3.connect(proj.root / ".l10n-cache" / "state.sqlite3") as db:
        return {str(Path(path).relative_to(proj.root)) for (path,) in db.execute("SELECT path FROM files")}


def test_files_an_extract_writes_are_remembered_once_settled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The dashboard of l10n serve, right after an extract, must not read every catalogue
    # again: what extract wrote is hashed once more as the run ends (the page cache still
    # holds it) and kept, for the files that are by then older than the timestamp tick.
    proj = make(tmp_path, pages=0)
    shutil.rmtree(proj.root / "locales")
    monkeypatch.setattr(store, "SETTLED_NS", 50_000_000)
    real, later = time.time_ns, [0]
    monkeypatch.setattr(time, "time_ns", lambda: real() + later[0])
    settle = store.Store.settle

    def settle_a_second_later(self: store.Store) -> None:
        later[0] = 10**9
        settle(self)

    monkeypatch.setattr(store.Store, "settle", settle_a_second_later)
    first = project.extract(proj, [], lambda error: None, jobs=1)
    written = {name for name in first.written if name.endswith((".po", ".pot"))}
    assert len(written) == 15  # three templates, twelve catalogues
    assert written <= _remembered(proj)


def test_the_end_of_a_run_reads_no_file_still_too_new_to_remember(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every file a short run writes is still within the timestamp tick when it ends:
    # reading it again then would be for nothing (it cannot be remembered).
    proj, written = _project_with_a_file(tmp_path)
    read: list[str] = []
    real = store.Store._digest

    def digest(self: store.Store, path: str, slug: str, stored: Any) -> bytes:
        read.append(path)
        return real(self, path, slug, stored)

    monkeypatch.setattr(store.Store, "_digest", digest)
    with store.Store.open(proj) as opened:
        opened.wrote(str(written), "a")
    assert read == []
    monkeypatch.setattr(store, "SETTLED_NS", 0)  # settled at once: read and kept
    with store.Store.open(proj) as opened:
        opened.wrote(str(written), "a")
    assert read == [str(written)] and _remembered(proj) == {"a.po"}


def test_asking_the_hashes_of_no_file_asks_the_store_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A first extract knows the hash of every file of an article it read and wrote: its
    # key then needs no query, one an article at archive scale.
    proj, path = _project_with_a_file(tmp_path)
    asked: list[str] = []
    real = store.Store._query

    def query(self: store.Store, sql: str, parameters: Any) -> Any:
        asked.append(sql)
        return real(self, sql, parameters)

    monkeypatch.setattr(store.Store, "_query", query)
    with store.Store.open(proj) as opened:
        assert opened.digests("a", []) == [] and asked == []
        assert len(opened.digests("a", [str(path)])) == 1 and len(asked) == 1


def _extracted_without_store(root: Path, pages: int) -> project.Project:
    """A project extracted once, its run store then deleted: the next run knows no file."""
    proj = make(root, pages=pages)
    project.extract(proj, [], lambda error: None, jobs=1)
    shutil.rmtree(proj.root / ".l10n-cache")
    return proj


def test_a_file_saved_within_a_tick_of_its_hashing_is_not_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proj = _extracted_without_store(tmp_path, pages=0)
    monkeypatch.setattr(store, "SETTLED_NS", 60 * 10**9)  # every file is too new to trust
    project.extract(proj, [], lambda error: None, jobs=1, force=True)
    assert not {name for name in _remembered(proj) if name.endswith((".po", ".pot"))}


def test_the_files_of_an_article_the_store_knows_nothing_of_are_hashed_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A first build's main process hashes nothing before its workers start: each worker
    # hashes an article's files as it comes to read them, and says what it read.
    proj, path = _project_with_a_file(tmp_path)
    monkeypatch.setattr(store, "SETTLED_NS", 0)  # a file may be remembered at once
    with store.Store.open(proj) as opened:
        deferred = opened.digests_or_deferred("a", {"": str(path), "fr": str(tmp_path / "none.po")})
    assert isinstance(deferred, store.Deferred) and "fr" in deferred and "de" not in deferred
    assert deferred.taken == []  # asking what it holds reads nothing
    path.write_text("two", encoding="utf-8")  # hashed as it is when asked, not when made
    assert deferred[""] == store.file_digest(b"two") and deferred["fr"] == b"missing"
    assert [name for name, _ in deferred.taken] == [str(path)]  # a missing file is not remembered
    assert deferred[""] == store.file_digest(b"two") and len(deferred.taken) == 1  # hashed once
    with store.Store.open(proj) as opened:
        opened.remember(str(path), "a", deferred.taken[0][1])
    with store.Store.open(proj) as opened:  # known now: by its stat data, nothing deferred
        known = opened.digests_or_deferred("a", {"": str(path)})
    assert not isinstance(known, store.Deferred) and known == {"": store.file_digest(b"two")}


def test_a_first_build_hashes_its_inputs_in_its_workers_and_remembers_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proj = _extracted_without_store(tmp_path, pages=1)
    monkeypatch.setattr(store, "SETTLED_NS", 0)  # every file may be remembered at once
    hashed_in = tmp_path / "hashed-in.txt"
    real = store.hash_file

    def hash_file(path: str) -> Any:
        with hashed_in.open("a", encoding="utf-8") as log:  # forked workers log here too
            log.write(f"{os.getpid()} {path}\n")
        return real(path)

    monkeypatch.setattr(store, "hash_file", hash_file)
    built = project.build(proj, [], 0, lambda error: None, jobs=2)
    assert built.rendered > 0
    lines = [line.split(" ", 1) for line in hashed_in.read_text(encoding="utf-8").splitlines()]
    articles = {str(proj.article_path(slug)) for slug in project.article_slugs(proj)}
    assert articles <= {path for _, path in lines}
    assert not [path for pid, path in lines if int(pid) == os.getpid()]  # none by the main process
    remembered = _remembered(proj)
    assert {str(Path(path).relative_to(proj.root)) for path in articles} <= remembered
    assert any(name.endswith(".po") for name in remembered)
    assert project.build(proj, [], 0, lambda error: None, jobs=2).rendered == 0
