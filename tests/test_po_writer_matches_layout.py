"""Temporary: the new writer on the model writes what po_layout.dumps wrote for polib files.

``write(from_polib(po)) == po_layout.dumps(po)`` for random polib catalogues, and both
refuse the same input with the same CatalogError. Deleted with po_layout.
"""

from __future__ import annotations

import os

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n import po_read
from l10n.errors import CatalogError
from l10n.po.convert import from_polib, to_polib
from l10n.po.writer import write
from l10n.po_layout import dumps
from tests.test_po_writer import CASES, catalogue, catalogues, random_catalogues

EXAMPLES = int(os.environ.get("WRITER_EXAMPLES", "200"))

# Every character (NUL, EOT and lone surrogates included, which both must refuse), the line
# breaks and controls more often than chance, and text that wraps.
SPECIAL = '\0\x04\ud800\n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x07\x08\x1b\x7f\x9f\\"#~|:, %{}()$.\u00a0中😀\u0301'
chars = st.one_of(st.sampled_from(SPECIAL), st.characters(), st.sampled_from("a é"))
texts = st.one_of(st.text(chars, max_size=40), st.text(st.sampled_from("ab cd, 中文。%d{x}\n"), max_size=200))
clean = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0\x04"), max_size=30)
names = st.one_of(
    st.sampled_from(["a.html", "./b/c.html", "my story.html", "./x y/z.html", "d" * 70, "e\\", "", "t\tab"]),
    st.text(chars, min_size=0, max_size=12),
)
lines = st.sampled_from(["", "1", "007", "42", "x", "1.5"])
FLAGS = [
    "fuzzy", "c-format", "no-c-format", "python-format", "python-brace-format", "objc-format",
    "possible-c-format", "impossible-python-format", "java-format", "range: 1..5", "range:", "no-wrap", "wrap",
    "x-flag", "fuzzy, c-format",
]  # fmt: skip


@st.composite
def entries(draw: st.DrawFn) -> polib.POEntry:
    text = texts if draw(st.booleans()) else clean
    fields: dict[str, object] = {
        "msgid": draw(text),
        "msgstr": draw(st.one_of(st.just(""), text)),
        "flags": draw(st.lists(st.sampled_from(FLAGS), max_size=4)),
        "tcomment": draw(st.one_of(st.just(""), text)),
        "comment": draw(st.one_of(st.just(""), text)),
        "occurrences": draw(st.lists(st.tuples(names, lines), max_size=5)),
        "obsolete": draw(st.integers(0, 4)) == 0,
    }
    if draw(st.booleans()):
        fields["msgctxt"] = draw(text)
    if draw(st.integers(0, 3)) == 0:
        fields["msgid_plural"] = draw(st.one_of(st.just(""), text))
        if draw(st.booleans()):
            forms = draw(st.lists(text, min_size=1, max_size=4))
            fields["msgstr_plural"] = dict(enumerate(forms))
    # A previous msgctxt or msgid_plural only with a previous msgid: dumps wrote one alone, a
    # file gettext refuses; write refuses it (test_po_writer).
    if draw(st.integers(0, 2)) == 0:
        for keyword in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
            if keyword == "previous_msgid" or draw(st.booleans()):
                fields[keyword] = draw(text)
    return polib.POEntry(**fields)


@st.composite
def polib_files(draw: st.DrawFn) -> polib.POFile:
    po = polib.POFile(wrapwidth=79)
    po.header = draw(st.one_of(st.just(""), clean, texts))
    keys = draw(st.lists(st.sampled_from(["Content-Type", "Language", "Project-Id-Version", "X-Z", "Plural-Forms",
                                           "MIME-Version", "A"]), unique=True))  # fmt: skip
    po.metadata = {key: draw(st.one_of(st.just("text/plain; charset=UTF-8"), clean)) for key in keys}
    po.metadata_is_fuzzy = draw(st.one_of(st.booleans(), st.lists(st.sampled_from(FLAGS), max_size=3)))
    for generated in draw(st.lists(entries(), max_size=6)):
        po.append(generated)
    return po


def outcome(write_it: object) -> tuple[str, str]:
    try:
        return ("text", write_it())  # type: ignore[operator]
    except CatalogError as error:
        return ("error", error.message)


def assert_same(po: polib.POFile) -> None:
    old = outcome(lambda: dumps(po))
    new = outcome(lambda: write(from_polib(po)))
    assert new == old


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(polib_files())
def test_random_polib_files(po: polib.POFile) -> None:
    assert_same(po)
    # And the polib files the pipeline reads back: po_read's and polib's parses of the text.
    kind, text = outcome(lambda: dumps(po))
    if kind == "text":
        for parse in (lambda: po_read.read(text, "x.po"), lambda: polib.pofile(text, wrapwidth=79)):
            try:
                parsed = parse()
            except (CatalogError, OSError, ValueError):
                continue  # polib splits lines at U+2028 and the like, which gettext writes raw
            assert_same(parsed)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(catalogues(), random_catalogues()).map(to_polib))
def test_the_writer_tests_catalogues(po: polib.POFile) -> None:
    assert_same(po)


def test_the_writer_tests_cases() -> None:
    for case in CASES.values():
        assert_same(to_polib(catalogue(*case)))
    assert_same(to_polib(catalogue(*[e for case in CASES.values() for e in case], fuzzy=True)))
