"""Neo4j through the official async driver: writes to the leader, reads routed to readers."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from hub.queries import Queries
from hub.settings import STORE_RETRY_AFTER_S
from hub.store.base import GraphStore
from hub.store.values import params_to_store
from schema.model import identifier
from schema.store import Params, Row, StoreError, StoreUnavailable


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


def unique_name(label: str, prop: str) -> str:
    return f"{identifier(label).lower()}_{identifier(prop)}_unique"


def unique_statement(label: str, prop: str) -> str:
    name = unique_name(label, prop)
    return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"


def index_statement(label: str, prop: str) -> str:
    label, prop = identifier(label), identifier(prop)
    return f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


def schema_statements() -> list[str]:
    """What `hub db init` runs on Neo4j (linted by the tests)."""
    from schema.model import NODES

    statements = []
    for node in NODES:
        if node.key:
            statements.append(unique_statement(node.label, node.key))
        statements += [index_statement(node.label, prop) for prop in node.indexes]
    return statements


def _plan_text(plan: dict[str, Any], depth: int = 0) -> str:
    lines = ["  " * depth + str(plan.get("operatorType", "?"))]
    lines += [_plan_text(child, depth + 1) for child in plan.get("children", [])]
    return "\n".join(lines)


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

    async def _run(self, text: str, params: Params, *, write: bool) -> list[Row]:
        routing = RoutingControl.WRITE if write else RoutingControl.READ
        try:
            records, _, keys = await self._driver.execute_query(
                text,
                params_to_store(params),
                routing_=routing,
                database_=self._database,
            )
        except (ServiceUnavailable, OSError) as exc:
            raise StoreUnavailable(f"Neo4j unreachable: {exc}", STORE_RETRY_AFTER_S) from exc
        except Neo4jError as exc:
            raise StoreError(f"Neo4j query failed: {exc}") from exc
        return [{k: _plain(record[k]) for k in keys} for record in records]

    async def _explain(self, text: str, params: Params) -> str:
        async with self._driver.session(database=self._database) as session:
            result = await session.run("EXPLAIN " + text, params_to_store(params))
            summary = await result.consume()
        return _plan_text(summary.plan or {})

    async def _schema(self, statement: str) -> None:
        async with self._driver.session(database=self._database) as session:
            await session.run(statement)

    async def ensure_unique(self, label: str, prop: str) -> None:
        await self._schema(unique_statement(label, prop))

    async def ensure_index(self, label: str, prop: str) -> None:
        await self._schema(index_statement(label, prop))

    async def await_indexes(self, timeout_s: float) -> None:
        async with self._driver.session(database=self._database) as session:
            await session.run("CALL db.awaitIndexes($seconds)", seconds=int(timeout_s))

    async def drop_unique(self, label: str, prop: str) -> None:
        await self._schema(f"DROP CONSTRAINT {unique_name(label, prop)} IF EXISTS")

    def audit_store(self) -> Neo4jStore:
        """The audit log stays in this database: Neo4j locks nodes, so appends (which lock
        only the audit head) do not hold up reads of the data."""
        return self

    async def ping(self) -> bool:
        try:
            await self._driver.verify_connectivity()
        except (Neo4jError, ServiceUnavailable, OSError):
            return False
        return True

    async def version(self) -> str:
        """The server's version from its agent string ("Neo4j/5.13.0" gives "5.13.0")."""
        info = await self._driver.get_server_info()
        return info.agent.rpartition("/")[2]

    async def close(self) -> None:
        await self._driver.close()
