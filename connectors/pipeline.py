"""The pipeline every connector runs: read → validate → map → write in batches → report.

`ingest_file` refuses a file whole (`FileRefused`) before writing anything when it cannot
be loaded at all; otherwise it loads the good rows, writes each bad one to the run's
`rejects.csv` and returns (and keeps) the run report. The file is streamed in chunks of
`batch_size` rows: a chunk is read and validated in a worker thread while the previous one
is being written, so the Python work overlaps with the store's.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from connectors.dataset import Dataset, GraphRow, PartyRef
from connectors.datasets import DATASETS
from connectors.fields import CHINA_TZ
from connectors.readers import Format, Record, Source, format_of, open_source
from connectors.refused import FileRefused
from connectors.rejects import REJECTS_FILE, Reject, RejectsFile, rejects_of
from connectors.report import MAX_REPORTED_REJECTS, RunReport, record_run, save_report
from connectors.writer import BatchWriter, Provenance
from hub.departments import Department
from hub.settings import WRITE_BATCH_SIZE
from hub.store import GraphStore

log = logging.getLogger(__name__)

Progress = Callable[[int], None]


async def ingest_file(
    store: GraphStore,
    dataset: str,
    path: Path,
    department: Department,
    *,
    encoding: str | None = None,
    fmt: Format | None = None,
    display_name: str | None = None,
    data_dir: Path,
    progress: Progress | None = None,
    batch_size: int = WRITE_BATCH_SIZE,
) -> RunReport:
    """Load one department file of `dataset` into the graph and return the run report.

    Raises `FileRefused` (nothing written) for an unknown dataset, a department that does
    not own it, or a file that cannot be read or lacks a required column.
    """
    spec = dataset_named(dataset)
    if not department.owns(spec.name):
        raise FileRefused(
            f"部门 {department.code}（{department.kind}）无权报送 {spec.name}，"
            f"该数据集由 {spec.owner} 类部门报送",
            f"department {department.code} ({department.kind}) may not publish {spec.name}; "
            f"only {spec.owner} departments do",
        )
    with contextlib.ExitStack() as stack:
        # Checking the file reads all of it (hash, encoding): not on the event loop.
        opening = open_source(path, format_of(path, fmt), encoding)
        source = await asyncio.to_thread(stack.enter_context, opening)
        ignored = ignored_columns(spec, source.columns)
        run = _Run.start(spec, department, source, display_name or path.name, ignored, data_dir)
        log.info("run %s: loading %s from %s", run.report.run_id, spec.name, path.name)
        await run.load(store, source.records, progress, batch_size)
    log.info(
        "run %s: %d rows read, %d rejected, %d created, %d updated, %.1f s",
        run.report.run_id,
        run.report.rows_read,
        run.report.rows_rejected,
        run.report.created,
        run.report.updated,
        run.report.duration_s,
    )
    return run.report


def dataset_named(name: str) -> Dataset[Any]:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        raise FileRefused(
            f"未知的数据集“{name}”，可用的有：{known}",
            f"unknown dataset '{name}'; the datasets are: {known}",
        ) from None


def ignored_columns(dataset: Dataset[Any], columns: tuple[str, ...]) -> list[str]:
    """The file's columns the dataset does not use; refuses a file lacking a required one."""
    missing = [column for column in dataset.required_columns if column not in columns]
    if missing:
        names = ", ".join(missing)
        raise FileRefused(
            f"表头缺少必填列：{names}（{dataset.name} 的必填列为 "
            f"{', '.join(dataset.required_columns)}）",
            f"the header lacks required columns: {names} ({dataset.name} requires "
            f"{', '.join(dataset.required_columns)})",
        )
    known = set(dataset.columns)
    return [column for column in columns if column and column not in known]


def row_hash(source: str, row: GraphRow) -> str:
    """A digest of what a row writes, stored beside it: an equal hash means nothing to do."""
    return hashlib.blake2b(f"{source}|{row!r}".encode(), digest_size=16).hexdigest()


# The graph store cannot hold it (FalkorDB's parser ends a query at NUL): refuse the row.
NUL_PROBLEM = (
    "含有空字符（NUL, \\x00），请删除后重新报送",
    "contains the NUL character (\\x00); remove it and send the row again",
)


def _nul_column(cells: dict[str, Any]) -> str | None:
    for column, value in cells.items():
        if type(value) is str and "\x00" in value:
            return column
    return None


@dataclass
class _Chunk:
    read: int = 0
    rows: list[tuple[GraphRow, list[PartyRef]]] = field(default_factory=list)
    rejected: list[tuple[Record, list[Reject]]] = field(default_factory=list)


def _next_chunk(records: Iterator[Record], dataset: Dataset[Any], source: str, size: int) -> _Chunk:
    """Read up to `size` records; validate and map each (runs in a worker thread)."""
    chunk = _Chunk()
    model, to_graph, parties = dataset.model, dataset.to_graph, dataset.parties
    for record in islice(records, size):
        chunk.read += 1
        if record.problem is not None:
            chunk.rejected.append((record, [Reject(record.line, record.column, *record.problem)]))
            continue
        if nul := _nul_column(record.cells):
            chunk.rejected.append((record, [Reject(record.line, nul, *NUL_PROBLEM)]))
            continue
        try:
            valid = model.model_validate(record.cells)
        except ValidationError as error:
            chunk.rejected.append((record, rejects_of(record.line, error)))
            continue
        row = to_graph(valid)
        row["hash"] = row_hash(source, row)
        chunk.rows.append((row, list(parties(valid))))
    return chunk


class _Run:
    """One run of `ingest_file` once the file is accepted: its report and its rejects."""

    def __init__(
        self, dataset: Dataset[Any], report: RunReport, columns: tuple[str, ...], run_dir: Path
    ) -> None:
        self.dataset = dataset
        self.report = report
        self.columns = columns  # the file's own, for rejects.csv
        self.run_dir = run_dir
        self._started = time.perf_counter()

    @classmethod
    def start(
        cls,
        dataset: Dataset[Any],
        department: Department,
        source: Source,
        file_name: str,
        ignored: list[str],
        data_dir: Path,
    ) -> _Run:
        now = datetime.now(CHINA_TZ)
        # Sorts in start order (hub runs lists by it), and is unique: a directory name.
        run_id = f"{now:%Y%m%dT%H%M%S.%f}-{uuid.uuid4().hex[:6]}"
        started = now.replace(microsecond=0)
        report = RunReport(
            run_id=run_id,
            dataset=dataset.name,
            department=department.code,
            file_name=file_name,
            format=source.fmt,
            encoding=source.encoding,
            sha256=source.sha256,
            started_at=started.isoformat(),
            ignored_columns=ignored,
        )
        return cls(dataset, report, source.columns, data_dir / "runs" / run_id)

    async def load(
        self,
        store: GraphStore,
        records: Iterator[Record],
        progress: Progress | None,
        batch_size: int,
    ) -> None:
        report = self.report
        provenance = Provenance(report.department, report.run_id, report.started_at)
        writer = BatchWriter(store, self.dataset, provenance, batch_size)
        with RejectsFile(self.run_dir / REJECTS_FILE, self.columns) as rejects:
            try:
                await self._stream(records, writer, rejects, progress, batch_size)
                await writer.close()
            except BaseException as error:
                await writer.abort()
                await self._finish(store, writer, rejects, error)
                raise
        await self._finish(store, writer, rejects, None)

    async def _stream(
        self,
        records: Iterator[Record],
        writer: BatchWriter,
        rejects: RejectsFile,
        progress: Progress | None,
        batch_size: int,
    ) -> None:
        report, dataset, source = self.report, self.dataset, self.report.department
        while True:
            chunk = await asyncio.to_thread(_next_chunk, records, dataset, source, batch_size)
            if not chunk.read:
                return
            report.rows_read += chunk.read
            report.rows_accepted += len(chunk.rows)
            for record, problems in chunk.rejected:
                self._reject(rejects, record, problems)
            await writer.write(chunk.rows)
            if progress is not None:
                progress(report.rows_read)

    def _reject(self, rejects: RejectsFile, record: Record, problems: list[Reject]) -> None:
        self.report.rows_rejected += 1
        room = MAX_REPORTED_REJECTS - len(self.report.rejects)
        self.report.rejects.extend(problems[: max(room, 0)])
        rejects.write(record.cells, problems)

    async def _finish(
        self,
        store: GraphStore,
        writer: BatchWriter,
        rejects: RejectsFile,
        error: BaseException | None,
    ) -> None:
        report, counts = self.report, writer.counts
        report.created, report.updated, report.unchanged = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        report.parties_created = counts.parties_created
        report.finished_at = datetime.now(CHINA_TZ).replace(microsecond=0).isoformat()
        report.duration_s = round(time.perf_counter() - self._started, 3)
        report.rejects_file = str(rejects.path) if rejects.written else None
        if error is not None:
            report.status = "failed"
            report.error = f"{type(error).__name__}: {error}"
        save_report(report, self.run_dir)
        try:
            await record_run(store, report)
        except Exception:
            if error is None:
                raise
            log.exception("run %s: could not record the failed run", report.run_id)
