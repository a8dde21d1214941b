"""`/graphql` over HTTP: POST runs queries, GET in a browser opens the offline IDE.

Every error leaves with an `extensions.code` from API.md and the request id. A request
refused before any resolver ran (a syntax error, an unknown field, a query too complex)
is audited here as DENIED, so no GraphQL request goes unrecorded.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from hub.graphql import ide
from hub.graphql.context import Context, Services
from hub.graphql.errors import INTERNAL_MESSAGE, ApiError
from hub.graphql.schema import build_schema
from hub.security.audit import AuditRecord
from hub.security.tokens import AuthError
from hub.settings import Settings

log = logging.getLogger(__name__)

OPERATION_REFUSED = "graphql"  # audit operation for a request refused before any resolver


def _code_of(error: GraphQLError) -> str:
    code = (error.extensions or {}).get("code")
    if isinstance(code, str):
        return code
    if error.original_error is not None and not isinstance(error.original_error, ApiError):
        return "INTERNAL"
    if "tokens" in error.message and "Parsing aborted" in error.message:
        return "QUERY_TOO_COMPLEX"
    return "BAD_USER_INPUT"  # syntax, validation and variable errors: the caller's document


def _formatted(error: GraphQLError, request_id: str) -> dict[str, Any]:
    code = _code_of(error)
    formatted: dict[str, Any] = dict(error.formatted)
    if code == "INTERNAL":
        formatted["message"] = INTERNAL_MESSAGE
    formatted["extensions"] = {**formatted.get("extensions", {}), "code": code}
    formatted["extensions"]["requestId"] = request_id
    return formatted


class HubGraphQL(GraphQL[Context, None]):
    """The GraphQL endpoint; the services come from the app's state, set up by its lifespan."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(introspection=settings.introspection),
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request)
        context = Context.of(request, Services.of(request.app.state))
        request.state.graphql_context = context
        return context

    async def render_graphql_ide(self, request: Request) -> Response:
        return ide.render()

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        context: Context = request.state.graphql_context
        if not result.errors:
            return {"data": result.data}
        errors = [_formatted(error, context.request_id) for error in result.errors]
        if not context.audited:
            reason = "; ".join(f"{e['extensions']['code']}: {e['message']}" for e in errors)
            if not await _audit_refusal(context, reason[:500]):
                return {"data": None, "errors": [_internal(context.request_id)]}
        return {"data": result.data, "errors": list[object](errors)}


def _internal(request_id: str) -> dict[str, Any]:
    return {
        "message": INTERNAL_MESSAGE,
        "extensions": {"code": "INTERNAL", "requestId": request_id},
    }


async def _audit_refusal(context: Context, reason: str) -> bool:
    """Record a request refused before any resolver ran; False when the record failed."""
    try:
        principal = await context.principal()
    except AuthError:
        principal = None
    record = AuditRecord(
        actor=principal.subject if principal else None,
        role=principal.role if principal else None,
        department=principal.department if principal else None,
        operation=OPERATION_REFUSED,
        case_number=None,
        subjects=(),
        outcome="DENIED",
        result_count=0,
        client_address=context.client_address,
        request_id=context.request_id,
        reason=reason,
    )
    try:
        await context.services.audit.append(record)
    except Exception:
        log.exception("request %s: the audit record could not be written", context.request_id)
        return False
    context.audited = True
    return True
