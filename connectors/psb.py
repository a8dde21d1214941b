"""公安 (public security): 户籍人口 persons, 家庭关系 relations, 机动车登记 vehicles.

psb.persons is the authority for a person's name, gender and birth date: it completes the
unverified stubs other datasets created (`verified: true`). Phones and addresses become
`Phone` / `Address` nodes; earlier ones stay linked, dated by `as_of`, as tracing clues.
"""

from __future__ import annotations

from typing import Self

from pydantic import model_validator

from connectors.dataset import Dataset, GraphRow, PartyRef, Props
from connectors.rows import Row
from schema import datasets
from schema.fields import ColumnError

# --- psb.persons 户籍人口 --------------------------------------------------------------------


def person_to_graph(row: Row, props: Props) -> GraphRow:
    return {"party_id": row.id_number.value, "props": props, "phone": row.phone}


PERSONS = Dataset(
    datasets.PERSONS,
    person_to_graph,
    query="ingest_psb_persons",
    key=("party_id",),
    parties=lambda row: [PartyRef.person(row.id_number)],
)


# --- psb.relations 家庭关系 ------------------------------------------------------------------


class RelationChecks(Row):
    @model_validator(mode="after")
    def _not_oneself(self) -> Self:
        if self.id_number.value == self.relative_id_number.value:
            raise ColumnError(
                "relative_id_number",
                "亲属与本人是同一个身份号码",
                "the relative has the person's own id_number",
            )
        return self


def relation_to_graph(row: Row, props: Props) -> GraphRow:
    return {
        "id_number": row.id_number.value,
        "relative_id_number": row.relative_id_number.value,
        "relation": row.relation,
    }


RELATIONS = Dataset(
    datasets.RELATIONS,
    relation_to_graph,
    query="ingest_psb_relations",
    key=("id_number", "relative_id_number", "relation"),
    parties=lambda row: [PartyRef.person(row.id_number), PartyRef.person(row.relative_id_number)],
    checks=RelationChecks,
)


# --- psb.vehicles 机动车登记 -----------------------------------------------------------------


def vehicle_to_graph(row: Row, props: Props) -> GraphRow:
    return {"vin": row.vin.upper(), "owner_id": row.owner_id.id, "props": props}


VEHICLES = Dataset(
    datasets.VEHICLES,
    vehicle_to_graph,
    query="ingest_psb_vehicles",
    key=("vin",),
    parties=lambda row: [PartyRef.of(row.owner_id, row.owner_name)],
)
