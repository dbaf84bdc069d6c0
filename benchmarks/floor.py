"""The floor of the main comparison: the least work any lxml-based tool does on the pages.

Run by ``bench.py`` as its own process (``python benchmarks/floor.py LOCALES PAGE...``),
so that the floor pays what every tool pays, a Python interpreter, lxml and a decoder,
and nothing of the benchmark script itself (whose compile and imports took about 0.05 s
of each floor run when the floor ran inside it). For each page: read, decode (l10n's
decoder), ``lxml.html.document_fromstring`` once, then per locale parse and
``lxml.html.tostring`` again. Nothing is written.

``--strict`` does the same work the cheapest way l10n knows, the ways l10n itself uses:
``lxml.etree``'s parser (no Python class lookup for each element) handed a UTF-8 page's
bytes (libxml2 converts nothing) and keeping no table of id attributes, and
``lxml.etree.tostring``. It is the floor the comparison is hardest against: 5-11 % less
time than the plain one on the 51 pages on 2026-12-07, 11-23 % less (medians of three
benchmark runs) once it kept no id table, on 2026-12-08.
"""

import codecs
import sys
from pathlib import Path

import lxml.etree
import lxml.html

from l10n.html_read import decode


def main(locales: int, pages: list[str]) -> None:
    for page in pages:
        text, _ = decode(Path(page).read_bytes())
        lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
        for _ in range(locales):
            root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
            lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def strict(locales: int, pages: list[str]) -> None:
    for page in pages:
        data = Path(page).read_bytes()
        text, encoding = decode(data)
        utf8 = encoding == "utf-8" and not data.startswith(codecs.BOM_UTF8)
        source: str | bytes = data if utf8 else text
        parser = lxml.etree.HTMLParser(huge_tree=True, encoding="utf-8" if utf8 else None, collect_ids=False)
        lxml.etree.fromstring(source, parser)
        for _ in range(locales):
            root = lxml.etree.fromstring(source, parser)
            lxml.etree.tostring(root, method="html", encoding="unicode", doctype="<!DOCTYPE html>")


if __name__ == "__main__":
    if sys.argv[1] == "--strict":
        strict(int(sys.argv[2]), sys.argv[3:])
    else:
        main(int(sys.argv[1]), sys.argv[2:])
