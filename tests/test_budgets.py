"""Length budgets (l10n/budgets.py): the ``#.`` line that tells translators, the
``length_budgets`` configuration, how characters are counted, and ``l10n check``'s
``too-long`` error (the build still publishes such a translation)."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from l10n import budgets, catalog
from l10n.budgets import Budgets
from l10n.config import config_from
from l10n.errors import ConfigError
from l10n.po.model import Catalog
from l10n.slot import Unit

from .conftest import invoke

TITLE = "Calais camp: court orders water points"  # 38 characters
DESCRIPTION = "A court in Lille ordered the French state to improve conditions."
STORY = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE}</title>
<meta name="description" content="{DESCRIPTION}">
<meta property="og:title" content="{TITLE}">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Court orders water points"}}</script>
</head><body><h1>Water points for the camp</h1><p>The court ruled on Monday.</p></body></html>
"""


def comments(pot: Catalog) -> dict[str, list[str]]:
    return {message.msgid: message.extracted_comments.split("\n") for message in pot}


def units(*kinds: str, msgid: str = "Text") -> list[Unit]:
    return [Unit(msgid, kind, line) for line, kind in enumerate(kinds, 1)]


# --- which units have a budget, and the line translators read -------------------------------


def test_titles_descriptions_and_headlines_have_their_budgets_and_other_units_none() -> None:
    limits = budgets.DEFAULT
    assert [limits.of(k) for k in ("title", "meta og:title", "meta twitter:title")] == [70, 70, 70]
    assert [limits.of(k) for k in ("meta description", "meta og:description", "meta twitter:description")] == [160] * 3
    assert [limits.of(k) for k in ("JSON-LD headline", "JSON-LD @graph.headline")] == [110, 110]
    for kind in ("h1", "p", "JSON-LD alternativeHeadline", "JSON-LD description", "meta keywords", "img alt"):
        assert limits.of(kind) == 0, kind


def test_a_msgid_shared_by_several_fields_gets_the_smallest_budget_as_the_last_comment_line() -> None:
    pot = catalog.template(units("meta og:title", "JSON-LD headline", "h1"), "articles/a.html", "a", "")
    assert comments(pot)["Text"] == ["meta og:title", "JSON-LD headline", "h1", "at most 70 characters"]
    headline = catalog.template(units("JSON-LD headline", "h1"), "articles/a.html", "a", "")
    assert comments(headline)["Text"][-1] == "at most 110 characters"
    plain = catalog.template(units("h1", "p"), "articles/a.html", "a", "")
    assert comments(plain)["Text"] == ["h1", "p"], "units without a budget are unaffected"


def test_configured_budgets_change_the_comment_and_zero_turns_one_off() -> None:
    limits = Budgets(title=60, description=0)
    pot = catalog.template(
        [*units("title"), *units("meta description", msgid="Desc")], "articles/a.html", "a", "", limits
    )
    assert comments(pot) == {"Text": ["title", "at most 60 characters"], "Desc": ["meta description"]}


def test_the_stated_budget_is_read_back_from_the_comment() -> None:
    assert budgets.stated("title\nat most 70 characters") == 70
    assert budgets.stated("meta og:title\nJSON-LD headline\nat most 110 characters") == 110
    assert budgets.stated("p\nNote: at most 3 words here") == 0
    assert budgets.stated("h1") == 0


# --- counting ---------------------------------------------------------------------------------


def test_visible_length_counts_what_a_reader_sees() -> None:
    assert budgets.visible_length("Calais") == 6
    assert budgets.visible_length("The <a1>court</a1> rules<br2/>") == len("The court rules")
    assert budgets.visible_length("a &lt;b1> tag &amp;lt;") == len("a <b1> tag &lt;")
    assert budgets.visible_length("cafe\u0301") == 4, "e + combining acute is one character"
    assert budgets.visible_length("\u0645\u06cc\u200c\u0634\u0648\u062f") == 5, "a Persian ZWNJ is not seen"
    assert budgets.visible_length("\u200fabc\u200e") == 3, "bidirectional marks are not seen"
    assert budgets.visible_length("加莱难民营") == 5


# --- configuration ----------------------------------------------------------------------------


def test_length_budgets_default_and_partial_tables() -> None:
    assert config_from({}, "pyproject.toml").budgets == Budgets(70, 110, 160)
    partial = config_from({"length_budgets": {"title": 60}}, "pyproject.toml").budgets
    assert partial == Budgets(title=60, headline=110, description=160)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ([70], "'length_budgets' must be a table, e.g. length_budgets = { title = 70, description = 160 }"),
        ({"titel": 70}, "unknown length budget 'length_budgets.titel'; known budgets: title, headline, description"),
        ({"title": -1}, "'length_budgets.title' must be a whole number of characters (0: no budget), not -1"),
        ({"title": True}, "'length_budgets.title' must be a whole number of characters (0: no budget), not True"),
        ({"description": "160"}, "'length_budgets.description' must be a whole number of characters"),
        ({"title": 70.5}, "'length_budgets.title' must be a whole number of characters"),
    ],
)
def test_a_bad_length_budget_is_one_line_naming_the_key(value: object, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from({"length_budgets": value}, "pyproject.toml")
    assert str(caught.value).startswith(f"pyproject.toml: {said}")
    assert "\n" not in str(caught.value)


# --- the project: extract writes the budgets, check enforces them, build publishes ------------


def project(root: Path, table: str = "") -> Path:
    (root / "articles").mkdir()
    (root / "articles" / "story.html").write_text(STORY, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        f'[tool.l10n]\nsource_locale = "en"\nlocales = ["fr"]\n{table}', encoding="utf-8"
    )
    result = invoke(root, "extract")
    assert result.exit_code == 0, result.output
    return root


def translate(root: Path, table: dict[str, str], fuzzy: bool = False) -> Path:
    path = root / "locales" / "fr" / "LC_MESSAGES" / "story.po"
    po = polib.pofile(str(path), wrapwidth=79)
    for entry in po:
        entry.msgstr = table.get(entry.msgid, f"FR {entry.msgid}")
        if fuzzy and entry.msgid in table:
            entry.flags.append("fuzzy")
    po.save(str(path))
    return path


def line_of(path: Path, msgid: str) -> int:
    """The first line of the entry of *msgid* (its first comment line), as findings give it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index(f'msgid "{msgid}"')
    while at > 0 and lines[at - 1].startswith("#"):
        at -= 1
    return at + 1


def test_extract_writes_each_budget_in_the_template_and_catalogues(tmp_path: Path) -> None:
    root = project(tmp_path)
    for path in (root / "locales/templates/story.pot", root / "locales/fr/LC_MESSAGES/story.po"):
        found = {entry.msgid: entry.comment for entry in polib.pofile(str(path))}
        assert found[TITLE] == "title\nmeta og:title\nat most 70 characters"
        assert found[DESCRIPTION] == "meta description\nat most 160 characters"
        assert found["Court orders water points"] == "JSON-LD headline\nat most 110 characters"
        assert found["The court ruled on Monday."] == "p"


def test_a_changed_budget_rewrites_the_templates_on_the_next_extract(tmp_path: Path) -> None:
    root = project(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "length_budgets = { title = 50 }\n", encoding="utf-8")
    result = invoke(root, "extract")
    assert result.exit_code == 0, result.output
    entry = polib.pofile(str(root / "locales/templates/story.pot")).find(TITLE)
    assert entry is not None and entry.comment == "title\nmeta og:title\nat most 50 characters"


def test_check_reports_a_translation_over_its_budget_at_its_line_and_build_still_publishes(tmp_path: Path) -> None:
    root = project(tmp_path)
    long_title = "Camp de Calais : le tribunal ordonne l'installation de points d'eau"  # 67
    too_long = long_title + " et de latrines"  # 82
    path = translate(root, {TITLE: too_long, "Court orders water points": "x" * 110})
    result = invoke(root, "check")
    assert result.exit_code == 1, result.output
    where = f"locales/fr/LC_MESSAGES/story.po:{line_of(path, TITLE)}"
    assert result.stdout.splitlines() == [
        f"{where}: error: [too-long] 82 characters, over the budget of 70: the text may be cut where it is shown",
        "1 error, 0 warnings in 1 catalogue",
    ], "110 characters fit the headline's budget of 110"
    data = json.loads(invoke(root, "check", "--json").stdout)
    (finding,) = data["findings"]
    assert (finding["path"], finding["line"], finding["severity"], finding["code"], finding["msgid"]) == (
        "locales/fr/LC_MESSAGES/story.po",
        line_of(path, TITLE),
        "error",
        "too-long",
        TITLE,
    )
    assert data["summary"]["by_code"] == {"too-long": 1}
    built = invoke(root, "build")
    assert built.exit_code == 0, built.output
    assert f"<title>{too_long}</title>" in (root / "site" / "fr" / "story.html").read_text(encoding="utf-8")
    translate(root, {TITLE: long_title})
    assert invoke(root, "check").exit_code == 0


def test_a_fuzzy_translation_is_not_held_to_its_budget(tmp_path: Path) -> None:
    root = project(tmp_path)
    translate(root, {TITLE: "x" * 90}, fuzzy=True)
    data = json.loads(invoke(root, "check", "--json").stdout)
    assert [finding["code"] for finding in data["findings"]] == ["fuzzy"]


def test_the_message_names_the_source_length_when_the_source_is_over_too(tmp_path: Path) -> None:
    root = project(tmp_path, "length_budgets = { title = 30 }\n")
    path = translate(root, {TITLE: "Camp de Calais : le tribunal ordonne des points d'eau"})
    (finding,) = json.loads(invoke(root, "check", "--json").stdout)["findings"]
    assert finding["line"] == line_of(path, TITLE)
    assert finding["message"] == (
        "53 characters, over the budget of 30 (the source has 38): the text may be cut where it is shown"
    )


def test_a_pseudo_locale_lengthens_text_on_purpose_and_is_not_held_to_budgets(tmp_path: Path) -> None:
    root = project(tmp_path, "length_budgets = { title = 40 }\n")
    assert invoke(root, "pseudo").exit_code == 0
    pseudo = polib.pofile(str(root / "locales" / "en_XA" / "LC_MESSAGES" / "story.po"))
    entry = pseudo.find(TITLE)
    assert entry is not None and budgets.visible_length(entry.msgstr) > 40
    result = invoke(root, "check", "-l", "en-XA", "--json")
    assert result.exit_code == 0, result.stdout
    assert "too-long" not in {finding["code"] for finding in json.loads(result.stdout)["findings"]}
