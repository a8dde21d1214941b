"""Where FalkorDB breaks on long values, found on the engine itself, against the hub's limits.

FalkorDB 4.16 dies with signal 11 (`EnforceUniqueEntity`) writing a string over 4,096
bytes into a property with a uniqueness constraint. Every value the hub accepts is at
most `MAX_VALUE_BYTES` (schema/limits.py); this test writes values of growing length
into every keyed and indexed property of the model, straight through the store layer on
a server of its own, and checks that the limit stays a quarter under where it breaks. A
FalkorDB that no longer crashes passes too (it takes every length).

FalkorDB only: the crash is this engine's (Neo4j refuses an over-long key with an error).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.queries import QUERY_DIR, load_queries
from hub.store import StoreError
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from schema.limits import MAX_VALUE_BYTES
from schema.model import NODES, identifier

log = logging.getLogger(__name__)

# Lengths in bytes, growing: each is written once, until the server dies.
LENGTHS = (MAX_VALUE_BYTES, 3_500, 4_000, 4_096, 4_097, 4_200, 8_192, 65_536)
SAFETY = 4 / 3  # the limit stays at most three quarters of the length that breaks

KEYED = [(node.label, node.key) for node in NODES if node.key and node.label != "AuditEvent"]
INDEXED = [(node.label, prop) for node in NODES for prop in node.indexes]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path)
    server.start()
    yield server
    server.stop()


def probe_queries(directory: Path) -> Path:
    """A write query per property: labels and property names cannot be parameters."""
    directory.mkdir()
    for label, prop in KEYED + INDEXED:
        text = f"MERGE (n:{identifier(label)} {{{identifier(prop)}: $value}}) RETURN 1 AS done"
        (directory / f"probe_{label}_{prop}.cypher").write_text(text, encoding="utf-8")
    return directory


async def breaking_length(
    server: EmbeddedServer, queries_dir: Path, label: str, prop: str, unique: bool
) -> int | None:
    """The first length of `LENGTHS` that kills the server (restarted then), or None."""
    assert server.address
    store = FalkorDBStore.connect(
        load_queries("falkordb", QUERY_DIR, queries_dir),
        f"probe_{label}_{prop}",
        unix_socket=server.address.unix_socket,
        port=server.address.port or 0,
    )
    try:
        if unique:
            await store.ensure_unique(label, prop)
        else:
            await store.ensure_index(label, prop)
        for length in LENGTHS:
            try:
                await store.write(
                    f"probe_{label}_{prop}", {"value": "中" * (length // 3) + "A" * (length % 3)}
                )
            except StoreError:
                if await store.ping():
                    raise  # an error, not a crash: the engine refused the value cleanly
                log.warning("%s.%s: FalkorDB died writing %d bytes", label, prop, length)
                server.stop()
                server.start()
                return length
        return None
    finally:
        await store.close()


async def test_every_keyed_and_indexed_property_breaks_well_above_the_limit(
    server: EmbeddedServer, tmp_path: Path
) -> None:
    queries_dir = probe_queries(tmp_path / "queries")
    breaks = {}
    for label, prop in KEYED:
        breaks[f"{label}.{prop}"] = await breaking_length(server, queries_dir, label, prop, True)
    for label, prop in INDEXED:
        breaks[f"{label}.{prop} (index)"] = await breaking_length(
            server, queries_dir, label, prop, False
        )

    log.warning("lengths that broke FalkorDB: %s", breaks)
    for name, length in breaks.items():
        assert length is None or length >= MAX_VALUE_BYTES * SAFETY, (name, length)
    # What the limit guards against is still there in this FalkorDB (a uniquely keyed
    # value over 4,096 bytes): when an upgrade fixes it, this says so and can go.
    assert any(length is not None for length in breaks.values())
