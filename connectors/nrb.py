"""自然资源 (natural resources): 不动产登记 real-estate registrations.

A certificate may list several owners, one row each: the `Property` node is keyed by
cert_number and each owner's `OWNS_PROPERTY` edge (the spec's key: cert_number, owner_id)
carries that owner's share. A property lies at one address: `LOCATED_AT` moves with it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from connectors.dataset import Dataset, GraphRow, PartyRef, Row, known
from schema.fields import (
    Address,
    Choice,
    OptionalArea,
    OptionalDay,
    OptionalMoney,
    OptionalPartyType,
    OptionalPercent,
    OptionalText,
    Text,
    party,
)
from schema.identifiers import Party

USE = Choice(residential="住宅", commercial="商业", industrial="工业", other="其他")
PROPERTY_STATUS = Choice(normal="正常", mortgaged="抵押", sealed="查封")
WHOLE = Decimal(100)


class PropertyRow(Row):
    cert_number: Text
    owner_type: OptionalPartyType = None
    owner_id: Annotated[Party, party("owner_type")]
    owner_name: OptionalText = None
    share_pct: OptionalPercent = None  # an empty cell means the whole: 100
    address: Address
    area_m2: OptionalArea = None
    use: Annotated[str | None, USE] = None
    estimated_value: OptionalMoney = None
    registered_at: OptionalDay = None
    status: Annotated[str | None, PROPERTY_STATUS] = None


def property_to_graph(row: PropertyRow) -> GraphRow:
    return {
        "cert_number": row.cert_number,
        "owner_id": row.owner_id.id,
        "share_pct": float(WHOLE if row.share_pct is None else row.share_pct),
        "props": known(
            address=row.address,
            area_m2=None if row.area_m2 is None else float(row.area_m2),
            use=row.use,
            estimated_value=row.estimated_value,
            registered_at=row.registered_at,
            status=row.status,
        ),
    }


PROPERTIES = Dataset(
    name="nrb.properties",
    title="不动产登记",
    model=PropertyRow,
    to_graph=property_to_graph,
    query="ingest_nrb_properties",
    key=("cert_number", "owner_id"),
    parties=lambda row: [PartyRef.of(row.owner_id, row.owner_name)],
)
