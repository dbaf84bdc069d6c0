"""``l10n init``: a working project in an empty folder, never a file overwritten (issue 12, item 6)."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from l10n import project, scaffold
from l10n.config import Config, config_from
from l10n.locale import parse_locale

from .conftest import invoke

ARTICLE = (
    "<html><head><title>Camp title</title></head><body><h1>The camp</h1>"
    "<p>The court ordered new water points.</p></body></html>"
)


def test_init_in_an_empty_folder_makes_a_project_that_extracts_and_builds(tmp_path: Path) -> None:
    result = invoke(tmp_path, "init", "--source", "en", "-l", "fr", "-l", "pt_BR")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        ".gitignore",
        "articles",
        "articles/.gitkeep",
        "l10n.toml",
        "locales",
        "locales/.gitkeep",
    ]
    table = tomllib.loads((tmp_path / "l10n.toml").read_text(encoding="utf-8"))
    assert table == {"source_locale": "en", "locales": ["fr", "pt-BR"]}
    ignored = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/site/", "/.l10n-cache/", "/locales/.l10n.lock"} <= set(ignored)
    # the next steps, numbered, with the commands
    assert "  2. l10n extract" in result.stdout and "  4. l10n build" in result.stdout
    # right away, with no article yet, and then with one
    for command in ("extract", "build", "status"):
        assert invoke(tmp_path, command).exit_code == 0, command
    (tmp_path / "articles" / "story.html").write_text(ARTICLE, encoding="utf-8")
    assert invoke(tmp_path, "extract").exit_code == 0
    assert (tmp_path / "locales" / "pt_BR" / "LC_MESSAGES" / "story.po").is_file()
    assert invoke(tmp_path, "build", "--min-percent", "0").exit_code == 0
    assert (tmp_path / "site" / "en" / "story.html").is_file()
    assert (tmp_path / "site" / "fr" / "story.html").is_file()


def test_the_gitignore_keeps_out_what_runs_make(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    assert invoke(tmp_path, "init", "-l", "fr").exit_code == 0
    (tmp_path / "articles" / "story.html").write_text(ARTICLE, encoding="utf-8")
    assert invoke(tmp_path, "extract").exit_code == 0
    assert invoke(tmp_path, "build", "--min-percent", "0").exit_code == 0
    (tmp_path / "locales" / ".story.po.l10n-abcd1234.tmp").write_text("", encoding="utf-8")  # a crashed run's
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(
        [git, "-C", str(tmp_path), "ls-files", "--others", "--exclude-standard"], capture_output=True, text=True
    ).stdout.split()
    assert sorted(listed) == [
        ".gitignore",
        "articles/.gitkeep",
        "articles/story.html",
        "l10n.toml",
        "locales/.gitkeep",
        "locales/fr/LC_MESSAGES/story.po",
        "locales/templates/story.pot",
    ]


def test_status_in_a_new_project_says_there_are_no_articles_yet(tmp_path: Path) -> None:
    """It said "no target locales: set locales in l10n.toml" when the locales were set."""
    assert invoke(tmp_path, "init", "-l", "fr").exit_code == 0
    result = invoke(tmp_path, "status")
    assert result.exit_code == 0
    assert "no target locales" not in result.output
    assert "no articles in articles/" in result.output


@pytest.mark.parametrize(
    ("name", "text", "shown"),
    [
        ("l10n.toml", 'locales = ["de"]\n', "l10n.toml"),
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.l10n]\nlocales = ["de"]\n', "pyproject.toml"),
        ("pyproject.toml", "[tool.l10n]\n", "pyproject.toml"),
        ("articles/2025/story.html", ARTICLE, "articles/"),
        ("articles/old.HTM", ARTICLE, "articles/"),
    ],
)
def test_init_refuses_a_folder_that_holds_a_project(tmp_path: Path, name: str, text: str, shown: str) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = invoke(tmp_path, "init", "-l", "fr")
    assert result.exit_code == 1
    assert result.output.startswith(f"{shown}: this folder is already an l10n project; init changed nothing")
    assert len(result.output.splitlines()) == 1
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before, "nothing written"


def test_init_twice_refuses_the_second_time(tmp_path: Path) -> None:
    assert invoke(tmp_path, "init", "-l", "fr").exit_code == 0
    before = (tmp_path / "l10n.toml").read_bytes()
    result = invoke(tmp_path, "init", "-l", "de")
    assert result.exit_code == 1 and result.output.startswith("l10n.toml: ")
    assert (tmp_path / "l10n.toml").read_bytes() == before


def test_an_empty_articles_folder_or_other_files_are_no_project(tmp_path: Path) -> None:
    (tmp_path / "articles" / "images").mkdir(parents=True)
    (tmp_path / "articles" / "images" / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "README.md").write_text("# Newsroom\n", encoding="utf-8")
    assert invoke(tmp_path, "init").exit_code == 0
    assert (tmp_path / "articles" / "images" / "photo.jpg").read_bytes() == b"\xff\xd8"
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Newsroom\n"


def test_a_pyproject_without_l10n_is_left_byte_for_byte_and_l10n_toml_written(tmp_path: Path) -> None:
    pyproject = b'[project]\r\nname = "newsroom"  # ours\r\n\r\n[tool.ruff]\r\nline-length = 100'
    (tmp_path / "pyproject.toml").write_bytes(pyproject)
    result = invoke(tmp_path, "init", "-l", "de")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pyproject.toml").read_bytes() == pyproject
    assert (tmp_path / "l10n.toml").is_file()
    opened = project.open_project(tmp_path)
    assert opened.config_file == "l10n.toml" and opened.config.locales == (parse_locale("de"),)


def test_an_unreadable_pyproject_is_refused_not_hidden(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.l10n\n", encoding="utf-8")
    result = invoke(tmp_path, "init")
    assert result.exit_code == 1 and result.output.startswith("pyproject.toml: cannot be read as TOML")
    assert not (tmp_path / "l10n.toml").exists() and not (tmp_path / "articles").exists()


def test_an_existing_gitignore_gets_only_the_missing_lines_appended(tmp_path: Path) -> None:
    existing = b"# ours\r\nnode_modules/\r\nsite\r\n/.l10n-cache\r\n*.pyc"  # no final line break
    (tmp_path / ".gitignore").write_bytes(existing)
    result = invoke(tmp_path, "init", "-l", "fr")
    assert result.exit_code == 0, result.output
    data = (tmp_path / ".gitignore").read_bytes()
    assert data.startswith(existing), "its bytes are kept"
    added = data[len(existing) :].decode("utf-8").splitlines()
    assert added == ["", "", scaffold.IGNORE_COMMENT, "/locales/.l10n.lock", ".*.l10n-*.tmp", "/xliff/"]
    assert ".gitignore: added /locales/.l10n.lock, .*.l10n-*.tmp" in result.stdout


def test_a_gitignore_with_every_line_is_not_touched(tmp_path: Path) -> None:
    lines = "site/\n.l10n-cache/\n.l10n.lock\n.*.l10n-*.tmp\nxliff\n"  # a bare name: at any depth
    (tmp_path / ".gitignore").write_text(lines, encoding="utf-8")
    assert invoke(tmp_path, "init").exit_code == 0
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == lines


@pytest.mark.parametrize("args", [["--source", "xx-Nope"], ["-l", "fr", "-l", "klingon"]])
def test_an_unknown_locale_is_one_line_and_nothing_written(tmp_path: Path, args: list[str]) -> None:
    result = invoke(tmp_path, "init", *args)
    assert result.exit_code == 1
    assert "unknown locale code" in result.output and len(result.output.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_the_source_is_not_a_target_and_codes_are_written_once(tmp_path: Path) -> None:
    assert invoke(tmp_path, "init", "--source", "fr", "-l", "fr", "-l", "pt_BR", "-l", "pt-BR").exit_code == 0
    table = tomllib.loads((tmp_path / "l10n.toml").read_text(encoding="utf-8"))
    assert table == {"source_locale": "fr", "locales": ["pt-BR"]}


def test_without_target_locales_the_next_steps_say_where_to_set_them(tmp_path: Path) -> None:
    result = invoke(tmp_path, "init")
    assert result.exit_code == 0
    assert "2. Set the target locales in l10n.toml" in result.stdout


# --- the pure part ------------------------------------------------------------------------------


@pytest.mark.parametrize("codes", [[], ["fr"], ["zh_Hans", "pt-BR", "fa", "en-XA"]])
def test_config_text_reads_back_as_the_locales_given(codes: list[str]) -> None:
    source = parse_locale("en")
    locales = tuple(map(parse_locale, codes))
    config = config_from(tomllib.loads(scaffold.config_text(source, locales)), "l10n.toml")
    assert config == Config(source, locales)


def test_ignore_lines_follow_the_configured_folders() -> None:
    config = Config(parse_locale("en"), (), articles="src", locales_dir="i18n/po", output="public/")
    assert scaffold.ignore_lines(config, ".cache", ".lock", "*.tmp", "xliff") == (
        "/public/",
        "/.cache/",
        "/i18n/po/.lock",
        "*.tmp",
        "/xliff/",
    )
