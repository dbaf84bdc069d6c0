"""Files and paths (issue 10, items 8-11): modes, confined folders, links, leftovers.

* written files get the mode an ordinary write would give (umask), and a replaced
  file keeps its mode (mkstemp's 0600 must never reach a page or a catalogue);
* the configured folders stay inside the project and apart from one another;
* the lock's clean-up removes only the temporary files this tool made, by their name;
* an article that is a symbolic link out of the project is refused;
* a run removes what it made and no longer needs: a killed build's temporary files,
  the pages of a removed article, the pages of a locale removed from the configuration.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import polib
import pytest

from l10n import project
from l10n.errors import ConfigError, L10nError

from .conftest import invoke


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def make(root: Path, config: str = 'locales = ["fr"]\n', **articles: str) -> Path:
    articles = articles or {
        "alpha.html": "<html><head><title>Alpha title</title></head><body><p>The first story.</p></body></html>",
        "beta.html": "<html><head><title>Beta title</title></head><body><p>The second story.</p></body></html>",
    }
    for name, text in articles.items():
        path = root / "articles" / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text("[tool.l10n]\n" + config, encoding="utf-8")
    return root


def translate(root: Path, code: str = "fr") -> None:
    for path in (root / "locales" / code).rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = f"{code.upper()} {entry.msgid}"
        po.save(str(path))


# --- item 8: modes ---------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> object:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_new_files_get_the_mode_an_ordinary_write_gives(tmp_path: Path, umask_022: object) -> None:
    target = tmp_path / "new.html"
    project.write_atomic(target, "text")
    assert mode(target) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: object) -> None:
    target = tmp_path / "kept.po"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    project.write_atomic(target, "new")
    assert mode(target) == 0o640 and target.read_text(encoding="utf-8") == "new"


def test_pages_and_catalogues_are_readable_by_a_web_server(tmp_path: Path, umask_022: object) -> None:
    root = make(tmp_path)
    assert invoke(root, "extract").exit_code == 0
    translate(root)
    (root / "locales" / "fr" / "LC_MESSAGES" / "alpha.po").chmod(0o644)
    assert invoke(root, "extract").exit_code == 0
    assert invoke(root, "build").exit_code == 0
    written = [*(root / "site").rglob("*.html"), *(root / "locales").rglob("*.po"), *(root / "locales").rglob("*.pot")]
    assert written and {path.relative_to(root).as_posix(): mode(path) for path in written} == {
        path.relative_to(root).as_posix(): 0o644 for path in written
    }


# --- item 9: confined, separate folders -------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ('output = "articles/site"\n', "'output' (articles/site) is inside 'articles' (articles)"),
        ('locales_dir = "."\n', "'articles' (articles) is inside 'locales_dir' (.)"),
        ('locales_dir = "../elsewhere"\n', "'locales_dir' (../elsewhere) is outside the project"),
        ('output = "/tmp/site"\n', "'output' (/tmp/site) is outside the project"),
        ('output = "locales"\n', "'output' and 'locales_dir' are the same folder (locales)"),
        ('articles = "."\n', "is inside 'articles' (.)"),
    ],
)
def test_folders_outside_the_project_or_overlapping_are_a_configuration_error(
    tmp_path: Path, config: str, words: str
) -> None:
    root = make(tmp_path / "project", config)
    (root / "articles" / "site").mkdir(exist_ok=True)
    with pytest.raises(ConfigError) as caught:
        project.open_project(root)
    assert words in str(caught.value) and str(caught.value).startswith("pyproject.toml: ")
    result = invoke(root, "extract")
    assert result.exit_code == 1 and words in result.output
    assert not (root / "locales").exists() and not (root.parent / "elsewhere").exists()


def test_a_folder_reached_through_a_symbolic_link_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = make(tmp_path / "project")
    outside = tmp_path / "www"
    outside.mkdir()
    (root / "site").symlink_to(outside)
    with pytest.raises(ConfigError, match=r"'output' .* is outside the project"):
        project.open_project(root)


def test_clean_up_removes_only_this_tools_temporary_files(tmp_path: Path) -> None:
    root = make(tmp_path / "project")
    assert invoke(root, "extract").exit_code == 0
    messages = root / "locales" / "fr" / "LC_MESSAGES"
    theirs = [
        messages / ".alpha.po.tmp",  # another program's temporary file
        messages / ".alpha.po.swp",
        root / "locales" / ".notes.tmp",
        tmp_path / ".outside.tmp",
    ]
    for path in theirs:
        path.write_text("someone's work", encoding="utf-8")
    crashed = messages / ".alpha.po.l10n-abc_1234.tmp"  # the name write_atomic gives
    crashed.write_text("half a catalogue", encoding="utf-8")
    assert invoke(root, "extract").exit_code == 0
    assert [path for path in theirs if not path.exists()] == []
    assert not crashed.exists()


# --- item 10: symbolic links out of the project -----------------------------------------------


def test_an_article_linked_from_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = make(tmp_path / "project")
    secret = tmp_path / "secret.html"
    secret.write_text("<html><body><p>Private notes of the editor.</p></body></html>", encoding="utf-8")
    (root / "articles" / "leak.html").symlink_to(secret)
    result = invoke(root, "extract")
    assert result.exit_code == 1
    assert "articles/leak.html: a symbolic link to a file outside the project; not read" in result.output
    assert not (root / "locales" / "templates" / "leak.pot").exists()
    assert (root / "locales" / "templates" / "alpha.pot").exists()
    result = invoke(root, "build")
    assert result.exit_code == 1 and not (root / "site" / "en" / "leak.html").exists()
    assert "Private notes" not in "".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))


def test_an_article_linked_from_inside_the_project_is_read(tmp_path: Path) -> None:
    root = make(tmp_path / "project")
    (root / "articles" / "again.html").symlink_to(root / "articles" / "alpha.html")
    assert invoke(root, "extract").exit_code == 0
    assert (root / "locales" / "templates" / "again.pot").exists()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("tab\there.html", "tab\\there.html"),
        ("line\nbreak.html", "line\\nbreak.html"),
        ("ctl\x01char.html", "ctl\\x01char.html"),
    ],
)
def test_an_article_whose_name_holds_a_control_character_is_one_line(tmp_path: Path, name: str, shown: str) -> None:
    root = make(tmp_path / "project")
    (root / "articles" / name).write_text("<p>Hidden story.</p>", encoding="utf-8")
    result = invoke(root, "extract")
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if "control character" in line]
    # The name, escaped, says which character; the message claims no other.
    assert line == f"articles/{shown}: the file name holds a control character; rename the file"
    assert (root / "locales" / "fr" / "LC_MESSAGES" / "alpha.po").exists()


def test_an_article_whose_name_holds_a_space_is_extracted_and_built(tmp_path: Path) -> None:
    root = make(tmp_path / "project")
    (root / "articles" / "my story.html").write_text("<p>A story with a spaced name.</p>", encoding="utf-8")
    assert invoke(root, "extract").exit_code == 0, "the other articles too"
    assert invoke(root, "build", "--min-percent", "0").exit_code == 0
    assert (root / "site" / "fr" / "my story.html").exists()


def test_a_read_only_locales_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path / "project")
    assert invoke(root, "extract").exit_code == 0
    real_open = open

    def refusing(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith(".l10n.lock"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", refusing)
    result = invoke(root, "extract")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == "locales/.l10n.lock: cannot write: Permission denied"


# --- item 11: leftovers ------------------------------------------------------------------------


def built_project(tmp_path: Path) -> Path:
    root = make(tmp_path / "project", 'locales = ["fr", "es"]\n')
    assert invoke(root, "extract").exit_code == 0
    translate(root, "fr")
    translate(root, "es")
    assert invoke(root, "build").exit_code == 0
    return root


def test_a_killed_builds_temporary_files_are_removed(tmp_path: Path) -> None:
    root = built_project(tmp_path)
    crashed = root / "site" / "fr" / ".alpha.html.l10n-x1y2z3w4.tmp"
    crashed.write_text("<html>half a page", encoding="utf-8")
    mine = root / "site" / "fr" / "notes.txt"
    mine.write_text("someone's file", encoding="utf-8")
    assert invoke(root, "build").exit_code == 0
    assert not crashed.exists() and mine.exists()


def test_the_pages_of_a_removed_article_are_removed(tmp_path: Path) -> None:
    root = built_project(tmp_path)
    (root / "articles" / "beta.html").unlink()
    result = invoke(root, "build")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("*.html")) == [
        "en/alpha.html",
        "es/alpha.html",
        "fr/alpha.html",
    ]


def test_a_locale_removed_from_the_configuration_loses_its_pages(tmp_path: Path) -> None:
    root = built_project(tmp_path)
    (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    result = invoke(root, "build")
    assert result.exit_code == 0, result.output
    assert not (root / "site" / "es").exists()
    assert (root / "site" / "fr" / "alpha.html").exists()
    assert 'hreflang="es"' not in (root / "site" / "fr" / "alpha.html").read_text(encoding="utf-8")


def test_a_partial_build_keeps_the_other_locales_pages(tmp_path: Path) -> None:
    root = built_project(tmp_path)
    assert invoke(root, "build", "-l", "fr").exit_code == 0
    assert (root / "site" / "es" / "alpha.html").exists()


def test_a_folder_without_articles_is_a_configuration_error(tmp_path: Path) -> None:
    # open_project on a folder without articles is a ConfigError, never an OSError.
    with pytest.raises(L10nError):
        project.open_project(tmp_path)


def test_a_streamed_file_replaces_only_what_differs_and_leaves_nothing_behind(tmp_path: Path) -> None:
    from l10n.errors import OutputError
    from l10n.project.files import StreamedFile

    target = tmp_path / "sitemap.xml"
    target.write_text("old")
    os.chmod(target, 0o640)
    with StreamedFile(tmp_path, "site/sitemap-1.xml") as out:
        out.write(b"new ")
        out.write("text é".encode())
        assert out.commit(target)
    assert target.read_text(encoding="utf-8") == "new text é"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # a replaced file keeps its mode
    before = target.stat()
    with StreamedFile(tmp_path, "site/sitemap-1.xml") as out:
        out.write("new text é".encode())
        assert not out.commit(target)  # the same bytes: left as it is
    assert (target.stat().st_ino, target.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    with StreamedFile(tmp_path, "site/sitemap-1.xml", dry=True) as out:
        out.write(b"other")
        assert out.commit(target)  # would be replaced...
    assert target.read_text(encoding="utf-8") == "new text é"  # ...but a dry run writes nothing
    with pytest.raises(RuntimeError), StreamedFile(tmp_path, "site/sitemap-1.xml") as out:
        out.write(b"half")
        raise RuntimeError("the run stops midway")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sitemap.xml"]  # no temporary file left
    with pytest.raises(OutputError, match=r"^site/x\.xml: cannot write: Not a directory$"):
        StreamedFile(target / "folder", "site/x.xml")  # a file where the folder should be
