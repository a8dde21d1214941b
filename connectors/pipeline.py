"""The pipeline every connector runs: read → validate → map → write in batches → report.

`ingest_file` refuses a file whole (`FileRefused`) before writing anything when it cannot
be loaded at all; otherwise it loads the good rows, writes each bad one to the run's
`rejects.csv` and returns (and keeps) the run report. The file is streamed in chunks of
`batch_size` rows: a chunk is read and validated in a worker thread while the previous one
is being written, so the Python work overlaps with the store's.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import dataclasses
import hashlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from connectors.dataset import Dataset, GraphRow, PartyRef
from connectors.datasets import DATASETS
from connectors.readers import Format, Record, Source, format_of, open_source
from connectors.refused import FileRefused
from connectors.rejects import REJECTS_FILE, Reject, RejectsFile, rejects_of
from connectors.report import (
    MAX_REPORTED_REJECTS,
    REJECTS_URL,
    Runner,
    RunReport,
    clean_text,
    record_run,
    run_dir,
    save_report,
    utc_now,
    utc_text,
)
from connectors.writer import BatchWriter, Provenance, Watch, with_retries
from schema.departments import Department
from schema.store import QueryStore

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
# Called once the file is accepted, before anything of the run is written (the audit record
# of the attempt); what it raises ends the run there.
OnStart = Callable[[RunReport], Awaitable[None]]


class FileBroken(FileRefused):
    """The file stopped being readable part of the way through: the rows before the break
    were loaded, the run failed (its report says how far it came)."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_zh, reason_en)
        self.report: RunReport | None = None


async def ingest_file(
    store: QueryStore,
    dataset: str,
    path: Path,
    department: Department,
    *,
    encoding: str | None = None,
    fmt: Format | None = None,
    display_name: str | None = None,
    data_dir: Path,
    progress: Progress | None = None,
    batch_size: int | None = None,
    request_id: str | None = None,
    on_start: OnStart | None = None,
    watch: Watch | None = None,
) -> RunReport:
    """Load one department file of `dataset` into the graph and return the run report.

    Raises `FileRefused` (nothing written) for an unknown dataset, a department that does
    not own it, or a file that cannot be read or lacks a required column; `FileBroken` for
    a file that cannot be read past some line (the rows before it are loaded).

    Rows are written `batch_size` at a time; by default as many as the store takes best
    (`store.write_batch_size`).

    The run is recorded as running (report.json and its `ConnectorRun` node) before its
    first batch is written, and again after each batch, so a run whose process is killed
    leaves its report (see `connectors.report`). `watch`, if given, is asked with each batch
    before it is written (see `connectors.writer.Watch`).
    """
    spec = dataset_named(dataset)
    if not department.owns(spec.name):
        raise FileRefused(
            f"部门 {department.code}（{department.kind}）无权报送 {spec.name}，"
            f"该数据集由 {spec.owner} 类部门报送",
            f"department {department.code} ({department.kind}) may not publish {spec.name}; "
            f"only {spec.owner} departments do",
        )
    if encoding is not None:
        check_text_encoding(encoding)
    with contextlib.ExitStack() as stack:
        # Checking the file reads all of it (hash, encoding): not on the event loop.
        file_format = format_of(path, fmt)
        source = await asyncio.to_thread(_open, stack, path, file_format, encoding)
        ignored = ignored_columns(spec, source.columns)
        name = display_name or path.name
        run = _Run.start(spec, department, source, name, ignored, data_dir, request_id)
        if on_start is not None:
            await on_start(run.report)
        log.info("run %s: loading %s from %s", run.report.run_id, spec.name, path.name)
        await run.load(store, source.records, progress, batch_size or store.write_batch_size, watch)
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


def check_text_encoding(name: str) -> None:
    """Refuse an encoding that does not turn bytes into text (`base64`, `zlib`, …)."""
    shown = clean_text(name, 40)
    try:
        # Python's own mark of the bytes-to-bytes codecs (base64, zlib, hex, …).
        if not getattr(codecs.lookup(name), "_is_text_encoding", True):
            raise LookupError(name)
    except LookupError:
        raise FileRefused(
            f"未知的编码“{shown}”或不是文字编码，应为 utf-8、gb18030 等",
            f"unknown encoding '{shown}', or not a text encoding; use one such as utf-8 or gb18030",
        ) from None


def _open(stack: contextlib.ExitStack, path: Path, fmt: Format, encoding: str | None) -> Source:
    """`open_source`, with a failure the readers did not foresee refused in plain words."""
    try:
        return stack.enter_context(open_source(path, fmt, encoding))
    except FileRefused:
        raise
    except Exception as error:  # a broken XLSX part, a codec's own error, …
        raise FileRefused(
            f"无法作为 {fmt.upper()} 读取：{type(error).__name__}",
            f"cannot be read as {fmt.upper()}: {_described(error)}",
        ) from None


def _described(error: BaseException) -> str:
    return clean_text(f"{type(error).__name__}: {error}", 300)


def dataset_named(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(DATASETS)
        shown = clean_text(name, 100)
        raise FileRefused(
            f"未知的数据集“{shown}”，可用的有：{known}",
            f"unknown dataset '{shown}'; the datasets are: {known}",
        ) from None


def ignored_columns(dataset: Dataset, columns: tuple[str, ...]) -> list[str]:
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
    broken: FileBroken | None = None  # the file cannot be read past these records
    last_line: int = 0


def _records(records: Iterator[Record], size: int, chunk: _Chunk) -> Iterator[Record]:
    """Up to `size` records; a reading failure ends them and is kept in `chunk.broken`."""
    taken = islice(records, size)
    while True:
        try:
            record = next(taken)
        except StopIteration:
            return
        except FileRefused:
            raise
        except Exception as error:  # a malformed XLSX sheet, say
            after = f"第 {chunk.last_line} 行之后" if chunk.last_line else "数据行"
            past = f"after line {chunk.last_line}" if chunk.last_line else "its data rows"
            chunk.broken = FileBroken(
                f"文件{after}无法读取（{type(error).__name__}），此前的行已载入",
                f"the file cannot be read {past} ({_described(error)}); "
                "the rows before it were loaded",
            )
            return
        chunk.last_line = record.line
        yield record


def _next_chunk(
    records: Iterator[Record], dataset: Dataset, source: str, size: int, last_line: int
) -> _Chunk:
    """Read up to `size` records; validate and map each (runs in a worker thread)."""
    chunk = _Chunk(last_line=last_line)
    model, to_graph, parties = dataset.model, dataset.to_graph, dataset.parties
    for record in _records(records, size, chunk):
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
        self, dataset: Dataset, report: RunReport, columns: tuple[str, ...], folder: Path
    ) -> None:
        self.dataset = dataset
        self.report = report
        self.columns = columns  # the file's own, for rejects.csv
        self.run_dir = folder
        self._started = time.perf_counter()
        self._recording: asyncio.Task[None] | None = None  # the progress record being written

    @classmethod
    def start(
        cls,
        dataset: Dataset,
        department: Department,
        source: Source,
        file_name: str,
        ignored: list[str],
        data_dir: Path,
        request_id: str | None,
    ) -> _Run:
        now = utc_now()
        # Sorts in start order (hub runs lists by it), and is unique: a directory name.
        run_id = f"{now:%Y%m%dT%H%M%S.%f}Z-{uuid.uuid4().hex[:6]}"
        report = RunReport(
            run_id=run_id,
            dataset=dataset.name,
            department=department.code,
            file_name=clean_text(file_name, 200),
            format=source.fmt,
            encoding=source.encoding,
            sha256=source.sha256,
            started_at=utc_text(now),
            status="running",
            ignored_columns=[clean_text(column, 200) for column in ignored],
            request_id=request_id,
        )
        Runner.current().stamp(report)
        return cls(dataset, report, source.columns, run_dir(data_dir, run_id))

    async def load(
        self,
        store: QueryStore,
        records: Iterator[Record],
        progress: Progress | None,
        batch_size: int,
        watch: Watch | None = None,
    ) -> None:
        report = self.report
        provenance = Provenance(report.department, report.run_id, report.started_at)
        writer = BatchWriter(store, self.dataset, provenance, batch_size, watch)
        with RejectsFile(self.run_dir / REJECTS_FILE, self.columns) as rejects:
            try:
                await self._record(store, writer, rejects)  # running, before the first batch
                await self._stream(store, records, writer, rejects, progress, batch_size)
                await writer.close()
                await self._recorded()
            except BaseException as error:
                await writer.abort()
                await self._recorded(quiet=True)
                await self._finish(store, writer, rejects, error)
                raise
        await self._finish(store, writer, rejects, None)

    async def _stream(
        self,
        store: QueryStore,
        records: Iterator[Record],
        writer: BatchWriter,
        rejects: RejectsFile,
        progress: Progress | None,
        batch_size: int,
    ) -> None:
        report, dataset, source = self.report, self.dataset, self.report.department
        last_line = 0
        while True:
            chunk = await asyncio.to_thread(
                _next_chunk, records, dataset, source, batch_size, last_line
            )
            last_line = chunk.last_line
            report.rows_read += chunk.read
            report.rows_accepted += len(chunk.rows)
            for record, problems in chunk.rejected:
                self._reject(rejects, record, problems)
            await writer.write(chunk.rows)
            if chunk.broken is not None:
                await writer.close()  # the rows before the break load
                raise chunk.broken
            if not chunk.read:
                return
            await self._record(store, writer, rejects, wait=False)
            if progress is not None:
                progress(report.rows_read)

    def _reject(self, rejects: RejectsFile, record: Record, problems: list[Reject]) -> None:
        self.report.rows_rejected += 1
        room = MAX_REPORTED_REJECTS - len(self.report.rejects)
        self.report.rejects.extend(problems[: max(room, 0)])
        rejects.write(record.cells, problems)

    def _take_counts(self, writer: BatchWriter, rejects: RejectsFile) -> None:
        report, counts = self.report, writer.counts
        report.created, report.updated, report.unchanged = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        report.parties_created = counts.parties_created
        report.duration_s = round(time.perf_counter() - self._started, 3)
        report.updated_at = utc_text(utc_now())
        if rejects.written:
            report.rejects_file = REJECTS_URL.format(run_id=report.run_id)

    async def _record(
        self, store: QueryStore, writer: BatchWriter, rejects: RejectsFile, *, wait: bool = True
    ) -> None:
        """Keep the progress so far (counts of the batches written), on disk and in the graph.

        Without `wait`, the graph's copy is written behind the batch in flight while the next
        chunk is read and validated: waiting for it would wait for that batch, and the
        reading would no longer overlap with the store's work (bench/README.md).
        """
        await self._recorded()
        self._take_counts(writer, rejects)
        rejects.flush()
        await asyncio.to_thread(save_report, self.report, self.run_dir)
        snapshot = dataclasses.replace(self.report, rejects=[])  # not in the graph's copy
        recording = with_retries("recording the run", lambda: record_run(store, snapshot))
        if wait:
            await recording
        else:
            self._recording = asyncio.ensure_future(recording)

    async def _recorded(self, *, quiet: bool = False) -> None:
        """Wait for the progress record being written; `quiet` after a failure elsewhere."""
        recording, self._recording = self._recording, None
        if recording is not None:
            results = await asyncio.gather(recording, return_exceptions=quiet)
            if quiet and isinstance(results[0], Exception):
                log.warning("run %s: a progress record failed: %s", self.report.run_id, results[0])

    async def _finish(
        self,
        store: QueryStore,
        writer: BatchWriter,
        rejects: RejectsFile,
        error: BaseException | None,
    ) -> None:
        report = self.report
        self._take_counts(writer, rejects)
        report.finished_at = report.updated_at
        report.status = "completed"
        if isinstance(error, FileRefused):
            report.status, report.error = "failed", error.reason_en
            if isinstance(error, FileBroken):
                error.report = report
        elif error is not None:
            report.status, report.error = "failed", _described(error)
        rejects.close()
        save_report(report, self.run_dir)
        try:
            await record_run(store, report)
        except Exception:
            if error is None:
                raise
            log.exception("run %s: could not record the failed run", report.run_id)
