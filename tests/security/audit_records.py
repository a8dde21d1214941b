"""Audit records to append in tests."""

from __future__ import annotations

from hub.security.audit import AuditRecord, Outcome


def record(
    n: int = 0,
    *,
    actor: str = "fy0821-001",
    operation: str = "tracePerson",
    outcome: Outcome = "ALLOWED",
    case_number: str | None = "（2024）吉0821执123号",
    subjects: tuple[str, ...] = ("22082119780314121X",),
    reason: str | None = None,
) -> AuditRecord:
    return AuditRecord(
        actor=actor,
        role="officer",
        department=None,
        operation=operation,
        case_number=case_number,
        subjects=subjects,
        outcome=outcome,
        result_count=n,
        client_address="10.0.0.7",
        request_id=f"req-{n}",
        reason=reason,
    )
