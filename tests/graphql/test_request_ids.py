"""Request ids the hub can trust (issue 13, item 4): the record's `requestId` is always the
hub's own; a caller's `X-Request-ID` is kept apart, sanitised, as `clientRequestId`. And the
auditor's `department` filter (item 7)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from hub.security.audit import AuditLog, AuditRecord
from hub.settings import MAX_CLIENT_REQUEST_ID_CHARS
from hub.store import GraphStore
from tests.graphql.conftest import Hub, dump

EVENTS = """query($f: AuditFilter) { auditEvents(first: 20, filter: $f) {
  edges { node { requestId clientRequestId actor department operation } } } }"""


def events(hub: Hub, **filter: str) -> list[dict[str, Any]]:
    answer = hub.post(EVENTS, {"f": filter}, token=hub.auditor)
    assert "errors" not in answer, dump(answer)
    return [edge["node"] for edge in answer["data"]["auditEvents"]["edges"]]


def send(hub: Hub, actor: str, request_id: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {hub.token('officer', actor)}"}
    if request_id is not None:
        headers["X-Request-ID"] = request_id
    response = httpx.post(
        f"{hub.url}/graphql", json={"query": "{ measures { code } }"}, headers=headers
    )
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    return response


def test_the_record_keeps_the_hubs_id_and_the_callers_apart(hub: Hub) -> None:
    actor = "fy0821-ids-1"
    first = send(hub, actor, "proxy-7f3a")
    second = send(hub, actor, "proxy-7f3a")  # a caller cannot make two requests one
    plain = send(hub, actor, None)

    ids = [r.headers["X-Request-ID"] for r in (first, second, plain)]
    assert len(set(ids)) == 3 and "proxy-7f3a" not in ids
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
    found = {e["requestId"]: e["clientRequestId"] for e in events(hub, actor=actor)}
    assert found == {ids[0]: "proxy-7f3a", ids[1]: "proxy-7f3a", ids[2]: None}


def test_a_callers_id_is_sanitised_and_cut_short(hub: Hub) -> None:
    actor = "fy0821-ids-2"
    forged = 'evil\t"id" <b>' + "x" * 200
    response = send(hub, actor, forged)

    [event] = events(hub, actor=actor)
    assert event["requestId"] == response.headers["X-Request-ID"]
    assert event["clientRequestId"] == ("evilidb" + "x" * 200)[:MAX_CLIENT_REQUEST_ID_CHARS]


def test_auditors_filter_by_department(hub: Hub) -> None:
    hub.post("{ measures { code } }", token=hub.department("bank"))
    hub.post("{ measures { code } }", token=hub.department("nrb"))

    found = events(hub, department="nrb")
    assert found and {e["department"] for e in found} == {"nrb"}


async def test_a_record_without_a_client_id_hashes_as_records_did_before(
    store: GraphStore,
) -> None:
    audit = AuditLog(store)
    base = AuditRecord(
        actor="fy0821-001",
        role="officer",
        department=None,
        operation="measures",
        case_number=None,
        subjects=(),
        outcome="ALLOWED",
        result_count=1,
        client_address="10.0.0.7",
        request_id="0" * 32,
    )
    without = await audit.append(base)
    with_id = await audit.append(AuditRecord(**{**base.__dict__, "client_request_id": "p-1"}))

    assert "client_request_id" not in without.to_dict()  # the canonical form of old records
    assert with_id.to_dict()["client_request_id"] == "p-1"
    exported = [json.dumps(line) async for line in audit.export(None, None)]
    assert "client_request_id" not in exported[0] and '"p-1"' in exported[1]
    assert (await audit.verify()).ok
