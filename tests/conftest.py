"""Shared fixtures: paths to the sample project and the shared corpus, hypothesis profiles."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, Phase, settings
from typer.testing import CliRunner, Result

from l10n.cli import app
from l10n.po.convert import from_polib
from l10n.po.model import Catalog
from l10n.po.writer import write

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
READABILITY = CORPUS / "readability"

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Long fuzzing (tests/test_fuzz.py with L10N_FUZZ_MINUTES set): searches of 200 examples,
# repeated until the time is spent; no deadline, and no shrinking (a failing project is
# kept whole with L10N_FUZZ_CRASHES, and a shrink of such a test can take many minutes).
settings.register_profile(
    "fuzz",
    max_examples=200,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(
    "fuzz"
    if os.environ.get("L10N_FUZZ_MINUTES")
    else os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


def corpus_pages() -> list[Path]:
    """The real pages of the shared corpus (empty when the corpus is not beside the repo)."""
    return sorted(READABILITY.glob("*.html")) if READABILITY.is_dir() else []


def copy_sample(root: Path) -> Path:
    """Copy this repo's sample project (config, articles, catalogues) into *root*."""
    for name in ("articles", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns(".l10n.lock"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def built_sample(root: Path, *options: str) -> Path:
    """The sample project copied into *root* and built (``l10n build OPTIONS``): its site/."""
    result = invoke(copy_sample(root), "build", *options)
    assert result.exit_code == 0, result.output
    return root / "site"


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of this repo's sample project (config, articles, catalogues) to run commands in."""
    return copy_sample(tmp_path)


def need(tool: str) -> str:
    """The path of an external tool; skip without it, except in CI where it must be there."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("L10N_REQUIRE_TOOLS"):
            pytest.fail(f"{tool} is required here (L10N_REQUIRE_TOOLS is set) but not installed")
        pytest.skip(f"{tool} is not installed")
    return path


def invoke(root: Path, *args: str) -> Result:
    """Run ``l10n ARGS`` in *root* through Typer's runner; bad input never prints a traceback."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        os.chdir(cwd)
    assert "Traceback" not in result.output, result.output
    return result


def dumps(po: Catalog | polib.POFile) -> str:
    """The text the pipeline writes of a catalogue (:func:`l10n.po.writer.write`); a polib
    catalogue (tests edit files with polib, a tool independent of ours) converted first."""
    return write(po if isinstance(po, Catalog) else from_polib(po))
