"""``l10n pretranslate`` on a copy of the sample project, through the command line, against
a local server speaking each engine's API (tests/fake_engines.py): untranslated units
filled fuzzy with a comment, human work untouched, one request an article, bad answers
dropped and counted, and a failing engine leaving every catalogue byte for byte."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from l10n.machine import transport
from l10n.po.reader import read

from .conftest import invoke, need
from .fake_engines import Fake, Reply, serving, tagged

COMMENT = "# Machine translation: {}"


@pytest.fixture
def german(sample_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample project with empty German catalogues; retries wait for nothing."""
    assert invoke(sample_project, "extract", "-l", "de").exit_code == 0
    monkeypatch.setattr(transport, "_sleep", lambda seconds: None)
    monkeypatch.delenv("LIBRETRANSLATE_API_KEY", raising=False)
    return sample_project


def catalogues(root: Path, lang: str = "de") -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted((root / "locales" / lang).rglob("*.po"))}


def run(root: Path, fake: Fake, *more: str) -> tuple[int, str]:
    result = invoke(root, "pretranslate", "-l", "de", "--engine", fake.kind, "--url", fake.url, *more)
    return result.exit_code, result.output


def test_libretranslate_fills_untranslated_units_fuzzy_one_request_an_article(german: Path) -> None:
    others = catalogues(german, "fr")
    with serving(Fake("libretranslate")) as fake:
        code, output = run(german, fake)
    assert code == 0, output
    assert not fake.problems
    assert [request.path for request in fake.posts()] == ["/translate"] * 3  # 3 articles
    assert [request.path for request in fake.requests if request.method == "GET"] == ["/languages"]
    filled = 0
    for path, data in catalogues(german).items():
        text = data.decode()
        for message in read(data, str(path)).live():
            if message.is_header:
                continue
            assert message.fuzzy and message.translator_comments == "Machine translation: libretranslate"
            assert message.msgstr.startswith("«DE» ")
            filled += 1
        assert text.count(COMMENT.format("libretranslate")) == text.count("msgid ") - 1
    assert f"{filled} units machine-translated (fuzzy), 0 answers dropped" in output
    assert fake.texts() == filled
    assert catalogues(german, "fr") == others  # other locales are not touched


def test_written_catalogues_are_as_gnu_gettext_writes_them(german: Path) -> None:
    msgcat, msgfmt = need("msgcat"), need("msgfmt")
    with serving(Fake("libretranslate")) as fake:
        assert run(german, fake)[0] == 0
    for path, data in catalogues(german).items():
        assert subprocess.run([msgcat, str(path)], capture_output=True, check=True).stdout == data
        subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], check=True)


def test_deepl_sends_its_key_and_fills_the_same_way(german: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", "secret:fx")
    with serving(Fake("deepl", key="secret:fx")) as fake:
        code, output = run(german, fake)
    assert code == 0, output
    assert not fake.problems and len(fake.posts()) == 3
    assert {request.body["target_lang"] for request in fake.posts()} == {"DE"}
    assert all(COMMENT.format("deepl").encode() in data for data in catalogues(german).values())


def test_a_libretranslate_key_comes_from_the_environment(german: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with serving(Fake("libretranslate", key="k1")) as fake:
        assert run(german, fake)[0] == 1  # no key: refused (403), not retried
        assert fake.problems == ["api key"] and len(fake.posts()) == 1
        fake.problems.clear()
        monkeypatch.setenv("LIBRETRANSLATE_API_KEY", "k1")
        assert run(german, fake)[0] == 0
    assert not fake.problems


def _edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text()))


def test_translated_and_fuzzy_entries_are_never_touched(german: Path) -> None:
    path = german / "locales/de/LC_MESSAGES/2015/11/calais-migrant-camp.po"
    first, second = re.findall(r'^msgid "(.+)"\nmsgstr ""\n\n', path.read_text(), re.MULTILINE)[:2]
    _edit(path, lambda text: text.replace(f'msgid "{first}"\nmsgstr ""', f'msgid "{first}"\nmsgstr "Von Hand"'))
    _edit(
        path,
        lambda text: text.replace(f'msgid "{second}"\nmsgstr ""', f'#, fuzzy\nmsgid "{second}"\nmsgstr "Entwurf"'),
    )
    with serving(Fake("libretranslate")) as fake:
        assert run(german, fake)[0] == 0
    sent = fake.posts()[0].body["q"]  # this article's request (articles go in order)
    assert len(sent) == len(read(path.read_bytes(), str(path)).messages) - 2
    assert first not in sent and second not in sent
    catalogue = read(path.read_bytes(), str(path))
    assert catalogue.find(first) is not None and catalogue.find(first).msgstr == "Von Hand"  # type: ignore[union-attr]
    kept = catalogue.find(second)
    assert kept is not None and kept.msgstr == "Entwurf" and kept.translator_comments == ""


def test_a_rate_limit_then_success(german: Path) -> None:
    with serving(Fake("libretranslate", script=[Reply(429, {"error": "Slowdown"}, {"Retry-After": "1"})])) as fake:
        code, output = run(german, fake)
    assert code == 0, output
    assert "warning: libretranslate: " in output and "HTTP 429: Slowdown; retrying in 1 s" in output
    assert len(fake.posts()) == 4  # the first article's request twice


def test_an_engine_that_keeps_failing_leaves_every_catalogue_byte_for_byte(german: Path) -> None:
    before = catalogues(german)
    with serving(Fake("deepl", key="k", script=[Reply(503, {"message": "down"})] * 20)) as fake:
        code, output = run_deepl(german, fake)
    assert code == 1
    assert "HTTP 503: down; gave up after 5 attempts; this catalogue is left as it was" in output
    assert "2 articles not sent" in output
    assert len(fake.posts()) == 5
    assert catalogues(german) == before
    assert not list((german / "locales").rglob("*.tmp"))


def run_deepl(root: Path, fake: Fake) -> tuple[int, str]:
    pytest.MonkeyPatch().setenv("DEEPL_AUTH_KEY", fake.key)
    try:
        return run(root, fake)
    finally:
        pytest.MonkeyPatch().delenv("DEEPL_AUTH_KEY", raising=False)


def test_a_failure_after_some_articles_keeps_those_written(german: Path) -> None:
    before = catalogues(german)
    script = [Reply(), *[Reply(500, {"error": "boom"})] * 5]  # the first article succeeds
    with serving(Fake("libretranslate", script=script)) as fake:
        code, output = run(german, fake)
    assert code == 1, output
    after = catalogues(german)
    changed = [path for path in before if before[path] != after[path]]
    assert len(changed) == 1 and "1 catalogue written" in output and "1 article not sent" in output


def test_a_timeout_is_retried_and_said(german: Path) -> None:
    with serving(Fake("libretranslate", script=[Reply(delay=1.5)])) as fake:
        code, output = run(german, fake, "--timeout", "0.3")
    assert code == 0, output
    assert "timed out; retrying" in output


def _drop_codes(text: str) -> str:
    return tagged(re.sub(r'<x id="[^"]+"/>', "", text))


def _inject(text: str) -> str:
    return tagged(text) + (" <script>alert(1)</script>" if "Calais" in text else ' <img src=x onerror="alert(1)">')


@pytest.mark.parametrize("answer", [_drop_codes, _inject])
def test_answers_that_break_placeholders_or_add_markup_are_dropped_and_counted(
    german: Path, answer: Callable[[str], str]
) -> None:
    with serving(Fake("libretranslate", answer=answer)) as fake:
        code, output = run(german, fake)
    assert code == 0, output
    sent = [text for request in fake.posts() for text in request.body["q"]]
    broken = [text for text in sent if answer(text) != tagged(text) and (answer is _inject or "<x " in text)]
    assert broken
    warnings = re.findall(r"^locales/de/\S+\.po:\d+: warning: machine translation dropped: .+$", output, re.MULTILINE)
    assert len(warnings) == len(broken)
    assert f"{len(sent) - len(broken)} units machine-translated (fuzzy), {len(broken)} answers dropped" in output
    for data in catalogues(german).values():
        assert b"<script" not in data and b"onerror" not in data


def test_a_catalogue_saved_during_the_request_keeps_the_translators_work(german: Path) -> None:
    path = german / "locales/de/LC_MESSAGES/2015/11/calais-migrant-camp.po"
    first = re.findall(r'^msgid "(.+)"\nmsgstr ""\n\n', path.read_text(), re.MULTILINE)[0]

    def save() -> None:  # the translator saves while the engine works
        if "Von Hand" not in path.read_text():
            _edit(path, lambda text: text.replace(f'msgid "{first}"\nmsgstr ""', f'msgid "{first}"\nmsgstr "Von Hand"'))

    with serving(Fake("libretranslate", during=save)) as fake:
        code, output = run(german, fake)
    assert code == 0, output
    catalogue = read(path.read_bytes(), str(path))
    saved = catalogue.find(first)
    assert saved is not None and saved.msgstr == "Von Hand" and not saved.fuzzy
    assert all(m.msgstr for m in catalogue.live() if not m.is_header)  # the others filled all the same


def test_an_unknown_engine_or_a_missing_key_is_one_line(german: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(german, "pretranslate", "-l", "de", "--engine", "babelfish")
    assert result.exit_code == 1 and "unknown engine 'babelfish' (available: deepl, libretranslate" in result.output
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    result = invoke(german, "pretranslate", "-l", "de", "--engine", "deepl")
    assert result.exit_code == 1 and "DEEPL_AUTH_KEY is not set" in result.output
