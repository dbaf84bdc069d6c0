"""Whatever an engine answers, ``pretranslate`` writes catalogues that parse, hold every
entry they held, and keep every translator's entry as it was; what it fills is valid."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n.errors import L10nError
from l10n.locale import Locale
from l10n.machine.fill import comment
from l10n.placeholders import check_markup, parse, placeholders_of
from l10n.po.reader import read
from l10n.project import open_project
from l10n.project.pretranslating import pretranslate

from .conftest import copy_sample, invoke

PIECES = ['<g id="a1">', "</g>", '<x id="br2"/>', '<x id="a1"/>', "<script>", "&lt;", "&", "\n", "\x00", " ", "mot"]
answers = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
)


@pytest.fixture(scope="module")
def project_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with German catalogues, one entry of the first translated and one fuzzy by hand."""
    root = copy_sample(tmp_path_factory.mktemp("property"))
    assert invoke(root, "extract", "-l", "de").exit_code == 0
    path = root / "locales/de/LC_MESSAGES/2015/11/calais-migrant-camp.po"
    text = path.read_text().replace('msgstr ""\n\n', 'msgstr "Von Hand"\n\n', 2)
    text = re.sub(r'\n(msgid "[^"]+"\nmsgstr )""\n', r'\n#, fuzzy\n\1"Entwurf"\n', text, count=1)
    path.write_text(text)
    catalogue = read(path.read_bytes(), str(path))
    assert sum(m.msgstr == "Von Hand" for m in catalogue) == 2 and sum(m.fuzzy for m in catalogue) == 1
    return root


class Whatever:
    """An engine answering whatever hypothesis draws: sometimes the text sent, as a good engine."""

    name = "whatever"

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def translate(self, texts: Sequence[str], source: Locale, target: Locale) -> list[str]:
        return [self.data.draw(st.one_of(st.just(text), answers)) for text in texts]


@pytest.mark.slow
@given(data=st.data())
def test_whatever_the_engine_answers_no_entry_is_lost_and_no_human_work_changes(
    project_root: Path, data: st.DataObject
) -> None:
    base = project_root / "locales/de"
    saved = project_root / "saved-de"
    if not saved.exists():
        shutil.copytree(base, saved)
    shutil.rmtree(base)
    shutil.copytree(saved, base)
    before = {path.relative_to(base): read(path.read_bytes(), str(path)) for path in base.rglob("*.po")}
    problems: list[L10nError] = []
    result = pretranslate(open_project(project_root), "de", Whatever(data), problems.append)
    assert result.errors == 0, problems
    for name, old in before.items():
        new = read((base / name).read_bytes(), str(name))  # parses
        assert [m.key for m in new] == [m.key for m in old]  # every entry, in order
        for was, now in zip(old, new, strict=True):
            empty = not was.obsolete and not was.fuzzy and was.msgstr == ""  # the oracle, not fill's own
            if not empty or now == was:
                assert now == was  # a translator's entry (translated or fuzzy) is as it was
                continue
            assert now.fuzzy and now.translator_comments == comment("whatever")
            parse(now.msgstr, placeholders_of(now.msgid))  # valid: no InvalidTranslation
            check_markup(now.msgid, now.msgstr)
