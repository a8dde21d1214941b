"""A run whose process is killed (kill -9) leaves its report and the record of the attempt;
sending the file again completes it."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import os
import re
import signal
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from connectors import RunReport, list_runs
from hub.security.audit import AuditEvent, AuditFilter, AuditLog
from hub.settings import Settings
from hub.store import GraphStore
from schema.identifiers import make_id_number
from tests.security.support import TEST_SECRET, app_client, bearer, with_test_secret
from tests.serving import free_port

ROWS = 30_000  # six batches of 5,000: enough to be killed between two


def big_persons_file(path: Path) -> Path:
    lines = ["id_number,name,gender"]
    for n in range(ROWS):
        born = date(1940, 1, 1) + timedelta(days=n % 20_000)
        lines.append(f"{make_id_number('220821', born, n // 20_000, 'M')},人{n},男")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str, store: GraphStore
) -> Settings:
    if store.engine != "falkordb":
        pytest.skip("kills hub processes attached to the session's embedded store")
    return with_test_secret(settings_for(engine, graph_name))


def hub_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    return env | {
        "HUB_GRAPH_URI": "embedded",
        "HUB_DATA_DIR": str(settings.data_dir),
        "HUB_GRAPH_DATABASE": settings.graph_name,
        "HUB_SECRET_KEY": TEST_SECRET,
    }


async def start_hub(
    settings: Settings, *args: str, env: dict[str, str] | None = None
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from hub.cli import app; app()",
        *args,
        env=hub_env(settings) | (env or {}),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def run_hub(settings: Settings, *args: str) -> tuple[int, str]:
    """Run `hub ARGS`; its exit code and standard output (the log goes to standard error)."""
    process = await start_hub(settings, *args)
    out, err = await asyncio.wait_for(process.communicate(), 300)
    assert process.returncode is not None
    assert process.returncode == 0, err.decode()[-3000:]
    return process.returncode, out.decode()


async def a_batch_written(store: GraphStore, process: asyncio.subprocess.Process) -> RunReport:
    """The run of `process` once it recorded its first batch (and is still running)."""
    for _ in range(1200):
        runs = await list_runs(store, None, 5)
        if runs and runs[0].status == "running" and runs[0].created:
            return runs[0]
        assert process.returncode is None, "the hub ended before it could be killed"
        await asyncio.sleep(0.05)
    raise AssertionError("no batch was recorded within a minute")


async def events(store: GraphStore, operation: str) -> list[AuditEvent]:
    page = await AuditLog(store.audit_store()).events(
        AuditFilter(operation=operation), first=50, after=None
    )
    return list(page.events)


async def persons(store: GraphStore) -> int:
    rows = await store.read("test_nodes")
    return sum("Person" in row["labels"] for row in rows)


async def test_a_killed_hub_ingest_reads_as_interrupted_and_sending_again_completes(
    settings: Settings, store: GraphStore, tmp_path: Path
) -> None:
    path = await asyncio.to_thread(big_persons_file, tmp_path / "persons.csv")
    process = await start_hub(settings, "ingest", "psb.persons", str(path))
    running = await a_batch_written(store, process)
    process.send_signal(signal.SIGKILL)
    await process.wait()

    code, listed = await run_hub(settings, "runs", "--json")
    assert code == 0, listed
    [killed] = json.loads(listed)
    assert (killed["run_id"], killed["status"]) == (running.run_id, "interrupted")
    assert 0 < killed["created"] < ROWS and killed["rows_read"] >= killed["created"]
    assert "killed or crashed" in killed["error"]
    saved = settings.data_dir / "runs" / running.run_id / "report.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["status"] == "running"
    [attempt] = await events(store, "ingest")
    assert (attempt.outcome, attempt.actor, attempt.role) == (
        "ALLOWED",
        f"cli:{getpass.getuser()}",
        "operator",
    )
    assert (attempt.dataset, attempt.request_id) == ("psb.persons", running.request_id)
    assert await events(store, "ingestResult") == []

    code, output = await run_hub(settings, "ingest", "psb.persons", str(path), "--json")

    assert code == 0, output
    again = json.loads(output)
    assert again["status"] == "completed"
    assert again["created"] + again["updated"] + again["unchanged"] == ROWS
    assert again["created"] == ROWS - killed["created"] or again["created"] < ROWS
    assert await persons(store) == ROWS
    runs = {run.run_id: run for run in await list_runs(store, None, 5)}
    assert runs[running.run_id].status == "interrupted"  # now recorded so
    assert json.loads(saved.read_text(encoding="utf-8"))["status"] == "interrupted"
    results = {event.request_id: event for event in await events(store, "ingestResult")}
    assert running.request_id is not None
    assert results[running.request_id].outcome == "ERROR"
    assert results[again["request_id"]].outcome == "ALLOWED"
    assert results[again["request_id"]].result_count == ROWS


async def test_stored_times_and_log_lines_are_utc_and_what_a_person_reads_is_local(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "p.csv"
    path.write_text(f"id_number,name\n{make_id_number('220821', date(1980, 1, 1), 1, 'M')},张三\n")
    china = {"TZ": "Asia/Shanghai"}
    loading = await start_hub(settings, "ingest", "psb.persons", str(path), "--json", env=china)
    out, err = await loading.communicate()
    listing = await start_hub(settings, "runs", env=china)
    listed, _ = await listing.communicate()

    report = json.loads(out)
    assert report["started_at"].endswith("+00:00") and report["finished_at"].endswith("+00:00")
    log_lines = err.decode().splitlines()
    assert log_lines and all(
        re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 ", line) for line in log_lines
    ), log_lines
    assert "+08:00" in listed.decode()  # hub runs, for a person: the machine's local time


async def test_a_server_killed_during_an_upload_leaves_a_trace_that_start_up_cleans(
    settings: Settings, store: GraphStore, tmp_path: Path
) -> None:
    path = await asyncio.to_thread(big_persons_file, tmp_path / "persons.csv")
    port = free_port()
    server = await start_hub(settings, "serve", "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        for _ in range(600):
            with_answer = None
            with contextlib.suppress(httpx.TransportError):
                with_answer = await client.get("/readyz")
            if with_answer is not None and with_answer.status_code == 200:
                break
            assert server.returncode is None
            await asyncio.sleep(0.1)
        headers = bearer("department", "psb-sys", "psb") | {"Content-Type": "text/csv"}
        posting = asyncio.create_task(
            client.post("/ingest/psb.persons", content=path.read_bytes(), headers=headers)
        )
        running = await a_batch_written(store, server)
        server.send_signal(signal.SIGKILL)
        await server.wait()
        with pytest.raises(httpx.TransportError):
            await posting

    uploads = settings.data_dir / "uploads"
    assert [p.name for p in uploads.iterdir()]  # the stray upload is there
    [attempt] = await events(store, "ingest")
    assert (attempt.outcome, attempt.actor) == ("ALLOWED", "psb-sys")
    [seen] = await list_runs(store, None, 5)
    assert (seen.run_id, seen.status) == (running.run_id, "interrupted")

    async with app_client(settings, store):  # the next start of the hub
        pass

    assert list(uploads.iterdir()) == []
    [result] = await events(store, "ingestResult")
    assert (result.outcome, result.request_id) == ("ERROR", attempt.request_id)
    assert 0 < result.result_count < ROWS
    [stored] = await store.read("connector_run", {"run_id": running.run_id})
    assert stored["run"]["status"] == "interrupted"
