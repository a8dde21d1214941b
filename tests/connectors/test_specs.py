"""Every consumer of a dataset's spec (schema/datasets.py) agrees with it.

The row model, the seed generator's files, the graph model, the ingest query and
docs/datasets.md are each checked against the spec; and a column added to a spec reaches
every one of them with no other edit.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from connectors import writer
from connectors.dataset import Dataset
from connectors.datasets import DATASETS
from connectors.rejects import rejects_of
from hub.queries import QUERY_DIR
from schema import exchange_table, model
from schema.columns import Column, DatasetSpec
from schema.datasets import DATASETS_IN_LOAD_ORDER, SPECS
from schema.identifiers import make_id_number, make_uscc
from seed.county import generate_county
from seed.datasets import COLUMNS, GENERATED, row_shaper
from tests.connectors.conftest import Load
from tests.connectors.helpers import snapshot

ROOT = Path(__file__).resolve().parents[2]
NAMES = list(DATASETS_IN_LOAD_ORDER)
BIRTH = date(1980, 5, 17)

# A valid cell of each kind (the spec's formats: DATA-EXCHANGE.md, "Files").
SAMPLES: dict[str, str] = {
    "text": "样例",
    "address": "吉林省白城市镇赉县镇赉镇幸福街 1 号",
    "phone": "13800000001",
    "compact": "6222 0214 8005 7666",
    "currency": "CNY",
    "case_number": "（2024）吉0821执1号",
    "date": "2024-01-02",
    "timestamp": "2024-01-02T08:00:00+08:00",
    "money": "1250.50",
    "percent": "50",
    "area": "88.5",
    "party_type": "person",
    "uscc": make_uscc("220821", 7),
}


def sample_row(spec: DatasetSpec) -> dict[str, str]:
    """One valid row of `spec`: every column filled, each identifier column its own person."""
    row: dict[str, str] = {}
    for number, column in enumerate(spec.columns):
        if column.kind in ("id_number", "party"):
            row[column.name] = make_id_number("220821", BIRTH, number, "M")
        elif column.kind == "choice":
            assert column.choice is not None
            row[column.name] = next(iter(column.choice.zh_by_code.values()))
        else:
            row[column.name] = SAMPLES[column.kind]
    return row


def columns_of(dataset: Dataset) -> list[tuple[str, bool]]:
    return [(name, field.is_required()) for name, field in dataset.model.model_fields.items()]


@pytest.mark.parametrize("name", NAMES)
def test_the_row_model_has_the_spec_s_columns(name: str) -> None:
    spec, dataset = SPECS[name], DATASETS[name]

    assert sorted(columns_of(dataset)) == sorted((c.name, c.required) for c in spec.columns)
    assert dataset.owner == spec.owner and dataset.title == spec.title
    # A party's *_type column is validated first: the party's parser reads it.
    for column in spec.columns:
        if column.party_type is not None:
            order = dataset.columns
            assert order.index(column.party_type) == order.index(column.name) - 1


@pytest.mark.parametrize("name", NAMES)
def test_a_value_over_its_column_s_limit_is_refused_naming_the_column(name: str) -> None:
    spec, dataset = SPECS[name], DATASETS[name]
    for column in spec.columns:
        cells = sample_row(spec)
        cells[column.name] = "长" * (column.limit.chars + 1)
        with pytest.raises(ValidationError) as refused:
            dataset.model.model_validate(cells)
        [reject] = rejects_of(1, refused.value)
        assert reject.column == column.name
        assert f"at most {column.limit.chars:,} characters" in reject.reason_en


@pytest.mark.parametrize("name", NAMES)
def test_seed_writes_the_spec_s_header(name: str) -> None:
    spec = SPECS[name]

    assert COLUMNS[name] == spec.file_columns
    # The generator fills the spec's columns in its order (those it fills: a column new to
    # the spec is written empty until it does), every required one among them.
    header = list(spec.file_columns)
    assert list(GENERATED[name]) == [c for c in header if c in GENERATED[name]]
    assert set(spec.required) <= set(GENERATED[name])


def test_a_generated_county_has_the_spec_s_header(tmp_path: Path) -> None:
    generate_county(tmp_path, 200, 1)
    for name in NAMES:
        with (tmp_path / f"{name}.csv").open(encoding="utf-8", newline="") as file:
            assert tuple(next(csv.reader(file))) == SPECS[name].file_columns


@pytest.mark.parametrize("name", [name for name in NAMES if SPECS[name].properties])
def test_the_graph_model_lists_the_properties_a_dataset_writes(name: str) -> None:
    spec = SPECS[name]
    declared = {node.label: node.properties for node in model.NODES}
    declared |= {rel.type: rel.properties for rel in model.RELATIONSHIPS}

    assert set(spec.properties) <= set(declared[spec.record])


def query_parameters(dataset: Dataset) -> tuple[set[str], set[str]]:
    """The `row.x` and `row.props.y` the dataset's ingest queries read."""
    text = "".join(
        path.read_text(encoding="utf-8")
        for path in (QUERY_DIR / "ingest").glob(f"{dataset.query}*.cypher")
    )
    fields = set(re.findall(r"\brow\.(\w+)", text)) - {"hash"}
    props = set(re.findall(r"\brow\.props\.(\w+)", text))
    return fields, props


@pytest.mark.parametrize("name", NAMES)
def test_the_ingest_query_reads_what_the_mapping_gives(name: str) -> None:
    spec, dataset = SPECS[name], DATASETS[name]
    mapped = dataset.to_graph(dataset.model.model_validate(sample_row(spec)))
    fields, props = query_parameters(dataset)
    # The batch writer adds a party's legacy mark to the rows of a query whose rows are the
    # parties themselves (connectors/writer.py), outside the mapping and its hash.
    party_rows: frozenset[str] = getattr(writer, "PARTY_ROWS_QUERIES", frozenset())
    added = {"converted_from_15"} if dataset.query in party_rows else set()

    assert fields == set(mapped) | added
    assert props <= set(spec.properties)
    assert ("props" in mapped) == bool(spec.properties)
    if spec.properties:
        assert set(mapped["props"]) == set(spec.properties)


@pytest.mark.parametrize("name", NAMES)
async def test_a_row_writes_every_property_of_its_spec(name: str, load: Load, store: Any) -> None:
    spec = SPECS[name]
    cells = sample_row(spec)
    text = io.StringIO()
    csv.writer(text).writerows([list(cells), list(cells.values())])
    report = await load(name, text.getvalue())
    assert (report.rows_accepted, report.rows_rejected) == (1, 0), report.rejects

    graph = await snapshot(store)
    written = [props for labels, props in graph.nodes.values() if spec.record in labels]
    written += [props for rel_type, _, _, props in graph.relationships if rel_type == spec.record]
    assert len(written) == 1
    assert set(spec.properties) <= set(written[0])


def test_docs_datasets_md_is_written_from_the_specs() -> None:
    text = (ROOT / exchange_table.DOC_FILE).read_text(encoding="utf-8")

    assert text == exchange_table.render(), (
        "run: .venv/bin/python -m schema.exchange_table > docs/datasets.md"
    )


# --- a new column is one edit ------------------------------------------------------------------

NOTE = Column("test_note", "text", "测试备注")  # a column no spec has


def with_note(spec: DatasetSpec) -> DatasetSpec:
    return dataclasses.replace(spec, columns=(*spec.columns, NOTE))


def test_a_column_added_to_a_spec_reaches_the_row_model_and_the_props() -> None:
    cases = DATASETS["court.cases"]
    spec = with_note(cases.spec)
    dataset = dataclasses.replace(cases, spec=spec)

    row = dataset.model.model_validate({**sample_row(spec), "test_note": " 备注 "})
    assert dataset.to_graph(row)["props"]["test_note"] == "备注"
    assert "test_note" in dataset.optional_columns
    assert "`test_note` | 测试备注" in exchange_table._detail_row(NOTE)


def test_a_column_the_generator_does_not_fill_is_written_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = with_note(SPECS["court.cases"])
    monkeypatch.setitem(COLUMNS, "court.cases", spec.file_columns)
    shape = row_shaper("court.cases")

    assert shape is not None
    generated = tuple(f"v{i}" for i in range(len(GENERATED["court.cases"])))
    by_column = dict(zip(GENERATED["court.cases"], generated, strict=True))
    assert shape(generated) == tuple(by_column.get(column) for column in spec.file_columns)
    assert shape(generated)[-1] is None  # test_note
