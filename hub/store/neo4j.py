"""Neo4j through the official async driver: writes to the leader, reads routed to readers."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from hub.queries import Queries
from hub.store.base import GraphStore, Row, StoreError


def _plain(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Neo4jStore(GraphStore):
    engine = "neo4j"

    def __init__(
        self,
        uri: str,
        queries: Queries,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> None:
        super().__init__(queries)
        auth = (user, password or "") if user else None
        self._driver = AsyncGraphDatabase.driver(uri, auth=auth)
        self._database = database or "neo4j"

    async def _run(self, text: str, params: dict[str, Any], *, write: bool) -> list[Row]:
        routing = RoutingControl.WRITE if write else RoutingControl.READ
        try:
            records, _, keys = await self._driver.execute_query(
                text,
                params,
                routing_=routing,
                database_=self._database,
            )
        except (Neo4jError, ServiceUnavailable, OSError) as exc:
            raise StoreError(f"Neo4j query failed: {exc}") from exc
        return [{k: _plain(record[k]) for k in keys} for record in records]

    async def _schema(self, statement: str) -> None:
        async with self._driver.session(database=self._database) as session:
            await session.run(statement)

    async def ensure_unique(self, label: str, prop: str) -> None:
        name = f"{label.lower()}_{prop}_unique"
        await self._schema(
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"
        )

    async def ensure_index(self, label: str, prop: str) -> None:
        name = f"{label.lower()}_{prop}"
        await self._schema(f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")

    async def ping(self) -> bool:
        try:
            await self._driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, OSError):
            return False
        return True

    async def close(self) -> None:
        await self._driver.close()
