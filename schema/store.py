"""What the layers above the graph engines need of a store, and the errors it raises.

Connectors (and anything else beneath the hub) receive a store object and use only this:
run a named query (a `.cypher` file of hub/queries/) with parameters, and catch
`StoreError`. The hub's engines (`hub.store.GraphStore` and its FalkorDB and Neo4j
implementations) provide it; nothing here knows an engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

Row = dict[str, Any]
Params = Mapping[str, Any]


class QueryStore(Protocol):
    """Named queries, read and written: the part of `hub.store.GraphStore` connectors use."""

    write_batch_size: int  # rows per UNWIND batch that suit the engine

    async def read(self, name: str, params: Params | None = None) -> list[Row]:
        """Run the read-only query `name`."""
        ...

    async def write(self, name: str, params: Params | None = None) -> list[Row]:
        """Run the query `name` on the primary and return its rows."""
        ...


class StoreError(RuntimeError):
    """The graph store failed or could not be reached; the message is safe to show."""


class StoreUnavailable(StoreError):
    """The graph store cannot be reached now (restarting, loading, or gone): try again in
    `retry_after` seconds. A write cut off by it may or may not have been applied."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def unavailable_cause(error: BaseException | None) -> StoreUnavailable | None:
    """The `StoreUnavailable` behind `error` (itself or a cause of it), if there is one."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, StoreUnavailable):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None
