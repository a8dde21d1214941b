"""The chain itself, pure: how records are chained and hashed, and how a chain is checked.

A record's hash covers its canonical form, `prev_hash` included (`record_hash`, defined in
`hub.security.verify_export`, the reference an outside auditor runs); the first record
follows 64 zeros. Nothing here reads or writes a store: the writer and the reader hand
records in and out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from hub.security.audit.records import (
    EVENT_FIELDS,
    OPTIONAL_FIELDS,
    RECORD_FIELDS,
    AuditEvent,
    AuditRecord,
    AuditVerification,
    Head,
)
from hub.security.verify_export import GENESIS_HASH, record_hash

__all__ = ["GENESIS_HASH", "record_hash"]


def chain(records: Sequence[AuditRecord], head: Head) -> list[AuditEvent]:
    """`records` as the next stretch of the chain after `head`, in their order."""
    events: list[AuditEvent] = []
    for record in records:
        unhashed = AuditEvent(
            **{name: getattr(record, name) for name in RECORD_FIELDS},
            seq=head.seq + 1,
            at=at_text(datetime.now(UTC)),
            prev_hash=head.hash,
            hash="",
        )
        event = replace(unhashed, hash=record_hash(unhashed.to_dict()))
        events.append(event)
        head = Head(event.seq, event.hash)
    return events


def at_text(moment: datetime) -> str:
    """A timestamp as stored: UTC, fixed width, so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def stored_record(properties: Mapping[str, Any]) -> dict[str, Any]:
    """A record as read from the store, with the nulls the graph does not keep put back.

    Properties that are no field of ours stay in: somebody added them, and the hash shows it.
    """
    return {name: None for name in EVENT_FIELDS if name not in OPTIONAL_FIELDS} | dict(properties)


def event_of(properties: Mapping[str, Any]) -> AuditEvent:
    stored = stored_record(properties)
    values = {name: stored.get(name) for name in EVENT_FIELDS}
    return AuditEvent(**values | {"subjects": tuple(values["subjects"] or ())})


@dataclass
class ChainCheck:
    """Recomputes hashes and links of records fed in seq order from 1; says where they break."""

    checked: int = 0
    last_hash: str = GENESIS_HASH
    broken: AuditVerification | None = None

    def add(self, stored: Mapping[str, Any]) -> bool:
        """Check the next record; False (and `broken` set) when the chain breaks at it."""
        expected = self.checked + 1
        seq = stored["seq"]
        if seq != expected:
            return self._break(expected, f"record {expected} is missing")
        if stored["prev_hash"] != self.last_hash:
            return self._break(seq, f"record {seq} does not link to record {seq - 1}")
        if stored["hash"] != record_hash(stored):
            return self._break(seq, f"record {seq} does not match its hash")
        self.checked, self.last_hash = seq, stored["hash"]
        return True

    def _break(self, seq: int, reason: str) -> bool:
        self.broken = broken(self.checked, seq, reason)
        return False

    def finish(self, head: Head | None) -> AuditVerification:
        """The verdict, once every record up to the head was fed in (or the chain broke).

        Records deleted from the end leave no gap: the head still remembers them.
        """
        if self.broken:
            return self.broken
        last_seq = self.checked
        if head is None:
            if last_seq:
                return broken(last_seq, last_seq, "the chain's head record is missing")
            return AuditVerification(ok=True, checked=0)
        if head.seq > last_seq:
            return broken(
                last_seq, last_seq + 1, f"records {last_seq + 1} to {head.seq} are missing"
            )
        if head.seq < last_seq or head.hash != self.last_hash:
            return broken(last_seq, last_seq, f"record {last_seq} does not match the head")
        return AuditVerification(ok=True, checked=last_seq)


def broken(checked: int, seq: int, reason: str) -> AuditVerification:
    return AuditVerification(ok=False, checked=checked, first_broken_seq=seq, reason=reason)
