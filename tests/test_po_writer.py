"""l10n.po.writer.write against GNU gettext: ``msgcat FILE`` prints exactly the bytes we wrote.

Every catalogue built here is written with :func:`write`, passed through the real
``msgcat`` (the reference layout) and compared byte for byte; ``msgfmt -c`` must accept
it too. A few tests pin layout facts (CJK punctuation, no-break spaces, flag order) that
do not need gettext at all, and properties hold the writer to our reader: what it writes
reads back as the catalogue it was given.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import polib
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from l10n.errors import CatalogError
from l10n.po import linebreak
from l10n.po.model import Catalog, Message
from l10n.po.model import header as header_message
from l10n.po.reader import read
from l10n.po.writer import PAGE_WIDTH, write

from .conftest import dumps

MSGCAT = shutil.which("msgcat")
MSGFMT = shutil.which("msgfmt")

needs_gettext = pytest.mark.skipif(
    MSGCAT is None or MSGFMT is None,
    reason="GNU gettext (msgcat, msgfmt) is not installed; msgcat's output is the reference layout",
)

METADATA = {
    "Project-Id-Version": "newsroom 1.0",
    "Report-Msgid-Bugs-To": "desk@example.org",
    "POT-Creation-Date": "2024-03-05 08:00+0000",
    "PO-Revision-Date": "2024-03-06 09:30+0000",
    "Last-Translator": "Translator <translator@example.org>",
    "Language-Team": "Newsroom <team@example.org>",
    "Language": "zh_CN",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}

ENGLISH = (
    "The central bank raised its benchmark interest rate by a quarter of a percentage point on Tuesday, "
    "the first increase in seventeen years, saying that wages and prices were finally rising together. "
    "Economists had expected the move, but markets still reacted sharply: the currency fell, "
    "government bond yields climbed to their highest level since 2011, and bank shares rallied."
)
CHINESE = (
    "新华社北京3月5日电，第十四届全国人民代表大会第二次会议5日上午在人民大会堂开幕。国务院总理李强作政府工作报告，"
    "他表示：“今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上；城镇调查失业率5.5%左右。”"
    "报告指出，过去一年我国经济回升向好，高质量发展扎实推进。与会代表认为，报告实事求是、振奋人心，"
    "是一个高举旗帜、凝心聚力、团结奋进的好报告（全文另发）。"
)
JAPANESE = (
    "【東京共同】日本銀行は19日、金融政策決定会合を開き、マイナス金利政策の解除を決めた。"
    "「賃金と物価の好循環が強まっている」と判断した。2007年2月以来、17年ぶりの利上げとなる。"
    "植田和男総裁は記者会見で、当面は緩和的な金融環境が続くとの見通しを示した（詳細は後ほど）。"
)
PERSIAN = (
    "به گزارش خبرگزاری‌ها، وزیر امور خارجه روز دوشنبه در نشستی خبری گفت: «ما همواره از راه‌حل‌های "
    "دیپلماتیک حمایت کرده‌ایم و این سیاست را ادامه خواهیم داد.» وی افزود که گفت‌وگوها با طرف‌های "
    "اروپایی در هفته‌های آینده ادامه می‌یابد و امیدواریم به نتیجه‌ای ملموس برسد."
)
ARABIC = (
    "قال المتحدث باسم الحكومة في مؤتمر صحفي يوم الثلاثاء إن المفاوضات ستستأنف الأسبوع المقبل، "
    "مؤكدا أن «جميع الخيارات مطروحة على الطاولة» وأن الحكومة ملتزمة بالتوصل إلى اتفاق شامل "
    "يضمن حقوق جميع الأطراف، وذلك بحسب ما نقلته وكالة الأنباء الرسمية."
)
MIXED = (
    "GitHub 和 Microsoft 今天宣布，Copilot 将于 2024 年第一季度向所有 Visual Studio Code 用户开放，"
    "价格为每月 10 美元（约合人民币 72 元）；Google 的 Gemini 则已在 Android 14 上线。"
)
NBSP = (
    "Le président a annoncé\u00a0: «\u00a0Nous investirons 10\u00a0000\u00a0millions d’euros "
    "d’ici à 2030\u00a0!\u00a0» Selon l’INSEE, l’inflation a atteint 4,9\u00a0% sur un an, "
    "et le chômage 7,1\u00a0% au dernier trimestre."
)
EMOJI = (
    "Breaking 🚨: the team won the final 🏆🎉! Fans 👍🏽👏🏿 celebrated in Paris 🇫🇷 and Berlin 🇩🇪 all night; "
    "the family 👨\u200d👩\u200d👧 of the captain ❤️ was there too. More at 11 📺."
)


def catalogue(
    *messages: Message, header: str = "Newsroom catalogue.", fuzzy: bool = False, metadata: dict[str, str] = METADATA
) -> Catalog:
    return Catalog(tuple(messages), header_message(metadata, comments=header, fuzzy=fuzzy))


def assert_gettext_agrees(text: str, directory: Path, compiles: bool = True) -> None:
    """msgcat prints ``text`` unchanged, and (``compiles``) msgfmt -c compiles it."""
    assert MSGCAT is not None and MSGFMT is not None
    path = directory / "catalogue.po"
    path.write_bytes(text.encode("utf-8"))
    result = subprocess.run([MSGCAT, str(path)], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    # Compare text first for a readable diff, then bytes for the actual promise.
    assert result.stdout.decode("utf-8") == text
    assert result.stdout == text.encode("utf-8")
    if not compiles:
        return
    checked = subprocess.run([MSGFMT, "-c", "-o", os.devnull, str(path)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stderr.decode("utf-8", "replace")


def entry(msgid: str, msgstr: str = "", **fields: Any) -> Message:
    """A message; lists (of flags, of references) are made tuples."""
    tupled: dict[str, Any] = {name: tuple(v) if isinstance(v, list) else v for name, v in fields.items()}
    return Message(msgid, msgstr, **tupled)


CASES: dict[str, list[Message]] = {
    "long English paragraphs": [
        entry(ENGLISH, ENGLISH.upper()),
        entry(ENGLISH + " " + ENGLISH, ""),
        entry("A short one", "Un court"),
        entry("x" * 70, "exactly at the edge " + "y" * 50),
    ],
    "newlines": [
        entry("First line\nSecond line\n", "Première ligne\nDeuxième ligne\n"),
        entry("\nLeading newline", "\nSaut de ligne initial"),
        entry("Trailing newline only\n", "Seulement à la fin\n"),
        entry("a\n\n\nb", "c\n\n\nd"),
        entry(ENGLISH.replace(". ", ".\n"), ENGLISH.replace(", ", ",\n")),
    ],
    "quotes and backslashes": [
        entry('He said "no" and left', "Il a dit « non » et il est parti"),
        entry('C:\\Users\\news\\"quoted"\\', 'Path \\\\server\\share and "double \\" quote"'),
        entry('"' * 90, "\\" * 90),
        entry('word "' + "q" * 75 + '" end', "z"),
    ],
    "tabs and control escapes": [
        entry("Column\tColumn\tColumn", "Spalte\tSpalte\tSpalte"),
        entry("\t".join(["cell"] * 30), "\t".join(["Zelle"] * 25)),
    ],
    "many references": [
        entry(
            "Referenced everywhere",
            "Partout",
            references=[(f"articles/2024/03/story-{n}.html", str(n * 7)) for n in range(1, 40)]
            + [("./articles/lead.html", "3"), ("articles/lead.html", "3"), ("templates/base.html", "")],
        ),
        entry("Long file name", "Nom", references=[("a/" * 45 + "deep.html", "12"), ("short.html", "1")]),
    ],
    "fuzzy with previous msgid": [
        entry(
            "The minister resigned on Monday evening after weeks of pressure from her own party.",
            "La ministre a démissionné lundi soir après des semaines de pression de son propre parti.",
            flags=["fuzzy"],
            previous_msgid="The minister resigned on Monday after weeks of pressure from the opposition parties.",
        ),
        entry(
            "Headline",
            "Titre",
            msgctxt="front page",
            flags=["fuzzy"],
            previous_msgctxt="front page, old layout",
            previous_msgid="Old headline\nwith two lines",
        ),
        entry("Fuzzy but untranslated", "", flags=["fuzzy"]),
    ],
    "translator and extracted comments": [
        entry(
            "Caption",
            "Légende",
            translator_comments="Checked with the photo desk.\n\n  Indented note kept as is.",
            extracted_comments="Photo caption on the front page.\nKeep it under 80 characters.\n\nSecond paragraph.",
        ),
        entry("Lone comment", "Seul", translator_comments="", extracted_comments=" leading space kept"),
    ],
    "obsolete entries": [
        entry("Still here", "Toujours là"),
        entry("Gone", "Parti", obsolete=True),
        entry("Gone but fuzzy", "Parti mais flou", obsolete=True, flags=["fuzzy"], previous_msgid="Gone for good"),
        entry("Gone and untranslated", "", obsolete=True),
        entry(ENGLISH, ENGLISH, obsolete=True, msgctxt="archive", translator_comments="kept for the archive"),
        entry("Gone plural %d", "", obsolete=True, msgid_plural="Gone plurals %d", plural_forms=("un", "des")),
    ],
    "Chinese paragraph": [entry("Opening of the session", CHINESE), entry(CHINESE, CHINESE)],
    "Japanese": [entry("Bank of Japan", JAPANESE)],
    "Persian with ZWNJ": [entry("Foreign minister", PERSIAN)],
    "Arabic": [entry("Government spokesman", ARABIC)],
    "mixed Latin and CJK": [entry("Copilot launch", MIXED), entry("Mixed twice", MIXED + MIXED)],
    "words longer than the width": [
        entry("https://example.org/" + "very-long-path-segment/" * 6 + "index.html", "y" * 200),
        entry("a " + "b" * 100 + " c " + "d" * 77 + " e", "é" * 81 + " " + "中" * 50),
    ],
    "no-break spaces": [entry("Inflation figures", NBSP), entry("nbsp only", "\u00a0".join(["mot"] * 40))],
    "emoji": [entry("Final", EMOJI), entry("Flags", "🇫🇷🇩🇪🇮🇹🇪🇸🇬🇧" * 12)],
    "contexts and plurals": [
        entry(
            "%d article was updated",
            msgid_plural="%d articles were updated",
            plural_forms=("%d 篇文章已更新（" + "新闻" * 30 + "）", "%d 篇文章已更新"),
            msgctxt="notification",
            flags=["c-format"],
        ),
        entry("", "Empty msgid needs a context", msgctxt="empty"),
    ],
    "format directives": [
        # gettext forbids breaks inside "% d" and "%(a name)s"; its python-brace marks sit at
        # the wrong offsets (see "rare shapes"), so "{0: >9}" does get broken.
        entry("x" * 68 + " % d items", "y" * 68 + " % d éléments", flags=["c-format"]),
        entry("x" * 66 + " %(a name)s done", "y" * 66 + " %(a name)s fait", flags=["python-format"]),
        entry("x" * 70 + " {0: >9} ok", "y" * 70 + " {0: >9} ok", flags=["python-brace-format"]),
        entry("x" * 68 + " % d items here", "", flags=["no-c-format"]),
        entry("z" * 68 + " % d objects", "w" * 68 + " % d objets", flags=["objc-format"]),
    ],
    "rare shapes": [
        entry("Context with\nnewline", "Kontext", msgctxt="first line\nsecond line " + "w" * 80),
        entry(
            "%d new story",
            msgid_plural="%d new stories",
            plural_forms=("%d nouvelle", "%d nouvelles"),
            flags=["fuzzy", "possible-c-format", "range: 0..99"],
            previous_msgid="%d story",
            previous_msgid_plural="%d stories " + "s" * 80,
        ),
        entry(
            "Obsolete with context",
            "Obsolète",
            obsolete=True,
            msgctxt="old desk",
            previous_msgctxt="older desk",
            previous_msgid="Obsolete " * 12,
            flags=["fuzzy", "python-format"],
        ),
        entry("Escapes \a\b\f\r\v", "Échappements \a\b\f\r\v"),
        entry("Line separators", ("U+2028\u2028here and NEL\u0085there " + "v" * 60 + " ") * 3),
        # gettext 0.21 marks python-brace directives at byte offsets counted from the
        # directive's own start, so "{name}" protects bytes 1-5 of the string: no break
        # before the "y" run (byte 4), the line overflows to the next space instead.
        entry("Brace quirk {name}", "Né " + "y" * 76 + " {name} end", flags=["python-brace-format"]),
    ],
    "flags": [
        entry(
            "All the flags",
            "Tous",
            flags=["python-format", "fuzzy", "c-format", "foo-flag", "range: 1..5", "no-python-format"],
        ),
        entry("Not wrapped " + ENGLISH, "Pas coupé " + ENGLISH, flags=["no-wrap"]),
        entry("Wrapped again", "Recoupé", flags=["no-wrap", "wrap"]),
    ],
}


@needs_gettext
@pytest.mark.parametrize("case", sorted(CASES))
def test_msgcat_keeps_our_layout(case: str, tmp_path: Path) -> None:
    assert_gettext_agrees(write(catalogue(*CASES[case])), tmp_path)


@needs_gettext
def test_whole_newsroom_catalogue(tmp_path: Path) -> None:
    po = catalogue(*[e for entries in CASES.values() for e in entries], header="Newsroom.\n\nSecond paragraph.")
    assert_gettext_agrees(write(po), tmp_path)


@needs_gettext
def test_fuzzy_header_and_metadata_order(tmp_path: Path) -> None:
    metadata = {"Content-Type": "text/plain; charset=UTF-8", "Project-Id-Version": "x " * 50, "X-Custom": "z"}
    text = write(catalogue(entry("One", "Un"), fuzzy=True, header="", metadata=metadata))
    assert text.startswith('#, fuzzy\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    assert_gettext_agrees(text, tmp_path)


@needs_gettext
def test_header_only_catalogue(tmp_path: Path) -> None:
    """msgcat writes nothing for a catalogue without messages unless --force-po is given."""
    assert MSGCAT is not None
    text = write(catalogue())
    assert text.endswith('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n')
    path = tmp_path / "empty.po"
    path.write_bytes(text.encode("utf-8"))
    assert subprocess.run([MSGCAT, str(path)], capture_output=True, check=True).stdout == b""
    forced = subprocess.run([MSGCAT, "--force-po", str(path)], capture_output=True, check=True)
    assert forced.stdout == path.read_bytes()


@needs_gettext
def test_round_trip_through_our_reader(tmp_path: Path) -> None:
    """Our reader reads the text back to the same messages, and writing them again gives the same text."""
    original = catalogue(*[e for entries in CASES.values() for e in entries])
    text = write(original)
    reread = read(text)
    assert [(m.msgctxt, m.msgid, m.translations) for m in reread if not m.obsolete] == [
        (m.msgctxt, m.msgid, m.translations) for m in original if not m.obsolete
    ]
    assert write(reread) == text
    assert_gettext_agrees(text, tmp_path)


@needs_gettext
def test_round_trip_through_a_polib_parse(tmp_path: Path) -> None:
    """polib reads our text back to the same strings, and its catalogue lays out stably
    (write(from_polib(po)): conftest.dumps, for the callers that hold polib objects).

    polib's parser itself drops empty "#." lines and the "#~|" lines of obsolete entries,
    so the fixed point is reached after one read. It also splits lines at U+2028, U+2029
    and U+0085, which gettext writes raw, and does not unescape "\\a": entries holding
    those are left out.
    """
    unreadable = ("\x07", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
    original = catalogue(
        *[
            e
            for entries in CASES.values()
            for e in entries
            if not any(c in e.msgstr + e.msgid + "".join(e.plural_forms) for c in unreadable)
        ]
    )
    reread = polib.pofile(write(original))
    assert [(e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural) for e in reread if not e.obsolete] == [
        (m.msgctxt, m.msgid, m.msgstr, dict(enumerate(m.plural_forms))) for m in original if not m.obsolete
    ]
    text = dumps(reread)
    assert dumps(polib.pofile(text)) == text
    assert_gettext_agrees(text, tmp_path)


def sweep_characters() -> list[str]:
    """Every punctuation, symbol, space, mark, digit, modifier and format character, and a
    sample of letters, from all scripts up to plane 3: those of Unicode 14 on Python 3.11
    (the version libunistring 1.0 implements), those of Unicode 3.2 on a newer Python."""
    database = unicodedata if unicodedata.unidata_version == "14.0.0" else unicodedata.ucd_3_2_0
    chars = []
    for code in range(0x20, 0x40000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        category = database.category(chr(code))
        if category[0] in "PSZM" or category in ("Nd", "Cf", "Lm") or (category[0] == "L" and code % 61 == 0):
            chars.append(chr(code))
    return chars


@pytest.mark.slow
@needs_gettext
def test_every_punctuation_symbol_and_mark_breaks_like_gettext(tmp_path: Path) -> None:
    """Each character between ideographs, glued to letters, and after a space, right where
    the line is full: the layout shows whether a break is allowed before and after it."""
    chars = sweep_characters()
    assert len(chars) > 10000
    messages = []
    for start in range(0, len(chars), 100):
        lines = []
        for char in chars[start : start + 100]:
            lines += ["中" * 38 + char + "中" * 3, "y" * 76 + char + "z" * 3, "y" * 75 + " " + char + "z"]
        messages.append(entry(f"sweep {start}\n", "\n".join(lines) + "\n"))
    assert_gettext_agrees(write(catalogue(*messages)), tmp_path)


# --- layout facts that hold without gettext --------------------------------------------------


def lines_of(text: str) -> list[str]:
    """The contents of the quoted string lines of ``text``."""
    return [line[line.index('"') + 1 : -1] for line in text.splitlines() if line.rstrip().endswith('"')]


def test_chinese_punctuation_never_starts_or_ends_a_line_wrongly() -> None:
    text = write(catalogue(entry("zh", CHINESE * 3)))
    body = [line for line in lines_of(text) if line and any("\u4e00" <= c <= "\u9fff" for c in line)]
    assert len(body) > 5
    for line in body:
        assert line[0] not in "，。、；：？！”）」』", line
        assert line[-1] not in "“（「『", line


def test_no_break_space_is_not_a_break_opportunity() -> None:
    text = write(catalogue(entry("nbsp", "\u00a0".join(["mot"] * 60))))
    assert lines_of(text)[-1] == "\u00a0".join(["mot"] * 60)


def test_wide_characters_count_two_columns() -> None:
    text = write(catalogue(entry("zh", "中" * 100)))
    # msgstr "" then lines of 38 ideographs: 1 + 76 + 1 quote columns fit in 79.
    assert lines_of(text)[-3:] == ["中" * 38, "中" * 38, "中" * 24]


def test_flags_are_normalised_like_gettext() -> None:
    text = write(catalogue(entry("f", "g", flags=["python-format", "fuzzy", "c-format", "x-flag", "range: 1..5"])))
    assert "#, fuzzy, c-format, python-format, range: 1..5\n" in text
    assert "x-flag" not in text
    assert "#, fuzzy" not in write(catalogue(entry("f", "", flags=["fuzzy"])))


def test_obsolete_entries_come_last_with_prefixes() -> None:
    text = write(catalogue(entry("old", "vieux", obsolete=True, previous_msgid="older"), entry("new", "neuf")))
    assert text.endswith('\n\n#~| msgid "older"\n#~ msgid "old"\n#~ msgstr "vieux"\n')
    assert text.index('msgid "new"') < text.index('#~ msgid "old"')


def test_references_pack_to_the_page_width() -> None:
    refs = [(f"file{n}.html", str(n)) for n in range(40)]
    text = write(catalogue(entry("r", "s", references=refs)))
    ref_lines = [line for line in text.splitlines() if line.startswith("#:")]
    assert len(ref_lines) > 1
    assert all(len(line) <= PAGE_WIDTH for line in ref_lines)


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        (entry("nul\0", "x"), 'msgid "nul\\x00"'),
        (entry("eot", "x\x04y"), 'msgid "eot"'),
        (entry("c", "d", msgctxt="a\x04b"), 'msgid "c"'),
        (entry("p", "", msgid_plural="ps\0", plural_forms=("a", "b")), 'msgid "p"'),
        (entry("p", "", msgid_plural="ps", plural_forms=("a", "b\x04")), 'msgid "p"'),
        (entry("f", "g", flags=["fuzzy"], previous_msgid="old\x04"), 'msgid "f"'),
        (entry("t", "u", translator_comments="a NUL\0 in a comment"), 'msgid "t"'),
        (entry("JSON-LD \ud800", "x"), 'msgid "JSON-LD \\ud800"'),
        (entry("s", "x", extracted_comments="a lone surrogate \udfff in a note"), 'msgid "s"'),
        (entry("r", "s", references=[("has\ttab.html", "1")]), "has\\ttab.html"),
        (entry("r", "s", references=[("line\nbreak.html", "1")]), "line\\nbreak.html"),
        (entry("r", "s", references=[("separator\u2028.html", "1")]), "separator\\u2028.html"),
        (entry("r", "s", references=[("isolate\u2069 x.html", "1")]), "isolate\\u2069 x.html"),
        (entry("r", "s", references=[("dir\\", "")]), "dir\\"),
        (entry("", "second header"), "empty msgid"),
        (entry("", "obsolete second header", obsolete=True), "empty msgid"),
    ],
)
def test_unrepresentable_input_is_a_catalog_error_naming_the_entry(bad: Message, named: str) -> None:
    """What gettext cannot hold is one CatalogError (a line for the user), never a ValueError."""
    with pytest.raises(CatalogError) as caught:
        write(catalogue(entry("fine", "bien"), bad))
    assert named in caught.value.message


@needs_gettext
def test_file_names_with_spaces_are_isolated_as_gettext_0_22_writes_them(tmp_path: Path) -> None:
    """gettext 0.22+ wraps a file name holding a space in U+2068 ... U+2069 (write-po.c), and
    0.21 prints such a reference back unchanged while it appears once in the entry."""
    po = catalogue(
        entry("Headline", "Titre", references=[("articles/my story.html", "3")]),
        entry("Caption", "Légende", references=[("./articles/a b/c d.html", "12"), ("articles/plain.html", "4")]),
    )
    text = write(po)
    assert "#: \u2068articles/my story.html\u2069:3\n" in text
    assert "#: \u2068articles/a b/c d.html\u2069:12 articles/plain.html:4\n" in text
    assert_gettext_agrees(text, tmp_path)
    # Read back as gettext 0.22 reads it (polib splits at the spaces, and a catalogue read
    # and written again, by ``l10n pseudo``, then held references it refused to write).
    assert [m.references for m in read(text)][1] == (("articles/a b/c d.html", "12"), ("articles/plain.html", "4"))
    assert write(read(text)) == text


def test_isolates_do_not_count_in_the_reference_width() -> None:
    """gettext measures ``strlen (file name) + strlen (":line") + 1`` without the isolates."""
    first = ("a" * 30 + ".html", "1")  # 37 bytes + 1: column 2 -> 40
    spaced = ("b c" + "d" * 28 + ".html", "7")  # 38 bytes + 1: 40 + 39 = 79, on the line
    lines = write(catalogue(entry("r", "s", references=[first, spaced]))).split("\n")
    assert f"#: {first[0]}:1 \u2068{spaced[0]}\u2069:7" in lines
    longer = ("b c" + "d" * 29 + ".html", "7")  # one byte more: 80 > 79, a new line
    lines = write(catalogue(entry("r", "s", references=[first, longer]))).split("\n")
    assert f"#: {first[0]}:1" in lines and f"#: \u2068{longer[0]}\u2069:7" in lines


@needs_gettext
def test_comment_lines_ending_in_a_backslash_get_a_space(tmp_path: Path) -> None:
    """gettext's lexer joins a line ending in a backslash to the next one, comments included;
    a space after it keeps the line apart. gettext and our reader keep it (polib strips it),
    and msgcat prints the file back unchanged."""
    po = catalogue(
        entry(
            "Path", "Chemin", translator_comments="Windows path C:\\news\\\nsecond line\\", extracted_comments="note\\"
        ),
        header="Header line\\",
    )
    text = write(po)
    assert "# Windows path C:\\news\\ \n# second line\\ \n#. note\\ \nmsgid" in text
    assert text.startswith("# Header line\\ \n")
    assert_gettext_agrees(text, tmp_path)
    again = read(text)
    assert again.header.translator_comments == "Header line\\ "
    assert [(m.translator_comments, m.extracted_comments, m.msgid) for m in again] == [
        ("Windows path C:\\news\\ \nsecond line\\ ", "note\\ ", "Path")
    ]
    assert write(again) == text


# Every C0 and C1 control character, DEL, the Unicode line and paragraph separators and the
# noncharacters U+FFFE/U+FFFF; NUL and EOT are refused above.
CONTROLS = [chr(c) for c in [*range(1, 4), *range(5, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, 0xFFFE, 0xFFFF]]
# What str.splitlines() (and so polib) takes for a line break.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@needs_gettext
def test_every_control_character_in_every_field_is_written_as_gettext_writes_it(tmp_path: Path) -> None:
    """Strings: escapes for \\a \\b \\f \\n \\r \\t \\v, every other character raw (gettext 0.21
    does the same; msgfmt -c only warns about the escapes). Comments: gettext only ends a
    comment line at "\\n", while polib ends it at every line break of str.splitlines(), so
    comments are split there: gettext, our reader and polib then read the same lines."""
    messages = []
    for char in CONTROLS:
        code = f"U+{ord(char):04X}"
        long = ("word " * 14 + char) * 3
        messages.append(
            entry(
                f"{code} in msgid {char} and {long}",
                f"{code} dans msgstr {char} et {long}",
                msgctxt=f"{code} context {char}",
                translator_comments=f"{code} translator {char} comment",
                extracted_comments=f"{code} extracted {char} comment",
                flags=["fuzzy"],
                previous_msgid=f"{code} previous {char}",
            )
        )
        messages.append(
            entry(
                f"{code} plural {char}",
                msgid_plural=f"{code} plurals {char}",
                plural_forms=(f"{code} form {char}", f"{code} forms {char} {long}"),
            )
        )
    text = write(catalogue(*messages, header="Header " + "".join(CONTROLS)))
    assert_gettext_agrees(text, tmp_path)
    for line in text.split("\n"):
        if line.startswith("#") and not line.startswith("#|"):
            assert not any(mark in line for mark in LINE_BREAKS), repr(line)
    # Our reader reads the comments back, line breaks made "\\n".
    comments_only = catalogue(
        *[
            entry(m.msgid[:6], "x", translator_comments=m.translator_comments, extracted_comments=m.extracted_comments)
            for m in messages[::2]
        ],
        header="Header " + "".join(CONTROLS),
    )
    again = read(write(comments_only))
    assert again.header.translator_comments == broken(comments_only.header.translator_comments)
    assert [(m.translator_comments, m.extracted_comments) for m in again] == [
        (broken(m.translator_comments), broken(m.extracted_comments)) for m in messages[::2]
    ]


def broken(comment: str) -> str:
    """A comment as the writer breaks it into lines: at every line break of str.splitlines()."""
    return re.sub("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "\n", comment)


# --- generated catalogues -----------------------------------------------------------------

SEGMENTS = [
    # Latin, Cyrillic, Greek, Hebrew, Arabic, Persian (with ZWNJ), Devanagari, Thai.
    "news",
    "Government",
    "l’économie",
    "naïve",
    "Straße",
    "co-operation",
    "e.g.",
    "U.S.",
    "3.5%",
    "$1,000",
    "новости",
    "правительство",
    "Ελλάδα",
    "κυβέρνηση",
    "חדשות",
    "ממשלה-חדשה",
    "الحكومة",
    "الأسبوع",
    "خبرگزاری‌ها",
    "می‌یابد",
    "گفت‌وگو",
    "समाचार",
    "सरकार।",
    "ข่าววันนี้",
    "รัฐบาล",
    # CJK ideographs, kana, Hangul, CJK punctuation and brackets.
    "新闻",
    "政府工作报告",
    "人民大会堂",
    "北京",
    "日本銀行",
    "マイナス金利",
    "ニュース",
    "ちょっと",
    "뉴스",
    "정부",
    "，",
    "。",
    "、",
    "：",
    "；",
    "？",
    "！",
    "“",
    "”",
    "（",
    "）",
    "「",
    "」",
    "《",
    "》",
    "〈",
    "〉",
    "…",
    "—",
    # Quotes, brackets, escapes, numbers and symbols.
    "«",
    "»",
    "„",
    "“",
    "”",
    "‘",
    "’",
    '"',
    "\\",
    "(",
    ")",
    "[",
    "]",
    "/",
    "-",
    "–",
    "—",
    ":",
    ";",
    "!",
    "?",
    "2024",
    "10 000",
    "10\u00a0000",
    "\u00a0",
    "\u202f",
    "\u200b",
    "\t",
    "…",
    "·",
    "@",
    "#",
    "&",
    "+",
    "=",
    # Emoji, with modifiers, ZWJ sequences and flags.
    "🎉",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "❤️",
    "🇫🇷",
    "🇩🇪",
    "📺",
    "☕",
    # Long words that cannot fit a line.
    "x" * 85,
    "長" * 45,
    "https://example.org/a/very/long/path/that/keeps/going/and/going/index.html",
]
SEPARATORS = [" ", " ", " ", "", "", "\n", "\u00a0", ", ", ". "]

# Directive sequences that are valid for both msgid and msgstr, per format flag.
DIRECTIVES = {
    "c-format": ["%s", "%d", "% d", "%+d", "%-10s", "%%", "%ld", "%5.2f"],
    "python-format": ["%s", "%d", "% d", "%5.2f", "%%", "%r"],
    "python-brace-format": ["{0}", "{name}", "{0: >10}", "{x.y}", "{{", "}}"],
}


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(SEGMENTS), st.sampled_from(SEPARATORS)), max_size=40))
    return "".join(segment + separator for segment, separator in parts)


@st.composite
def entries(draw: st.DrawFn) -> Message:
    msgid = draw(texts())
    msgstr = draw(st.one_of(st.just(""), texts()))
    # msgfmt -c wants msgid and msgstr to agree on leading and trailing newlines.
    msgid = msgid.strip("\n")
    msgstr = msgstr.strip("\n")
    flags: list[str] = []
    if draw(st.booleans()):
        flags.append("fuzzy")
    format_flag = draw(st.sampled_from([None, None, *DIRECTIVES]))
    if format_flag is not None:
        # Only the directives we place: ordinary text then has no "%", "{" or "}".
        msgid = msgid.replace("%", "").replace("{", "").replace("}", "")
        msgstr = msgstr.replace("%", "").replace("{", "").replace("}", "")
        directives = draw(st.lists(st.sampled_from(DIRECTIVES[format_flag]), max_size=4))
        tail = " ".join(directives)
        msgid = tail + " " + msgid if draw(st.booleans()) else msgid + " " + tail
        msgstr = (msgstr + " " + tail) if msgstr else ""
        flags.append(format_flag)
    if msgid and draw(st.booleans()):
        msgid += "\n"
        msgstr = msgstr + "\n" if msgstr else ""
    if draw(st.booleans()):
        flags.append("no-wrap")
    fields: dict[str, Any] = {"flags": flags}
    if draw(st.booleans()):
        fields["msgctxt"] = draw(texts())
    if draw(st.booleans()):
        # Any comment, control characters (but NUL) and final backslashes included.
        comment = draw(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\0"), max_size=60))
        fields["translator_comments"] = comment
    if draw(st.booleans()):
        notes = st.sampled_from(["Extracted note.", "", " indented", "来源：新华社", "x " * 50])
        fields["extracted_comments"] = "\n".join(draw(st.lists(notes, max_size=4)))
    if draw(st.booleans()):
        names = st.sampled_from(["articles/a.html", "./b/c.html", "story-ñ.html", "templates/x.html", "d" * 60])
        lines = st.sampled_from(["", "1", "42", "1000"])
        fields["references"] = draw(st.lists(st.tuples(names, lines), max_size=12))
    if draw(st.booleans()):
        fields["previous_msgid"] = draw(texts())
    if draw(st.integers(0, 5)) == 0:
        fields["obsolete"] = True
    if draw(st.integers(0, 4)) == 0 and format_flag is None:
        fields["msgid_plural"] = "(plural) " + msgid
        fields["plural_forms"] = (msgstr, "(plural) " + msgstr if msgstr else "")
        msgstr = ""
    return entry(msgid, msgstr, **fields)


@st.composite
def catalogues(draw: st.DrawFn) -> Catalog:
    metadata = {**METADATA, "Project-Id-Version": draw(st.sampled_from(["x", "newsroom " + ENGLISH, CHINESE]))}
    found: dict[tuple[str | None, str], Message] = {}
    for generated in draw(st.lists(entries(), min_size=1, max_size=8)):
        if generated.key not in found and not generated.is_header:
            found[generated.key] = generated
    messages = list(found.values())
    if all(m.obsolete and not m.translations[0] for m in messages):
        # Untranslated obsolete entries are dropped, and msgcat prints nothing at all for
        # a catalogue left without messages (see test_header_only_catalogue).
        messages.append(entry("Fallback", "Repli"))
    header = draw(st.sampled_from(["", "Generated.", "Line one\n\nLine three"]))
    return catalogue(*messages, header=header, metadata=metadata)


@pytest.mark.slow
@needs_gettext
@settings(max_examples=60, deadline=None)
@given(catalogues())
def test_generated_catalogues_match_msgcat(po: Catalog) -> None:
    with tempfile.TemporaryDirectory() as directory:
        assert_gettext_agrees(write(po), Path(directory))


# --- the lazy line-break search ----------------------------------------------------------

# Characters of every line-break class the lazy search handles (all but BK, CR, LF, RI and
# HL), wide and zero-width ones included, and plenty of spaces.
LAZY_ALPHABET = (
    " " * 8 + "aZ9,.;:!?/-\\\"'()[]{}%$+#&=@´…«»“”‘’„"
    "\u00a0\u2014\u2011\u00ad\u200b\u200c\u200d\u0301\ufe0f\u2060"
    "长，。（）「」ー々ぁ가각각👍🏽☕🎉\U0001f8ff"
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from(LAZY_ALPHABET), max_size=150),
    st.integers(1, 80),
    st.integers(0, 80),
    st.sets(st.integers(0, 149), max_size=8),
)
def test_lazy_line_breaks_match_the_state_machine(text: str, width: int, start: int, prohibited: set[int]) -> None:
    """Deciding break opportunities near line ends only gives the lines of the full UAX #14 pass."""
    prohibited = {index for index in prohibited if index < len(text)}
    portion = linebreak.Portion(text, prohibited)
    assert portion.lazy
    possible = linebreak.possible_breaks(text)
    for index in range(len(text)):
        expected = possible[index] == linebreak.POSSIBLE and index not in prohibited
        assert (portion._first_opportunity(range(index, index + 1)) == index) == expected, index
    overrides = [linebreak.PROHIBITED if index in prohibited else linebreak.UNDEFINED for index in range(len(text))]
    widths = [linebreak.column_width(ord(char)) for char in text]
    chosen = linebreak.chosen_breaks(possible, overrides, widths, width, start)
    assert portion.breaks(width, start) == [index for index, brk in enumerate(chosen) if brk]


def test_an_entry_changed_after_a_dump_is_written_as_it_is_now() -> None:
    """write(from_polib(po)) (conftest.dumps), for callers holding polib objects: an entry changed in place shows
    (the writer caches messages' texts, by value)."""
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    entry = polib.POEntry(msgid="Calais", msgstr="", occurrences=[("a.html", "3")], comment="h1")
    po.append(entry)
    first = dumps(po)
    entry.msgstr = "Calais (Pas-de-Calais)"
    entry.flags.append("fuzzy")
    entry.occurrences.append(("a.html", "9"))
    second = dumps(po)
    assert 'msgstr ""' in first and "#, fuzzy" not in first
    assert '#, fuzzy\nmsgid "Calais"\nmsgstr "Calais (Pas-de-Calais)"' in second
    assert "#: a.html:3 a.html:9" in second


# --- random catalogues: written, then read back or passed through msgcat -------------------

# Any character a PO string can hold (all of Unicode but NUL, which ends a C string, EOT,
# which gettext refuses, and lone surrogates, which UTF-8 has not), line breaks, controls and
# the characters that have an escape or end a directive more often than chance.
ODD = (
    '\n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x01\x07\x08\x1b\x7f\x80\x9f\\"#~|:,. %{}()$'
    "\u00a0\u200b\u200d\u2068\u2069\ufeff\ufffe中，😀🏽\u0301"
)
any_character = st.one_of(
    st.sampled_from(ODD), st.characters(codec="utf-8", exclude_characters="\0\x04"), st.sampled_from("ab ")
)
# Short odd strings, and long ones that wrap, made of real words and odd characters.
strings = st.one_of(
    st.text(any_character, max_size=30),
    st.lists(st.one_of(st.sampled_from(SEGMENTS), st.text(any_character, max_size=3)), max_size=30).map(" ".join),
)
# A comment: any characters but NUL (gettext ends the line there); not a Solaris reference
# ("# File: x, line: 3"), which gettext reads as a reference.
comments = st.text(st.one_of(any_character, st.just("\\")), max_size=40).filter(lambda text: "ile:" not in text)
# File names: no character that ends a reference (line breaks, isolates, tab, colon, NUL),
# no "./" (gettext drops it) and no final backslash.
NOT_IN_NAMES = "\0\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u2068\u2069:"
names = st.text(
    st.one_of(st.characters(codec="utf-8", exclude_characters=NOT_IN_NAMES), st.sampled_from("ab/. -")),
    min_size=1,
    max_size=15,
).filter(lambda name: not name.startswith("./") and not name.endswith("\\"))
# Flags gettext keeps as they are, in the order it writes them.
WRITTEN_FLAGS = ("fuzzy", "c-format", "python-format", "python-brace-format", "range: 0..5", "no-wrap")


@st.composite
def messages(draw: st.DrawFn, forms: int, obsolete: bool, for_msgcat: bool) -> Message:
    """A message in the form gettext writes (flags in its order, distinct references, one
    translation at least when obsolete). ``for_msgcat`` leaves out what gettext 0.21 reads
    otherwise (see the writer's known limits): a file name with a space is then a message's only
    reference, short, with one space (msgcat splits the name at its spaces and writes it back
    unchanged only then), and an obsolete message has no range (msgcat drops it)."""
    plural = draw(st.integers(0, 3)) == 0
    translations = draw(st.lists(strings, min_size=forms if plural else 1, max_size=forms if plural else 1))
    if obsolete and not translations[0]:
        translations[0] = "kept"
    references = draw(
        st.lists(st.tuples(names, st.sampled_from(["", "0", "1", "42", "99999"])), unique=True, max_size=4)
    )
    if for_msgcat and any(" " in name for name, _ in references):
        references = [(draw(st.sampled_from(["my story.html", "a b/c.html", "Calais report.html"])), "3")]
    # "#| msgctxt" and "#| msgid_plural" only come with a "#| msgid".
    previous = [draw(st.none() | strings) for _ in range(3)] if draw(st.booleans()) else [None, None, None]
    if previous[1] is None:
        previous = [None, None, None]
    return Message(
        draw(strings),
        "" if plural else translations[0],
        draw(st.none() | strings),
        draw(strings) if plural else None,
        tuple(translations) if plural else (),
        draw(comments),
        draw(comments),
        tuple(references),
        tuple(
            f for f in WRITTEN_FLAGS if draw(st.integers(0, 3)) == 0 and not (for_msgcat and obsolete and "range" in f)
        ),
        previous[0],
        previous[1],
        previous[2],
        obsolete=obsolete,
    )


@st.composite
def random_catalogues(draw: st.DrawFn, for_msgcat: bool = False) -> Catalog:
    """Live messages, then obsolete ones, distinct keys, at least one live message (msgcat
    writes nothing for a catalogue without any)."""
    forms = draw(st.integers(1, 4))
    live = draw(st.lists(messages(forms, False, for_msgcat), min_size=1, max_size=5))
    old = draw(st.lists(messages(forms, True, for_msgcat), max_size=2))
    found = {m.key: m for m in live + old if not m.is_header}
    if not any(not m.obsolete for m in found.values()):
        found[(None, "Fallback")] = entry("Fallback", "Repli")
    chosen = [m for m in found.values() if not m.obsolete] + [m for m in found.values() if m.obsolete]
    plural = "0" if forms == 1 else f"(n % {forms})"
    metadata = {**METADATA, "Plural-Forms": f"nplurals={forms}; plural={plural};"}
    return catalogue(*chosen, header=draw(comments), fuzzy=draw(st.booleans()), metadata=metadata)


def as_written(catalog: Catalog) -> Catalog:
    """What the writer promises to keep of a catalogue: comments broken into lines at every line
    break (a line ending in a backslash gets a space), no fuzzy flag without a translation."""

    def comment(text: str) -> str:
        return "\n".join(line + " " if line.endswith("\\") else line for line in broken(text).split("\n"))

    def kept(message: Message) -> Message:
        flags = message.flags
        if not (message.translations or ("",))[0]:
            flags = tuple(flag for flag in flags if flag != "fuzzy")
        return replace(
            message,
            translator_comments=comment(message.translator_comments),
            extracted_comments=comment(message.extracted_comments),
            flags=flags,
        )

    return replace(catalog, header=kept(catalog.header), messages=tuple(kept(m) for m in catalog))


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_catalogues())
@example(
    catalogue(
        entry("U+2028\u2028 U+0085\u0085 C0\x01\x1f C1\x80\x9f", "x\u2029y", msgctxt="\x0b\x0c"),
        entry("p", msgid_plural="ps", plural_forms=("a", "b", "c"), references=[("my story.html", "3")]),
        entry("gone", "parti", obsolete=True, previous_msgid="went", translator_comments="a\u2028b\\"),
    )
)
def test_what_is_written_reads_back(catalog: Catalog) -> None:
    assert read(write(catalog)) == as_written(catalog)
    assert read(write(catalog).encode("utf-8")) == as_written(catalog)


@pytest.mark.slow
@needs_gettext
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_catalogues(for_msgcat=True))
def test_msgcat_keeps_random_catalogues(catalog: Catalog) -> None:
    with tempfile.TemporaryDirectory() as directory:
        assert_gettext_agrees(write(catalog), Path(directory), compiles=False)


def test_write_refuses_what_no_po_file_holds_with_a_catalog_error() -> None:
    """NUL, EOT and lone surrogates in each field: a CatalogError naming the message."""
    single = entry("named", "x", flags=["fuzzy"], previous_msgid="old")
    plural = entry("named", msgid_plural="ps", plural_forms=("a", "b"))
    fields = ["msgid", "msgstr", "msgctxt", "translator_comments", "extracted_comments", "previous_msgid"]
    cases = [(single, field) for field in fields] + [(plural, "msgid_plural"), (plural, "plural_forms")]
    for message, field in cases:
        for bad in ("\0", "\x04", "\ud800"):
            if bad == "\x04" and field.endswith("comments"):
                continue  # a comment may hold EOT
            value = ("a", f"a{bad}b") if field == "plural_forms" else f"a{bad}b"
            with pytest.raises(CatalogError) as caught:
                changed: dict[str, Any] = {field: value}
                write(catalogue(replace(message, **changed)))
            assert 'msgid "' in caught.value.message, (field, bad)


@pytest.mark.parametrize(
    "previous", [{"previous_msgctxt": "old context"}, {"previous_msgid_plural": "olds"}, {"previous_msgid_plural": ""}]
)
def test_previous_fields_without_a_previous_msgid_are_refused(previous: dict[str, str]) -> None:
    """gettext's grammar has "#| msgctxt" and "#| msgid_plural" only around a "#| msgid": a file
    with one alone is a syntax error for gettext and our reader, so it is not written."""
    with pytest.raises(CatalogError) as caught:
        write(catalogue(entry("named", "x", flags=["fuzzy"], **previous)))
    assert caught.value.message.startswith('msgid "named": ')
    assert "previous msgid" in caught.value.message


def test_dumps_writes_a_polib_header_as_it_is_held() -> None:
    """write(from_polib(po)) (conftest.dumps): the metadata in the dict's order, not polib's
    (its metadata_as_entry puts its known fields first), and the header's flags as polib parsed
    them, as po_layout wrote them."""
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"X-Generator": "l10n", "Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    po.metadata_is_fuzzy = ["fuzzy", "no-wrap"]  # type: ignore[assignment]  # where polib's reader keeps the flags
    po.append(polib.POEntry(msgid="a", msgstr="b"))
    text = dumps(po)
    assert text.startswith(
        '#, fuzzy, no-wrap\nmsgid ""\nmsgstr ""\n"X-Generator: l10n\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    )
    po.metadata_is_fuzzy = True
    assert dumps(po).startswith('#, fuzzy\nmsgid ""\n')


def test_dumps_reads_polib_plurals_as_the_former_writer_did() -> None:
    """polib's "" msgid_plural is no plural (its forms are not written), and a plural entry
    without msgstr_plural has its msgstr and an empty second form."""
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="one", msgstr="", msgid_plural="", msgstr_plural={0: "un", 1: "des"}))
    po.append(polib.POEntry(msgid="two", msgstr="deux", msgid_plural="twos"))
    text = dumps(po)
    assert '\nmsgid "one"\nmsgstr ""\n' in text
    assert '\nmsgid "two"\nmsgid_plural "twos"\nmsgstr[0] "deux"\nmsgstr[1] ""\n' in text
