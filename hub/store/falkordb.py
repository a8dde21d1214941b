"""FalkorDB through the `falkordb` client (RESP over a Unix socket or TCP, never Bolt)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from falkordb import Edge, Node, Path
from falkordb.asyncio import FalkorDB
from falkordb.asyncio.graph import AsyncGraph
from redis.exceptions import RedisError, ResponseError

from hub.queries import Queries
from hub.store.base import GraphStore, Params, Row, StoreError
from hub.store.cypher_params import params_header
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


class _Graph(AsyncGraph):  # type: ignore[misc]
    """The client's graph, writing the parameter header with `hub.store.cypher_params`."""

    def _build_params_header(self, params: Params | None) -> str:
        return params_header(params)


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
        self._graph = _Graph(db, graph_name)
        self.server = server
        self._audit: FalkorDBStore | None = None

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

    async def _run(self, text: str, params: Params, *, write: bool) -> list[Row]:
        try:
            if write:
                result = await self._graph.query(text, params)
            else:
                result = await self._graph.ro_query(text, params)
        except (RedisError, OSError) as exc:
            raise StoreError(f"FalkorDB query failed: {exc}") from exc
        names = [column[1] for column in result.header]
        return [dict(zip(names, map(_plain, row), strict=True)) for row in result.result_set]

    async def _explain(self, text: str, params: Params) -> str:
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

    def audit_store(self) -> FalkorDBStore:
        """The audit log's graph, `<graph>_audit`, on this store's connections.

        FalkorDB runs one write at a time per graph: in the data graph, every audit append
        would make the data's readers wait. This store owns the connection pool and the
        embedded server; the audit graph's store only borrows them.
        """
        if self._audit is None:
            self._audit = _AuditGraphStore(self._db, f"{self._graph_name}_audit", self.queries)
        return self._audit

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


class _AuditGraphStore(FalkorDBStore):
    """The audit graph beside a data graph: it borrows that store's pool, owns nothing."""

    def audit_store(self) -> FalkorDBStore:
        return self

    async def close(self) -> None:
        """Nothing to close: the data graph's store closes the pool (and stops the server)."""
