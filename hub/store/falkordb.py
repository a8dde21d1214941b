"""FalkorDB over its Redis protocol (RESP, on a Unix socket or TCP; never Bolt).

Queries go through `hub.store.resp` with FalkorDB's compact result format, read by
`hub.store.falkordb_replies`, and parameters written by `hub.store.cypher_params`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from hub.queries import Queries
from hub.settings import STORE_RETRY_AFTER_S
from hub.store.base import GraphStore
from hub.store.cypher_params import params_header
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb_keys import REGISTER_KEYS, unknown_keys
from hub.store.falkordb_replies import (
    PropertyKeys,
    ReplyError,
    UnknownPropertyKey,
    error_of,
    rows_of,
)
from hub.store.resp import Endpoint, RespClient, RespConnectionError
from schema.model import identifier as _identifier
from schema.store import Params, Row, StoreError, StoreUnavailable

log = logging.getLogger(__name__)


# Error replies of a server that is up but not serving yet (Redis: replaying its files).
NOT_READY_REPLIES = ("LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN")
# FalkorDB builds an index or constraint over the stored nodes in the background.
INDEXES_PENDING = (
    "CALL db.indexes() YIELD label, properties, status "
    "WITH label, properties, status WHERE status <> 'OPERATIONAL' RETURN label, properties, status"
)
CONSTRAINTS_PENDING = (
    "CALL db.constraints() YIELD label, properties, status "
    "WITH label, properties, status WHERE status <> 'OPERATIONAL' RETURN label, properties, status"
)
SCHEMA_POLL_S = 0.25


class FalkorDBStore(GraphStore):
    engine = "falkordb"

    def __init__(
        self,
        client: RespClient,
        graph_name: str,
        queries: Queries,
        server: EmbeddedServer | None = None,
    ) -> None:
        super().__init__(queries)
        self._client = client
        self._graph_name = graph_name
        self._keys = PropertyKeys()
        self._known_keys: set[str] | None = None  # property keys the graph has, once read
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
        endpoint = Endpoint(unix_socket=unix_socket, host=host, port=port, password=password)
        return cls(RespClient(endpoint), graph_name, queries, server)

    async def _run(self, text: str, params: Params, *, write: bool) -> list[Row]:
        if write:
            await self._register_keys(text, params)
        command = "GRAPH.QUERY" if write else "GRAPH.RO_QUERY"
        query = params_header(params) + text
        reply = await self._call(command, self._graph_name, query, "--compact", retry=not write)
        try:
            try:
                return rows_of(reply, self._keys)
            except UnknownPropertyKey:  # a node or relationship with a key added since: reread
                self._keys = PropertyKeys(await self._property_keys())
                return rows_of(reply, self._keys)
        except (ReplyError, UnknownPropertyKey) as exc:
            raise StoreError(f"FalkorDB query failed: unreadable reply: {exc!r}") from exc

    async def _register_keys(self, text: str, params: Params) -> None:
        """Add the keys this write could bring in that the graph lacks, by a write the
        append-only file records (`hub.store.falkordb_keys` says why)."""
        if self._known_keys is None:
            try:
                self._known_keys = set(await self._property_keys())
            except StoreError as exc:
                if "empty key" not in str(exc):  # else the graph does not exist yet
                    raise
                self._known_keys = set()
        missing = unknown_keys(text, params, self._known_keys)
        if missing:
            header = params_header({"keys": dict.fromkeys(missing, 0)})
            await self._call("GRAPH.QUERY", self._graph_name, header + REGISTER_KEYS, "--compact")
            self._known_keys.update(missing)

    async def _property_keys(self) -> list[str]:
        reply = await self._call(
            "GRAPH.RO_QUERY", self._graph_name, "CALL db.propertyKeys()", "--compact", retry=True
        )
        return [row["propertyKey"] for row in rows_of(reply, PropertyKeys())]

    async def _call(self, *args: str, retry: bool = False) -> Any:
        down = self.unavailable()
        if down is not None:
            raise down
        try:
            reply = await self._client.call(*args, retry=retry)
        except (RespConnectionError, OSError) as exc:
            # The server died, is being restarted, or cannot be reached: say so, and
            # reconnect on the next call (the client opens a new connection).
            down = self.unavailable() or StoreUnavailable(
                f"the graph store is unreachable: {exc}", STORE_RETRY_AFTER_S
            )
            raise down from exc
        error = error_of(reply)
        if error is not None:
            if str(error).startswith(NOT_READY_REPLIES):  # restarted, still reading its files
                raise StoreUnavailable(f"the graph store is starting: {error}", STORE_RETRY_AFTER_S)
            raise StoreError(f"FalkorDB query failed: {error}")
        return reply

    async def _explain(self, text: str, params: Params) -> str:
        plan = await self._call("GRAPH.EXPLAIN", self._graph_name, params_header(params) + text)
        return "\n".join(plan)

    async def ensure_index(self, label: str, prop: str) -> None:
        statement = f"CREATE INDEX FOR (n:{_identifier(label)}) ON (n.{_identifier(prop)})"
        await self._idempotent(("GRAPH.QUERY", self._graph_name, statement), "already indexed")

    async def ensure_unique(self, label: str, prop: str) -> None:
        await self.ensure_index(label, prop)  # FalkorDB needs the index first
        label, prop = _identifier(label), _identifier(prop)
        command = ("GRAPH.CONSTRAINT", "CREATE", self._graph_name, "UNIQUE", "NODE", label)
        await self._idempotent((*command, "PROPERTIES", "1", prop), "already exists")

    async def drop_unique(self, label: str, prop: str) -> None:
        label, prop = _identifier(label), _identifier(prop)
        command = ("GRAPH.CONSTRAINT", "DROP", self._graph_name, "UNIQUE", "NODE", label)
        await self._idempotent((*command, "PROPERTIES", "1", prop), "no such constraint")
        statement = f"DROP INDEX FOR (n:{label}) ON (n.{prop})"
        await self._idempotent(("GRAPH.QUERY", self._graph_name, statement), "no such index")

    async def await_indexes(self, timeout_s: float) -> None:
        started = time.monotonic()
        while pending := await self._schema_pending():
            if time.monotonic() - started > timeout_s:
                raise StoreError(
                    f"the indexes and constraints were not built within {timeout_s:.0f} s: "
                    + ", ".join(pending)
                )
            await asyncio.sleep(SCHEMA_POLL_S)

    async def _schema_pending(self) -> list[str]:
        """The indexes and constraints still being built over the stored data."""
        pending = []
        for statement in (INDEXES_PENDING, CONSTRAINTS_PENDING):
            reply = await self._call("GRAPH.RO_QUERY", self._graph_name, statement)
            for label, properties, status in reply[1]:
                what = f"{_text(label)}{_text(properties)} ({_text(status)})"
                if "FAILED" in _text(status):
                    raise StoreError(f"building the index or constraint {what} failed")
                pending.append(what)
        return pending

    async def _idempotent(self, command: tuple[str, ...], done_already: str) -> None:
        """Run a schema command; an error saying it was done already (`done_already`) is
        success."""
        try:
            await self._call(*command)
        except StoreError as exc:
            if done_already not in str(exc) and "empty key" not in str(exc):
                what = " ".join(command[2:])
                raise StoreError(f"cannot change the index or constraint {what}: {exc}") from exc

    def audit_store(self) -> FalkorDBStore:
        """The audit log's graph, `<graph>_audit`, on this store's connections.

        FalkorDB runs one write at a time per graph: in the data graph, every audit append
        would make the data's readers wait. This store owns the connection pool and the
        embedded server; the audit graph's store only borrows them.
        """
        if self._audit is None:
            self._audit = _AuditGraphStore(
                self._client, f"{self._graph_name}_audit", self.queries, self.server
            )
        return self._audit

    def unavailable(self) -> StoreUnavailable | None:
        return self.server.unavailable() if self.server is not None else None

    async def ping(self) -> bool:
        if self.unavailable() is not None:
            return False
        try:
            return await self._client.call("PING", retry=True) == "PONG"
        except OSError:
            return False

    async def version(self) -> str:
        """The graph module's version (`MODULE LIST` gives 41603 for 4.16.3)."""
        modules = await self._call("MODULE", "LIST")
        for module in modules:
            fields = dict(zip(module[::2], module[1::2], strict=False))
            if fields.get("name") == "graph":
                number = int(fields["ver"])
                return f"{number // 10000}.{number // 100 % 100}.{number % 100}"
        raise StoreError("the server has no FalkorDB (graph) module loaded")

    async def close(self) -> None:
        await self._client.close()
        if self.server is not None:
            self.server.stop()


class _AuditGraphStore(FalkorDBStore):
    """The audit graph beside a data graph: it borrows that store's pool and watches its
    server's state, owns nothing."""

    def audit_store(self) -> FalkorDBStore:
        return self

    async def close(self) -> None:
        """Nothing to close: the data graph's store closes the pool (and stops the server)."""


def _text(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
