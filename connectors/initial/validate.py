"""Reading and validating a dataset's file in a process of its own, ahead of the build.

Validation (the connectors' row models, identifier checks, the row hash) is most of a first
load's work, and each file's is independent of the others': `validate_file` runs in a worker
process, writes the file's rejects (`rejects.csv`) and spools its valid rows, chunk by
chunk, to a file of pickles that the building process reads back in load order
(`spooled_chunks`). Only the building of the graph has to follow the load order.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from connectors.dataset import GraphRow, PartyRef
from connectors.datasets import DATASETS
from connectors.initial.graph import PartyTuple, as_tuple, store_props
from connectors.pipeline import _next_chunk, _open
from connectors.readers import format_of
from connectors.rejects import REJECTS_FILE, Reject, RejectsFile
from connectors.report import MAX_REPORTED_REJECTS

Rows = list[tuple[GraphRow, list[PartyTuple]]]


@dataclass(frozen=True)
class ValidateJob:
    dataset: str
    path: Path
    source: str  # the publishing department's code: it is part of each row's hash
    run_dir: Path  # rejects.csv goes there
    spool: Path  # the valid rows, a pickle per chunk
    chunk_rows: int


@dataclass
class Validated:
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)  # the first MAX_REPORTED_REJECTS
    rejects_written: bool = False
    broken: tuple[str, str] | None = None  # (中文, English): unreadable past a line


def end_with_parent(parent: int) -> None:
    """In a worker: end it as soon as the loading process `parent` is gone (killed), busy or
    idle, rather than go on validating rows nobody will read. A worker's own copy of the
    task queue keeps it from seeing the loader go."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def validate_file(job: ValidateJob) -> Validated:
    """Read and validate `job.path` (in a worker process); see the module docstring."""
    dataset = DATASETS[job.dataset]
    done = Validated()
    with contextlib.ExitStack() as stack:
        source = _open(stack, job.path, format_of(job.path, None), None)
        rejects = stack.enter_context(RejectsFile(job.run_dir / REJECTS_FILE, source.columns))
        spool = stack.enter_context(job.spool.open("wb"))
        last_line = 0
        while True:
            chunk = _next_chunk(source.records, dataset, job.source, job.chunk_rows, last_line)
            last_line = chunk.last_line
            done.rows_read += chunk.read
            done.rows_accepted += len(chunk.rows)
            for record, problems in chunk.rejected:
                done.rows_rejected += 1
                room = MAX_REPORTED_REJECTS - len(done.rejects)
                done.rejects.extend(problems[: max(room, 0)])
                rejects.write(record.cells, problems)
            if chunk.rows:
                pickle.dump(_as_stored(chunk.rows), spool, protocol=pickle.HIGHEST_PROTOCOL)
            if chunk.broken is not None:
                done.broken = (chunk.broken.reason_zh, chunk.broken.reason_en)
                break
            if not chunk.read:
                break
        done.rejects_written = rejects.written
    return done


def _as_stored(rows: list[tuple[GraphRow, list[PartyRef]]]) -> Rows:
    """Rows with their props as the store keeps them and their parties as tuples: plain
    values, which pickle in a third of the time."""
    for row, _ in rows:
        if "props" in row:
            row["props"] = store_props(row["props"])
    return [(row, [as_tuple(party) for party in parties]) for row, parties in rows]


def spooled_chunks(spool: Path) -> Iterator[Rows]:
    """The valid rows `validate_file` spooled, chunk by chunk; the file is removed after."""
    try:
        with spool.open("rb") as handle:
            while True:
                try:
                    rows: Rows = pickle.load(handle)  # noqa: S301 - our own worker's file
                except EOFError:
                    return
                yield rows
    finally:
        spool.unlink(missing_ok=True)
