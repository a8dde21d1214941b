"""A connector run that fails: the writer's retries running out, a failure that is not the
store's, and the run report as it is kept (report.json and the graph's ConnectorRun); and
the cap on the rejects a report lists. Faults come from tests/faults.py's store."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from connectors import RunReport, ingest_file, writer
from connectors.report import REPORT_FILE, get_run, run_dir
from hub.store import Params, Row, StoreError
from hub.store.embedded import EmbeddedServer
from schema.departments import default_departments
from tests.connectors.conftest import Load
from tests.connectors.helpers import person_id, read_csv
from tests.faults import FaultyStore, faulty_graph

PERSONS_QUERY = "ingest_psb_persons"
RECORD_QUERY = "ingest_run_record"
DELAYS = (0.0, 0.0, 0.0)  # three retries, no waiting
BUSY = "FalkorDB query failed: BUSY preparing to fork"
LISTED_REJECTS = 1_000  # docs/configuration.md: MAX_REPORTED_REJECTS


class CountdownStore(FaultyStore):
    """Fails the persons query `failures` times with a StoreError, then runs it; with
    `lose_the_last_record`, recording the run fails too once those failures are spent."""

    failures = 0
    lose_the_last_record = False

    async def _timed(self, name: str, params: Params | None, *, write: bool) -> list[Row]:
        if name == PERSONS_QUERY and self.failures:
            self.failures -= 1
            self.calls[name] = self.calls.get(name, 0) + 1
            raise StoreError(BUSY)
        spent = not self.failures and self.calls.get(PERSONS_QUERY)
        if name == RECORD_QUERY and self.lose_the_last_record and spent:
            raise StoreError("FalkorDB connection lost")
        return await super()._timed(name, params, write=write)


@pytest.fixture
async def store(embedded_server: EmbeddedServer, graph_name: str) -> AsyncIterator[FaultyStore]:
    async with faulty_graph(embedded_server, graph_name, CountdownStore) as store:
        yield store


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer, "RETRY_DELAYS_S", DELAYS)


async def persons(tmp_path: Path, count: int = 2) -> Path:
    lines = ["id_number,name"] + [f"{person_id(n)},张{n}" for n in range(1, count + 1)]
    path = tmp_path / "persons.csv"
    await asyncio.to_thread(path.write_text, "\n".join(lines) + "\n", "utf-8")
    return path


async def ingest(store: FaultyStore, path: Path, runs_dir: Path) -> RunReport:
    psb = default_departments()["psb"]
    return await ingest_file(store, "psb.persons", path, psb, data_dir=runs_dir)


def only_run(runs_dir: Path) -> dict[str, object]:
    [folder] = (runs_dir / "runs").iterdir()
    kept: dict[str, object] = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    return kept


async def test_a_batch_that_fails_on_every_retry_fails_the_run_and_says_why(
    store: CountdownStore, tmp_path: Path, runs_dir: Path
) -> None:
    store.failures = len(DELAYS) + 1  # the first attempt and every retry

    with pytest.raises(StoreError, match="BUSY preparing to fork"):
        await ingest(store, await persons(tmp_path), runs_dir)

    assert store.calls[PERSONS_QUERY] == len(DELAYS) + 1
    kept = only_run(runs_dir)
    assert (kept["status"], kept["error"]) == ("failed", f"StoreError: {BUSY}")
    assert (kept["rows_read"], kept["finished_at"] is not None) == (2, True)
    run = await get_run(store, str(kept["run_id"]))  # as `hub runs` and connectorRuns see it
    assert run is not None
    assert (run.status, run.error) == ("failed", f"StoreError: {BUSY}")


async def test_a_batch_that_succeeds_on_its_last_retry_completes_the_run(
    store: CountdownStore, tmp_path: Path, runs_dir: Path
) -> None:
    store.failures = len(DELAYS)  # every retry but the last one fails

    report = await ingest(store, await persons(tmp_path), runs_dir)

    assert store.calls[PERSONS_QUERY] == len(DELAYS) + 1
    assert (report.status, report.error, report.created) == ("completed", None, 2)


async def test_a_failure_that_is_not_the_stores_is_not_retried(
    store: CountdownStore, tmp_path: Path, runs_dir: Path
) -> None:
    store.fail(PERSONS_QUERY, KeyError("created"))  # a reply without the expected column

    with pytest.raises(KeyError):
        await ingest(store, await persons(tmp_path), runs_dir)

    assert store.calls[PERSONS_QUERY] == 1
    kept = only_run(runs_dir)
    assert (kept["status"], kept["error"]) == ("failed", "KeyError: 'created'")


async def test_a_failed_run_is_kept_even_when_recording_it_fails_too(
    store: CountdownStore, tmp_path: Path, runs_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store.failures = len(DELAYS) + 1
    store.lose_the_last_record = True

    with pytest.raises(StoreError, match="BUSY"):  # the run's own failure, not the record's
        await ingest(store, await persons(tmp_path), runs_dir)

    assert only_run(runs_dir)["status"] == "failed"  # on disk, where hub runs finds it
    assert "could not record the failed run" in caplog.text


async def test_the_report_lists_the_first_rejects_and_the_rejects_file_has_them_all(
    load: Load, runs_dir: Path
) -> None:
    bad_rows = LISTED_REJECTS + 7
    lines = ["id_number,name"] + [f"{n:018d},张{n}" for n in range(bad_rows)]  # no check digit

    report = await load("psb.persons", "\n".join(lines) + "\n")

    assert (report.rows_read, report.rows_rejected) == (bad_rows, bad_rows)
    assert len(report.rejects) == LISTED_REJECTS
    assert [r.line for r in report.rejects] == list(range(2, LISTED_REJECTS + 2))
    kept = json.loads((run_dir(runs_dir, report.run_id) / REPORT_FILE).read_text("utf-8"))
    assert len(kept["rejects"]) == LISTED_REJECTS
    all_rejects = read_csv(run_dir(runs_dir, report.run_id) / "rejects.csv")
    assert len(all_rejects) == bad_rows
