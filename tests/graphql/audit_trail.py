"""Read the hub's audit log from the test's side: a connection of its own to the audit graph."""

from __future__ import annotations

import asyncio

from hub.queries import QUERY_DIR, load_queries
from hub.security.audit import AuditEvent, AuditFilter, AuditLog
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from tests.conftest import TEST_QUERY_DIR
from tests.graphql.conftest import Hub

PAGE = 200


def events_since(hub: Hub, server: EmbeddedServer, seq: int) -> list[AuditEvent]:
    """The records appended after `seq`, oldest first."""

    async def read() -> list[AuditEvent]:
        assert server.address
        store = FalkorDBStore.connect(
            load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR),
            f"{hub.graph}_audit",
            unix_socket=server.address.unix_socket,
            port=server.address.port or 0,
        )
        try:
            found: list[AuditEvent] = []
            after: str | None = None
            while True:
                page = await AuditLog(store).events(AuditFilter(), first=PAGE, after=after)
                newer = [event for event in page.events if event.seq > seq]
                found.extend(newer)
                if len(newer) < len(page.events) or not page.has_next_page:
                    return sorted(found, key=lambda event: event.seq)
                after = page.end_cursor
        finally:
            await store.close()

    return asyncio.run(read())


def last_seq(hub: Hub, server: EmbeddedServer) -> int:
    """The seq of the newest record (0 for an empty log)."""

    async def read() -> int:
        assert server.address
        store = FalkorDBStore.connect(
            load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR),
            f"{hub.graph}_audit",
            unix_socket=server.address.unix_socket,
            port=server.address.port or 0,
        )
        try:
            page = await AuditLog(store).events(AuditFilter(), first=1, after=None)
        finally:
            await store.close()
        return page.events[0].seq if page.events else 0

    return asyncio.run(read())
