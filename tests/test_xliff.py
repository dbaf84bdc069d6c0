"""XLIFF 2.1 export and import (l10n xliff): schema-valid files, lossless round trips,
translations validated and never lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from l10n import placeholders as ph
from l10n.po import reader
from l10n.po.model import Catalog, Message
from l10n.po.writer import write as write_po
from l10n.xliff import merge, read, write
from l10n.xliff.model import XliffError, canonical, record, unit_id

from .conftest import corpus_pages, invoke

SCHEMAS = Path(__file__).parent / "data" / "xliff"
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def _schema() -> etree.XMLSchema:
    """The OASIS XLIFF 2.1 core schema with the Metadata module's (both shipped, read offline)."""
    wrapper = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="urn:oasis:names:tc:xliff:document:2.0"
                 schemaLocation="{(SCHEMAS / "xliff_core_2.0.xsd").resolve().as_uri()}"/>
      <xs:import namespace="urn:oasis:names:tc:xliff:metadata:2.0"
                 schemaLocation="{(SCHEMAS / "metadata.xsd").resolve().as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), etree.XMLParser(no_network=True)))


SCHEMA = _schema()


def _catalogues(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted((root / "locales").rglob("*.po"))}


def _exported(root: Path, *locales: str) -> list[Path]:
    args = [arg for locale in locales for arg in ("-l", locale)]
    result = invoke(root, "xliff", "export", *args)
    assert result.exit_code == 0, result.output
    return sorted((root / "xliff").rglob("*.xlf"))


def test_exported_files_validate_against_the_oasis_schema(sample_project: Path) -> None:
    files = _exported(sample_project, "fr", "es", "fa", "zh-Hans")
    assert len(files) == 12
    for path in files:
        document = etree.parse(str(path))
        assert SCHEMA.validate(document), f"{path}: {SCHEMA.error_log}"
    document = etree.parse(str(files[0]))
    document.getroot().find(".//x:segment", NS).set("state", "done")  # type: ignore[union-attr]
    assert not SCHEMA.validate(document)  # the schema can fail


def test_round_trip_changes_no_byte_and_exports_nothing_new(sample_project: Path) -> None:
    before = _catalogues(sample_project)
    files = _exported(sample_project, "fr", "zh-Hans")
    exported = {path: path.read_bytes() for path in files}
    result = invoke(sample_project, "xliff", "import", *(str(path) for path in files))
    assert result.exit_code == 0, result.output
    assert "0 translations imported" in result.output
    assert _catalogues(sample_project) == before
    again = invoke(sample_project, "-v", "xliff", "export", "-l", "fr", "-l", "zh-Hans")
    assert "0 files written" in again.output
    assert {path: path.read_bytes() for path in files} == exported


def test_placeholders_are_inline_codes_and_literal_markup_stays_text() -> None:
    msgid = "The <a1>court</a1> said &lt;b1> is &amp;lt; text<br2/> \x01"
    po = Catalog((Message(msgid, "Le <a1>tribunal</a1> dit &lt;b1> est &amp;lt; texte<br2/> \x01"),))
    data = write.write(po, "x.html", "en", "fr").data
    source = etree.fromstring(data).find(".//x:source", NS)
    assert source is not None
    assert [child.tag.split("}")[1] for child in source.iter()] == ["source", "pc", "ph", "cp"]
    assert source.find("x:pc", NS).get("id") == "a1"  # type: ignore[union-attr]
    assert "".join(str(text) for text in source.itertext()) == "The court said <b1> is &lt; text "
    unit = read.read(data).files[0].units[0]
    assert (unit.source, unit.target, unit.done) == (msgid, po.messages[0].msgstr, True)


def test_states_and_what_is_left_out() -> None:
    po = Catalog(
        (
            Message("Untranslated"),
            Message("Fuzzy", "Flou", flags=("fuzzy",)),
            Message("Done", "Fait"),
            Message("Broken <a1>link</a1>", "Cassé"),
            Message("One", msgid_plural="Many", plural_forms=("Un", "Plusieurs")),
            Message("Gone", "Parti", obsolete=True),
        )
    )
    written = write.write(po, "x.html", "en", "fr")
    assert (written.units, written.plurals) == (4, 1)
    segments = etree.fromstring(written.data).findall(".//x:segment", NS)
    assert [(s.get("state"), s.get("subState"), s.find("x:target", NS) is not None) for s in segments] == [
        ("initial", None, False),
        ("initial", "gettext:fuzzy", True),
        ("translated", None, True),
        ("initial", None, False),  # an invalid translation goes into a note, not a target
    ]
    assert "Cassé" in written.data.decode()


def _edit_target(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_target_is_imported_and_importing_again_changes_nothing(sample_project: Path) -> None:
    path = _exported(sample_project, "fr")[0]
    po_path = (
        sample_project / "locales/fr/LC_MESSAGES" / path.relative_to(sample_project / "xliff/fr").with_suffix(".po")
    )
    old = reader.read(po_path.read_bytes()).messages[0].msgstr
    _edit_target(path, f"<target>{old}</target>", "<target>Nouveau titre</target>")
    result = invoke(sample_project, "xliff", "import", str(path))
    assert result.exit_code == 0, result.output
    assert reader.read(po_path.read_bytes()).messages[0].msgstr == "Nouveau titre"
    written = po_path.read_bytes()
    assert invoke(sample_project, "xliff", "import", str(path)).exit_code == 0
    assert po_path.read_bytes() == written


def test_a_translation_changed_since_the_export_is_a_conflict(sample_project: Path) -> None:
    path = _exported(sample_project, "fr")[0]
    po_path = (
        sample_project / "locales/fr/LC_MESSAGES" / path.relative_to(sample_project / "xliff/fr").with_suffix(".po")
    )
    po = reader.read(po_path.read_bytes())
    old = po.messages[0].msgstr
    saved = Catalog((Message(po.messages[0].msgid, "Titre du traducteur"), *po.messages[1:]), po.header)
    po_path.write_text(write_po(saved), encoding="utf-8")
    before = po_path.read_bytes()
    _edit_target(path, f"<target>{old}</target>", "<target>Titre de l'agence</target>")
    result = invoke(sample_project, "xliff", "import", str(path))
    assert result.exit_code == 1
    assert f"xliff/fr/{path.relative_to(sample_project / 'xliff/fr')}:" in result.output
    assert "changed since the export" in result.output
    assert po_path.read_bytes() == before
    result = invoke(sample_project, "xliff", "import", "--overwrite", str(path))
    assert result.exit_code == 0, result.output
    assert reader.read(po_path.read_bytes()).messages[0].msgstr == "Titre de l'agence"


def test_a_target_that_drops_a_placeholder_or_adds_markup_is_refused(sample_project: Path) -> None:
    path = _exported(sample_project, "fr")[0]
    before = _catalogues(sample_project)
    text = path.read_text(encoding="utf-8")
    start = text.index("<target>Par <pc")
    end = text.index("</target>", start)
    path.write_text(text[:start] + "<target>Par RFI &lt;script>x</target>" + text[end + 9 :], encoding="utf-8")
    result = invoke(sample_project, "xliff", "import", str(path))
    assert result.exit_code == 1
    line = text[: text.rindex("<unit ", 0, start)].count("\n") + 1  # the unit's line
    assert "invalid translation: missing placeholder <span1>, <time2>" in result.output
    assert f".xlf:{line}: unit u" in result.output, result.output
    assert _catalogues(sample_project) == before


def test_bad_files_are_one_line_each(sample_project: Path) -> None:
    (sample_project / "bad.xlf").write_bytes(b"<xliff>\n<unit>")
    (sample_project / "other.xlf").write_bytes(
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="fr">'
        b'<file id="f1" original="../../etc/passwd"><unit id="u"><segment><source>x</source></segment></unit></file>'
        b"</xliff>"
    )
    result = invoke(sample_project, "xliff", "import", "bad.xlf", "other.xlf", "missing.xlf")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("bad.xlf:2: not well-formed XML")
    assert lines[1] == "other.xlf:1: no article '../../etc/passwd' in this project"
    assert lines[2].startswith("missing.xlf: cannot read")


def test_translate_toolkit_reads_the_exported_files(sample_project: Path) -> None:
    xliff2 = pytest.importorskip("translate.storage.xliff2")
    path = _exported(sample_project, "fr")[0]
    store = xliff2.Xliff2File.parsestring(path.read_bytes())
    po = reader.read(
        (
            sample_project / "locales/fr/LC_MESSAGES" / path.relative_to(sample_project / "xliff/fr").with_suffix(".po")
        ).read_bytes()
    )
    live = [message for message in po.live() if not message.is_header]
    assert [unit.getid() for unit in store.units] == [unit_id(m.msgctxt, m.msgid) for m in live]
    plain = [(unit, m) for unit, m in zip(store.units, live, strict=True) if "<" not in m.msgid]
    assert plain
    for unit, message in plain:
        assert unit.source == message.msgid
        assert unit.target == message.msgstr
        assert unit.istranslated() == (bool(message.msgstr) and not message.fuzzy)


def test_corpus_catalogues_round_trip(tmp_path: Path) -> None:
    pages = corpus_pages()[:6]
    if not pages:
        pytest.skip("the shared corpus is not beside the repository")
    (tmp_path / "articles").mkdir()
    for page in pages:
        shutil.copy(page, tmp_path / "articles" / page.name)
    (tmp_path / "l10n.toml").write_text('source_locale = "en"\nlocales = ["fr"]\n', encoding="utf-8")
    assert invoke(tmp_path, "pseudo", "en-XA").exit_code in (0, 1)
    before = _catalogues(tmp_path)
    files = _exported(tmp_path, "en-XA")
    assert files
    for path in files:
        assert SCHEMA.validate(etree.parse(str(path))), f"{path}: {SCHEMA.error_log}"
    result = invoke(tmp_path, "xliff", "import", *(str(path) for path in files))
    assert result.exit_code == 0, result.output
    assert _catalogues(tmp_path) == before


# --- properties ---------------------------------------------------------------------------

_HOSTILE = st.text(alphabet=st.sampled_from(list("ab <>/&;lt amp1\r\n\t\x01\x0c\u00e9\u2028\"'")), max_size=12)


@st.composite
def _pair(draw: st.DrawFn) -> tuple[str, str]:
    """A msgid made of hostile text and placeholders, and a translation with the same
    placeholders (reordered) and other hostile text."""
    count = draw(st.integers(0, 3))
    kinds = [draw(st.booleans()) for _ in range(count)]
    names = [f"{draw(st.sampled_from(['a', 'em', 'br', 'x-y']))}{index + 1}" for index in range(count)]

    def build(order: list[int]) -> str:
        parts = [ph.escape_literal(draw(_HOSTILE))]
        for index in order:
            name = names[index]
            if kinds[index]:
                parts.append(f"<{name}>{ph.escape_literal(draw(_HOSTILE))}</{name}>")
            else:
                parts.append(f"<{name}/>")
            parts.append(ph.escape_literal(draw(_HOSTILE)))
        return "".join(parts)

    msgid = build(list(range(count)))
    msgstr = build(draw(st.permutations(list(range(count)))))
    return msgid or "x", msgstr


@given(_pair(), st.booleans())
def test_any_translation_survives_export_and_import(pair: tuple[str, str], fuzzy: bool) -> None:
    msgid, msgstr = pair
    po = Catalog((Message(msgid, msgstr, flags=("fuzzy",) if fuzzy and msgstr else ()),))
    data = write.write(po, "x.html", "en", "fr").data
    assert SCHEMA.validate(etree.fromstring(data))
    unit = read.read(data).files[0].units[0]
    assert unit.source == msgid
    if msgstr and ph.markup(msgid, msgstr) == []:
        assert unit.target == canonical(msgstr)
    assert merge.merge(po, (unit,)).catalogue is po  # nothing changes


@given(_pair())
def test_a_target_without_a_placeholder_or_with_markup_is_refused(pair: tuple[str, str]) -> None:
    msgid, msgstr = pair
    po = Catalog((Message(msgid),))
    expected = ph.placeholders_of(msgid)
    bad = [msgstr + "<script>"]
    if expected:
        name = sorted(expected)[0]
        bad.append(msgstr.replace(f"<{name}>", "").replace(f"</{name}>", "").replace(f"<{name}/>", "") + "x")
    for target in bad:
        unit = read.Unit(unit_id(None, msgid), 3, msgid, target, True, record("", False))
        merged = merge.merge(po, (unit,))
        assert merged.catalogue is po
        assert [problem.message.split(":")[0] for problem in merged.problems] == ["invalid translation"]


def test_an_unreadable_document_is_an_error_with_its_line() -> None:
    with pytest.raises(XliffError) as caught:
        read.read(b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<x>&a;</x>')
    assert "document type declaration" in str(caught.value)


def test_a_translation_spelled_another_way_is_unchanged_by_a_round_trip() -> None:
    # "&lt;3" and "<3" say the same (only a tag-like "<" must be written &lt;): the export
    # gives "<3", and the import must not take it for a new translation.
    po = Catalog((Message("I love it", "J'&lt;3 &amp;amp; plus"),))
    unit = read.read(write.write(po, "x.html", "en", "fr").data).files[0].units[0]
    assert unit.target == "J'<3 &amp;amp; plus"
    assert merge.merge(po, (unit,)).catalogue is po
