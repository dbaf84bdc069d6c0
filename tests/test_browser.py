"""A real browser opens built pages: language, direction, translated headline, images, encoding.

Headless Chromium loads a copy of the built page, next to it so relative URLs resolve
as in the real page, with a probe script appended; the probe writes what the browser
saw into the DOM, which ``--dump-dom`` prints.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import polib
import pytest

from .conftest import invoke, need

PROBE = """<script>
window.addEventListener("load", () => {
  const images = [...document.images].map(i => ({src: i.getAttribute("src"), ok: i.complete && i.naturalWidth > 0}));
  const style = getComputedStyle(document.querySelector("main") || document.body);
  const report = {lang: document.documentElement.lang, dir: document.documentElement.dir,
    computedDir: getComputedStyle(document.documentElement).direction,
    h1: document.querySelector("h1").textContent, title: document.title,
    images, styled: style.maxWidth !== "none", charset: document.characterSet,
    text: document.body.innerText};
  const out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify(report); document.body.appendChild(out);
});
</script>"""

SLUG = "2015/11/calais-migrant-camp"


def browse(page: Path) -> dict[str, object]:
    chromium = need("chromium")
    probe = page.with_name(page.stem + ".probe.html")
    probe.write_bytes(page.read_bytes().replace(b"</body>", PROBE.encode() + b"</body>"))
    try:
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--allow-file-access-from-files", f"--user-data-dir={page.parent / '.chromium'}",
             "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        probe.unlink()
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found, f"the probe did not run: {result.stderr[-2000:]}"
    text = html.unescape(found.group(1))
    report: dict[str, object] = json.loads(text)
    return report


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from .conftest import REPO

    root = tmp_path_factory.mktemp("browser")
    for name in ("articles", "locales"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    result = invoke(root, "build", "-l", "fr", "-l", "fa")
    assert result.exit_code == 0, result.output
    return root


def headline(root: Path, code: str) -> str:
    po = polib.pofile(str(root / "locales" / code / "LC_MESSAGES" / f"{SLUG}.po"))
    h1 = next(e for e in po if "h1" in e.comment.split("\n"))
    return str(h1.msgstr)


@pytest.mark.slow
@pytest.mark.parametrize(("tag", "direction"), [("fr", "ltr"), ("fa", "rtl")])
def test_browser_shows_the_translated_page(site: Path, tag: str, direction: str) -> None:
    report = browse(site / "site" / tag / f"{SLUG}.html")
    assert report["lang"] == tag
    assert report["computedDir"] == direction
    assert report["charset"] == "UTF-8"
    assert report["h1"] == headline(site, tag)
    images = report["images"]
    assert isinstance(images, list) and images and all(image["ok"] for image in images), images
    assert report["styled"], "the stylesheet did not load"
    text = str(report["text"])
    assert "\ufffd" not in text and not re.search("Ã.|Ø.|Ù.", text), "mojibake in the rendered text"
