"""Readers use the language switcher in a real browser (Persian and Chinese pages).

Headless Chromium opens the built sample pages: the switcher lists every language in its
own name, each link leads to a page in that language, the current one is marked, and
the names are drawn with real glyphs (a missing font draws every character as the same
empty box: compared on a canvas with a character no font has). Screenshots are kept in
``.artifacts/`` (or ``$L10N_ARTIFACTS``) for a person to look at.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, built_sample, need

SLUG = "2015/11/calais-migrant-camp"
ARTIFACTS = Path(os.environ.get("L10N_ARTIFACTS", REPO / ".artifacts"))

# For each switcher link: its attributes, whether its name draws differently from a
# character no font holds (U+10FFFD, private use), and the text of the page it leads to.
PROBE = """<script>
window.addEventListener("load", async () => {
  const canvas = document.createElement("canvas"); canvas.width = 200; canvas.height = 60;
  const context = canvas.getContext("2d");
  const draw = (text, font) => {
    context.clearRect(0, 0, 200, 60); context.font = font; context.fillText(text, 10, 40);
    return Array.from(context.getImageData(0, 0, 200, 60).data).join(",");
  };
  const links = [];
  for (const a of document.querySelectorAll("[data-l10n-languages] a")) {
    const font = getComputedStyle(a).fontSize + " " + getComputedStyle(a).fontFamily;
    const first = [...a.textContent][0];
    const target = await fetch(a.href).then(r => r.text()).catch(() => "");
    const page = new DOMParser().parseFromString(target, "text/html");
    links.push({href: a.getAttribute("href"), lang: a.lang, hreflang: a.hreflang, dir: a.dir,
      current: a.getAttribute("aria-current"), text: a.textContent,
      drawn: draw(first, font) !== draw("\\u{10FFFD}", font),
      targetLang: page.documentElement ? page.documentElement.lang : null});
  }
  const h1 = document.querySelector("h1");
  const h1font = getComputedStyle(h1).fontSize + " " + getComputedStyle(h1).fontFamily;
  const report = {lang: document.documentElement.lang,
    direction: getComputedStyle(document.documentElement).direction,
    h1drawn: draw([...h1.textContent][0], h1font) !== draw("\\u{10FFFD}", h1font), links};
  const out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify(report); document.body.appendChild(out);
});
</script>"""

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--allow-file-access-from-files", "--hide-scrollbars",
]  # fmt: skip


def chromium(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = page.parent / f".chromium-{page.stem}"
    return subprocess.run(
        [need("chromium"), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_sample(tmp_path_factory.mktemp("switcher"))


@pytest.mark.slow
@pytest.mark.parametrize(("tag", "direction", "name"), [("fa", "rtl", "فارسی"), ("zh-Hans", "ltr", "中文 (简体)")])
def test_the_switcher_works_and_is_drawn_in_every_script(site: Path, tag: str, direction: str, name: str) -> None:
    page = site / tag / f"{SLUG}.html"
    probe = page.with_name("probe.html")
    probe.write_bytes(page.read_bytes().replace(b"</body>", PROBE.encode() + b"</body>"))
    try:
        result = chromium(probe, "--virtual-time-budget=5000", "--dump-dom")
    finally:
        probe.unlink()
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found, f"the probe did not run: {result.stderr[-2000:]}"
    report = json.loads(html.unescape(found.group(1)))
    assert report["lang"] == tag and report["direction"] == direction
    assert report["h1drawn"], "the headline is drawn as empty boxes: no font for this script"
    links = report["links"]
    tags = sorted(p.name for p in site.iterdir() if (p / f"{SLUG}.html").is_file())
    assert sorted(link["hreflang"] for link in links) == tags
    for link in links:
        assert link["lang"] == link["hreflang"] == link["targetLang"], link  # leads to that language's page
        assert link["drawn"], f"{link['text']} is drawn as empty boxes"
    assert [link["text"] for link in links if link["current"] == "page"] == [name]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"switcher-{tag}.png"
    shot.unlink(missing_ok=True)
    chromium(page, "--window-size=1100,700", f"--screenshot={shot}")
    assert shot.is_file() and shot.stat().st_size > 10_000, "no screenshot"
