"""GraphQL run for a console request as its caller, through the hub's own `/graphql` door.

What the server makes for a browser (the PDF report) must read as the browser would: the
same operations, the same policy, masking and audit. So it does not query the store: it
sends `POST /graphql` into the app itself, in process, with the caller's credentials (their
session cookie, or their bearer token), and reads the answer as a client would. Every
operation is recorded as the caller's, from the caller's address, and names the request
that asked for it (its request id as the inner request's `X-Request-ID`).

CSRF: the inner request carries the `hub_csrf` cookie's value as its header, as the
console's script does. That is sound because only GET endpoints call this, for reads, and
the session cookie is SameSite=Strict: another site's page cannot send it.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.types import Message

from hub.security.cookies import CSRF_COOKIE, CSRF_HEADER
from hub.security.request_log import REQUEST_ID_HEADER

FORWARDED = (b"authorization", b"cookie", b"user-agent")


@dataclass(frozen=True)
class GraphQLAnswer:
    status: int
    data: dict[str, Any] | None
    errors: list[dict[str, Any]]

    @property
    def code(self) -> str | None:
        """The first error's `extensions.code` (API.md), if any."""
        if not self.errors:
            return None
        code = self.errors[0].get("extensions", {}).get("code")
        return str(code) if code is not None else "INTERNAL"


async def graphql_as_caller(
    request: Request, query: str, variables: dict[str, Any]
) -> GraphQLAnswer:
    """`query` answered by the app's `/graphql` as if `request`'s caller had sent it."""
    body = json.dumps({"query": query, "variables": variables}).encode("utf-8")
    headers = [(k, v) for k, v in request.scope["headers"] if k in FORWARDED]
    headers += [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (REQUEST_ID_HEADER.encode(), str(request.state.request_id).encode()),
    ]
    csrf = request.cookies.get(CSRF_COOKIE)
    if csrf:
        headers.append((CSRF_HEADER.lower().encode(), csrf.encode("latin-1")))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": request.url.scheme,
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": request.scope.get("client"),
        "server": request.scope.get("server"),
        "state": {},
    }
    sent = False
    answered = asyncio.Event()
    status = 500
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                answered.set()

    await request.app(scope, receive, send)
    answered.set()
    try:
        parsed: dict[str, Any] = json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        parsed = {}
    return GraphQLAnswer(status, parsed.get("data"), list(parsed.get("errors") or []))
