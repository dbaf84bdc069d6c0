"""``l10n serve``: the desk's web page, a local server of the project's dashboard and previews.

An ASGI application (Starlette's routing and responses) run by uvicorn; files are
watched with watchfiles and changes pushed to open pages as server-sent events. These
libraries are the optional ``serve`` extra: only this module imports them, and only
``l10n serve`` imports this module, so the other commands start as fast without them.

Routes (nothing else is answered but with 404):

* ``/`` the dashboard (:mod:`l10n.dashboard`), ``/status.json`` its data (``status --json``);
* ``/<lang>/<article>`` a preview (:mod:`.previewing`), ``?outline=1`` outlined;
* ``/side/<lang>/<article>`` the source and the translation side by side, scrolled together;
* ``/assets/<path>`` a file of the articles folder a preview refers to;
* ``/_l10n/live.js`` and ``/_l10n/events`` the live updates.

The server writes nothing: previews are made in memory, catalogues and the store are
only read. Pages are made one at a time in one thread (lxml trees and the store's
read-only connection stay in it); a made page is kept until a file it is made from changes.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import uvicorn
import watchfiles
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from .. import dashboard, stats
from .desk import orphans
from .outcomes import LastBuilds
from .paths import ARTICLE_SUFFIXES, Project, distinct_slugs, open_project, stem, within
from .previewing import Preview, StatusCache, Walked, asset, locale_of, publications, render

_T = TypeVar("_T")
LIVE = "/_l10n/live.js"
EVENTS = "/_l10n/events"

# Follows the server's change events: the page fetches itself again and swaps its head and
# body in place (no reload: the scroll position stays), when the change is one it shows.
LIVE_SCRIPT = """(() => {
  const me = document.currentScript, scope = me.dataset.scope, article = me.dataset.article || "";
  const root = document.documentElement;
  root.dataset.l10nUpdates = "0";
  const events = new EventSource("/_l10n/events");
  events.addEventListener("open", () => { root.dataset.l10nLive = "open"; });
  events.addEventListener("change", async (event) => {
    const change = JSON.parse(event.data);
    if (scope !== "dashboard" && !change.all && !change.articles.includes(article)) return;
    const response = await fetch(location.href, {cache: "no-store"});
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const x = scrollX, y = scrollY;
    document.head.replaceChildren(...fresh.head.childNodes);
    document.body.replaceChildren(...fresh.body.childNodes);
    scrollTo(x, y);
    root.dataset.l10nUpdates = String(Number(root.dataset.l10nUpdates) + 1);
  });
})();
"""

SIDE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>
body{{margin:0;display:flex;height:100vh}} iframe{{flex:1;border:0;border-right:1px solid #999;height:100%}}
</style></head><body>
<iframe id="source" src="{source}" title="source"></iframe>
<iframe id="target" src="{target}" title="translation"></iframe>
<script>
// Scrolled together: each pane follows the other's share of its height.
const panes = [...document.querySelectorAll("iframe")];
let leading = null;
panes.forEach(pane => pane.addEventListener("load", () => pane.contentWindow.addEventListener("scroll", () => {{
  if (leading && leading !== pane) return;
  leading = pane; const from = pane.contentDocument.scrollingElement;
  const share = from.scrollTop / Math.max(1, from.scrollHeight - from.clientHeight);
  for (const other of panes) if (other !== pane) {{
    const to = other.contentDocument.scrollingElement;
    to.scrollTop = share * (to.scrollHeight - to.clientHeight);
  }}
  requestAnimationFrame(() => {{ leading = null; }});
}})));
</script></body></html>
"""


class Desk:
    """The server's state: the project, the pages made, and the open event streams."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="l10n-serve")
        self.slugs: list[str] | None = None  # every article, until an article is added or removed
        self.pages: dict[tuple[str, str, bool], tuple[tuple[int, ...], Preview]] = {}
        self.listeners: set[asyncio.Queue[str]] = set()
        self.counted = StatusCache()
        self.walked = Walked()
        self.built = LastBuilds()

    async def run(self, work: Callable[[], _T]) -> _T:
        return await asyncio.get_running_loop().run_in_executor(self.worker, work)

    def articles(self) -> list[str]:
        if self.slugs is None:
            self.slugs = distinct_slugs(self.project)
        return self.slugs

    def preview(self, tag: str, slug: str, outlined: bool) -> Preview | None:
        """The preview of *slug* in *tag*, made again only when a file it is made from
        changed; None for an unknown locale or article."""
        locale = locale_of(self.project, tag)
        slugs = self.articles()
        if locale is None or slug not in slugs:
            return None
        key = (locale.tag, slug, outlined)
        stamp = self._stamp(locale.gettext, slug, len(slugs))
        cached = self.pages.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        made = render(self.project, locale, slug, slugs, outlined, self.walked)
        self.pages[key] = (stamp, made)
        return made

    def _stamp(self, gettext: str, slug: str, count: int) -> tuple[int, ...]:
        """What a preview is made from, as file stats: the article, its catalogue, the store,
        the published page (the build's choices depend on each)."""
        project = self.project
        config = project.config
        paths = (
            project.article_path(slug),
            Path(project.root, config.locales_dir, gettext, "LC_MESSAGES", stem(slug) + ".po"),
            Path(project.root, ".l10n-cache", "state.sqlite3"),
        )
        stamp: list[int] = [count]
        for path in paths:
            try:
                info = os.stat(path)
                stamp += [info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns]
            except OSError:
                stamp += [-1]
        output = Path(project.root, config.output)
        stamp += [int(os.path.isfile(Path(output, locale.tag, slug))) for locale in config.locales]
        return tuple(stamp)

    def dashboard(self) -> str:
        rows = self.counted.rows(self.project, self.articles())
        config = self.project.config
        published = publications(self.project, rows, self.built.read(self.project))
        return dashboard.page(rows, published, config.source.tag, config.min_percent, LIVE)

    def status_json(self) -> dict[str, object]:
        project = self.project
        rows = self.counted.rows(project, self.articles())
        return stats.to_json(rows, project.config.source.tag, orphans(project, []))

    def changed(self, paths: set[str]) -> dict[str, object] | None:
        """What a batch of changed files means for open pages (None: nothing they show)."""
        project = self.project
        root = os.path.realpath(project.root)
        articles = os.path.realpath(project.articles_dir)
        catalogues = os.path.realpath(Path(project.root, project.config.locales_dir))
        output = os.path.realpath(Path(project.root, project.config.output))
        config_file = os.path.join(root, project.config_file)
        touched: set[str] = set()
        every = reopen = False
        for path in paths:
            real = os.path.realpath(path)
            if within(real, articles):
                slug = os.path.relpath(real, articles).replace(os.sep, "/")
                if os.path.splitext(slug)[1].lower() in ARTICLE_SUFFIXES:
                    touched.add(slug)
                    if slug not in (self.slugs or ()) or not os.path.exists(real):
                        self.slugs = None  # an article came or went
                else:
                    every = True  # a stylesheet or image: any page may show it
            elif within(real, catalogues) and real.endswith((".po", ".pot")):
                name = stem(os.path.relpath(real, catalogues).replace(os.sep, "/").split("/", 2)[-1])
                touched.update(slug for slug in self.articles() if stem(slug) == name)
            elif within(real, output):
                every = True  # a build: the dashboard's published states
            elif real == config_file:
                every = reopen = True
        if self.slugs is None:
            every = True  # an article came or went: links and switchers of other pages change
        if not touched and not every:
            return None
        if reopen:
            self._reopen()
        return {"all": every, "articles": sorted(touched)}

    def _reopen(self) -> None:
        try:
            self.project = open_project(self.project.root)
        except Exception:  # a configuration being edited: keep the last good one
            return
        self.slugs, self.pages, self.counted, self.walked = None, {}, StatusCache(), Walked()
        self.built = LastBuilds()

    def publish(self, change: dict[str, object]) -> None:
        text = json.dumps(change)
        for queue in self.listeners:
            queue.put_nowait(text)


def app(desk: Desk) -> Starlette:
    """The ASGI application of *desk*."""

    async def home(request: Request) -> Response:
        return HTMLResponse(await desk.run(desk.dashboard))

    async def status_json(request: Request) -> Response:
        return JSONResponse(await desk.run(desk.status_json))

    async def preview(request: Request) -> Response:
        tag, slug = request.path_params["lang"], request.path_params["article"]
        outlined = request.query_params.get("outline", "") not in ("", "0")
        made = await desk.run(lambda: desk.preview(tag, slug, outlined))
        if made is None:
            return _not_found()
        if made.error is not None:
            body = f"<!DOCTYPE html><title>error</title><pre role=alert>{escape(made.error)}</pre>"
            return HTMLResponse(_with_live(body, slug), status_code=500)
        return HTMLResponse(_with_live(made.text, slug))

    async def side(request: Request) -> Response:
        tag, slug = request.path_params["lang"], request.path_params["article"]
        project = desk.project
        if locale_of(project, tag) is None or slug not in await desk.run(desk.articles):
            return _not_found()
        address = quote(slug)
        page = SIDE.format(
            title=escape(f"{slug}: {tag}"),
            source=escape(f"/{quote(project.config.source.tag)}/{address}"),
            target=escape(f"/{quote(tag)}/{address}?outline=1"),
        )
        return HTMLResponse(page)

    async def files(request: Request) -> Response:
        found = asset(desk.project, request.path_params["path"])
        return _not_found() if found is None else FileResponse(found)

    async def live(request: Request) -> Response:
        return Response(LIVE_SCRIPT, media_type="text/javascript")

    async def events(request: Request) -> Response:
        return StreamingResponse(_stream(desk, request), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})  # fmt: skip

    routes = [
        Route("/", home),
        Route("/status.json", status_json),
        Route(LIVE, live),
        Route(EVENTS, events),
        Route("/assets/{path:path}", files),
        Route("/side/{lang}/{article:path}", side),
        Route("/{lang}/{article:path}", preview),
    ]
    application = Starlette(routes=routes)
    application.router.redirect_slashes = False  # /favicon.ico is not /favicon.ico/: a 404, not a redirect
    return application


def _not_found() -> Response:
    return HTMLResponse("<!DOCTYPE html><title>not found</title><p>Not found.</p>", status_code=404)


def _with_live(text: str, slug: str) -> str:
    """The page with the live script at the end of its body (or of the text)."""
    script = f'<script src="{LIVE}" data-scope="preview" data-article="{escape(slug)}"></script>'
    at = text.rfind("</body>")
    return text[:at] + script + text[at:] if at >= 0 else text + script


async def _stream(desk: Desk, request: Request) -> AsyncIterator[str]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    desk.listeners.add(queue)
    try:
        yield "retry: 500\n\n"
        while not await request.is_disconnected():
            try:
                text = await asyncio.wait_for(queue.get(), 15)
            except TimeoutError:
                yield ": still here\n\n"  # a comment: keeps proxies and browsers from timing out
                continue
            yield f"event: change\ndata: {text}\n\n"
    finally:
        desk.listeners.discard(queue)


async def _watch(desk: Desk, stop: asyncio.Event) -> None:
    """Tell open pages what changed, within ~50 ms of a save (watchfiles' step)."""
    root = desk.project.root
    async for batch in watchfiles.awatch(root, stop_event=stop, step=50, debounce=400):
        change = await desk.run(lambda batch=batch: desk.changed({path for _, path in batch}))  # type: ignore[misc]
        if change is not None:
            desk.publish(change)


def serve(project: Project, host: str, port: int, started: Callable[[uvicorn.Server], None] | None = None) -> None:
    """Serve *project* on *host*:*port* until interrupted (or the server given to
    *started* is told to exit: its ``should_exit``)."""
    asyncio.run(_serve(project, host, port, started))


async def _serve(project: Project, host: str, port: int, started: Callable[[uvicorn.Server], None] | None) -> None:
    desk = Desk(project)
    config = uvicorn.Config(app(desk), host=host, port=port, log_level="warning", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    if started is not None:
        started(server)
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch(desk, stop))
    try:
        await server.serve()
    finally:
        stop.set()
        watcher.cancel()
        desk.worker.shutdown(wait=False)
