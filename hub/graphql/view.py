"""`/graphql` over HTTP: POST runs queries, GET in a browser opens the offline IDE; over
WebSocket (graphql-transport-ws), the alerts subscription (hub/graphql/alert_stream.py).

The /graphql door of `hub.security.gate`. Every request but the IDE page leaves an audit
record: each root field one through the guard, and a request that ran none (refused before
any resolver: not JSON, a batch, an unknown operationName, a syntax error, an unknown field,
a query too complex; or asking for none: `{ __typename }`, introspection, fields under
`@skip`) one of its own, written here before the answer leaves. A caller without a valid
token gets no data, whatever the document asks for.

Every error leaves with an `extensions.code` from API.md (the table of
`hub.security.refusals`) and the request id. No error's message is logged: an argument's
value may be in it.
"""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta
from typing import Any, Final

from cross_web import HTTPException
from graphql import GraphQLError, VariableDefinitionNode, print_ast
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from hub.graphql import alert_stream, ide
from hub.graphql.alert_stream import StreamContext
from hub.graphql.context import Context, Services
from hub.graphql.schema import build_schema
from hub.security.body_limit import RequestBodyTooLarge
from hub.security.gate import (
    INTERNAL_REASON,
    AuditFailed,
    Gate,
    OpenRecord,
    Subjects,
    Visit,
    visit_of,
)
from hub.security.principal import Principal
from hub.security.refusals import (
    INTERNAL_MESSAGE,
    BadRequest,
    MethodNotAllowed,
    Refusal,
    Unavailable,
    UnsupportedMediaType,
    retry_after_header,
)
from hub.settings import MAX_ERROR_IN_REASON, Settings

DOOR: Final = "graphql"  # the audit operation of a request that ran no operation
CONNECTION_INIT_WAIT: Final = timedelta(seconds=10)  # a socket that does not say who it is
NO_OPERATION: Final = "no operation ran (introspection, __typename or skipped fields only)"
LATE_FAILURE: Final = f"{INTERNAL_REASON}: the answer could not be formed after it was recorded"
# graphql-core's message for a variable whose value does not fit its type quotes the value.
INVALID_VARIABLE = re.compile(r"^Variable '\$(\w+)' (?:has|got) invalid value( at [^:]*)?:")


def _variable_error(error: GraphQLError) -> tuple[str, str] | None:
    """(variable, message naming it and its type, without its value), for a value error."""
    match = INVALID_VARIABLE.match(error.message)
    if match is None:
        return None
    name, at = match.group(1), match.group(2) or ""
    definitions = [n for n in error.nodes or () if isinstance(n, VariableDefinitionNode)]
    expected = f"a value of type {print_ast(definitions[0].type)}" if definitions else "a value"
    return name, f"variable ${name}: the value given{at} is not {expected}"


def _formatted(error: GraphQLError, request_id: str) -> dict[str, Any]:
    """The error as the caller sees it: `extensions.code` and the request id added, the
    message of an internal error replaced, a variable's value never quoted."""
    formatted: dict[str, Any] = dict(error.formatted)
    extensions: dict[str, Any] = dict(formatted.get("extensions") or {})
    original = error.original_error
    variable = _variable_error(error)
    if isinstance(original, Refusal):
        code: str = original.answer.code
    elif variable is not None:
        code = "BAD_USER_INPUT"
        extensions["variable"], formatted["message"] = variable
    elif isinstance(extensions.get("code"), str):
        code = extensions["code"]
    elif original is not None:
        code = "INTERNAL"
        formatted["message"] = INTERNAL_MESSAGE
    elif "tokens" in error.message and "Parsing aborted" in error.message:
        code = "QUERY_TOO_COMPLEX"
    else:
        code = "BAD_USER_INPUT"  # syntax and validation errors: the caller's document
    formatted["extensions"] = {**extensions, "code": code, "requestId": request_id}
    return formatted


def _refusal_error(refusal: Refusal, visit: Visit) -> dict[str, Any]:
    return _formatted(GraphQLError(refusal.message, original_error=refusal), visit.request_id)


def render_refusal(visit: Visit, refusal: Refusal) -> JSONResponse:
    """A request refused as a whole: a GraphQL error answer with the table's HTTP status."""
    error = {
        "message": refusal.message,
        "extensions": {**refusal.extensions, "requestId": visit.request_id},
    }
    return JSONResponse(
        {"data": None, "errors": [error]},
        refusal.answer.status,
        headers=retry_after_header(refusal),
    )


def _refusal_of(error: HTTPException, request: Request) -> Refusal:
    """Strawberry's refusal of a request it cannot run, as one of the hub's refusals."""
    if error.status_code == 405:
        return MethodNotAllowed("send GraphQL requests with POST (GET opens the IDE)")
    if error.reason == "Unsupported content type":
        given = request.headers.get("content-type", "")[:100] or "no content type"
        return UnsupportedMediaType(f"send the request as application/json; got {given}")
    return BadRequest(error.reason)


class HubGraphQL(GraphQL[Context, None]):
    """The GraphQL endpoint; the services come from the app's state, set up by its lifespan."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(introspection=settings.introspection),
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
            # The alerts subscription (hub/graphql/alert_stream.py): the current protocol only.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=CONNECTION_INIT_WAIT,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        visit = visit_of(request.state, scope, DOOR)
        gate = Gate.of_request(scope)
        if scope["method"] == "GET" and self.should_render_graphql_ide(
            self.request_adapter_class(request)
        ):
            visit.exempt = "the IDE page"
        else:  # the caller, known before the document is validated (see schema.Validation)
            with contextlib.suppress(Refusal):
                await gate.authenticate(visit)
        try:
            response = await self.run(request)
        except HTTPException as error:
            response = await self._refused(gate, visit, _refusal_of(error, request))
        except RequestBodyTooLarge as error:
            visit.conclude("DENIED", f"BAD_USER_INPUT: {error}")
            raise  # the body-size middleware answers 413
        if visit.needs_record:
            try:
                await gate.record_visit(visit, response.status_code)
            except AuditFailed as failure:
                response = render_refusal(visit, failure)
        await response(scope, receive, send)

    async def _refused(self, gate: Gate, visit: Visit, refusal: Refusal) -> Response:
        """A request refused before GraphQL ran; an anonymous caller is told that first."""
        try:
            await gate.authenticate(visit)
        except Refusal as anonymous:
            refusal = anonymous
        visit.conclude(refusal.answer.outcome, refusal.audit_reason)
        return render_refusal(visit, refusal)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        if isinstance(request, WebSocket):  # one context for the connection's life
            gate = Gate.of_request(request.scope)
            return StreamContext(
                Services.of(request.app.state, gate), visit_of(request.state, request.scope, DOOR)
            )
        visit = visit_of(request.state, request.scope, DOOR)
        context = Context(Services.of(request.app.state, Gate.of_request(request.scope)), visit)
        request.state.graphql_context = context
        request.state.graphql_response = response  # its status and headers are the answer's
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        return await alert_stream.connect(context)

    async def render_graphql_ide(self, request: Request) -> Response:
        return ide.render()

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        context: Context = request.state.graphql_context
        visit, gate = context.visit, context.gate
        errors = [_formatted(error, visit.request_id) for error in result.errors or ()]
        try:
            principal = await gate.authenticate(visit)
        except Refusal as refusal:  # no data for a caller without a valid token
            if visit.needs_record:  # no operation refused them itself
                visit.conclude(refusal.answer.outcome, refusal.audit_reason)
                errors = [_refusal_error(refusal, visit)]
            return {"data": None, "errors": list[object](errors)}
        late = _failed_after_record(result, visit)
        if late:
            with contextlib.suppress(AuditFailed):  # then visit.audit_failed, just below
                await _record_late_failures(gate, visit, principal, late)
        if visit.audit_failed:  # some operation went unrecorded: answer none of them
            failure = _store_down(request, errors) or AuditFailed()
            return {"data": None, "errors": [_refusal_error(failure, visit)]}
        if visit.needs_record:
            if errors:
                reason = "; ".join(
                    f"{e['extensions']['code']}: {e['message'][:MAX_ERROR_IN_REASON]}"
                    for e in errors
                )
                visit.conclude("DENIED", reason)
            else:
                visit.conclude("ALLOWED", NO_OPERATION)
        if not errors:
            return {"data": result.data}
        _store_down(request, errors)
        return {"data": result.data, "errors": list[object](errors)}


def _failed_after_record(result: ExecutionResult, visit: Visit) -> list[str]:
    """The root fields whose answer failed unexpectedly after their operation was recorded
    as allowed (a value the schema cannot answer, say): the response keys, once each."""
    if visit.records == 0:
        return []
    fields: dict[str, None] = {}
    for error in result.errors or ():
        original = error.original_error
        if original is None or isinstance(original, Refusal | GraphQLError) or not error.path:
            continue
        fields[str(error.path[0])] = None
    return list(fields)


async def _record_late_failures(
    gate: Gate, visit: Visit, principal: Principal, fields: list[str]
) -> None:
    """A further record per field: its operation was recorded ALLOWED, the caller got
    INTERNAL. The chain is append-only, so the earlier record stays and this one follows."""
    for field in fields:
        await OpenRecord(gate, visit, field, principal, Subjects()).close("ERROR", 0, LATE_FAILURE)


def _store_down(request: Request, errors: list[dict[str, Any]]) -> Unavailable | None:
    """With an UNAVAILABLE error among `errors` (the graph store went away), the answer is
    HTTP 503 with Retry-After (API.md); returns that refusal."""
    waits = [
        e["extensions"].get("retryAfter")
        for e in errors
        if e["extensions"]["code"] == "UNAVAILABLE"
    ]
    if not waits:
        return None
    down = Unavailable(
        "the graph store is restarting or unreachable; try again later", max(w or 1 for w in waits)
    )
    response: Response = request.state.graphql_response
    response.status_code = 503
    response.headers.update(retry_after_header(down))
    return down
