"""Reading the audit log: the head, stretches of the chain, pages of events, exports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from hub.security.audit.chain import at_text, event_of, stored_record
from hub.security.audit.records import AuditFilter, AuditPage, Head, InvalidCursor
from hub.settings import AUDIT_READ_PAGE, MAX_PAGE_SIZE
from hub.store import GraphStore


class AuditReader:
    def __init__(self, store: GraphStore) -> None:
        self._store = store

    async def head(self) -> Head | None:
        """The chain's head as it stands, or None when nothing was ever appended."""
        rows = await self._store.read("audit_head_get")
        return Head(int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else None

    async def events(self, filter: AuditFilter, first: int, after: str | None) -> AuditPage:
        """One page, newest first, of the records matching `filter`, older than `after`."""
        if first < 0:
            raise ValueError("first must not be negative")
        limit = min(first, MAX_PAGE_SIZE)
        params = {
            "before": _seq_of_cursor(after),
            "actor": filter.actor,
            "department": filter.department,
            "case_number": filter.case_number,
            "subject": filter.subject,
            "operation": filter.operation,
            "outcome": filter.outcome,
            "start": _bound(filter.start),
            "end": _bound(filter.end),
            "limit": limit + 1,
        }
        rows = await self._store.read("audit_events", params)
        events = tuple(event_of(row["event"]) for row in rows[:limit])
        return AuditPage(events, has_next_page=len(rows) > limit)

    async def export(
        self, start: datetime | None, end: datetime | None
    ) -> AsyncIterator[dict[str, Any]]:
        """Every stored record from the first at or after `start` to the last before `end`,
        oldest first, each exactly as stored (with its hash), for outside verification."""
        bounds = await self.seq_bounds(start, end)
        if bounds is None:
            return
        async for stored in self.stored(after=bounds[0] - 1, last=bounds[1]):
            yield stored

    async def seq_bounds(
        self, start: datetime | None, end: datetime | None
    ) -> tuple[int, int] | None:
        """The first and last seq recorded in [start, end); an export holds every seq between."""
        [bounds] = await self._store.read(
            "audit_seq_bounds", {"start": _bound(start), "end": _bound(end)}
        )
        if bounds["first"] is None:
            return None
        return int(bounds["first"]), int(bounds["last"])

    async def stored(self, *, after: int, last: int | None) -> AsyncIterator[dict[str, Any]]:
        """The records after seq `after` up to `last`, oldest first, as stored."""
        while True:
            rows = await self._store.read(
                "audit_range", {"after": after, "last": last, "limit": AUDIT_READ_PAGE}
            )
            for row in rows:
                yield stored_record(row["event"])
            if len(rows) < AUDIT_READ_PAGE:
                return
            after = rows[-1]["event"]["seq"]


def _bound(moment: datetime | None) -> str | None:
    return None if moment is None else at_text(moment)


def _seq_of_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isascii() or not cursor.isdigit():
        raise InvalidCursor(f"cursor {cursor!r} was not handed out by auditEvents")
    return int(cursor)
