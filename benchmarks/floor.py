"""The floor of the main comparison: the least work any lxml-based tool does on the pages.

Run by ``bench.py`` as its own process (``python benchmarks/floor.py LOCALES PAGE...``),
so that the floor pays what every tool pays, a Python interpreter, lxml and a decoder,
and nothing of the benchmark script itself (whose compile and imports took about 0.05 s
of each floor run when the floor ran inside it). For each page: read, decode (l10n's
decoder), ``lxml.html.document_fromstring`` once, then per locale parse and
``lxml.html.tostring`` again. Nothing is written.
"""

import sys
from pathlib import Path

import lxml.html

from l10n.html_read import decode


def main(locales: int, pages: list[str]) -> None:
    for page in pages:
        text, _ = decode(Path(page).read_bytes())
        lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
        for _ in range(locales):
            root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
            lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
