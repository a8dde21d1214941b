"""The audit records of what an operator does on the server through the command line.

Commands that change data or hand out access (`hub ingest`, `hub token issue`,
`hub user add|disable`, `hub audit export`) append a record as every API request does: the
actor is `cli:<operating-system user>`, the role `operator`.
"""

from __future__ import annotations

import getpass
import uuid

from hub.security.audit import AuditLog, AuditRecord, Outcome
from hub.settings import MAX_OPERATOR_REASON_CHARS, Settings
from hub.store import GraphStore

ROLE = "operator"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def operator_record(
    operation: str,
    *,
    outcome: Outcome = "ALLOWED",
    result_count: int = 1,
    reason: str | None = None,
    department: str | None = None,
    dataset: str | None = None,
    request_id: str | None = None,
) -> AuditRecord:
    return AuditRecord(
        actor=f"cli:{os_user()}",
        role=ROLE,
        department=department,
        operation=operation,
        case_number=None,
        subjects=(),
        outcome=outcome,
        result_count=result_count,
        client_address=None,
        request_id=request_id or uuid.uuid4().hex,
        reason=reason[:MAX_OPERATOR_REASON_CHARS] if reason else None,
        dataset=dataset,
    )


async def record(store: GraphStore, settings: Settings, entry: AuditRecord) -> None:
    """Append `entry` to the audit log (and sign the head, as a process ending does)."""
    audit = AuditLog(store.audit_store(), settings)
    try:
        await audit.append(entry)
    finally:
        await audit.close()
