"""Every request is in the audit chain, also under load, and the chain still verifies."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

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
