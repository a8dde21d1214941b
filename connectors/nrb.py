"""自然资源 (natural resources): 不动产登记 real-estate registrations.

A certificate may list several owners, one row each: the `Property` node is keyed by
cert_number and each owner's `OWNS_PROPERTY` edge (the spec's key: cert_number, owner_id)
carries that owner's share. A property lies at one address: `LOCATED_AT` moves with it.
"""

from __future__ import annotations

from decimal import Decimal

from connectors.dataset import Dataset, GraphRow, PartyRef, Props
from connectors.rows import Row
from schema import datasets

# An empty share_pct means the whole (the spec's default).
WHOLE = Decimal(datasets.PROPERTIES.column("share_pct").default or "100")


def property_to_graph(row: Row, props: Props) -> GraphRow:
    return {
        "cert_number": row.cert_number,
        "owner_id": row.owner_id.id,
        "share_pct": float(WHOLE if row.share_pct is None else row.share_pct),
        "props": props,
    }


PROPERTIES = Dataset(
    datasets.PROPERTIES,
    property_to_graph,
    query="ingest_nrb_properties",
    key=("cert_number", "owner_id"),
    parties=lambda row: [PartyRef.of(row.owner_id, row.owner_name)],
)
