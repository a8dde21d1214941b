"""POST /ingest/{dataset} when things go wrong: a body that is no usable form or is cut off
(400), the graph store failing or down (503, Retry-After when it says when), an unexpected
error (500, its text nowhere), the rejects download with the store failing; and an XLSX
file over HTTP. Each answer is checked with its audit record and the upload removed."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook
from starlette.types import Message

from connectors import writer
from connectors.report import GET_QUERY, RECORD_QUERY
from hub import ingest_api
from hub.ingest_api import XLSX_TYPE
from hub.security.audit import AuditEvent, AuditFilter, AuditLog
from hub.settings import Settings
from hub.store import StoreError, StoreUnavailable
from hub.store.embedded import EmbeddedServer
from schema.identifiers import make_id_number
from tests.faults import SECRET, FaultyStore, PrivateApp, faulty_graph, private_app
from tests.security.support import bearer, with_test_secret

PERSON = make_id_number("220821", date(1983, 9, 9), 17, "F")
PERSONS_CSV = f"id_number,name\n{PERSON},王芳\n".encode()
PERSONS_QUERY = "ingest_psb_persons"
PSB = bearer("department", "psb-sys", "psb")
CSV = PSB | {"Content-Type": "text/csv"}


@pytest.fixture
async def store(embedded_server: EmbeddedServer, graph_name: str) -> AsyncIterator[FaultyStore]:
    async with faulty_graph(embedded_server, graph_name) as store:
        yield store


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], graph_name: str, tmp_path: Path
) -> Settings:
    return with_test_secret(settings_for("falkordb", graph_name), data_dir=tmp_path)


@pytest.fixture
async def client(
    settings: Settings, store: FaultyStore, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setattr(writer, "RETRY_DELAYS_S", (0.0,))  # one retry, no waiting
    async with private_app(settings, store) as app, app.client() as client:
        yield client


@pytest.fixture
async def hub(settings: Settings, store: FaultyStore) -> AsyncIterator[PrivateApp]:
    async with private_app(settings, store) as app:
        yield app


async def records(store: FaultyStore, operation: str) -> list[AuditEvent]:
    page = await AuditLog(store.audit_store()).events(
        AuditFilter(operation=operation), first=20, after=None
    )
    return list(page.events)


async def ended(store: FaultyStore) -> tuple[str, str | None]:
    """How the one admitted call ended, as its last audit record says."""
    events = await records(store, "ingestResult") or await records(store, "ingest")
    return events[0].outcome, events[0].reason


async def run_of(store: FaultyStore, run_id: str) -> str | None:
    """The status the store holds for run `run_id` (as recorded, not as listed)."""
    rows = await store.read(GET_QUERY, {"run_id": run_id})
    return rows[0]["run"]["status"] if rows else None


def uploads_left(settings: Settings) -> list[Path]:
    folder = settings.data_dir / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


def xlsx(*rows: list[Any]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- 400: the body ------------------------------------------------------------------------------


async def test_a_form_without_its_boundary_is_400(
    client: httpx.AsyncClient, store: FaultyStore, settings: Settings
) -> None:
    response = await client.post(
        "/ingest/psb.persons",
        content=b"--x\r\n",
        headers=PSB | {"Content-Type": "multipart/form-data"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "a multipart/form-data body needs the boundary in its content type"
    }
    assert await ended(store) == (
        "ERROR",
        "a multipart/form-data body needs the boundary in its content type",
    )
    assert uploads_left(settings) == []


async def test_a_form_that_cannot_be_parsed_is_400_saying_so(
    client: httpx.AsyncClient, store: FaultyStore
) -> None:
    response = await client.post(
        "/ingest/psb.persons",
        content=b"--b\r\nnot a header line\r\n\r\n",
        headers=PSB | {"Content-Type": "multipart/form-data; boundary=b"},
    )

    assert response.status_code == 400, response.text
    assert response.json()["error"].startswith("the multipart body cannot be read: ")
    outcome, reason = await ended(store)
    assert outcome == "ERROR" and (reason or "").startswith("the multipart body cannot be read")


async def test_an_upload_cut_off_by_the_client_is_400_and_loads_nothing(
    hub: PrivateApp, store: FaultyStore, settings: Settings
) -> None:
    sent: list[Message] = []
    arriving: list[Message] = [
        {"type": "http.request", "body": PERSONS_CSV[:10], "more_body": True},
        {"type": "http.disconnect"},  # the client went away mid-upload
    ]
    messages = iter(arriving)

    async def receive() -> Message:
        return next(messages)

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(k.lower().encode(), v.encode()) for k, v in CSV.items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/ingest/psb.persons",
        "raw_path": b"/ingest/psb.persons",
        "query_string": b"",
        "root_path": "",
        "headers": [*headers, (b"host", b"hub.test")],
        "client": ("10.0.0.7", 50000),
        "server": ("hub.test", 80),
    }
    await hub.app(scope, receive, send)

    [start] = [m for m in sent if m["type"] == "http.response.start"]
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert start["status"] == 400
    assert body == b'{"error":"the upload was cut off"}'
    assert await ended(store) == ("ERROR", "upload cut off")
    assert store.calls.get(PERSONS_QUERY) is None
    assert uploads_left(settings) == []


# --- 503 and 500: the store and the unexpected --------------------------------------------------


async def test_a_store_that_fails_while_loading_is_503(
    client: httpx.AsyncClient, store: FaultyStore, settings: Settings
) -> None:
    store.fail(PERSONS_QUERY, StoreError("FalkorDB query failed: out of memory"))

    response = await client.post("/ingest/psb.persons", content=PERSONS_CSV, headers=CSV)

    assert response.status_code == 503
    assert response.json() == {
        "error": "the graph store failed while loading; send the file again once it is back"
    }
    assert "Retry-After" not in response.headers
    assert await ended(store) == ("ERROR", "graph store failed")
    assert uploads_left(settings) == []


async def test_a_store_that_is_down_is_503_with_retry_after(
    client: httpx.AsyncClient, store: FaultyStore
) -> None:
    store.fail(PERSONS_QUERY, StoreUnavailable("restarting", retry_after=4.2))

    response = await client.post("/ingest/psb.persons", content=PERSONS_CSV, headers=CSV)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.json()
    assert body["error"] == (
        "the graph store is restarting or unreachable; try again in 5 s "
        "(sending the same file again completes a run that stopped)"
    )
    # How far the run got: it read the row and wrote nothing.
    assert body["run"]["status"] == "failed"
    assert (body["run"]["rows_read"], body["run"]["created"]) == (1, 0)
    assert "restarting" in body["run"]["error"]
    assert await ended(store) == ("ERROR", "graph store unavailable")


async def test_a_run_cut_short_by_the_store_is_recorded_as_failed_once_it_is_back(
    client: httpx.AsyncClient, store: FaultyStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_api, "STORE_RETRY_AFTER_S", 0.05)
    down = StoreUnavailable("restarting", retry_after=4.2)
    store.fail(PERSONS_QUERY, down)
    store.fail(RECORD_QUERY, down)  # nor can the run's end be recorded yet

    response = await client.post("/ingest/psb.persons", content=PERSONS_CSV, headers=CSV)
    cut = response.json()["run"]["run_id"]
    assert await run_of(store, cut) is None  # not even its start could be recorded
    store.heal()

    for _ in range(200):
        if await run_of(store, cut) is not None:
            break
        await asyncio.sleep(0.05)
    assert await run_of(store, cut) == "failed"


async def test_an_unexpected_error_is_500_and_its_text_stays_out_of_answer_and_log(
    client: httpx.AsyncClient,
    store: FaultyStore,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store.fail(PERSONS_QUERY, RuntimeError(SECRET))
    caplog.set_level(logging.INFO)

    response = await client.post("/ingest/psb.persons", content=PERSONS_CSV, headers=CSV)

    assert response.status_code == 500
    assert response.json() == {"error": "the file could not be loaded"}
    request_id = response.headers["X-Request-ID"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"ingest psb.persons (request {request_id}) failed with RuntimeError at" in logged
    assert SECRET not in logged and SECRET not in response.text
    assert await ended(store) == ("ERROR", "internal error")
    assert uploads_left(settings) == []


async def test_the_rejects_of_a_run_with_the_store_failing_or_down_are_503(
    client: httpx.AsyncClient, store: FaultyStore
) -> None:
    store.fail("connector_run", StoreError("FalkorDB query failed: out of memory"))
    failing = await client.get("/ingest/runs/20260101T000000.000000Z-abcdef/rejects", headers=PSB)
    store.fail("connector_run", StoreUnavailable("restarting", retry_after=1.5))
    down = await client.get("/ingest/runs/20260101T000000.000000Z-abcdef/rejects", headers=PSB)

    assert failing.status_code == 503
    assert failing.json() == {"error": "the graph store is unavailable; try again"}
    assert "Retry-After" not in failing.headers
    assert (down.status_code, down.headers["Retry-After"]) == (503, "2")
    reasons = [(e.outcome, e.reason) for e in await records(store, "ingestRejects")]
    assert reasons == [("ERROR", "graph store unavailable"), ("ERROR", "graph store failed")]


# --- XLSX over HTTP -----------------------------------------------------------------------------


async def test_an_xlsx_file_is_loaded_over_http_as_body_or_form(
    client: httpx.AsyncClient, store: FaultyStore, settings: Settings
) -> None:
    other = make_id_number("220821", date(1990, 1, 2), 33, "M")
    book = xlsx(["id_number", "name", "gender"], [PERSON, "王芳", "女"], [other, "赵强", "M"])

    body = await client.post(
        "/ingest/psb.persons?filename=户籍.xlsx",
        content=book,
        headers=PSB | {"Content-Type": XLSX_TYPE},
    )
    form = await client.post(
        "/ingest/psb.persons",
        files={"file": ("户籍2.xlsx", book, "application/octet-stream")},  # the name decides
        headers=PSB,
    )

    assert body.status_code == 200, body.text
    first = body.json()
    assert (first["format"], first["encoding"], first["file_name"]) == ("xlsx", None, "户籍.xlsx")
    assert (first["rows_read"], first["rows_accepted"], first["created"]) == (2, 2, 2)
    assert form.status_code == 200, form.text
    again = form.json()
    assert (again["format"], again["file_name"], again["unchanged"]) == ("xlsx", "户籍2.xlsx", 2)
    rows = await store.read("person_by_id", {"id": other, "max_items": 5})
    assert (rows[0]["person"]["name"], rows[0]["person"]["gender"]) == ("赵强", "M")
    assert uploads_left(settings) == []
