"""`hub ingest`, `hub runs` and `hub seed generate`, run as a clerk would run them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from hub.cli import app
from hub.settings import get_settings
from hub.store import GraphStore
from tests.connectors.helpers import person_id, snapshot

GOOD, BAD = person_id(1), person_id(2)[:-1] + "Z"
PERSONS = f"id_number,name,gender\n{GOOD},张三,男\n{BAD},李四,女\n"


@pytest.fixture
def hub_env(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, graph_name: str, store: GraphStore
) -> Iterator[None]:
    """Point the CLI at the test's graph on the session's embedded store."""
    if store.engine != "falkordb":
        pytest.skip("the CLI tests drive the embedded store")
    monkeypatch.setenv("HUB_GRAPH_URI", "embedded")
    monkeypatch.setenv("HUB_DATA_DIR", str(data_dir))
    monkeypatch.setenv("HUB_GRAPH_DATABASE", graph_name)
    monkeypatch.delenv("HUB_DEPARTMENTS_FILE", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def hub(*args: str) -> Result:
    """Run `hub ARGS` in a thread of its own (the command runs its own event loop)."""
    return await asyncio.to_thread(CliRunner().invoke, app, list(args))


@pytest.fixture
def persons_file(tmp_path: Path) -> Path:
    path = tmp_path / "persons.csv"
    path.write_text(PERSONS, encoding="utf-8")
    return path


async def test_ingest_prints_the_report_and_exits_0_despite_rejects(
    hub_env: None, store: GraphStore, persons_file: Path
) -> None:
    result = await hub("ingest", "psb.persons", str(persons_file))

    assert result.exit_code == 0, result.output
    assert "rows read 2, accepted 1, rejected 1" in result.stdout
    assert "created 1, updated 0, unchanged 0" in result.stdout
    assert "第 3 行 id_number：" in result.stdout
    assert "rejects.csv" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no progress bar
    assert list((await snapshot(store)).with_label("Person")) == [GOOD]


async def test_ingest_json_prints_the_report_alone(hub_env: None, persons_file: Path) -> None:
    result = await hub("ingest", "psb.persons", str(persons_file), "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["created"], report["rows_rejected"]) == (1, 1)
    assert report["rejects"][0]["line"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["psb.persons", "{missing_column}"], "the header lacks required columns: name"),
        (["psb.people", "{persons}"], "unknown dataset 'psb.people'"),
        (["psb.persons", "{persons}", "--department", "bank"], "may not publish psb.persons"),
        (["psb.persons", "{persons}", "--department", "nobody"], "'nobody' is not registered"),
        (["psb.persons", "{persons}", "--encoding", "ascii"], "do not decode as ascii"),
        (["psb.persons", "{nowhere}"], "cannot read"),
    ],
)
async def test_ingest_exits_2_when_the_file_is_refused(
    hub_env: None,
    store: GraphStore,
    persons_file: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    missing = tmp_path / "missing.csv"
    missing.write_text(f"id_number,gender\n{GOOD},男\n", encoding="utf-8")
    paths = {"persons": persons_file, "missing_column": missing, "nowhere": tmp_path / "no.csv"}

    result = await hub("ingest", *[arg.format(**paths) for arg in args])

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert (await snapshot(store)).nodes == {}


async def test_runs_lists_the_latest_runs(hub_env: None, persons_file: Path) -> None:
    first = json.loads((await hub("ingest", "psb.persons", str(persons_file), "--json")).stdout)

    listed = await hub("runs")
    as_json = await hub("runs", "--department", "psb", "--limit", "1", "--json")
    other = await hub("runs", "--department", "bank")

    assert listed.exit_code == 0, listed.output
    assert first["run_id"] in listed.stdout and "psb.persons" in listed.stdout
    assert [run["run_id"] for run in json.loads(as_json.stdout)] == [first["run_id"]]
    assert other.stdout.strip() == "no connector runs"


async def test_seed_generate_writes_a_county(tmp_path: Path) -> None:
    out = tmp_path / "county"

    result = await hub(
        "seed", "generate", "--out", str(out), "--persons", "200", "--format", "jsonl"
    )

    assert result.exit_code == 0, result.output
    assert (out / "psb.persons.jsonl").is_file() and (out / "manifest.json").is_file()
    assert "psb.persons" in result.stdout and "total" in result.stdout
