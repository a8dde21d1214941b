"""Reading a whole county for a first load: every file checked, validated and built in memory.

`read_county` opens the file of every dataset first and refuses the whole load
(`FileRefused`, naming the dataset and file) when one is missing, unreadable or lacks a
required column: nothing is written, not even a run. Then, in load order, each file is one
run, as `ingest_file` would make it: the connectors' row models (`_next_chunk`), the same
rejects (`rejects.csv`, the first ones in the report), the same hash and provenance; its
rows are applied to a `CountyGraph` as the connectors' queries would apply them, and its
report gets the counts a connector run into an empty graph reports. The runs' reports are
kept on disk as running until the caller has written the graph (`finish`).

The runs' `ConnectorRun` nodes are part of the graph built, with the properties
`ingest_run_record.cypher` gives them, so the graph appears with its runs in one step.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from connectors.datasets import DATASETS
from connectors.initial.graph import CountyGraph, RunProvenance
from connectors.initial.validate import (
    Validated,
    ValidateJob,
    end_with_parent,
    spooled_chunks,
    validate_file,
)
from connectors.pipeline import FileBroken, _open, _Run, ignored_columns
from connectors.readers import Source, format_of
from connectors.refused import FileRefused
from connectors.report import REJECTS_URL, RunReport, save_report, utc_now, utc_text
from schema.datasets import DATASETS_IN_LOAD_ORDER
from schema.departments import Department

log = logging.getLogger(__name__)

CHUNK_ROWS = 5_000  # rows validated at a time (a progress step)
VALIDATING_PROCESSES = 2  # files validated side by side, ahead of the build
SPOOL_PREFIX = "initial-load-spool-"  # the validated rows' folder in the data directory
Progress = Callable[[str, int], None]  # (dataset, rows read so far)


@dataclass
class CountyRead:
    """The county as built, and its runs: report and folder, in load order."""

    graph: CountyGraph = field(default_factory=CountyGraph)
    runs: list[_Run] = field(default_factory=list)

    @property
    def reports(self) -> list[RunReport]:
        return [run.report for run in self.runs]

    def finish(self, error: str | None = None) -> None:
        """Record the runs as ended (on disk; the graph has its own copy): completed once the
        graph is written, failed with `error` when it could not be."""
        for run in self.runs:
            report = run.report
            if error is not None:
                report.status, report.error = "failed", error
            report.finished_at = report.updated_at = utc_text(utc_now())
            save_report(report, run.run_dir)


def county_files(directory: Path) -> dict[str, Path]:
    """The file of each dataset in `directory` (`{dataset}.{csv|jsonl|xlsx}`), in load order."""
    from connectors.county import dataset_file

    return {name: dataset_file(directory, name) for name in DATASETS_IN_LOAD_ORDER}


def read_county(
    directory: Path,
    departments: Mapping[str, Department],
    data_dir: Path,
    *,
    request_id: str | None = None,
    progress: Progress | None = None,
    on_run: Callable[[RunReport], None] | None = None,
    workers: int = VALIDATING_PROCESSES,
) -> CountyRead:
    """Read, validate and build every dataset of `directory` (see the module docstring).

    `departments` gives the publisher of each dataset by name; `on_run` is told of each run
    once its file is accepted, before its rows are read. The files are validated by
    `workers` processes ahead of the build (`connectors.initial.validate`); with 0, here."""
    files = county_files(directory)
    county = CountyRead()
    with contextlib.ExitStack() as stack:
        sources = {name: _opened(stack, name, path) for name, path in files.items()}
        for name, path in files.items():
            source, department = sources[name], departments[name]
            ignored = ignored_columns(DATASETS[name], source.columns)
            run = _Run.start(
                DATASETS[name], department, source, path.name, ignored, data_dir, request_id
            )
            if on_run is not None:
                on_run(run.report)
            save_report(run.report, run.run_dir)
            county.runs.append(run)
    spool = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIX, dir=data_dir))
    run = county.runs[0]
    try:
        jobs = [
            ValidateJob(
                run.dataset.name,
                path,
                run.report.department,
                run.run_dir,
                spool / f"{run.dataset.name}.pickles",
                CHUNK_ROWS,
            )
            for run, path in zip(county.runs, files.values(), strict=True)
        ]
        with _validating(workers) as submit:
            validated = [submit(job) for job in jobs]
            for run, job, done in zip(county.runs, jobs, validated, strict=True):
                _build_run(county.graph, run, job, done.result(), progress)
                county.graph.seal()
    except BaseException as error:
        _stopped(county, run.dataset.name, error)
        raise
    finally:
        shutil.rmtree(spool, ignore_errors=True)
    for run in county.runs:
        _add_run_node(county.graph, run.report)
    return county


def _stopped(county: CountyRead, dataset: str, error: BaseException) -> None:
    """The runs not read yet when the load stopped at `dataset`: failed, nothing written."""
    reason = error.reason_en if isinstance(error, FileRefused) else type(error).__name__
    for run in county.runs:
        if run.report.status in ("running", "completed"):
            run.report.status = "failed"
            run.report.error = (
                f"the initial load stopped at {dataset} ({reason}); nothing was written"
            )
            run.report.finished_at = utc_text(utc_now())
            save_report(run.report, run.run_dir)


@contextlib.contextmanager
def _validating(workers: int) -> Iterator[Callable[[ValidateJob], Future[Validated]]]:
    if workers <= 0:

        def here(job: ValidateJob) -> Future[Validated]:
            done: Future[Validated] = Future()
            done.set_result(validate_file(job))
            return done

        yield here
        return
    # spawn, not fork: the caller may run in a thread of a process with others
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=end_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        yield lambda job: pool.submit(validate_file, job)


def _opened(stack: contextlib.ExitStack, dataset: str, path: Path) -> Source:
    try:
        source = _open(stack, path, format_of(path, None), None)
        ignored_columns(DATASETS[dataset], source.columns)
    except FileRefused as refused:
        raise FileRefused(
            f"{dataset}（{path.name}）：{refused.reason_zh}",
            f"{dataset} ({path.name}): {refused.reason_en}",
        ) from None
    return source


def _build_run(
    graph: CountyGraph,
    run: _Run,
    job: ValidateJob,
    validated: Validated,
    progress: Progress | None,
) -> None:
    report, dataset = run.report, run.dataset
    started = time.perf_counter()
    provenance = RunProvenance(report.department, report.run_id, report.started_at)
    for rows in spooled_chunks(job.spool):
        counts = graph.add(dataset.query, provenance, rows)
        report.created += counts.created
        report.updated += counts.updated
        report.parties_created += counts.parties_created
        report.rows_accepted += len(rows)
        if progress is not None:
            progress(dataset.name, report.rows_accepted)
    report.rows_read = validated.rows_read
    report.rows_rejected = validated.rows_rejected
    report.rejects = validated.rejects
    if validated.rejects_written:
        report.rejects_file = REJECTS_URL.format(run_id=report.run_id)
    report.unchanged = report.rows_accepted - report.created - report.updated
    report.duration_s = round(time.perf_counter() - started, 3)
    report.updated_at = utc_text(utc_now())
    if validated.broken is not None:
        broken = FileBroken(*validated.broken)
        report.status, report.error = "failed", broken.reason_en
        report.finished_at = report.updated_at
        broken.report = report
        save_report(report, run.run_dir)
        raise broken
    report.status = "completed"  # as the graph will hold it; on disk once it does
    save_report(dataclasses.replace(report, status="running"), run.run_dir)
    log.info(
        "%s: %d rows read, %d rejected, %d created, %d updated (%.1f s)",
        dataset.name,
        report.rows_read,
        report.rows_rejected,
        report.created,
        report.updated,
        report.duration_s,
    )


def _add_run_node(graph: CountyGraph, report: RunReport) -> None:
    """The run's ConnectorRun node as ingest_run_record.cypher makes it."""
    props = report.graph_properties()
    props.update(
        source=report.department,
        batch_id=report.run_id,
        loaded_at=report.updated_at or report.started_at,
    )
    graph.create("run", report.run_id, "ConnectorRun", props)
