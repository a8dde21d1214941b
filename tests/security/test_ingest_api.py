"""POST /ingest/{dataset}: who may publish what, size limits, and the audit of every call."""

from __future__ import annotations

import asyncio
import io
import os
import sys
import time
import zipfile
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.ingest_api import XLSX_TYPE
from hub.security.audit import AuditEvent, AuditFilter, AuditLog, AuditRecord, AuditWriteError
from hub.settings import Settings
from hub.store import GraphStore
from schema.identifiers import make_id_number
from tests.security.support import OFFICER, app_client, bearer, with_test_secret

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


async def ingest_events(store: GraphStore, operation: str = "ingest") -> list[AuditEvent]:
    audit = AuditLog(store.audit_store())  # where the app writes it
    page = await audit.events(AuditFilter(operation=operation), first=50, after=None)
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
    [attempt] = await ingest_events(store)  # before anything was written
    assert (attempt.outcome, attempt.actor, attempt.department) == ("ALLOWED", "psb-sys", "psb")
    assert (attempt.dataset, attempt.result_count) == ("psb.persons", 0)
    assert attempt.request_id == response.headers["X-Request-ID"] == report["request_id"]
    assert attempt.client_address == "10.0.0.7"
    [result] = await ingest_events(store, "ingestResult")  # how it ended, the same request
    assert (result.outcome, result.result_count, result.request_id) == (
        "ALLOWED",
        1,
        attempt.request_id,
    )
    assert result.seq > attempt.seq and result.actor == "psb-sys"
    assert uploads_left(settings) == []


async def test_an_auditor_sees_which_dataset_an_ingest_published(
    client: httpx.AsyncClient,
) -> None:
    await client.post(
        "/ingest/psb.persons",
        content=PERSONS_CSV,
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )
    query = (
        '{ auditEvents(filter: {operation: "ingest"}) { edges { node { operation dataset } } } }'
    )

    answer = await client.post("/graphql", json={"query": query}, headers=bearer("auditor"))

    edges = answer.json()["data"]["auditEvents"]["edges"]
    assert [edge["node"] for edge in edges] == [{"operation": "ingest", "dataset": "psb.persons"}]


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
    assert event.reason and event.reason.startswith("UNAUTHENTICATED")


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


# --- issue 12 (4, 6, rejects download) and issue 13 (3) ---------------------------------------

OTHER = make_id_number("220821", date(1979, 4, 1), 13, "F")
WITH_A_BAD_ROW = f"id_number,name\n{PERSON},张三\n{PERSON[:-1]}Z,李四\n".encode()


def app_of(client: httpx.AsyncClient) -> Any:
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    return transport.app


class RefusingAudit(AuditLog):
    """The real log, except that it refuses the record of an ingest's attempt."""

    async def append(self, record: AuditRecord) -> AuditEvent:
        if record.operation == "ingest" and record.outcome == "ALLOWED":
            raise AuditWriteError("the audit log could not be written")
        return await super().append(record)


async def test_an_ingest_whose_attempt_cannot_be_recorded_writes_nothing(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    app_of(client).state.audit = RefusingAudit(store.audit_store())

    response = await client.post(
        "/ingest/psb.persons",
        content=PERSONS_CSV,
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )

    assert response.status_code == 500
    assert "audit log" in response.json()["error"]
    assert await store.read("test_nodes") == []  # not a row, not a run report


async def test_a_department_downloads_the_rejects_of_its_own_run_only(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    posted = await client.post(
        "/ingest/psb.persons",
        content=WITH_A_BAD_ROW,
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )
    url = posted.json()["rejects_file"]
    assert url == f"/ingest/runs/{posted.json()['run_id']}/rejects"

    own = await client.get(url, headers=bearer("department", "psb-sys", "psb"))
    admin = await client.get(url, headers=bearer("admin", "root"))
    other = await client.get(url, headers=bearer("department", "bank-sys", "bank"))
    officer = await client.get(url, headers=bearer("officer"))
    nobody = await client.get(url)
    unknown = await client.get(
        "/ingest/runs/nope/rejects", headers=bearer("department", "psb-sys", "psb")
    )

    assert own.status_code == 200 and own.headers["content-type"].startswith("text/csv")
    lines = own.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "id_number,name,line,column,reason" and lines[1].startswith(PERSON[:-1])
    assert admin.status_code == 200 and admin.content == own.content
    assert (other.status_code, officer.status_code, nobody.status_code) == (403, 403, 401)
    assert "its own runs only" in other.json()["error"]
    assert unknown.status_code == 404
    events = await ingest_events(store, "ingestRejects")
    assert [(e.outcome, e.actor) for e in reversed(events)] == [
        ("ALLOWED", "psb-sys"),
        ("ALLOWED", "root"),
        ("DENIED", "bank-sys"),
        ("DENIED", OFFICER),
        ("DENIED", None),
        ("ERROR", "psb-sys"),
    ]
    assert events[-1].dataset == "psb.persons" and events[-1].result_count == 1


async def test_a_form_upload_is_accepted_and_its_part_decides_the_format(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    headers = bearer("department", "psb-sys", "psb")
    csv = await client.post(
        "/ingest/psb.persons",
        files={"file": ("户籍.csv", PERSONS_CSV, "text/csv")},
        data={"note": "ignored"},
        headers=headers,
    )
    # What a browser sends for a file it has no type for: the name decides.
    jsonl = await client.post(
        "/ingest/psb.persons",
        files={"file": ("p.jsonl", f'{{"id_number": "{OTHER}", "name": "李四"}}\n'.encode())},
        headers=headers,
    )
    gb18030 = await client.post(
        "/ingest/psb.persons",
        files={
            "file": ("p.txt", PERSONS_CSV.decode().encode("gb18030"), "text/csv; charset=gb18030")
        },
        headers=headers,
    )
    no_file = await client.post(
        "/ingest/psb.persons", data={"x": "1"}, files={"other": ("a.csv", b"x")}, headers=headers
    )
    unknown = await client.post(
        "/ingest/psb.persons",
        files={"file": ("p.pdf", b"%PDF", "application/pdf")},
        headers=headers,
    )

    assert csv.status_code == 200, csv.text
    assert (csv.json()["file_name"], csv.json()["format"], csv.json()["rows_accepted"]) == (
        "户籍.csv",
        "csv",
        1,
    )
    assert jsonl.status_code == 200 and jsonl.json()["format"] == "jsonl"
    assert jsonl.json()["created"] == 1
    assert gb18030.status_code == 200 and gb18030.json()["encoding"] == "gb18030"
    assert no_file.status_code == 400 and "field named 'file'" in no_file.json()["error"]
    assert unknown.status_code == 415 and "application/pdf" in unknown.json()["error"]
    assert uploads_left(settings) == []


async def test_a_charset_that_is_no_text_encoding_is_refused_with_400(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    response = await client.post(
        "/ingest/psb.persons",
        content=PERSONS_CSV,
        headers=bearer("department", "psb-sys", "psb")
        | {"Content-Type": "text/csv; charset=base64"},
    )

    assert response.status_code == 400, response.text
    assert response.json()["reason_en"] == (
        "unknown encoding 'base64', or not a text encoding; use one such as utf-8 or gb18030"
    )


def xlsx_with_a_broken_sheet(rows: int, keep: float) -> bytes:
    """An XLSX file of psb.persons whose sheet XML ends part of the way through."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id_number", "name"])
    for n in range(rows):
        sheet.append([make_id_number("220821", date(1950, 1, 1) + timedelta(days=n), 1, "M"), "某"])
    whole, broken = io.BytesIO(), io.BytesIO()
    book.save(whole)
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: int(len(data) * keep)]
            target.writestr(item, data)
    return broken.getvalue()


async def test_a_malformed_xlsx_sheet_is_answered_400_with_the_reason(
    settings: Settings, store: GraphStore
) -> None:
    headers = bearer("department", "psb-sys", "psb") | {"Content-Type": XLSX_TYPE}
    roomy = settings.model_copy(update={"max_ingest_bytes": 1 << 24})
    async with app_client(roomy, store) as client:
        early = await client.post(
            "/ingest/psb.persons", content=xlsx_with_a_broken_sheet(3, 0.1), headers=headers
        )
        late = await client.post(
            "/ingest/psb.persons", content=xlsx_with_a_broken_sheet(3000, 0.6), headers=headers
        )

    assert early.status_code == 400, early.text
    assert "cannot be read as XLSX" in early.json()["reason_en"]
    assert late.status_code == 400, late.text
    assert "cannot be read after line" in late.json()["reason_en"]
    run = late.json()["run"]  # what was loaded before the break
    assert run["status"] == "failed" and 0 < run["rows_read"] < 3000
    persons = [row for row in await store.read("test_nodes") if "Person" in row["labels"]]
    assert len(persons) == run["rows_accepted"]


async def test_a_very_long_dataset_name_is_cut_in_the_answer_and_the_record(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    response = await client.post(
        "/ingest/" + "x" * 5000,
        content=PERSONS_CSV,
        headers=bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"},
    )

    assert response.status_code == 403
    assert len(response.json()["error"]) < 400
    [event] = await ingest_events(store)
    assert event.dataset is not None and len(event.dataset) <= 100
    assert event.reason is not None and len(event.reason) < 400


async def test_a_nul_in_the_file_name_or_a_header_still_records_the_run(
    client: httpx.AsyncClient, store: GraphStore
) -> None:
    headers = bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"}
    named = await client.post(
        "/ingest/psb.persons?filename=a%00b.csv", content=PERSONS_CSV, headers=headers
    )
    header = await client.post(
        "/ingest/psb.persons",
        content=f"id_number,name,me\x00mo\n{OTHER},李四,x\n".encode(),
        headers=headers,
    )
    runs = await client.post(
        "/graphql",
        json={"query": "{ connectorRuns { fileName status ignoredColumns } }"},
        headers=bearer("admin", "root"),
    )

    assert named.status_code == 200, named.text
    assert header.status_code == 200, header.text
    assert "errors" not in runs.json(), runs.json()
    listed = runs.json()["data"]["connectorRuns"]
    assert [run["status"] for run in listed] == ["completed", "completed"]
    assert listed[1]["fileName"] == "a\ufffdb.csv"
    assert listed[0]["ignoredColumns"] == ["me\ufffdmo"]


async def test_start_up_removes_stray_uploads_but_not_one_a_live_process_holds(
    settings: Settings, store: GraphStore
) -> None:
    folder = settings.data_dir / "uploads"
    folder.mkdir(parents=True)
    stray, held = folder / "tmpa.csv", folder / "tmpb.upload"
    new, old_new = folder / ".new-tmpc.upload", folder / ".new-tmpd.upload"
    for path in (stray, held, new, old_new):
        path.write_bytes(b"id_number,name\n")
    hour_ago = time.time() - 3600
    os.utime(old_new, (hour_ago, hour_ago))
    holder = await asyncio.create_subprocess_exec(  # another hub, receiving `held` right now
        sys.executable, "-c", HOLD_LOCK, str(held), stdout=asyncio.subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and (await holder.stdout.readline()).strip() == b"locked"
        async with app_client(settings, store):
            pass
        assert sorted(p.name for p in folder.iterdir()) == [".new-tmpc.upload", "tmpb.upload"]
    finally:
        holder.kill()
        await holder.wait()


HOLD_LOCK = """
import fcntl, sys, time
handle = open(sys.argv[1], "rb")
fcntl.flock(handle, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""
