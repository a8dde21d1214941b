"""The console's pages: `GET /` answers the built console (console/dist/index.html) and
`/assets/…` its built files, each with the console's security headers.

The console is built by Vite from the top-level `console/` folder (`make install` builds it
into `console/dist`, never committed). Everything it loads comes from the hub's own origin,
and the Content-Security-Policy says so: no inline script or style, no other origin, no
framing. Assets carry a content hash in their names, so they are cached for good; the page
itself is revalidated every time. Both are gzipped when the browser accepts it.

When the console was not built, `GET /` answers 503 with a plain message saying how to
build it: the API works without it.
"""

from __future__ import annotations

from pathlib import Path

import anyio
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.settings import GZIP_MIN_BYTES

DIST = Path(__file__).resolve().parents[2] / "console" / "dist"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
PAGE_CACHE = "no-cache"  # revalidated: a new build is seen at the next load
ASSET_CACHE = "public, max-age=31536000, immutable"  # names carry their content's hash
NOT_BUILT = (
    "The console is not built: run `make install` in the hub's checkout "
    "(it builds console/dist), then reload this page.\n"
    "The API (/graphql, /ingest, /healthz) works without it.\n"
)


class ConsoleHeaders:
    """ASGI middleware: the console's security headers (and a cache rule) on every answer."""

    def __init__(self, app: ASGIApp, cache_control: str) -> None:
        self.app = app
        self.cache_control = cache_control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in _SET_HERE
                ]
                headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
                if 200 <= message["status"] < 300:
                    headers.append((b"cache-control", self.cache_control.encode()))
                else:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SET_HERE = {name.lower() for name in HEADERS} | {"cache-control"}


def _console(app: ASGIApp, cache_control: str) -> ASGIApp:
    return GZipMiddleware(ConsoleHeaders(app, cache_control), minimum_size=GZIP_MIN_BYTES)


def _index(dist: Path) -> ASGIApp:
    async def index(scope: Scope, receive: Receive, send: Send) -> None:
        page = dist / "index.html"
        response: Response
        if await anyio.Path(page).is_file():
            response = FileResponse(page, media_type="text/html; charset=utf-8")
        else:
            response = PlainTextResponse(NOT_BUILT, 503)
        await response(scope, receive, send)

    return index


def _assets(directory: Path) -> ASGIApp:
    files = StaticFiles(directory=directory, check_dir=False)

    async def assets(scope: Scope, receive: Receive, send: Send) -> None:
        if not await anyio.Path(directory).is_dir():  # not built (StaticFiles would raise)
            await PlainTextResponse(NOT_BUILT, 404)(scope, receive, send)
            return
        try:
            await files(scope, receive, send)
        except HTTPException as refused:  # answered here, so that it has the headers too
            answer = PlainTextResponse(f"{refused.detail}\n", refused.status_code, refused.headers)
            await answer(scope, receive, send)

    return assets


def routes(dist: Path = DIST) -> list[BaseRoute]:
    """`GET /` and `/assets/…` from `dist` (console/dist of the checkout by default)."""
    return [
        Route("/", _console(_index(dist), PAGE_CACHE), methods=["GET", "HEAD"]),
        Mount("/assets", app=_console(_assets(dist / "assets"), ASSET_CACHE)),
    ]
