"""Every request to /graphql leaves exactly one audit record, whatever happens to it, and a
caller without a valid token gets no data (issue 13, item 2). The IDE page is the one
request that is not recorded."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from graphql import get_introspection_query

from hub.settings import MAX_REQUEST_BYTES
from hub.store.embedded import EmbeddedServer
from tests.graphql.audit_trail import events_since, last_seq
from tests.graphql.conftest import Hub

TYPENAME = {"query": "{ __typename }"}
INTROSPECTION = {"query": get_introspection_query()}
SKIPPED = {
    "query": "query($s: Boolean!) { measures @skip(if: $s) { code } }",
    "variables": {"s": True},
}
MEASURES = {"query": "{ measures { code } }"}


@dataclass(frozen=True)
class Shape:
    """One kind of request: how to send it, with or without a token, and its record."""

    name: str
    send: Callable[[httpx.Client, dict[str, str]], httpx.Response]
    outcome: str
    operation: str = "graphql"
    reason: str = ""  # the record's reason starts with this
    token: bool = True


def post_json(body: Any) -> Callable[[httpx.Client, dict[str, str]], httpx.Response]:
    def send(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
        return client.post("/graphql", content=json.dumps(body), headers=headers)

    return send


def post_raw(
    content: bytes | Iterator[bytes], content_type: str = "application/json"
) -> Callable[[httpx.Client, dict[str, str]], httpx.Response]:
    def send(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
        return client.post(
            "/graphql", content=content, headers={**headers, "Content-Type": content_type}
        )

    return send


def get_query(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    return client.get("/graphql", params={"query": "{ measures { code } }"}, headers=headers)


def streamed() -> Iterator[bytes]:
    yield b'{"query": "'
    for _ in range(MAX_REQUEST_BYTES // 10_000 + 1):
        yield b"x" * 10_000
    yield b'"}'


SHAPES = [
    Shape("typename", post_json(TYPENAME), "ALLOWED"),
    Shape("introspection", post_json(INTROSPECTION), "ALLOWED"),
    Shape("root field under @skip", post_json(SKIPPED), "ALLOWED"),
    Shape("an operation", post_json(MEASURES), "ALLOWED", operation="measures"),
    Shape("unparsable JSON", post_raw(b'{"query": "{ measures { code } }"'), "DENIED"),
    Shape("batched array", post_json([MEASURES, TYPENAME]), "DENIED", reason="BAD_USER_INPUT"),
    Shape(
        "unknown operationName",
        post_json({**MEASURES, "operationName": "Nothing"}),
        "DENIED",
        reason="BAD_USER_INPUT",
    ),
    Shape("no query", post_json({"variables": {}}), "DENIED", reason="BAD_USER_INPUT"),
    Shape("syntax error", post_json({"query": "{ measures {"}), "DENIED", reason="BAD_USER"),
    Shape("unknown field", post_json({"query": "{ nothing }"}), "DENIED", reason="BAD_USER"),
    Shape(
        "variable of the wrong type",
        post_json(
            {
                "query": "query($s: [String!]!) { creditCheck(subjects: $s) { valid } }",
                "variables": {"s": {"not": "a list"}},
            }
        ),
        "DENIED",
        reason="BAD_USER_INPUT",
    ),
    Shape("query over GET", get_query, "DENIED", reason="BAD_USER_INPUT"),
    Shape(
        "declared body over the limit (413)",
        post_raw(b"x" * (MAX_REQUEST_BYTES + 1)),
        "DENIED",
    ),
    Shape("streamed body over the limit (413)", post_raw(streamed()), "DENIED"),
    Shape(
        "another content type (415)",
        post_raw(b"{ measures { code } }", "application/graphql"),
        "DENIED",
        reason="BAD_USER_INPUT",
    ),
    Shape("typename, no token", post_json(TYPENAME), "DENIED", "graphql", "UNAUTH", False),
    Shape(
        "introspection, no token", post_json(INTROSPECTION), "DENIED", "graphql", "UNAUTH", False
    ),
    Shape("skipped field, no token", post_json(SKIPPED), "DENIED", "graphql", "UNAUTH", False),
    Shape("operation, no token", post_json(MEASURES), "DENIED", "measures", "UNAUTH", False),
    Shape(
        "syntax error, no token", post_json({"query": "{"}), "DENIED", "graphql", "UNAUTH", False
    ),
    Shape(
        "unparsable JSON, no token", post_raw(b"{"), "DENIED", "graphql", "UNAUTHENTICATED", False
    ),
]


def headers_for(hub: Hub, shape: Shape) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if shape.token:
        headers["Authorization"] = f"Bearer {hub.officer}"
    return headers


def has_data(response: httpx.Response) -> bool:
    try:
        answer = response.json()
    except ValueError:
        return False
    return isinstance(answer, dict) and bool(answer.get("data"))


def test_every_request_shape_leaves_exactly_one_record(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    before = last_seq(hub, embedded_server)
    responses: list[tuple[Shape, httpx.Response]] = []
    with httpx.Client(base_url=hub.url, timeout=60) as client:
        for shape in SHAPES:
            responses.append((shape, shape.send(client, headers_for(hub, shape))))

        # the IDE page is the one request that is not recorded
        page = client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")

    records = events_since(hub, embedded_server, before)
    assert len(records) == len(SHAPES), [(r.operation, r.outcome, r.reason) for r in records]
    by_request = {record.request_id: record for record in records}
    for shape, response in responses:
        record = by_request.get(response.headers["X-Request-ID"])
        assert record is not None, f"{shape.name}: no record ({response.status_code})"
        assert (record.operation, record.outcome) == (shape.operation, shape.outcome), shape.name
        assert (record.reason or "").startswith(shape.reason), (shape.name, record.reason)
        if shape.outcome == "DENIED":
            assert not has_data(response), (shape.name, response.text)
        if not shape.token:
            assert record.actor is None
            assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        else:
            assert record.actor == hub.manifest.scenarios.officer_id, shape.name


def test_refused_shapes_answer_with_the_tables_status_and_code(hub: Hub) -> None:
    headers = {"Authorization": f"Bearer {hub.officer}", "Content-Type": "application/json"}
    with httpx.Client(base_url=hub.url, timeout=60) as client:
        unparsable = client.post("/graphql", content=b"{", headers=headers)
        wrong_type = client.post(
            "/graphql", content=b"{}", headers={**headers, "Content-Type": "text/plain"}
        )
        anonymous = client.post("/graphql", json=TYPENAME)

    assert unparsable.status_code == 400
    assert unparsable.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert wrong_type.status_code == 415
    assert "application/json" in wrong_type.json()["errors"][0]["message"]
    assert anonymous.status_code == 200  # a GraphQL answer, with the error and no data
    assert anonymous.json()["data"] is None
    [error] = anonymous.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert error["extensions"]["requestId"] == anonymous.headers["X-Request-ID"]


def test_an_anonymous_caller_gets_no_introspection_mixed_into_an_operation(hub: Hub) -> None:
    query = '{ __schema { queryType { name } } case(caseNumber: "none") { caseNumber } }'
    answer = httpx.post(f"{hub.url}/graphql", json={"query": query}).json()
    assert answer["data"] is None
    assert {e["extensions"]["code"] for e in answer["errors"]} == {"UNAUTHENTICATED"}
