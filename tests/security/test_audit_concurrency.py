"""Many writers at once, in one process and across two: the chain never forks or skips.

Within one process the appends are grouped: concurrent records share one store write.
"""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY

from hub.security.audit import AuditEvent, AuditLog, AuditWriteError
from hub.store import GraphStore
from hub.store.embedded import EmbeddedServer
from tests.conftest import new_store
from tests.security.audit_records import record

APPENDS_PER_WORKER = 500


async def test_a_thousand_concurrent_appends_from_two_workers_keep_one_chain(
    store: GraphStore, engine: str, embedded_server: EmbeddedServer, graph_name: str
) -> None:
    # A second worker: its own connection and its own AuditLog, racing the first.
    second_store = new_store(engine, embedded_server, graph_name)
    try:
        workers = [AuditLog(store), AuditLog(second_store)]
        appends = [
            worker.append(record(n, actor=f"worker-{w}"))
            for n in range(APPENDS_PER_WORKER)
            for w, worker in enumerate(workers)
        ]
        events = await asyncio.gather(*appends)
    finally:
        await second_store.close()

    total = APPENDS_PER_WORKER * len(workers)
    rows = await store.read("test_security_audit_seqs")
    assert [row["seq"] for row in rows] == list(range(1, total + 1))
    assert sorted(e.seq for e in events) == list(range(1, total + 1))
    assert {e.actor for e in events} == {"worker-0", "worker-1"}
    for w in range(len(workers)):  # each worker's records in the order it appended them
        seqs = [e.seq for e in events[w :: len(workers)]]
        assert seqs == sorted(seqs)
    result = await AuditLog(store).verify()
    assert (result.ok, result.checked) == (True, total)


async def test_verifying_while_records_are_appended_finds_no_break(store: GraphStore) -> None:
    writer, checker = AuditLog(store), AuditLog(store)
    await writer.append(record(0))

    async def keep_verifying() -> list[bool]:
        results = []
        for _ in range(20):
            results.append((await checker.verify()).ok)
            await asyncio.sleep(0)
        return results

    appends = asyncio.gather(*(writer.append(record(n)) for n in range(1, 201)))
    verdicts, _ = await asyncio.gather(keep_verifying(), appends)

    assert all(verdicts), verdicts
    final = await checker.verify()
    assert final.ok and final.checked == 201


def store_queries(engine: str) -> float:
    """Queries sent to the store so far, all names (`hub_store_queries_total`)."""
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        if metric.name == "hub_store_queries"
        for sample in metric.samples
        if sample.name == "hub_store_queries_total" and sample.labels["engine"] == engine
    )


async def test_concurrent_appends_share_a_few_writes_and_keep_the_order_of_the_calls(
    store: GraphStore, engine: str
) -> None:
    audit = AuditLog(store)
    await audit.append(record(0))  # the head is read once, on the first append
    before = store_queries(engine)

    events = await asyncio.gather(*(audit.append(record(n)) for n in range(1, 201)))

    queries = store_queries(engine) - before
    assert [e.seq for e in events] == list(range(2, 202))
    assert [e.request_id for e in events] == [f"req-{n}" for n in range(1, 201)]
    stored = [r async for r in audit.export(None, None)]
    assert [r["request_id"] for r in stored] == [f"req-{n}" for n in range(201)]
    assert queries <= 5, f"{queries} store queries for 200 records"
    result = await audit.verify()
    assert (result.ok, result.checked) == (True, 201)


async def test_when_a_batch_cannot_be_written_every_append_in_it_fails(
    store: GraphStore,
) -> None:
    audit = AuditLog(store)
    await audit.append(record(0))
    # A record written behind the log's back takes the next seq: the unique constraint on
    # AuditEvent.seq refuses every batch that starts there.
    await store.write("test_security_audit_plant", {"seq": 2})

    results = await asyncio.gather(
        *(audit.append(record(n)) for n in range(1, 51)), return_exceptions=True
    )

    assert all(isinstance(r, AuditWriteError) for r in results), results
    assert len({id(r) for r in results}) == len(results)  # each request its own error
    assert [row["seq"] for row in await store.read("test_security_audit_seqs")] == [1, 2]
    # Once the stray record is gone the log writes again, after the records it holds.
    await store.write("test_security_audit_delete", {"seq": 2})
    event = await audit.append(record(51))
    assert event.seq == 2
    assert (await audit.verify()).checked == 2


async def test_a_record_the_store_cannot_hold_fails_alone(store: GraphStore, engine: str) -> None:
    if engine != "falkordb":
        pytest.skip("only FalkorDB refuses the NUL character")
    audit = AuditLog(store)
    appends = [audit.append(record(n, reason="\x00" if n == 3 else None)) for n in range(6)]

    results = await asyncio.gather(*appends, return_exceptions=True)

    assert isinstance(results[3], AuditWriteError)
    stored = [r for n, r in enumerate(results) if n != 3]
    assert [e.seq for e in stored if isinstance(e, AuditEvent)] == [1, 2, 3, 4, 5]
    assert (await audit.verify()).checked == 5
