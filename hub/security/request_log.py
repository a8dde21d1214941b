"""A request id for every request, and one log line per request that carries no personal data.

The id is made here, always: it is in `request.state.request_id`, in the audit record, in
the `X-Request-ID` response header and in the log line, and no caller can choose it (a
chosen id could collide with another request's, or pass one request off as another in the
audit log). A caller's own `X-Request-ID` (a proxy's, say) is kept, cut to
MAX_CLIENT_REQUEST_ID_CHARS of the characters ids are made of, as
`request.state.client_request_id`, which the audit record keeps as `client_request_id`. The
log line names method, path, status and the hub's id only: never the query string or the
body, where identifiers travel.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.settings import MAX_CLIENT_REQUEST_ID_CHARS

log = logging.getLogger("hub.requests")

REQUEST_ID_HEADER = "x-request-id"
NOT_IN_AN_ID = re.compile(r"[^A-Za-z0-9._:/+=@-]")  # ids: UUIDs, trace ids, base64


def client_request_id_of(scope: Scope) -> str | None:
    """The caller's `X-Request-ID`, sanitised: only characters ids are made of (control
    characters, spaces and quotes dropped), at most MAX_CLIENT_REQUEST_ID_CHARS; None when
    there is none or nothing is left of it."""
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER.encode():
            text = NOT_IN_AN_ID.sub("", bytes(value).decode("latin-1"))
            return text[:MAX_CLIENT_REQUEST_ID_CHARS] or None
    return None


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["client_request_id"] = client_request_id_of(scope)
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
