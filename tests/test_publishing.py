"""Publishing you can trust (issue 11): a live page never goes offline because of a
translator's mistake or a source correction, and a build says exactly what it did.

* A catalogue that does not parse leaves the published page byte for byte, exit 1.
* An invalid translation (placeholders, markup) is never used: the unit gets its last
  valid translation while its source text is unchanged, else the source text, marked.
* A source correction keeps the page online, the changed units in the source language.
* ``--min-percent`` decides only the first publication.
* Without the run store, a page whose translation turned invalid is kept as published.
* ``build --json``: one record per article and locale; ``--strict``; English summaries.
* Partial builds leave every page and every page's alternates consistent with ``site/``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from typer.testing import Result

from l10n import html_read

from .conftest import invoke
from .trees import find

STORY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The camp</title></head><body>
<h1>The camp</h1>
<p>The <a href="https://example.com/court">court</a> in <em>Lille</em> ordered new water points.</p>
<p>A vote follows next week.</p>
<p>Read <a href="other.html">the other story</a>.</p>
</body></html>
"""
OTHER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The port</title></head><body>
<p>Back to <a href="story.html">the camp</a>.</p>
</body></html>
"""
FRENCH = {
    "The camp": "Le camp",
    "The <a1>court</a1> in <em2>Lille</em2> ordered new water points.": (
        "Le <a1>tribunal</a1> de <em2>Lille</em2> a ordonné de nouveaux points d'eau."
    ),
    "A vote follows next week.": "Un vote suit la semaine prochaine.",
    "Read <a1>the other story</a1>.": "Lire <a1>l'autre article</a1>.",
    "The port": "Le port",
    "Back to <a1>the camp</a1>.": "Retour au <a1>camp</a1>.",
}
PERSIAN = {"The camp": "اردوگاه", "The port": "بندر", "Back to <a1>the camp</a1>.": "بازگشت به <a1>اردوگاه</a1>."}


def catalogue(root: Path, code: str, stem: str = "story") -> Path:
    return root / "locales" / code / "LC_MESSAGES" / f"{stem}.po"


def fill(root: Path, code: str, table: dict[str, str], stem: str | None = None) -> None:
    for path in [catalogue(root, code, stem)] if stem else sorted((root / "locales" / code).rglob("*.po")):
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid in table:
                entry.msgstr = table[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        po.save(str(path))


def page(root: Path, tag: str, slug: str = "story.html") -> Path:
    return root / "site" / tag / slug


def alternates(root: Path, tag: str, slug: str = "story.html") -> list[str]:
    document = html_read.parse(page(root, tag, slug).read_bytes())
    return sorted(link.get("hreflang") or "" for link in document.root.iter("link") if link.get("hreflang"))


def run(root: Path, *args: str) -> Result:
    return invoke(root, *args)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """story.html and other.html, French fully translated, Persian partly: built."""
    root = tmp_path / "newsroom"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "story.html").write_text(STORY, encoding="utf-8")
    (root / "articles" / "other.html").write_text(OTHER, encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr", "fa"]\n', encoding="utf-8")
    assert run(root, "extract").exit_code == 0
    fill(root, "fr", FRENCH)
    fill(root, "fa", PERSIAN)
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert page(root, "fr").exists() and not page(root, "fa").exists() and page(root, "fa", "other.html").exists()
    return root


def error_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith(("locales/", "articles/", "site/"))]


# --- a catalogue that does not parse -----------------------------------------------------------


def test_a_catalogue_that_does_not_parse_leaves_the_published_page_byte_for_byte(site: Path) -> None:
    before = page(site, "fr").read_bytes()
    path = catalogue(site, "fr")
    text = path.read_text(encoding="utf-8")
    broken = text.replace('msgstr "Un vote suit la semaine prochaine."', 'msgstr "Un vote suit')
    path.write_text(broken, encoding="utf-8")
    line = broken.split("\n").index('msgstr "Un vote suit') + 1
    result = run(site, "build")
    assert result.exit_code == 1
    # gettext's message, at the line gettext names: the one after, as its lexer has read the line end
    assert f"locales/fr/LC_MESSAGES/story.po:{line + 1}: end-of-line within string" in result.output
    assert page(site, "fr").read_bytes() == before
    assert "fr" in alternates(site, "en") and "fr" in alternates(site, "fr", "other.html")
    assert "1 page kept" in result.output.splitlines()[-1]


def test_a_catalogue_that_does_not_parse_for_an_unpublished_page_fails_it(site: Path) -> None:
    catalogue(site, "fa").write_text('msgid "x"\n', encoding="utf-8")
    result = run(site, "build")
    assert result.exit_code == 1
    assert not page(site, "fa").exists()
    assert "1 page failed" in result.output.splitlines()[-1]


# --- invalid translations -----------------------------------------------------------------------


def test_an_invalid_translation_is_replaced_by_the_last_valid_one(site: Path) -> None:
    fill(
        site,
        "fr",
        {
            # a placeholder lost: invalid
            "The <a1>court</a1> in <em2>Lille</em2> ordered new water points.": "Le tribunal a ordonné.",
            # a valid change: used
            "A vote follows next week.": "Un vote aura lieu la semaine prochaine.",
        },
        "story",
    )
    result = run(site, "build")
    assert result.exit_code == 1
    lines = catalogue(site, "fr").read_text(encoding="utf-8").split("\n")
    index = lines.index('msgstr "Le tribunal a ordonné."')
    while lines[index - 1]:  # back to the entry's first line, after the blank line between entries
        index -= 1
    line = index + 1
    (error,) = [e for e in error_lines(result) if "invalid" in e]
    assert error.startswith(f"locales/fr/LC_MESSAGES/story.po:{line}: ")
    assert "missing placeholder" in error and "the last valid translation" in error
    shown = page(site, "fr").read_text(encoding="utf-8")
    assert "Le <a" in shown and "a ordonné de nouveaux points d'eau." in shown
    assert "Le tribunal a ordonné." not in shown
    assert "Un vote aura lieu la semaine prochaine." in shown
    again = run(site, "build")
    assert again.exit_code == 1, "an invalid translation is an error on every run until it is fixed"


def test_markup_typed_by_a_translator_is_never_published(site: Path) -> None:
    fill(site, "fr", {"A vote follows next week.": "Un vote <b>ausgewählt</b> suit."}, "story")
    result = run(site, "build")
    assert result.exit_code == 1
    assert any("markup-like text <b> </b>" in line for line in error_lines(result))
    shown = page(site, "fr").read_text(encoding="utf-8")
    assert "ausgewählt" not in shown and "Un vote suit la semaine prochaine." in shown
    status = json.loads(run(site, "status", "--json", "-l", "fr").stdout)
    story = next(a for a in status["locales"][0]["articles"] if a["article"] == "story.html")
    assert story["invalid"] == 1 and story["translated"] == story["units"] - 1


def test_an_invalid_translation_of_a_new_unit_shows_the_source_text_marked(site: Path) -> None:
    (site / "articles" / "story.html").write_text(
        STORY.replace("<p>A vote follows next week.</p>", "<p>A vote follows next week.</p><p>Schools close.</p>"),
        encoding="utf-8",
    )
    assert run(site, "extract").exit_code == 0
    fill(site, "fr", {"Schools close.": "Les écoles <i>ferment</i>."}, "story")
    result = run(site, "build")
    assert result.exit_code == 1
    document = html_read.parse(page(site, "fr").read_bytes())
    marked = [p for p in document.root.iter("p") if p.get("lang") == "en"]
    assert [p.text for p in marked] == ["Schools close."]


# --- source corrections -------------------------------------------------------------------------


def test_a_source_correction_keeps_the_page_with_the_changed_unit_in_the_source_language(site: Path) -> None:
    (site / "articles" / "story.html").write_text(STORY.replace("next week", "on Monday"), encoding="utf-8")
    assert run(site, "extract").exit_code == 0
    po = polib.pofile(str(catalogue(site, "fr")))
    changed = po.find("A vote follows on Monday.")
    assert changed is not None and "fuzzy" in changed.flags and changed.msgstr  # the old fact, as a suggestion
    result = run(site, "build")
    assert result.exit_code == 0, result.output
    document = html_read.parse(page(site, "fr").read_bytes())
    marked = [p for p in document.root.iter("p") if p.get("lang") == "en"]
    assert [p.text for p in marked] == ["A vote follows on Monday."]
    assert "semaine prochaine" not in page(site, "fr").read_text(encoding="utf-8")
    assert "1 unit in the source language" in result.output.splitlines()[-1]
    strict = run(site, "build", "--strict")
    assert strict.exit_code == 1


def test_min_percent_decides_only_the_first_publication(site: Path) -> None:
    result = run(site, "build", "-l", "fa", "--min-percent", "25")
    assert result.exit_code == 0 and page(site, "fa").exists()
    result = run(site, "build")  # threshold 100 again: the Persian page stays published
    assert result.exit_code == 0 and page(site, "fa").exists()
    assert "skipped" not in result.output
    fill(site, "fa", {"The camp": ""}, "story")  # even with fewer translations
    result = run(site, "build")
    assert result.exit_code == 0 and page(site, "fa").exists()


# --- without the run store ------------------------------------------------------------------------


def test_without_the_run_store_an_invalid_translation_keeps_the_published_page(site: Path) -> None:
    before = page(site, "fr").read_bytes()
    shutil.rmtree(site / ".l10n-cache")
    fill(site, "fr", {"A vote follows next week.": "Un vote <b>suit</b>."}, "story")
    result = run(site, "build")
    assert result.exit_code == 1
    assert page(site, "fr").read_bytes() == before
    (kept,) = [line for line in error_lines(result) if line.startswith("site/fr/story.html: ")]
    assert "kept as published" in kept and "no record of the last valid translations" in kept
    fill(site, "fr", {"A vote follows next week.": "Un vote suit."}, "story")
    result = run(site, "build")
    assert result.exit_code == 0 and "Un vote suit." in page(site, "fr").read_text(encoding="utf-8")


def test_without_the_run_store_a_source_correction_is_published(site: Path) -> None:
    shutil.rmtree(site / ".l10n-cache")
    (site / "articles" / "story.html").write_text(STORY.replace("next week", "on Monday"), encoding="utf-8")
    assert run(site, "extract").exit_code == 0
    assert run(site, "build").exit_code == 0
    assert "A vote follows on Monday." in page(site, "fr").read_text(encoding="utf-8")


# --- honest results -------------------------------------------------------------------------------


def test_build_json_has_one_record_per_article_and_locale(site: Path) -> None:
    fill(site, "fr", {"A vote follows next week.": "Un <b>vote</b>."}, "story")
    result = run(site, "build", "--json")
    assert result.exit_code == 1
    records = json.loads(result.stdout)["pages"]
    assert [(r["article"], r["locale"], r["state"]) for r in records] == [
        ("other.html", "en", "built"),
        ("other.html", "fr", "built"),
        ("other.html", "fa", "built"),
        ("story.html", "en", "built"),
        ("story.html", "fr", "built"),
        ("story.html", "fa", "skipped"),
    ]
    fr = records[4]
    assert fr["page"] == "site/fr/story.html" and fr["percent"] == 75.0 and fr["fallbacks"] == 0
    assert fr["kept_translations"] == 1
    (problem,) = fr["problems"]
    assert problem.startswith("locales/fr/LC_MESSAGES/story.po:") and "markup-like" in problem
    assert records[5]["reason"] == "25% translated (threshold 100%)" and records[5]["page"] == "site/fa/story.html"


def test_the_summary_speaks_english(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "one.html").write_text("<p>Only story.</p>", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["fr"]\n', encoding="utf-8")
    last = run(tmp_path, "extract").output.splitlines()[-1]
    assert last.startswith("1 article, 2 files written, 0 errors in ")
    fill(tmp_path, "fr", {"Only story.": "Seul article."})
    last = run(tmp_path, "build").output.splitlines()[-1]
    # Two pages, the sitemap and two feeds.
    assert last.startswith("1 article, 5 files written, 2 pages built, 0 errors in ")


def test_check_errors_only_hides_warnings(site: Path) -> None:
    fill(site, "fr", {"A vote follows next week.": "Un <b>vote</b>."}, "story")
    full = run(site, "check", "-v")
    assert "warning" in full.output
    only = run(site, "check", "--errors-only")
    assert only.exit_code == 1
    lines = only.output.splitlines()
    assert [line for line in lines[:-1] if ": warning: " in line] == []
    assert any(": error: [markup]" in line for line in lines)


# --- partial builds -------------------------------------------------------------------------------


def test_a_partial_build_keeps_every_page_and_alternates_consistent_with_the_site(site: Path) -> None:
    other_fr = page(site, "fr", "other.html").read_bytes()
    fill(site, "fa", {k: f"[fa] {k}" for k in FRENCH}, "story")
    result = run(site, "build", "-l", "fa")
    assert result.exit_code == 0, result.output
    built = {p.relative_to(site / "site").as_posix() for p in (site / "site").rglob("*.html")}
    assert built == {f"{tag}/{slug}" for tag in ("en", "fr", "fa") for slug in ("story.html", "other.html")}
    for tag in ("en", "fr", "fa"):
        assert alternates(site, tag) == ["en", "fa", "fr", "x-default"], tag
    assert page(site, "fr", "other.html").read_bytes() == other_fr, "nothing changed for it"


def test_a_locale_typo_is_an_error_suggesting_the_configured_locale(site: Path) -> None:
    result = run(site, "build", "-l", "fr-FR")
    assert result.exit_code == 1
    assert "fr-FR is not a configured locale; did you mean fr?" in result.output
    assert not (site / "site" / "fr-FR").exists()
    result = run(site, "build", "-l", "de")
    assert result.exit_code == 1 and "de is not a configured locale" in result.output


def test_extract_for_a_new_locale_says_how_to_configure_it(site: Path) -> None:
    result = run(site, "extract", "-l", "de")
    assert result.exit_code == 0
    assert (
        "note: de is not in the configured locales: its catalogues are created; add it to locales in"
        " pyproject.toml to build and check it with the others"
    ) in result.output
    assert catalogue(site, "de").exists()
    assert "note:" not in run(site, "extract", "-l", "de").output, "said once, when it is new"


def test_a_pseudo_locale_is_built_on_request(site: Path) -> None:
    assert run(site, "pseudo").exit_code == 0
    result = run(site, "build", "-l", "en-XA")
    assert result.exit_code == 0 and page(site, "en-XA").exists()


# --- right to left ---------------------------------------------------------------------------------


def test_source_text_in_a_right_to_left_page_is_marked_left_to_right(site: Path) -> None:
    result = run(site, "build", "-l", "fa", "--min-percent", "0")
    assert result.exit_code == 0
    document = html_read.parse(page(site, "fa").read_bytes())
    assert document.root.get("dir") == "rtl"
    marked = [p for p in document.root.iter("p") if p.get("lang") == "en"]
    assert marked and all(p.get("dir") == "ltr" for p in marked)
    assert find(document.root, ".//h1").get("lang") is None  # translated: no mark


def test_an_article_that_cannot_be_read_keeps_its_pages(site: Path) -> None:
    before = {tag: page(site, tag).read_bytes() for tag in ("en", "fr")}
    (site / "articles" / "story.html").write_bytes(b'<meta charset="shift_jis"><p>\x81\xff</p>')
    result = run(site, "build", "--json")
    assert result.exit_code == 1
    assert {tag: page(site, tag).read_bytes() for tag in ("en", "fr")} == before
    records = [r for r in json.loads(result.stdout)["pages"] if r["article"] == "story.html"]
    assert [(r["locale"], r["state"]) for r in records] == [("en", "kept"), ("fr", "kept"), ("fa", "failed")]
    assert "fr" in alternates(site, "fr", "other.html")
