"""Local stand-ins for LibreTranslate and DeepL: a real HTTP server on 127.0.0.1 (a free
port, a thread) that speaks each engine's documented API and checks every request's shape.

LibreTranslate: ``GET /languages`` (a list of ``{"code", "name", "targets"}``) and ``POST
/translate`` with JSON ``{"q": [..], "source", "target", "format", "api_key"?}`` answering
``{"translatedText": [..]}``; errors ``{"error": ...}``. DeepL: ``POST /v2/translate`` with
the header ``Authorization: DeepL-Auth-Key KEY`` and JSON ``{"text": [..] (at most 50),
"source_lang", "target_lang", "tag_handling"}`` answering ``{"translations": [{"text",
"detected_source_language"}]}``; errors ``{"message": ...}``. A request of the wrong shape
is a 400 and is recorded in :attr:`Fake.problems`, which tests assert empty.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

LANGUAGES = ["en", "fr", "es", "de", "fa", "zh-Hans", "pt-BR"]


def tagged(text: str) -> str:
    """The fake's translation: the text marked, its markup kept (as an engine keeps it)."""
    return "«DE» " + text


@dataclass(slots=True)
class Reply:
    """One scripted answer instead of a translation: a status, a JSON body, headers, a delay."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass(slots=True)
class Fake:
    """What the fake server does: each POST takes the next scripted reply, if any, else
    translates every text with *answer*; *during* runs while a POST is answered."""

    kind: Literal["libretranslate", "deepl"]
    key: str = ""  # the API key the server wants ("" for none, LibreTranslate only)
    answer: Callable[[str], str] = tagged
    script: list[Reply] = field(default_factory=list)
    during: Callable[[], None] | None = None
    requests: list[Request] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    url: str = ""

    def posts(self) -> list[Request]:
        return [request for request in self.requests if request.method == "POST"]

    def texts(self) -> int:
        field_name = "q" if self.kind == "libretranslate" else "text"
        return sum(len(request.body[field_name]) for request in self.posts())


def _check_libretranslate(fake: Fake, body: Any) -> str:
    if not isinstance(body, dict) or not isinstance(body.get("q"), list):
        return "q is not a list"
    if body.get("source") != "en" or body.get("target") not in LANGUAGES:
        return f"bad languages {body.get('source')!r} -> {body.get('target')!r}"
    if body.get("format") != "html":
        return "format is not html"
    if fake.key and body.get("api_key") != fake.key:
        return "api key"
    return ""


def _check_deepl(fake: Fake, body: Any, headers: dict[str, str]) -> str:
    if headers.get("Authorization") != f"DeepL-Auth-Key {fake.key}":
        return "auth"
    if not isinstance(body, dict) or not isinstance(body.get("text"), list):
        return "text is not a list"
    if len(body["text"]) > 50:
        return "more than 50 texts"
    if body.get("source_lang") != "EN" or not isinstance(body.get("target_lang"), str):
        return "bad languages"
    if body.get("tag_handling") != "xml":
        return "tag_handling is not xml"
    return ""


def _handler(fake: Fake) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (a timeout test)
                self.wfile.write(data)

        def do_GET(self) -> None:
            fake.requests.append(Request("GET", self.path, dict(self.headers), None))
            if fake.kind == "libretranslate" and self.path == "/languages":
                languages = [{"code": code, "name": code, "targets": LANGUAGES} for code in LANGUAGES]
                self._send(200, languages)
            else:
                self._send(404, {"error": "Not Found"})

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            headers = dict(self.headers)
            fake.requests.append(Request("POST", self.path, headers, body))
            if fake.kind == "libretranslate":
                problem = "" if self.path == "/translate" else f"path {self.path}"
                problem = problem or _check_libretranslate(fake, body)
            else:
                problem = "" if self.path == "/v2/translate" else f"path {self.path}"
                problem = problem or _check_deepl(fake, body, headers)
            if headers.get("Content-Type") != "application/json":
                problem = problem or "content type"
            if problem:
                fake.problems.append(problem)
                self._send(403 if problem in ("auth", "api key") else 400, {"error": problem, "message": problem})
                return
            if fake.during is not None:
                fake.during()
            if fake.script:
                reply = fake.script.pop(0)
                time.sleep(reply.delay)
                if reply.status != 200 or reply.body is not None:
                    self._send(reply.status, reply.body, reply.headers)
                    return
            if fake.kind == "libretranslate":
                self._send(200, {"translatedText": [fake.answer(text) for text in body["q"]]})
            else:
                texts = [{"detected_source_language": "EN", "text": fake.answer(text)} for text in body["text"]]
                self._send(200, {"translations": texts})

    return Handler


@contextmanager
def serving(fake: Fake) -> Iterator[Fake]:
    """Run *fake* on 127.0.0.1 (a free port) for the ``with`` block; ``fake.url`` is its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
