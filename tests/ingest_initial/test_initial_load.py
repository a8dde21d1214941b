"""`hub ingest-initial DIR` gives the graph the connectors give, through GRAPH.BULK: the same
nodes, relationships and properties, the same run reports, the same answers over HTTP; a
bad row is rejected as a connector rejects it; a graph that is not empty is refused."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from connectors import ingest_file, load_county
from connectors.initial.county import county_files
from hub.security.tokens import issue_token, load_secret_key
from hub.settings import Settings
from hub.store.embedded import EmbeddedServer
from hub.store.schema import apply_schema
from schema.departments import default_departments
from seed.county import CountyManifest
from tests.connectors.helpers import PROVENANCE, read_csv, snapshot
from tests.ingest_initial.conftest import Hub, store_of
from tests.serving import serving

REPORTED = (
    "dataset",
    "rows_read",
    "rows_accepted",
    "rows_rejected",
    "created",
    "updated",
    "unchanged",
    "parties_created",
    "status",
)

TRACE = """
query Trace($id: String!, $case: String!) {
  tracePerson(idNumber: $id, caseNumber: $case, maxHops: 2) {
    subject { idNumber name status residenceAddress phones }
    addresses { address kind source asOf }
    phones
    relatives { relation person { idNumberMasked name birthYear householdRegion }
                holdings { properties vehicles accounts enterprises } }
    enterprises { uscc name role sharePct }
    associates { hops via person { idNumberMasked name } addresses { address kind } }
  }
}"""

LOCATE = """
query Locate($subject: String!, $case: String!) {
  locateAssets(subject: $subject, caseNumber: $case, includeIndirect: true) {
    subject { id name kind }
    totalEstimatedValue
    properties { certNumber address estimatedValue status direct sharePct via source }
    vehicles { plateNumber vin status direct sharePct via source }
    accounts { bankCode accountNumber balance balanceAsOf status direct sharePct via source }
    equity { uscc name subscribedCapital status direct sharePct via }
  }
}"""


async def _connectors_graph(
    server: EmbeddedServer, graph: str, county: Path, data_dir: Path
) -> list[Any]:
    store = store_of(server, graph)
    try:
        await apply_schema(store)
        return await load_county(store, county, data_dir=data_dir)
    finally:
        await store.close()


async def test_a_county_loads_as_the_connectors_load_it(
    hub: Hub,
    county: tuple[Path, CountyManifest],
    embedded_server: EmbeddedServer,
    new_graph: Callable[[], str],
    tmp_path: Path,
) -> None:
    directory, manifest = county
    by_connectors, initial = new_graph(), new_graph()
    reports = await _connectors_graph(embedded_server, by_connectors, directory, tmp_path / "var")

    result = await hub("ingest-initial", str(directory), "--json", graph=initial)

    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    expected = [{name: getattr(report, name) for name in REPORTED} for report in reports]
    assert [{name: run[name] for name in REPORTED} for run in outcome["runs"]] == expected
    assert outcome["rows"] == sum(manifest.row_counts.values())
    one, other = store_of(embedded_server, by_connectors), store_of(embedded_server, initial)
    try:
        graph, loaded = await snapshot(one), await snapshot(other)
        assert loaded.comparable() == graph.comparable()  # every node, edge and property
        labels = {name: len(graph.with_label(name)) for name in ("Person", "Account", "Phone")}
        assert {name: len(loaded.with_label(name)) for name in labels} == labels
        run_ids = {run["run_id"] for run in outcome["runs"]}
        for _, props in loaded.nodes.values():
            assert set(props) >= PROVENANCE and props["batch_id"] in run_ids, props
        for rel_type, _, _, props in loaded.relationships:
            assert set(props) >= PROVENANCE and props["batch_id"] in run_ids, rel_type
        runs = await other.read("connector_runs", {"department": None, "first": 20})
        assert sorted(row["run"]["run_id"] for row in runs) == sorted(run_ids)
        assert {row["run"]["status"] for row in runs} == {"completed"}
        # the model's keys and indexes are in place, as `hub db init` makes them
        plan = await other.explain("person_by_id", {"id": "x", "max_items": 10})
        assert "Index" in plan, plan
    finally:
        await one.close()
        await other.close()


async def test_trace_and_assets_answer_the_same_over_http(
    hub: Hub,
    county: tuple[Path, CountyManifest],
    embedded_server: EmbeddedServer,
    new_graph: Callable[[], str],
    data_dir: Path,
) -> None:
    directory, manifest = county
    by_connectors, initial = new_graph(), new_graph()
    await _connectors_graph(embedded_server, by_connectors, directory, data_dir)
    assert (await hub("ingest-initial", str(directory), graph=initial)).exit_code == 0
    plants = manifest.scenarios
    asked = [
        (TRACE, {"id": plants.hidden_under_spouse.respondent.id_number}),
        (TRACE, {"id": plants.shared_phone_associate.respondent.id_number}),
        (LOCATE, {"subject": plants.hidden_under_spouse.respondent.id_number}),
        (LOCATE, {"subject": plants.many_holdings.respondent.id_number}),
    ]
    cases = [
        plants.hidden_under_spouse.case_number,
        plants.shared_phone_associate.case_number,
        plants.hidden_under_spouse.case_number,
        plants.many_holdings.case_number,
    ]
    answers = []
    for graph in (by_connectors, initial):
        settings = Settings(graph_uri="embedded", data_dir=data_dir, graph_database=graph)
        token = issue_token(
            load_secret_key(settings),
            role="officer",
            subject=plants.officer_id,
            department=None,
            ttl=timedelta(hours=1),
        )
        with serving(settings) as (url, _app):
            got = []
            for (query, variables), case in zip(asked, cases, strict=True):
                async with httpx.AsyncClient() as client:
                    response = await client.post(
                        f"{url}/graphql",
                        json={"query": query, "variables": {**variables, "case": case}},
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=60,
                    )
                assert response.status_code == 200, response.text
                assert "errors" not in response.json(), response.json()
                got.append(response.json()["data"])
        answers.append(got)
    # Lists come in the order the store keeps the elements, which differs between the loads.
    assert _unordered(answers[1]) == _unordered(answers[0])
    assert answers[0][0]["tracePerson"]["relatives"], "the planted spouse is traced"
    assert answers[0][3]["locateAssets"]["accounts"], "the many holdings are found"


def _unordered(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_unordered(item) for item in value), key=repr)
    return value


async def test_a_bad_row_is_rejected_as_the_connector_rejects_it(
    hub: Hub,
    county: tuple[Path, CountyManifest],
    embedded_server: EmbeddedServer,
    new_graph: Callable[[], str],
    tmp_path: Path,
    data_dir: Path,
) -> None:
    directory = tmp_path / "county"
    shutil.copytree(county[0], directory)
    persons = county_files(directory)["psb.persons"]
    lines = persons.read_text(encoding="utf-8").splitlines(keepends=True)
    bad_id = lines[5].split(",")[0]
    broken = bad_id[:-1] + ("0" if bad_id[-1] != "0" else "1")  # a wrong check character
    lines[5] = lines[5].replace(bad_id, broken, 1)
    persons.write_text("".join(lines), encoding="utf-8")
    alone = store_of(embedded_server, new_graph())
    try:
        await apply_schema(alone)
        connector = await ingest_file(
            alone, "psb.persons", persons, default_departments()["psb"], data_dir=tmp_path / "v"
        )
    finally:
        await alone.close()
    initial = new_graph()

    result = await hub("ingest-initial", str(directory), "--json", graph=initial)

    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)["runs"][0]
    assert (run["dataset"], run["rows_rejected"]) == ("psb.persons", 1)
    assert [reject["message"] for reject in run["rejects"]] == [
        reject.message for reject in connector.rejects
    ]
    assert run["rejects"][0]["line"] == 6 and run["rejects"][0]["column"] == "id_number"
    [rejected] = read_csv(data_dir / "runs" / run["run_id"] / "rejects.csv")
    assert rejected["id_number"] == broken and rejected["line"] == "6"
    assert rejected["reason"].startswith("id_number：")
    store = store_of(embedded_server, initial)
    try:
        loaded = await snapshot(store)
    finally:
        await store.close()
    assert broken not in loaded.nodes
    assert len(loaded.with_label("Person")) >= run["rows_accepted"]


async def test_a_graph_that_is_not_empty_is_refused(
    hub: Hub,
    county: tuple[Path, CountyManifest],
    embedded_server: EmbeddedServer,
    new_graph: Callable[[], str],
    tmp_path: Path,
) -> None:
    directory = county[0]
    graph = new_graph()
    persons = tmp_path / "persons.csv"
    persons.write_text(
        "".join(county_files(directory)["psb.persons"].read_text("utf-8").splitlines(True)[:3]),
        encoding="utf-8",
    )
    assert (await hub("ingest", "psb.persons", str(persons), graph=graph)).exit_code == 0

    result = await hub("ingest-initial", str(directory), graph=graph)

    assert result.exit_code == 2, result.output
    assert f"the graph {graph} is not empty: it holds 6 nodes" in result.output
    assert "Party:Person 2, Phone 2, Address 1, ConnectorRun 1" in result.output
    store = store_of(embedded_server, graph)
    try:
        assert len((await snapshot(store)).nodes) == 5  # untouched (and without its run)
    finally:
        await store.close()
    assert embedded_server.address
    with embedded_server.address.client() as client:
        assert not client.exists(f"{graph}_initial_load")


async def test_a_missing_file_refuses_the_whole_load(
    hub: Hub, county: tuple[Path, CountyManifest], new_graph: Callable[[], str], tmp_path: Path
) -> None:
    directory = tmp_path / "county"
    shutil.copytree(county[0], directory)
    (directory / "court.cases.csv").unlink()

    result = await hub("ingest-initial", str(directory), graph=new_graph())

    assert result.exit_code == 2, result.output
    assert "has no file for court.cases" in result.output


async def test_neo4j_import_files_and_command(
    hub: Hub,
    county: tuple[Path, CountyManifest],
    embedded_server: EmbeddedServer,
    new_graph: Callable[[], str],
    tmp_path: Path,
) -> None:
    directory, _ = county
    out = tmp_path / "import"
    by_connectors = new_graph()
    await _connectors_graph(embedded_server, by_connectors, directory, tmp_path / "var")

    result = await hub(
        "ingest-initial", str(directory), "--neo4j-import", str(out), graph=new_graph()
    )

    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full" in result.stdout
    assert f"--nodes=Party:Person={out / 'nodes_party_person.csv'}" in result.stdout
    assert f"--relationships=HAS_PHONE={out / 'relationships_has_phone.csv'}" in result.stdout
    persons = read_csv(out / "nodes_party_person.csv")
    assert list(persons[0])[:2] == [":ID", "party_id"]
    assert "verified:boolean" in persons[0] and "converted_from_15:boolean" in persons[0]
    phones = read_csv(out / "relationships_has_phone.csv")
    assert list(phones[0]) == [":START_ID", ":END_ID", "as_of", "source", "batch_id", "loaded_at"]
    ids = set()
    node_rows = 0
    for path in out.glob("nodes_*.csv"):
        rows = read_csv(path)
        ids |= {row[":ID"] for row in rows}
        node_rows += len(rows)
    edge_rows = 0
    for path in out.glob("relationships_*.csv"):
        rows = read_csv(path)
        assert all(row[":START_ID"] in ids and row[":END_ID"] in ids for row in rows), path
        edge_rows += len(rows)
    store = store_of(embedded_server, by_connectors)
    try:
        graph = await snapshot(store)  # without its 11 runs
    finally:
        await store.close()
    assert (node_rows, edge_rows) == (len(graph.nodes) + 11, len(graph.relationships))


def _spools(data_dir: Path) -> list[Path]:
    return list(data_dir.glob("initial-load-spool-*"))


def _spooled(data_dir: Path) -> list[Path]:
    return list(data_dir.glob("initial-load-spool-*/*.pickles"))


def _kill_when(command: list[str], env: dict[str, str], began: Callable[[], bool]) -> list[int]:
    """Start the load and kill it (SIGKILL) as soon as `began()`; its child processes then,
    which must end with it."""
    loading = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    tasks = Path(f"/proc/{loading.pid}/task")
    deadline = time.monotonic() + 120
    while not began():
        assert loading.poll() is None, loading.communicate()
        assert time.monotonic() < deadline, "the load never got there"
        time.sleep(0.002)
    children = [int(pid) for task in tasks.iterdir() for pid in _children(task)]
    loading.kill()
    loading.wait()
    for child in children:  # its validating processes end with it
        while Path(f"/proc/{child}").exists() and "Z" not in _state(child):
            assert time.monotonic() < deadline + 30, f"process {child} outlived the load"
            time.sleep(0.05)
    return children


def _children(task: Path) -> list[str]:
    try:
        return (task / "children").read_text().split()
    except OSError:
        return []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.mark.parametrize("moment", ["validating", "bulk"])
async def test_a_load_killed_half_way_leaves_an_empty_graph_and_is_cleaned_by_the_next(
    moment: str,
    county: tuple[Path, CountyManifest],
    embedded_server: EmbeddedServer,
    new_graph: Callable[[], str],
    data_dir: Path,
) -> None:
    graph = new_graph()
    staging = f"{graph}_initial_load"
    env = {
        **os.environ,
        "HUB_GRAPH_URI": "embedded",
        "HUB_DATA_DIR": str(data_dir),
        "HUB_GRAPH_DATABASE": graph,
    }
    command = [str(Path(sys.executable).parent / "hub"), "ingest-initial", str(county[0])]
    assert embedded_server.address
    with embedded_server.address.client() as client:
        if moment == "bulk":  # the first GRAPH.BULK has run

            def began() -> bool:
                return bool(client.exists(staging))
        else:  # the files are being validated: rows spooled to disk

            def began() -> bool:
                return bool(_spooled(data_dir))

        children = await asyncio.to_thread(_kill_when, command, env, began)
        assert children or moment == "bulk"  # validating processes, ended with the load
        assert not client.exists(graph)  # the hub's graph: still empty
        state = json.loads((data_dir / "initial-load.json").read_text(encoding="utf-8"))
        assert len(state["runs"]) == 11
        killed = [data_dir / "runs" / run_id / "report.json" for run_id in state["runs"]]
        assert {json.loads(path.read_text())["status"] for path in killed} == {"running"}

        again = await asyncio.to_thread(
            subprocess.run, [*command, "--json"], env=env, capture_output=True, text=True
        )

        assert again.returncode == 0, again.stderr
        if moment == "bulk":
            assert f"removing the partial graph {staging}" in again.stderr
        assert not client.exists(staging)
        assert {json.loads(path.read_text())["status"] for path in killed} == {"interrupted"}
        assert not (data_dir / "initial-load.json").exists()
        assert not _spools(data_dir)  # nor the rows it had spooled
    outcome = json.loads(again.stdout)
    assert outcome["rows"] == sum(county[1].row_counts.values())
    store = store_of(embedded_server, graph)
    try:
        loaded = await snapshot(store)
    finally:
        await store.close()
    assert len(loaded.nodes) == outcome["nodes"] - 11  # all of it, once (its runs aside)
    assert len(loaded.relationships) == outcome["relationships"]
