"""Graph store access: pick the engine from `HUB_GRAPH_URI` and open it.

Engine client libraries are imported only when that engine is used.
"""

from __future__ import annotations

from urllib.parse import urlparse

from hub.queries import Queries, load_queries
from hub.settings import Settings
from hub.store.base import GraphStore
from schema.store import Params, Row, StoreError, StoreUnavailable, unavailable_cause

__all__ = [
    "GraphStore",
    "Params",
    "Row",
    "StoreError",
    "StoreUnavailable",
    "engine_of",
    "open_store",
    "unavailable_cause",
]

NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


def engine_of(uri: str) -> str:
    if uri in ("", "embedded"):
        return "falkordb"
    scheme = urlparse(uri).scheme
    if scheme == "falkordb":
        return "falkordb"
    if scheme in NEO4J_SCHEMES:
        return "neo4j"
    raise ValueError(
        f"HUB_GRAPH_URI {uri!r}: expected 'embedded', falkordb://host:port, or one of "
        + ", ".join(f"{s}://" for s in NEO4J_SCHEMES)
    )


def open_store(settings: Settings, queries: Queries | None = None) -> GraphStore:
    """Open the configured store; with the embedded default, find or start its server."""
    engine = engine_of(settings.graph_uri)
    queries = queries or load_queries(engine)
    password = settings.graph_password.get_secret_value() if settings.graph_password else None
    if engine == "neo4j":
        from hub.store.neo4j import Neo4jStore

        return Neo4jStore(
            settings.graph_uri,
            queries,
            user=settings.graph_user,
            password=password,
            database=settings.graph_database,
        )
    from hub.store.falkordb import FalkorDBStore

    if not settings.embedded:
        url = urlparse(settings.graph_uri)
        return FalkorDBStore.connect(
            queries,
            settings.graph_name,
            host=url.hostname or "127.0.0.1",
            port=url.port or 6379,
            password=password,
        )
    from hub.store.embedded import EmbeddedServer

    server = EmbeddedServer(settings.data_dir)
    address = server.start()
    return FalkorDBStore.connect(
        queries,
        settings.graph_name,
        unix_socket=address.unix_socket,
        port=address.port or 0,
        server=server,
    )
