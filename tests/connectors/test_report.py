"""Run reports are kept in the graph and beside the rejects, and can be listed."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path

from connectors import list_runs
from hub.store import GraphStore
from schema.departments import Department
from tests.connectors.conftest import Load
from tests.connectors.helpers import csv_text, person_id

ICBC = Department("icbc", "bank", "工商银行")
ACCOUNT = csv_text(
    "bank_code,account_number,holder_id,balance,balance_as_of,memo",
    f"ICBC,1,{person_id(1)},1,2024-01-01,x",
)


async def test_runs_are_listed_newest_first_and_by_department(
    store: GraphStore, load: Load
) -> None:
    persons = await load("psb.persons", f"id_number,name\n{person_id(1)},张三\n{person_id(2)}\n")
    accounts = await load("bank.accounts", ACCOUNT, department=ICBC)
    again = await load("bank.accounts", ACCOUNT, department=ICBC)

    newest = await list_runs(store, None, 2)
    assert [run.run_id for run in newest] == [again.run_id, accounts.run_id]
    listed = {run.run_id: run for run in await list_runs(store, None, 10)}
    assert listed.keys() == {persons.run_id, accounts.run_id, again.run_id}
    psb_run = listed[persons.run_id]
    assert (psb_run.rows_read, psb_run.rows_accepted, psb_run.rows_rejected) == (2, 1, 1)
    assert psb_run.rejects == [] and psb_run.rejects_file == persons.rejects_file
    assert psb_run.sha256 == persons.sha256 and len(psb_run.sha256) == 64
    assert psb_run.started_at == persons.started_at and psb_run.finished_at
    assert psb_run.department == "psb" and psb_run.dataset == "psb.persons"
    assert listed[again.run_id].ignored_columns == ["memo"]
    assert (listed[again.run_id].unchanged, listed[again.run_id].created) == (1, 0)
    assert [run.run_id for run in await list_runs(store, "icbc", 10)] == [
        again.run_id,
        accounts.run_id,
    ]
    assert await list_runs(store, "nobody", 10) == []


async def test_the_report_is_saved_beside_the_rejects(load: Load, runs_dir: Path) -> None:
    content = f"id_number,name\n{person_id(1)},张三\n"
    report = await load("psb.persons", content)

    folder = runs_dir / "runs" / report.run_id
    saved = json.loads((folder / "report.json").read_text("utf-8"))
    times = {key: saved.pop(key) for key in ("started_at", "finished_at", "updated_at")}
    duration, boot_id, pid_started = (
        saved.pop(k) for k in ("duration_s", "boot_id", "pid_started")
    )
    assert saved == {
        "run_id": report.run_id,
        "dataset": "psb.persons",
        "department": "psb",
        "file_name": "0-psb.persons.csv",
        "format": "csv",
        "encoding": "utf-8",
        "sha256": hashlib.sha256(content.encode("utf-8")).hexdigest(),
        "status": "completed",
        "rows_read": 1,
        "rows_accepted": 1,
        "rows_rejected": 0,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "parties_created": 1,
        "ignored_columns": [],
        "rejects_file": None,  # nothing rejected, no rejects.csv
        "error": None,
        "host": socket.gethostname(),
        "pid": os.getpid(),  # the run was this process's
        "request_id": None,
        "rejects": [],
    }
    assert all(datetime.fromisoformat(t).utcoffset() == timedelta(0) for t in times.values())
    assert times["started_at"] <= times["finished_at"] <= times["updated_at"]
    assert 0 <= duration < 60 and pid_started and boot_id is not None
    assert [path.name for path in folder.iterdir()] == ["report.json"]


async def test_an_xlsx_run_and_a_run_stored_with_few_fields_read_back(
    store: GraphStore, load: Load, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id_number", "name"])
    sheet.append([person_id(1), "张三"])
    path = tmp_path / "persons.xlsx"
    book.save(path)
    xlsx = await load("psb.persons", path)
    # A run as another version may have stored it: its key and little else.
    await store.write("ingest_run_record", {"run": {"run_id": "0-old", "started_at": "x"}})

    [listed, old] = await list_runs(store, None, 10)

    assert (listed.run_id, listed.format, listed.encoding) == (xlsx.run_id, "xlsx", None)
    assert (listed.status, listed.rows_accepted) == ("completed", 1)
    assert (old.run_id, old.dataset, old.status, old.rows_read) == ("0-old", "", "completed", 0)


async def test_run_times_are_utc_with_their_offset(load: Load) -> None:
    report = await load("psb.persons", f"id_number,name\n{person_id(1)},张三\n")

    assert report.started_at.endswith("+00:00") and report.finished_at
    assert report.finished_at.endswith("+00:00")
    assert report.run_id.split("-")[0].endswith("Z")
