"""Machine translation's pure parts and its HTTP client: placeholders protected and
checked (l10n.machine.protect), the engines' codes and batches, the registry of engines,
and retries with back-off against a real server on 127.0.0.1 (tests/fake_engines.py)."""

from __future__ import annotations

import socket
import tomllib
from importlib.metadata import EntryPoint
from typing import Any

import pytest

from l10n.errors import ConfigError
from l10n.locale import Locale, parse_locale
from l10n.machine import deepl, engine, libretranslate
from l10n.machine.engine import Settings
from l10n.machine.protect import protect, restore
from l10n.machine.transport import EngineError, Http
from l10n.placeholders import InvalidTranslation

from .conftest import REPO
from .fake_engines import Fake, Reply, serving

MSGIDS = [
    "The <a1>court</a1> in <em2>Lille</em2> ordered new water points.<br3/>A vote follows.",
    "Write &lt;b1> for bold, &amp;lt; for a less-than sign; a < b and AT&T.",
    "<a1>Nested <em2>inside</em2> a link</a1>",
    "Plain text, no markup at all.",
]


@pytest.mark.parametrize("msgid", MSGIDS)
def test_an_answer_that_keeps_the_markup_gives_back_the_msgid(msgid: str) -> None:
    sent = protect(msgid)
    assert "<a1>" not in sent and "<br3/>" not in sent  # our syntax never reaches the engine
    assert restore(msgid, sent) == msgid


def test_literal_markup_in_the_source_reaches_the_engine_as_escaped_text() -> None:
    assert protect(MSGIDS[1]) == "Write &lt;b1&gt; for bold, &amp;lt; for a less-than sign; a &lt; b and AT&amp;T."


def test_what_html_engines_do_to_our_codes_is_read_back() -> None:
    msgid = MSGIDS[0]
    answer = "<x id='br3'></x>Un vote suit. <g id=\"em2\">Lille</g> : la <g id=a1>cour</g> ordonne."
    assert restore(msgid, answer) == "<br3/>Un vote suit. <em2>Lille</em2> : la <a1>cour</a1> ordonne."


@pytest.mark.parametrize(
    "answer",
    [
        '<g id="a1">cour</g> à <g id="em2">Lille</g>. Un vote suit.',  # <br3/> dropped
        '<g id="a1">cour</g> <g id="em2">Lille</g><x id="br3"/><x id="br3"/>',  # twice
        '<g id="a1">cour</g> <g id="em2">Lille</g><x id="br3"/><x id="img4"/>',  # added
        '<g id="a1">cour <g id="em2">Lille</g><x id="br3"/>',  # never closed
        '<g id="a1">cour</g></g> <g id="em2">Lille</g><x id="br3"/>',  # closed twice
        '<g id="a1">cour</g> <g id="em2">Lille</g><x id="br3"/><script>alert(1)</script>',
        '<g id="a1" onclick="x()">cour</g> <g id="em2">Lille</g><x id="br3"/>',
        '<g id="a1">cour</g> <g id="em2">Lille</g><x id="br3"/><img src=x onerror=alert(1)>',
        '<g id="a1">cour</g> <g id="em2">Lille</g><x id="br3"/>&lt;img src=x onerror=alert(1)&gt;',
        '<g id="a1">cour</g> <g id="em2">Lille</g><x id="br3"/>\x00',
        "   ",
    ],
)
def test_an_answer_that_breaks_placeholders_or_adds_markup_is_refused(answer: str) -> None:
    with pytest.raises(InvalidTranslation):
        restore(MSGIDS[0], answer)


def test_deepl_codes_and_libretranslate_candidates() -> None:
    codes = {code: deepl.target_code(parse_locale(code)) for code in ("fr", "zh_Hans", "pt_BR", "en", "pt", "fa")}
    assert codes == {"fr": "FR", "zh_Hans": "ZH-HANS", "pt_BR": "PT-BR", "en": "EN-GB", "pt": "PT-PT", "fa": "FA"}
    assert deepl.source_code(parse_locale("pt_BR")) == "PT"
    assert libretranslate.candidates(parse_locale("zh_Hans")) == ("zh-Hans", "zh")
    assert libretranslate.candidates(parse_locale("pt_BR")) == ("pt-BR", "pb", "pt")
    assert libretranslate.candidates(parse_locale("fr_CA")) == ("fr-CA", "fr")


def test_deepl_batches_respect_its_documented_limits() -> None:
    assert [len(run) for run in deepl.chunks([f"text {i}" for i in range(120)])] == [50, 50, 20]
    big = ["x" * 40_000] * 7  # 128 KiB a request: three of these at most
    runs = list(deepl.chunks(big))
    assert [len(run) for run in runs] == [3, 3, 1]
    assert all(sum(len(text) for text in run) < deepl.MAX_BYTES for run in runs)


def test_deepl_needs_its_key_and_picks_the_free_endpoint_for_a_free_key() -> None:
    with pytest.raises(ConfigError, match="DEEPL_AUTH_KEY"):
        deepl.DeepL(Settings(environ={}))
    assert deepl.DeepL(Settings(environ={"DEEPL_AUTH_KEY": "k:fx"})).url == "https://api-free.deepl.com/v2/translate"
    assert deepl.DeepL(Settings(environ={"DEEPL_AUTH_KEY": "k"})).url == "https://api.deepl.com/v2/translate"


class HouseEngine:
    """A newsroom's own engine, as a plug-in declares it."""

    name = "house"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def translate(self, texts: Any, source: Locale, target: Locale) -> list[str]:
        return [text.upper() for text in texts]


def test_a_plug_in_engine_is_found_by_its_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    point = EntryPoint("house", "tests.test_machine:HouseEngine", engine.GROUP)
    monkeypatch.setattr(engine, "installed", lambda: [point])
    made = engine.load("house", Settings(url="http://mt.example"))
    assert isinstance(made, HouseEngine) and made.settings.url == "http://mt.example"
    assert "house" in engine.available() and "deepl" in engine.available()


def test_an_unknown_engine_names_those_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "installed", lambda: [])
    with pytest.raises(ConfigError, match="available: deepl, libretranslate"):
        engine.load("google", Settings())
    assert isinstance(engine.load("libretranslate", Settings()), libretranslate.LibreTranslate)


def test_the_built_in_engines_are_declared_as_entry_points() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["entry-points"][engine.GROUP]
    assert declared == engine.BUILTIN


def _http(sleeps: list[float], **options: Any) -> Http:
    return Http(sleep=sleeps.append, **options)


def test_a_rate_limit_is_waited_for_as_the_server_asks() -> None:
    sleeps: list[float] = []
    notes: list[str] = []
    with serving(Fake("libretranslate", script=[Reply(429, {"error": "Slowdown"}, {"Retry-After": "7"})])) as fake:
        http = Http(sleep=sleeps.append, notify=notes.append)
        made = libretranslate.LibreTranslate(Settings(fake.url, http=http))
        assert made.translate(["Hello"], parse_locale("en"), parse_locale("fr")) == ["«DE» Hello"]
    assert sleeps == [7.0]
    assert len(fake.posts()) == 2 and not fake.problems
    assert "HTTP 429: Slowdown; retrying in 7 s (attempt 2 of 5)" in notes[0]


def test_server_errors_are_retried_with_exponential_back_off_then_given_up() -> None:
    sleeps: list[float] = []
    with serving(Fake("deepl", key="k", script=[Reply(500, {"message": "oops"})] * 9)) as fake:
        made = deepl.DeepL(Settings(fake.url, {"DEEPL_AUTH_KEY": "k"}, _http(sleeps)))
        with pytest.raises(EngineError, match="HTTP 500: oops; gave up after 5 attempts"):
            made.translate(["Hello"], parse_locale("en"), parse_locale("fr"))
    assert sleeps == [1.0, 2.0, 4.0, 8.0]
    assert len(fake.posts()) == 5


def test_a_refusal_is_not_retried() -> None:
    sleeps: list[float] = []
    with serving(Fake("deepl", key="right")) as fake:
        made = deepl.DeepL(Settings(fake.url, {"DEEPL_AUTH_KEY": "wrong"}, _http(sleeps)))
        with pytest.raises(EngineError, match="HTTP 403"):
            made.translate(["Hello"], parse_locale("en"), parse_locale("fr"))
    assert sleeps == [] and fake.problems == ["auth"]


def test_a_timeout_is_retried() -> None:
    sleeps: list[float] = []
    with serving(Fake("libretranslate", script=[Reply(delay=1.0)])) as fake:
        made = libretranslate.LibreTranslate(Settings(fake.url, http=_http(sleeps, timeout=0.2)))
        assert made.translate(["Hi"], parse_locale("en"), parse_locale("fr")) == ["«DE» Hi"]
    assert sleeps == [1.0]


def test_a_refused_connection_is_retried_then_given_up() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    made = libretranslate.LibreTranslate(Settings(f"http://127.0.0.1:{port}", http=_http(sleeps, attempts=3)))
    with pytest.raises(EngineError, match=r"connection failed.*gave up after 3 attempts"):
        made.translate(["Hi"], parse_locale("en"), parse_locale("fr"))
    assert sleeps == [1.0, 2.0]


def test_only_http_urls_are_used() -> None:
    made = libretranslate.LibreTranslate(Settings("file:///etc"))
    with pytest.raises(ConfigError, match="http"):
        made.translate(["Hi"], parse_locale("en"), parse_locale("fr"))


def test_an_answer_of_the_wrong_length_is_an_engine_failure() -> None:
    with serving(Fake("libretranslate", script=[Reply(200, {"translatedText": ["one"]})])) as fake:
        made = libretranslate.LibreTranslate(Settings(fake.url, http=_http([])))
        with pytest.raises(EngineError, match="1 texts answered for 2 sent"):
            made.translate(["a", "b"], parse_locale("en"), parse_locale("fr"))
