"""The ingest door through the gate (issue 13, items 2, 8, 9): every request to /ingest
leaves its records (one; two for a call that started a run), also when refused before the
door (a declared body over the limit), and none is answered unrecorded."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from hub.queries import load_queries
from hub.security.audit import AuditEvent, AuditFilter, AuditLog
from hub.settings import Settings
from hub.store import GraphStore
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from schema.identifiers import make_id_number
from tests.security.support import app_client, bearer, with_test_secret

PERSON = make_id_number("220821", date(1978, 3, 14), 12, "M")
PERSONS_CSV = f"id_number,name\n{PERSON},张三\n".encode()
LIMIT = 4096
PSB = bearer("department", "psb-sys", "psb")


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


async def records(store: GraphStore) -> list[AuditEvent]:
    page = await AuditLog(store.audit_store()).events(AuditFilter(), first=200, after=None)
    return list(reversed(page.events))


async def streamed() -> AsyncIterator[bytes]:
    yield b"id_number,name\n"
    for _ in range(10):
        yield b"x" * 1000


async def test_every_ingest_request_leaves_its_records(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    csv = {"Content-Type": "text/csv"}
    # (what, response, records it leaves: operation and outcome, in order)
    sent = [
        ("no token", await client.post("/ingest/psb.persons", content=PERSONS_CSV, headers=csv)),
        (
            "officer",
            await client.post(
                "/ingest/psb.persons", content=PERSONS_CSV, headers=bearer("officer") | csv
            ),
        ),
        (
            "another kind's dataset",
            await client.post("/ingest/bank.accounts", content=b"x", headers=PSB | csv),
        ),
        (
            "415",
            await client.post(
                "/ingest/psb.persons",
                content=PERSONS_CSV,
                headers=PSB | {"Content-Type": "application/pdf"},
            ),
        ),
        (
            "declared over the limit",
            await client.post("/ingest/psb.persons", content=b"x" * (LIMIT + 1), headers=PSB | csv),
        ),
        (
            "streamed over the limit",
            await client.post("/ingest/psb.persons", content=streamed(), headers=PSB | csv),
        ),
        (
            "multipart without a boundary",
            await client.post(
                "/ingest/psb.persons",
                content=b"x",
                headers=PSB | {"Content-Type": "multipart/form-data"},
            ),
        ),
        (
            "loaded",
            await client.post("/ingest/psb.persons", content=PERSONS_CSV, headers=PSB | csv),
        ),
        ("rejects, no token", await client.get("/ingest/runs/nope/rejects")),
        ("rejects, no such run", await client.get("/ingest/runs/nope/rejects", headers=PSB)),
    ]
    expected = {
        "no token": [("ingest", "DENIED", 401)],
        "officer": [("ingest", "DENIED", 403)],
        "another kind's dataset": [("ingest", "DENIED", 403)],
        "415": [("ingest", "ERROR", 415)],
        "declared over the limit": [("ingest", "DENIED", 413)],
        "streamed over the limit": [("ingest", "DENIED", 413)],
        "multipart without a boundary": [("ingest", "ERROR", 400)],
        "loaded": [("ingest", "ALLOWED", 200), ("ingestResult", "ALLOWED", 200)],
        "rejects, no token": [("ingestRejects", "DENIED", 401)],
        "rejects, no such run": [("ingestRejects", "ERROR", 404)],
    }

    found = await records(store)
    by_request: dict[str, list[AuditEvent]] = {}
    for event in found:
        by_request.setdefault(event.request_id, []).append(event)
    assert len(found) == sum(len(v) for v in expected.values()), [
        (e.operation, e.outcome, e.reason) for e in found
    ]
    for what, response in sent:
        events = by_request.get(response.headers["X-Request-ID"], [])
        got = [(e.operation, e.outcome, response.status_code) for e in events]
        assert got == expected[what], (what, response.text, [e.reason for e in events])
    declared = by_request[sent[4][1].headers["X-Request-ID"]][0]
    assert declared.actor == "psb-sys" and declared.reason and "413" in declared.reason


@pytest.fixture
def unwritable_audit(
    client: httpx.AsyncClient, embedded_server: EmbeddedServer, engine: str
) -> Iterator[None]:
    """The app's audit log on a key of the real store that is not a graph: appends fail."""
    if engine != "falkordb":
        pytest.skip("the audit log is made to fail on the embedded FalkorDB")
    assert embedded_server.address
    key = f"not_a_graph_{uuid.uuid4().hex[:8]}"
    with embedded_server.address.client() as redis_client:
        redis_client.set(key, "a string, not a graph")
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    transport.app.state.audit = AuditLog(  # type: ignore[attr-defined]
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
        with embedded_server.address.client() as redis_client:
            redis_client.delete(key)


@pytest.mark.usefixtures("unwritable_audit")
async def test_no_ingest_request_is_answered_unrecorded(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    csv = {"Content-Type": "text/csv"}
    loaded = await client.post("/ingest/psb.persons", content=PERSONS_CSV, headers=PSB | csv)
    refused = await client.post("/ingest/bank.accounts", content=b"x", headers=PSB | csv)
    too_large = await client.post(
        "/ingest/psb.persons", content=b"x" * (LIMIT + 1), headers=PSB | csv
    )
    rejects = await client.get("/ingest/runs/nope/rejects", headers=PSB)

    for response in (loaded, refused, too_large, rejects):
        assert response.status_code == 500, response.text
        assert "audit log" in response.json()["error"]
        assert "run_id" not in response.json()
    assert await store.read("test_nodes") == []  # not a row, not a run report
