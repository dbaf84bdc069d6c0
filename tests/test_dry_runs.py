"""``extract --check`` and ``--dry-run`` on ``extract`` and ``build``: what a run would
write, said, and nothing written (no file, no folder, no run store, no temporary file)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polib
import pytest

from l10n import project
from l10n.errors import L10nError
from l10n.project.disk import Disk, DryDisk
from l10n.project.paths import stem

from .conftest import copy_sample, dumps, invoke

ARTICLE = "articles/2015/11/calais-migrant-camp.html"
STEM = "2015/11/calais-migrant-camp"
CATALOGUES = [f"locales/{lang}/LC_MESSAGES/{STEM}.po" for lang in ("es", "fa", "fr", "zh_Hans")]
TEMPLATE = f"locales/templates/{STEM}.pot"


Tree = dict[str, tuple[bytes | None, int, int]]


def tree(root: Path) -> Tree:
    """Every file's bytes, and every file's and folder's mtime and mode under *root*, the
    run store included."""
    found: Tree = {}
    for folder, folders, names in os.walk(root):
        for name in folders:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix() + "/"] = (None, path.stat().st_mtime_ns, path.stat().st_mode)
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode)
    return found


def changed(before: Tree, after: Tree) -> set[str]:
    """The files created, removed or whose bytes changed between two :func:`tree` snapshots."""
    files = {name for name in before.keys() | after.keys() if not name.endswith("/")}
    return {name for name in files if (before.get(name) or (None,))[0] != (after.get(name) or (None,))[0]}


def listed(output: str) -> set[str]:
    """The paths a dry run lists (``would create PATH``, ``would remove PATH: why``...)."""
    paths = set()
    for line in output.splitlines():
        if line.startswith("would "):
            paths.add(line.split(" ", 2)[2].split(": ", 1)[0])
    return paths


def edit_article(root: Path) -> None:
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("heated tents for woman", "heated tents for women"), encoding="utf-8")


@pytest.fixture
def extracted(tmp_path: Path) -> Path:
    """The sample project, extracted once (the run store made)."""
    root = copy_sample(tmp_path / "project")
    assert invoke(root, "extract").exit_code == 0
    return root


def test_check_on_an_up_to_date_project_lists_nothing_and_exits_0(sample_project: Path) -> None:
    before = tree(sample_project)
    result = invoke(sample_project, "extract", "--check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert tree(sample_project) == before  # not even the run store or the lock file


def test_check_lists_the_template_and_every_catalogue_of_an_edited_article(extracted: Path) -> None:
    edit_article(extracted)
    before = tree(extracted)
    result = invoke(extracted, "extract", "--check")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"would update {TEMPLATE}"  # then the catalogues, in the configuration's order
    assert sorted(lines[1:]) == [f"would update {path}" for path in CATALOGUES]
    assert tree(extracted) == before  # every byte and mtime, .l10n-cache included
    again = invoke(extracted, "extract", "--check")  # a check after a check: the same answer
    assert (again.exit_code, again.stdout) == (1, result.stdout)
    assert tree(extracted) == before
    real = invoke(extracted, "extract")
    assert real.exit_code == 0, real.output
    assert changed(before, tree(extracted)) - {".l10n-cache/state.sqlite3"} == listed(result.stdout)
    after = invoke(extracted, "extract", "--check")
    assert (after.exit_code, after.stdout) == (0, "")


def test_a_real_run_after_a_check_is_as_if_the_check_never_happened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1446541920")  # new catalogues carry the run's time
    checked, plain = copy_sample(tmp_path / "checked"), copy_sample(tmp_path / "plain")
    for root in (checked, plain):
        assert invoke(root, "extract").exit_code == 0
        edit_article(root)
    assert invoke(checked, "extract", "--check", "-l", "pt-BR").exit_code == 1
    results = [project.extract(project.open_project(root), ["pt-BR"], _fail) for root in (checked, plain)]
    assert results[0].written == results[1].written and results[0].unchanged == results[1].unchanged
    files = [{k: v[0] for k, v in tree(root).items() if not k.startswith(".l10n-cache")} for root in (checked, plain)]
    assert files[0] == files[1]


def _fail(error: L10nError) -> None:
    raise AssertionError(str(error))


def test_dry_run_lists_as_check_does_but_exits_0(extracted: Path) -> None:
    edit_article(extracted)
    before = tree(extracted)
    checked = invoke(extracted, "extract", "--check")
    dry = invoke(extracted, "extract", "--dry-run")
    assert dry.exit_code == 0 and checked.exit_code == 1
    assert dry.stdout == checked.stdout != ""
    assert "run l10n extract" in checked.stderr and "run l10n extract" not in dry.stderr
    assert dry.stderr.splitlines()[-1].startswith("dry run, nothing written: 3 articles, 5 files would be written")
    assert tree(extracted) == before


def test_check_creating_catalogues_says_create(extracted: Path) -> None:
    before = tree(extracted)
    result = invoke(extracted, "extract", "--check", "-l", "pt-BR")
    assert result.exit_code == 1
    slugs = project.article_slugs(project.open_project(extracted))
    made = {f"would create locales/pt_BR/LC_MESSAGES/{stem(slug)}.po" for slug in slugs}
    assert set(result.stdout.splitlines()) == made
    assert tree(extracted) == before  # no locales/pt_BR/ folder either


def test_a_translators_new_translation_does_not_fail_the_check(extracted: Path) -> None:
    path = extracted / "locales/fr/LC_MESSAGES" / f"{STEM}.po"
    po = polib.pofile(str(path))
    entry = po.find("France, Britain to improve Calais migrant camp response - RFI")
    assert entry is not None
    entry.msgstr = ""
    path.write_text(dumps(po), encoding="utf-8")  # untranslated, as extract would lay it out
    assert invoke(extracted, "extract").stdout == ""
    before = path.read_bytes()
    long = "La France et le Royaume-Uni veulent améliorer leur réponse à la crise du camp de migrants de Calais"
    entry.msgstr = long
    path.write_text(dumps(po), encoding="utf-8")  # saved by an editor that lays it out as msgcat does
    assert path.read_bytes() != before
    result = invoke(extracted, "extract", "--check")
    assert (result.exit_code, result.stdout) == (0, ""), result.output
    # Laid out otherwise (the long line not wrapped at 79 columns): extract would rewrite it,
    # and the check says so.
    text = path.read_text(encoding="utf-8")
    start = text.index('msgstr ""', text.index('msgid "France, Britain to improve Calais migrant camp response - RFI"'))
    end = text.index("\n\n", start)
    path.write_text(text[:start] + f'msgstr "{long}"' + text[end:], encoding="utf-8")
    result = invoke(extracted, "extract", "--check")
    assert (result.exit_code, result.stdout) == (1, f"would update locales/fr/LC_MESSAGES/{STEM}.po\n")


def test_check_with_prune_lists_what_would_be_removed(extracted: Path) -> None:
    gone = extracted / "locales/fr/LC_MESSAGES/2015/11/old-story.po"
    shutil.copy(extracted / "locales/fr/LC_MESSAGES" / f"{STEM}.po", gone)
    before = tree(extracted)
    result = invoke(extracted, "extract", "--check", "--prune")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "would create locales/fr/memory.po" in lines
    assert any(line.startswith("would remove locales/fr/LC_MESSAGES/2015/11/old-story.po: ") for line in lines)
    assert "removed" not in result.stderr
    assert tree(extracted) == before
    assert invoke(extracted, "extract", "--prune").exit_code == 0
    assert changed(before, tree(extracted)) - {".l10n-cache/state.sqlite3"} == listed(result.stdout)


def test_check_reports_bad_input_at_its_line_and_writes_nothing(extracted: Path) -> None:
    path = extracted / "locales/fr/LC_MESSAGES" / f"{STEM}.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    before = tree(extracted)
    result = invoke(extracted, "extract", "--check")
    assert result.exit_code == 1
    assert f"locales/fr/LC_MESSAGES/{STEM}.po:" in result.stderr
    assert tree(extracted) == before
    dry = invoke(extracted, "extract", "--dry-run")
    assert dry.exit_code == 1  # an input error, as in a real run


def test_build_dry_run_lists_the_pages_copies_and_feeds_and_writes_nothing(extracted: Path) -> None:
    before = tree(extracted)
    dry = invoke(extracted, "build", "--dry-run")
    assert dry.exit_code == 0, dry.output
    paths = listed(dry.stdout)
    assert {"site/en/2015/11/lille-court-ruling.html", "site/sitemap.xml", "site/fr/feed.xml"} <= paths
    assert any(path.startswith("site/assets/") for path in paths)  # the copies pages refer to
    assert all(line.startswith("would create ") for line in dry.stdout.splitlines())
    assert tree(extracted) == before  # no site/, no store update
    real = invoke(extracted, "build")
    assert real.exit_code == 0, real.output
    made = tree(extracted)
    assert changed(before, made) - {".l10n-cache/state.sqlite3"} == paths
    # Nothing to do: nothing listed. Then an edited article: its pages and the feeds.
    assert invoke(extracted, "build", "--dry-run").stdout == ""
    edit_article(extracted)
    assert invoke(extracted, "extract").exit_code == 0
    before = tree(extracted)
    dry = invoke(extracted, "build", "--dry-run")
    assert tree(extracted) == before
    assert "would update site/en/2015/11/calais-migrant-camp.html" in dry.stdout.splitlines()
    assert invoke(extracted, "build").exit_code == 0
    assert changed(before, tree(extracted)) - {".l10n-cache/state.sqlite3"} == listed(dry.stdout)


def test_build_dry_run_lists_the_pages_it_would_remove(extracted: Path) -> None:
    assert invoke(extracted, "build").exit_code == 0
    (extracted / ARTICLE).unlink()
    before = tree(extracted)
    dry = invoke(extracted, "build", "--dry-run")
    assert dry.exit_code == 0, dry.output
    lines = dry.stdout.splitlines()
    assert "would remove site/en/2015/11/calais-migrant-camp.html" in lines
    assert tree(extracted) == before
    assert invoke(extracted, "build").exit_code == 0
    assert changed(before, tree(extracted)) - {".l10n-cache/state.sqlite3"} == listed(dry.stdout)
    # The article's template is generated, and goes; its catalogues are the translators'.
    check = invoke(extracted, "extract", "--check")
    assert (check.exit_code, check.stdout) == (1, f"would remove {TEMPLATE}\n")


def test_build_dry_run_in_one_process_lists_what_workers_list(extracted: Path) -> None:
    problems: list[L10nError] = []
    proj = project.open_project(extracted)
    one = project.build(proj, [], None, problems.append, jobs=1, dry_run=True)
    two = project.build(proj, [], None, problems.append, jobs=2, dry_run=True)
    assert project.planned(proj, one) == project.planned(proj, two) != []
    assert not (extracted / "site").exists() and problems == []


def test_build_dry_run_with_json_keeps_stdout_json(extracted: Path) -> None:
    result = invoke(extracted, "build", "--dry-run", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["written"] > 0  # the listing went to stderr
    assert "would create site/sitemap.xml" in result.stderr.splitlines()
    assert not (extracted / "site").exists()


def test_build_dry_run_leaves_a_copy_whose_time_and_mode_differ_as_it_is(extracted: Path) -> None:
    assert invoke(extracted, "build").exit_code == 0
    copy = next((extracted / "site/assets").rglob("*.png"))
    os.chmod(copy, 0o600)
    os.utime(copy, ns=(0, 0))  # same bytes: a real build gives it its mode and time back, unsaid
    before = tree(extracted)
    dry = invoke(extracted, "build", "--dry-run")
    assert (dry.exit_code, dry.stdout) == (0, "")
    assert tree(extracted) == before
    assert invoke(extracted, "build").exit_code == 0
    assert (copy.stat().st_mode & 0o777, copy.stat().st_mtime_ns) != (0o600, 0)


def test_a_dry_run_reads_back_the_catalogues_it_would_have_written(extracted: Path) -> None:
    # Translation memory is filled when first asked, after the run wrote some catalogues:
    # a dry run reads those as it would have written them.
    proj = project.open_project(extracted)
    path = extracted / "locales/fr/LC_MESSAGES" / f"{STEM}.po"
    on_disk = path.read_bytes()
    po = polib.pofile(str(path))
    po[0].msgstr = "Traduit pendant la simulation"
    disk = DryDisk()
    assert disk.write(path, dumps(po))
    data, catalogue = disk.read_catalog(proj, path)
    assert data == dumps(po).encode("utf-8") and catalogue is not None
    assert "Traduit pendant la simulation" in {message.msgstr for message in catalogue.messages}
    assert path.read_bytes() == on_disk
    assert Disk().read_catalog(proj, path)[0] == on_disk
