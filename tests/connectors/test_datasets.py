"""Every dataset, from real generated rows: bad rows are reported precisely while the good
ones load, and a header lacking a required column writes nothing."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest

from connectors import DATASETS, FileRefused
from hub.store import GraphStore
from seed.county import generate_county
from tests.connectors.conftest import Load
from tests.connectors.helpers import snapshot

ROWS = 6  # data rows taken from each generated file: file lines 2 to 7
EMPTIED_LINE, MALFORMED_LINE = 3, 6
# Per dataset: a column to spoil on MALFORMED_LINE, the bad value, and part of the reason.
MALFORMED = {
    "psb.persons": ("birth_date", "1990-02-30", "not understood"),
    "psb.relations": ("relation", "表亲", "not an accepted value"),
    "psb.vehicles": ("owner_id", "12345", "neither a valid id_number nor a valid uscc"),
    "amr.enterprises": ("uscc", "91220821MA0EBTAE7", "length must be 18"),
    "amr.shareholders": ("share_pct", "120", "from 0 to 100"),
    "amr.executives": ("id_number", "22082119800802590X", "check character wrong"),
    "bank.accounts": ("balance", "12.345", "more than 2 decimals"),
    "nrb.properties": ("area_m2", "-3", "must be above 0"),
    "court.cases": ("amount", "一百元", "not a number"),
    "court.parties": ("role", "证人", "not an accepted value"),
    "court.dishonest": ("listed_at", "2024/13/01", "not understood"),
}


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("county")
    generate_county(directory, 1_000, seed=11)  # enough rows of even court.dishonest
    return directory


def head(county: Path, dataset: str) -> tuple[list[str], list[dict[str, str]]]:
    with (county / f"{dataset}.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for _, row in zip(range(ROWS), reader, strict=False)]
        return list(reader.fieldnames or []), rows


def as_csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("dataset", list(DATASETS))
async def test_bad_rows_are_reported_and_the_good_ones_load(
    store: GraphStore, load: Load, county: Path, dataset: str
) -> None:
    columns, rows = await asyncio.to_thread(head, county, dataset)
    required = DATASETS[dataset].required_columns[0]
    column, value, reason = MALFORMED[dataset]
    rows[EMPTIED_LINE - 2][required] = ""
    rows[MALFORMED_LINE - 2][column] = value

    report = await load(dataset, as_csv(columns, rows))

    assert (report.rows_read, report.rows_rejected) == (ROWS, 2)
    assert report.created == report.rows_accepted == ROWS - 2
    assert [(r.line, r.column) for r in report.rejects] == [
        (EMPTIED_LINE, required),
        (MALFORMED_LINE, column),
    ]
    assert report.rejects[0].reason_en == "required; the cell is empty"
    assert reason in report.rejects[1].reason_en
    assert (await snapshot(store)).nodes  # the good rows are in the graph


@pytest.mark.parametrize("dataset", list(DATASETS))
async def test_a_missing_required_column_writes_nothing(
    store: GraphStore, load: Load, county: Path, dataset: str
) -> None:
    columns, rows = await asyncio.to_thread(head, county, dataset)
    for missing in DATASETS[dataset].required_columns:
        kept = [column for column in columns if column != missing]

        with pytest.raises(FileRefused, match=f"lacks required columns: {missing} "):
            await load(dataset, as_csv(kept, rows))

    assert (await snapshot(store)).nodes == {}
