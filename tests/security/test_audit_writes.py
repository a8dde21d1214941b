"""Only `AuditLog.append` writes the audit log: no other query or module can."""

from __future__ import annotations

import re
from pathlib import Path

from hub.queries import QUERY_DIR

REPO = Path(__file__).parents[2]
WRITE_CLAUSE = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE)\b", re.IGNORECASE)
AUDIT_LABEL = re.compile(r":\s*Audit(Event|Head)\b")
APPEND_QUERIES = {"audit_append_batch", "audit_head"}  # the append, and the head it starts from
MIGRATION = "audit_head_migrate"  # `hub db init` moves an earlier version's head, once


def test_no_query_but_the_append_writes_audit_nodes() -> None:
    writers = {
        path.name.split(".")[0]
        for path in QUERY_DIR.rglob("*.cypher")
        if AUDIT_LABEL.search(text := path.read_text(encoding="utf-8"))
        and WRITE_CLAUSE.search(re.sub(r"//.*", "", text))
    }

    assert writers == APPEND_QUERIES | {MIGRATION}


def test_only_the_audit_module_runs_the_append_queries() -> None:
    users = {
        path.relative_to(REPO).as_posix()
        for folder in ("hub", "connectors")
        for path in (REPO / folder).rglob("*.py")
        if any(f'"{name}"' in path.read_text(encoding="utf-8") for name in APPEND_QUERIES)
    }

    assert users == {"hub/security/audit/writer.py"}
