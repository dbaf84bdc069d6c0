"""Finding the project from any folder inside it, the global options (-C, -q, -v), help
that teaches, and the shell completion of locales: through Typer's runner."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n import __version__, cli
from l10n.cli import app
from l10n.errors import ConfigError
from l10n.project.paths import find_project, find_root

from .conftest import copy_sample, invoke

COMMANDS = ("extract", "build", "status", "check", "pseudo", "init")
BROKEN_PO = 'msgid "x"\nmsgstr\n'  # the end of the file where a string must come


def nothing_above(folder: Path) -> None:
    """Skip when the machine has a project above the test's folder: the walk would find it."""
    found = find_project(folder.parent)
    if found is not None:
        pytest.skip(f"{found.root} above the test folder is an l10n project ({found.marker})")


def status_table(root: Path, *args: str) -> str:
    result = invoke(root, *args, "status", "--json")
    assert result.exit_code == 0, result.output
    return result.stdout


# Discovery


def test_a_command_run_in_a_subfolder_of_the_articles_finds_the_project(sample_project: Path) -> None:
    deep = sample_project / "articles" / "2015" / "11"
    assert status_table(deep) == status_table(sample_project)
    result = invoke(deep, "build", "-l", "fr")
    assert result.exit_code == 0, result.output
    assert (sample_project / "site" / "fr" / "2015" / "11" / "calais-migrant-camp.html").is_file()
    assert not (deep / "site").exists(), "the pages go to the project's site/, not the current folder's"


def test_messages_name_paths_from_the_project_root_wherever_the_command_runs(sample_project: Path) -> None:
    catalogue = sample_project / "locales" / "fr" / "LC_MESSAGES" / "2015" / "11" / "calais-migrant-camp.po"
    catalogue.write_text(BROKEN_PO, encoding="utf-8")
    result = invoke(sample_project / "articles" / "2015", "check", "-l", "fr", "--errors-only")
    assert result.exit_code == 1
    assert result.stdout.startswith("locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po:3: error:")


def test_in_a_monorepo_a_pyproject_without_tool_l10n_is_not_the_project(tmp_path: Path) -> None:
    # It names l10n (a dependency, a ruff setting) without the table: read, and passed over
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "monorepo"\ndependencies = ["l10n-news"]\n\n'
        '[tool.ruff.lint.isort]\nknown-first-party = ["l10n"]\n'
    )
    news = copy_sample(tmp_path / "news")
    (tmp_path / "tools" / "lint").mkdir(parents=True)
    assert status_table(news / "articles" / "2015") == status_table(news)
    nothing_above(tmp_path)
    result = invoke(tmp_path / "tools" / "lint", "status")
    assert result.exit_code == 1
    assert result.output.startswith(f"{tmp_path / 'tools' / 'lint'}: no l10n project here or in any folder above")


def test_a_pyproject_without_tool_l10n_is_a_project_with_articles_beside_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\n')
    (tmp_path / "articles" / "2025").mkdir(parents=True)
    (tmp_path / "articles" / "2025" / "a.html").write_text("<p>The camp was cleared this morning.</p>")
    result = invoke(tmp_path / "articles" / "2025", "extract")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "locales" / "templates" / "2025" / "a.pot").is_file()
    assert not (tmp_path / "articles" / "2025" / "locales").exists()


def test_the_nearest_project_wins(sample_project: Path) -> None:
    inner = sample_project / "desk"
    (inner / "content" / "world").mkdir(parents=True)
    (inner / "l10n.toml").write_text('locales = ["de"]\narticles = "content"\n')
    (inner / "content" / "world" / "a.html").write_text("<p>The camp was cleared this morning.</p>")
    result = invoke(inner / "content" / "world", "status", "--json")
    assert result.exit_code == 0, result.output
    assert '"de"' in result.stdout and '"fr"' not in result.stdout
    assert '"de"' not in status_table(sample_project / "articles")


def test_a_folder_named_in_the_configuration_is_looked_for_under_the_root_not_the_current_folder(
    sample_project: Path,
) -> None:
    text = (sample_project / "pyproject.toml").read_text(encoding="utf-8")
    (sample_project / "pyproject.toml").write_text(text.replace('output = "site"', 'output = "public"'))
    assert invoke(sample_project / "locales" / "fr", "build", "-l", "fr").exit_code == 0
    assert (sample_project / "public" / "fr").is_dir() and not (sample_project / "locales" / "fr" / "public").exists()


def test_an_unreadable_pyproject_that_names_l10n_stops_the_search(sample_project: Path) -> None:
    """Its [tool.l10n] table cannot be looked for: the project above must not be used instead."""
    inner = sample_project / "desk"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.l10n\nlocales = ['de']\n")
    result = invoke(inner, "status")
    assert result.exit_code == 1 and result.output.startswith("pyproject.toml: not valid TOML")
    (inner / "pyproject.toml").write_text("[tool.black\n")  # someone else's broken file: passed over
    assert invoke(inner, "status").exit_code == 0


def test_no_project_is_one_line_naming_the_start_folder_and_what_was_looked_for(tmp_path: Path) -> None:
    start = tmp_path / "somewhere" / "else"
    start.mkdir(parents=True)
    nothing_above(tmp_path)
    for command in COMMANDS[:-1]:
        result = invoke(start, command)
        assert result.exit_code == 1
        assert result.output == (
            f"{start}: no l10n project here or in any folder above (looked for l10n.toml, a pyproject.toml"
            " with [tool.l10n], or an articles/ folder); `l10n init` makes one\n"
        )


def test_find_root_walks_up_to_the_filesystem_root(tmp_path: Path) -> None:
    nothing_above(tmp_path)
    (tmp_path / "l10n.toml").write_text("")
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path
    (tmp_path / "l10n.toml").unlink()
    with pytest.raises(ConfigError):
        find_root(deep)


def test_an_l10n_toml_folder_or_an_articles_file_marks_nothing(tmp_path: Path) -> None:
    nothing_above(tmp_path)
    (tmp_path / "l10n.toml").mkdir()
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "articles").write_text("not a folder")
    assert find_project(tmp_path / "inner") is None


# -C DIR


def test_dash_c_runs_as_if_started_in_the_folder(tmp_path: Path) -> None:
    copy_sample(tmp_path / "newsroom")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    expected = status_table(tmp_path / "newsroom")
    assert status_table(elsewhere, "-C", "../newsroom/articles") == expected
    assert status_table(elsewhere, "-C", str(tmp_path / "newsroom")) == expected
    result = invoke(elsewhere, "-C", "../newsroom", "build", "-l", "fa")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "newsroom" / "site" / "fa").is_dir() and not (elsewhere / "site").exists()


def test_dash_c_to_a_missing_folder_or_a_file_is_one_line(sample_project: Path) -> None:
    result = invoke(sample_project, "-C", "nowhere", "status")
    assert (result.exit_code, result.output) == (1, "nowhere: no such folder (given to -C)\n")
    result = invoke(sample_project, "-C", "pyproject.toml", "status")
    assert (result.exit_code, result.output) == (1, "pyproject.toml: not a folder (given to -C)\n")


def test_init_with_dash_c_makes_the_project_there(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    result = invoke(tmp_path, "-C", "new", "init", "-l", "fr")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "l10n.toml").is_file() and not (tmp_path / "l10n.toml").exists()


# init inside a project


def test_init_inside_a_project_refuses_naming_the_project_above(sample_project: Path) -> None:
    inner = sample_project / "articles" / "2015"
    before = sorted(path.name for path in inner.iterdir())
    result = invoke(inner, "init", "-l", "de")
    assert result.exit_code == 1
    assert result.output == (
        "../../pyproject.toml: this folder is inside the l10n project at ../.., which l10n commands run here use;"
        " init changed nothing (run it outside that project)\n"
    )
    assert sorted(path.name for path in inner.iterdir()) == before


def test_init_below_a_monorepo_root_or_an_empty_articles_folder_is_allowed(tmp_path: Path) -> None:
    nothing_above(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "monorepo"\n')
    (tmp_path / "articles").mkdir()  # no article in it: no project, as init says of its own folder
    (tmp_path / "news").mkdir()
    result = invoke(tmp_path / "news", "init", "-l", "fr")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "news" / "l10n.toml").is_file()


def test_init_below_a_folder_of_articles_refuses(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text("<p>The camp was cleared.</p>")
    (tmp_path / "desk").mkdir()
    result = invoke(tmp_path / "desk", "init")
    assert result.exit_code == 1 and result.output.startswith("../articles/: this folder is inside the l10n project")


# -q and -v


def test_quiet_prints_nothing_on_success_and_keeps_the_exit_status(sample_project: Path) -> None:
    for args in (("build",), ("extract",), ("check",), ("pseudo",), ("build", "-l", "en-XA", "--strict")):
        loud = invoke(sample_project, *args)
        assert loud.output, args
        quiet = invoke(sample_project, "-q", *args, *(["--force"] if args[0] in ("build", "extract") else []))
        assert (quiet.exit_code, quiet.output) == (loud.exit_code, ""), args


def test_quiet_silences_the_summary_not_the_errors(sample_project: Path) -> None:
    catalogue = sample_project / "locales" / "fr" / "LC_MESSAGES" / "2015" / "11" / "calais-migrant-camp.po"
    catalogue.write_text(BROKEN_PO, encoding="utf-8")
    error = (
        "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po:3: syntax error: the end of the file cannot come here"
    )
    loud = invoke(sample_project, "build")
    assert loud.exit_code == 1 and error in loud.stderr and " built, " in loud.stderr
    quiet = invoke(sample_project, "-q", "build", "--force")
    assert (quiet.exit_code, quiet.stderr) == (1, error + "\n")
    checked = invoke(sample_project, "-q", "check")
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [
        "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po:3: error: [parse-error] syntax error:"
        " the end of the file cannot come here"
    ], "errors only: no warnings, no summary line"


def test_quiet_silences_warnings_of_a_run(sample_project: Path) -> None:
    (sample_project / "articles" / "photo.html").write_text('<p>The camp was cleared.</p><img src="gone.jpg" alt="x">')
    loud = invoke(sample_project, "build")
    assert loud.exit_code == 0 and "articles/photo.html:1: warning: " in loud.stderr, loud.stderr
    quiet = invoke(sample_project, "-q", "build", "--force")
    assert (quiet.exit_code, quiet.output) == (0, "")


def test_quiet_shows_no_progress_bar_even_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.delenv("CI", raising=False)
    with cli._progress("build", cli.Options(Path.cwd(), quiet=True)) as progress:
        assert progress is None
    with cli._progress("build", cli.Options(Path.cwd())) as progress:
        assert progress is not None, "the bar this test means to see silenced"


def test_verbose_is_global_too(sample_project: Path) -> None:
    result = invoke(sample_project, "-v", "build", "-l", "fr")
    assert result.exit_code == 0
    assert "wrote site/fr/2015/11/calais-migrant-camp.html" in result.stderr


def test_quiet_and_verbose_together_is_a_usage_error(sample_project: Path) -> None:
    result = invoke(sample_project, "-q", "-v", "status")
    assert result.exit_code == 2 and "-q and -v" in result.output


# Help and version


def help_of(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_each_help_has_examples_each_on_one_line_and_says_where_the_configuration_is(command: str) -> None:
    text = help_of(*filter(None, [command]))
    assert "Examples:" in text
    examples = re.findall(r"^ +(l10n [^│]*?)  +\S", text, re.MULTILINE)
    assert len(examples) >= 2, text
    assert all(example.startswith(f"l10n {command}".rstrip()) or not command for example in examples)
    flat = " ".join(text.split())
    if command != "init":
        assert "l10n.toml" in flat and "pyproject.toml with a [tool.l10n] table" in flat, text
        assert "from the current one upwards (or -C DIR)" in flat
        assert "relative to the project root" in flat


def test_the_locale_option_says_what_it_does_for_each_command() -> None:
    said = {command: " ".join(help_of(command).split()) for command in ("extract", "build", "status", "check")}
    assert "Also make catalogues for this locale" in said["extract"]
    assert "Build only this locale" in said["build"]
    assert "Check only this locale" in said["check"]
    assert "Only this locale" in said["status"]
    assert "Also make" not in said["build"] + said["status"] + said["check"]


def test_the_top_level_help_lists_the_global_options_and_completion() -> None:
    text = help_of()
    for option in ("-C", "--quiet", "--verbose", "--version", "--install-completion", "--show-completion"):
        assert option in text


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, f"l10n {__version__}\n")


# Completion


def complete(root: Path, words: str) -> list[str]:
    """What bash would be offered for the last word of *words*, run in *root*."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        env = {"_L10N_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1)}
        result = CliRunner().invoke(app, [], env=env, prog_name="l10n")
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.stdout.split()


def test_locales_complete_from_the_configuration_of_the_project_found(sample_project: Path) -> None:
    expected = ["fr", "es", "fa", "zh-Hans"]
    assert complete(sample_project / "articles" / "2015", "l10n status -l ") == expected
    assert complete(sample_project, "l10n build --locale f") == ["fr", "fa"]
    assert complete(sample_project, "l10n extract -l z") == ["zh-Hans"]
    assert complete(sample_project, "l10n extract -l zh_") == ["zh_Hans"]
    assert complete(sample_project.parent, f"l10n -C {sample_project.name} check -l ") == expected


def test_locale_completion_without_a_project_offers_nothing_and_says_nothing(tmp_path: Path) -> None:
    nothing_above(tmp_path)
    assert complete(tmp_path, "l10n build -l ") == []
    (tmp_path / "pyproject.toml").write_text("[tool.l10n]\nlocales = [")  # broken: still nothing said
    assert complete(tmp_path, "l10n build -l ") == []


def test_commands_and_pseudo_locales_complete() -> None:
    here = Path.cwd()
    assert complete(here, "l10n st") == ["status"]
    assert complete(here, "l10n pseudo ") == ["en-XA", "ar-XB"]
