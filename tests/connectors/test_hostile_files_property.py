"""Random mixes of quotes, line breaks, NULs, BOMs and long fields: every record is counted.

Each generated file holds rows written properly (as `csv.writer` or `json.dumps` writes
them, values with commas, quotes-free line breaks and BOMs included) and rows spoiled in
one of the ways a hand-edited export is: a quote left open, text after a closing quote, a
NUL, an over-long value, an endless line. The report must say exactly which rows loaded
and which line each rejected one starts on, `rows_read` must match the file's records,
and the store must still answer.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors import ingest_file
from hub.store import GraphStore
from schema.departments import default_departments
from schema.limits import MAX_ROW_BYTES, MAX_TEXT_CHARS
from tests.connectors.helpers import person_id

FAULTS = ("none", "bom", "nul", "long_value", "endless_line", "open_quote", "stray_quote")
CSV_ONLY = ("open_quote", "stray_quote")
COLUMNS = ("id_number", "name", "household_address")
# Values of good rows: letters, commas, line breaks and BOMs, never a quote, and never
# starting with a comma or line break (a quote left open just before could then close on
# that row's own quote and make one valid record of both: the CSV format allows it).
ALPHABET = st.sampled_from(["张", "李", "镇", "a", "1", " ", ",", "\n", "\ufeff", "é"])
VALUES = st.text(ALPHABET, min_size=0, max_size=12).map(lambda text: "名" + text)

ids = itertools.cycle(range(20_000))  # distinct people within a file (at most 26 rows)


@dataclass
class File:
    text: str = ""
    lines: int = 1  # the header
    accepted: list[int] = field(default_factory=list)  # first lines of rows that must load
    rejected: list[int] = field(default_factory=list)  # first lines of rows that must not

    def __repr__(self) -> str:  # a failing example is shown with long values cut
        text = "".join(
            line[:80] + ("…\n" if len(line) > 80 else "\n") for line in self.text.split("\n")
        )
        return f"File(accepted={self.accepted}, rejected={self.rejected}, text={text!r})"


def spoil(cells: list[str], fault: str) -> list[str]:
    name, address = cells[1], cells[2]
    if fault == "bom":
        return [cells[0], "\ufeff" + name, address]
    if fault == "nul":
        return [cells[0], name, address + "\x00"]
    if fault == "long_value":
        return [cells[0], name, "长" * (MAX_TEXT_CHARS + 1)]
    if fault == "endless_line":  # on one line: over the limit, a record is not read to its end
        return [cells[0], name.replace("\n", ""), "A" * (MAX_ROW_BYTES + 1)]
    return cells


def csv_row(cells: list[str], fault: str) -> str:
    if fault == "open_quote":
        return f'{cells[0]},"{cells[1].replace(chr(10), "")},镇赉县\n'
    if fault == "stray_quote":
        return f'{cells[0]},"{cells[1].replace(chr(10), "")}"x,镇赉县\n'
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def jsonl_row(cells: list[str], fault: str) -> str:  # spoilt by `spoil` alone
    return json.dumps(dict(zip(COLUMNS, cells, strict=True)), ensure_ascii=False) + "\n"


@st.composite
def files(draw: st.DrawFn, fmt: str) -> File:
    faults = [f for f in FAULTS if fmt == "csv" or f not in CSV_ONLY]
    rows = draw(st.lists(st.tuples(VALUES, VALUES, st.sampled_from(faults)), max_size=25))
    bom = "\ufeff" if draw(st.booleans()) else ""
    if fmt == "csv":
        file = File(text=bom + ",".join(COLUMNS) + "\n", lines=1)
    else:  # the first object names the columns: it is a good one
        file = File(text=bom, lines=0)
        rows.insert(0, (draw(VALUES), draw(VALUES), "none"))
    for name, address, fault in rows:
        cells = spoil([person_id(next(ids)), name, address], fault)
        text = (csv_row if fmt == "csv" else jsonl_row)(cells, fault)
        first = file.lines + 1
        (file.accepted if fault in ("none", "bom") else file.rejected).append(first)
        file.text += text
        file.lines += text.count("\n")
    return file


async def check(store: GraphStore, tmp_path: Path, file: File, suffix: str) -> None:
    path = tmp_path / f"{next(ids)}{suffix}"
    path.write_text(file.text, encoding="utf-8")
    psb = default_departments()["psb"]

    report = await ingest_file(store, "psb.persons", path, psb, data_dir=tmp_path / "var")

    records = len(file.accepted) + len(file.rejected)
    assert report.rows_read == records
    assert report.rows_accepted + report.rows_rejected == records
    assert report.rows_accepted == len(file.accepted)
    assert sorted({reject.line for reject in report.rejects}) == file.rejected
    assert await store.ping()


PROPERTY = settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(file=files("csv"))
async def test_every_csv_record_is_loaded_or_rejected_at_its_line(
    store: GraphStore, tmp_path: Path, file: File
) -> None:
    await check(store, tmp_path, file, ".csv")


@PROPERTY
@given(file=files("jsonl"))
async def test_every_json_lines_record_is_loaded_or_rejected_at_its_line(
    store: GraphStore, tmp_path: Path, file: File
) -> None:
    await check(store, tmp_path, file, ".jsonl")
