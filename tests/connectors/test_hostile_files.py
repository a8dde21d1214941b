"""Files a hostile or careless department sends: over-long values, open quotes, endless lines.

Each is rejected at its line and column with the reason, the good rows of the same file
still load, every record of the file is counted, and the store keeps answering. (Before
the value limits, a 4,100-byte address took the embedded FalkorDB down with signal 11;
before quotes were parsed strictly, an open quote on line 4 of a 50-row file swallowed
the 47 rows after it without a word.)
"""

from __future__ import annotations

import json

import pytest

from hub.store import GraphStore
from schema.limits import MAX_ROW_BYTES, MAX_TEXT_CHARS, MAX_VALUE_BYTES
from tests.connectors.conftest import Load
from tests.connectors.helpers import csv_text, enterprise_id, person_id

HEADER = "id_number,name,household_address,phone"


def persons(count: int, start: int = 0) -> list[str]:
    return [
        f"{person_id(start + n)},张{n},吉林省镇赉县幸福路{n}号,1380000{n:04d}" for n in range(count)
    ]


async def count_label(store: GraphStore, label: str) -> int:
    rows = await store.read("test_label_counts")
    return sum(int(row["count"]) for row in rows if label in row["labels"])


async def persons_in_store(store: GraphStore) -> int:
    return await count_label(store, "Person")


def only_reject(report: object) -> tuple[int, str, str]:
    rejects = report.rejects  # type: ignore[attr-defined]
    assert len(rejects) == 1, rejects
    return rejects[0].line, rejects[0].column, rejects[0].reason_en


@pytest.mark.parametrize(
    ("dataset", "header", "row", "column"),
    [
        ("psb.persons", HEADER, f"{person_id(1)},张三,吉林省{{long}},", "household_address"),
        (
            "nrb.properties",
            "cert_number,owner_id,address",
            f"{{long}},{person_id(1)},吉林省",
            "cert_number",
        ),
        (
            "bank.accounts",
            "bank_code,account_number,holder_id,balance,balance_as_of",
            f"ICBC,{{long}},{person_id(1)},1.00,2024-01-01",
            "account_number",
        ),
        (
            "bank.accounts",
            "bank_code,account_number,holder_id,balance,balance_as_of",
            f"{{long}},6222,{person_id(1)},1.00,2024-01-01",
            "bank_code",
        ),
        (
            "court.cases",
            "case_number,court,filed_at,amount,officer_id",
            "{long},镇赉县人民法院,2024-01-01,100.00,fy-1",
            "case_number",
        ),
        (
            "amr.enterprises",
            "uscc,name,legal_rep_id",
            f"{enterprise_id(1)},{{long}},{person_id(1)}",
            "name",
        ),
    ],
)
async def test_an_over_long_value_is_rejected_with_its_column_and_limit(
    store: GraphStore, load: Load, dataset: str, header: str, row: str, column: str
) -> None:
    # 4,100 bytes: over FalkorDB's 4,096-byte crash on a unique key (and every limit).
    report = await load(dataset, csv_text(header, row.format(long="A" * 4_100)))

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (1, 0, 1)
    line, rejected_column, reason = only_reject(report)
    assert (line, rejected_column) == (2, column)
    assert "at most" in reason and "4,10" in reason
    assert await store.ping()


async def test_the_limits_count_characters_and_bytes(store: GraphStore, load: Load) -> None:
    longest = "中" * MAX_TEXT_CHARS  # 3,000 bytes: the most any value may hold
    wide = "𠀀" * (MAX_VALUE_BYTES // 4 + 1)  # 751 four-byte characters: 3,004 bytes
    content = csv_text(
        HEADER,
        f"{person_id(1)},张三,{longest},",
        f"{person_id(2)},李四,{'中' * (MAX_TEXT_CHARS + 1)},",
        f"{person_id(3)},王五,{wide},",
        f"{person_id(4)},{'名' * 201},镇赉县,",
    )

    report = await load("psb.persons", content)

    assert (report.rows_accepted, report.rows_rejected) == (1, 3)
    assert [(r.line, r.column) for r in report.rejects] == [
        (3, "household_address"),
        (4, "household_address"),
        (5, "name"),
    ]
    assert "1,000 characters" in report.rejects[0].reason_en
    assert "3,004 bytes" in report.rejects[1].reason_en
    assert "200 characters" in report.rejects[2].reason_en
    assert await count_label(store, "Address") == 1


async def test_a_ten_megabyte_json_field_is_rejected_and_the_next_line_loads(
    store: GraphStore, load: Load
) -> None:
    lines = [
        json.dumps({"id_number": person_id(1), "name": "张三"}, ensure_ascii=False),
        json.dumps(
            {"id_number": person_id(2), "name": "李四", "household_address": "A" * 10_000_000}
        ),
        json.dumps({"id_number": person_id(3), "name": "王五", "household_address": "B" * 5_000}),
        json.dumps({"id_number": person_id(4), "name": "赵六"}, ensure_ascii=False),
    ]

    report = await load("psb.persons", "\n".join(lines) + "\n", suffix=".jsonl")

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (4, 2, 2)
    assert [(r.line, r.column) for r in report.rejects] == [(2, ""), (3, "household_address")]
    assert "64 KiB" in report.rejects[0].reason_en
    assert await persons_in_store(store) == 2


async def test_an_endless_csv_line_is_rejected_and_reading_goes_on(
    store: GraphStore, load: Load
) -> None:
    endless = f"{person_id(2)},李四,{'A' * (MAX_ROW_BYTES + 10)},"
    content = csv_text(HEADER, *persons(1), endless, *persons(2, start=10))

    report = await load("psb.persons", content)

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (4, 3, 1)
    assert only_reject(report)[:2] == (3, "")
    assert await persons_in_store(store) == 3


@pytest.mark.parametrize("rows", [50, 1_500])
async def test_an_open_quote_rejects_its_line_and_loses_no_other(
    store: GraphStore, load: Load, rows: int
) -> None:
    lines = persons(rows)
    lines[2] = lines[2].replace(",", ',"', 1)  # line 4 of the file: `id,"张2,…` never closes

    report = await load("psb.persons", csv_text(HEADER, *lines))

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (rows, rows - 1, 1)
    line, column, reason = only_reject(report)
    assert (line, column) == (4, "name")
    assert "quote" in reason and "not closed" in reason
    assert await persons_in_store(store) == rows - 1


async def test_text_after_a_closing_quote_is_rejected_at_its_column(
    store: GraphStore, load: Load
) -> None:
    lines = persons(3)
    lines[1] = f'{person_id(1)},"张"1,吉林省,'

    report = await load("psb.persons", csv_text(HEADER, *lines))

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 2, 1)
    line, column, reason = only_reject(report)
    assert (line, column) == (3, "name")
    assert "closing quote" in reason


async def test_a_quoted_field_may_run_over_a_line_break(store: GraphStore, load: Load) -> None:
    content = csv_text(
        HEADER,
        f'{person_id(1)},张三,"吉林省镇赉县\n幸福路1号",13800000001',
        f'{person_id(2)},"李\n四",镇赉县,',
        *persons(1, start=5),
    )

    report = await load("psb.persons", content)

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 3, 0)
    [row] = await store.read("test_person", {"id": person_id(1)})
    assert row["person"]["household_address"] == "吉林省镇赉县 幸福路1号"


async def test_a_quote_open_at_the_end_of_the_file_is_rejected(
    store: GraphStore, load: Load
) -> None:
    lines = [*persons(2), f'{person_id(9)},"王五,镇赉县,']

    report = await load("psb.persons", csv_text(HEADER, *lines))

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 2, 1)
    assert only_reject(report)[:2] == (4, "name")
