"""FalkorDB through the `falkordb` client (RESP over a Unix socket or TCP, never Bolt)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from falkordb import Edge, Node, Path
from falkordb.asyncio import FalkorDB
from redis.exceptions import RedisError, ResponseError

from hub.queries import Queries
from hub.store.base import GraphStore, Row, StoreError
from hub.store.embedded import EmbeddedServer

log = logging.getLogger(__name__)


def _plain(value: Any) -> Any:
    if isinstance(value, Node | Edge):
        return {k: _plain(v) for k, v in value.properties.items()}
    if isinstance(value, Path):
        return [_plain(n) for n in value.nodes()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class FalkorDBStore(GraphStore):
    engine = "falkordb"

    def __init__(
        self,
        db: FalkorDB,
        graph_name: str,
        queries: Queries,
        server: EmbeddedServer | None = None,
    ) -> None:
        super().__init__(queries)
        self._db = db
        self._graph_name = graph_name
        self._graph = db.select_graph(graph_name)
        self.server = server

    @classmethod
    def connect(
        cls,
        queries: Queries,
        graph_name: str,
        *,
        unix_socket: str | None = None,
        host: str = "127.0.0.1",
        port: int = 6379,
        password: str | None = None,
        server: EmbeddedServer | None = None,
    ) -> FalkorDBStore:
        if unix_socket:
            db = FalkorDB(unix_socket_path=unix_socket, password=password)
        else:
            db = FalkorDB(host=host, port=port, password=password)
        return cls(db, graph_name, queries, server)

    async def _run(self, text: str, params: dict[str, Any], *, write: bool) -> list[Row]:
        try:
            if write:
                result = await self._graph.query(text, params)
            else:
                result = await self._graph.ro_query(text, params)
        except (RedisError, OSError) as exc:
            raise StoreError(f"FalkorDB query failed: {exc}") from exc
        names = [column[1] for column in result.header]
        return [dict(zip(names, map(_plain, row), strict=True)) for row in result.result_set]

    async def _explain(self, text: str, params: dict[str, Any]) -> str:
        plan = await self._graph.explain(text, params)
        return str(plan)

    async def ensure_index(self, label: str, prop: str) -> None:
        await self._idempotent(
            self._graph.create_node_range_index(label, prop), "already indexed", f"{label}.{prop}"
        )

    async def ensure_unique(self, label: str, prop: str) -> None:
        await self.ensure_index(label, prop)  # FalkorDB needs the index first
        await self._idempotent(
            self._graph.create_node_unique_constraint(label, prop),
            "already exists",
            f"{label}.{prop}",
        )

    @staticmethod
    async def _idempotent(call: Awaitable[object], exists: str, what: str) -> None:
        try:
            await call
        except ResponseError as exc:
            if exists not in str(exc):
                raise StoreError(f"cannot create the index or constraint on {what}: {exc}") from exc

    async def ping(self) -> bool:
        code = self.server.exited() if self.server else None
        if code is not None:
            # Not restarted behind the operator's back: they should see why it died first.
            log.error("the embedded graph store exited with code %s; see %s", code, self.server)
            return False
        try:
            return bool(await self._db.connection.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        await self._db.connection.aclose()
        if self.server is not None:
            self.server.stop()
