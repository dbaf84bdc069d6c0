"""A build's stamp: a build with nothing to do says what a full run would say, without
running a job; any change to what a build reads or writes makes it run again."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n import project
from l10n.project import stamp
from l10n.project.pool import in_parallel
from l10n.project.store import Store

from .conftest import copy_sample

EXTRA = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A short dispatch</title></head>
<body><article><h1>A short dispatch</h1>
<p>The ferry left at dawn. <img src="../media/missing.png" alt="A map that is not there"></p>
<p><img src="../../static/logo.png" alt="Our logo"></p>
</article></body></html>
"""


@dataclass(frozen=True, slots=True)
class Built:
    summary: project.Summary
    records: list[dict[str, object]]
    said: list[str]
    ran: bool  # the run handed articles to its runner (no stamp stood)


def build(root: Path, *codes: str, force: bool = False, min_percent: float | None = None, dry: bool = False) -> Built:
    said: list[str] = []
    records: list[project.PageOutcome] = []
    ran: list[int] = []

    def runner(job: Any, context: Any, items: Any, total: int, jobs: int, progress: Any) -> Iterator[Any]:
        ran.append(total)
        return in_parallel(job, context, items, total, 1, progress)

    summary = project.build(
        project.open_project(root), list(codes), min_percent, lambda error: said.append(str(error)),
        force=force, records=records.append, dry_run=dry, runner=runner,
    )  # fmt: skip
    return Built(summary, [record.as_json() for record in records], said, bool(ran))


def unstamped(root: Path, monkeypatch: pytest.MonkeyPatch, *codes: str) -> Built:
    """What a build says when no stamp may stand (every article looked at)."""
    with monkeypatch.context() as patch:
        patch.setattr(stamp, "unchanged", lambda store, wanted, proj: (None, stamp.scan(proj)))
        return build(root, *codes)


def said_alike(first: Built, second: Built) -> None:
    assert first.summary.as_json() == second.summary.as_json()
    assert first.summary.skipped == second.summary.skipped
    assert first.summary.notes == second.summary.notes
    assert first.said == second.said
    assert sorted(first.records, key=lambda r: str(r["article"])) == sorted(
        second.records, key=lambda r: str(r["article"])
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The sample with one more article: partly translated (its pages are skipped), one
    image missing (a warning), one file outside the articles folder, and no base_url (a note)."""
    root = copy_sample(tmp_path / "sample")
    (root / "articles" / "2015" / "extra.html").write_text(EXTRA, encoding="utf-8")
    (root / "static").mkdir()
    (root / "static" / "logo.png").write_bytes(b"\x89PNG logo one")
    config = root / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('base_url = "https://news.example.org"\n', ""))
    assert project.extract(project.open_project(root), [], lambda error: None).errors == 0
    return root


def site(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "site").rglob("*")) if p.is_file()}


def test_nothing_changed_says_what_a_full_run_says_without_a_job(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build(sample)
    assert first.ran and first.summary.errors == 0 and first.summary.warnings == 1 and first.summary.skipped
    assert first.summary.notes and "site/assets/_root/static/logo.png" in first.summary.copied
    before = site(sample)
    again = build(sample)
    assert not again.ran
    full = unstamped(sample, monkeypatch)
    assert full.ran and full.summary.written == [] and site(sample) == before
    said_alike(again, full)
    assert again.summary.warnings == 1 and any("missing.png" in line for line in again.said)


def _touch(path: Path, old: bytes = b"", new: bytes = b"") -> None:
    """Rewrite *path* (*old* replaced by *new*, of the same length) with its mtime put
    back: only the ctime tells."""
    info = path.stat()
    path.write_bytes(path.read_bytes().replace(old, new, 1))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


CHANGES: dict[str, Callable[[Path], object]] = {
    "an article edited": lambda root: _append(root / "articles/2015/extra.html", "<p>One more line.</p>"),
    "a catalogue rewritten, size and mtime kept": lambda root: _touch(
        root / "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po", b"Calais", b"Kalais"
    ),
    "the configuration changed": lambda root: _append(root / "pyproject.toml", "\n# a comment\n"),
    "a page deleted": lambda root: (root / "site/fr/2015/11/lille-court-ruling.html").unlink(),
    "a copied file deleted": lambda root: (root / "site/assets/media/news.css").unlink(),
    "a file outside the articles folder changed": lambda root: (root / "static/logo.png").write_bytes(b"two"),
    "an article added": lambda root: shutil.copy(root / "articles/2015/extra.html", root / "articles/2015/more.html"),
    "an article removed": lambda root: (root / "articles/2015/extra.html").unlink(),
    "a missing image added": lambda root: (root / "articles/media/missing.png").write_bytes(b"\x89PNG map"),
    "a file added to the output folder": lambda root: (root / "site/robots.txt").write_text("User-agent: *\n"),
}


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(text)


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_makes_the_build_run_as_a_full_one(
    sample: Path, change: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Every file is compared by its stat data, none by content (as two seconds later).
    monkeypatch.setattr(stamp, "SETTLED_NS", 0)
    build(sample)
    twin = tmp_path / "twin"
    shutil.copytree(sample, twin, symlinks=True)
    CHANGES[change](sample)
    CHANGES[change](twin)
    after = build(sample)
    assert after.ran
    full = unstamped(twin, monkeypatch)
    said_alike(after, full)
    assert site(sample) == site(twin)
    assert not build(sample).ran  # stamped again


@pytest.mark.parametrize("how", ["force", "min_percent", "one locale"])
def test_other_settings_run(sample: Path, how: str) -> None:
    build(sample)
    if how == "force":
        assert build(sample, force=True).ran
        assert not build(sample).ran  # it made everything, with the same settings
        return
    if how == "min_percent":
        assert build(sample, min_percent=0).ran
    else:
        assert build(sample, "fr").ran
        assert not build(sample, "fr").ran  # a partial run has its own stamp...
    assert build(sample).ran  # ...and a run with other settings forgets it


def test_a_racy_input_is_compared_by_content(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue saved just before a run may be saved again within the same clock tick,
    leaving its stat data as they were: the stamp keeps its content hash."""
    build(sample)
    proj = project.open_project(sample)
    catalogue = sample / "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po"
    with Store.open(proj) as store:
        stored = stamp.Stamp.loads(store.entries("").get(stamp.COMMAND, {}).get("build"))
        assert stored is not None and str(catalogue) in stored.racy  # copied a moment ago
        seen = stamp.scan(proj, stored.outside, frozenset(stored.racy))
        monkeypatch.setattr(stamp, "scan", lambda *args, **kwargs: seen)  # stat data as they were
        assert stamp.unchanged(store, stored.settings, proj)[0] == stored
        text = catalogue.read_text(encoding="utf-8")
        catalogue.write_text(text.replace("Calais", "Kalais", 1), encoding="utf-8")  # the same size
        assert stamp.unchanged(store, stored.settings, proj)[0] is None


def test_an_input_saved_during_the_run_leaves_no_stamp(sample: Path) -> None:
    catalogue = sample / "locales/es/LC_MESSAGES/2015/11/lille-court-ruling.po"
    saved: list[bool] = []

    def runner(job: Any, context: Any, items: Any, total: int, jobs: int, progress: Any) -> Iterator[Any]:
        for item, result in in_parallel(job, context, items, total, 1, progress):
            if not saved:  # a translator saves while the build runs
                _append(catalogue, "\n")
                saved.append(True)
            yield item, result

    project.build(project.open_project(sample), [], None, lambda error: None, runner=runner)
    assert build(sample).ran


def test_errors_leave_no_stamp_and_are_said_again(sample: Path) -> None:
    catalogue = sample / "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po"
    _append(catalogue, '\nmsgid "broken\n')
    first, second = build(sample), build(sample)
    assert first.summary.errors == second.summary.errors == 1 and second.ran
    assert first.said == second.said


def test_a_folder_through_a_symbolic_link_leaves_no_stamp(sample: Path) -> None:
    (sample / "elsewhere").mkdir()
    (sample / "articles" / "linked").symlink_to(sample / "elsewhere")
    build(sample)
    assert build(sample).ran


def test_a_dry_run_stamps_nothing(sample: Path) -> None:
    assert build(sample, dry=True).ran
    assert build(sample).ran
    assert not build(sample, dry=True).ran  # it may stand on a real run's stamp


# ----------------------------------------------------------------------------- property

EDITS = st.sampled_from(["article", "catalogue", "touch", "page", "copy", "outside", "add", "remove", "nothing"])


def _edit(root: Path, edit: str, number: int) -> None:
    if edit == "article":
        path = root / "articles/2015/11/lille-court-ruling.html"
        path.write_text(path.read_text(encoding="utf-8").replace("</h1>", f" {number}</h1>", 1), encoding="utf-8")
    elif edit == "catalogue":
        path = root / "locales/es/LC_MESSAGES/2015/extra.po"
        path.write_text(path.read_text(encoding="utf-8").replace('msgstr ""\n\n', f'msgstr "Uno {number}"\n\n', 1))
    elif edit == "touch":
        _touch(root / "locales/fr/LC_MESSAGES/2015/12/channel-crossings-winter.po")
    elif edit == "page":
        for page in (root / "site/fa").rglob("*.html"):
            page.unlink()
            break
    elif edit == "copy":
        for copy in (root / "site/assets").rglob("*.png"):
            copy.unlink()
            break
    elif edit == "outside":
        (root / "static/logo.png").write_bytes(b"logo %d" % number)
    elif edit == "add":
        shutil.copy(root / "articles/2015/extra.html", root / f"articles/2015/added-{number}.html")
    elif edit == "remove":
        for added in sorted((root / "articles/2015").glob("added-*.html"))[:1]:
            added.unlink()


@pytest.mark.slow
@settings(max_examples=12)
@given(edits=st.lists(EDITS, min_size=1, max_size=4))
def test_a_stamped_build_leaves_the_site_a_full_build_leaves(
    edits: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Whatever is edited between builds, a build that may stand on its stamp says and
    writes what a build that never does says and writes."""
    work = tmp_path_factory.mktemp("stamped")
    stamped = copy_sample(work / "stamped")
    (stamped / "articles" / "2015" / "extra.html").write_text(EXTRA, encoding="utf-8")
    (stamped / "static").mkdir()
    (stamped / "static" / "logo.png").write_bytes(b"\x89PNG logo one")
    project.extract(project.open_project(stamped), [], lambda error: None)
    build(stamped)
    full = work / "full"
    shutil.copytree(stamped, full)
    with pytest.MonkeyPatch.context() as patch:
        for number, edit in enumerate(edits):
            _edit(stamped, edit, number)
            _edit(full, edit, number)
            one = build(stamped)
            other = unstamped(full, patch)
            said_alike(one, other)
            assert site(stamped) == site(full)
