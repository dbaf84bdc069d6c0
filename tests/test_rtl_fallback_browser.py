"""A partly translated Persian page in Chromium (issue 11): a unit left in English reads
left to right, its full stop on the right, while the page around it is right to left.

Without ``dir="ltr"`` on the English paragraph, the bidi algorithm lays it out in the
page's right-to-left direction and the final full stop lands at its left end. The probe
measures where the first and the last character of each paragraph are drawn. A
screenshot of the page is taken too, and checked to be a real picture of it.
"""

from __future__ import annotations

import html
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path

import polib
import pytest

from .conftest import copy_sample, invoke, need

SLUG = "2015/11/calais-migrant-camp"
ENGLISH = "Cazeneuve said at a press conference."
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--allow-file-access-from-files", "--hide-scrollbars",
]  # fmt: skip
PROBE = """<script>
window.addEventListener("load", () => {
  const edges = (element) => {
    const text = [...element.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
    const rect = (at) => { const r = document.createRange(); r.setStart(text, at); r.setEnd(text, at + 1);
                           return r.getBoundingClientRect(); };
    const body = text.textContent.replace(/\\s+$/, "");
    const start = text.textContent.length - text.textContent.trimStart().length;
    return {text: body.trim(), first: rect(start).left, last: rect(body.length - 1).left,
            direction: getComputedStyle(element).direction, lang: element.lang};
  };
  const english = [...document.querySelectorAll("p[lang=en]")].map(edges);
  const persian = [...document.querySelectorAll("p:not([lang])")].filter(p => p.textContent.trim()).slice(0, 1)
    .map(edges);
  const out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify({english, persian, dir: document.documentElement.dir});
  document.body.appendChild(out);
});
</script>"""


@pytest.fixture(scope="module")
def persian_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project's Persian page with one sentence left untranslated."""
    root = copy_sample(tmp_path_factory.mktemp("rtl"))
    path = root / "locales" / "fa" / "LC_MESSAGES" / f"{SLUG}.po"
    po = polib.pofile(str(path))
    entry = po.find(ENGLISH)
    assert entry is not None and entry.msgstr
    entry.msgstr = ""
    po.save(str(path))
    result = invoke(root, "build", "-l", "fa", "--min-percent", "0")
    assert result.exit_code == 0, result.output
    return root / "site" / "fa" / f"{SLUG}.html"


def chromium(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [need("chromium"), *CHROMIUM_FLAGS, f"--user-data-dir={page.parent / '.chromium'}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=120, cwd=page.parent,
    )  # fmt: skip


@pytest.mark.slow
def test_english_left_in_a_persian_page_reads_left_to_right(persian_page: Path) -> None:
    probe = persian_page.with_name("probe.html")
    probe.write_bytes(persian_page.read_bytes().replace(b"</body>", PROBE.encode() + b"</body>"))
    result = chromium(probe, "--virtual-time-budget=5000", "--dump-dom")
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found, f"the probe did not run: {result.stderr[-2000:]}"
    report = json.loads(html.unescape(found.group(1)))
    assert report["dir"] == "rtl"
    (english,) = report["english"]
    assert english["text"] == ENGLISH and english["lang"] == "en" and english["direction"] == "ltr"
    assert english["last"] > english["first"], "the full stop must be drawn right of the first letter"
    (persian,) = report["persian"]
    assert persian["direction"] == "rtl" and persian["last"] < persian["first"]


@pytest.mark.slow
def test_a_screenshot_of_the_partly_translated_persian_page(persian_page: Path) -> None:
    shot = persian_page.with_name("screenshot.png")
    chromium(persian_page, "--virtual-time-budget=5000", "--window-size=1000,1400", f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 1400)
    pixels = _rows(data, width, height)
    # A page with text and a photo, not an empty or one-colour picture: many distinct rows.
    assert len(set(pixels)) > 200


def _rows(data: bytes, width: int, height: int) -> list[bytes]:
    """The PNG's rows of filtered bytes (enough to tell a drawn page from a blank one)."""
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = len(raw) // height
    assert stride >= width * 3
    return [raw[row * stride : (row + 1) * stride] for row in range(height)]
