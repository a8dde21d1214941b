"""POST /ingest/{dataset}: who may publish what, size limits, and the audit of every call."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path

import httpx
import pytest

from connectors.identifiers import make_id_number
from hub.security.audit import AuditEvent, AuditFilter, AuditLog
from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import app_client, bearer, with_test_secret

PERSON = make_id_number("220821", date(1978, 3, 14), 12, "M")
PERSONS_CSV = f"id_number,name,gender,phone\n{PERSON},张三,男,13912345678\n".encode()
LIMIT = 4096


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str, tmp_path: Path
) -> Settings:
    return with_test_secret(
        settings_for(engine, graph_name), data_dir=tmp_path, max_ingest_bytes=LIMIT
    )


@pytest.fixture
async def client(settings: Settings, store: GraphStore) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings, store) as client:
        yield client


async def ingest_events(store: GraphStore) -> list[AuditEvent]:
    audit = AuditLog(store.audit_store())  # where the app writes it
    page = await audit.events(AuditFilter(operation="ingest"), first=50, after=None)
    return list(page.events)


def uploads_left(settings: Settings) -> list[Path]:
    folder = settings.data_dir / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


async def test_a_department_publishes_its_own_dataset_and_gets_the_run_report(
    client: httpx.AsyncClient, store: GraphStore, settings: Settings
) -> None:
    response = await client.post(
        "/ingest/psb.persons?filename=户籍.csv",
        content=PERSONS_CSV,
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["dataset"], report["department"]) == ("psb.persons", "psb")
    assert (report["rows_read"], report["rows_accepted"]) == (1, 1)
    [event] = await ingest_events(store)
    assert (event.outcome, event.actor, event.department) == ("ALLOWED", "psb-sys", "psb")
    assert (event.dataset, event.result_count) == ("psb.persons", 1)
    assert event.request_id == response.headers["X-Request-ID"]
    assert event.client_address == "10.0.0.7"
    assert uploads_left(settings) == []


async def test_a_department_posting_another_kinds_dataset_is_forbidden_and_audited(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    response = await client.post(
        "/ingest/bank.accounts",
        content=b"bank_code,account_number\n",
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )

    assert response.status_code == 403
    assert "psb (psb) may not publish bank.accounts" in response.json()["error"]
    [event] = await ingest_events(store)
    assert (event.outcome, event.actor, event.dataset) == ("DENIED", "psb-sys", "bank.accounts")
    assert event.reason and "may not publish bank.accounts" in event.reason


async def test_an_officer_may_not_publish(client: httpx.AsyncClient, store: GraphStore) -> None:
    response = await client.post(
        "/ingest/psb.persons",
        content=PERSONS_CSV,
        headers=bearer("officer") | {"Content-Type": "text/csv"},
    )

    assert response.status_code == 403
    [event] = await ingest_events(store)
    assert (event.outcome, event.role) == ("DENIED", "officer")


async def test_a_call_without_a_token_is_refused_and_audited(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    response = await client.post(
        "/ingest/psb.persons", content=PERSONS_CSV, headers={"Content-Type": "text/csv"}
    )

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    [event] = await ingest_events(store)
    assert (event.outcome, event.actor) == ("DENIED", None)
    assert event.reason and event.reason.startswith("unauthenticated")


async def test_a_declared_body_over_the_limit_is_refused_with_413(
    client: httpx.AsyncClient, store: GraphStore, settings: Settings
) -> None:
    response = await client.post(
        "/ingest/psb.persons",
        content=b"x" * (LIMIT + 1),
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )

    assert response.status_code == 413
    assert response.json() == {"error": "the request body is larger than the limit of 4 KiB"}
    assert uploads_left(settings) == []


async def test_a_streamed_body_over_the_limit_is_cut_off_audited_and_discarded(
    client: httpx.AsyncClient, store: GraphStore, settings: Settings
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"id_number,name\n"
        for _ in range(10):
            yield b"x" * 1000

    response = await client.post(
        "/ingest/psb.persons",
        content=chunks(),
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )

    assert response.status_code == 413
    [event] = await ingest_events(store)
    assert (event.outcome, event.reason) == (
        "DENIED",
        "the request body is larger than the limit of 4 KiB",
    )
    assert uploads_left(settings) == []


async def test_an_unsupported_content_type_is_refused_with_415(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    response = await client.post(
        "/ingest/psb.persons",
        content=PERSONS_CSV,
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "application/pdf"},
    )

    assert response.status_code == 415
    assert "text/csv" in response.json()["error"]
    [event] = await ingest_events(store)
    assert event.outcome == "ERROR"


async def test_a_file_refused_whole_answers_400_with_the_reason(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    response = await client.post(
        "/ingest/psb.persons",
        content=b"name,gender\n\xe5\xbc\xa0\xe4\xb8\x89,M\n",
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )

    assert response.status_code == 400
    assert "id_number" in response.json()["reason_en"]
    [event] = await ingest_events(store)
    assert event.outcome == "ERROR" and event.reason and "id_number" in event.reason


async def test_json_lines_and_a_declared_charset_are_understood(
    client: httpx.AsyncClient,
) -> None:
    gb18030 = PERSONS_CSV.decode().encode("gb18030")
    csv = await client.post(
        "/ingest/psb.persons",
        content=gb18030,
        headers=bearer("department", "psb-sys", "psb")
        | {"Content-Type": "text/csv; charset=GB18030"},
    )
    jsonl = await client.post(
        "/ingest/psb.persons",
        content=f'{{"id_number": "{PERSON}", "name": "张三"}}\n'.encode(),
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "application/x-ndjson"},
    )

    assert csv.status_code == 200 and csv.json()["rows_accepted"] == 1
    assert jsonl.status_code == 200 and jsonl.json()["rows_accepted"] == 1


async def test_a_subject_that_keeps_calling_is_rate_limited(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    headers = bearer("department", "bank-sys", "bank") | {"Content-Type": "text/csv"}
    statuses: list[int] = []
    # Call until refused: how many calls that takes depends on how fast this machine
    # answers (the bucket refills meanwhile), so bound the count, not the timing.
    while len(statuses) < 400 and 429 not in statuses:
        response = await client.post("/ingest/psb.persons", content=b"", headers=headers)
        statuses.append(response.status_code)

    assert statuses[-1] == 429, statuses
    assert set(statuses[:-1]) == {403}
    assert int(response.headers["Retry-After"]) >= 1
    denied = await AuditLog(store.audit_store()).events(
        AuditFilter(operation="ingest", outcome="DENIED"), first=200, after=None
    )
    assert len(denied.events) == min(len(statuses), 200)
