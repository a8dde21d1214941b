"""`AuditLog`: the audit log as the rest of the hub sees it — append, verify, read, export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from hub.security.audit.chain import ChainCheck
from hub.security.audit.reader import AuditReader
from hub.security.audit.records import (
    AuditEvent,
    AuditFilter,
    AuditPage,
    AuditRecord,
    AuditVerification,
)
from hub.security.audit.writer import AuditWriter
from hub.store import GraphStore


class AuditLog:
    def __init__(self, store: GraphStore) -> None:
        self._reader = AuditReader(store)
        self._writer = AuditWriter(store)

    async def append(self, record: AuditRecord) -> AuditEvent:
        """Add `record` at the end of the chain; raises `AuditWriteError` when it cannot.

        Returns once the record is stored (see `AuditWriter.append`).
        """
        return await self._writer.append(record)

    async def verify(self) -> AuditVerification:
        """Recompute every hash and link; name the first record where the chain breaks.

        The head is read first and the chain checked up to it: records appended while the
        check runs are past the head and left for the next check, not taken for a break.
        """
        head = await self._reader.head()
        check = ChainCheck()
        async for stored in self._reader.stored(after=0, last=head.seq if head else None):
            if not check.add(stored):
                break
        return check.finish(head)

    async def events(self, filter: AuditFilter, first: int, after: str | None) -> AuditPage:
        """One page, newest first, of the records matching `filter`, older than `after`."""
        return await self._reader.events(filter, first, after)

    def export(self, start: datetime | None, end: datetime | None) -> AsyncIterator[dict[str, Any]]:
        """Every stored record from the first at or after `start` to the last before `end`,
        oldest first, each exactly as stored (with its hash), for outside verification."""
        return self._reader.export(start, end)
