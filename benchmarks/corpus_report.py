"""Run every page of a corpus through the whole pipeline and report, one line per page.

    python benchmarks/corpus_report.py [--corpus DIR]

For each ``*.html`` page (default: the shared corpus, ``../shared/corpus/readability``
from the repository root):

1. decode and parse (``l10n.html_read.parse``), then segment;
2. identity round trip: every msgstr equals its msgid; the rebuilt page must have the
   source's events (elements, attributes, text) and no fallback;
3. upper-case pseudo round trip: every visible text must change (the texts that do not
   are "missed text nodes"), nothing never-translated may change, same elements;
4. a full ``extract`` + ``build`` in a temporary project whose French catalogue is filled
   with the upper-case pseudo-translation: the French page must be built with
   ``<html lang="fr">``, and ``og:locale`` / JSON-LD ``inLanguage`` set where the page
   has Open Graph metadata / JSON-LD;
5. on that built page, read by html5lib (not lxml: an independent parser), checks that
   do not use l10n's own code: every comment stands between the same elements as in the
   source-locale page (the elements a build adds in ``<head>`` left out), every ``srcset`` candidate
   resolves to the same file as in the source (parsed by the HTML standard's algorithm,
   written again here), and a browser's encoding prescan finds UTF-8 (a BOM, or a
   ``<meta charset>`` in the first 1,024 bytes).

A "crash" is any exception that is not an ``L10nError`` (a clean refusal of a page is
reported as ``refused``). The last lines give the totals.
"""

from __future__ import annotations

import argparse
import codecs
import re
import sys
import tempfile
import time
import traceback
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import html5lib
import polib

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from l10n import html_read, project  # noqa: E402
from l10n.errors import L10nError  # noqa: E402
from l10n.page import jsonld_blocks  # noqa: E402
from l10n.segment import segment  # noqa: E402
from tests.roundtrip import build_with, check_pseudo, events, pseudo_upper  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "readability"
LOCALE = "fr"
OG_LOCALE = "fr_FR"


@dataclass
class PageReport:
    """What happened to one page."""

    name: str
    encoding: str = "-"
    units: int = 0
    identity_ok: bool = False
    pseudo_ok: bool = False
    missed: int = 0
    built: bool = False
    lang_ok: bool = False
    has_og: bool = False
    og_localised: bool = False
    has_jsonld: bool = False
    jsonld_localised: bool = False
    comments: int = 0
    comments_moved: int = 0  # past an element, in the built French page
    srcset_candidates: int = 0
    srcset_moved: int = 0  # candidates that no longer resolve to the source's file
    missed_attributes: int = 0  # title / aria-label the pseudo-locale left untranslated
    prescan_ok: bool = False
    refused: str | None = None
    crash: str | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        if self.crash is not None:
            state = f"CRASH {self.crash}"
        elif self.refused is not None:
            state = f"refused: {self.refused}"
        else:
            meta = []
            if self.has_og:
                meta.append(f"og:locale {'ok' if self.og_localised else 'MISSING'}")
            if self.has_jsonld:
                meta.append(f"inLanguage {'ok' if self.jsonld_localised else 'MISSING'}")
            state = (
                f"identity {'ok' if self.identity_ok else 'FAIL'}  pseudo {'ok' if self.pseudo_ok else 'FAIL'}"
                f"  missed {self.missed}  built {'ok' if self.built and self.lang_ok else 'FAIL'}"
                f"  comments moved {self.comments_moved}/{self.comments}"
                f"  srcset moved {self.srcset_moved}/{self.srcset_candidates}"
                f"  charset {'ok' if self.prescan_ok else 'LATE'}"
                + (f"  {', '.join(meta)}" if meta else "")
                + (f"  [{'; '.join(self.problems)}]" if self.problems else "")
            )
        return f"{self.name:<48} {self.encoding:<12} units {self.units:>5}  {state}  {self.seconds:.2f} s"


def structure(document: html_read.Document) -> list[tuple[Any, ...]]:
    """The element events of a page (tags and attribute names), text left out."""
    found = [e for e in events(document.root) if e[0] != "text"]
    return [(e[0], e[1], tuple(k for k, _ in e[2])) if e[0] == "start" else e for e in found]


def fill_pseudo(path: Path) -> None:
    """Translate a catalogue with the upper-case pseudo-locale."""
    po = polib.pofile(str(path))
    for entry in po:
        if not entry.obsolete:
            entry.msgstr = pseudo_upper(entry.msgid)
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    po.save(str(path))


def jsonld_items(document: html_read.Document) -> list[dict[str, Any]]:
    """The typed JSON-LD objects of a page (top level and ``@graph``); unparsable scripts skipped."""
    return [t for _, _, typed in jsonld_blocks(document.root) for t in typed if "@type" in t]


def og_metas(document: html_read.Document) -> list[Any]:
    return [m for m in document.root.iter("meta") if (m.get("property") or "").startswith("og:")]


def full_build(report: PageReport, path: Path, source: html_read.Document) -> None:
    """Extract, fill the French catalogue with the pseudo-locale, build; check page-level changes."""
    report.has_og = bool(og_metas(source))
    report.has_jsonld = bool(jsonld_items(source))
    with tempfile.TemporaryDirectory(prefix="corpus-report-") as folder:
        root = Path(folder)
        (root / "articles").mkdir()
        (root / "articles" / path.name).write_bytes(path.read_bytes())
        (root / "pyproject.toml").write_text(f'[tool.l10n]\nlocales = ["{LOCALE}"]\n', encoding="utf-8")
        proj = project.open_project(root)
        errors: list[str] = []
        project.extract(proj, [], lambda e: errors.append(str(e)))
        catalogue = root / "locales" / LOCALE / "LC_MESSAGES" / (path.stem + ".po")
        if catalogue.exists():
            fill_pseudo(catalogue)
        project.build(proj, [], None, lambda e: errors.append(str(e)))
        report.problems.extend(errors)
        built_path = root / "site" / LOCALE / path.name
        report.built = built_path.exists()
        if not report.built:
            report.problems.append("French page not built")
            return
        data = built_path.read_bytes()
        built = html_read.parse(data)
        english = (root / "site" / "en" / path.name).read_bytes()
    independent_checks(report, path.read_bytes(), english, data, path.name)
    report.lang_ok = built.root.get("lang") == LOCALE
    if not report.lang_ok:
        report.problems.append(f"html lang={built.root.get('lang')!r}")
    if report.has_og:
        report.og_localised = any(
            m.get("property") == "og:locale" and m.get("content") == OG_LOCALE for m in og_metas(built)
        )
    if report.has_jsonld:
        items = jsonld_items(built)
        report.jsonld_localised = bool(items) and all(item.get("inLanguage") == LOCALE for item in items)


# --- checks with html5lib and code of their own ---------------------------------------------


# Elements a build adds or moves in <head>: left out when placing comments.
def _added_by_build(element: ElementTree.Element) -> bool:
    tag = element.tag
    if tag == "meta":
        return (
            element.get("charset") is not None
            or element.get("property") == "og:locale"
            or ((element.get("http-equiv") or "").lower() == "content-type")
        )
    return tag == "link" and element.get("hreflang") is not None


def _comment_places(data: bytes) -> list[tuple[int, str]]:
    """Each comment and the number of element starts and ends before it (html5lib's tree)."""
    tree = html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=False, scripting=True)
    places: list[tuple[int, str]] = []
    count = 0

    def walk(element: ElementTree.Element) -> None:
        nonlocal count
        for child in element:
            if not isinstance(child.tag, str):  # a comment
                places.append((count, child.text or ""))
            elif _added_by_build(child):
                continue
            else:
                count += 1
                walk(child)
                count += 1

    walk(tree)
    return places


def _srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset, by the HTML standard's "parse a srcset attribute" (a URL runs
    to white space; commas ending it are dropped; descriptors run to a comma outside
    parentheses)."""
    urls: list[str] = []
    at, spaces = 0, " \t\n\r\f"
    while True:
        while at < len(value) and (value[at] in spaces or value[at] == ","):
            at += 1
        if at >= len(value):
            return urls
        start = at
        while at < len(value) and value[at] not in spaces:
            at += 1
        url = value[start:at]
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        depth = 0  # descriptors: to a comma outside parentheses
        while at < len(value):
            char = value[at]
            if char == "(":
                depth += 1
            elif char == ")" and depth:
                depth -= 1
            elif char == "," and not depth:
                break
            at += 1


def _srcsets(data: bytes) -> list[list[str]]:
    tree = html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=False)
    return [_srcset_urls(e.get("srcset") or "") for e in tree.iter() if isinstance(e.tag, str) and e.get("srcset")]


# A declaration a browser's prescan accepts: <meta charset=utf-8> or http-equiv's content.
_PRESCAN = re.compile(rb"<meta\s[^>]*charset\s*=\s*[\"']?\s*utf-8", re.IGNORECASE)


def _target(url: str, base: str) -> str:
    """Where a URL of a page at *base* points: scheme and host kept, paths resolved."""
    return urllib.parse.urljoin(base, url)


def independent_checks(report: PageReport, source: bytes, english: bytes, built: bytes, name: str) -> None:
    """Comments: the French page against the source-locale one (both made from the tree
    lxml read: html5lib reads tag soup otherwise, a stray ``</p>`` becomes an element).
    srcset: the French page against the source file."""
    before, after = _comment_places(english), _comment_places(built)
    report.comments = len(before)
    report.comments_moved = sum((Counter(before) - Counter(after)).values())
    article, page = f"http://x/articles/{name}", f"http://x/site/{LOCALE}/{name}"
    for old, new in zip(_srcsets(source), _srcsets(built), strict=False):
        report.srcset_candidates += len(old)
        report.srcset_moved += sum(
            1 for a, b in zip(old, new, strict=False) if _target(a, article) != _target(b, page)
        ) + abs(len(old) - len(new))
    report.prescan_ok = built.startswith(codecs.BOM_UTF8) or _PRESCAN.search(built[:1024]) is not None


def run_page(path: Path) -> PageReport:
    report = PageReport(path.name)
    started = time.perf_counter()
    try:
        try:
            source = html_read.parse(path.read_bytes())
        except L10nError as exc:
            report.refused = str(exc)
            return report
        report.encoding = source.encoding
        report.units = len(segment(source))
        built, fallbacks = build_with(source, lambda msgid: msgid)
        report.identity_ok = fallbacks == 0 and events(built.root) == events(source.root)
        built, fallbacks = build_with(source, pseudo_upper)
        result = check_pseudo(source, built)
        report.missed = len(result.missed)
        report.pseudo_ok = (
            fallbacks == 0 and not result.missed and not result.frozen_changed and structure(built) == structure(source)
        )
        report.missed_attributes = len(result.missed_attributes)
        if result.missed_attributes:
            report.problems.append(f"{len(result.missed_attributes)} title/aria-label attributes left as they were")
        if result.frozen_changed:
            report.problems.append(f"{len(result.frozen_changed)} never-translated texts changed")
        full_build(report, path, source)
    except Exception as exc:  # a crash is what this report looks for
        report.crash = f"{type(exc).__name__}: {exc}"
        traceback.print_exc(file=sys.stderr)
    finally:
        report.seconds = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of *.html pages")
    args = parser.parse_args(argv)
    corpus: Path = args.corpus
    pages = sorted(corpus.glob("*.html"))
    if not pages:
        print(f"no *.html pages in {corpus}", file=sys.stderr)
        return 2
    reports: list[PageReport] = []
    for path in pages:
        report = run_page(path)
        reports.append(report)
        print(report.line(), flush=True)
    crashes = sum(1 for r in reports if r.crash is not None)
    refused = sum(1 for r in reports if r.refused is not None)
    slowest = max(reports, key=lambda r: r.seconds)
    og = [r for r in reports if r.has_og]
    jsonld = [r for r in reports if r.has_jsonld]
    built = sum(1 for r in reports if r.built and r.lang_ok)
    print(
        f"TOTAL pages {len(reports)}, crashes {crashes}, refused {refused}, "
        f"identity-exact {sum(r.identity_ok for r in reports)}, pseudo-exact {sum(r.pseudo_ok for r in reports)}, "
        f"missed text nodes {sum(r.missed for r in reports)}, "
        f"slowest {slowest.name} ({slowest.seconds:.2f} s), total {sum(r.seconds for r in reports):.1f} s"
    )
    print(
        f"INDEPENDENT (html5lib) comments moved past an element {sum(r.comments_moved for r in reports)}"
        f" of {sum(r.comments for r in reports)}; srcset candidates resolving elsewhere"
        f" {sum(r.srcset_moved for r in reports)} of {sum(r.srcset_candidates for r in reports)};"
        f" title/aria-label left untranslated {sum(r.missed_attributes for r in reports)};"
        f" pages whose charset a browser's prescan misses {sum(1 for r in reports if r.built and not r.prescan_ok)}"
    )
    print(
        f"LOCALISED built with lang={LOCALE} {built}/{len(reports)}; "
        f"og metadata {len(og)} pages, og:locale={OG_LOCALE} set in {sum(r.og_localised for r in og)}; "
        f"JSON-LD {len(jsonld)} pages, inLanguage={LOCALE} set in {sum(r.jsonld_localised for r in jsonld)}"
    )
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
