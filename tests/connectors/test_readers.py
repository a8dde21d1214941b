"""The same data as CSV (UTF-8, with BOM, GB18030), JSON Lines or XLSX gives the same graph."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from connectors import load_county
from hub.store import GraphStore
from seed.county import generate_county
from tests.connectors.conftest import Load
from tests.connectors.helpers import person_id, snapshot

PERSONS = 200


def recoded(source: Path, target: Path, encoding: str) -> Path:
    """A copy of a UTF-8 CSV county in another encoding."""
    target.mkdir()
    for path in source.glob("*.csv"):
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding=encoding)
    return target


async def test_every_format_and_encoding_gives_the_same_graph(
    store: GraphStore, tmp_path: Path
) -> None:
    counties = {fmt: tmp_path / fmt for fmt in ("csv", "jsonl", "xlsx")}
    for fmt, directory in counties.items():
        generate_county(directory, PERSONS, seed=7, fmt=fmt)  # type: ignore[arg-type]
    counties["gb18030"] = recoded(counties["csv"], tmp_path / "gb18030", "gb18030")
    counties["utf-8-sig"] = recoded(counties["csv"], tmp_path / "bom", "utf-8-sig")

    graphs = {}
    for name, directory in counties.items():
        await store.write("test_wipe")
        reports = await load_county(store, directory, data_dir=tmp_path / "var")
        assert sum(report.rows_rejected for report in reports) == 0, name
        graphs[name] = (await snapshot(store)).comparable()
        encodings = {report.encoding for report in reports}
        assert encodings == {
            None if name == "xlsx" else "utf-8" if name in ("csv", "jsonl") else name
        }

    reference = graphs.pop("csv")
    assert len(reference[0]) > PERSONS
    for name, graph in graphs.items():
        assert graph == reference, f"{name} loads a different graph than csv"


async def test_gb18030_is_detected_and_an_explicit_encoding_wins(
    store: GraphStore, load: Load
) -> None:
    content = f"id_number,name,household_address\n{person_id(1)},张三,吉林省镇赉县幸福路1号\n"

    detected = await load("psb.persons", content, file_encoding="gb18030")
    explicit = await load("psb.persons", content, file_encoding="gbk", encoding="gbk")

    assert (detected.encoding, detected.rows_accepted) == ("gb18030", 1)
    assert (explicit.encoding, explicit.unchanged) == ("gbk", 1)
    assert (await snapshot(store)).props(person_id(1))["name"] == "张三"


async def test_json_lines_rejects_name_the_file_line(load: Load) -> None:
    lines = [
        json.dumps({"id_number": person_id(1), "name": "张三", "note": "x"}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps({"id_number": person_id(2)}),
        json.dumps({"id_number": int(person_id(3)[:17] + "0"), "name": "李四"}, ensure_ascii=False),
        json.dumps({"id_number": person_id(4), "name": {"first": "王"}}),
    ]
    report = await load("psb.persons", "\n".join(lines) + "\n", suffix=".jsonl")

    assert (report.rows_read, report.rows_accepted) == (5, 1)
    assert report.ignored_columns == ["note"]
    assert [(r.line, r.column) for r in report.rejects] == [
        (3, ""),
        (4, "name"),
        (5, "id_number"),
        (6, ""),
    ]


async def test_xlsx_rows_are_numbered_as_excel_shows_them_and_typed_cells_are_read(
    store: GraphStore, load: Load, tmp_path: Path
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["bank_code", "account_number", "holder_id", "balance", "balance_as_of"])
    sheet.append(["ICBC", 6222021480057666, person_id(1), 125000.5, datetime(2024, 12, 31)])
    sheet.append([None, None, None, None, None])
    sheet.append(["ICBC", "2", "bad-id", 1, "2024-12-31"])
    sheet.append(["ABC", "3", person_id(2), 100.0, 20241231])
    path = tmp_path / "accounts.xlsx"
    workbook.save(path)

    report = await load("bank.accounts", path)

    assert (report.rows_read, report.rows_accepted) == (3, 2)
    assert [(r.line, r.column) for r in report.rejects] == [(4, "holder_id")]
    graph = await snapshot(store)
    account = graph.props("ICBC:6222021480057666")
    assert (account["balance"], account["balance_as_of"]) == ("125000.50", "2024-12-31")
    assert graph.props("ABC:3")["balance"] == "100.00"


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
async def test_csv_line_numbers_count_physical_lines(load: Load, ending: str) -> None:
    content = ending.join(
        [
            "id_number,name,household_address",
            f'{person_id(1)},张三,"吉林省镇赉县{ending}幸福路1号"',
            "",
            f"{person_id(2)[:-1]},李四,",
        ]
    )
    report = await load("psb.persons", content + ending)

    assert [(r.line, r.column) for r in report.rejects] == [(5, "id_number")]
