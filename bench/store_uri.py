"""The graph store a benchmark runs on (`--graph-uri`), and what its results say of it.

`embedded` (the default) is a FalkorDB server of the benchmark's own, as before;
`falkordb://host:port` a FalkorDB server already running; `bolt://…` or `neo4j://…` a Neo4j
deployment, with its user and password from `HUB_GRAPH_USER` and `HUB_GRAPH_PASSWORD` and
its database from `HUB_GRAPH_DATABASE` (default `neo4j`), as the hub takes them. Results
record the engine, the version its server reports and the URI (without credentials).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import redis

from hub.settings import Settings
from hub.store import GraphStore, engine_of

GRAPH_URI_HELP = (
    "the graph store: embedded (default, a FalkorDB server of the benchmark's own), "
    "falkordb://host:port, or bolt:// / neo4j:// (user, password and database from "
    "HUB_GRAPH_USER, HUB_GRAPH_PASSWORD, HUB_GRAPH_DATABASE)"
)


def graph_uri(text: str) -> str:
    """`--graph-uri`, checked as the hub checks `HUB_GRAPH_URI` (argparse `type`)."""
    engine_of(text)  # raises ValueError naming the schemes it takes
    return text


def hub_settings(uri: str, data_dir: Path, graph: str) -> Settings:
    """The hub's settings for `graph` at `uri`, with whatever HUB_* the environment sets.
    FalkorDB keeps the graph under that name; Neo4j uses its configured database."""
    if engine_of(uri) == "falkordb":
        return Settings(graph_uri=uri, data_dir=data_dir, graph_database=graph)
    return Settings(graph_uri=uri, data_dir=data_dir)


def public_uri(uri: str) -> str:
    """`uri` without a user or password in it."""
    parsed = urlparse(uri)
    if parsed.password is None and parsed.username is None:
        return uri
    host = parsed.hostname or ""
    netloc = f"{host}:{parsed.port}" if parsed.port else host
    return parsed._replace(netloc=netloc).geturl()


async def engine_record(store: GraphStore, uri: str) -> dict[str, Any]:
    """What a result records of the store it was measured on."""
    return {"engine": store.engine, "version": await store.version(), "graph_uri": public_uri(uri)}


def engine_text(record: dict[str, Any]) -> str:
    return f"{record['engine']} {record['version']} ({record['graph_uri']})"


def local_falkordb_pid(uri: str, password: str | None = None) -> int | None:
    """The process of the FalkorDB server at `uri` when it runs on this machine (its CPU
    and memory can then be measured), else None."""
    parsed = urlparse(uri)
    client = redis.Redis(
        host=parsed.hostname or "127.0.0.1", port=parsed.port or 6379, password=password
    )
    try:
        info = client.info("server")
    finally:
        client.close()
    pid = int(info.get("process_id", 0))
    try:
        same = os.readlink(f"/proc/{pid}/exe") == info.get("executable")
    except OSError:
        return None
    return pid if same else None
