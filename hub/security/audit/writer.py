"""The one code path that writes the audit log: group commit, the race over the head, retries.

Appends from several processes never fork the chain: an `AuditHead` node holds the last
seq and hash (on its `POSITION` relationship to itself; see `audit_head.cypher` for why a
relationship), and an append moves it only from the seq the writer read (a conditional
write, backed by the unique constraint on `AuditEvent.seq`). A writer that lost the race
re-reads the head, chains its records again and retries.

Appends are grouped (group commit). Every request appends a record and waits until it is
stored, and each write costs the store a write lock and an fsync; one write per request
would make concurrent requests queue for them one by one. So `append` queues the record,
and one writer task per log takes every record queued so far (at most `AUDIT_BATCH_MAX`),
chains them in the order `append` was called and writes them in one query. Each `append`
returns when its batch is stored; when a batch cannot be written, every request in it fails
(but a record holding a value the store refuses, found before anything is sent, fails alone).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hub.security.audit.chain import GENESIS_HASH, chain
from hub.security.audit.records import (
    OUTCOMES,
    AuditEvent,
    AuditRecord,
    AuditWriteError,
    Head,
    Unstorable,
)
from hub.settings import AUDIT_APPEND_ATTEMPTS, AUDIT_BATCH_MAX, AUDIT_RETRY_JITTER_S
from hub.store import GraphStore, StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Pending:
    """A record waiting to be written, and the future its `append` waits on."""

    record: AuditRecord
    stored: asyncio.Future[AuditEvent]


class AuditWriter:
    """Appends records to the chain in `store`; `on_stored` hears of each new end of it."""

    def __init__(
        self, store: GraphStore, on_stored: Callable[[AuditEvent], None] | None = None
    ) -> None:
        self._store = store
        self._on_stored = on_stored
        self._queue: deque[_Pending] = deque()
        self._writer: asyncio.Task[None] | None = None  # runs while records are queued
        self._head: Head | None = None  # where this process last appended

    async def append(self, record: AuditRecord) -> AuditEvent:
        """Add `record` at the end of the chain; raises `AuditWriteError` when it cannot.

        Returns once the record is stored, written in one query with the records other
        callers appended meanwhile, in the order of the calls.
        """
        if record.outcome not in OUTCOMES:
            raise ValueError(f"outcome {record.outcome!r} is not one of {', '.join(OUTCOMES)}")
        loop = asyncio.get_running_loop()
        pending = _Pending(record, loop.create_future())
        self._queue.append(pending)
        writer = self._writer
        # The writer ends when the queue is empty, and belongs to the caller's event loop.
        if writer is None or writer.done() or writer.get_loop() is not loop:
            self._writer = loop.create_task(self._write_queued(), name="audit-writer")
        return await pending.stored

    async def _write_queued(self) -> None:
        """The writer: one batch after another, until no record is waiting."""
        while self._queue:
            batch: list[_Pending] = []
            while self._queue and len(batch) < AUDIT_BATCH_MAX:
                pending = self._queue.popleft()
                if not pending.stored.done():  # else its caller was cancelled: not recorded
                    batch.append(pending)
            if batch:
                await self._write(batch)

    async def _write(self, batch: list[_Pending]) -> None:
        """Write `batch` and answer every caller in it, whatever happens."""
        try:
            events = await self._append_batch([pending.record for pending in batch])
        except Unstorable as error:
            self._head = None
            if len(batch) == 1:
                _fail(batch, error)
                return
            # Nothing was sent: write the records one by one, so only the culprit fails.
            for pending in batch:
                await self._write([pending])
        except AuditWriteError as error:
            self._head = None
            _fail(batch, error)
        except Exception as error:
            self._head = None
            log.exception("audit append of %d records failed", len(batch))
            failure = AuditWriteError("the audit log could not be written")
            failure.__cause__ = error
            _fail(batch, failure)
        except BaseException:  # cancelled: the event loop is shutting down
            self._head = None
            for pending in (*batch, *self._queue):
                pending.stored.cancel()
            self._queue.clear()
            raise
        else:
            for pending, event in zip(batch, events, strict=True):
                if not pending.stored.done():
                    pending.stored.set_result(event)
            if self._on_stored is not None:
                try:
                    self._on_stored(events[-1])
                except Exception:  # the records are stored: never fail their requests
                    log.exception("the new end of the audit chain could not be noted")

    async def _append_batch(self, records: Sequence[AuditRecord]) -> list[AuditEvent]:
        """Chain `records` after the head and store them in one write; retry lost races."""
        for _ in range(AUDIT_APPEND_ATTEMPTS):
            head = self._head or await self._read_head()
            events = chain(records, head)
            if await self._try_append(events, head):
                self._head = Head(events[-1].seq, events[-1].hash)
                return events
            self._head = None
            await asyncio.sleep(random.uniform(0, AUDIT_RETRY_JITTER_S))
        log.error(
            "audit append lost every race (%d records, requests %s to %s)",
            len(records),
            records[0].request_id,
            records[-1].request_id,
        )
        raise AuditWriteError("the audit log is too busy to record this request")

    async def _try_append(self, events: list[AuditEvent], head: Head) -> bool:
        """True when `events` now end the chain; False when another writer got there first."""
        params = {
            "prev_seq": head.seq,
            "last_seq": events[-1].seq,
            "last_hash": events[-1].hash,
            "events": [event.to_dict() for event in events],
        }
        try:
            [row] = await self._store.write("audit_append_batch", params)
        except ValueError as exc:
            raise Unstorable(f"the audit record cannot be stored: {exc}") from exc
        except StoreError as exc:
            # Where two writers both passed the WHERE (Neo4j locks nodes, not the graph),
            # the unique constraint refused the seq the other one took: a lost race, which
            # the moved head tells apart from a failure.
            if (await self._read_head()).seq != head.seq:
                return False
            log.error("audit append of %d records failed: %s", len(events), exc)
            raise AuditWriteError("the audit log could not be written") from exc
        return bool(row["appended"])

    async def _read_head(self) -> Head:
        try:
            rows = await self._store.write("audit_head", {"genesis_hash": GENESIS_HASH})
        except StoreError as exc:
            raise AuditWriteError("the audit log could not be read") from exc
        if not rows:  # audit_head leaves a head of an earlier version alone
            log.error("the audit log's head is in an earlier version's form: run `hub db init`")
            raise AuditWriteError("the audit log needs `hub db init` before it can be written")
        return Head(int(rows[0]["seq"]), str(rows[0]["hash"]))


def _fail(batch: list[_Pending], error: AuditWriteError) -> None:
    """Fail every caller still waiting in `batch`, each with an error of its own."""
    for pending in batch:
        if not pending.stored.done():
            failure = type(error)(*error.args)
            failure.__cause__ = error.__cause__
            pending.stored.set_exception(failure)
