"""A generated county, `hub ingest-initial` run on it as an operator runs it, and the same
county loaded through the connectors for comparison, all on the session's embedded store."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hub.cli import app
from hub.queries import QUERY_DIR, load_queries
from hub.settings import get_settings
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from seed.county import generate_county
from seed.manifest import CountyManifest
from tests.conftest import TEST_QUERY_DIR, drop_graph

PERSONS = 400
SEED = 7

Hub = Callable[..., Awaitable[Result]]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CountyManifest]:
    directory = tmp_path_factory.mktemp("county")
    return directory, generate_county(directory, PERSONS, SEED)


@pytest.fixture
def new_graph(embedded_server: EmbeddedServer) -> Iterator[Callable[[], str]]:
    """Names of new graphs, dropped after the test (with their audit and staging graphs)."""
    made: list[str] = []

    def make() -> str:
        made.append(f"t_{uuid.uuid4().hex[:12]}")
        return made[-1]

    yield make
    for graph in made:
        drop_graph("falkordb", embedded_server, graph)
        drop_graph("falkordb", embedded_server, f"{graph}_initial_load")


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Hub:
    """`hub ARGS` against graph `graph` of the session's store (in a thread of its own: the
    command runs its own event loop)."""

    async def run(*args: str, graph: str) -> Result:
        monkeypatch.setenv("HUB_GRAPH_URI", "embedded")
        monkeypatch.setenv("HUB_DATA_DIR", str(data_dir))
        monkeypatch.setenv("HUB_GRAPH_DATABASE", graph)
        monkeypatch.delenv("HUB_DEPARTMENTS_FILE", raising=False)
        get_settings.cache_clear()
        try:
            return await asyncio.to_thread(CliRunner().invoke, app, list(args))
        finally:
            get_settings.cache_clear()

    return run


def store_of(server: EmbeddedServer, graph: str) -> FalkorDBStore:
    """A store on `graph` that also knows the tests' queries (test_nodes, …)."""
    assert server.address
    return FalkorDBStore.connect(
        load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR),
        graph,
        unix_socket=server.address.unix_socket,
        port=server.address.port or 0,
    )
