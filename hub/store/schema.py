"""Create the model's constraints and indexes (`hub db init`); safe to run again."""

from __future__ import annotations

from collections.abc import Iterable

from hub.settings import INDEX_BUILD_TIMEOUT_S
from hub.store.base import GraphStore
from schema.model import NODES, NodeType

AUDIT_LABELS = ("AuditEvent", "AuditHead")  # the audit log's nodes (hub.security.audit)
AUDIT_HEAD = "AuditHead"


async def apply_schema(store: GraphStore) -> list[str]:
    """Ensure every key and index exists and covers the stored data (an index made on a
    populated graph is built in the background: until then queries scan, and a key is not
    yet held unique); returns what was checked, for the report."""
    done = await _ensure(store, NODES)
    await store.await_indexes(INDEX_BUILD_TIMEOUT_S)
    return done


async def apply_audit_schema(store: GraphStore) -> list[str]:
    """The audit log's keys and indexes in its own graph, where it has one (FalkorDB: see
    `GraphStore.audit_store`); elsewhere `apply_schema` has put them in place already."""
    audit = store.audit_store()
    if audit is store:
        return []
    indexed = (node for node in NODES if node.label in AUDIT_LABELS and node.label != AUDIT_HEAD)
    done = [f"{item} (audit graph)" for item in await _ensure(audit, indexed)]
    # FalkorDB re-writes a node's index entry whenever any of its properties changes, and its
    # index engine then forks the whole server (at most every 30 s) to collect the entries
    # replaced. The head changes on every append; in a graph of its own, where FalkorDB runs
    # one write at a time, it needs no uniqueness constraint, and one node is found by its
    # label. So it has no index there, and one made by an earlier version is dropped.
    [head] = [node for node in NODES if node.label == AUDIT_HEAD]
    await audit.drop_unique(head.label, head.key or "name")
    return [*done, f"no index on {head.label} (audit graph)"]


async def _ensure(store: GraphStore, nodes: Iterable[NodeType]) -> list[str]:
    done: list[str] = []
    for node in nodes:
        if node.key:
            await store.ensure_unique(node.label, node.key)
            done.append(f"unique {node.label}.{node.key}")
        for prop in node.indexes:
            await store.ensure_index(node.label, prop)
            done.append(f"index {node.label}.{prop}")
    return done
