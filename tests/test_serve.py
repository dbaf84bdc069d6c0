"""``l10n serve`` (issue 16): the dashboard, the previews, the 404s and the live events,
over HTTP on a free loopback port (urllib and http.client: no client dependency).

The server runs in a thread of the test process, on a copy of the sample project; a test
edits the copy's files as a translator would (with polib, a tool independent of ours).
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
import polib
import pytest

from l10n import html_read, html_write
from l10n.project import open_project
from l10n.segment import Segmented

from .conftest import REPO, copy_sample, invoke

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("watchfiles")

from l10n.project import serving  # only with the serve extra

ARTICLE = "2015/11/calais-migrant-camp.html"
CATALOGUE = "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po"
UNIT = "Last month Cazeneuve ordered heated tents for woman and children but most people remain camped out in the cold."


@dataclass
class Server:
    origin: str
    root: Path

    def get(self, path: str) -> tuple[int, str]:
        """The status and body of GET *path*, sent as written (no client normalises it)."""
        host, port = self.origin.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running(root: Path) -> Iterator[Server]:
    """``l10n serve`` of the project at *root* on a free loopback port, in a thread."""
    servers: list[Any] = []
    port = _free_port()
    thread = threading.Thread(target=serving.serve, args=(open_project(root), "127.0.0.1", port, servers.append))
    thread.start()
    deadline = time.monotonic() + 20
    while not (servers and servers[0].started):
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield Server(f"http://127.0.0.1:{port}", root)
    finally:
        servers[0].should_exit = True
        thread.join(10)


def untranslated_sample(root: Path) -> Path:
    """A copy of the sample project in *root* whose French catalogue leaves UNIT untranslated."""
    copy_sample(root)
    po = polib.pofile(str(root / CATALOGUE))
    entry = po.find(UNIT)
    assert entry is not None and entry.msgstr
    entry.msgstr = ""
    po.save()
    return root


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The server of :func:`untranslated_sample`."""
    with running(untranslated_sample(tmp_path / "project")) as started:
        yield started


def _html(text: str) -> Any:
    """A page parsed by lxml.html (its own parser, not the project's reader)."""
    return lxml.html.fromstring(text)


def _entry_line(path: Path, msgid_start: str) -> int:
    """The first line of the PO entry whose msgid starts with *msgid_start* (its first comment)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if msgid_start in line)
    while at > 0 and lines[at - 1].strip():
        at -= 1
    return at + 1


def test_dashboard_shows_the_figures_of_status_json(server: Server) -> None:
    status, body = server.get("/")
    assert status == 200
    result = invoke(server.root, "status", "--json")
    document = json.loads(result.stdout)
    page = _html(body)
    rows = page.xpath("//table[@id='progress']/tbody/tr")
    articles = {article["article"] for group in document["locales"] for article in group["articles"]}
    assert {row.get("data-article") for row in rows} == articles
    headers = [th.text_content() for th in page.xpath("//table[@id='progress']/thead/tr/th")][1:]
    assert headers == [group["locale"] for group in document["locales"]]
    checked = 0
    for group in document["locales"]:
        for article in group["articles"]:
            (cell,) = page.xpath(f"//tr[@data-article='{article['article']}']/td[@data-locale='{group['locale']}']")
            assert float(cell.get("data-value")) == article["percent"]
            assert cell.xpath(".//span[@class='percent']")[0].text == f"{article['percent']:.1f}%"
            assert int(cell.xpath(".//span[@class='fuzzy']")[0].text) == article["fuzzy"]
            assert int(cell.xpath(".//span[@class='invalid']")[0].text) == article["invalid"]
            assert cell.xpath(".//div[@class='bar']"), "drawn as a bar"
            checked += 1
    assert checked == 12
    assert any(group["total"]["percent"] < 100 for group in document["locales"]), "the untranslated unit counts"
    totals = page.xpath("//table[@id='progress']/tfoot/tr/td")[1:]
    assert [float(td.get("data-value")) for td in totals] == [g["total"]["percent"] for g in document["locales"]]
    status, data = server.get("/status.json")
    assert status == 200 and json.loads(data) == document


def test_preview_outlines_an_untranslated_unit_with_its_msgid_and_entry(server: Server) -> None:
    status, body = server.get(f"/fr/{ARTICLE}?outline=1")
    assert status == 200
    page = _html(body)
    marked = page.xpath("//*[@data-l10n-unit]")
    assert len(marked) == 1, [element.get("title") for element in marked]
    (element,) = marked
    assert element.tag == "p" and element.get("data-l10n-unit") == "untranslated"
    assert element.text_content() == UNIT  # the source text, as the build shows it
    line = _entry_line(server.root / CATALOGUE, "Last month Cazeneuve")
    title = element.get("title")
    assert f"msgid: {UNIT}" in title and f"{CATALOGUE}:{line}" in title, title
    assert element.get("lang") == "en"  # the build's own mark of a unit in the source language
    assert "1 untranslated" in page.xpath("//aside[@id='l10n-legend']")[0].text_content()
    status, plain = server.get(f"/fr/{ARTICLE}")
    assert status == 200 and "data-l10n-unit" not in plain and "l10n-legend" not in plain


def test_previews_are_the_built_pages(tmp_path: Path) -> None:
    # With every page published, a preview (its outline off) is the page build writes,
    # byte for byte but for the live script: one way of choosing translations and
    # localising, not a copy of it.
    root = copy_sample(tmp_path)
    assert invoke(root, "build").exit_code == 0
    pages = sorted((root / "site").glob("*/2015/*/*.html"))
    assert len(pages) == 15
    with running(root) as started:
        for page in pages:
            path = page.relative_to(root / "site").as_posix()
            status, body = started.get(f"/{path}")
            assert status == 200
            script = body[body.rindex('<script src="/_l10n/live.js"') : body.rindex("</body>")]
            assert body.replace(script, "") == page.read_text(encoding="utf-8"), path


def test_the_preview_hook_leaves_pages_as_they_are() -> None:
    # The build's pages are made without the hook; with one that looks, nothing changes.
    document = html_read.parse((REPO / "articles" / ARTICLE).read_bytes())
    segmented = Segmented(document)
    translations = {msgid: msgid.upper() for msgid in segmented.msgids()[::2]}
    seen: list[str] = []
    plain, _ = segmented.translated(translations)
    watched, _ = segmented.translated(translations, seen=lambda slot: seen.append(slot.msgid))
    assert html_write.serialise(plain) == html_write.serialise(watched)
    assert seen == segmented.msgids()


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/assets/../pyproject.toml",
        "/assets/%2e%2e/pyproject.toml",
        "/assets/..%2fpyproject.toml",
        "/assets/%2e%2e/%2e%2e/etc/passwd",
        "/assets//etc/passwd",
        "/assets/media/../../pyproject.toml",
        "/assets/.l10n-cache/state.sqlite3",
        "/assets/media",
        "/fr/../pyproject.toml",
        "/fr/%2e%2e/%2e%2e/pyproject.toml",
        "/xx/2015/11/calais-migrant-camp.html",
        "/fr/2015/11/no-such-article.html",
        "/fr/",
        "/side/xx/2015/11/calais-migrant-camp.html",
        "/favicon.ico",
    ],
)
def test_bad_requests_are_404_and_show_no_file(server: Server, path: str) -> None:
    status, body = server.get(path)
    assert status == 404, body[:200]
    assert "[tool.l10n]" not in body and "root:" not in body


def test_a_preview_loads_its_local_files(server: Server) -> None:
    status, body = server.get(f"/es/{ARTICLE}")
    assert status == 200
    links: list[str] = _html(body).xpath("//link[@rel='stylesheet']/@href | //img/@src")
    local = [link for link in links if not link.startswith(("http:", "https:"))]
    assert local
    for link in local:
        address = urllib.parse.urljoin(f"{server.origin}/es/{ARTICLE}", link)
        with urllib.request.urlopen(address, timeout=30) as response:
            assert response.status == 200
            name = link.rsplit("/", 1)[-1]
            assert response.read() == next((server.root / "articles").rglob(name)).read_bytes()


def test_names_from_the_project_are_escaped(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    name = "<script>alert('x')<script> & <img src=x onerror=alert(1)>.html"
    (root / "articles" / name).write_bytes((REPO / "articles" / ARTICLE).read_bytes())
    with running(root) as started:
        status, body = started.get("/")
    assert status == 200
    assert "<script>alert" not in body and "<img src=x" not in body
    page = _html(body)
    assert name in [row.get("data-article") for row in page.xpath("//tbody/tr")]
    assert name in page.text_content()
    assert all(script.get("src") or "alert" not in (script.text or "") for script in page.iter("script"))


def test_saving_a_catalogue_sends_a_change_event_for_its_article(server: Server) -> None:
    with urllib.request.urlopen(f"{server.origin}/_l10n/events", timeout=30) as events:
        assert events.headers["Content-Type"].startswith("text/event-stream")
        assert events.readline().startswith(b"retry:")
        events.readline()
        po = polib.pofile(str(server.root / CATALOGUE))
        entry = po.find(UNIT)
        assert entry is not None
        entry.msgstr = "Le mois dernier, des tentes chauffées."
        po.save()
        saved = time.monotonic()
        lines: list[bytes] = []
        while not lines or not lines[-1].startswith(b"data:"):
            assert time.monotonic() - saved < 10, f"no change event: {lines}"  # heartbeats come every 15 s
            lines.append(events.readline().strip())
        waited = time.monotonic() - saved
    assert lines[-2] == b"event: change"
    change = json.loads(lines[-1].removeprefix(b"data:"))
    assert ARTICLE in change["articles"], change
    assert waited < 3, waited  # within a second as a rule; generous for a loaded machine
    status, body = server.get(f"/fr/{ARTICLE}?outline=1")
    assert status == 200
    assert "Le mois dernier, des tentes chauffées." in body
    assert not _html(body).xpath("//*[@data-l10n-unit]")
    # The dashboard's figures (counted again only for the file saved) follow the save.
    status, data = server.get("/status.json")
    assert json.loads(data) == json.loads(invoke(server.root, "status", "--json").stdout)
    assert all(group["total"]["percent"] == 100 for group in json.loads(data)["locales"])


def test_the_dashboard_reads_the_counts_extract_stored_and_writes_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server started after an extract reads no catalogue for its first dashboard (the
    # counts are in the run store), and, the store being only read, leaves it as it was.
    from l10n.project import counting

    root = copy_sample(tmp_path)
    assert invoke(root, "extract").exit_code == 0
    expected = json.loads(invoke(root, "status", "--json").stdout)
    store = root / ".l10n-cache" / "state.sqlite3"
    before = store.read_bytes()
    read: list[str] = []
    original = counting._Read

    class Spy(original):  # type: ignore[misc,valid-type]
        def __init__(self, project: Any, path: str, name: str) -> None:
            read.append(name)
            super().__init__(project, path, name)

    monkeypatch.setattr(counting, "_Read", Spy)
    desk = serving.Desk(open_project(root))
    assert desk.status_json() == expected
    assert read == []
    # A catalogue saved: counted again by the server (and by it only, in memory), the store untouched.
    po = polib.pofile(str(root / CATALOGUE))
    next(entry for entry in po if entry.msgstr and not entry.obsolete).msgstr = ""
    po.save()
    shown = desk.status_json()
    assert read == ["locales/templates/2015/11/calais-migrant-camp.pot", CATALOGUE]
    assert store.read_bytes() == before
    assert shown == json.loads(invoke(root, "status", "--json").stdout) != expected


def test_a_preview_reads_its_article_again_only_when_it_is_saved(tmp_path: Path) -> None:
    from l10n.project import paths, previewing

    root = copy_sample(tmp_path)
    project = open_project(root)
    locale = project.config.locales[0]
    slugs = paths.distinct_slugs(project)
    walked = previewing.Walked()
    first = walked.segmented(project, ARTICLE)
    assert walked.segmented(project, ARTICLE) is first
    for outlined in (False, True):  # the page kept: the same preview as one made from the file
        made = previewing.render(project, locale, ARTICLE, slugs, outlined, walked)
        assert made == previewing.render(project, locale, ARTICLE, slugs, outlined)
    article = root / "articles" / ARTICLE
    article.write_text(article.read_text().replace("</p>", "</p><p>A paragraph just added.</p>", 1))
    assert walked.segmented(project, ARTICLE) is not first
    assert "A paragraph just added." in previewing.render(project, locale, ARTICLE, slugs, walked=walked).text


_BADGES = {"built": "published", "kept": "kept", "skipped": "skipped", "failed": "failed"}


def _badges(cell: Any) -> dict[str, str]:
    """The state badges of a dashboard cell: their kind (class) -> their title (why)."""
    return {
        " ".join(span.get("class").split()[1:]): span.get("title") or ""
        for span in cell.xpath(".//span[contains(concat(' ', @class, ' '), ' state ')]")
    }


def test_the_dashboard_shows_what_the_last_build_did_with_each_page(tmp_path: Path) -> None:
    # Every build --json record is on the dashboard as a badge with its reason: built
    # (published), kept (a broken catalogue of a published page), skipped (below the
    # threshold), failed (a broken catalogue, never published).
    root = untranslated_sample(tmp_path / "project")
    desk = serving.Desk(open_project(root))
    assert "skipped" not in desk.dashboard()  # no build yet: nothing to say of one
    invoke(root, "build")  # the French page of the article is skipped: it was never published
    broken = "msgid \"unterminated\n"
    (root / "locales/es/LC_MESSAGES/2015/11/calais-migrant-camp.po").write_text(broken, encoding="utf-8")
    (root / "locales/fr/LC_MESSAGES/2015/11/lille-court-ruling.po").write_text(broken, encoding="utf-8")
    (root / "site/fr/2015/11/lille-court-ruling.html").unlink()  # as if never published
    result = invoke(root, "build", "--json")
    assert result.exit_code == 1  # the broken catalogues
    records = json.loads(result.stdout)["pages"]
    states = {record["state"] for record in records}
    assert states == {"built", "kept", "skipped", "failed"}, states
    page = _html(desk.dashboard())
    for record in records:
        if record["locale"] == "en":
            continue
        (cell,) = page.xpath(f"//tr[@data-article='{record['article']}']/td[@data-locale='{record['locale']}']")
        badges = _badges(cell)
        kind = _BADGES[record["state"]]
        assert kind in badges, (record, badges)
        if record["state"] != "built":
            assert badges[kind] == record["reason"]
        if record["state"] in ("kept", "failed"):
            assert record["reason"] in cell.text_content()  # said, not only on hover


def test_a_build_reason_naming_a_hostile_file_is_escaped(tmp_path: Path) -> None:
    # A kept page's reason names its catalogue, and says what the parser found in it:
    # both come from the project (a file name, a translator's text) and reach the
    # dashboard as text, in the cell and in its title.
    root = copy_sample(tmp_path)
    name = "x\"><img src=x onerror=alert(1)>"
    (root / "articles" / f"{name}.html").write_bytes((REPO / "articles" / ARTICLE).read_bytes())
    assert invoke(root, "extract").exit_code == 0
    catalogue = root / "locales" / "fr" / "LC_MESSAGES" / f"{name}.po"
    text = catalogue.read_text(encoding="utf-8")
    catalogue.write_text(text.replace('msgstr ""', 'msgstr "<b1>"', 3), encoding="utf-8")
    invoke(root, "build", "--min-percent", "0")
    catalogue.write_text('msgid "<script>alert(2)</script>\n', encoding="utf-8")  # does not parse
    invoke(root, "build")
    body = serving.Desk(open_project(root)).dashboard()
    assert "<img src=x" not in body and "<script>alert" not in body
    page = _html(body)
    (cell,) = page.xpath(f"//tr[@data-article='{name}.html']/td[@data-locale='fr']")
    assert "kept" in _badges(cell), _badges(cell)
    assert f"{name}.po" in cell.text_content()
    assert not page.xpath("//img") and not [s for s in page.iter("script") if "alert" in (s.text or "")]
