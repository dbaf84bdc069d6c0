"""DeepL (https://www.deepl.com/pro-api): ``POST /v2/translate``.

``{"text": [texts], "source_lang", "target_lang", "tag_handling": "xml"}`` with the header
``Authorization: DeepL-Auth-Key KEY`` answers ``{"translations": [{"text": ...}]}``. The
key is ``DEEPL_AUTH_KEY`` in the environment; a free account's key ends in ``:fx`` and is
sent to ``api-free.deepl.com``, any other to ``api.deepl.com`` (``--url`` chooses another).
DeepL takes at most 50 texts and 128 KiB a request: a longer batch is sent in as few
requests as those limits allow, and used only when every one of them succeeded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from ..errors import ConfigError
from ..locale import Locale
from .engine import Settings
from .transport import EngineError

KEY_VARIABLE = "DEEPL_AUTH_KEY"
FREE_URL = "https://api-free.deepl.com"
PRO_URL = "https://api.deepl.com"
MAX_TEXTS = 50
MAX_BYTES = 128 * 1024
_ROOM = 1024  # the request's other fields, generously

# Target languages DeepL names with a variant (it refuses a bare EN or PT as a target).
_TARGETS: dict[str, str] = {
    "en": "EN-GB",
    "en_US": "EN-US",
    "pt": "PT-PT",
    "pt_BR": "PT-BR",
    "zh": "ZH-HANS",
    "zh_Hans": "ZH-HANS",
    "zh_Hant": "ZH-HANT",
    "es_419": "ES-419",
}


def target_code(locale: Locale) -> str:
    """DeepL's ``target_lang`` for *locale* (``pt_BR``: ``PT-BR``; ``fr_CA``: ``FR``)."""
    parts = locale.gettext.split("_")
    for length in range(len(parts), 0, -1):
        known = _TARGETS.get("_".join(parts[:length]))
        if known:
            return known
    return parts[0].upper()


def source_code(locale: Locale) -> str:
    """DeepL's ``source_lang`` for *locale*: the language alone (``EN``, ``PT``, ``ZH``)."""
    return locale.gettext.split("_")[0].upper()


def chunks(texts: Sequence[str]) -> Iterator[list[str]]:
    """*texts* in runs DeepL takes in one request: at most 50 texts and 128 KiB (a text
    longer than that alone goes alone, and DeepL says it is too long)."""
    run: list[str] = []
    size = _ROOM
    for text in texts:
        length = len(json.dumps(text, ensure_ascii=False).encode("utf-8")) + 2
        if run and (len(run) == MAX_TEXTS or size + length > MAX_BYTES):
            yield run
            run, size = [], _ROOM
        run.append(text)
        size += length
    if run:
        yield run


class DeepL:
    """The DeepL engine (entry point ``deepl``)."""

    name = "deepl"

    def __init__(self, settings: Settings) -> None:
        self.key = settings.environ.get(KEY_VARIABLE, "").strip()
        if not self.key:
            raise ConfigError(f"{KEY_VARIABLE} is not set: DeepL needs an API key (export {KEY_VARIABLE}=...)")
        base = (settings.url or (FREE_URL if self.key.endswith(":fx") else PRO_URL)).rstrip("/")
        self.url = base if base.endswith("/v2/translate") else base + "/v2/translate"
        self.http = settings.http

    def translate(self, texts: Sequence[str], source: Locale, target: Locale) -> list[str]:
        translated: list[str] = []
        for run in chunks(texts):
            body = {
                "text": run,
                "source_lang": source_code(source),
                "target_lang": target_code(target),
                "tag_handling": "xml",
            }
            answer = self.http.post_json(self.url, body, {"Authorization": f"DeepL-Auth-Key {self.key}"})
            translated.extend(self._texts(answer, len(run)))
        return translated

    def _texts(self, answer: object, sent: int) -> list[str]:
        items = answer.get("translations") if isinstance(answer, dict) else None
        texts = [item.get("text") for item in items if isinstance(item, dict)] if isinstance(items, list) else []
        if not isinstance(items, list) or len(texts) != len(items) or not all(isinstance(t, str) for t in texts):
            raise EngineError(f"{self.url}: the answer has no list of translations")
        if len(texts) != sent:
            raise EngineError(f"{self.url}: {len(texts)} texts answered for {sent} sent")
        return [text for text in texts if isinstance(text, str)]
