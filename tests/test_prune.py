"""``extract --prune``: catalogues of gone articles removed, their translations kept for memory (issue 12, item 6)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import polib
import pytest

from l10n import compendium
from l10n.catalog import read
from l10n.locale import parse_locale
from l10n.po.model import Catalog, Message
from l10n.po.writer import write
from l10n.project import disk, files

from .conftest import invoke, need
from .test_translators_work_kept import ARTICLE, catalogue, make, save_translation

COURT = "The court ordered new water points."
OLD = ARTICLE.replace("camp", "port")  # shares two units with ARTICLE, not the titles


def memory_file(root: Path) -> Path:
    return root / "locales" / "fr" / "memory.po"


def pruned_project(tmp_path: Path) -> Path:
    """story.html and news/old.html extracted, old translated, then old deleted."""
    root = make(tmp_path, **{"story.html": ARTICLE, "news/old.html": OLD})
    assert invoke(root, "extract").exit_code == 0
    save_translation(catalogue(root, "news/old"), COURT, "Le tribunal a ordonné des points d'eau.")
    save_translation(catalogue(root, "news/old"), "The port", "Le port")
    (root / "articles" / "news" / "old.html").unlink()
    return root


def test_prune_removes_only_the_catalogues_whose_article_is_gone(tmp_path: Path) -> None:
    root = pruned_project(tmp_path)
    story = catalogue(root).read_bytes()
    result = invoke(root, "extract", "--prune")
    assert result.exit_code == 0, result.output
    assert (
        "removed locales/fr/LC_MESSAGES/news/old.po: its article is gone;"
        " its translations are kept in locales/fr/memory.po"
    ) in result.stderr
    assert "1 catalogue pruned" in result.stderr
    assert not catalogue(root, "news/old").exists()
    assert not (root / "locales" / "fr" / "LC_MESSAGES" / "news").exists(), "its emptied folder goes too"
    assert catalogue(root).read_bytes() == story
    memory = polib.pofile(str(memory_file(root)))
    entry = memory.find("The port")
    assert entry is not None and entry.msgstr == "Le port" and entry.tcomment == 'Pruned from: "news/old"'
    assert entry.occurrences == [("articles/news/old.html", "1")], "the references name the gone article"
    # no longer an orphan, and never an article's catalogue
    data = json.loads(invoke(root, "status", "--json").stdout)
    assert data["orphans"] == []
    assert [row["article"] for row in data["locales"][0]["articles"]] == ["story.html"]
    assert invoke(root, "check").exit_code == 0
    # a second run has nothing to prune and rewrites nothing
    memory_bytes = memory_file(root).read_bytes()
    again = invoke(root, "extract", "--prune", "-v")
    assert again.exit_code == 0 and "removed" not in again.stderr and "wrote" not in again.stderr
    assert memory_file(root).read_bytes() == memory_bytes


def test_without_prune_nothing_is_removed_and_no_memory_written(tmp_path: Path) -> None:
    root = pruned_project(tmp_path)
    assert invoke(root, "extract").exit_code == 0
    assert catalogue(root, "news/old").exists() and not memory_file(root).exists()


@pytest.mark.parametrize("name", ["fresh.html", "news/old.html"])
def test_after_prune_a_new_article_is_prefilled_from_the_memory(tmp_path: Path, name: str) -> None:
    """A new article, or the gone one come back under its old name, gets the pruned translation."""
    root = pruned_project(tmp_path)
    assert invoke(root, "extract", "--prune").exit_code == 0
    # the locale's only translations are in its memory now: even with no catalogue left
    for path in (root / "locales" / "fr" / "LC_MESSAGES").glob("*.po"):
        path.unlink()
    (root / "articles" / name).parent.mkdir(parents=True, exist_ok=True)
    (root / "articles" / name).write_text(OLD, encoding="utf-8")
    assert invoke(root, "extract").exit_code == 0
    po = polib.pofile(str(catalogue(root, name.removesuffix(".html"))))
    entry = po.find("The port")
    assert entry is not None and entry.msgstr == "Le port" and "fuzzy" not in entry.flags
    assert entry.tcomment == "Translation memory: news/old (pruned)"


def test_a_catalogue_saved_between_read_and_removal_is_not_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = pruned_project(tmp_path)
    real = files.write_atomic

    def translator_saves_meanwhile(path: Path, text: str, **options: object) -> bool:
        save_translation(catalogue(root, "news/old"), "The port", "Le port de Calais")
        return real(path, text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(disk, "write_atomic", translator_saves_meanwhile)
    result = invoke(root, "extract", "--prune")
    assert result.exit_code == 1
    assert (
        "locales/fr/LC_MESSAGES/news/old.po: changed by another program while extract ran;"
        " not removed: run extract --prune again"
    ) in result.stderr
    assert "removed" not in result.stderr.replace("not removed", "")
    entry = polib.pofile(str(catalogue(root, "news/old"))).find("The port")
    assert entry is not None and entry.msgstr == "Le port de Calais", "the save is kept"
    monkeypatch.undo()
    # the next prune takes what was saved: the same catalogue's entries replace their first copy
    assert invoke(root, "extract", "--prune").exit_code == 0
    assert not catalogue(root, "news/old").exists()
    memory = polib.pofile(str(memory_file(root)))
    entry = memory.find("The port")
    assert entry is not None and entry.msgstr == "Le port de Calais" and entry.tcomment == 'Pruned from: "news/old"'


def test_a_catalogue_that_cannot_be_read_is_not_removed(tmp_path: Path) -> None:
    root = pruned_project(tmp_path)
    broken = catalogue(root, "news/old")
    broken.write_bytes(broken.read_bytes() + b'\nmsgid "unterminated\n')
    result = invoke(root, "extract", "--prune")
    assert result.exit_code == 1
    assert "not pruned (its translations could not be kept)" in result.stderr
    assert broken.exists()


def test_a_memory_saved_meanwhile_stops_the_prune(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = pruned_project(tmp_path)
    real = files.write_atomic

    def someone_writes_the_memory(path: Path, text: str, **options: object) -> bool:
        path.write_text("# a hand-made memory\n", encoding="utf-8")
        return real(path, text, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(disk, "write_atomic", someone_writes_the_memory)
    result = invoke(root, "extract", "--prune")
    assert result.exit_code == 1 and "locales/fr/memory.po: changed by another program" in result.stderr
    assert catalogue(root, "news/old").exists()
    assert memory_file(root).read_text(encoding="utf-8") == "# a hand-made memory\n"


def test_prune_with_no_article_at_all_removes_nothing(tmp_path: Path) -> None:
    """An articles folder emptied by mistake would make every catalogue an orphan."""
    root = pruned_project(tmp_path)
    (root / "articles" / "story.html").unlink()
    result = invoke(root, "extract", "--prune")
    assert result.exit_code == 1 and "no articles found: --prune removes nothing" in result.stderr
    assert catalogue(root).exists() and catalogue(root, "news/old").exists()


def test_the_memory_file_is_one_gettext_accepts_and_msgcat_prints_unchanged(tmp_path: Path) -> None:
    msgfmt, msgcat = need("msgfmt"), need("msgcat")
    root = make(tmp_path, **{"story.html": ARTICLE, "a.html": OLD, "b.html": OLD.replace("vote", "poll")})
    assert invoke(root, "extract").exit_code == 0
    for stem, court in (("a", "Le tribunal a ordonné des points d'eau."), ("b", "La cour a ordonné des points d'eau.")):
        po = polib.pofile(str(catalogue(root, stem)))
        for entry in po:
            entry.msgstr = {COURT: court, "The port": "Le port"}.get(entry.msgid, "")
        vote = po.find("A poll follows next week.") or po.find("A vote follows next week.")
        assert vote is not None
        vote.msgstr, vote.flags, vote.previous_msgid = "Un vote « suit »", ["fuzzy"], "A ballot follows."
        vote.tcomment = "checked with the desk"
        po.append(polib.POEntry(msgid="Gone sentence.", msgstr="Phrase partie.", obsolete=True))
        po.save(str(catalogue(root, stem)))
        (root / "articles" / f"{stem}.html").unlink()
    result = invoke(root, "extract", "--prune")
    assert result.exit_code == 0, result.output
    path = memory_file(root)
    checked = subprocess.run([msgfmt, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "warning" not in checked.stderr, checked.stderr
    printed = subprocess.run([msgcat, str(path)], capture_output=True, check=True).stdout
    assert printed == path.read_bytes()
    memory = polib.pofile(str(path))
    kept = memory.find(COURT)
    assert kept is not None and kept.msgstr == "Le tribunal a ordonné des points d'eau."
    assert kept.tcomment.split("\n") == [
        'Pruned from: "a"',
        'Kept translation (pruned from "b"): "La cour a ordonné des points d\'eau."',
    ]
    assert [entry.msgid for entry in memory.obsolete_entries()] == ["Gone sentence."]
    assert memory.metadata["Language"] == "fr" and memory.metadata["Plural-Forms"] == parse_locale("fr").plural_forms


# --- the pure part ------------------------------------------------------------------------------


def _pruned(*messages: Message) -> Catalog:
    return Catalog(messages)


def test_gather_prefers_a_live_translation_and_keeps_the_other() -> None:
    memory = compendium.gather(
        compendium.empty(parse_locale("fr"), "French", "now"),
        [
            ("a", _pruned(Message("Hello", "Salut", flags=("fuzzy",)), Message("Untranslated"))),
            ("b", _pruned(Message("Hello", "Bonjour"))),
        ],
        "now",
    )
    assert [(m.msgid, m.msgstr, m.flags) for m in memory] == [("Hello", "Bonjour", ())]
    assert compendium.origin_of(memory.messages[0]) == "b"
    assert 'Kept translation (pruned from "a", fuzzy): "Salut"' in memory.messages[0].translator_comments
    assert read(write(memory)) == memory


def test_by_origin_names_each_pruned_catalogue_apart_from_the_articles() -> None:
    memory = compendium.gather(
        Catalog(), [("news/old", _pruned(Message("One", "Un"))), ("x", _pruned(Message("Two", "Deux")))], "now"
    )
    hand_made = Catalog((*memory.messages, Message("Three", "Trois")))
    assert [(origin, [m.msgid for m in part]) for origin, part in compendium.by_origin(hand_made)] == [
        ("news/old (pruned)", ["One"]),
        ("x (pruned)", ["Two"]),
        ("memory.po", ["Three"]),
    ]
