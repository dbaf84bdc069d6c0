"""The command line through Typer's runner: exit codes, one-line errors, no churn."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n.cli import app

from .conftest import invoke, need

runner = CliRunner()


def run(root: Path, *args: str) -> tuple[int, str]:
    result = invoke(root, *args)
    return result.exit_code, result.output


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_extract_on_the_sample_project_changes_nothing(sample_project: Path) -> None:
    before = snapshot(sample_project / "locales")
    code, output = run(sample_project, "extract")
    assert code == 0, output
    after = snapshot(sample_project / "locales")
    assert after == before, "the committed catalogues are not what extract writes"


def test_second_extract_is_byte_identical(tmp_path: Path) -> None:
    shutil.copytree(Path(__file__).parent.parent / "articles", tmp_path / "articles")
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr", "fa"]\n', encoding="utf-8")
    assert run(tmp_path, "extract")[0] == 0
    first = snapshot(tmp_path / "locales")
    code, output = run(tmp_path, "extract", "-v", "-l", "es")
    assert code == 0
    second = snapshot(tmp_path / "locales")
    assert {k: v for k, v in second.items() if not k.startswith("es/")} == first
    assert "wrote locales/es/LC_MESSAGES/2015/11/calais-migrant-camp.po" in output.splitlines()
    assert "articles/2015/11/calais-migrant-camp.html: decoded as utf-8" in output.splitlines()


def test_build_writes_every_locale_of_the_sample(sample_project: Path) -> None:
    code, output = run(sample_project, "build")
    assert code == 0, output
    for tag in ("en", "fr", "es", "fa", "zh-Hans"):
        for slug in ("2015/11/calais-migrant-camp", "2015/11/lille-court-ruling", "2015/12/channel-crossings-winter"):
            assert (sample_project / "site" / tag / f"{slug}.html").is_file(), (tag, slug)


@pytest.mark.slow
def test_msgfmt_accepts_every_catalogue_written(sample_project: Path) -> None:
    msgfmt = need("msgfmt")
    run(sample_project, "extract", "-l", "pt-BR", "-l", "ar")
    files = sorted((sample_project / "locales").rglob("*.po*"))
    assert len(files) >= 3 * 7
    for path in files:
        checked = subprocess.run([msgfmt, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, f"{path}: {checked.stderr}"
        if path.suffix == ".po":  # a POT keeps xgettext's template defaults, which msgfmt notes
            assert "warning" not in checked.stderr, f"{path}: {checked.stderr}"


def test_bad_articles_are_reported_one_line_each_and_the_rest_processed(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "good.html").write_text("<html><body><p>Fine text</p></body></html>", encoding="utf-8")
    (articles / "empty.html").write_bytes(b"")
    (articles / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (articles / "notes.html").write_text("plain text, no markup", encoding="utf-8")
    (articles / "bad-charset.html").write_bytes(b'<meta charset="shift_jis">\n<p>\x81\xff</p>')
    code, output = run(tmp_path, "extract", "-l", "fr")
    assert code == 1
    lines = [line for line in output.splitlines() if ": " in line and "articles," not in line and "note: " not in line]
    assert sorted(lines) == [
        "articles/bad-charset.html:2: byte 0x81 is not valid shift_jis (declared charset)",
        "articles/binary.html:1: not HTML: the file holds binary data (NUL bytes)",
        "articles/empty.html:1: empty article",
        "articles/notes.html:1: not HTML: no markup found",
    ]
    assert (tmp_path / "locales" / "fr" / "LC_MESSAGES" / "good.po").is_file()
    code, output = run(tmp_path, "build", "-l", "fr", "--min-percent", "0")
    assert code == 1 and (tmp_path / "site" / "fr" / "good.html").is_file()


@pytest.mark.slow
def test_a_po_that_does_not_parse_is_named_with_its_line_and_left_untouched(sample_project: Path) -> None:
    broken = sample_project / "locales" / "fr" / "LC_MESSAGES" / "2015" / "11" / "lille-court-ruling.po"
    text = broken.read_text(encoding="utf-8").replace('msgstr "', 'msgstr "\n"unterminated', 1)
    text = text.replace("\nmsgid ", "\nmsgid_bogus ", 1)
    broken.write_text(text, encoding="utf-8")
    code, output = run(sample_project, "extract")
    assert code == 1
    error = [line for line in output.splitlines() if "lille-court-ruling.po" in line]
    assert len(error) == 1 and error[0].startswith("locales/fr/LC_MESSAGES/2015/11/lille-court-ruling.po:")
    assert broken.read_text(encoding="utf-8") == text
    code, output = run(sample_project, "build")
    assert code == 1
    assert not (sample_project / "site" / "fr" / "2015" / "11" / "lille-court-ruling.html").exists()
    assert (sample_project / "site" / "fr" / "2015" / "11" / "calais-migrant-camp.html").exists()


def test_unknown_locale_is_a_clear_error(sample_project: Path) -> None:
    code, output = run(sample_project, "extract", "-l", "xx-Nowhere")
    assert code == 1 and "unknown locale code 'xx-Nowhere'" in output


def test_unknown_locale_in_config_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr", "klingon"]\n', encoding="utf-8")
    code, output = run(tmp_path, "build")
    assert code == 1 and output.strip() == "pyproject.toml: unknown locale code 'klingon' (not in CLDR)"


def test_missing_articles_folder(tmp_path: Path) -> None:
    """A project found by its configuration, without the articles folder (no project at all:
    tests/test_find.py)."""
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    code, output = run(tmp_path, "extract")
    assert code == 1 and output.strip() == (
        "articles: the articles folder is missing: make it and copy the HTML articles there,"
        " or set 'articles' in pyproject.toml"
    )


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "build"):
        assert command in result.output


def test_status_shows_article_names_that_look_like_rich_markup(tmp_path: Path) -> None:
    # found by fuzzing: "[/]" in a file name raised rich.errors.MarkupError, "[bold]" vanished
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nsource_locale = "en"\nlocales = ["fr"]\n')
    (tmp_path / "articles").mkdir()
    page = "<html><head><title>T</title></head><body><p>Hello world.</p></body></html>"
    for name in ("a[/]b.html", "[bold]x.html"):
        (tmp_path / "articles" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "articles" / name).write_text(page)
    assert invoke(tmp_path, "extract").exit_code == 0
    result = invoke(tmp_path, "status")
    assert result.exit_code == 0, result.output
    assert "a[/]b.html" in result.output
    assert "[bold]x.html" in result.output


# --- the console script: its exit status, and the collection it skips at the end ---------------


def test_the_console_entry_keeps_each_exit_status(tmp_path: Path) -> None:
    """``l10n.cli.run`` (what the ``l10n`` script and ``python -m l10n`` call) ends the process
    with the command's status: 0 done, 1 a bad input, 2 a usage error."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr", "klingon"]\n', encoding="utf-8")

    def status(*args: str) -> tuple[int, str]:
        done = subprocess.run([sys.executable, "-m", "l10n", *args], cwd=tmp_path, capture_output=True, text=True)
        return done.returncode, done.stderr

    assert status("--version")[0] == 0
    code, stderr = status("build")
    assert code == 1 and "unknown locale code 'klingon'" in stderr
    assert status("build", "--no-such-option")[0] == 2


def test_the_console_entry_collects_garbage_less_often_while_the_command_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector runs every 10,000 new objects, not 700, in the command and in the
    workers it forks (they inherit it); not before (the import) and not elsewhere."""
    from l10n import cli

    before = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    monkeypatch.setattr(gc, "freeze", lambda: None)
    monkeypatch.setattr(cli, "app", lambda: seen.append(gc.get_threshold()))
    try:
        with pytest.raises(SystemExit):
            cli.run()
        assert seen == [(10_000, 10, 10)]
    finally:
        gc.set_threshold(*before)


def test_the_console_entry_freezes_the_heap_on_its_way_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's last collection at exit would look at every object the run made; run()
    freezes them first, whether the command ends well or badly, and keeps its status."""
    from l10n import cli

    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))

    def failing() -> None:
        raise SystemExit(3)

    monkeypatch.setattr(cli, "app", failing)
    with pytest.raises(SystemExit) as ended:
        cli.run()
    assert ended.value.code == 3 and frozen == [True]
