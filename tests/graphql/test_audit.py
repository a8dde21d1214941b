"""Every request is in the audit chain, also under load, and the chain still verifies."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from hub.queries import QUERY_DIR, load_queries
from hub.security.audit import AuditFilter, AuditLog
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from tests.conftest import TEST_QUERY_DIR
from tests.graphql.conftest import Hub, dump

CONCURRENT_REQUESTS = 1_000


def verification(hub: Hub) -> dict[str, Any]:
    answer = hub.post(
        "{ verifyAuditChain { ok checked firstBrokenSeq reason } }", token=hub.auditor
    )
    assert "errors" not in answer, dump(answer)
    result: dict[str, Any] = answer["data"]["verifyAuditChain"]
    return result


def test_a_thousand_concurrent_requests_leave_a_verifiable_chain(hub: Hub) -> None:
    before = verification(hub)
    assert before["ok"], before
    tokens = [hub.officer, hub.department(), hub.token("officer", "fy0821-003"), None]
    queries = [
        "{ measures { code } }",
        '{ creditCheck(subjects: ["x"]) { valid } }',
        "{ myCases(first: 1) { caseNumber } }",
        "{ measures { code } }",
    ]

    async def flood() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(base_url=hub.url, limits=limits, timeout=600) as client:
            requests = []
            for n in range(CONCURRENT_REQUESTS):
                token = tokens[n % len(tokens)]
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                body = {"query": queries[n % len(queries)]}
                requests.append(client.post("/graphql", json=body, headers=headers))
            return await asyncio.gather(*requests)

    responses = asyncio.run(flood())
    assert all(r.status_code == 200 for r in responses)
    answers = [r.json() for r in responses]
    denied = [a for a in answers if a.get("errors")]
    assert len(denied) == CONCURRENT_REQUESTS // len(tokens)  # the ones without a token

    after = verification(hub)
    assert after["ok"], after
    # One record each, plus the verification call itself.
    assert after["checked"] - before["checked"] == CONCURRENT_REQUESTS + 1


def test_a_requests_record_is_in_the_audit_graph_not_the_data_graph(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    actor = "fy0821-own-graph"
    response = httpx.post(
        f"{hub.url}/graphql",
        json={"query": "{ measures { code } }"},
        headers={"Authorization": f"Bearer {hub.token('officer', actor)}"},
        timeout=60,
    )
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    request_id = response.headers["X-Request-ID"]

    answer = hub.post(
        "query($a: String) { auditEvents(first: 5, filter: {actor: $a}) "
        "{ edges { node { requestId operation } } } }",
        {"a": actor},
        token=hub.auditor,
    )
    assert [edge["node"] for edge in answer["data"]["auditEvents"]["edges"]] == [
        {"requestId": request_id, "operation": "measures"}
    ], dump(answer)

    async def request_ids(graph: str) -> list[str]:
        assert embedded_server.address
        store = FalkorDBStore.connect(
            load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR),
            graph,
            unix_socket=embedded_server.address.unix_socket,
            port=embedded_server.address.port or 0,
        )
        try:
            page = await AuditLog(store).events(AuditFilter(actor=actor), first=5, after=None)
        finally:
            await store.close()
        return [event.request_id for event in page.events]

    assert asyncio.run(request_ids(f"{hub.graph}_audit")) == [request_id]
    assert asyncio.run(request_ids(hub.graph)) == []
