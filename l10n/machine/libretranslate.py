"""LibreTranslate (https://libretranslate.com, self-hosted or not): ``POST /translate``.

One request a batch: ``{"q": [texts], "source", "target", "format": "html", "api_key"}``
answers ``{"translatedText": [texts]}``; LibreTranslate documents no limit on the number
of texts (a server's ``--char-limit`` refuses a request too long, with a 400 that says so).
Its language codes changed between versions (Simplified Chinese ``zh`` then ``zh-Hans``,
Brazilian Portuguese ``pt``, ``pb`` then ``pt-BR``): the server's ``GET /languages`` is
asked once a run, and the first of a locale's :func:`candidates` it offers is used.
The key, when the server wants one, is ``LIBRETRANSLATE_API_KEY`` in the environment.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..locale import Locale
from .engine import Settings
from .transport import EngineError

#: LibreTranslate's own default address (``libretranslate`` serves on port 5000).
DEFAULT_URL = "http://localhost:5000"
KEY_VARIABLE = "LIBRETRANSLATE_API_KEY"

# Codes LibreTranslate has used for our locales, newest first.
_VARIANTS: dict[str, tuple[str, ...]] = {
    "zh": ("zh-Hans", "zh"),
    "zh_Hans": ("zh-Hans", "zh"),
    "zh_Hant": ("zh-Hant", "zt"),
    "pt_BR": ("pt-BR", "pb", "pt"),
    "pt_PT": ("pt-PT", "pt"),
}


def candidates(locale: Locale) -> tuple[str, ...]:
    """The codes LibreTranslate may know *locale* by, the likeliest first."""
    parts = locale.gettext.split("_")
    for length in range(len(parts), 0, -1):
        known = _VARIANTS.get("_".join(parts[:length]))
        if known:
            return known
    return tuple(dict.fromkeys((locale.tag, parts[0])))


class LibreTranslate:
    """The LibreTranslate engine (entry point ``libretranslate``)."""

    name = "libretranslate"

    def __init__(self, settings: Settings) -> None:
        base = (settings.url or DEFAULT_URL).rstrip("/")
        self.base = base.removesuffix("/translate")
        self.key = settings.environ.get(KEY_VARIABLE, "").strip()
        self.http = settings.http
        self._offered: set[str] | None = None

    def translate(self, texts: Sequence[str], source: Locale, target: Locale) -> list[str]:
        if not texts:
            return []
        body: dict[str, object] = {
            "q": list(texts),
            "source": self._code(source),
            "target": self._code(target),
            "format": "html",
        }
        if self.key:
            body["api_key"] = self.key
        answer = self.http.post_json(self.base + "/translate", body)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or not all(isinstance(text, str) for text in translated):
            raise EngineError(f"{self.base}/translate: the answer has no list of translatedText")
        if len(translated) != len(texts):
            raise EngineError(f"{self.base}/translate: {len(translated)} texts answered for {len(texts)} sent")
        return translated

    def _code(self, locale: Locale) -> str:
        """The server's code for *locale*: the first candidate ``/languages`` lists."""
        if self._offered is None:
            listed = self.http.get_json(self.base + "/languages")
            if not isinstance(listed, list):
                raise EngineError(f"{self.base}/languages: the answer is not a list of languages")
            self._offered = {entry["code"] for entry in listed if isinstance(entry, dict) and "code" in entry}
        tried = candidates(locale)
        for code in tried:
            if code in self._offered:
                return code
        raise EngineError(f"{self.base} does not offer {locale.tag} (tried {', '.join(tried)})")
