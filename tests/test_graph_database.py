"""Which graph a command uses when HUB_GRAPH_DATABASE is unset: each engine's own default.

FalkorDB has no default graph, so the hub names one (`hub`); Neo4j has a default
database, and a name the server does not know fails every query (DatabaseNotFound). No
Neo4j runs here: these check what reaches the driver, and what the tests hand a `hub`
process, without one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hub.queries import load_queries
from hub.settings import DEFAULT_FALKORDB_GRAPH, Settings
from hub.store import open_store
from tests.security.support import hub_env

NEO4J_URIS = ["neo4j://db:7687", "neo4j+s://db.example", "bolt://127.0.0.1:7687"]


@pytest.fixture(autouse=True)
def no_hub_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Settings as a bare shell gives them: no HUB_ variable, no .env file."""
    monkeypatch.chdir(tmp_path)
    for name in ("HUB_GRAPH_DATABASE", "HUB_GRAPH_URI", "HUB_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("uri", NEO4J_URIS)
def test_neo4j_uses_the_servers_default_database_unless_one_is_named(uri: str) -> None:
    assert Settings(graph_uri=uri).database is None
    assert Settings(graph_uri=uri, graph_database="county").database == "county"


@pytest.mark.parametrize("uri", ["embedded", "falkordb://127.0.0.1:6379"])
def test_falkordb_uses_the_hubs_graph_unless_one_is_named(uri: str) -> None:
    assert Settings(graph_uri=uri).database == DEFAULT_FALKORDB_GRAPH == "hub"
    assert Settings(graph_uri=uri).graph_name == "hub"
    assert Settings(graph_uri=uri, graph_database="county").database == "county"


def test_the_environment_variable_names_the_graph_on_either_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HUB_GRAPH_DATABASE", "county")
    assert Settings(graph_uri="bolt://db:7687").database == "county"
    assert Settings(graph_uri="embedded").database == "county"


def test_open_store_hands_neo4j_no_database_name_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hub.store.neo4j

    opened: list[dict[str, Any]] = []

    class Recorder:
        def __init__(self, uri: str, queries: object, **options: Any) -> None:
            opened.append({"uri": uri, **options})

    monkeypatch.setattr(hub.store.neo4j, "Neo4jStore", Recorder)
    open_store(Settings(graph_uri="bolt://db:7687"), load_queries("neo4j"))
    open_store(Settings(graph_uri="bolt://db:7687", graph_database="county"), load_queries("neo4j"))

    assert [o["database"] for o in opened] == [None, "county"]


def test_a_hub_process_the_tests_start_on_neo4j_gets_no_falkordb_graph_name(
    tmp_path: Path,
) -> None:
    """The CLI tests (tests/security/) once passed the graph name `hub` to the Neo4j run."""
    neo4j = Settings(graph_uri="bolt://db:7687", data_dir=tmp_path)
    falkordb = Settings(graph_uri="embedded", data_dir=tmp_path, graph_database="t_1")

    assert "HUB_GRAPH_DATABASE" not in hub_env(neo4j)
    assert hub_env(falkordb)["HUB_GRAPH_DATABASE"] == "t_1"
