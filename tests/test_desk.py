"""The desk commands: ``status``, ``check`` and ``pseudo`` (README.md "Desk commands").

CLI tests run in a copy of the sample project; unit tests pin the QA rules (numbers,
punctuation, white space, same-as-source), the word count and the pseudo-translation.
"""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from l10n import placeholders as ph
from l10n.catalog import is_valid
from l10n.html_read import parse
from l10n.pseudo import pseudo_translate
from l10n.qa import end_punctuation, missing_numbers, same_as_source, whitespace_difference
from l10n.segment import segment
from l10n.stats import word_count

from .conftest import dumps, invoke

SLUGS = ("2015/11/calais-migrant-camp", "2015/11/lille-court-ruling", "2015/12/channel-crossings-winter")
TAGS = ("fr", "es", "fa", "zh-Hans")
FR = "locales/fr/LC_MESSAGES/2015/11/lille-court-ruling.po"


def run(root: Path, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout alone, and stdout with stderr."""
    result = invoke(root, *args)
    return result.exit_code, result.stdout, result.output


# --- JSON shapes, as README.md documents them ------------------------------------------------

COUNTS = {
    "units": int,
    "words": int,
    "translated": int,
    "fuzzy": int,
    "untranslated": int,
    "invalid": int,
    "percent": float,
}
STATUS_SCHEMA: dict[str, object] = {
    "source_locale": str,
    "locales": [
        {
            "locale": str,
            "articles": [
                {"article": str, "catalogue": str, "exists": bool, **COUNTS, "error": (str, type(None))},
            ],
            "total": COUNTS,
        }
    ],
    "total": COUNTS,
    "orphans": [{"locale": str, "catalogue": str}],
}
CHECK_SCHEMA: dict[str, object] = {
    "findings": [
        {
            "path": str,
            "line": (int, type(None)),
            "severity": str,
            "code": str,
            "message": str,
            "msgid": (str, type(None)),
        }
    ],
    "summary": {"errors": int, "warnings": int, "catalogues": int, "by_code": dict},
}


def conforms(value: object, schema: object, where: str = "$") -> None:
    """Check *value* against a schema written as Python values: a dict of exact keys, a
    one-item list (every element), a type or a tuple of types (bool is not an int)."""
    if isinstance(schema, dict):
        assert isinstance(value, dict), where
        assert set(value) == set(schema), f"{where}: keys {sorted(value)} != {sorted(schema)}"
        for key, sub in schema.items():
            conforms(value[key], sub, f"{where}.{key}")
    elif isinstance(schema, list):
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            conforms(item, schema[0], f"{where}[{index}]")
    else:
        types = schema if isinstance(schema, tuple) else (schema,)
        assert isinstance(value, types) and not (isinstance(value, bool) and bool not in types), (where, value)


# --- status ------------------------------------------------------------------------------------


def test_status_table_lists_every_locale_and_article(sample_project: Path) -> None:
    code, out, _ = run(sample_project, "status")
    assert code == 0, out
    lines = out.splitlines()
    assert [line for line in lines if line in TAGS] == list(TAGS)  # a title line per locale
    for slug in SLUGS:
        assert sum(1 for line in lines if line.split()[:1] == [f"{slug}.html"]) == len(TAGS)
    header = next(line for line in lines if line.startswith("article"))
    assert header.split() == ["article", "units", "words", "translated", "fuzzy", "untranslated", "invalid", "%"]
    totals = [line.split() for line in lines if line.startswith("total")]
    assert len(totals) == len(TAGS) and all(row[-1] == "100.0" for row in totals)
    assert all(line == line.rstrip() and "\x1b" not in line for line in lines), "plain output off a terminal"


def test_status_json_has_the_documented_shape_and_consistent_counts(sample_project: Path) -> None:
    code, out, _ = run(sample_project, "status", "--json")
    assert code == 0
    data = json.loads(out)
    conforms(data, STATUS_SCHEMA)
    assert data["source_locale"] == "en"
    assert [group["locale"] for group in data["locales"]] == list(TAGS)
    templates = {slug: polib.pofile(str(sample_project / "locales/templates" / f"{slug}.pot")) for slug in SLUGS}
    for group in data["locales"]:
        assert [row["article"] for row in group["articles"]] == [f"{slug}.html" for slug in SLUGS]
        for row in group["articles"]:
            units = len(templates[row["article"].removesuffix(".html")])
            assert row["units"] == units == row["translated"], row
            assert row["percent"] == 100.0 and row["exists"] and row["error"] is None
            assert (sample_project / row["catalogue"]).is_file()
        for key in ("units", "words", "translated"):
            assert group["total"][key] == sum(row[key] for row in group["articles"])
    assert data["total"]["units"] == len(TAGS) * sum(len(pot) for pot in templates.values())


def _edit(path: Path, change: dict[str, tuple[str, bool]]) -> None:
    """Set msgstr (and fuzzy) of the entries whose msgid starts with a key; write as extract does."""
    po = polib.pofile(str(path), wrapwidth=79)
    for entry in po:
        for start, (msgstr, fuzzy) in change.items():
            if entry.msgid.startswith(start):
                entry.msgstr = msgstr
                entry.flags = ["fuzzy"] if fuzzy else []
    path.write_text(dumps(po), encoding="utf-8")


def test_status_counts_each_state_once(sample_project: Path) -> None:
    _edit(
        sample_project / FR,
        {
            'Lille court orders urgent improvements at Calais "Jungle" camp - RFI': ("Vieux titre", True),
            "Stone facade": ("", False),
            "The judge gave": ("Le juge a donné <strong1>huit jours", False),  # placeholder never closed
        },
    )
    (sample_project / "locales/es/LC_MESSAGES/2015/12/channel-crossings-winter.po").unlink()
    code, out, _ = run(sample_project, "status", "--json", "-l", "fr", "-l", "es", "-l", "de")
    assert code == 0
    data = json.loads(out)
    conforms(data, STATUS_SCHEMA)
    rows = {(g["locale"], r["article"]): r for g in data["locales"] for r in g["articles"]}
    lille = rows[("fr", "2015/11/lille-court-ruling.html")]
    states = (lille["translated"], lille["fuzzy"], lille["untranslated"], lille["invalid"])
    assert states == (lille["units"] - 3, 1, 1, 1)
    assert lille["percent"] == round(100 * (lille["units"] - 3) / lille["units"], 1)
    missing = rows[("es", "2015/12/channel-crossings-winter.html")]
    assert not missing["exists"] and missing["untranslated"] == missing["units"] > 0
    assert all(r["untranslated"] == r["units"] and not r["exists"] for (tag, _), r in rows.items() if tag == "de")
    code, out, _ = run(sample_project, "status", "-l", "es")
    assert "2015/12/channel-crossings-winter.html (no catalogue)" in out


def test_status_of_an_unreadable_catalogue_names_it_and_exits_0(sample_project: Path) -> None:
    (sample_project / FR).write_text('msgid "x"\nmsgstr "y"\nnonsense\n', encoding="utf-8")
    code, out, output = run(sample_project, "status", "-l", "fr", "--json")
    assert code == 0
    row = next(r for r in json.loads(out)["locales"][0]["articles"] if r["catalogue"] == FR)
    assert row["error"].startswith(FR + ":") and row["untranslated"] == row["units"]
    assert row["error"] in output.replace(out, "")  # also said on stderr


def test_word_count_rule() -> None:
    assert word_count("The <a1>court</a1> in <em2>Lille</em2> ordered new water points.") == 8
    assert word_count("Line<br1/>break") == 2
    assert word_count("<a1>Lille</a1>'s court") == 2
    assert word_count("Some 6,000 migrants – 2015") == 4  # numbers are words, a dash is not
    assert word_count("法国和英国签署协议") == 9  # one word per Han character
    assert word_count("RFI 报道 · 2015") == 4
    assert word_count("Text about &lt;b1> tags") == 4


_WORD_PIECES = st.sampled_from(
    ["word", "Lille", "6,000", " ", "  ", "\t", "\n", "\u00a0", "\u2028", "\x1c", "\u3000", "–", "-", "_", "__",
     "’s", "é", "<b1>", "</b1>", "<br2/>", "<a-b3>", "&lt;", "&amp;", "&", "<", "法", "国", "报道", "・", "ー",
     "ｱ", "\U00020000", "😀", "\ufeff", "·", "2015"]
)  # fmt: skip


@given(st.one_of(st.lists(_WORD_PIECES, max_size=12).map("".join), st.text(max_size=40)))
@example("a &amp; b &lt; c")  # an escape alone is no word
@example("法\u3000国・ー 😀 x")
def test_word_count_is_the_rule_whatever_the_text(text: str) -> None:
    # The rule as the module docstring states it, the slow general way: tokens of the
    # plain text (one CJK character, or a run of other non-space characters), counted
    # when they hold a letter or a digit.
    import re

    from l10n import stats

    tokens = re.findall(rf"[{stats._CJK}]|[^\s{stats._CJK}]+", stats.plain_text(text))
    assert word_count(text) == sum(1 for token in tokens if re.search(r"[^\W_]", token))


# --- check -------------------------------------------------------------------------------------


def parse_findings(out: str) -> list[tuple[str, str, str, str]]:
    """(path:line, severity, code, message) of each finding line of the text report."""
    found = []
    for line in out.splitlines()[:-1]:
        where, severity, rest = line.split(": ", 2)
        code, message = rest[1:].split("] ", 1)
        found.append((where, severity, code, message))
    return found


def entry_line(path: Path, msgid_start: str) -> int:
    """The first line of the entry whose msgid starts with *msgid_start*, read from the text."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        joined = "".join(json.loads(part) for part in _strings(lines, index)) if line.startswith("msgid ") else None
        if joined is not None and joined.startswith(msgid_start):
            while index > 0 and lines[index - 1].strip():
                index -= 1
            return index + 1
    raise AssertionError(f"no entry {msgid_start!r} in {path}")


def _strings(lines: list[str], index: int) -> list[str]:
    parts = [lines[index].split(" ", 1)[1]]
    for line in lines[index + 1 :]:
        if not line.startswith('"'):
            break
        parts.append(line)
    return parts


def test_check_on_the_sample_has_no_errors_and_one_real_warning(sample_project: Path) -> None:
    code, out, _ = run(sample_project, "check", "-v")  # -v: every warning at its line
    assert code == 0, out
    assert out.splitlines()[-1] == "0 errors, 1 warning in 12 catalogues"
    path = sample_project / "locales/fa/LC_MESSAGES/2015/11/calais-migrant-camp.po"
    start = "\"It's an agreement which reinforces cooperation"
    line = entry_line(path, start)
    assert parse_findings(out) == [
        (
            f"locales/fa/LC_MESSAGES/2015/11/calais-migrant-camp.po:{line}",
            "warning",
            "punctuation",
            "the source ends with ',', the translation with '.'",
        )
    ]
    # Real: the English quote ends with a comma and the sentence goes on in the next
    # paragraph ("Cazeneuve said ..."); the Persian closes the quote with a full stop.
    entry = next(e for e in polib.pofile(str(path)) if e.msgid.startswith(start))
    assert entry.msgid.endswith(',"') and entry.msgstr.endswith(".»")


def _break_catalogues(root: Path) -> dict[str, Path]:
    lille = root / FR
    _edit(
        lille,
        {
            "Keep up to date": ("Suivez l'actualité avec <b>l'application</b> <a1>RFI</a1>", False),
            'Lille court orders urgent improvements at Calais "Jungle" camp - RFI': ("Titre à revoir", True),
            "Stone facade": ("", False),
        },
    )
    po = polib.pofile(str(lille), wrapwidth=79)
    for entry in po:
        if entry.msgid.startswith("The judge gave"):  # the placeholder is lost
            entry.msgstr = entry.msgstr.replace("<strong1>", "").replace("</strong1>", "")
        if entry.msgid.startswith("© 2015"):
            entry.msgstr = entry.msgstr.replace("2015", "2016")
        if entry.msgid.startswith("French authorities have eight days"):
            entry.msgstr = entry.msgstr + " "
        if entry.msgid.startswith("A court in Lille"):
            entry.msgstr = entry.msgid
    lille.write_text(dumps(po), encoding="utf-8")
    winter = root / "locales/fr/LC_MESSAGES/2015/12/channel-crossings-winter.po"
    po = polib.pofile(str(winter), wrapwidth=79)
    po.append(polib.POEntry(msgid="one crossing", msgid_plural="%d crossings", msgstr_plural={0: "a", 1: "b"}))
    po.append(polib.POEntry(msgid="%d migrants", msgstr="%s migrants", flags=["c-format"]))
    winter.write_text(dumps(po), encoding="utf-8")
    calais = root / "locales/fr/LC_MESSAGES/2015/11/calais-migrant-camp.po"
    lines = calais.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(39, "this line is not PO\n")
    calais.write_text("".join(lines), encoding="utf-8")
    return {"lille": lille, "winter": winter, "calais": calais}


def test_check_reports_each_broken_entry_at_its_line(sample_project: Path) -> None:
    paths = _break_catalogues(sample_project)
    code, out, _ = run(sample_project, "check", "-l", "fr", "-v")
    assert code == 1, out
    found = parse_findings(out)
    rel = {name: path.relative_to(sample_project).as_posix() for name, path in paths.items()}

    def at(name: str, msgid: str) -> str:
        return f"{rel[name]}:{entry_line(paths[name], msgid)}"

    expected = {
        (at("lille", "The judge gave"), "error", "invalid-placeholder"),
        (at("lille", "Keep up to date"), "error", "markup"),
        (at("lille", 'Lille court orders urgent improvements at Calais "Jungle" camp - RFI'), "warning", "fuzzy"),
        (at("lille", "Stone facade"), "warning", "untranslated"),
        (at("lille", "© 2015"), "warning", "number"),
        (at("lille", "French authorities have eight days"), "warning", "whitespace"),
        (at("lille", "A court in Lille"), "warning", "same-as-source"),
        (at("lille", "A court in Lille"), "error", "too-long"),  # the source itself is over the budget
        (at("winter", "one crossing"), "error", "plural"),
        (at("winter", "%d migrants"), "error", "format"),
        (f"{rel['calais']}:40", "error", "parse-error"),
    }
    assert {(where, severity, code) for where, severity, code, _ in found} == expected
    messages = {code: message for _, _, code, message in found}
    assert messages["invalid-placeholder"].startswith("missing placeholder <strong1>")
    assert messages["markup"] == (
        "markup-like text <b> </b> is not a placeholder: a page would hold it as escaped characters, never as markup"
    )
    assert messages["number"] == "number 2015 of the source is missing from the translation"
    assert messages["plural"] == "2 plural forms, the locale has 3"
    assert out.splitlines()[-1] == "6 errors, 5 warnings in 3 catalogues"

    code, out, _ = run(sample_project, "check", "-l", "fr", "--json")
    assert code == 1
    data = json.loads(out)
    conforms(data, CHECK_SCHEMA)
    assert {(f"{f['path']}:{f['line']}", f["severity"], f["code"]) for f in data["findings"]} == expected
    assert data["summary"] == {
        "errors": 6,
        "warnings": 5,
        "catalogues": 3,
        "by_code": {code: 1 for _, _, code in expected},
    }


def test_entry_lines_are_lines_of_the_file() -> None:
    """check reports an entry at its first line in the file (``line`` as catalog.read sets
    it): its first comment or keyword, continuation strings and CRLF counted as lines."""
    from l10n.catalog import read

    text = (
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n#. p\n#: a.html:3\nmsgid ""\n"a long "\n"text"\nmsgstr ""\n"un "\n'
        '"texte"\n\n#, fuzzy\nmsgid "b"\nmsgstr "c"\n\n#~ msgid "old"\n#~ msgstr "vieux"\n'
    )
    assert [entry.line for entry in read(text, "x.po")] == [5, 14, 18]
    assert [entry.line for entry in read(text.replace("\n", "\r\n").encode(), "x.po")] == [5, 14, 18]
    bare = 'msgid "a"\nmsgstr "b"\nmsgid "c"\nmsgstr "d"\n'  # no header, no blank lines
    assert [entry.line for entry in read(bare, "x.po")] == [1, 3]


def test_check_ignores_markup_that_is_literal_source_text() -> None:
    from l10n.placeholders import markup

    assert markup("Write &lt;b1> or <b>bold</b>", "Écrivez &lt;b1> ou <b>gras</b>") == []
    assert markup("Plain", "<i>Plain</i>") == ["<i>", "</i>"]


# --- QA rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "translation",
    [
        "environ 6 000 migrants",
        "environ 6\u202f000 migrants",
        "unos 6.000 migrantes",
        "حدود ۶۰۰۰ مهاجر",
        "约6000名移民",
    ],
)
def test_numbers_match_across_separators_and_digit_scripts(translation: str) -> None:
    assert missing_numbers("some 6,000 migrants", translation) == []


def test_missing_numbers_are_listed_as_the_source_writes_them() -> None:
    assert missing_numbers("In 2015, some 6,000 migrants", "En 2016, quelque 6 000 migrants") == ["2015"]
    assert missing_numbers("eight days, 10 water points", "huit jours, dix points d'eau") == ["10"]
    assert missing_numbers("The <a1>court</a1> said<br2/>", "Le <a1>tribunal</a1> a dit<br2/>") == []
    assert missing_numbers("3.5 km", "3,5 km") == []


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("It ended.", "结束了。"),
        ("It ended.", "تمام شد۔"),
        ("Why?", "چرا؟"),
        ("Why?", "为什么？"),
        ("Stop!", "停！"),
        ("Note:", "Remarque :"),
        ('"It works."', "« Ça marche. »"),
        ("He said (yes.)", "Il a dit (oui.)"),
        ("A title", "Un titre"),
        ("<a1>Read more.</a1>", "<a1>Lire la suite.</a1>"),
        ("By RFI · Published <time2/>", "RFI · publié le : <time2/>"),
        ('networks,"', "réseaux،»"),
    ],
)
def test_equivalent_end_punctuation_is_not_a_difference(source: str, translation: str) -> None:
    assert end_punctuation(source) == end_punctuation(translation)


@pytest.mark.parametrize(
    ("source", "translation"),
    [("It ended.", "C'est fini"), ("Why?", "Pourquoi."), ("A title", "Un titre."), ("Wait...", "Attends.")],
)
def test_different_end_punctuation_is_found(source: str, translation: str) -> None:
    assert end_punctuation(source) != end_punctuation(translation)


def test_whitespace_and_same_as_source_rules() -> None:
    assert whitespace_difference("Text", "Texte") is None
    assert whitespace_difference("Text", "Texte ") == "the translation ends with white space, the source does not"
    assert whitespace_difference(" Text", "Texte") == "the source starts with white space, the translation does not"
    assert same_as_source("Calais migrant camp", "Calais migrant camp")
    assert not same_as_source("Calais", "Calais")  # one word: a name, fine
    assert not same_as_source("<a1>RFI</a1>", "<a1>RFI</a1>")
    assert not same_as_source("Calais migrant camp", "Camp de migrants de Calais")


# --- pseudo --------------------------------------------------------------------------------------


def _text(msg: str) -> str:
    return ph.text_of(ph.parse(msg, ph.placeholders_of(msg)))


@given(st.text(st.characters(whitelist_categories=("L", "N", "P", "Zs")), min_size=10, max_size=400))
def test_pseudo_grows_text_by_30_to_40_percent_and_keeps_it_valid(text: str) -> None:
    msgid = ph.escape_literal(" ".join(text.split()))
    source = _text(msgid)
    if len(source) < 10:
        return
    pseudo = pseudo_translate(msgid)
    assert pseudo == pseudo_translate(msgid)
    assert is_valid(msgid, pseudo)
    growth = len(_text(pseudo)) / len(source) - 1
    assert 0.30 <= growth <= 0.40, (msgid, pseudo)


def test_pseudo_keeps_placeholders_in_place_and_accents_letters() -> None:
    msgid = "The <a1>court</a1> in <em2>Lille</em2> ordered new water points.<br3/>A vote follows about &lt;x1>."
    pseudo = pseudo_translate(msgid)
    assert pseudo.startswith("\u27e6") and pseudo.endswith("\u27e7")
    assert ph.PLACEHOLDER.findall(pseudo) == ph.PLACEHOLDER.findall(msgid)
    assert is_valid(msgid, pseudo)
    assert not set("abcdeghiklnorstuwyz") & set(_text(pseudo))
    assert pseudo.endswith(" &lt;x1>.\u27e7")  # literal text stays escaped: it is not a placeholder
    assert pseudo_translate("  Indented text\n") == "  " + pseudo_translate("Indented text") + "\n"


def test_pseudo_refuses_a_real_locale(sample_project: Path) -> None:
    code, _, output = run(sample_project, "pseudo", "fr")
    assert code == 1 and "'fr' is not a pseudo-locale" in output


def test_pseudo_then_build_gives_pseudo_pages_with_the_same_elements(sample_project: Path) -> None:
    code, _, output = run(sample_project, "pseudo")
    assert code == 0, output
    catalogues = [sample_project / "locales/en_XA/LC_MESSAGES" / f"{slug}.po" for slug in SLUGS]
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            assert entry.msgstr == pseudo_translate(entry.msgid) and "fuzzy" not in entry.flags
    written = [path.read_bytes() for path in catalogues]
    assert run(sample_project, "pseudo", "en_XA")[0] == 0
    assert [path.read_bytes() for path in catalogues] == written, "a second run changes nothing"
    code, out, _ = run(sample_project, "check", "-l", "en-XA")
    assert code == 0 and out.splitlines()[-1].startswith("0 errors")

    code, _, output = run(sample_project, "build", "-l", "en-XA")
    assert code == 0, output
    for slug in SLUGS:
        source = parse((sample_project / "site/en" / f"{slug}.html").read_bytes())
        built = parse((sample_project / "site/en-XA" / f"{slug}.html").read_bytes())
        assert [e.tag for e in built.root.iter()] == [e.tag for e in source.root.iter()], slug
        assert built.root.get("lang") == "en-XA"
        units = segment(source)
        pseudo_units = segment(built)
        assert len(pseudo_units) == len(units) > 0
        for unit, shown in zip(units, pseudo_units, strict=True):
            assert shown.msgid == pseudo_translate(unit.msgid)
            assert shown.msgid != unit.msgid
            assert ph.placeholders_of(shown.msgid) == ph.placeholders_of(unit.msgid)
