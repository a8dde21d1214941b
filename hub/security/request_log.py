"""A request id for every request, and one log line per request that carries no personal data.

The id comes from a well-formed `X-Request-ID` header (a proxy's) or is made here; it is
in `request.state.request_id`, in the audit record, in the `X-Request-ID` response header
and in the log line. The log line names method, path and status only: never the query
string or the body, where identifiers travel.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("hub.requests")

REQUEST_ID_HEADER = "x-request-id"
WELL_FORMED_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_of(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER.encode():
            text = bytes(value).decode("latin-1")
            if WELL_FORMED_ID.match(text):
                return text
    return uuid.uuid4().hex


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            log.info(
                "%s %s %d %.0f ms request %s",
                scope["method"],
                scope["path"],
                status,
                elapsed_ms,
                request_id,
            )
