"""Bring an audit log written by an earlier version into today's form (`hub db init`).

Versions before the `POSITION` relationship kept the head's seq and hash in the `AuditHead`
node's own properties. `audit_head` leaves such a head alone (an append then fails, asking
for `hub db init`) rather than moving it on the request path; this moves it, once.
"""

from __future__ import annotations

from hub.store import GraphStore


async def migrate_audit_head(store: GraphStore) -> list[str]:
    """Move a head kept on the node to its relationship; what was done, for the report."""
    rows = await store.write("audit_head_migrate")
    return [f"audit head moved to its relationship at seq {row['seq']}" for row in rows]
