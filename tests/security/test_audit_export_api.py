"""`GET /audit/export`: the auditors' twin of `hub audit export`, recorded like every access."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from hub.security.audit import AuditFilter, AuditLog
from hub.security.verify_export import check_lines
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.audit_records import record
from tests.security.support import app_client, bearer, with_test_secret


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name))


async def test_an_auditor_gets_the_records_as_json_lines_and_the_export_is_recorded(
    store: GraphStore, settings: Settings
) -> None:
    audit = AuditLog(store.audit_store())
    for n in range(5):
        await audit.append(record(n, reason="理由"))
    stored = [r async for r in audit.export(None, None)]

    async with app_client(settings, store) as client:
        answer = await client.get("/audit/export", headers=bearer("auditor", "auditor-1"))
    lines = answer.text.splitlines()
    [logged] = (await audit.events(AuditFilter(operation="auditExport"), 5, None)).events

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line) for line in lines] == stored
    assert check_lines(lines).ok
    assert (logged.actor, logged.outcome, logged.result_count) == ("auditor-1", "ALLOWED", 5)


async def test_from_and_to_bound_the_records_by_time(store: GraphStore, settings: Settings) -> None:
    audit = AuditLog(store.audit_store())
    for n in range(3):
        await audit.append(record(n))
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    today = datetime.now(UTC).date().isoformat()

    async with app_client(settings, store) as client:
        auditor = bearer("auditor", "auditor-1")
        later = await client.get(f"/audit/export?from={tomorrow}", headers=auditor)
        now = await client.get(f"/audit/export?from={today}&to={today}", headers=auditor)

    assert (later.status_code, later.text) == (200, "")
    assert [json.loads(line)["seq"] for line in now.text.splitlines()][:3] == [1, 2, 3]


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), (bearer("officer"), 403), (bearer("department", "psb-sys", "psb"), 403)],
)
async def test_anyone_but_an_auditor_is_refused_and_recorded(
    store: GraphStore, settings: Settings, headers: dict[str, str], status: int
) -> None:
    audit = AuditLog(store.audit_store())
    await audit.append(record(1))

    async with app_client(settings, store) as client:
        answer = await client.get("/audit/export", headers=headers)
    [logged] = (await audit.events(AuditFilter(operation="auditExport"), 5, None)).events

    assert answer.status_code == status
    assert "seq" not in answer.text
    assert logged.outcome == "DENIED"


async def test_a_bad_date_is_refused_naming_the_argument(
    store: GraphStore, settings: Settings
) -> None:
    async with app_client(settings, store) as client:
        answer = await client.get(
            "/audit/export?from=last-tuesday", headers=bearer("auditor", "auditor-1")
        )

    assert answer.status_code == 400
    assert "from" in answer.json()["error"]
