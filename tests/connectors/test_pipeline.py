"""The shared pipeline: rejects with line, column and reason; refusals that write nothing."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from connectors import DATASETS, FileRefused, ingest_file, writer
from hub.store import GraphStore, Params, Row, StoreError
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from schema.departments import default_departments
from tests.connectors.conftest import Load
from tests.connectors.helpers import person_id, read_csv, snapshot

GOOD, ALSO_GOOD = person_id(50), person_id(51)
BAD_CHECK = GOOD[:17] + ("0" if GOOD[17] != "0" else "1")
MIXED = f"""id_number,name,gender,birth_date,phone,extra_note
{GOOD},张三,男,1960-02-20,13800000001,whatever
{BAD_CHECK},李四,男,,,
{ALSO_GOOD},王五,M,1960-13-01,,
,赵六,不详,,12ab,
"quoted, with a comma",钱七,,,,
{person_id(52)},孙八,女
"""


async def test_bad_rows_are_reported_precisely_and_the_good_ones_load(
    store: GraphStore, load: Load
) -> None:
    report = await load("psb.persons", MIXED)

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (6, 1, 5)
    messages = [reject.message for reject in report.rejects]
    assert messages[0] == "第 3 行 id_number：校验位错误 / check character wrong"
    assert [(r.line, r.column) for r in report.rejects] == [
        (3, "id_number"),
        (4, "birth_date"),
        (5, "id_number"),
        (5, "gender"),
        (5, "phone"),
        (6, "id_number"),
        (7, ""),
    ]
    assert report.rejects[1].reason_en.startswith("date '1960-13-01' not understood")
    assert report.rejects[2].reason == "必填，不能为空 / required; the cell is empty"
    assert "男、女" in report.rejects[3].reason_zh
    assert "only contain digits" in report.rejects[4].reason_en
    assert report.rejects[5].reason_en == "length must be 18 (15 for a legacy number), got 20"
    assert report.rejects[6].reason_en == "this line has 3 cells, the header has 6"
    assert report.ignored_columns == ["extra_note"]
    graph = await snapshot(store)
    assert list(graph.with_label("Person")) == [GOOD]


async def test_a_cell_with_the_nul_character_rejects_its_row_only(
    store: GraphStore, load: Load
) -> None:
    text = f"id_number,name\n{GOOD},张\x00三\n{ALSO_GOOD},李四\n"

    report = await load("psb.persons", text)

    assert (report.rows_accepted, report.rows_rejected) == (1, 1)
    [reject] = report.rejects
    assert (reject.line, reject.column) == (2, "name")
    assert "NUL" in reject.reason_en
    assert list((await snapshot(store)).with_label("Person")) == [ALSO_GOOD]


async def test_rejected_rows_come_back_as_a_csv_to_fix_and_resend(
    load: Load, runs_dir: Path
) -> None:
    report = await load("psb.persons", MIXED)

    assert report.rejects_file == f"/ingest/runs/{report.run_id}/rejects"
    path = runs_dir / "runs" / report.run_id / "rejects.csv"
    rows = await asyncio.to_thread(read_csv, path)
    assert len(rows) == 5
    assert list(rows[0]) == [
        "id_number",
        "name",
        "gender",
        "birth_date",
        "phone",
        "extra_note",
        "line",
        "column",
        "reason",
    ]
    assert (rows[0]["id_number"], rows[0]["name"], rows[0]["line"]) == (BAD_CHECK, "李四", "3")
    assert rows[2]["column"] == "id_number; gender; phone"
    assert rows[2]["reason"].startswith("id_number：必填，不能为空 / required; the cell is empty; ")
    saved = json.loads((path.parent / "report.json").read_text(encoding="utf-8"))
    assert (saved["rows_rejected"], saved["rejects"][0]["line"]) == (5, 3)


async def test_a_file_lacking_a_required_column_is_refused_and_nothing_written(
    store: GraphStore, load: Load, runs_dir: Path
) -> None:
    with pytest.raises(FileRefused, match="name") as refused:
        await load("psb.persons", f"id_number,gender\n{GOOD},男\n")

    assert "表头缺少必填列" in str(refused.value)
    assert (await snapshot(store)).nodes == {}
    assert not await asyncio.to_thread(runs_dir.exists)


@pytest.mark.parametrize(
    ("content", "options", "reason"),
    [
        (b"", {}, "is empty"),
        (b"\n\n", {}, "no header row"),
        (
            "id_number,name\n".encode("gb18030") + "张三".encode("gb18030"),
            {"encoding": "utf-8"},
            "do not decode as utf-8",
        ),
        (b"id_number,name\n", {"encoding": "klingon"}, "unknown encoding"),
        (b"\xff\xfe\x00\x81\x30", {}, "neither UTF-8 nor GB18030"),
        (b"id_number,name,name\n", {}, "appears twice"),
        (b"not a zip", {"suffix": ".xlsx"}, "cannot be read as XLSX"),
        (b"id_number,name\n", {"suffix": ".txt"}, "cannot tell the format"),
    ],
)
async def test_unreadable_files_are_refused(
    store: GraphStore, load: Load, content: bytes, options: dict[str, str], reason: str
) -> None:
    with pytest.raises(FileRefused, match=reason):
        await load("psb.persons", content, **options)  # type: ignore[arg-type]
    assert (await snapshot(store)).nodes == {}


async def test_an_unknown_dataset_is_refused_naming_the_known_ones(load: Load) -> None:
    with pytest.raises(FileRefused, match=re.escape("unknown dataset 'psb.people'")) as refused:
        await load("psb.people", "id_number\n")
    assert all(name in str(refused.value) for name in DATASETS)


async def test_a_department_may_only_publish_its_own_datasets(
    store: GraphStore, load: Load
) -> None:
    with pytest.raises(FileRefused, match=re.escape("may not publish psb.persons")):
        await load(
            "psb.persons",
            f"id_number,name\n{GOOD},张三\n",
            department=default_departments()["bank"],
        )
    assert (await snapshot(store)).nodes == {}


async def test_a_repeated_key_in_one_file_is_compared_with_its_earlier_row(
    store: GraphStore, load: Load
) -> None:
    rows = f"id_number,name\n{GOOD},张三\n{GOOD},张三\n{GOOD},张叁\n"

    report = await load("psb.persons", rows)

    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert (await snapshot(store)).props(GOOD)["name"] == "张叁"


async def test_files_are_read_in_chunks_and_written_in_batches(
    store: GraphStore, load: Load
) -> None:
    rows = "".join(f"{person_id(n)},人{n}\n" for n in range(100, 125))
    seen: list[int] = []

    report = await load(
        "psb.persons", "id_number,name\n" + rows, batch_size=7, progress=seen.append
    )

    assert seen == [7, 14, 21, 25]
    assert (report.rows_read, report.created) == (25, 25)
    assert len((await snapshot(store)).with_label("Person")) == 25


async def test_every_node_and_relationship_written_carries_provenance(
    store: GraphStore, load: Load
) -> None:
    report = await load(
        "bank.accounts",
        f"bank_code,bank_name,account_number,holder_id,holder_name,balance,balance_as_of\nICBC,工行,1,{GOOD},张三,1,2024-01-01\n",
    )

    graph = await snapshot(store)
    items = [props for _, props in graph.nodes.values()] + [p for *_, p in graph.relationships]
    assert len(items) == 5  # holder, account, bank, HOLDS_ACCOUNT, AT_BANK
    for props in items:
        assert (props["source"], props["batch_id"]) == ("bank", report.run_id)
        assert props["loaded_at"] == report.started_at


class FlakyStore(FalkorDBStore):
    """The real store, except that its first writes fail the way FalkorDB does mid-fork."""

    failures = 2

    async def _run(self, text: str, params: Params, *, write: bool) -> list[Row]:
        if write and self.failures:
            self.failures -= 1
            raise StoreError("FalkorDB query failed: BUSY preparing to fork")
        return await super()._run(text, params, write=write)


async def test_a_batch_the_store_refuses_for_a_moment_is_sent_again(
    store: GraphStore,
    embedded_server: EmbeddedServer,
    graph_name: str,
    runs_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if store.engine != "falkordb":
        pytest.skip("fault injection into the FalkorDB store")
    monkeypatch.setattr(writer, "RETRY_DELAYS_S", (0.0, 0.0, 0.0))
    assert embedded_server.address is not None
    flaky = FlakyStore.connect(
        store.queries, graph_name, unix_socket=embedded_server.address.unix_socket
    )
    path = runs_dir.parent / "persons.csv"
    await asyncio.to_thread(path.write_text, f"id_number,name\n{GOOD},张三\n", "utf-8")
    try:
        report = await ingest_file(
            flaky, "psb.persons", path, default_departments()["psb"], data_dir=runs_dir
        )
    finally:
        await flaky.close()

    assert (report.status, report.created, report.parties_created) == ("completed", 1, 1)
    assert (await snapshot(store)).props(GOOD)["name"] == "张三"
