"""The store layer against a real engine: values, batches, idempotence, indexes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hub.store import GraphStore, StoreError
from hub.store.schema import apply_audit_schema, apply_schema
from hub.store.values import to_store
from schema.model import identifier

PROPS = {
    "text": '镇赉县 "幸福" 路\\8号\n二单元',
    "count": 42,
    "big": 9_007_199_254_740_993,
    "ratio": 33.3333,
    "flag": True,
    "off": False,
    "tags": ["配偶", "法定代表人"],
    "born": date(1987, 2, 28),
    "seen": datetime(2024, 5, 1, 8, 30, 15, tzinfo=UTC),
    "balance": Decimal("125000.50"),
    "capital": Decimal("0.01"),
}


async def test_every_model_value_type_survives_a_round_trip(store: GraphStore) -> None:
    await store.write("test_phone_create", {"number": "13800000001", "props": PROPS})

    [row] = await store.read("test_phone_get", {"number": "13800000001"})

    node = row["node"]
    assert node["text"] == PROPS["text"]
    assert node["count"] == 42 and node["big"] == PROPS["big"]
    assert node["ratio"] == pytest.approx(33.3333)
    assert node["flag"] is True and node["off"] is False
    assert row["tags"] == ["配偶", "法定代表人"]
    assert date.fromisoformat(node["born"]) == PROPS["born"]
    assert datetime.fromisoformat(node["seen"]) == PROPS["seen"]
    assert Decimal(node["balance"]) == PROPS["balance"]
    assert Decimal(node["capital"]) == Decimal("0.01")


async def test_relationships_and_paths_come_back_as_property_dicts(store: GraphStore) -> None:
    await store.read("test_phone_get", {"number": "none yet"})  # the engine's keys are read
    # Property names the store has not seen before this write.
    props = {"minutes_spoken": 3, "reported_by": "公安"}

    await store.write(
        "test_phone_link", {"from": "13800000001", "to": "13800000002", "props": props}
    )
    [row] = await store.read("test_phone_calls", {"from": "13800000001"})

    assert row["call"] == props
    assert row["callee"] == {"number": "13800000002"}
    assert row["path"] == [{"number": "13800000001"}, {"number": "13800000002"}]


async def test_parameters_come_back_in_the_same_shape(store: GraphStore) -> None:
    value = {"name": "李某", "none": None, "nested": [1, "二", {"k": date(2024, 1, 2)}]}

    [row] = await store.read("test_echo", {"value": value})

    assert row["value"] == {"name": "李某", "none": None, "nested": [1, "二", {"k": "2024-01-02"}]}


def test_values_the_store_cannot_hold_are_refused_by_name() -> None:
    with pytest.raises(TypeError, match="bytes"):
        to_store(b"raw")


def phones(count: int, start: int = 0) -> list[dict[str, object]]:
    return [{"number": f"139{i:08d}", "seq": i} for i in range(start, start + count)]


async def test_batched_upsert_of_ten_thousand_rows(store: GraphStore) -> None:
    result = await store.write_batch(
        "test_phone_upsert", phones(10_000), {"batch_id": "b1"}, batch_size=3_000
    )

    assert [r["written"] for r in result] == [3_000, 3_000, 3_000, 1_000]
    [counts] = await store.read("test_phone_count")
    assert counts == {
        "phones": 10_000,
        "distinct_numbers": 10_000,
        "seq_sum": sum(range(10_000)),
    }


async def test_re_upserting_the_same_rows_creates_no_duplicates(store: GraphStore) -> None:
    await store.write_batch("test_phone_upsert", phones(2_000), {"batch_id": "b1"})
    await store.write_batch("test_phone_upsert", phones(2_000, start=1_000), {"batch_id": "b2"})

    [counts] = await store.read("test_phone_count")
    assert counts["phones"] == counts["distinct_numbers"] == 3_000


async def test_key_lookups_use_the_index(store: GraphStore) -> None:
    await store.write_batch("test_phone_upsert", phones(100), {"batch_id": "b1"})

    plan = await store.explain("test_phone_get", {"number": "13900000007"})

    assert "Index" in plan, plan
    assert "Scan" not in plan.replace("Index Scan", ""), plan


async def test_unknown_query_names_are_refused(store: GraphStore) -> None:
    from hub.queries import UnknownQueryError

    with pytest.raises(UnknownQueryError, match="no_such_query"):
        await store.read("no_such_query")


async def test_the_audit_store_is_a_graph_beside_the_data_that_closes_nothing(
    store: GraphStore, engine: str
) -> None:
    audit = store.audit_store()
    assert audit.audit_store() is audit
    await apply_audit_schema(store)
    if engine == "neo4j":  # locks nodes, not databases: the log stays beside the data
        assert audit is store
        return
    await audit.write("test_security_audit_plant", {"seq": 1})

    with pytest.raises(StoreError, match="unique constraint"):  # the audit graph's schema
        await audit.write("test_security_audit_plant", {"seq": 1})
    assert await store.read("test_security_audit_seqs") == []  # not in the data graph
    await audit.close()  # borrows the data store's connections: closes nothing
    assert await store.ping()
    assert await audit.read("test_security_audit_seqs") == [{"seq": 1}]


async def test_the_audit_head_has_no_index_in_an_audit_graph_of_its_own(
    store: GraphStore, engine: str
) -> None:
    """FalkorDB forks the whole server to clean up the index entries of changed nodes; the
    head changes on every append, so where the log has a graph of its own it is not indexed,
    and an index made by an earlier version is dropped."""
    audit = store.audit_store()
    if audit is store:
        pytest.skip("the audit log shares the data's database on this engine")
    await audit.ensure_unique("AuditHead", "name")  # as the earlier version left it
    assert "Index" in await audit.explain("audit_head_get")

    report = await apply_audit_schema(store)
    await apply_audit_schema(store)  # again: nothing left to drop is no error

    assert "no index on AuditHead (audit graph)" in report
    assert "Index" not in await audit.explain("audit_head_get")
    assert "unique AuditEvent.seq (audit graph)" in report


@pytest.mark.parametrize("name", ["Person", "party_id", "_x1"])
def test_plain_identifiers_pass(name: str) -> None:
    assert identifier(name) == name


@pytest.mark.parametrize("name", ["", "1st", "Person\n", "a-b", "n) DETACH DELETE (m", "名字"])
def test_labels_and_properties_that_are_no_plain_identifiers_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="not a plain identifier"):
        identifier(name)


async def test_schema_statements_refuse_names_that_are_no_identifiers(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="not a plain identifier"):
        await store.ensure_index("Phone", "number) DETACH DELETE (n")


async def test_apply_schema_returns_once_the_indexes_cover_the_stored_data(
    store: GraphStore,
) -> None:
    """Both engines build an index made on a populated graph in the background, and until
    it is built a lookup scans every node of the label and a key is not yet held unique:
    `hub db init`, `hub serve` and `hub ingest-initial` (all through apply_schema) wait."""
    await store.drop_unique("Phone", "number")
    rows = [{"number": f"135{i:08d}", "seq": i} for i in range(300_000)]
    await store.write_batch("test_phones_create", rows, {})

    await apply_schema(store)

    plan = await store.explain("test_phone_get", {"number": "13500000001"})
    assert "Index" in plan, plan
