"""Weblate-ready catalogues (l10n/weblate.py): the ``placeholders`` regular expression of
the component's check flags matches every placeholder our segmenter writes and no escaped
literal text; Weblate's own ``translation-finder`` discovers one component per article in
the sample project; the discovery add-on's expression matches every catalogue and nothing
else; and GNU gettext drops a ``max-length`` flag, which is why our catalogues carry the
budget only in their ``#.`` comment."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n import catalog, weblate
from l10n import placeholders as ph
from l10n.po.writer import write
from l10n.segment import segment

from .conftest import copy_sample, need
from .test_properties import html_documents, parsed

PATTERN = re.compile(weblate.PLACEHOLDER_PATTERN)


def sample_slugs(root: Path) -> list[str]:
    articles = root / "articles"
    return sorted(path.relative_to(articles).with_suffix("").as_posix() for path in articles.rglob("*.html"))


# --- the placeholders flag --------------------------------------------------------------------


@given(html_documents())
def test_the_pattern_matches_exactly_the_placeholders_the_segmenter_writes(html: str) -> None:
    for unit in segment(parsed(html)):
        written = [match.group(0) for match in ph.PLACEHOLDER.finditer(unit.msgid)]  # literals are escaped
        assert PATTERN.findall(unit.msgid) == written
        opened = {name for name in written if not name.startswith("</")}
        assert {token.strip("</>") for token in opened} == set(ph.placeholders_of(unit.msgid))
        assert {p.name for p in unit.placeholders} == set(ph.placeholders_of(unit.msgid))


PIECES = [*"<>/&;ltampbrx-19 é0", "<b1>", "</a1>", "<br2/>", "<x-y3/>", "&lt;", "&amp;", "<a01>"]


@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_the_pattern_never_matches_escaped_literal_text(text: str) -> None:
    assert PATTERN.search(ph.escape_literal(text)) is None


def test_the_pattern_on_known_cases() -> None:
    msgid = "The <a1>court</a1> in <em2>Lille</em2><br3/> and <my-tag4/>: &lt;b5> is text, &amp;lt; too"
    assert PATTERN.findall(msgid) == ["<a1>", "</a1>", "<em2>", "</em2>", "<br3/>", "<my-tag4/>"]
    for not_ours in ("<a0>", "<A1>", "<a>", "<1>", "</a1/>", "<a-1>", "< a1>", "<h3 >"):
        assert PATTERN.search(not_ours) is None, not_ours


def test_the_flag_is_one_weblate_reads_as_a_regular_expression() -> None:
    # Weblate's flag syntax reads \ and " as escapes inside r"..." (weblate/checks/parser.py).
    assert not {"\\", '"'} & set(weblate.PLACEHOLDER_PATTERN)
    flags = weblate.CHECK_FLAGS
    assert flags == f'placeholders:r"{weblate.PLACEHOLDER_PATTERN}"'


# --- components -------------------------------------------------------------------------------


def test_translation_finder_discovers_one_component_per_article(tmp_path: Path) -> None:
    finder = pytest.importorskip("translation_finder")
    root = copy_sample(tmp_path)
    slugs = sample_slugs(root)
    assert slugs, "the sample project has articles"
    expected = {weblate.component(slug).filemask: weblate.component(slug) for slug in slugs}
    found = [dict(result) for result in finder.discover(str(root))]
    assert sorted(result["filemask"] for result in found) == sorted(expected)
    for result in found:
        component = expected[result["filemask"]]
        assert result["file_format"] == component.file_format == "po"
        assert result.get("template", "") == component.template == "", "bilingual: no monolingual base"
        # translation-finder looks for a POT beside the catalogues' folders; ours are in
        # locales/templates/ (README), so Weblate is told the template (documented value).
        assert result.get("new_base") in (None, component.new_base)
        assert (root / component.new_base).is_file()
        assert sorted(root.glob(component.filemask)), component.filemask


def test_the_discovery_addon_expression_matches_every_catalogue_and_nothing_else(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    (root / "locales" / "fr" / "memory.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    settings = weblate.discovery()
    match = re.compile(settings.match)
    components: dict[str, set[str]] = {}
    for path in sorted(root.glob("locales/**/*.po*")):
        found = match.fullmatch(path.relative_to(root).as_posix())
        if found:
            components.setdefault(found["component"], set()).add(found["language"])
    languages = {path.name for path in (root / "locales").iterdir() if (path / "LC_MESSAGES").is_dir()}
    assert components == {slug: languages for slug in sample_slugs(root)}
    for slug in components:
        template = settings.new_base_template.replace("{{ component }}", slug)
        assert template == weblate.component(slug).new_base and (root / template).is_file()


# --- max-length: what GNU gettext does with the flag ------------------------------------------

FLAGGED = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#. title
#. at most 70 characters
#, max-length:70
msgid "A title"
msgstr "Un titre"

#, fuzzy, max-length:70
msgid "Another title"
msgstr "Un autre titre"
"""


def test_gettext_drops_a_max_length_flag_so_catalogues_carry_the_budget_as_a_comment(tmp_path: Path) -> None:
    msgcat, msgfmt = need("msgcat"), need("msgfmt")
    path = tmp_path / "flagged.po"
    path.write_text(FLAGGED, encoding="utf-8")
    checked = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr  # accepted...
    catted = subprocess.run([msgcat, str(path)], capture_output=True, text=True, check=True).stdout
    assert "max-length" not in catted  # ...but not kept: a Weblate commit through gettext would lose it
    assert "#, fuzzy\n" in catted and "#. at most 70 characters\n" in catted
    assert write(catalog.read(FLAGGED)) == catted, "our writer lays it out as msgcat does"
