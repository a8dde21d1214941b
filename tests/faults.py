"""Fault injection for the tests of error paths: a real FalkorDB store on the session's
embedded server whose named queries fail on demand, and the real app on it with its state
within reach (the limiter, say)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette

from hub.app import create_app
from hub.queries import QUERY_DIR, load_queries
from hub.settings import Settings
from hub.store import Params, Row
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from tests.conftest import TEST_QUERY_DIR, drop_graph

# What an unexpected error's message holds in these tests: were it to reach a caller or
# a log line, the test finds it there.
SECRET = "秘密-220821197803141234-stack-detail"


class FaultyStore(FalkorDBStore):
    """The real store, except that the queries named in `failing` raise their error and
    those named in `answers` answer those rows without running."""

    failing: dict[str, BaseException]
    answers: dict[str, list[Row]]
    calls: dict[str, int]

    def fail(self, query: str, error: BaseException) -> None:
        self.failing[query] = error

    def answer(self, query: str, rows: list[Row]) -> None:
        self.answers[query] = rows

    def heal(self) -> None:
        self.failing.clear()
        self.answers.clear()

    async def _timed(self, name: str, params: Params | None, *, write: bool) -> list[Row]:
        self.calls[name] = self.calls.get(name, 0) + 1
        error = self.failing.get(name)
        if error is not None:
            raise error
        if name in self.answers:
            return self.answers[name]
        return await super()._timed(name, params, write=write)


def faulty_store(
    server: EmbeddedServer, graph: str, kind: type[FaultyStore] = FaultyStore
) -> FaultyStore:
    assert server.address is not None
    store = kind.connect(
        load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR),
        graph,
        unix_socket=server.address.unix_socket,
        port=server.address.port or 0,
    )
    assert isinstance(store, kind)
    store.failing, store.answers, store.calls = {}, {}, {}
    return store


@asynccontextmanager
async def faulty_graph(
    server: EmbeddedServer, graph: str, kind: type[FaultyStore] = FaultyStore
) -> AsyncIterator[FaultyStore]:
    """A faulty store on a new graph with the schema applied, dropped afterwards."""
    store = faulty_store(server, graph, kind)
    await apply_schema(store)
    try:
        yield store
    finally:
        await store.close()
        drop_graph("falkordb", server, graph)


@dataclass
class PrivateApp:
    """The real app in this event loop, on a store of the test's own."""

    app: Starlette

    def client(self, address: str = "10.0.0.7") -> httpx.AsyncClient:
        """A client whose requests come from `address`."""
        transport = httpx.ASGITransport(app=self.app, client=(address, 50000))
        return httpx.AsyncClient(transport=transport, base_url="http://hub.test")


@asynccontextmanager
async def private_app(settings: Settings, store: FalkorDBStore) -> AsyncIterator[PrivateApp]:
    app = create_app(settings, store)
    async with app.router.lifespan_context(app):
        yield PrivateApp(app)
