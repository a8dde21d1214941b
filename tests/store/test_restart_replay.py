"""What FalkorDB replays after kill -9 is what was written, property names included.

FalkorDB-only: it is about the embedded server's append-only file (`hub.store.embedded`)
and the property-key numbering `hub.store.falkordb_keys` guards; Neo4j has neither.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from hub.queries import QUERY_DIR, load_queries
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from tests.conftest import TEST_QUERY_DIR


def connect(server: EmbeddedServer) -> FalkorDBStore:
    assert server.address
    queries = load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR)
    return FalkorDBStore.connect(
        queries, "hub", unix_socket=server.address.unix_socket, port=server.address.port or 0
    )


def kill_and_wait_for_restart(server: EmbeddedServer) -> None:
    assert server.address
    killed = server.address.pid
    os.kill(killed, signal.SIGKILL)
    deadline = time.monotonic() + 120
    while server.address.pid == killed or server.state != "running":
        assert time.monotonic() < deadline, "the supervisor did not restart the store"
        time.sleep(0.1)


async def test_a_key_brought_in_without_a_value_does_not_shift_the_names_replayed(
    tmp_path: Path,
) -> None:
    server = EmbeddedServer(tmp_path)
    server.start()
    store = connect(server)
    try:
        await store.write("test_replay_create", {"props": {"key": 1, "name": "尹玉英"}})
        # A new key set to nothing: FalkorDB 4.16 adds `phone` and records no effect.
        await store.write("test_replay_change", {"key": 1, "changes": {"phone": None}})
        # And one inside a batch's rows, as a connector sends them.
        await store.write_batch("test_replay_change_rows", [{"key": 1, "changes": {"email": None}}])
        await store.write(
            "test_replay_create",
            {"props": {"key": 2, "name": "王建国", "address": "镇赉县", "size": 3}},
        )
        written = await store.read("test_replay_things")

        kill_and_wait_for_restart(server)

        replayed = await store.read("test_replay_things")
        assert written == [
            {"props": {"key": 1, "name": "尹玉英"}},
            {"props": {"key": 2, "name": "王建国", "address": "镇赉县", "size": 3}},
        ]
        assert replayed == written
    finally:
        await store.close()
        server.stop()
