"""The pre-commit hook definitions (.pre-commit-hooks.yaml): well-formed, and each entry a
command line our CLI takes.

PyYAML is no dependency of ours: the file keeps to a small part of YAML (a list of flat
mappings of plain or single-quoted scalars), which :func:`read_hooks` reads and refuses
anything beyond; where PyYAML happens to be installed it must read the same.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main
import yaml
from typer.core import TyperGroup

from l10n.cli import app

from .conftest import REPO

HOOKS = REPO / ".pre-commit-hooks.yaml"
REQUIRED = {"id", "name", "entry", "language"}
# Options that other work adds to the CLI: a hook may name them before they are merged here.
_KEY = re.compile(r"^(?P<indent>- |  )(?P<key>[a-z_]+): (?P<value>.+)$")


def _scalar(text: str) -> str | bool:
    if text in ("true", "false"):
        return text == "true"
    if text.startswith("'"):
        assert text.endswith("'") and len(text) > 1, text
        return text[1:-1].replace("''", "'")
    assert not text.startswith(('"', "[", "{", "&", "*", "!", "|", ">")), f"beyond the YAML this test reads: {text}"
    assert " #" not in text and ": " not in text, f"a plain scalar YAML would read otherwise: {text}"
    return text


def read_hooks(path: Path) -> list[dict[str, str | bool]]:
    """The hooks of a list-of-mappings YAML file; AssertionError on any other line."""
    hooks: list[dict[str, str | bool]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        found = _KEY.match(line)
        assert found, f"{path.name}:{number}: not a 'key: value' line of a list of mappings: {line!r}"
        if found["indent"] == "- ":
            hooks.append({})
        assert hooks, f"{path.name}:{number}: a key before the first '- '"
        key = found["key"]
        assert key not in hooks[-1], f"{path.name}:{number}: {key} given twice"
        hooks[-1][key] = _scalar(found["value"])
    return hooks


def test_the_hooks_file_reads_as_the_two_hooks() -> None:
    hooks = read_hooks(HOOKS)
    assert [hook["id"] for hook in hooks] == ["l10n-extract-check", "l10n-check"]
    for hook in hooks:
        assert set(hook) >= REQUIRED, hook
        assert hook["language"] == "python"  # pre-commit installs this package: the l10n script
        assert hook["pass_filenames"] is False, "neither command takes file names"
        re.compile(str(hook["files"]))
    assert {hook["id"]: hook["entry"] for hook in hooks} == {
        "l10n-extract-check": "l10n extract --check",
        "l10n-check": "l10n check --errors-only",
    }


def test_pyyaml_reads_the_same() -> None:
    # PyYAML is what pre-commit reads the file with: the test extra installs it.
    assert yaml.safe_load(HOOKS.read_text(encoding="utf-8")) == read_hooks(HOOKS)


@pytest.mark.parametrize("hook", read_hooks(HOOKS), ids=lambda hook: str(hook["id"]))
def test_each_entry_is_a_command_line_of_our_cli(hook: dict[str, str | bool]) -> None:
    program, command, *options = shlex.split(str(hook["entry"]))
    assert program == "l10n"  # the console script of pyproject.toml
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    assert command in group.commands, f"{hook['id']}: no command {command!r}"
    known = {name for param in group.commands[command].params for name in (*param.opts, *param.secondary_opts)}
    for option in options:
        assert option in known, f"{hook['id']}: {command} has no option {option}"


def test_read_hooks_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    for text in ('- id: x\n  entry: "l10n check"\n', "- id: x\n   entry: l10n\n", "- id: x\n  id: y\n"):
        (tmp_path / "hooks.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(AssertionError):
            read_hooks(tmp_path / "hooks.yaml")
