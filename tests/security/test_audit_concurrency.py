"""Many writers at once, in one process and across two: the chain never forks or skips."""

from __future__ import annotations

import asyncio

from hub.security.audit import AuditLog
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
