"""The tamper-evident audit log: append-only, hash-chained `AuditEvent` nodes in the graph.

Each record's hash covers its content and the previous record's hash (see
`hub.security.verify_export` for the canonical form), so changing or deleting any record
breaks the chain from there on. `AuditLog.append` is the only code path that writes the
log; nothing updates or deletes a record.

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

The log lives where `GraphStore.audit_store` says. On FalkorDB that is a graph of its own,
`<graph>_audit`: FalkorDB runs one write at a time per graph, so appends in the data graph
would hold up every read of the data. On Neo4j, which locks nodes, not databases, it stays
in the same database.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from hub.security.verify_export import GENESIS_HASH, record_hash
from hub.settings import AUDIT_APPEND_ATTEMPTS, AUDIT_BATCH_MAX, AUDIT_READ_PAGE, MAX_PAGE_SIZE
from hub.store import GraphStore, StoreError

log = logging.getLogger(__name__)

Outcome = Literal["ALLOWED", "DENIED", "ERROR"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
RETRY_JITTER_S = 0.002  # spreads out writers that lost a race, so they do not collide again


@dataclass(frozen=True)
class AuditRecord:
    """What the request path hands in: who did what, about whom, and how it ended."""

    actor: str | None
    role: str | None
    department: str | None
    operation: str
    case_number: str | None
    subjects: tuple[str, ...]
    outcome: Outcome
    result_count: int
    client_address: str | None
    request_id: str
    reason: str | None = None
    dataset: str | None = None  # for ingest calls: the dataset published


@dataclass(frozen=True, kw_only=True)
class AuditEvent(AuditRecord):
    """A stored record: the `AuditRecord` plus its place and hash in the chain."""

    seq: int
    at: str  # ISO 8601, UTC, microseconds: sorts as text
    prev_hash: str
    hash: str

    @property
    def cursor(self) -> str:
        return str(self.seq)

    def to_dict(self) -> dict[str, Any]:
        """Every field, as stored and exported (`subjects` as a list)."""
        # Not dataclasses.asdict: it deep-copies every value, and every request pays for this.
        return {name: getattr(self, name) for name in EVENT_FIELDS} | {
            "subjects": list(self.subjects)
        }


EVENT_FIELDS = tuple(f.name for f in fields(AuditEvent))


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    case_number: str | None = None
    subject: str | None = None
    operation: str | None = None
    outcome: Outcome | None = None
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive


@dataclass(frozen=True)
class AuditPage:
    events: tuple[AuditEvent, ...]  # newest first
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.events[-1].cursor if self.events else None


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None  # why the chain breaks at first_broken_seq


@dataclass(frozen=True)
class _Head:
    seq: int
    hash: str


class AuditWriteError(RuntimeError):
    """The record could not be appended; the request it describes must fail."""


class _Unstorable(AuditWriteError):
    """A record holds a value the store refuses (before anything is sent), e.g. NUL on FalkorDB."""


class InvalidCursor(ValueError):
    """An `after` cursor that no page of the audit log handed out."""


@dataclass(frozen=True)
class _Pending:
    """A record waiting to be written, and the future its `append` waits on."""

    record: AuditRecord
    stored: asyncio.Future[AuditEvent]


class AuditLog:
    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._queue: deque[_Pending] = deque()
        self._writer: asyncio.Task[None] | None = None  # runs while records are queued
        self._head: _Head | None = None  # where this process last appended

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
        except _Unstorable as error:
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

    async def _append_batch(self, records: Sequence[AuditRecord]) -> list[AuditEvent]:
        """Chain `records` after the head and store them in one write; retry lost races."""
        for _ in range(AUDIT_APPEND_ATTEMPTS):
            head = self._head or await self._read_head()
            events = _chain(records, head)
            if await self._try_append(events, head):
                self._head = _Head(events[-1].seq, events[-1].hash)
                return events
            self._head = None
            await asyncio.sleep(random.uniform(0, RETRY_JITTER_S))
        log.error(
            "audit append lost every race (%d records, requests %s to %s)",
            len(records),
            records[0].request_id,
            records[-1].request_id,
        )
        raise AuditWriteError("the audit log is too busy to record this request")

    async def _try_append(self, events: list[AuditEvent], head: _Head) -> bool:
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
            raise _Unstorable(f"the audit record cannot be stored: {exc}") from exc
        except StoreError as exc:
            if (await self._read_head()).seq != head.seq:
                return False  # Neo4j: the unique constraint refused a seq another writer took
            log.error("audit append of %d records failed: %s", len(events), exc)
            raise AuditWriteError("the audit log could not be written") from exc
        return bool(row["appended"])

    async def _read_head(self) -> _Head:
        try:
            [row] = await self._store.write("audit_head", {"genesis_hash": GENESIS_HASH})
        except StoreError as exc:
            raise AuditWriteError("the audit log could not be read") from exc
        return _Head(int(row["seq"]), str(row["hash"]))

    async def verify(self) -> AuditVerification:
        """Recompute every hash and link; name the first record where the chain breaks.

        The head is read first and the chain checked up to it: records appended while the
        check runs are past the head and left for the next check, not taken for a break.
        """
        head = await self._current_head()
        checked, previous_hash = 0, GENESIS_HASH
        async for stored in self._stored(after=0, last=head.seq if head else None):
            expected = checked + 1
            seq = stored["seq"]
            if seq != expected:
                return _broken(checked, expected, f"record {expected} is missing")
            if stored["prev_hash"] != previous_hash:
                return _broken(checked, seq, f"record {seq} does not link to record {seq - 1}")
            if stored["hash"] != record_hash(stored):
                return _broken(checked, seq, f"record {seq} does not match its hash")
            checked, previous_hash = seq, stored["hash"]
        return _check_head(head, checked, previous_hash)

    async def _current_head(self) -> _Head | None:
        rows = await self._store.read("audit_head_get")
        return _Head(int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else None

    async def events(self, filter: AuditFilter, first: int, after: str | None) -> AuditPage:
        """One page, newest first, of the records matching `filter`, older than `after`."""
        if first < 0:
            raise ValueError("first must not be negative")
        limit = min(first, MAX_PAGE_SIZE)
        params = {
            "before": _seq_of_cursor(after),
            "actor": filter.actor,
            "case_number": filter.case_number,
            "subject": filter.subject,
            "operation": filter.operation,
            "outcome": filter.outcome,
            "start": _bound(filter.start),
            "end": _bound(filter.end),
            "limit": limit + 1,
        }
        rows = await self._store.read("audit_events", params)
        events = tuple(_event(row["event"]) for row in rows[:limit])
        return AuditPage(events, has_next_page=len(rows) > limit)

    async def export(
        self, start: datetime | None, end: datetime | None
    ) -> AsyncIterator[dict[str, Any]]:
        """Every stored record from the first at or after `start` to the last before `end`,
        oldest first, each exactly as stored (with its hash), for outside verification."""
        [bounds] = await self._store.read(
            "audit_seq_bounds", {"start": _bound(start), "end": _bound(end)}
        )
        if bounds["first"] is None:
            return
        async for stored in self._stored(after=bounds["first"] - 1, last=bounds["last"]):
            yield stored

    async def _stored(self, *, after: int, last: int | None) -> AsyncIterator[dict[str, Any]]:
        while True:
            rows = await self._store.read(
                "audit_range", {"after": after, "last": last, "limit": AUDIT_READ_PAGE}
            )
            for row in rows:
                yield _stored_record(row["event"])
            if len(rows) < AUDIT_READ_PAGE:
                return
            after = rows[-1]["event"]["seq"]


def _chain(records: Sequence[AuditRecord], head: _Head) -> list[AuditEvent]:
    """`records` as the next stretch of the chain after `head`, in their order."""
    events: list[AuditEvent] = []
    for record in records:
        event = _chained(record, head)
        events.append(event)
        head = _Head(event.seq, event.hash)
    return events


def _chained(record: AuditRecord, head: _Head) -> AuditEvent:
    unhashed = AuditEvent(
        **{f.name: getattr(record, f.name) for f in fields(AuditRecord)},
        seq=head.seq + 1,
        at=_at_text(datetime.now(UTC)),
        prev_hash=head.hash,
        hash="",
    )
    return replace(unhashed, hash=record_hash(unhashed.to_dict()))


def _fail(batch: list[_Pending], error: AuditWriteError) -> None:
    """Fail every caller still waiting in `batch`, each with an error of its own."""
    for pending in batch:
        if not pending.stored.done():
            failure = type(error)(*error.args)
            failure.__cause__ = error.__cause__
            pending.stored.set_exception(failure)


def _stored_record(properties: Mapping[str, Any]) -> dict[str, Any]:
    # The graph keeps no null properties; put them back so the hash sees the same record.
    # Properties that are no field of ours stay in: somebody added them, and the hash shows it.
    return {name: None for name in EVENT_FIELDS} | dict(properties)


def _event(properties: Mapping[str, Any]) -> AuditEvent:
    stored = _stored_record(properties)
    values = {name: stored[name] for name in EVENT_FIELDS}
    return AuditEvent(**values | {"subjects": tuple(values["subjects"] or ())})


def _broken(checked: int, seq: int, reason: str) -> AuditVerification:
    return AuditVerification(ok=False, checked=checked, first_broken_seq=seq, reason=reason)


def _at_text(moment: datetime) -> str:
    """A timestamp as stored: UTC, fixed width, so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _bound(moment: datetime | None) -> str | None:
    return None if moment is None else _at_text(moment)


def _seq_of_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isascii() or not cursor.isdigit():
        raise InvalidCursor(f"cursor {cursor!r} was not handed out by auditEvents")
    return int(cursor)


def _check_head(head: _Head | None, last_seq: int, last_hash: str) -> AuditVerification:
    """Records deleted from the end leave no gap: the head still remembers them."""
    if head is None:
        if last_seq:
            return _broken(last_seq, last_seq, "the chain's head record is missing")
        return AuditVerification(ok=True, checked=0)
    if head.seq > last_seq:
        return _broken(last_seq, last_seq + 1, f"records {last_seq + 1} to {head.seq} are missing")
    if head.seq < last_seq or head.hash != last_hash:
        return _broken(last_seq, last_seq, f"record {last_seq} does not match the head")
    return AuditVerification(ok=True, checked=last_seq)
