"""`hub serve` as an operator runs it: bound at once, ready on the embedded store, and back
by itself when the store dies (docs/falkordb.md, "Supervision")."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from schema.identifiers import make_id_number
from tests.serving import free_port

HUB = str(Path(sys.executable).with_name("hub"))


def wait_for(url: str, status: int, timeout: float = 120) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == status:
                return response
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer {status} within {timeout} s")
        time.sleep(0.1)


def hub_env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "HUB_DATA_DIR": str(data_dir), "HUB_GRAPH_URI": "embedded"}


def hub(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HUB, *args], env=hub_env(data_dir), capture_output=True, text=True, timeout=300
    )


def token(data_dir: Path, *args: str) -> str:
    issued = hub(data_dir, "token", "issue", *args)
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip()


def serve(data_dir: Path, *args: str) -> tuple[str, subprocess.Popen[str]]:
    port = free_port()
    process = subprocess.Popen(
        [HUB, "serve", "--port", str(port), *args],
        env=hub_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return f"http://127.0.0.1:{port}", process


def stop(process: subprocess.Popen[str]) -> str:
    """Stop `hub serve` as an operator does (Ctrl-C) and return what it logged."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    return output


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    env = hub_env(tmp_path)
    process = subprocess.Popen(
        [HUB, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", tmp_path, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)


def test_serve_starts_the_embedded_store_and_is_ready(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, data_dir, process = served

    ready = wait_for(f"{base}/readyz", 200)

    assert ready.json() == {"status": "ready", "engine": "falkordb"}
    assert httpx.get(f"{base}/healthz").status_code == 200
    assert "hub_store_queries_total" in httpx.get(f"{base}/metrics").text
    server = json.loads((data_dir / "graph" / "server.json").read_text())
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    with pytest.raises(ProcessLookupError):
        os.kill(server["pid"], 0)  # the store stopped with the hub
    assert not (data_dir / "graph" / "server.json").exists()


MY_CASES = {"query": "{ myCases { caseNumber } }"}


def persons_file(path: Path, rows: int) -> Path:
    """A psb.persons file of `rows` valid, distinct persons."""
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file)
        out.writerow(["id_number", "name", "household_address"])
        for i in range(rows):
            born = date(1950, 1, 1) + timedelta(days=i // 100)
            id_number = make_id_number("220821", born, i % 100, "M" if i % 2 else "F")
            out.writerow([id_number, f"测试{i}", f"吉林省白城市镇赉县测试路{i}号"])
    return path


async def officer(base: str, auth: str, until: asyncio.Event) -> list[httpx.Response]:
    """One officer asking for their cases every 0.3 s (under the rate limit) until `until`."""
    answers = []
    headers = {"Authorization": f"Bearer {auth}"}
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:
        while not until.is_set():
            answers.append(await client.post("/graphql", json=MY_CASES))
            await asyncio.sleep(0.3)
    return answers


def run_status(base: str, auth: str, run_id: str, timeout: float = 60) -> str:
    """The status `connectorRuns` gives run `run_id`, once it is no longer running."""
    query = {"query": "{ connectorRuns(first: 50) { runId status } }"}
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.post(
            f"{base}/graphql", json=query, headers={"Authorization": f"Bearer {auth}"}, timeout=10
        )
        runs: dict[str, str] = {
            run["runId"]: run["status"] for run in answer.json()["data"]["connectorRuns"]
        }
        if runs.get(run_id, "running") != "running" or time.monotonic() > deadline:
            return runs.get(run_id, "missing")
        time.sleep(0.5)


def store_pid(data_dir: Path) -> int:
    pid: int = json.loads((data_dir / "graph" / "server.json").read_text())["pid"]
    return pid


def count_persons(data_dir: Path) -> int:
    address = json.loads((data_dir / "graph" / "server.json").read_text())
    with redis.Redis(unix_socket_path=address["unix_socket"]) as client:
        reply = client.execute_command("GRAPH.RO_QUERY", "hub", "MATCH (p:Person) RETURN count(p)")
    count: int = reply[1][0][0]
    return count


async def test_the_store_killed_under_load_comes_back_by_itself_and_loses_nothing(
    tmp_path: Path,
) -> None:
    base, process = serve(tmp_path)
    try:
        await asyncio.to_thread(wait_for, f"{base}/readyz", 200)
        officers = [token(tmp_path, "--role", "officer", "--subject", f"o{i}") for i in range(4)]
        psb = token(tmp_path, "--role", "department", "--subject", "psb-sys", "--department", "psb")
        upload = persons_file(tmp_path / "psb.persons.csv", 20_000)
        killed = store_pid(tmp_path)
        done = asyncio.Event()
        load = [asyncio.create_task(officer(base, auth, done)) for auth in officers]

        async def ingest() -> httpx.Response:
            async with httpx.AsyncClient(base_url=base, timeout=300) as client:
                return await client.post(
                    "/ingest/psb.persons",
                    content=upload.read_bytes(),
                    headers={"Authorization": f"Bearer {psb}", "Content-Type": "text/csv"},
                )

        ingesting = asyncio.create_task(ingest())
        await asyncio.sleep(1.5)  # the officers are being answered, the ingest is writing
        os.kill(killed, signal.SIGKILL)
        ingested = await ingesting
        ready = await asyncio.to_thread(wait_for, f"{base}/readyz", 200, 120)
        await asyncio.sleep(2)  # a few answers from the restarted store
        done.set()
        answers = [answer for answers in await asyncio.gather(*load) for answer in answers]

        # Back by itself, on a new server process, with every request answered clearly.
        assert ready.json()["status"] == "ready"
        assert store_pid(tmp_path) != killed
        codes = {a.status_code for a in answers}
        assert codes <= {200, 503}, codes
        down = [a for a in answers if a.status_code == 503]
        for answer in down:
            [error] = answer.json()["errors"]
            assert error["extensions"]["code"] == "UNAVAILABLE"
            assert int(answer.headers["Retry-After"]) >= 1
        assert down, "no request met the store while it was down"
        assert answers[-1].status_code == 200, "not answering again after the restart"
        for answer in answers:
            if answer.status_code == 200:
                assert answer.json() == {"data": {"myCases": []}}, answer.text

        # The ingest either completed or says it stopped; the same file again completes it.
        if ingested.status_code == 200:
            assert ingested.json()["rows_accepted"] == 20_000
        else:
            assert ingested.status_code == 503, ingested.text
            assert int(ingested.headers["Retry-After"]) >= 1
            # It says how far it got, and once the store is back the run is recorded so.
            cut = ingested.json()["run"]
            assert cut["status"] == "failed", cut
            assert cut["rows_read"] < 20_000
            assert "graph store" in cut["error"]
            seen = await asyncio.to_thread(run_status, base, psb, cut["run_id"])
            assert seen == "failed", seen
            again = await asyncio.to_thread(
                httpx.post,
                f"{base}/ingest/psb.persons",
                content=upload.read_bytes(),
                headers={"Authorization": f"Bearer {psb}", "Content-Type": "text/csv"},
                timeout=300,
            )
            assert again.status_code == 200, again.text
        assert await asyncio.to_thread(count_persons, tmp_path) == 20_000
    finally:
        log = stop(process)
    assert f"(pid {killed}) died: killed by SIGKILL" in log
    assert "embedded graph store restarted" in log

    # Every answer given was recorded first, and the chain holds across the restart.
    verified = hub(tmp_path, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    exported = hub(tmp_path, "audit", "export", "--from", "2000-01-01", "--to", "2100-01-01")
    assert exported.returncode == 0, exported.stderr
    recorded = {json.loads(line).get("request_id") for line in exported.stdout.splitlines()}
    answered = {a.headers["X-Request-ID"] for a in answers if a.status_code == 200}
    assert answered <= recorded, f"{len(answered - recorded)} answers have no audit record"


def test_serve_binds_first_and_tells_how_far_loading_has_got(tmp_path: Path) -> None:
    county = hub(tmp_path, "seed", "generate", "--out", str(tmp_path / "demo"), "--persons", "2000")
    assert county.returncode == 0, county.stderr  # the demo county, made small for the test
    base, process = serve(tmp_path, "--demo")
    try:
        wait_for(f"{base}/healthz", 200)  # at once, while the store opens and the county loads
        seen: list[dict[str, Any]] = []
        refused: list[httpx.Response] = []
        while (ready := httpx.get(f"{base}/readyz", timeout=10)).status_code == 503:
            seen.append(ready.json())
            assert int(ready.headers["Retry-After"]) >= 1
            if len(refused) < 2:
                refused.append(httpx.post(f"{base}/graphql", json=MY_CASES, timeout=10))
                refused.append(
                    httpx.post(
                        f"{base}/ingest/psb.persons",
                        content=b"id_number\n",
                        headers={"Content-Type": "text/csv"},
                        timeout=10,
                    )
                )
            assert process.poll() is None
            time.sleep(0.05)
        assert ready.status_code == 200
    finally:
        stop(process)

    assert seen and all(s["status"] == "loading" for s in seen)
    phases = [s["progress"]["phase"] for s in seen]
    assert "loading the demo county" in phases
    loading = [s["progress"] for s in seen if s["progress"]["phase"] == "loading the demo county"]
    rows = [p["rows"] for p in loading if "rows" in p]
    assert rows == sorted(rows) and rows[-1] > 0, "progress must count the rows loaded"
    graphql, ingest = refused[0], refused[1]
    assert graphql.status_code == 503 and int(graphql.headers["Retry-After"]) >= 1
    assert graphql.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
    assert ingest.status_code == 503 and int(ingest.headers["Retry-After"]) >= 1


def test_a_store_that_will_not_come_back_is_given_up_and_readyz_says_why(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, data_dir, process = served
    wait_for(f"{base}/readyz", 200)
    for manifest in (data_dir / "graph").rglob("*.manifest"):
        manifest.write_text("not a manifest\n")  # every restart now fails at start

    os.kill(store_pid(data_dir), signal.SIGKILL)

    deadline = time.monotonic() + 120
    while "did not come back" not in (unready := httpx.get(f"{base}/readyz")).text:
        assert time.monotonic() < deadline, unready.text
        time.sleep(0.5)
    assert unready.status_code == 503 and unready.json()["status"] == "unavailable"
    assert "after 5 restart attempts" in unready.json()["reason"]
    refused = httpx.post(f"{base}/graphql", json=MY_CASES)
    assert refused.status_code == 503 and int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
    assert httpx.get(f"{base}/healthz").status_code == 200
    assert "CRITICAL" in stop(process)
