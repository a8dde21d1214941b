"""The one interface every graph engine implements.

Code above this layer (connectors, resolvers, audit) talks to a `GraphStore` by query
name and parameters; it never sees a driver, and never formats a value into Cypher. The
errors, and the part connectors use (`QueryStore`), are in `schema.store`, beneath them.
An engine implements `_run`, `ping` and `close`; naming, value encoding, batching,
concurrency bounds and metrics live here once.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from hub.metrics import STORE_QUERIES, STORE_SECONDS
from hub.queries import Queries
from hub.settings import QUERY_CONCURRENCY, WRITE_BATCH_SIZE
from schema.store import Params, Row, StoreUnavailable


class GraphStore(ABC):
    """Run named queries against one graph engine.

    Rows come back as plain dicts of Python values (str, int, float, bool, None, lists
    and dicts of those; a node or relationship becomes the dict of its properties) in
    the same shape from every engine. Values going in may also be `date`, `datetime`
    and `Decimal`: see `hub.store.values`.
    """

    engine: str
    write_batch_size: int = WRITE_BATCH_SIZE  # rows per UNWIND batch a connector sends

    def __init__(self, queries: Queries, concurrency: int = QUERY_CONCURRENCY) -> None:
        self.queries = queries
        self._slots = asyncio.Semaphore(concurrency)
        # The metrics' children by label, looked up once: prometheus_client's labels() costs
        # more than a short query's own bookkeeping.
        self._counted: dict[str, Any] = {}
        self._seconds = {
            write: STORE_SECONDS.labels(self.engine, "write" if write else "read")
            for write in (False, True)
        }

    async def read(self, name: str, params: Params | None = None) -> list[Row]:
        """Run the read-only query `name`; reads may be served by replicas."""
        return await self._timed(name, params, write=False)

    async def write(self, name: str, params: Params | None = None) -> list[Row]:
        """Run the query `name` on the primary and return its rows."""
        return await self._timed(name, params, write=True)

    async def write_batch(
        self,
        name: str,
        rows: Sequence[Params],
        params: Params | None = None,
        *,
        batch_size: int = WRITE_BATCH_SIZE,
    ) -> list[Row]:
        """Run `name` once per batch of `rows`, given as `$rows`, with `params` beside it."""
        result: list[Row] = []
        for start in range(0, len(rows), batch_size):
            batch = {**(params or {}), "rows": rows[start : start + batch_size]}
            result.extend(await self.write(name, batch))
        return result

    async def explain(self, name: str, params: Params | None = None) -> str:
        """The engine's plan for query `name`, as text (to check index use)."""
        return await self._explain(self.queries[name], params or {})

    async def _timed(self, name: str, params: Params | None, *, write: bool) -> list[Row]:
        text = self.queries[name]
        counted = self._counted.get(name)
        if counted is None:
            counted = self._counted[name] = STORE_QUERIES.labels(self.engine, name)
        counted.inc()
        async with self._slots:
            started = time.perf_counter()
            try:
                return await self._run(text, params or {}, write=write)
            finally:
                self._seconds[write].observe(time.perf_counter() - started)

    # An engine converts the parameters' values as `hub.store.values` says.
    @abstractmethod
    async def _run(self, text: str, params: Params, *, write: bool) -> list[Row]: ...

    @abstractmethod
    async def _explain(self, text: str, params: Params) -> str: ...

    @abstractmethod
    async def ensure_unique(self, label: str, prop: str) -> None:
        """Create the uniqueness constraint (and its index) unless it exists."""

    @abstractmethod
    async def ensure_index(self, label: str, prop: str) -> None:
        """Create a range index on a node property unless it exists."""

    @abstractmethod
    async def await_indexes(self, timeout_s: float) -> None:
        """Wait until every index and constraint covers the data already stored (both
        engines build them in the background); StoreError naming those that are not built
        after `timeout_s`, or whose building failed."""

    @abstractmethod
    async def drop_unique(self, label: str, prop: str) -> None:
        """Drop the uniqueness constraint and its index, where they exist."""

    @abstractmethod
    def audit_store(self) -> GraphStore:
        """The store that holds the audit log (`hub.security.audit`): this one, or a graph
        of its own beside it where the engine locks whole graphs. It shares this store's
        connections; closing this store closes it too, closing it closes nothing."""

    def unavailable(self) -> StoreUnavailable | None:
        """Why the store cannot answer now, known without asking it (an embedded server
        being restarted, or given up on), else None."""
        return None

    @abstractmethod
    async def ping(self) -> bool:
        """True when the engine answers."""

    @abstractmethod
    async def version(self) -> str:
        """The engine's version as its server reports it (e.g. "4.16.3"), for benchmarks'
        records."""

    @abstractmethod
    async def close(self) -> None: ...
