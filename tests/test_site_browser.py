"""``site/`` alone is the website (issue 12, item 1): the sample project is built, only
its ``site/`` folder is served on 127.0.0.1, and headless Chromium loads every page.

The server records each request and its status, and adds a probe script to each page
it serves (the files on disk are not touched); the probe writes what the browser saw
into the DOM, which ``--dump-dom`` prints (as tests/test_browser.py does). A request the
server answers with an error, a resource from anywhere else, an image that is not
decoded or a stylesheet that is not applied fails the test.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .conftest import copy_sample, invoke, need

PROBE = b"""<script>
window.addEventListener("load", () => {
  const images = [...document.images].map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0}));
  const sheets = [...document.styleSheets].map(s => {
    try { return {href: s.href, rules: s.cssRules.length}; } catch (e) { return {href: s.href, rules: -1}; }
  });
  const resources = performance.getEntriesByType("resource").map(r => ({url: r.name, status: r.responseStatus}));
  const out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify({images, sheets, resources}); document.body.appendChild(out);
});
</script>"""


class _Handler(SimpleHTTPRequestHandler):
    """Serves one folder; adds the probe to pages; records (path, status) of each request."""

    requests: list[tuple[str, int]]

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.suffix != ".html" or not path.is_file():
            super().do_GET()
            return
        body = path.read_bytes().replace(b"</body>", PROBE + b"</body>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.requests.append((self.path, int(code)))

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve *folder* (and nothing else) on 127.0.0.1: its address and the requests made."""
    requests: list[tuple[str, int]] = []
    handler = type("Handler", (_Handler,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def load(url: str, profile: Path) -> dict[str, Any]:
    """What Chromium saw of the page at *url*, once loaded (the probe's report)."""
    chromium = need("chromium")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found, f"the probe did not run on {url}: {result.stderr[-2000:]}"
    report: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return report


def problems(site: Path, pages: list[Path], profile: Path) -> list[str]:
    """Every failed request, foreign resource, undecoded image or unapplied stylesheet of
    *pages* (in *site*), loaded from a server of *site* alone."""
    found: list[str] = []
    with serve(site) as (origin, requests):
        for page in pages:
            address = f"{origin}/{page.relative_to(site).as_posix()}"
            report = load(address, profile)
            found += [f"{address}: image not decoded: {image['src']}" for image in report["images"] if not image["ok"]]
            found += [f"{address}: stylesheet not applied: {sheet['href']}" for sheet in report["sheets"]
                      if sheet["rules"] <= 0]  # fmt: skip
            found += [f"{address}: resource from elsewhere: {r['url']}" for r in report["resources"]
                      if not r["url"].startswith(origin + "/")]  # fmt: skip
            assert report["images"] and report["sheets"], f"{address}: the sample pages have images and a stylesheet"
    # Chromium asks every origin for /favicon.ico on its own; no page refers to it (checked).
    assert not any(b"favicon" in page.read_bytes() for page in pages)
    found += [f"request failed: {path} ({status})" for path, status in requests if status >= 400
              and path != "/favicon.ico"]  # fmt: skip
    return found


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repo's sample project, built into a temporary folder: its site/ folder."""
    need("chromium")
    root = copy_sample(tmp_path_factory.mktemp("sample"))
    result = invoke(root, "build")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output, result.output
    return root / "site"


def pages_of(site: Path) -> list[Path]:
    return sorted(page for page in site.rglob("*.html") if "assets" not in page.relative_to(site).parts[:1])


@pytest.mark.slow
def test_every_page_of_the_sample_site_loads_whole_from_site_alone(sample_site: Path, tmp_path: Path) -> None:
    pages = pages_of(sample_site)
    assert len(pages) >= 6, pages  # the source and at least one translation of each article
    assert problems(sample_site, pages, tmp_path / "profile") == []


@pytest.mark.slow
def test_a_copy_missing_from_site_fails_the_check(sample_site: Path, tmp_path: Path) -> None:
    # The check above must be able to fail: the same site less one copied image.
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    image = next((site / "assets").rglob("*.png"))
    image.unlink()
    pages = [page for page in pages_of(site) if image.name.encode() in page.read_bytes()]
    assert pages
    found = problems(site, pages[:1], tmp_path / "profile")
    name = image.relative_to(site).as_posix()
    assert any(line.startswith("request failed: /" + name) for line in found), found
    assert any("image not decoded" in line and line.endswith(name) for line in found), found
