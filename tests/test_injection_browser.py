"""A real browser runs none of the scripts translators try to inject.

One page holds every context a translation can reach (``<noscript>`` in head and body,
``xmp``, ``iframe``, ``noembed``, ``noframes``, ``plaintext``, ``title``, ``textarea``,
``template``, JSON-LD, attributes); every unit is translated with every payload. Headless
Chromium (scripting on, so it reads ``<noscript>`` as raw text, unlike libxml2) loads the
source page and the built one, each with a probe script at the start of ``<head>``: the
probe says whether a payload ran and lists the elements and attributes of the DOM, which
must be the source's. Two Chromium launches in all.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from l10n import html_read
from l10n.html_write import serialise
from l10n.segment import apply, segment
from l10n.slot import copy_document

from .conftest import need

SOURCE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Page title</title>
<noscript><meta name="description" content="Head noscript description"></noscript>
<meta property="og:title" content="Og title text">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Headline text",
"description": "Ld description"}</script>
</head><body>
<noscript><p title="Noscript title">Noscript <b>text</b></p><img src="a.png" alt="Noscript alt"></noscript>
<p title="Para title">Para <a href="x.html" title="Link title">link</a> text.</p>
<img src="b.png" alt="Image alt" title="Image title">
<xmp>Xmp text</xmp>
<iframe title="Frame title">Frame text</iframe>
<noembed>Noembed text</noembed>
<noframes>Noframes text</noframes>
<textarea placeholder="Area placeholder" title="Area title">Area text</textarea>
<input type="submit" value="Submit value"><input type="image" src="c.png" alt="Image input alt">
<template><p title="Template title">Template text</p></template>
<table><tr><th abbr="Header abbr">Header text</th></tr></table>
<plaintext>Plain text
"""

# Each payload, if it ever runs, sets window.injected (quote-free: quotes are escaped in
# attribute values anyway, and an attack need not use them).
RUN = "window.injected=1"
PAYLOADS = [
    f"</noscript><img src=x onerror={RUN}>",
    f"</noscript ><svg/onload={RUN}>",
    f"</xmp><img src=x onerror={RUN}>",
    f"</iframe><img src=x onerror={RUN}>",
    f"</noembed><img src=x onerror={RUN}>",
    f"</noframes><img src=x onerror={RUN}>",
    f"</plaintext><img src=x onerror={RUN}>",
    f"</title><script>{RUN}</script>",
    f"</textarea><script>{RUN}</script>",
    f"</template><img src=x onerror={RUN}>",
    f"</script><script>{RUN}</script>",
    f'" onfocus={RUN} autofocus x="',
    f"' onmouseover={RUN} x='",
    f"<!--><img src=x onerror={RUN}>",
]
# The untranslated pages' texts a translation could be written into if they were units.
NOT_UNITS = ["Xmp text", "Frame text", "Noembed text", "Noframes text", "Area text", "Template text", "Plain text"]

PROBE = """<script>
window.addEventListener("load", () => setTimeout(() => {
  const translated = ["alt", "title", "aria-label", "placeholder", "label", "abbr", "value", "content"];
  const elements = [...document.querySelectorAll("*")].map(e => [e.localName,
    [...e.attributes].map(a => [a.name, translated.includes(a.name) ? null : a.value])]);
  const out = document.createElement("pre"); out.id = "probe";
  out.textContent = JSON.stringify({injected: window.injected === 1, title: document.title, elements});
  document.body.appendChild(out);
}, 200));
</script>"""


def browse(page: Path) -> dict[str, object]:
    """Load *page* in headless Chromium with the probe at the start of its head."""
    chromium = need("chromium")
    text = page.read_text(encoding="utf-8")
    head = text.index("<head>") + len("<head>")
    page.write_text(text[:head] + PROBE + text[head:], encoding="utf-8")
    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={page.parent / '.chromium'}", "--virtual-time-budget=5000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    found = re.findall(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found, f"the probe did not run: {result.stderr[-2000:]}"
    report: dict[str, object] = json.loads(html.unescape(found[-1]))
    return report


@pytest.mark.slow
def test_no_payload_runs_and_the_dom_keeps_the_source_elements(tmp_path: Path) -> None:
    source = html_read.parse(SOURCE)
    attack = " ".join(PAYLOADS)
    translations = {msgid: attack for msgid in NOT_UNITS}
    for unit in segment(source):
        translations[unit.msgid] = attack + "".join(
            f"<{p.name}>{attack}</{p.name}>" if p.paired else f"<{p.name}/>" for p in unit.placeholders
        )
    built = copy_document(source)
    applied = apply(built, translations)
    assert not applied.fallbacks and applied.translated >= 15  # every payload is on the page
    (tmp_path / "source.html").write_bytes(SOURCE)
    (tmp_path / "built.html").write_text(serialise(built), encoding="utf-8")

    before, after = browse(tmp_path / "source.html"), browse(tmp_path / "built.html")
    assert before["injected"] is False and after["injected"] is False
    assert after["title"] == attack  # the <title> holds the payload as text, and nothing else
    assert after["elements"] == before["elements"]
