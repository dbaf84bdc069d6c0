"""Every page of the shared corpus through the real commands: extract, translate, build.

A project holds all 130 pages; the French catalogues are filled with an upper-case
pseudo-translation; build must write every French page, with ``lang``, ``og:locale``
(where the page has Open Graph tags) and JSON-LD ``inLanguage`` (where it has typed
JSON-LD) localised, and every unit's text translated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from l10n import html_read, project
from l10n.errors import L10nError, L10nWarning
from l10n.page import jsonld_blocks

from .conftest import corpus_pages, dumps
from .roundtrip import pseudo_upper
from .trees import text_of

PAGES = corpus_pages()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    (root / "articles").mkdir()
    for page in PAGES:
        shutil.copy(page, root / "articles" / page.name)
    (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    proj = project.open_project(root)
    problems: list[L10nError] = []
    project.extract(proj, [], problems.append, jobs=2)
    for path in (root / "locales" / "fr" / "LC_MESSAGES").glob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = pseudo_upper(entry.msgid)
        path.write_text(dumps(po), encoding="utf-8")
    summary = project.build(proj, [], None, problems.append, jobs=2)
    # The corpus holds the pages without the files they refer to: each relative reference
    # to one is a warning (issue 12), never an error.
    assert [str(p) for p in problems if not isinstance(p, L10nWarning)] == [] and summary.skipped == []
    assert summary.errors == 0 and summary.warnings == len(problems)
    return root


def typed_jsonld(document: html_read.Document) -> list[dict[str, object]]:
    return [t for _, _, typed in jsonld_blocks(document.root) for t in typed if "@type" in t]


@pytest.mark.slow
@pytest.mark.skipif(not PAGES, reason="shared corpus not beside the repo")
@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_corpus_page_is_built_and_localised(built: Path, page: Path) -> None:
    source = html_read.parse(page.read_bytes())
    french = html_read.parse((built / "site" / "fr" / page.name).read_bytes())
    assert french.root.get("lang") == "fr"
    charsets = [m.get("charset") for m in french.root.iter("meta") if m.get("charset") is not None]
    assert all(c == "utf-8" for c in charsets)
    if any((m.get("property") or "").startswith("og:") for m in source.root.iter("meta")):
        locales = [m.get("content") for m in french.root.iter("meta") if m.get("property") == "og:locale"]
        assert locales and set(locales) == {"fr_FR"}
    for item in typed_jsonld(french):
        assert item.get("inLanguage") == "fr"
    title = french.root.find(".//title")
    if title is not None and any(ch.isalpha() and ch != ch.upper() for ch in text_of(title)):
        pytest.fail(f"title not translated: {text_of(title)[:80]}")
