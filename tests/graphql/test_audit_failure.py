"""No unaudited access: when the audit record cannot be written, the caller gets an error
and no data (issue 13, item 9). The audit log is pointed at a key of the real store that is
not a graph, so every append fails there, as when the store refuses writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from hub.queries import load_queries
from hub.security.audit import AuditLog
from hub.settings import MAX_REQUEST_BYTES
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from tests.graphql.conftest import Hub
from tests.graphql.test_scenarios import TRACE


@pytest.fixture
def unwritable_audit(hub: Hub, embedded_server: EmbeddedServer) -> Iterator[None]:
    assert embedded_server.address
    key = f"not_a_graph_{uuid.uuid4().hex[:8]}"
    with embedded_server.address.client() as client:
        client.set(key, "a string, not a graph: every audit append fails")
    working = hub.app.state.audit
    hub.app.state.audit = AuditLog(
        FalkorDBStore.connect(
            load_queries("falkordb"),
            key,
            unix_socket=embedded_server.address.unix_socket,
            port=embedded_server.address.port or 0,
        )
    )
    try:
        yield
    finally:
        hub.app.state.audit = working
        with embedded_server.address.client() as client:
            client.delete(key)


def post(hub: Hub, body: object, token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{hub.url}/graphql", json=body, headers=headers, timeout=60)


def assert_refused_without_data(response: httpx.Response, *secrets: str) -> None:
    answer = response.json()
    assert answer["data"] is None, response.text
    codes = {error["extensions"]["code"] for error in answer["errors"]}
    assert codes == {"INTERNAL"}, response.text
    assert "audit log" in response.text
    for secret in secrets:
        assert secret not in response.text


@pytest.mark.usefixtures("unwritable_audit")
def test_a_trace_whose_record_fails_answers_no_data(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    variables = {"id": scenario.respondent.id_number, "case": scenario.case_number}
    response = post(hub, {"query": TRACE, "variables": variables}, hub.officer)
    assert response.status_code == 200
    assert_refused_without_data(response, scenario.respondent.name)


@pytest.mark.usefixtures("unwritable_audit")
def test_every_kind_of_request_whose_record_fails_answers_no_data(hub: Hub) -> None:
    measures = post(hub, {"query": "{ measures { code } }"}, hub.officer)
    assert_refused_without_data(measures)
    two = post(hub, {"query": "{ measures { code } myCases { caseNumber } }"}, hub.officer)
    assert_refused_without_data(two)
    forbidden = post(hub, {"query": "{ verifyAuditChain { ok } }"}, hub.officer)
    assert_refused_without_data(forbidden)
    anonymous = post(hub, {"query": "{ measures { code } }"}, None)
    assert_refused_without_data(anonymous)

    typename = post(hub, {"query": "{ __typename }"}, hub.officer)
    assert typename.status_code == 500
    assert_refused_without_data(typename, "Query")
    introspection = post(hub, {"query": "{ __schema { queryType { name } } }"}, hub.officer)
    assert introspection.status_code == 500
    assert_refused_without_data(introspection, "Query")

    too_large = httpx.post(
        f"{hub.url}/graphql",
        content=b"x" * (MAX_REQUEST_BYTES + 1),
        headers={"Authorization": f"Bearer {hub.officer}", "Content-Type": "application/json"},
        timeout=60,
    )
    assert too_large.status_code == 500
    assert_refused_without_data(too_large)
