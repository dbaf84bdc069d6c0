"""Merging (DESIGN.md §Merging) over a real edit history of the seed article.

Each test edits ``articles/2015/11/calais-migrant-camp.html`` of a copy of the sample
project the way a desk corrects a published story, runs ``extract``, and checks what
happened to the French translations.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n import catalog, project
from l10n.errors import L10nError
from l10n.slot import Unit

from .conftest import need

SLUG = "2015/11/calais-migrant-camp"
TYPO = "Last month Cazeneuve ordered heated tents for woman and children but most people remain camped out in the cold."
DOUBLED = 'The amount of people living in the "Jungle" camp has <em1>nearly doubled</em1> since the end of September.'
NGOS = (
    "Many NGOs are still calling for vacant housing to shelter migrants and upping meal distribution "
    "to twice a day for everyone living in the camp."
)


def article(root: Path) -> Path:
    return root / "articles" / f"{SLUG}.html"


def edit(root: Path, old: str, new: str) -> None:
    path = article(root)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def extract(root: Path, jobs: int = 1) -> list[L10nError]:
    problems: list[L10nError] = []
    project.extract(project.open_project(root), [], problems.append, jobs=jobs)
    return problems


def french(root: Path, slug: str = SLUG) -> polib.POFile:
    return polib.pofile(str(root / "locales" / "fr" / "LC_MESSAGES" / f"{slug}.po"))


def entry(po: polib.POFile, msgid: str) -> polib.POEntry:
    found = [e for e in po if e.msgid == msgid]
    assert len(found) == 1, msgid
    return found[0]


def test_typo_fix_becomes_fuzzy_with_old_translation_and_source(sample_project: Path) -> None:
    before = entry(french(sample_project), TYPO)
    edit(sample_project, "for woman and children", "for women and children")
    assert extract(sample_project) == []
    after = entry(french(sample_project), TYPO.replace("woman", "women"))
    assert after.flags == ["fuzzy"]
    assert after.msgstr == before.msgstr
    assert after.previous_msgid == TYPO
    assert not [e for e in french(sample_project) if e.obsolete]


def test_changed_figure_is_fuzzy(sample_project: Path) -> None:
    edit(sample_project, "6,000 migrants", "7,000 migrants")
    extract(sample_project)
    changed = [e for e in french(sample_project) if "7,000" in e.msgid]
    assert len(changed) == 1 and changed[0].fuzzy and "6\u00a0000" in changed[0].msgstr


def test_rewritten_sentence_and_moved_clause_are_fuzzy(sample_project: Path) -> None:
    edit(
        sample_project,
        'The amount of people living in the "Jungle" camp has <em>nearly doubled</em> since the end of September.',
        'Since the end of September, the number of people living in the "Jungle" camp has <em>almost doubled</em>.',
    )
    edit(sample_project, "On Monday a court in the northern city of Lille", "A court in the northern city of Lille")
    edit(sample_project, "the camp's conditions</a>.", "the camp's conditions</a> on Monday.")
    extract(sample_project)
    po = french(sample_project)
    rewritten = next(e for e in po if e.msgid.startswith("Since the end of September"))
    moved = next(e for e in po if e.msgid.startswith("A court in the northern city"))
    assert rewritten.fuzzy and rewritten.previous_msgid == DOUBLED and rewritten.msgstr
    assert moved.fuzzy and (moved.previous_msgid or "").startswith("On Monday a court") and moved.msgstr


def test_unrelated_rewrite_is_not_matched_and_old_text_goes_obsolete(sample_project: Path) -> None:
    old = entry(french(sample_project), NGOS)
    edit(sample_project, NGOS, "Aid groups want empty buildings opened to migrants and two meals a day served to all.")
    extract(sample_project)
    po = french(sample_project)
    new = next(e for e in po if e.msgid.startswith("Aid groups want"))
    assert new.msgstr == "" and not new.fuzzy
    obsolete = [e for e in po if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [(NGOS, old.msgstr)]


def test_deleted_paragraph_is_obsolete_and_revived_translated(sample_project: Path) -> None:
    original = article(sample_project).read_text(encoding="utf-8")
    old = entry(french(sample_project), TYPO)
    edit(sample_project, "<p>Last month Cazeneuve ordered heated tents", "<p hidden>")
    text = article(sample_project).read_text(encoding="utf-8")
    start = text.index("<p hidden>")
    article(sample_project).write_text(text[:start] + text[text.index("</p>", start) + 4 :], encoding="utf-8")
    extract(sample_project)
    gone = [e for e in french(sample_project) if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in gone] == [(TYPO, old.msgstr)]
    article(sample_project).write_text(original, encoding="utf-8")
    extract(sample_project)
    back = entry(french(sample_project), TYPO)
    assert back.msgstr == old.msgstr and not back.fuzzy and not back.obsolete


def test_swapped_paragraphs_keep_translations_in_the_new_order(sample_project: Path) -> None:
    po = french(sample_project)
    first, second = entry(po, DOUBLED), entry(po, TYPO)
    text = article(sample_project).read_text(encoding="utf-8")
    a = text.index("<p its-loc-note")
    b = text.index("<p>Last month")
    end = text.index("</p>", b) + 4
    middle = text[a:b]
    article(sample_project).write_text(text[:a] + text[b:end] + "\n" + middle.rstrip() + text[end:], encoding="utf-8")
    extract(sample_project)
    po = french(sample_project)
    ids = [e.msgid for e in po if not e.obsolete]
    assert ids.index(TYPO) < ids.index(DOUBLED)
    assert entry(po, DOUBLED).msgstr == first.msgstr and entry(po, TYPO).msgstr == second.msgstr
    assert not any(e.fuzzy for e in po)


def test_changed_link_url_never_touches_the_translation(sample_project: Path) -> None:
    before = french(sample_project)
    edit(sample_project, 'href="https://www.gov.uk/government/organisations/home-office"', 'href="https://www.gov.uk/"')
    extract(sample_project)
    after = french(sample_project)
    assert [(e.msgid, e.msgstr, e.flags) for e in after] == [(e.msgid, e.msgstr, e.flags) for e in before]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('giant "Jungle" migrant camp within days', "giant \u201cJungle\u201d migrant camp within days"),
        ("Monday's ruling", "Monday\u2019s ruling"),
        ("signed the agreement at a meeting", "signed the agreement\n        at a  meeting"),
        ("some <strong>6,000 migrants</strong>", "some <strong>6,000\u00a0migrants</strong>"),
    ],
)
def test_edits_that_cannot_change_meaning_keep_translations_unfuzzied(sample_project: Path, old: str, new: str) -> None:
    before = {e.msgstr for e in french(sample_project) if e.msgstr}
    edit(sample_project, old, new)
    extract(sample_project)
    po = french(sample_project)
    assert not any(e.fuzzy for e in po) and not any(e.obsolete for e in po)
    assert {e.msgstr for e in po if e.msgstr} == before
    assert all(e.msgstr for e in po)


def test_translator_comments_and_flags_survive(sample_project: Path) -> None:
    path = sample_project / "locales" / "fr" / "LC_MESSAGES" / f"{SLUG}.po"
    po = polib.pofile(str(path))
    entry(po, TYPO).tcomment = "Checked with the Paris desk"
    entry(po, NGOS).flags.append("fuzzy")
    po.save(str(path))
    extract(sample_project)
    po = french(sample_project)
    assert entry(po, TYPO).tcomment == "Checked with the Paris desk"
    assert entry(po, NGOS).fuzzy


@pytest.mark.parametrize("jobs", [1, 2])  # with 2, workers leave these merges to the parent
def test_new_article_reuses_translation_memory(sample_project: Path, jobs: int) -> None:
    source = article(sample_project).read_text(encoding="utf-8")
    new = sample_project / "articles" / "2015" / "12" / "follow-up.html"
    new.write_text(
        source.replace(
            "Many NGOs are still calling for vacant housing",
            "Many NGOs are still calling for empty housing",
        ),
        encoding="utf-8",
    )
    extract(sample_project, jobs)
    po = french(sample_project, "2015/12/follow-up")
    promo = entry(po, "Receive essential international news every morning")
    assert promo.msgstr and not promo.fuzzy
    assert promo.tcomment.startswith("Translation memory: 2015/")
    near = next(e for e in po if e.msgid.startswith("Many NGOs are still calling for empty"))
    assert near.fuzzy and near.previous_msgid == NGOS and near.tcomment.startswith("Translation memory (similar")


def test_headers_of_translators_are_kept_and_dates_only_move_with_content(sample_project: Path) -> None:
    path = sample_project / "locales" / "fr" / "LC_MESSAGES" / f"{SLUG}.po"
    po = polib.pofile(str(path))
    po.metadata["Last-Translator"] = "Claire Martin <claire@example.org>"
    po.metadata["PO-Revision-Date"] = "2015-11-04 09:30+0100"
    po.metadata["Language-Team"] = "RFI French desk <fr@example.org>"
    po.save(str(path))
    pot = sample_project / "locales" / "templates" / f"{SLUG}.pot"
    created = polib.pofile(str(pot)).metadata["POT-Creation-Date"]
    extract(sample_project)
    meta = french(sample_project).metadata
    assert meta["Last-Translator"] == "Claire Martin <claire@example.org>"
    assert meta["PO-Revision-Date"] == "2015-11-04 09:30+0100"
    assert meta["Language-Team"] == "RFI French desk <fr@example.org>"
    assert polib.pofile(str(pot)).metadata["POT-Creation-Date"] == created
    assert meta["Plural-Forms"].startswith("nplurals=")
    edit(sample_project, "for woman and children", "for women and children")
    extract(sample_project)
    assert polib.pofile(str(pot)).metadata["POT-Creation-Date"] != created or created == catalog.now()


def test_po_from_another_tool_is_read_without_loss_and_rewritten(sample_project: Path) -> None:
    path = sample_project / "locales" / "fr" / "LC_MESSAGES" / f"{SLUG}.po"
    canonical = path.read_bytes()
    po = polib.pofile(str(path), wrapwidth=40)
    po.metadata = dict(reversed(list(po.metadata.items())))
    foreign = "\ufeff" + po.__unicode__().replace("\n", "\r\n")
    path.write_bytes(foreign.encode("utf-8"))
    assert extract(sample_project) == []
    assert polib.pofile(str(path)).translated_entries() and path.read_bytes() != foreign.encode("utf-8")
    again = {e.msgid: e.msgstr for e in polib.pofile(str(path))}
    assert again == {e.msgid: e.msgstr for e in polib.pofile(canonical.decode("utf-8"))}


def test_similarity_scores_match_the_documented_examples() -> None:
    assert catalog.similarity(TYPO, TYPO.replace("woman", "women")) > 0.95
    assert catalog.similarity("Related", "Relaxed") < catalog.FUZZY_THRESHOLD
    assert catalog.similarity("Subscribe", "Unsubscribe") < catalog.FUZZY_THRESHOLD
    assert catalog.similarity("Daily newsletter", "Weekly newsletter") >= catalog.FUZZY_THRESHOLD


def test_a_catalogue_with_duplicates_contexts_and_plurals_loses_nothing(sample_project: Path) -> None:
    """A translator's file holding what gettext refuses (a duplicate, an obsolete copy of a
    live entry) and what our templates never have (a msgctxt, a plural entry): extract
    keeps every translation and writes a file msgfmt -c accepts, and a second extract
    rewrites nothing (issue 10, item 4)."""
    path = sample_project / "locales" / "fr" / "LC_MESSAGES" / f"{SLUG}.po"
    text = path.read_text(encoding="utf-8")
    translated = entry(french(sample_project), TYPO).msgstr
    path.write_text(
        text
        + f"""
msgid "{TYPO}"
msgstr "Une autre traduction"

#~ msgid "{TYPO}"
#~ msgstr "Une traduction obsolète"

msgctxt "caption"
msgid "{NGOS}"
msgstr "Légende des ONG"

msgid "%d migrant"
msgid_plural "%d migrants"
msgstr[0] "%d migrant"
msgstr[1] "%d migrants"
msgstr[2] "%d de migrants"
""",
        encoding="utf-8",
    )
    problems = extract(sample_project)
    assert all("duplicate" in problem.message for problem in problems), problems  # reported, not fatal
    po = french(sample_project)
    typo = entry(po, TYPO)
    assert typo.msgstr == translated and not typo.fuzzy  # the first live entry wins
    for other in ("Une autre traduction", "Une traduction obsolète"):
        assert json.dumps(other, ensure_ascii=False) in typo.tcomment
    caption = [(e.msgctxt, e.msgstr, bool(e.obsolete)) for e in po if e.msgctxt is not None]
    assert caption == [("caption", "Légende des ONG", True)]
    plural = [e for e in po if e.msgid_plural]
    assert [(e.msgstr_plural, bool(e.obsolete)) for e in plural] == [
        ({0: "%d migrant", 1: "%d migrants", 2: "%d de migrants"}, True)
    ]
    checked = subprocess.run([need("msgfmt"), "-c", "-o", "/dev/null", str(path)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr.decode()
    written = path.read_bytes()
    extract(sample_project)
    assert path.read_bytes() == written


def test_an_article_named_with_spaces_is_extracted(sample_project: Path) -> None:
    """gettext 0.22 writes a file name with spaces between U+2068 and U+2069; so do we,
    instead of stopping the run with a traceback (issue 10, item 7)."""
    shutil.copy(article(sample_project), article(sample_project).with_name("my story.html"))
    assert extract(sample_project) == []
    catalogue = sample_project / "locales" / "fr" / "LC_MESSAGES" / "2015" / "11" / "my story.po"
    text = catalogue.read_text(encoding="utf-8")
    assert "#: \u2068articles/2015/11/my story.html\u2069:6\n" in text
    assert polib.pofile(text).translated_entries()  # filled from translation memory
    checked = subprocess.run([need("msgfmt"), "-c", "-o", "/dev/null", str(catalogue)], capture_output=True)
    assert checked.returncode == 0, checked.stderr.decode()


@pytest.mark.parametrize("char", ["\u2028", "\u0085", "\x1c"])
def test_a_template_gettext_writes_raw_line_separators_in_is_settled_without_reading_it(char: str) -> None:
    """An article's text can hold U+2028, U+0085 or U+001C, which gettext (and l10n.po.writer)
    write raw in a string and polib takes for line breaks: the second extract failed
    reading its own template back ("Syntax error in po file")."""
    units = [Unit(f"First{char}line", "p", 3), Unit("Second", "h1", 1)]
    _, first = catalog.settle_template(
        catalog.template(units, "articles/a.html", "a", ""), None, "2024-01-01 00:00+0000"
    )
    assert first is not None
    pot, again = catalog.settle_template(
        catalog.template(units, "articles/a.html", "a", ""), first, "2025-02-02 00:00+0000"
    )
    assert again is None  # nothing changed: nothing to write, the date kept
    assert catalog.created_date(pot) == "2024-01-01 00:00+0000"  # and catalogues are merged with it
    units.append(Unit("Third", "p", 9))
    pot, changed = catalog.settle_template(
        catalog.template(units, "articles/a.html", "a", ""), first, "2025-02-02 00:00+0000"
    )
    assert catalog.created_date(pot) == "2025-02-02 00:00+0000"
    assert changed is not None and '"POT-Creation-Date: 2025-02-02 00:00+0000\\n"' in changed
