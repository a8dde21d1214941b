"""The audit chain: appended records link up, and any change or deletion is found."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from hub.security.audit import AuditFilter, AuditLog, AuditWriteError, InvalidCursor
from hub.security.audit.migrate import migrate_audit_head
from hub.settings import MAX_PAGE_SIZE, Settings
from hub.store import GraphStore
from tests.security.audit_records import record
from tests.security.support import app_client, bearer, with_test_secret

GENESIS = "0" * 64


def independent_hash(fields: dict[str, object]) -> str:
    """The documented canonical form, computed here without the hub's code."""
    content = {k: v for k, v in fields.items() if k != "hash"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def test_appended_records_form_a_chain_from_the_genesis_hash(store: GraphStore) -> None:
    audit = AuditLog(store)

    events = [await audit.append(record(n, reason="理由 §1")) for n in range(3)]

    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert all(e.hash == independent_hash(e.to_dict()) for e in events)
    assert events[0].at.endswith("+00:00")


async def test_an_intact_chain_verifies(store: GraphStore) -> None:
    audit = AuditLog(store)
    for n in range(5):
        await audit.append(record(n, subjects=()))

    result = await audit.verify()

    assert (result.ok, result.checked, result.first_broken_seq) == (True, 5, None)


async def test_an_empty_log_verifies(store: GraphStore) -> None:
    result = await AuditLog(store).verify()

    assert (result.ok, result.checked) == (True, 0)


async def test_a_record_changed_in_the_store_is_named(store: GraphStore) -> None:
    audit = AuditLog(store)
    for n in range(5):
        await audit.append(record(n))

    await store.write("test_security_audit_tamper", {"seq": 3, "actor": "someone-else"})
    result = await audit.verify()

    assert not result.ok
    assert result.first_broken_seq == 3
    assert result.checked == 2
    assert result.reason == "record 3 does not match its hash"


async def test_a_deleted_record_is_found_as_a_gap(store: GraphStore) -> None:
    audit = AuditLog(store)
    for n in range(5):
        await audit.append(record(n))

    await store.write("test_security_audit_delete", {"seq": 2})
    result = await audit.verify()

    assert (result.ok, result.first_broken_seq) == (False, 2)
    assert result.reason == "record 2 is missing"


async def test_records_deleted_from_the_end_are_found_through_the_head(
    store: GraphStore,
) -> None:
    audit = AuditLog(store)
    for n in range(5):
        await audit.append(record(n))

    await store.write("test_security_audit_delete", {"seq": 5})
    await store.write("test_security_audit_delete", {"seq": 4})
    result = await audit.verify()

    assert (result.ok, result.first_broken_seq) == (False, 4)
    assert result.reason == "records 4 to 5 are missing"


async def test_a_second_writer_continues_the_chain_it_did_not_start(store: GraphStore) -> None:
    await AuditLog(store).append(record(1))
    later_process = AuditLog(store)

    event = await later_process.append(record(2))

    assert event.seq == 2
    assert (await later_process.verify()).ok


async def test_a_head_an_earlier_version_kept_on_the_node_is_carried_over(
    store: GraphStore,
) -> None:
    first = AuditLog(store)
    for n in range(3):
        await first.append(record(n))
    [old] = await store.write("test_security_audit_old_head")
    upgraded = AuditLog(store)

    before = await upgraded.verify()
    await migrate_audit_head(store)  # as `hub db init` does
    event = await upgraded.append(record(4))
    after = await upgraded.verify()

    assert old["seq"] == 3
    assert (before.ok, before.checked) == (True, 3)
    assert event.seq == 4
    assert (after.ok, after.checked) == (True, 4)


async def test_a_head_an_earlier_version_kept_on_the_node_stops_appends_until_db_init(
    store: GraphStore,
) -> None:
    first = AuditLog(store)
    for n in range(3):
        await first.append(record(n))
    await store.write("test_security_audit_old_head")

    with pytest.raises(AuditWriteError, match="hub db init"):
        await AuditLog(store).append(record(4))
    moved = await migrate_audit_head(store)
    again = await migrate_audit_head(store)
    event = await AuditLog(store).append(record(4))

    assert moved == ["audit head moved to its relationship at seq 3"]
    assert again == []
    assert (
        event.seq == 4
        and event.prev_hash
        == (await first.events(AuditFilter(), first=2, after=None)).events[1].hash
    )


async def test_hub_serve_carries_an_old_head_over_and_records_its_first_request(
    store: GraphStore,
    settings_for: Callable[[str, str], Settings],
    engine: str,
    graph_name: str,
) -> None:
    first = AuditLog(store.audit_store())
    for n in range(3):
        await first.append(record(n))
    await store.audit_store().write("test_security_audit_old_head")
    settings = with_test_secret(settings_for(engine, graph_name))

    async with app_client(settings, store) as client:  # start-up does what hub db init does
        answer = await client.post(
            "/graphql", json={"query": "{ measures { code } }"}, headers=bearer("officer")
        )

    assert answer.json()["data"]["measures"]
    page = await first.events(AuditFilter(), first=1, after=None)
    assert (page.events[0].seq, page.events[0].operation) == (4, "measures")
    assert (await first.verify()).ok


async def test_a_head_created_twice_by_writers_starting_at_once_keeps_one_chain(
    store: GraphStore,
) -> None:
    first = AuditLog(store)
    await first.append(record(1))
    [twin] = await store.write("test_security_audit_second_head")
    writers = [AuditLog(store), AuditLog(store)]

    events = await asyncio.gather(*(w.append(record(n)) for n in range(4) for w in writers))
    result = await first.verify()

    assert twin["created"] == 1
    assert sorted(e.seq for e in events) == list(range(2, 10))
    assert (result.ok, result.checked) == (True, 9)


async def test_an_unknown_outcome_is_refused_before_writing(store: GraphStore) -> None:
    audit = AuditLog(store)
    with pytest.raises(ValueError, match="outcome"):
        await audit.append(record(outcome="MAYBE"))  # type: ignore[arg-type]

    assert (await audit.verify()).checked == 0


async def test_events_come_newest_first_in_pages(store: GraphStore) -> None:
    audit = AuditLog(store)
    for n in range(7):
        await audit.append(record(n))

    first = await audit.events(AuditFilter(), first=3, after=None)
    second = await audit.events(AuditFilter(), first=3, after=first.end_cursor)
    last = await audit.events(AuditFilter(), first=3, after=second.end_cursor)

    assert [e.seq for e in first.events] == [7, 6, 5] and first.has_next_page
    assert [e.seq for e in second.events] == [4, 3, 2] and second.has_next_page
    assert [e.seq for e in last.events] == [1] and not last.has_next_page
    assert first.events[0].subjects == ("22082119780314121X",)


async def test_events_are_filtered_by_each_field(store: GraphStore) -> None:
    audit = AuditLog(store)
    await audit.append(record(1, actor="fy-a", subjects=("S1", "S2")))
    await audit.append(record(2, actor="fy-b", outcome="DENIED", reason="not theirs"))
    await audit.append(record(3, actor="fy-a", operation="locateAssets", case_number="C9"))
    await audit.append(record(4, actor="fy-b", subjects=("S2",), case_number=None))

    async def seqs(**criteria: object) -> list[int]:
        page = await audit.events(AuditFilter(**criteria), first=50, after=None)  # type: ignore[arg-type]
        return [e.seq for e in page.events]

    assert await seqs(actor="fy-a") == [3, 1]
    assert await seqs(subject="S2") == [4, 1]
    assert await seqs(outcome="DENIED") == [2]
    assert await seqs(operation="locateAssets") == [3]
    assert await seqs(case_number="C9") == [3]
    assert await seqs(actor="fy-b", subject="S2") == [4]
    now = datetime.now(UTC)
    assert await seqs(start=now - timedelta(minutes=5), end=now + timedelta(minutes=5)) == [
        4,
        3,
        2,
        1,
    ]
    assert await seqs(start=now + timedelta(minutes=5)) == []
    assert await seqs(end=now - timedelta(minutes=5)) == []


async def test_the_page_size_is_capped(store: GraphStore) -> None:
    audit = AuditLog(store)
    for n in range(MAX_PAGE_SIZE + 1):
        await audit.append(record(n))

    page = await audit.events(AuditFilter(), first=10_000, after=None)

    assert len(page.events) == MAX_PAGE_SIZE and page.has_next_page


async def test_a_cursor_that_was_not_handed_out_is_refused(store: GraphStore) -> None:
    with pytest.raises(InvalidCursor):
        await AuditLog(store).events(AuditFilter(), first=5, after="'; DROP")
