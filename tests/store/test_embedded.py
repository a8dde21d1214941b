"""The embedded FalkorDB server: durability, recovery, stale files, two processes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hub.queries import QUERY_DIR, load_queries
from hub.store import StoreError, StoreUnavailable
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from tests.conftest import TEST_QUERY_DIR

RESTART_BOUND_S = 120.0


def attach(server: EmbeddedServer) -> FalkorDBStore:
    assert server.address
    queries = load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR)
    return FalkorDBStore.connect(
        queries, "hub", unix_socket=server.address.unix_socket, port=server.address.port or 0
    )


def wait_gone(pid: int) -> None:
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


async def test_acknowledged_writes_survive_sigkill_and_are_replayed_on_restart(
    tmp_path: Path,
) -> None:
    server = EmbeddedServer(tmp_path, restart_attempts=0)  # the hub died with it: no restart
    server.start()
    store = attach(server)
    await apply_schema(store)
    rows = [{"number": f"135{i:08d}", "seq": i} for i in range(100_000)]
    await store.write_batch("test_phone_upsert", rows, {"batch_id": "durable"})
    await store.close()
    assert server.address
    crashed_pid = server.address.pid

    os.kill(crashed_pid, signal.SIGKILL)  # a crash: no shutdown, no final fsync
    server._process.wait()  # type: ignore[union-attr]  # reap it, as init would

    started = time.monotonic()
    restarted = EmbeddedServer(tmp_path)
    address = restarted.start()
    ready_after = time.monotonic() - started
    started_anew = restarted.owned
    try:
        store = attach(restarted)
        [counts] = await store.read("test_phone_count")
        await store.close()
    finally:
        restarted.stop()

    assert started_anew and address.pid != crashed_pid
    assert counts == {
        "phones": 100_000,
        "distinct_numbers": 100_000,
        "seq_sum": sum(range(100_000)),
    }
    # The replay takes a second or two here; the bound only catches a start that hangs, with
    # room for a busy 2-core machine (it is no performance test).
    assert ready_after < RESTART_BOUND_S, f"store took {ready_after:.1f} s to restart"


def test_stale_files_of_a_dead_server_are_cleaned(tmp_path: Path) -> None:
    home = tmp_path / "graph"
    home.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (home / "server.json").write_text(json.dumps({"pid": dead.pid, "unix_socket": "x"}))
    (home / "falkordb.sock").write_text("left by a crash")

    server = EmbeddedServer(tmp_path)
    address = server.start()
    try:
        assert server.owned and address.pid != dead.pid
        assert json.loads((home / "server.json").read_text())["pid"] == address.pid
    finally:
        server.stop()
    assert not (home / "server.json").exists()


def test_a_second_hub_process_uses_the_running_store(tmp_path: Path) -> None:
    owner = EmbeddedServer(tmp_path)
    owner.start()
    try:
        assert owner.address
        env = {**os.environ, "HUB_DATA_DIR": str(tmp_path), "HUB_GRAPH_URI": "embedded"}
        hub = Path(sys.executable).with_name("hub")
        result = subprocess.run(
            [str(hub), "db", "init"], env=env, capture_output=True, text=True, timeout=60
        )

        assert result.returncode == 0, result.stderr
        assert "schema in place" in result.stdout
        assert "attached to the embedded graph store" in result.stderr
        assert owner.exited() is None, "the second process must not stop the owner's store"
        info = json.loads((tmp_path / "graph" / "server.json").read_text())
        assert info["pid"] == owner.address.pid
    finally:
        owner.stop()


def test_the_store_runs_with_durable_writes_and_rare_file_rewrites(
    embedded_server: EmbeddedServer,
) -> None:
    assert embedded_server.address
    with embedded_server.address.client() as client:
        config = client.config_get("appendfsync") | client.config_get("auto-aof-rewrite-min-size")
        assert config["appendfsync"] == "always"
        assert int(config["auto-aof-rewrite-min-size"]) == 1024**3  # AOF_REWRITE_MIN_SIZE
        assert client.config_get("save")["save"] == ""


def test_each_query_runs_on_one_thread(embedded_server: EmbeddedServer) -> None:
    """GraphBLAS's own threads would compete with the query threads (docs/falkordb.md)."""
    assert embedded_server.address
    with embedded_server.address.client() as client:
        reply = client.execute_command("GRAPH.CONFIG", "GET", "OMP_THREAD_COUNT")
        assert reply == [b"OMP_THREAD_COUNT", 1]


def test_one_query_thread_so_concurrent_reads_do_not_crash_it(
    embedded_server: EmbeddedServer,
) -> None:
    """Two query threads crash FalkorDB 4.16.3 in GB_hyper_hash_lookup (docs/falkordb.md,
    bench/falkordb_crash_repro.py)."""
    assert embedded_server.address
    with embedded_server.address.client() as client:
        reply = client.execute_command("GRAPH.CONFIG", "GET", "THREAD_COUNT")
        assert reply == [b"THREAD_COUNT", 1]


async def test_reads_go_on_after_the_server_restarts_under_an_open_store(tmp_path: Path) -> None:
    """Pooled connections die with the server: the ones it closed are dropped before use, so
    neither a read nor a write after the restart fails."""
    servers = [EmbeddedServer(tmp_path)]
    servers[0].start()
    store = attach(servers[0])

    async def restart_under_pooled_connections() -> None:
        await asyncio.gather(*(store.read("test_phone_count") for _ in range(3)))
        servers[-1].stop()
        servers.append(EmbeddedServer(tmp_path))
        servers[-1].start()

    await apply_schema(store)
    one = {"rows": [{"number": "13500000001", "seq": 1}], "batch_id": "first"}
    two = {"rows": [{"number": "13500000002", "seq": 2}], "batch_id": "second"}
    try:
        await store.write("test_phone_upsert", one)
        await restart_under_pooled_connections()
        [counts] = await store.read("test_phone_count")
        assert counts["phones"] == 1

        await restart_under_pooled_connections()
        await store.write("test_phone_upsert", two)  # the closed connections were dropped
        [counts] = await store.read("test_phone_count")
        assert counts["phones"] == 2
    finally:
        await store.close()
        servers[-1].stop()


async def test_a_refused_password_is_a_store_error_that_says_so(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path)
    address = server.start()
    store = FalkorDBStore.connect(
        load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR),
        "hub",
        unix_socket=address.unix_socket,
        password="not-the-password",
    )
    try:
        with pytest.raises(StoreError, match="refused the password"):
            await store.read("test_phone_count")
        assert not await store.ping()
    finally:
        await store.close()
        server.stop()


def supervised(tmp_path: Path, attempts: int = 5) -> tuple[EmbeddedServer, FalkorDBStore]:
    """A server this process owns (and so supervises), and a store that knows it."""
    server = EmbeddedServer(tmp_path, restart_attempts=attempts, restart_backoff_s=0.1)
    address = server.start()
    queries = load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR)
    store = FalkorDBStore.connect(
        queries, "hub", unix_socket=address.unix_socket, port=address.port or 0, server=server
    )
    return server, store


async def wait_state(server: EmbeddedServer, state: str, restarts: int = 0) -> None:
    deadline = time.monotonic() + 60
    while server.state != state or server.restarts < restarts:
        assert time.monotonic() < deadline, f"the store stayed {server.state}, not {state}"
        await asyncio.sleep(0.02)


async def test_a_killed_server_is_restarted_and_keeps_every_acknowledged_write(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server, store = supervised(tmp_path)
    attached = attach(server)  # another process's view: no server object, just the socket
    try:
        await apply_schema(store)
        rows = [{"number": f"135{i:08d}", "seq": i} for i in range(20_000)]
        await store.write_batch("test_phone_upsert", rows, {"batch_id": "before"})
        assert server.address
        killed = server.address.pid

        os.kill(killed, signal.SIGKILL)
        wait_gone(killed)
        with pytest.raises(StoreUnavailable) as down:
            await attached.read("test_phone_count")
        assert down.value.retry_after > 0
        await wait_state(server, "running", restarts=1)

        assert server.address.pid != killed
        [counts] = await store.read("test_phone_count")
        assert counts["phones"] == 20_000 and counts["seq_sum"] == sum(range(20_000))
        [counts] = await attached.read("test_phone_count")  # reconnected by itself
        assert counts["phones"] == 20_000
        one = {"rows": [{"number": "1", "seq": 1}], "batch_id": "after"}
        await store.write("test_phone_upsert", one)
        assert await store.ping()
        messages = [r.getMessage() for r in caplog.records]
        assert any(f"(pid {killed}) died: killed by SIGKILL" in m for m in messages)
        assert any("embedded graph store restarted" in m for m in messages)
    finally:
        await attached.close()
        await store.close()
    assert str(server.state) == "stopped"


async def test_a_server_that_will_not_come_back_is_given_up_loudly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server, store = supervised(tmp_path, attempts=2)
    try:
        await apply_schema(store)
        assert server.address
        # Its append-only files become unreadable: every restart fails at start.
        for manifest in (tmp_path / "graph").rglob("*.manifest"):
            manifest.write_text("not a manifest\n")
        os.kill(server.address.pid, signal.SIGKILL)

        await wait_state(server, "failed")

        assert server.restarts == 0
        with pytest.raises(StoreUnavailable, match="did not come back after 2 restart attempts"):
            await store.read("test_phone_count")
        assert not await store.ping()
        failed = [r for r in caplog.records if r.getMessage().startswith("restart attempt")]
        assert len(failed) == 2
        assert any(r.levelname == "CRITICAL" for r in caplog.records)
    finally:
        await store.close()
