"""HTTP for engines: JSON requests with bounded retries and exponential back-off.

The standard library's ``urllib.request`` is enough here: one POST of JSON an article,
a timeout, status codes and headers; a client library would add a dependency and no
capability these calls need. What is retried is what a service documents as passing:
429 (too many requests; its ``Retry-After`` is honoured, up to the largest delay),
5xx (DeepL's 529 too), timeouts and connection errors. Anything else (a refused key, a
bad request, a quota spent: DeepL's 456) fails at once. Each retry is said through
*notify*, and the waits go through *sleep*, so tests run without waiting.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, L10nError

# Statuses a service sends for a passing trouble (DeepL documents 429, 500, 503, 529).
RETRIED = frozenset({408, 429, 500, 502, 503, 504, 529})


class EngineError(L10nError):
    """The engine could not translate (a request refused, or still failing after every
    attempt, or an answer of the wrong shape): nothing of that batch is used."""


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _quiet(message: str) -> None:
    pass


@dataclass(frozen=True, slots=True)
class Http:
    """How requests are made: *timeout* seconds each, at most *attempts* tries, waiting
    *delay* seconds after the first failure and twice as long after each next one (at
    most *max_delay*)."""

    timeout: float = 120.0  # a self-hosted engine on a CPU takes its time over a long article
    attempts: int = 5
    delay: float = 1.0
    max_delay: float = 60.0
    sleep: Callable[[float], None] | None = None  # None: time.sleep (looked up when waiting)
    notify: Callable[[str], None] = field(default=_quiet)

    def post_json(self, url: str, body: Mapping[str, Any], headers: Mapping[str, str] | None = None) -> Any:
        """POST *body* as JSON to *url*; the decoded JSON answer (EngineError when none comes)."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self._request(url, data, {"Content-Type": "application/json", **(headers or {})})

    def get_json(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        """GET *url*; the decoded JSON answer (EngineError when none comes)."""
        return self._request(url, None, dict(headers or {}))

    def _request(self, url: str, data: bytes | None, headers: dict[str, str]) -> Any:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(f"{url}: an engine's URL starts with http:// or https://")
        request = urllib.request.Request(url, data, {"Accept": "application/json", **headers})
        for attempt in range(1, self.attempts + 1):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    raw = response.read()
            except urllib.error.HTTPError as exc:
                why = f"HTTP {exc.code}{_said(exc)}"
                if exc.code not in RETRIED:
                    raise EngineError(f"{url}: {why}") from None
                wait = _retry_after(exc.headers.get("Retry-After"))
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                why, wait = _failure(exc), None
            else:
                try:
                    return json.loads(raw)
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise EngineError(f"{url}: the answer is not JSON") from None
            if attempt == self.attempts:
                raise EngineError(f"{url}: {why}; gave up after {self.attempts} attempts")
            pause = min(self.max_delay, wait if wait is not None else self.delay * 2 ** (attempt - 1))
            self.notify(f"{url}: {why}; retrying in {pause:g} s (attempt {attempt + 1} of {self.attempts})")
            (self.sleep or _sleep)(pause)
        raise AssertionError("unreachable")  # the loop returns or raises


def _said(exc: urllib.error.HTTPError) -> str:
    """What a service said with an error status (LibreTranslate: ``error``, DeepL: ``message``)."""
    try:
        body = json.loads(exc.read() or b"null")
    except (OSError, ValueError):
        return ""
    if isinstance(body, dict):
        for key in ("error", "message", "detail"):
            if isinstance(body.get(key), str):
                return ": " + str(body[key])[:200]
    return ""


def _failure(exc: BaseException) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return "timed out"
    return f"connection failed ({reason})"


def _retry_after(value: str | None) -> float | None:
    """Retry-After's delay in seconds: a number of seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
