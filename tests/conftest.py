"""Shared fixtures: paths to the sample project and the shared corpus, hypothesis profiles."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from typer.testing import CliRunner, Result

from l10n.cli import app

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


# Slow tests (``pytest -m "not slow"`` leaves them out) in files being rewritten for issue 13,
# which cannot carry ``@pytest.mark.slow`` today: by file and test function, every parameter
# of it. At the merge the decorator goes onto these tests and this table is emptied.
_SLOW_IN_FILES_BEING_REWRITTEN: dict[str, set[str]] = {
    "test_fuzz.py": {
        "test_any_configuration",
        "test_generated_articles",
        "test_mutated_catalogues",
        "test_mutated_corpus_pages",
        "test_odd_file_names",
        "test_text_pipeline_raises_only_l10n_errors",
    },
    "test_po_layout.py": {
        "test_every_punctuation_symbol_and_mark_breaks_like_gettext",
        "test_generated_catalogues_match_msgcat",
        "test_lazy_line_breaks_match_the_state_machine",
    },
    "test_po_reader.py": {
        "test_anything_reads_or_is_refused_with_a_catalog_error",
        "test_both_paths_agree_on_damaged_files",
        "test_both_paths_read_the_same",
        "test_from_polib_is_what_we_read_in_what_polib_writes",
        "test_msgcat_writes_what_we_read_back",
        "test_polib_writes_what_we_read_back",
    },
    "test_po_reader_gettext.py": {
        "test_a_bom",
        "test_crlf_bom_and_other_charsets",
        "test_damaged_catalogues",
        "test_deliberately_damaged_catalogues",
        "test_random_catalogues",
        "test_the_catalogues_extract_writes_for_corpus_pages",
        "test_the_sample_catalogues",
    },
    "test_po_read_usable.py": {
        "test_damaged_catalogues_give_the_same_translations_or_errors",
        "test_entry_blocks_give_the_same_translations_or_errors",
        "test_extracted_and_filled_catalogues_give_the_same_translations_by_the_scan",
        "test_generated_catalogues_give_the_same_translations",
        "test_generated_catalogues_in_our_layout_are_scanned",
        "test_scanned_texts_are_read_whole_the_same",
        "test_shuffled_lines_give_the_same_translations_or_errors",
    },
    "test_catalog_read.py": {
        "test_damaged_catalogues_read_or_fail_as_before",
        "test_generated_catalogues_read_as_before",
        "test_the_repo_catalogues_read_as_before_in_one_pass",
    },
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests of the files being rewritten (see _SLOW_IN_FILES_BEING_REWRITTEN)."""
    for item in items:
        slow = _SLOW_IN_FILES_BEING_REWRITTEN.get(item.path.name, set())
        if isinstance(item, pytest.Function) and item.originalname in slow:
            item.add_marker(pytest.mark.slow)


def corpus_pages() -> list[Path]:
    """The real pages of the shared corpus (empty when the corpus is not beside the repo)."""
    return sorted(READABILITY.glob("*.html")) if READABILITY.is_dir() else []


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of this repo's sample project (config, articles, catalogues) to run commands in."""
    for name in ("articles", "locales"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns(".l10n.lock"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


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
