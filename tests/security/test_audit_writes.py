"""Only `AuditLog.append` writes the audit log, and only the checkpointer its checkpoints: no
other query or module can."""

from __future__ import annotations

import re
from pathlib import Path

from hub.queries import QUERY_DIR

REPO = Path(__file__).parents[2]
WRITE_CLAUSE = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE)\b", re.IGNORECASE)
AUDIT_LABEL = re.compile(r":\s*Audit(Event|Head|Checkpoint)\b")
APPEND_QUERIES = {"audit_append_batch", "audit_head"}  # the append, and the head it starts from
MIGRATION = "audit_head_migrate"  # `hub db init` moves an earlier version's head, once
CHECKPOINT = "audit_checkpoint_add"  # a signed checkpoint, never changed after


def test_no_query_but_the_append_writes_audit_nodes() -> None:
    writers = {
        path.name.split(".")[0]
        for path in QUERY_DIR.rglob("*.cypher")
        if AUDIT_LABEL.search(text := path.read_text(encoding="utf-8"))
        and WRITE_CLAUSE.search(re.sub(r"//.*", "", text))
    }

    assert writers == APPEND_QUERIES | {MIGRATION, CHECKPOINT}


def users_of(names: set[str]) -> set[str]:
    return {
        path.relative_to(REPO).as_posix()
        for folder in ("hub", "connectors")
        for path in (REPO / folder).rglob("*.py")
        if any(f'"{name}"' in path.read_text(encoding="utf-8") for name in names)
    }


def test_only_the_audit_module_runs_the_append_queries() -> None:
    assert users_of(APPEND_QUERIES) == {"hub/security/audit/writer.py"}
    assert users_of({CHECKPOINT}) == {"hub/security/audit/checkpoints.py"}
