"""The one error type: every problem is one line a terminal shows as it is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n.errors import ArticleError, CatalogError, L10nError

from .test_fuzz import TERMINAL_CONTROL, ran, small_project


def test_control_characters_in_a_message_are_shown_as_escapes() -> None:
    error = CatalogError('syntax error: "\x1d" cannot come here', "fr/a.po", 7)
    assert str(error) == 'fr/a.po:7: syntax error: "\\x1d" cannot come here'
    assert error.message == 'syntax error: "\x1d" cannot come here'  # what it is, for code


@pytest.mark.parametrize("char", ["\t", "\x1b", "\n", "\r", "\x00", "\x7f", "\x9b", "\x85"])
def test_no_control_character_reaches_the_terminal(char: str) -> None:
    text = str(ArticleError(f"bad{char}thing", f"a{char}b.html", 1))
    assert char not in text
    assert text.count(":") == 2


@given(st.text(), st.text(), st.none() | st.integers(0, 10**6))
def test_any_error_is_one_line_without_terminal_controls(message: str, path: str, line: int | None) -> None:
    text = str(L10nError(message, path, line))
    assert not TERMINAL_CONTROL.search(text)
    assert not any(0x80 <= ord(char) <= 0x9F for char in text)


def with_a_control_character_in_a_catalogue(tmp_path: Path) -> Path:
    """A project whose catalogue holds U+001D where gettext wants a keyword."""
    root = small_project(tmp_path, {"a.html": b"<p>Some text here</p>"})
    ran(root, "extract")
    po = root / "locales/fr/LC_MESSAGES/a.po"
    po.write_bytes(po.read_bytes() + b"\n\x1d\n")
    return root


def test_a_catalogue_holding_a_control_character_where_gettext_wants_a_keyword(tmp_path: Path) -> None:
    """Found by fuzzing: the reader quoted the character it refused as it was, and the
    error line carried a raw U+001D to the terminal."""
    root = with_a_control_character_in_a_catalogue(tmp_path)
    result, said = ran(root, "extract")
    assert result.exit_code == 1
    assert said.problems and all("\x1d" not in message for _, message in said.problems)


def test_check_shows_the_refused_character_as_an_escape(tmp_path: Path) -> None:
    root = with_a_control_character_in_a_catalogue(tmp_path)
    result, _ = ran(root, "check")
    assert result.exit_code == 1
    assert "syntax error: \"\\x1d\" cannot come here" in result.output
    assert "\x1d" not in result.output
