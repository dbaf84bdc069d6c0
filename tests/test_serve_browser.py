"""``l10n serve`` in headless Chromium (issue 16, item 5), driven through the DevTools
protocol over a pipe (tests/cdp.py): the dashboard shows every article and locale with
the figures of ``status --json``; a preview outlines a deliberately untranslated unit;
saving the catalogue changes the open page without a reload by the test. Screenshots go
to ``.artifacts/`` (or ``$L10N_ARTIFACTS``) for a person to look at.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from .conftest import REPO, invoke, need

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("watchfiles")

from .cdp import Browser
from .test_serve import ARTICLE, CATALOGUE, UNIT, Server, running, untranslated_sample

ARTIFACTS = Path(os.environ.get("L10N_ARTIFACTS", REPO / ".artifacts"))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running(untranslated_sample(tmp_path / "project")) as started:
        yield started


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    chromium = need("chromium")
    opened = Browser(chromium, tmp_path / "profile")
    try:
        yield opened
    finally:
        opened.close()


@pytest.mark.slow
def test_the_dashboard_shows_every_article_and_locale(server: Server, browser: Browser) -> None:
    document = json.loads(invoke(server.root, "status", "--json").stdout)
    browser.open(server.origin + "/")
    shown = browser.evaluate(
        """[...document.querySelectorAll('#progress tbody tr')].map(row => ({
             article: row.dataset.article,
             cells: Object.fromEntries([...row.querySelectorAll('td[data-locale]')].map(td =>
               [td.dataset.locale, [td.querySelector('.percent').textContent,
                                    td.querySelector('.bar').getBoundingClientRect().width > 0]]))}))"""
    )
    expected: dict[str, dict[str, list[object]]] = {}
    for group in document["locales"]:
        for article in group["articles"]:
            expected.setdefault(article["article"], {})[group["locale"]] = [f"{article['percent']:.1f}%", True]
    assert {row["article"]: row["cells"] for row in shown} == expected
    # Sorting (the page's JavaScript): a click on the French column puts the untranslated article first.
    browser.evaluate("document.querySelector('#progress thead th[data-locale=fr]').click()")
    first = browser.evaluate("document.querySelector('#progress tbody tr').dataset.article")
    assert first == ARTICLE
    browser.screenshot(ARTIFACTS / "serve-dashboard.png")


@pytest.mark.slow
def test_saving_the_catalogue_changes_the_open_preview(server: Server, browser: Browser) -> None:
    browser.open(f"{server.origin}/fr/{ARTICLE}?outline=1")
    browser.wait("document.documentElement.dataset.l10nLive === 'open'")
    outlined = "[...document.querySelectorAll('[data-l10n-unit]')].map(e => [e.textContent, e.title])"
    (before,) = browser.evaluate(outlined)
    assert before[0] == UNIT and f"msgid: {UNIT}" in before[1] and CATALOGUE in before[1]
    browser.evaluate("window.sameDocument = true")  # gone if the page were loaded again
    browser.evaluate("document.querySelector('[data-l10n-unit]').scrollIntoView({block: 'center'})")
    browser.screenshot(ARTIFACTS / "serve-preview-before.png")
    po = polib.pofile(str(server.root / CATALOGUE))
    entry = po.find(UNIT)
    assert entry is not None
    entry.msgstr = "Le mois dernier, des tentes chauffées."
    po.save()
    saved = time.monotonic()
    browser.wait("document.documentElement.dataset.l10nUpdates === '1'", seconds=10)
    waited = time.monotonic() - saved
    assert browser.evaluate(outlined) == []
    assert browser.evaluate("document.body.innerText.includes('Le mois dernier, des tentes chauffées.')")
    assert browser.evaluate("window.sameDocument") is True
    browser.screenshot(ARTIFACTS / "serve-preview-after.png")
    assert waited < 3, waited  # about 0.1 s here; generous for a loaded machine
