"""The tamper-evident audit log: append-only, hash-chained `AuditEvent` nodes in the graph.

Each record's hash covers its content and the previous record's hash (see
`hub.security.verify_export` for the canonical form), so changing or deleting any record
breaks the chain from there on. `AuditLog.append` is the only code path that writes the
log; nothing updates or deletes a record.

The parts:

- `records`: what is recorded and answered (`AuditRecord`, `AuditEvent`, `AuditVerification`, …);
- `chain`: pure — chaining and hashing records, checking a chain;
- `writer`: the one writer — group commit, the race over the head, retries;
- `reader`: the head, stretches of the chain, pages of events, exports;
- `migrate`: an earlier version's head brought into today's form (`hub db init`);
- `log`: `AuditLog`, which puts them together.

The log lives where `GraphStore.audit_store` says. On FalkorDB that is a graph of its own,
`<graph>_audit`: FalkorDB runs one write at a time per graph, so appends in the data graph
would hold up every read of the data. On Neo4j, which locks nodes, not databases, it stays
in the same database.
"""

from hub.security.audit.log import AuditLog
from hub.security.audit.records import (
    EVENT_FIELDS,
    OUTCOMES,
    AuditEvent,
    AuditFilter,
    AuditPage,
    AuditRecord,
    AuditVerification,
    AuditWriteError,
    InvalidCursor,
    Outcome,
)

__all__ = [
    "EVENT_FIELDS",
    "OUTCOMES",
    "AuditEvent",
    "AuditFilter",
    "AuditLog",
    "AuditPage",
    "AuditRecord",
    "AuditVerification",
    "AuditWriteError",
    "InvalidCursor",
    "Outcome",
]
