"""Create the model's constraints and indexes (`hub db init`); safe to run again."""

from __future__ import annotations

from hub.store.base import GraphStore
from schema.model import NODES


async def apply_schema(store: GraphStore) -> list[str]:
    """Ensure every key and index exists; returns what was checked, for the report."""
    done: list[str] = []
    for node in NODES:
        if node.key:
            await store.ensure_unique(node.label, node.key)
            done.append(f"unique {node.label}.{node.key}")
        for prop in node.indexes:
            await store.ensure_index(node.label, prop)
            done.append(f"index {node.label}.{prop}")
    return done
