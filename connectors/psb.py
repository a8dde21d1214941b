"""公安 (public security): 户籍人口 persons, 家庭关系 relations, 机动车登记 vehicles.

psb.persons is the authority for a person's name, gender and birth date: it completes the
unverified stubs other datasets created (`verified: true`). Phones and addresses become
`Phone` / `Address` nodes; earlier ones stay linked, dated by `as_of`, as tracing clues.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import model_validator

from connectors.dataset import Dataset, GraphRow, PartyRef, Row, known
from schema.fields import (
    Choice,
    ColumnError,
    IdNumberCell,
    OptionalAddress,
    OptionalDay,
    OptionalPartyType,
    OptionalPhone,
    OptionalText,
    OptionalTimestamp,
    Text,
    party,
)
from schema.identifiers import Party

GENDER = Choice(M="男", F="女")
PERSON_STATUS = Choice(normal="正常", deceased="死亡", moved_out="迁出")
RELATION = Choice(spouse="配偶", parent="父母", child="子女", sibling="兄弟姐妹", other="其他")
VEHICLE_STATUS = Choice(normal="正常", mortgaged="抵押", sealed="查封", cancelled="注销")


# --- psb.persons 户籍人口 --------------------------------------------------------------------


class PersonRow(Row):
    id_number: IdNumberCell
    name: Text
    gender: Annotated[str | None, GENDER] = None
    birth_date: OptionalDay = None
    ethnicity: OptionalText = None
    household_address: OptionalAddress = None
    residence_address: OptionalAddress = None
    phone: OptionalPhone = None
    status: Annotated[str | None, PERSON_STATUS] = None
    updated_at: OptionalTimestamp = None


def person_to_graph(row: PersonRow) -> GraphRow:
    return {
        "party_id": row.id_number.value,
        "props": known(
            name=row.name,
            gender=row.gender,
            birth_date=row.birth_date,
            ethnicity=row.ethnicity,
            household_address=row.household_address,
            residence_address=row.residence_address,
            status=row.status,
            updated_at=row.updated_at,
        ),
        "phone": row.phone,
    }


PERSONS = Dataset(
    name="psb.persons",
    title="户籍人口",
    model=PersonRow,
    to_graph=person_to_graph,
    query="ingest_psb_persons",
    key=("party_id",),
    parties=lambda row: [PartyRef.person(row.id_number)],
)


# --- psb.relations 家庭关系 ------------------------------------------------------------------


class RelationRow(Row):
    id_number: IdNumberCell
    relative_id_number: IdNumberCell
    relation: Annotated[str, RELATION]

    @model_validator(mode="after")
    def _not_oneself(self) -> Self:
        if self.id_number.value == self.relative_id_number.value:
            raise ColumnError(
                "relative_id_number",
                "亲属与本人是同一个身份号码",
                "the relative has the person's own id_number",
            )
        return self


def relation_to_graph(row: RelationRow) -> GraphRow:
    return {
        "id_number": row.id_number.value,
        "relative_id_number": row.relative_id_number.value,
        "relation": row.relation,
    }


RELATIONS = Dataset(
    name="psb.relations",
    title="家庭关系",
    model=RelationRow,
    to_graph=relation_to_graph,
    query="ingest_psb_relations",
    key=("id_number", "relative_id_number", "relation"),
    parties=lambda row: [PartyRef.person(row.id_number), PartyRef.person(row.relative_id_number)],
)


# --- psb.vehicles 机动车登记 -----------------------------------------------------------------


class VehicleRow(Row):
    plate_number: Text
    vin: Text
    owner_type: OptionalPartyType = None  # not in the spec's table; the general *_type rule
    owner_id: Annotated[Party, party("owner_type")]
    owner_name: OptionalText = None
    brand_model: OptionalText = None
    registered_at: OptionalDay = None
    status: Annotated[str | None, VEHICLE_STATUS] = None


def vehicle_to_graph(row: VehicleRow) -> GraphRow:
    return {
        "vin": row.vin.upper(),
        "owner_id": row.owner_id.id,
        "props": known(
            plate_number=row.plate_number,
            brand_model=row.brand_model,
            registered_at=row.registered_at,
            status=row.status,
        ),
    }


VEHICLES = Dataset(
    name="psb.vehicles",
    title="机动车登记",
    model=VehicleRow,
    to_graph=vehicle_to_graph,
    query="ingest_psb_vehicles",
    key=("vin",),
    parties=lambda row: [PartyRef.of(row.owner_id, row.owner_name)],
)
