"""Fixtures shared by every test: a real graph store, never a mock.

One embedded FalkorDB server runs for the whole session in a fresh data directory;
each test gets its own graph on it (dropped afterwards, and the `<graph>_audit` graph
beside it where the audit log was written). With `NEO4J_URI` set, every store test runs
against that Neo4j server too (its database is wiped after each test).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from pathlib import Path

import hypothesis
import pytest
import redis

from hub.queries import QUERY_DIR, load_queries
from hub.settings import Settings
from hub.store import GraphStore
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.neo4j import Neo4jStore
from hub.store.schema import apply_schema

# Property tests prove behaviour, not speed: on a shared 2-core machine timing checks only
# add noise, so no per-example deadline and no "too slow" health check.
hypothesis.settings.register_profile(
    "hub", deadline=None, suppress_health_check=[hypothesis.HealthCheck.too_slow]
)
hypothesis.settings.load_profile("hub")

TEST_QUERY_DIR = Path(__file__).parent / "store" / "queries"
NEO4J_URI = os.environ.get("NEO4J_URI")
ENGINES = ["falkordb", "neo4j"]


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


# The session's server, so that a failing test's report can say when it has crashed.
SESSION_SERVERS: list[EmbeddedServer] = []
CRASH_MARKS = ("crashed by signal", "BUG REPORT")


@pytest.fixture(scope="session")
def embedded_server(data_dir: Path) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(data_dir)
    server.start()
    SESSION_SERVERS.append(server)
    yield server
    SESSION_SERVERS.remove(server)
    server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failure while the embedded FalkorDB has crashed comes with the end of its log."""
    report: pytest.TestReport = yield
    if report.failed:
        for server in SESSION_SERVERS:
            log = server.log_file.read_text(encoding="utf-8", errors="replace")
            found = [log.find(mark) for mark in CRASH_MARKS if mark in log]
            if found:  # the bug report: signal, stack trace, then the server's state
                report.sections.append(("embedded FalkorDB crashed", log[min(found) :][:8_000]))
    return report


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "neo4j" and not NEO4J_URI:
        pytest.skip("neo4j: NEO4J_URI is not set, so the Neo4j run of this test is skipped")
    return name


def new_store(engine: str, server: EmbeddedServer, graph: str) -> GraphStore:
    queries = load_queries(engine, QUERY_DIR, TEST_QUERY_DIR)
    if engine == "neo4j":
        assert NEO4J_URI
        return Neo4jStore(
            NEO4J_URI,
            queries,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE"),
        )
    assert server.address
    return FalkorDBStore.connect(
        queries, graph, unix_socket=server.address.unix_socket, port=server.address.port or 0
    )


def drop_graph(engine: str, server: EmbeddedServer, graph: str) -> None:
    """Drop `graph` and, where the test wrote an audit record, its audit graph beside it."""
    if engine == "falkordb":
        assert server.address
        with server.address.client() as client:
            for name in (graph, f"{graph}_audit"):
                with contextlib.suppress(redis.ResponseError):  # the test never created it
                    client.execute_command("GRAPH.DELETE", name)


@pytest.fixture
def graph_name() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def store(
    engine: str, embedded_server: EmbeddedServer, graph_name: str
) -> AsyncIterator[GraphStore]:
    """A store with the schema applied on an empty graph of its own."""
    store = new_store(engine, embedded_server, graph_name)
    await apply_schema(store)
    try:
        yield store
    finally:
        if engine == "neo4j":
            await store.write("test_wipe")
        await store.close()
        drop_graph(engine, embedded_server, graph_name)


@pytest.fixture
def settings_for(data_dir: Path, embedded_server: EmbeddedServer) -> Callable[[str, str], Settings]:
    """Settings that point a hub process at the session's store and a given graph."""

    def make(engine: str, graph: str) -> Settings:
        if engine == "neo4j":
            # NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE reach Settings as HUB_GRAPH_*
            # only through the environment, so pass them explicitly.
            return Settings.model_validate(
                {
                    "graph_uri": NEO4J_URI,
                    "graph_user": os.environ.get("NEO4J_USER", "neo4j"),
                    "graph_password": os.environ.get("NEO4J_PASSWORD"),
                    "graph_database": os.environ.get("NEO4J_DATABASE"),
                    "data_dir": data_dir,
                }
            )
        return Settings(graph_uri="embedded", data_dir=data_dir, graph_database=graph)

    return make
