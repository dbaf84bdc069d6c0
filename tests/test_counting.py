"""The ``status`` counts kept in the run store (issue 16, item 6): ``extract`` and ``status``
store each catalogue's counts under the hashes of its bytes and its template's; ``status``
reads a catalogue again only when one of them changed, and says what counting it says."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import polib
import pytest

from l10n import stats
from l10n.project import counting, open_project
from l10n.project.paths import Project, distinct_slugs
from l10n.project.store import Store

from .conftest import copy_sample, invoke

CATALOGUE = "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po"
ARTICLE = "articles/2015/11/calais-migrant-camp.html"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files counting reads (catalogues and templates), as paths from the project root."""
    seen: list[str] = []
    original = counting._Read

    class Spy(original):  # type: ignore[misc,valid-type]
        def __init__(self, project: Project, path: str, name: str) -> None:
            seen.append(name)
            super().__init__(project, path, name)

    monkeypatch.setattr(counting, "_Read", Spy)
    return seen


def counted_afresh(root: Path) -> list[stats.Row]:
    """The rows counted from the files, no store read or written."""
    return counting.status_rows(open_project(root), [], Store(None, None))


def status(root: Path) -> list[stats.Row]:
    result = invoke(root, "status", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return [
        stats.Row(locale["locale"], row["article"], row["catalogue"], row["exists"],
                  stats.Counts(*(row[name] for name in ("units", "words", "translated", "fuzzy", "untranslated",
                                                        "invalid"))), row["error"])
        for locale in document["locales"] for row in locale["articles"]
    ]  # fmt: skip


def test_status_after_extract_reads_no_catalogue(tmp_path: Path, reads: list[str]) -> None:
    root = copy_sample(tmp_path)
    # An article changed: its template and catalogues are written by this extract; the others are not.
    article = root / ARTICLE
    article.write_text(article.read_text().replace("</p>", "</p><p>A new paragraph.</p>", 1))
    assert invoke(root, "extract").exit_code == 0
    rows = status(root)
    assert reads == []
    assert rows == counted_afresh(root)
    assert any(row.counts.untranslated for row in rows if row.article.endswith("calais-migrant-camp.html"))


def test_a_saved_catalogue_is_counted_again_and_only_it(tmp_path: Path, reads: list[str]) -> None:
    root = copy_sample(tmp_path)
    assert invoke(root, "extract").exit_code == 0
    before = {(row.locale, row.article): row.counts for row in status(root)}
    po = polib.pofile(str(root / CATALOGUE))
    entry = next(entry for entry in po if entry.msgstr and not entry.obsolete and not entry.fuzzy)
    entry.msgstr = ""  # a translator takes a translation back
    po.save()
    rows = status(root)
    assert sorted(reads) == [
        "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po",
        "locales/templates/2015/11/calais-migrant-camp.pot",
    ]
    key = ("fr", "2015/11/calais-migrant-camp.html")
    after = {(row.locale, row.article): row.counts for row in rows}
    assert after[key].translated == before[key].translated - 1
    assert rows == counted_afresh(root)


def test_status_stores_what_it_counts(tmp_path: Path, reads: list[str]) -> None:
    root = copy_sample(tmp_path)  # never extracted here: nothing stored
    first = status(root)
    assert len(reads) > len(first)  # every catalogue, and the templates
    reads.clear()
    assert status(root) == first
    assert reads == []


def test_counts_stored_for_other_bytes_or_unreadable_are_not_used(tmp_path: Path, reads: list[str]) -> None:
    root = copy_sample(tmp_path)
    assert invoke(root, "extract").exit_code == 0
    with sqlite3.connect(root / ".l10n-cache" / "state.sqlite3") as db:
        db.execute("UPDATE entries SET value = '[\"other\", 1, 2, 3, 4, 5, 6]' WHERE command = 'counts'"
                   " AND key = 'fr'")  # fmt: skip
        db.execute("UPDATE entries SET value = 'not json' WHERE command = 'counts' AND key = 'de'")
    rows = status(root)
    assert reads and all("/fr/" in path or "/de/" in path or "templates" in path for path in reads)
    assert rows == counted_afresh(root)


def test_a_dry_run_stores_no_counts(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    assert invoke(root, "extract").exit_code == 0
    article = root / ARTICLE
    article.write_text(article.read_text().replace("</p>", "</p><p>A new paragraph.</p>", 1))
    store = root / ".l10n-cache" / "state.sqlite3"
    before = store.read_bytes()
    for options in (["--dry-run"], ["--check"]):
        invoke(root, "extract", *options)
        assert store.read_bytes() == before


@pytest.mark.parametrize("locales_dir", ["locales", "po/files"])
def test_files_are_the_projects_paths_and_names(tmp_path: Path, locales_dir: str) -> None:
    (tmp_path / "project" / "articles").mkdir(parents=True)
    (tmp_path / "project" / "l10n.toml").write_text(
        f'[tool.l10n]\nsource_locale = "en"\nlocales = ["fr", "pt-BR"]\nlocales_dir = "{locales_dir}"\n'
    )
    project = open_project(tmp_path / "project")
    slug = "2015/11/story.htm"
    locales = project.config.locales
    expected = [project.template_path(slug), *(project.catalog_path(locale, slug) for locale in locales)]
    assert counting.files(project, slug, locales) == [(str(path), project.rel(path)) for path in expected]


@pytest.mark.parametrize("one_by_one", [0, 1000])
def test_the_dashboards_rows_are_status_rows_whether_the_store_is_read_at_once_or_by_article(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, one_by_one: int
) -> None:
    from l10n.project import previewing

    monkeypatch.setattr(previewing, "_ONE_BY_ONE", one_by_one)
    root = copy_sample(tmp_path)
    assert invoke(root, "extract").exit_code == 0
    cache = previewing.StatusCache()
    rows = cache.rows(open_project(root), distinct_slugs(open_project(root)))
    assert reads == []  # the counts extract stored
    assert rows == status(root) == counted_afresh(root)
    reads.clear()
    po = polib.pofile(str(root / CATALOGUE))
    next(entry for entry in po if entry.msgstr and not entry.obsolete and not entry.fuzzy).msgstr = ""
    po.save()
    rows = cache.rows(open_project(root), distinct_slugs(open_project(root)))
    assert reads == ["locales/templates/2015/11/calais-migrant-camp.pot", CATALOGUE]
    assert rows == counted_afresh(root)
