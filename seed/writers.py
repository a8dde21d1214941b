"""Streaming writers for the three exchange formats, and a sink holding one per dataset.

Rows go to disk as they are generated. Every cell is text (or None for an empty cell): id
numbers, account numbers and money must not pass through a number type on the way.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Literal, Protocol

from seed.datasets import COLUMNS, Row, row_shaper
from seed.xlsx import XlsxRowWriter

Format = Literal["csv", "jsonl", "xlsx"]
Progress = Callable[[str, int], None]

PROGRESS_EVERY = 10_000
_BUFFER = 1 << 20


class RowWriter(Protocol):
    def write(self, row: Row) -> object: ...

    def close(self) -> None: ...


class CsvRowWriter:
    """UTF-8 CSV without BOM, header row first; None becomes an empty cell."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8", newline="", buffering=_BUFFER)
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(columns)
        # The bound C method itself, not a Python wrapper around it: this is the hot path.
        self.write: Callable[[Row], object] = self._writer.writerow

    def close(self) -> None:
        self._file.close()


class JsonlRowWriter:
    """One JSON object per line with every column as a key; an empty cell is null."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8", newline="\n", buffering=_BUFFER)
        self._columns = columns

    def write(self, row: Row) -> None:
        record = dict(zip(self._columns, row, strict=True))
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self._file.close()


def open_row_writer(out_dir: Path, dataset: str, fmt: Format) -> RowWriter:
    """Open `{dataset}.{fmt}` in `out_dir` and write its header."""
    path = out_dir / f"{dataset}.{fmt}"
    columns = COLUMNS[dataset]
    if fmt == "csv":
        return CsvRowWriter(path, columns)
    if fmt == "jsonl":
        return JsonlRowWriter(path, columns)
    return XlsxRowWriter(path, columns, title=dataset)


class CountingWriter:
    """Writes one dataset's rows, counts them and reports progress now and then."""

    def __init__(self, dataset: str, writer: RowWriter, progress: Progress | None) -> None:
        self.dataset = dataset
        self.rows = 0
        self._write = writer.write
        if (shape := row_shaper(dataset)) is not None:  # the spec has columns seed leaves empty
            write = writer.write
            self._write = lambda row: write(shape(row))
        self._writer = writer
        self._progress = progress

    def write(self, row: Row) -> None:
        self._write(row)
        self.rows += 1
        if self._progress is not None and self.rows % PROGRESS_EVERY == 0:
            self._progress(self.dataset, self.rows)

    def write_all(self, rows: Iterable[Row]) -> None:
        for row in rows:
            self.write(row)

    def close(self) -> None:
        self._writer.close()
        if self._progress is not None:
            self._progress(self.dataset, self.rows)


class DatasetSink:
    """All datasets' writers, open for the whole generation (phases write to several at once)."""

    def __init__(
        self, out_dir: Path, datasets: Iterable[str], fmt: Format, progress: Progress | None
    ) -> None:
        os.makedirs(out_dir, exist_ok=True)
        self._writers = {
            dataset: CountingWriter(dataset, open_row_writer(out_dir, dataset, fmt), progress)
            for dataset in datasets
        }

    def __getitem__(self, dataset: str) -> CountingWriter:
        return self._writers[dataset]

    def __enter__(self) -> DatasetSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for writer in self._writers.values():
            writer.close()

    def row_counts(self) -> dict[str, int]:
        return {dataset: writer.rows for dataset, writer in self._writers.items()}
