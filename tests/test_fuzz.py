"""Fuzzing the command line (issue 14, items 3 and 4): no traceback for any input, ever.

Projects are made of hypothesis-drawn articles (HTML-ish text rich in markup
characters, control characters, noncharacters, lone surrogates, other scripts, long
attributes, deep nesting), mutated pages of the shared corpus, mutated catalogues (a
real catalogue from an extract, translated, then cut, garbled, doubled, re-encoded) and
articles with odd file names. ``extract``, ``build``, ``status`` and ``check`` run on
them in-process through Typer's runner, and every run must:

* exit 0 or 1, with no exception escaping but SystemExit and no traceback printed;
* say each problem on one line of stderr, ``path:line: message`` or ``path: message``,
  naming a file of the project (besides the summary, ``skipped …`` and ``note: …``);
* process every article it does not refuse: its template and catalogues exist, and
  its page in the source locale is built;
* change no catalogue that did not need to change: a catalogue extract wrote is left
  as it is by the next extract, one it could not read is left byte for byte, and a
  second extract writes nothing.

A short run is part of the suite (``HYPOTHESIS_PROFILE=ci``: well under a minute). With
``L10N_FUZZ_MINUTES=N`` each fuzz test searches again and again until its share of N
minutes is spent (the ``fuzz`` profile of tests/conftest.py: no deadline); set
``L10N_FUZZ_LOG=FILE`` to collect every distinct message the runs printed.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import tempfile
import time
import tomllib
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from l10n import catalog, html_read
from l10n.errors import CatalogError, L10nError
from l10n.po import reader
from l10n.po.convert import to_polib

from .conftest import corpus_pages, dumps, invoke

LOCALES = ("fr", "fa")
CONFIG = '[tool.l10n]\nsource_locale = "en"\nlocales = ["fr", "fa"]\nmin_percent = 0\n'
FUZZ_MINUTES = float(os.environ.get("L10N_FUZZ_MINUTES") or 0)
FUZZ_LOG = os.environ.get("L10N_FUZZ_LOG")
FUZZ_CRASHES = os.environ.get("L10N_FUZZ_CRASHES")
EXAMPLES: dict[str, int] = {}  # test name -> examples run (reported by the fuzz runs)

T = TypeVar("T")


# --- running the commands and checking what they say --------------------------------------

SUMMARY = re.compile(r"\d+ articles?, \d+ files? written(, .+)? in \d+(\.\d+)? s\Z")
CHECK_SUMMARY = re.compile(r"\d+ errors?, \d+ warnings? in \d+ catalogues?\Z|no catalogues? .*\Z")
LINE = re.compile(r":(\d+)?:? ")
# What a terminal would act on: C0 controls (but tab) and DEL. A line of stderr holds none.
CHECK_WARNINGS = "warnings by article"  # the heading of check's summary of warnings
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
# Problems that do not keep an article from being processed: characters cleaned to read it.
CLEANED = re.compile(r"removed|replaced by U\+FFFD|replaced by a space|cleaned the same way")
# Problems after which extract writes the catalogue anyway (every translation kept).
REWRITTEN = re.compile(r"duplicate of the entry at|a second header")


def shown(name: str) -> str:
    """A path as the tool writes it in a message: control characters escaped."""
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group(0))[1:-1], name)


def files_of(root: Path) -> set[str]:
    """Every path in the project (folders too: a folder can stand where a file should)."""
    return {path.relative_to(root).as_posix() for path in root.rglob("*")}


@dataclass
class Said:
    """One command's problems: (path, message) per stderr line that is not the summary."""

    problems: list[tuple[str, str]] = field(default_factory=list)

    def about(self, path: str) -> list[str]:
        return [message for where, message in self.problems if where in (path, shown(path))]


def ran(root: Path, *args: str, known: Iterable[str] = ()) -> tuple[Result, Said]:
    """Run one command and check what every run promises; return its result and problems."""
    before = files_of(root)
    result = invoke(root, *args)
    where = f"l10n {' '.join(args)}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        escaped = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
        raise AssertionError(f"{where}: an exception escaped:\n{escaped}\n{result.output}")
    assert result.exit_code in (0, 1), (where, result.exit_code, result.output)
    assert "Traceback" not in result.output, (where, result.output)
    names = before | files_of(root) | set(known) | {"pyproject.toml"}
    names |= {shown(name) for name in names}
    said = Said()
    lines = result.stderr.split("\n")
    assert lines[-1] == "", (where, result.stderr)
    for line in lines[:-1]:
        assert not TERMINAL_CONTROL.search(line), (where, line)
        if SUMMARY.match(line) or line.startswith(("skipped ", "note: ")):
            continue
        said.problems.append(_placed(line, names, where))
    if args[0] in ("extract", "build", "pseudo"):  # a summary, unless the run could not start
        assert SUMMARY.match(lines[-2]) or (result.exit_code == 1 and len(lines) == 2), (where, result.stderr)
    if args[0] == "check" and "--json" not in args and result.stdout:
        out = result.stdout.split("\n")
        assert out[-1] == "" and CHECK_SUMMARY.match(out[-2]), (where, result.stdout)
        # every error at its line; the warnings too with -v, else counted in tables after a heading
        counted = False
        for line in out[:-2]:
            assert not TERMINAL_CONTROL.search(line), (where, line)
            counted = counted or ("-v" not in args and line.startswith(CHECK_WARNINGS))
            if not counted:
                _placed(line, names, where)
    if "--json" in args and result.stdout:  # none when the run could not start
        json.loads(result.stdout)
    _log(said)
    return result, said


def _placed(line: str, names: set[str], where: str) -> tuple[str, str]:
    """(path, message) of a ``path:line: message`` or ``path: message`` line naming a file of the project."""
    # The longest name the line starts with: a name may hold ": " or a colon.
    for name in sorted((n for n in names if line.startswith(n + ":")), key=len, reverse=True):
        match = LINE.match(line, len(name))
        if match and line[match.end() :].strip():
            return name, line[match.end() :]
    raise AssertionError(f"{where}: not a 'path:line: message' line naming a file of the project: {line!r}")


def _log(said: Said) -> None:
    if FUZZ_LOG:
        with open(FUZZ_LOG, "a", encoding="utf-8", errors="backslashreplace") as log:
            for _, message in said.problems:
                log.write(re.sub(r"\d+", "N", message)[:300] + "\n")


# --- the project under test ------------------------------------------------------------------


def stem(slug: str) -> str:
    return slug.rsplit(".", 1)[0]


def template_of(slug: str) -> str:
    return f"locales/templates/{stem(slug)}.pot"


def catalogue_of(tag: str, slug: str) -> str:
    return f"locales/{tag}/LC_MESSAGES/{stem(slug)}.po"


def article_of(slug: str) -> str:
    return f"articles/{slug}"


def snapshot(root: Path, under: str) -> dict[str, bytes]:
    base = root / under
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def refused(said: Said, slug: str) -> bool:
    """Whether a run refused an article (a problem said about it that is not a cleaning)."""
    return any(not CLEANED.search(message) for message in said.about(article_of(slug)))


Mutate = Callable[[str, bytes], bytes]


@dataclass(frozen=True)
class Fuzzed:
    """A project to run: article files (slug -> bytes), and what to do to which catalogues."""

    articles: dict[str, bytes]
    translate: Callable[[str], str] | None = None  # msgid -> msgstr; None leaves catalogues empty
    mutations: dict[int, Mutate] = field(default_factory=dict)  # catalogue index (sorted) -> mutation
    jobs: int = 1


def exercise(project: Fuzzed, then: Callable[[Path], None] | None = None) -> None:
    """Run the commands on the project in a new folder and check every promise (and *then*).

    With ``L10N_FUZZ_CRASHES=DIR``, a project that fails is copied there, with the error.
    """
    with tempfile.TemporaryDirectory(prefix="l10n-fuzz-") as folder:
        root = Path(folder)
        try:
            _exercise(root, project)
            if then is not None:
                then(root)
        except BaseException as exc:
            if FUZZ_CRASHES and not isinstance(exc, KeyboardInterrupt):
                _keep_crash(root, project, exc)
            raise


def _keep_crash(root: Path, project: Fuzzed, exc: BaseException) -> None:
    kept = Path(FUZZ_CRASHES or ".", f"{time.strftime('%H%M%S')}-{os.getpid()}-{id(exc):x}")
    shutil.copytree(root, kept / "project", symlinks=True)
    originals = kept / "articles-as-given"
    for slug, data in project.articles.items():
        path = originals / slug
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    lines = traceback.format_exception(exc)
    (kept / "error.txt").write_text("".join(lines)[-20_000:], encoding="utf-8", errors="backslashreplace")


def _exercise(root: Path, project: Fuzzed) -> None:
    (root / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    (root / "articles").mkdir()
    for slug, data in project.articles.items():
        path = root / "articles" / slug
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    jobs = ("-j", str(project.jobs))
    slugs = sorted(project.articles)
    _, said = ran(root, "extract", *jobs)
    _processed_by_extract(root, slugs, said)

    # Translate the catalogues extract made, then damage some of them.
    made = sorted(snapshot(root, "locales"))
    catalogues = [name for name in made if name.endswith(".po")]
    if project.translate is not None:
        for name in catalogues:
            _translate(root / name, project.translate)
    mutated: set[str] = set()
    damageable = catalogues + [name for name in made if name.endswith(".pot")]  # templates are made again
    for index, mutate in project.mutations.items():
        if damageable:
            name = damageable[index % len(damageable)]
            path = root / name
            data = mutate(name, path.read_bytes())
            path.write_bytes(data)
            mutated.add(name)
    before = snapshot(root, "locales")

    _, said = ran(root, "extract", *jobs)
    _processed_by_extract(root, slugs, said)
    after = snapshot(root, "locales")
    for name in catalogues:
        if name not in mutated:  # ours, unchanged since extract wrote (and we translated) it
            assert after.get(name) == before[name], f"{name} changed though nothing it depends on did"
        elif any(not REWRITTEN.search(message) for message in said.about(name)):
            assert after.get(name) == before[name], f"{name} could not be read, yet was changed"
    result, _ = ran(root, "extract", *jobs)
    assert snapshot(root, "locales") == after, "a second extract changed a catalogue"
    assert ", 0 files written" in result.stderr.split("\n")[-2], ("a second extract wrote files", result.stderr)

    _, said = ran(root, "build", *jobs)
    for slug in slugs:
        if not refused(said, slug):
            assert (root / "site" / "en" / slug).is_file(), f"{slug}: not refused, yet its page is not built"
    pages = snapshot(root, "site")
    ran(root, "build", *jobs, "--json")
    assert snapshot(root, "site") == pages, "a second build changed a page"
    for command in (
        ("status",),
        ("status", "--json", "-l", "fa"),
        ("check",),
        ("check", "-v"),
        ("check", "--json", "--errors-only"),
    ):
        ran(root, *command)
    assert snapshot(root, "locales") == after, "build, status or check changed a catalogue"
    ran(root, "build", "-l", "fr", "--force", *jobs)  # a partial build relinks the other locale's pages
    # pseudo reads its catalogues and writes them back: as extract writes them, and no other.
    ran(root, "pseudo")
    ours = {name: data for name, data in snapshot(root, "locales").items() if "/en_XA/" not in name}
    assert ours == after, "pseudo changed a catalogue of another locale"
    result, _ = ran(root, "extract", "-l", "en-XA", *jobs)
    assert ", 0 files written" in result.stderr.split("\n")[-2], ("extract rewrote pseudo's catalogues", result.stderr)


def _processed_by_extract(root: Path, slugs: list[str], said: Said) -> None:
    for slug in slugs:
        if refused(said, slug):
            continue
        expected = [template_of(slug), *(catalogue_of(tag, slug) for tag in LOCALES)]
        missing = [name for name in expected if not (root / name).is_file()]
        assert not missing, f"{slug}: not refused, yet {missing} not written"


def _translate(path: Path, translate: Callable[[str], str]) -> None:
    """Give every live entry of a catalogue the translation *translate* makes, as a translator's editor would."""
    try:
        po = to_polib(catalog.read(path.read_bytes(), path.name))  # edited with polib, an independent tool
    except L10nError as exc:
        raise AssertionError(f"extract wrote a catalogue it cannot read: {exc}") from None
    for entry in po:
        if not entry.obsolete and entry.msgid:
            # what no editor can save in a PO file: NUL, EOT, lone surrogates
            entry.msgstr = re.sub("[\x00\x04\ud800-\udfff]", "", translate(entry.msgid))
    path.write_text(dumps(po), encoding="utf-8")


# --- strategies: HTML-ish text --------------------------------------------------------------

MARKUP_CHARS = "<>/\"'&=;!-?[] \n\t"
SPECIAL = [
    *(chr(code) for code in range(0x20)),
    *(chr(code) for code in range(0x7F, 0xA0)),
    "\u00a0",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\ufffd",
    "\u200f",
    "\u202e",
    "\u0301",
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
    "\U0001f600",
    "\U000e0001",
]
SCRIPTS = [
    "Здравствуйте, мир",
    "مرحبا بالعالم",
    "שלום עולם",
    "中文新闻报道",
    "ニュースの記事",
    "हिन्दी समाचार",
    "ภาษาไทยข่าว",
    "한국어 뉴스",
    "Ελληνικά νέα",
    "Tiếng Việt",
    "ᚠᛇᚻ",
]
TAGS = [
    "p", "div", "span", "a", "b", "i", "em", "strong", "br", "img", "h1", "h2", "ul", "li", "table", "tr", "td",
    "script", "style", "title", "meta", "link", "time", "code", "kbd", "pre", "noscript", "template", "textarea",
    "iframe", "svg", "math", "html", "head", "body", "figure", "figcaption", "blockquote", "q", "sup", "button",
    "select", "option", "input", "label", "wbr", "hr", "font", "xmp", "plaintext", "noembed", "noframes",
    "object", "video", "source", "picture", "base", "ruby", "rt", "bdi", "bdo", "abbr", "x-y", "A", "P:X", "1a",
    "svg:a", "image", "frameset", "frame", "title", "ol", "dl", "dt", "dd", "caption", "col", "colgroup",
]  # fmt: skip
ATTRS = [
    "href", "src", "srcset", "alt", "title", "lang", "dir", "translate", "class", "id", "aria-label", "content",
    "property", "name", "datetime", "charset", "http-equiv", "its-loc-note", "its-loc-note-type", "data-x",
    "style", "onclick", "type", "rel", "hreflang", "placeholder", "value", "xml:lang", "xmlns", "itemprop",
    "label", "summary", "abbr", "poster", "action", "cite", "longdesc", "sizes", "hidden", "X", "a-b", "=",
]  # fmt: skip
ATTR_VALUES = [
    "no", "yes", "notranslate", "rtl", "ltr", "auto", "en", "fr", "zh-Hans", "ar", "application/ld+json",
    "og:title", "og:description", "og:locale", "description", "twitter:title", "keywords", "2015-11-03",
    "article:section", "article:tag", "news_keywords",
    "2015-11-03T10:00:00+01:00", "x.jpg 1x, y.jpg 2x", "a,b.jpg 100w, data:image/png;base64,AAA= 2x",
    "../other.html", "other.html#x", "http://example.com/a?b=c&d=e", "//example.com", "javascript:alert(1)",
    "text/html; charset=shift_jis", "content-type", "utf-8", "",
    # links to the other articles of the project, dates and languages that do not parse
    "a.html", "../a.html", "news/b.html", "b.html#top", "deep/c.htm?x=1", "../../a.html", "./b.html", "c.htm",
    "2015-13-45", "99999-01-01T00:00", "T", "2015-11-03T25:61:00Z", "-1", "0000-00-00", "2015-11-03 10:00",
    "x", "en-", "123", "zh-Hant-TW", "ar", "und", "i-klingon", "en_GB", "ZZ-zz-zz", "fa-IR",
    "x.jpg 1x,, y.jpg", " , ", "a.jpg 2x 3x", "data:,x", "a b c",
]  # fmt: skip
ENTITIES = [
    "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&nbsp;", "&nbsp", "&#0;", "&#x0;", "&#1;", "&#xD800;",
    "&#x110000;", "&#65534;", "&#xFFFF;", "&#128512;", "&bogus;", "&", "&#;", "&#x;", "&#x85;", "&#x2028;",
    "&AElig", "&amp", "&#9999999999;", "&lt;b1>", "&lt;/a1>", "&lt;br2/>",
]  # fmt: skip
PIECES = [
    "<", "</", "<!", "<?", "<!--", "-->", "<![CDATA[x]]>", "<?xml version='1.0'?>", "<!DOCTYPE html>", "<b1>",
    "</a1>", "<br2/>", "<!--more-->", "<!-- ko if: x -->", "<!-- /ko -->", "<!--[if IE]><p>IE</p><![endif]-->",
    "<esi:include src='x'/>", "<!--#include virtual='x' -->", "]]>", "<p", "</p", "<a href=", "=\"", "'>",
]  # fmt: skip

# Elements the tool gives a meaning to, with any value: a date, a language, a link, a note.
FORMS = [
    '<time datetime="{v}">{t}</time>', '<time>{v}</time>', '<html lang="{v}">', '<p lang="{v}" dir="{v}">{t}</p>',
    '<meta property="og:locale" content="{v}">', '<meta property="og:locale:alternate" content="{v}">',
    '<base href="{v}">', '<a href="{v}">{t}</a>', '<a href="{v}" hreflang="{v}" rel="alternate">{t}</a>',
    '<link rel="alternate" hreflang="{v}" href="{v}">', '<link rel="canonical" href="{v}">',
    '<img srcset="{v}" src="{v}" alt="{t}">', '<picture><source srcset="{v}"><img alt="{t}"></picture>',
    '<script type="application/ld+json">{{"@context": "https://schema.org", "inLanguage": "{v}", "headline": "{t}",'
    ' "datePublished": "{v}", "author": [{{"name": "{t}"}}, "{v}", 1, null]}}</script>',
    '<script type="application/ld+json">[{{"@graph": [{{"headline": "{t}", "description": {v}}}]}}]</script>',
    '<script type="application/ld+json">{{"keywords": ["{t}", {v}, "{v}"], "articleSection": "{t}",'
    ' "about": [{{"name": "{t}"}}, "{v}", {{"name": [{v}, "{t}"]}}]}}</script>',
    '<script type="application/ld+json">{t}</script>', '<p translate="no">{t}<span translate="yes">{v}</span></p>',
    '<p class="notranslate">{t}</p>', '<p its-loc-note="{v}" its-loc-note-type="{t}">{t}</p>',
    '<p>{t} <code>{v}</code> {t}</p>', '<svg><text>{t}</text><title>{v}</title></svg>',
    '<template><p>{t}</p></template>',
    '<noscript><p>{t}</p></noscript>', '<iframe title="{v}" src="{v}">{t}</iframe>', '<p aria-label="{v}">{t}</p>',
    '<meta name="description" content="{t}">', '<meta http-equiv="content-language" content="{v}">',
    '<meta charset="{v}">', '<p>{t}<br>{t}<wbr>{t}</p>', '<pre>{t}\n  {v}</pre>', '<textarea>{t}</textarea>',
    '<p>{t}<!--{v}-->{t}</p>', '<p>{t}<b>{t}<!--more--></b>{t}</p>', '<ul><li>{t}</li><li>{v}</li></ul>',
]  # fmt: skip

chars = st.one_of(
    st.sampled_from(MARKUP_CHARS),
    st.sampled_from(SPECIAL),
    st.characters(codec="utf-8"),
    st.sampled_from("abcdefghijklmnopqrstuvwxyz ABC.,"),
)
words = st.text(chars, max_size=40)
tag_name = st.one_of(st.sampled_from(TAGS), st.text(st.sampled_from("abcxyz-:1"), min_size=1, max_size=6))
attr_name = st.one_of(st.sampled_from(ATTRS), st.text(st.sampled_from("abcxyz-:_.1"), min_size=1, max_size=8))
attr_value = st.one_of(st.sampled_from(ATTR_VALUES), words, st.sampled_from(ENTITIES))


@st.composite
def attribute(draw: st.DrawFn) -> str:
    name, value = draw(attr_name), draw(attr_value)
    if draw(st.integers(0, 20)) == 0:  # a very long one
        value = draw(st.sampled_from(["x", "é ", "&amp;", "a,b ", "\u2028"])) * draw(st.integers(1_000, 60_000))
    quote = draw(st.sampled_from(['"', "'", "", '"', '"']))
    if quote == "":
        return f" {name}={value}" if value else f" {name}"
    return f" {name}={quote}{value}{quote}"


leaf = st.one_of(
    words,
    st.sampled_from(SCRIPTS),
    st.sampled_from(ENTITIES),
    st.sampled_from(PIECES),
    st.builds(lambda text: f"<!--{text}-->", words),
    st.builds(lambda name, attrs: f"<{name}{''.join(attrs)}>", tag_name, st.lists(attribute(), max_size=3)),
    st.builds(
        lambda text: f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": {text}}}</script>',
        st.one_of(st.builds(json.dumps, words), words),
    ),
    st.builds(lambda kind, text: f'<meta property="{kind}" content="{text}">', st.sampled_from(ATTR_VALUES), words),
    st.builds(lambda form, value, text: form.format(v=value, t=text), st.sampled_from(FORMS), attr_value, words),
)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda name, attrs, kids, close: f"<{name}{''.join(attrs)}>{''.join(kids)}" + (f"</{name}>" if close else ""),
        tag_name,
        st.lists(attribute(), max_size=3),
        st.lists(children, max_size=4),
        st.booleans(),
    )


fragment = st.recursive(
    leaf, lambda kids: st.one_of(element(kids), st.lists(kids, max_size=5).map("".join)), max_leaves=25
)


@st.composite
def nested(draw: st.DrawFn) -> str:
    """Deep nesting: near and past libxml2's limit (2,048 levels) as well as moderate."""
    depth = draw(st.one_of(st.integers(1, 200), st.integers(2_030, 2_070)))
    name = draw(st.sampled_from(["div", "span", "b", "p", "li", "table", "a", "em"]))
    inner = draw(fragment)
    closed = draw(st.booleans())
    return f"<{name}>" * depth + inner + (f"</{name}>" * depth if closed else "")


@st.composite
def page_text(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(st.one_of(fragment, fragment, nested()), min_size=1, max_size=4)))
    if draw(st.booleans()):
        return body
    doctype = draw(st.sampled_from(["<!DOCTYPE html>\n", "", "<!-- c --><!doctype html>", "\ufeff<!DOCTYPE html>"]))
    lang = draw(st.sampled_from(["", ' lang="en"', ' lang="fr"', " lang", ' dir="rtl"']))
    head = "".join(draw(st.lists(fragment, max_size=3)))
    return (
        f"<!-- before -->{doctype}<html{lang}><head><title>{draw(words)}</title>{head}</head><body>{body}</body></html>"
    )


ENCODINGS = ["utf-8", "utf-8", "utf-8", "surrogates", "utf-16", "utf-8-sig", "windows-1252", "shift_jis", "lying"]


def encoded(text: str, how: str) -> bytes:
    """Article bytes for *text*: encoded as *how* says, with a declaration where one is needed."""
    if how == "surrogates":  # what a str can hold and UTF-8 cannot: invalid UTF-8 on disk
        return text.encode("utf-8", "surrogatepass")
    if how == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le", "surrogatepass")
    if how == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if how in ("windows-1252", "shift_jis"):
        return f'<meta charset="{how}">'.encode("ascii") + text.encode(how, "replace")
    if how == "lying":  # declares Shift_JIS, holds bytes that are not
        return b'<meta charset="shift_jis">' + text.encode("utf-8", "surrogatepass") + b"\x81\xff\xa0"
    return text.encode("utf-8", "surrogatepass")


articles_text = st.tuples(page_text(), st.sampled_from(ENCODINGS)).map(lambda pair: encoded(*pair))


# --- strategies: translations and catalogue mutations ----------------------------------------


@st.composite
def translator(draw: st.DrawFn) -> Callable[[str], str]:
    """How every msgid is translated: faithfully (placeholders kept), or with hostile text."""
    kind = draw(st.sampled_from(["wrap", "wrap", "hostile", "empty"]))
    text = draw(words)
    if kind == "wrap":
        return lambda msgid: f"« {msgid} »"
    if kind == "hostile":
        return lambda msgid: text + msgid[: len(msgid) // 2]
    return lambda msgid: ""


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def splice(kind: str, data: bytes, at: int, blob: bytes, control: bytes) -> bytes | None:
    """The byte-level mutations both catalogues and pages get (None for another *kind*)."""
    if kind == "truncate":
        return data[:at]
    if kind == "insert":
        return data[:at] + blob + data[at:]
    if kind == "overwrite":
        return data[:at] + blob + data[at + len(blob) :]
    if kind == "control":
        return data[:at] + control + data[at:]
    return None


@st.composite
def catalogue_mutation(draw: st.DrawFn) -> Mutate:
    """One damage done to a catalogue's bytes, as a crash, an editor or a transfer would."""
    kind = draw(
        st.sampled_from(
            [
                "truncate", "insert", "overwrite", "control", "duplicate", "duplicate-entry", "swap", "delete",
                "crlf", "bom", "charset", "latin-1", "quote", "cr",
            ]
        )
    )  # fmt: skip
    where = draw(st.floats(0, 1))
    blob = draw(st.binary(min_size=1, max_size=12))
    control = draw(st.sampled_from(SPECIAL)).encode("utf-8", "surrogatepass")
    other = draw(st.floats(0, 1))

    def mutate(name: str, data: bytes) -> bytes:
        at = int(where * len(data))
        spliced = splice(kind, data, at, blob, control)
        if spliced is not None:
            return spliced
        lines = _lines(data)
        index, second = int(where * len(lines)) % len(lines), int(other * len(lines)) % len(lines)
        if kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "duplicate-entry":  # an entry (a block between blank lines) twice
            blocks = data.split(b"\n\n")
            block = blocks[int(where * len(blocks)) % len(blocks)]
            blocks.insert(int(other * len(blocks)) % len(blocks), block)
            return b"\n\n".join(blocks)
        elif kind == "swap":
            lines[index], lines[second] = lines[second], lines[index]
        elif kind == "delete":
            del lines[index]
        elif kind == "crlf":
            return data.replace(b"\n", b"\r\n")
        elif kind == "cr":
            return data.replace(b"\n", b"\r")
        elif kind == "bom":
            return codecs.BOM_UTF8 + data
        elif kind == "charset":
            return data.replace(b"charset=UTF-8", b"charset=" + blob.hex().encode("ascii"))
        elif kind == "latin-1":  # re-encoded by a tool that believed its header
            text = data.decode("utf-8", "surrogateescape").replace("charset=UTF-8", "charset=ISO-8859-1")
            return text.encode("latin-1", "replace")
        elif kind == "quote":  # a quote removed
            quotes = [i for i, byte in enumerate(data) if byte == ord('"')]
            if quotes:
                cut = quotes[int(where * len(quotes)) % len(quotes)]
                return data[:cut] + data[cut + 1 :]
        return b"\n".join(lines)

    return mutate


# --- strategies: corpus pages and odd names --------------------------------------------------


@st.composite
def page_mutation(draw: st.DrawFn) -> Callable[[bytes], bytes]:
    """One damage done to a real page's bytes."""
    kind = draw(
        st.sampled_from(["truncate", "insert", "overwrite", "control", "charset", "nesting", "attribute", "none"])
    )
    where = draw(st.floats(0, 1))
    blob = draw(st.binary(min_size=1, max_size=16))
    control = draw(st.sampled_from(SPECIAL)).encode("utf-8", "surrogatepass")
    charset = draw(st.sampled_from(["shift_jis", "utf-16", "iso-8859-1", "x-bogus", "utf-7", "koi8-r", "big5"]))
    depth = draw(st.one_of(st.integers(10, 500), st.integers(2_040, 2_100)))
    size = draw(st.integers(100_000, 1_500_000))

    def mutate(data: bytes) -> bytes:
        at = int(where * len(data))
        spliced = splice(kind, data, at, blob, control)
        if spliced is not None:
            return spliced
        if kind == "charset":
            found = re.search(rb"charset=[\"']?([\w-]+)", data)
            if found:
                return data[: found.start(1)] + charset.encode() + data[found.end(1) :]
            return f'<meta charset="{charset}">'.encode() + data
        if kind == "nesting":
            body = data.find(b"<body")
            at = data.find(b">", body) + 1 if body >= 0 else at
            return data[:at] + b"<div>" * depth + b"<p>Deep text</p>" + data[at:]
        if kind == "attribute":
            body = data.find(b"<body")
            at = data.find(b">", body) + 1 if body >= 0 else at
            return data[:at] + b'<p title="' + b"long title " * (size // 11) + b'">Text</p>' + data[at:]
        return data

    return mutate


NAME_CHARS = st.one_of(
    st.sampled_from(" '\"`\t\n\r:;#%?&\\$*()[]{}<>|!~^=+,@-_.\u00a0\u2028\u200f\x7f\x1b"),
    st.sampled_from("éüßçøæЖжحםש中文ニュ한🙂"),
    st.sampled_from("abcxyz019"),
)
name_part = st.text(NAME_CHARS, min_size=1, max_size=12).filter(lambda part: part not in (".", ".."))


@st.composite
def odd_slug(draw: st.DrawFn) -> str:
    folders = draw(st.lists(st.one_of(name_part, st.just("news")), max_size=2))
    suffix = draw(st.sampled_from([".html", ".html", ".htm", ".HTML"]))
    name = draw(st.one_of(name_part, st.sampled_from(["story", "a b", "plain"])))  # some names differ by suffix
    slug = "/".join([*folders, name + suffix])
    assume(os.path.splitext(slug)[1].lower() in (".html", ".htm"))  # "....html" is no article: it has no suffix
    return slug


def simple_article(words_: str) -> bytes:
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>Title {words_}</title></head>"
        f"<body><h1>Story about {words_}</h1><p>The <a href='x.html'>court</a> said <em>more</em>.</p></body></html>"
    ).encode("utf-8", "surrogatepass")


# --- the fuzz tests ----------------------------------------------------------------------


def fuzz(examples: int, share: float) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """At most *examples* examples in the short run; with L10N_FUZZ_MINUTES, searches again
    and again (each with the ``fuzz`` profile's examples) for *share* of those minutes."""

    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        if not FUZZ_MINUTES:
            profile = settings.default
            assert profile is not None  # conftest loads a profile
            return settings(max_examples=min(examples, profile.max_examples))(test)

        @wraps(test)
        def repeated() -> None:
            started = time.monotonic()
            DEADLINE[0] = started + share * FUZZ_MINUTES * 60
            EXAMPLES[test.__name__] = 0
            while time.monotonic() < DEADLINE[0]:
                test()
            minutes = (time.monotonic() - started) / 60
            print(f"\n{test.__name__}: {EXAMPLES[test.__name__]} examples in {minutes:.1f} min")

        return repeated

    return decorate


DEADLINE = [float("inf")]  # when the running fuzz test's share of L10N_FUZZ_MINUTES is spent


def counted(name: str) -> bool:
    """Count an example; False once the time is spent (the rest of the search is skipped)."""
    if time.monotonic() > DEADLINE[0]:
        return False
    EXAMPLES[name] = EXAMPLES.get(name, 0) + 1
    return True


@pytest.mark.slow
@fuzz(examples=14, share=0.3)
@given(
    st.lists(articles_text, min_size=1, max_size=3),
    st.one_of(st.none(), translator()),
    st.sampled_from([1, 1, 1, 2]),
)
def test_generated_articles(pages: list[bytes], translate: Callable[[str], str] | None, jobs: int) -> None:
    if not counted("test_generated_articles"):
        return
    slugs = ["a.html", "news/b.html", "news/deep/c.htm"]
    articles = dict(zip(slugs, pages, strict=False))
    articles["plain.html"] = simple_article("the camp")  # a sound article beside them is always processed
    exercise(Fuzzed(articles, translate, jobs=jobs))


CORPUS = corpus_pages()
SMALL_CORPUS = [page for page in CORPUS if page.stat().st_size < 300_000]


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS, reason="the shared corpus is not beside the repository")
@fuzz(examples=5, share=0.3)
@given(
    st.lists(st.tuples(st.sampled_from(SMALL_CORPUS or [Path()]), page_mutation()), min_size=1, max_size=2),
    st.one_of(st.none(), translator()),
)
def test_mutated_corpus_pages(
    pages: list[tuple[Path, Callable[[bytes], bytes]]], translate: Callable[[str], str] | None
) -> None:
    if not counted("test_mutated_corpus_pages"):
        return
    articles = {f"{index}-{path.name}": mutate(path.read_bytes()) for index, (path, mutate) in enumerate(pages)}
    exercise(Fuzzed(articles, translate))


@pytest.mark.slow
@fuzz(examples=14, share=0.25)
@given(
    st.lists(articles_text, min_size=1, max_size=2),
    translator(),
    st.dictionaries(st.integers(0, 20), catalogue_mutation(), min_size=1, max_size=3),
    st.sampled_from([1, 1, 1, 2]),
)
def test_mutated_catalogues(
    pages: list[bytes], translate: Callable[[str], str], mutations: dict[int, Mutate], jobs: int
) -> None:
    if not counted("test_mutated_catalogues"):
        return
    articles = {f"s{index}.html": page for index, page in enumerate(pages)}
    articles["plain.html"] = simple_article("the court")
    exercise(Fuzzed(articles, translate, mutations, jobs))


@pytest.mark.slow
@fuzz(examples=8, share=0.15)
@given(st.lists(odd_slug(), min_size=1, max_size=4, unique=True), words)
def test_odd_file_names(slugs: list[str], text: str) -> None:
    if not counted("test_odd_file_names"):
        return
    articles = {slug: simple_article(text) for slug in slugs}
    articles["plain.html"] = simple_article("the town")

    def refused_once(root: Path) -> None:
        # A name with a control character is refused with one line by each command.
        _, said = ran(root, "extract")
        for slug in articles:
            if re.search(r"[\x00-\x1f\x7f]", slug):
                assert len(said.about(article_of(slug))) == 1, (slug, said.problems)

    exercise(Fuzzed(articles, lambda msgid: f"« {msgid} »"), refused_once)


@st.composite
def toml_value(draw: st.DrawFn, depth: int = 0) -> str:
    """A TOML value of any type, or one a key of [tool.l10n] means something with."""
    kind = draw(st.integers(0, 7 if depth < 2 else 5))
    if kind == 0:
        return json.dumps(draw(words), ensure_ascii=False)  # a TOML basic string (escapes are JSON's)
    if kind == 1:
        return str(draw(st.integers(-(10**20), 10**20)))
    if kind == 2:
        number = draw(st.floats())
        return (
            "nan"
            if number != number
            else ("inf" if number > 0 else "-inf")
            if abs(number) == float("inf")
            else repr(number)
        )
    if kind == 3:
        return draw(st.sampled_from(["true", "false", "1979-05-27T07:32:00Z", "07:32:00"]))
    if kind in (4, 5):
        return draw(st.sampled_from(CONFIG_VALUES))
    if kind == 6:
        return "[" + ", ".join(draw(st.lists(toml_value(depth + 1), max_size=4))) + "]"
    keys = draw(st.lists(st.sampled_from(["a", "l10n", "locales", "x"]), max_size=3, unique=True))
    return "{" + ", ".join(f"{key} = {draw(toml_value(depth + 1))}" for key in keys) + "}"


CONFIG_VALUES = [
    '"fr"', '["fr", "fa"]', '["fr", "fr-FR", "fr_FR"]', '"../x"', '"."', '""', '"/"', '"articles"', '"site"',
    '"locales"', '["en"]', '["zh_Hant", "ar-XB", "en-XA"]', '"https://example.org/news/"', '"articles/sub"',
    '"site/en"', '"ar"', '"sr-Latn"', "100", "0", "50.5", "-1", "101", '"100"', '["x-klingon"]', '"en_US.UTF-8"',
]  # fmt: skip
CONFIG_KEYS = ["source_locale", "locales", "articles", "locales_dir", "output", "min_percent", "base_url", "extra"]


@pytest.mark.slow
@fuzz(examples=10, share=0.05)
@given(st.dictionaries(st.sampled_from(CONFIG_KEYS), toml_value(), max_size=5), st.integers(0, 3))
def test_any_configuration(values: dict[str, str], shape: int) -> None:
    """Whatever [tool.l10n] holds, a command says what is wrong in one line, or runs."""
    if not counted("test_any_configuration"):
        return
    lines = "".join(f"{key} = {value}\n" for key, value in values.items())
    config = [f"[tool.l10n]\n{lines}", f"[tool]\nl10n = {values.get('locales', '1')}\n", lines, ""][shape]
    with tempfile.TemporaryDirectory(prefix="l10n-fuzz-") as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_bytes(config.encode("utf-8", "surrogatepass"))
        for name in ("articles/a.html", "articles/sub/b.html", "site/en/c.html"):
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(simple_article("the camp"))
        try:  # a folder the configuration names may be missing: "site: articles folder not found"
            table = tomllib.loads(config).get("tool", {}).get("l10n", {})
            folders = [str(table.get(key, key)) for key in ("articles", "locales_dir", "output")]
        except (tomllib.TOMLDecodeError, UnicodeError, AttributeError):
            folders = []
        for command in (("extract",), ("build",), ("status",), ("check",), ("extract", "-l", "de"), ("pseudo",)):
            ran(root, *command, known=folders)


def test_status_without_target_locales_says_so_in_a_note(tmp_path: Path) -> None:
    """Every line on stderr is a problem naming its file, the summary, or a note: this one
    was neither ("no target locales: ...")."""
    root = small_project(tmp_path, {"a.html": b"<p>Some text here</p>"}, "[]")
    result = invoke(root, "status")
    assert result.exit_code == 0 and result.stderr.startswith("note: no target locales"), result.stderr


# The pure pipeline on text a str can hold and bytes cannot (lone surrogates included):
# parse, segment, template, lay out and read back; only L10nError may come out.


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(page_text())
def test_text_pipeline_raises_only_l10n_errors(text: str) -> None:
    from l10n.errors import L10nError
    from l10n.segment import segment

    try:
        document = html_read.parse_text(text)
        pot = catalog.template(segment(document), "articles/x.html", "x", "2025-01-01 00:00+0000")
        laid_out = dumps(pot)
        again = catalog.read(laid_out, "x.pot")
    except L10nError:
        return
    assert [entry.msgid for entry in again] == [entry.msgid for entry in pot]


# --- regressions: each failure the fuzzing found, as a small explicit case -------------------


def small_project(root: Path, articles: dict[str, bytes], locales: str = '["fr"]') -> Path:
    config = f'[tool.l10n]\nsource_locale = "en"\nlocales = {locales}\nmin_percent = 0\n'
    (root / "pyproject.toml").write_text(config, encoding="utf-8")
    for slug, data in articles.items():
        path = root / "articles" / slug
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def quiet(root: Path, *args: str) -> Result:
    """A command that must succeed without a problem to report."""
    result, said = ran(root, *args)
    assert result.exit_code == 0 and not said.problems, result.output
    return result


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_in_an_article_makes_a_catalogue_that_reads_back(tmp_path: Path, char: str) -> None:
    """gettext and our writer write U+2028, U+2029 and U+0085 raw in a string; the reader
    split lines at them (as polib does), so every catalogue of such an article failed at
    once: "a.po:21: Syntax error in po file", its page not built."""
    root = small_project(tmp_path, {"a.html": f"<p>First{char}line of the text</p>".encode()})
    quiet(root, "extract")
    po = root / "locales" / "fr" / "LC_MESSAGES" / "a.po"
    (entry,) = catalog.read(po.read_text(encoding="utf-8"), "a.po")
    assert entry.msgid == f"First{char}line of the text"
    head, _ = po.read_text(encoding="utf-8").rsplit('msgstr ""\n', 1)
    po.write_text(head + f'msgstr "Première{char}ligne"\n', encoding="utf-8")
    assert "0 files written" in quiet(root, "extract").stderr
    quiet(root, "build")
    assert f"Première{char}ligne" in (root / "site" / "fr" / "a.html").read_text(encoding="utf-8")
    assert "0 errors" in quiet(root, "check").stdout


# The reader as the pipeline gets it.
READERS = [catalog.read]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"])
def test_a_line_break_only_splitlines_sees_is_read_as_gettext_reads_it(char: str) -> None:
    """gettext ends a line at "\\n" alone: these are characters of the string or comment."""
    text = f'msgid ""\nmsgstr "Language: fr\\n"\n\n# a{char}b\n#. c{char}d\nmsgid "e{char}f"\nmsgstr "g{char}h"\n'
    for read in READERS:
        (entry,) = read(text, "x.po")
        assert (entry.translator_comments, entry.extracted_comments, entry.msgid, entry.msgstr) == (
            f"a{char}b",
            f"c{char}d",
            f"e{char}f",
            f"g{char}h",
        )
    assert catalog.usable(reader.read(text, "x.po")) == {f"e{char}f": f"g{char}h"}
    with pytest.raises(CatalogError) as raised:  # on the line it is on: no line ends before it
        reader.read(f'msgid "a"\nmsgstr "b"\nx{char}y "c"\n', "x.po")
    assert str(raised.value) == 'x.po:3: keyword "x" unknown'  # as msgfmt says it


def test_a_bell_in_a_translation_is_read_back_as_written() -> None:
    """The writer writes U+0007 as gettext does, "\\a"; the former reader (polib's escapes) read it
    back as a backslash and an "a", so the next extract changed the translator's text."""
    text = 'msgid ""\nmsgstr "Language: fr\\n"\n\n# kept \\a\n#. as \\a\nmsgid "Text"\nmsgstr "\\aBell \\\\a\\\\\\a"\n'
    for read in READERS:
        (entry,) = read(text, "x.po")
        assert entry.msgstr == "\x07Bell \\a\\\x07"  # "\\\\a" is a backslash and an "a"
        assert (entry.translator_comments, entry.extracted_comments) == ("kept \\a", "as \\a")
        assert dumps(read(text, "x.po")) == text
    assert catalog.usable(reader.read(text, "x.po")) == {"Text": "\x07Bell \\a\\\x07"}


@pytest.mark.parametrize("name", ["my  story", "\xa0no-break", "thin\u2009space", " lead", "trail\u3000"])
def test_a_catalogue_of_an_article_with_a_space_in_its_name_reads_back_whole(tmp_path: Path, name: str) -> None:
    """References to names with spaces are written inside U+2068/U+2069 (gettext 0.22),
    other white space as it is; the reader split them there (as polib does), so writing
    the catalogue back (``l10n pseudo``) failed ('the reference "\\u2068articles/my"
    holds ... an isolate') or split the name in two; and the header's Project-Id-Version
    (the name) lost the white space at its ends."""
    root = small_project(tmp_path, {f"{name}.html": b"<p>Some text here</p>"})
    quiet(root, "extract")
    po = root / "locales" / "fr" / "LC_MESSAGES" / f"{name}.po"
    text = po.read_text(encoding="utf-8")
    read = catalog.read(text, "x.po")
    assert read.messages[0].references == ((f"articles/{name}.html", "1"),)
    assert dumps(read) == text
    quiet(root, "pseudo")
    pseudo = (root / "locales" / "en_XA" / "LC_MESSAGES" / f"{name}.po").read_text(encoding="utf-8")
    reference = f"articles/{name}.html"
    assert "⟦" in pseudo and "#: " + (f"\u2068{reference}\u2069" if " " in name else reference) in pseudo
    assert "0 files written" in quiet(root, "extract", "-l", "en-XA").stderr


@pytest.mark.parametrize(
    "html",
    [
        '<p>Some <b><img src="a\u2028\u2028b" alt="x">text</b> here</p>',
        '<p its-loc-note="  A note\n\n on two lines  ">Some text</p>',
        '<p its-loc-note="A note\u2028with a separator">Some text</p>',
    ],
)
def test_comments_of_a_template_read_back_as_written(html: str) -> None:
    """An extracted comment holding blank lines or white space at a line's ends (an
    its-loc-note, an attribute shown in a placeholder's legend) came back from the reader
    without them (polib skips an empty "#." and strips lines), so a catalogue written
    again by another tool (``l10n pseudo``, a polib script) was rewritten by the next extract."""
    from l10n.segment import segment

    pot = catalog.template(segment(html_read.parse_text(html)), "articles/a.html", "a", "2025-01-01 00:00+0000")
    text = dumps(pot)
    assert dumps(catalog.read(text, "a.pot")) == text


def test_text_after_the_end_of_html_is_extracted_and_built(tmp_path: Path) -> None:
    """libxml2 puts what follows "</html>" in a second <html> element beside the root: build
    crashed copying the page for a second locale (TypeError in copy_document, "Only
    processing instructions and comments can be siblings of the root element"), and the
    text was neither extracted nor in the built page. Browsers put it at the end of <body>."""
    root = small_project(
        tmp_path,
        {"a.html": b"<html><body><p>First text</p></body></html><!--c-->\n<p>Text after the end</p> and a tail"},
        '["fr", "es"]',
    )
    quiet(root, "extract")
    msgids = [entry.msgid for entry in catalog.read((root / "locales/templates/a.pot").read_text("utf-8"), "a.pot")]
    assert msgids == ["First text", "Text after the end", "and a tail"]
    quiet(root, "build")
    for tag in ("en", "fr", "es"):
        page = (root / "site" / tag / "a.html").read_text(encoding="utf-8")
        assert "First text</p><p" in page and "Text after the end</p> and a tail</body></html><!--c-->" in page, page


def test_character_references_to_characters_a_page_cannot_hold_are_cleaned(tmp_path: Path) -> None:
    """A character reference (&#1;, &#xFFFF;) puts in the tree a character lxml refuses to
    set: build crashed relocating a link ("All strings must be XML compatible", ValueError
    in relocation.moves_of). They are cleaned like the same characters written raw."""
    article = (
        b'<p title="T&#xFFFE;itle">Some&#1; text</p>\n<p><a href="x&#65535;.html">A link&#x0C;here</a></p>\n'
        b'<script>var kept = "&#1;";</script>'  # text in a script: not a reference, nothing to say
    )
    root = small_project(tmp_path, {"a.html": article})
    result, _ = ran(root, "extract")
    assert result.exit_code == 1
    assert result.stderr.split("\n")[:2] == [
        "articles/a.html:1: control character U+0001 removed; U+FFFE replaced by U+FFFD (character references)",
        "articles/a.html:2: U+FFFF replaced by U+FFFD; form feed U+000C replaced by a space (character references)",
    ]
    msgids = [entry.msgid for entry in catalog.read((root / "locales/templates/a.pot").read_text("utf-8"), "a.pot")]
    assert msgids == ["T\ufffditle", "Some text", "A link here"]
    result, said = ran(root, "build")
    assert result.exit_code == 1 and len(said.problems) == 2
    assert '/x\ufffd.html" lang="en">A link here</a>' in (root / "site" / "fr" / "a.html").read_text(encoding="utf-8")


def test_articles_whose_names_differ_only_by_suffix_do_not_share_catalogues(tmp_path: Path) -> None:
    """a.html, a.htm and a.HTML would have the same template and catalogues: each extract
    merged one article's units over another's, rewriting (and thinning) the catalogue every
    run. The first in path order keeps them; each other is refused with one line."""
    articles = {"a.HTML": b"<p>Upper case text</p>", "a.htm": b"<p>Short suffix text</p>", "a.html": b"<p>Long</p>"}
    root = small_project(tmp_path, articles)
    for _ in range(2):
        result, said = ran(root, "extract")
        assert result.exit_code == 1
        assert [path for path, _ in said.problems] == ["articles/a.htm", "articles/a.html"]
        assert all("articles/a.HTML" in message for _, message in said.problems), said.problems
    assert ", 0 files written" in result.stderr  # the second run wrote nothing
    msgids = [entry.msgid for entry in catalog.read((root / "locales/templates/a.pot").read_text("utf-8"), "a.pot")]
    assert msgids == ["Upper case text"]
    result, said = ran(root, "build")
    assert result.exit_code == 1 and [path for path, _ in said.problems] == ["articles/a.htm", "articles/a.html"]
    assert sorted(path.name for path in (root / "site" / "en").iterdir()) == ["a.HTML", "feed.xml"]
    result, _ = ran(root, "status", "--json")
    (locale,) = json.loads(result.stdout)["locales"]
    assert [row["article"] for row in locale["articles"]] == ["a.HTML"]  # a catalogue counted once
    result, _ = ran(root, "check", "--json")
    assert json.loads(result.stdout)["summary"]["catalogues"] == 1


@pytest.mark.parametrize(
    "config",
    [
        b'[tool.l10n]\nlocales = ["fr\xff"]\n',  # not UTF-8
        b"[tool]\nl10n = 3\n",
        b"tool = 3\n",
        b'[tool.l10n]\noutput = "a\\u0000b"\n',
        b'[tool.l10n]\narticles = "articles\\u0000"\n',
        b'[tool.l10n]\nlocales_dir = "locales\\u0007"\n',
        b'[tool.l10n]\nlocales = ["fr"]\nbase_url = "https://example.org/\\u0000/"\n',
        b'[tool.l10n]\nlocales = ["fr"]\nbase_url = "https://example.org/\\u001b[2J"\n',
        None,  # a folder named pyproject.toml
    ],
)
def test_a_configuration_that_cannot_be_used_is_one_line(tmp_path: Path, config: bytes | None) -> None:
    """A pyproject.toml that is not UTF-8, not a file, not a table where one is expected, or
    that names a folder or a base URL with a NUL or a control character: extract and build
    ended in a traceback (UnicodeDecodeError, IsADirectoryError, TypeError, AttributeError,
    ValueError "embedded null byte", lxml's ValueError setting a link)."""
    root = small_project(tmp_path, {"a.html": b"<p>Some text here</p>"})
    if config is None:
        (root / "pyproject.toml").unlink()
        (root / "pyproject.toml").mkdir()
    else:
        (root / "pyproject.toml").write_bytes(config)
    for command in ("extract", "build", "status", "check"):
        result = invoke(root, command)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code == 1
        assert result.stderr.startswith("pyproject.toml: ") and result.stderr.count("\n") == 1, result.output


def test_a_template_that_cannot_be_read_is_made_again(tmp_path: Path) -> None:
    """Templates are generated: one that is not UTF-8 is written again; one that is a folder
    is one line. extract read it unguarded: UnicodeDecodeError, IsADirectoryError."""
    root = small_project(tmp_path, {"a.html": b"<p>Some text here</p>", "b.html": b"<p>Other text</p>"})
    quiet(root, "extract")
    (root / "locales/templates/a.pot").write_bytes(b"\xff\xfe garbage")
    (root / "locales/templates/b.pot").unlink()
    (root / "locales/templates/b.pot").mkdir()
    result, said = ran(root, "extract")
    assert result.exit_code == 1 and said.problems == [("locales/templates/b.pot", "cannot write: Is a directory")]
    assert "Some text here" in (root / "locales/templates/a.pot").read_text(encoding="utf-8")


def test_a_header_comment_ending_in_a_space_is_kept_by_every_extract(tmp_path: Path) -> None:
    """Found by fuzzing: a translator's header comment "# fr translation " lost its last
    space at the second extract (polib's reader stripped comment lines), so an extract
    changed a catalogue that did not need to change."""
    root = small_project(tmp_path, {"a.html": b"<p>Some text here</p>"})
    quiet(root, "extract")
    po = root / "locales/fr/LC_MESSAGES/a.po"
    lines = po.read_bytes().split(b"\n")
    po.write_bytes(b"\n".join([b"# fr translation ", b"#  kept\t", *lines[1:]]))
    (root / "articles/a.html").write_bytes(b"<p>Some text here</p><p>More text</p>")
    quiet(root, "extract")
    merged = po.read_bytes()
    assert merged.startswith(b"# fr translation \n#  kept\t\n")
    quiet(root, "extract", "--force")
    assert po.read_bytes() == merged
