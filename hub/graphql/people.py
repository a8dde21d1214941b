"""Persons as the API shows them: in full when they are the subject, masked otherwise."""

from __future__ import annotations

import re
from typing import Any, Final

import strawberry

from hub.security.masking import mask_id

Row = dict[str, Any]

# 吉林省白城市镇赉县…: the part of an address down to the county (县, 区, 旗 or county-level 市).
_REGION: Final = re.compile(
    r"^(?:.{2,8}?(?:省|自治区))?(?:.{1,9}?(?:市|州|盟))?.{1,9}?(?:县|区|旗|市)"
)
_REGION_CODE_LENGTH: Final = 6


def household_region(address: str | None, id_number: str) -> str:
    """The county of the household address, else the region code the id number begins with."""
    if address:
        found = _REGION.match(address)
        if found:
            return found.group(0)
    return id_number[:_REGION_CODE_LENGTH]


@strawberry.type(description="A person other than the subject: identifiers masked.")
class PersonSummary:
    id_number_masked: str = strawberry.field(
        description="First 6 and last 4 characters kept: 220821********123X"
    )
    name: str | None
    birth_year: int | None
    household_region: str = strawberry.field(
        description="County of the household address (or the id number's region code)"
    )

    @classmethod
    def of(cls, row: Row) -> PersonSummary:
        """From a row with party_id, name, birth_date and household_address."""
        id_number: str = row["party_id"]
        birth_date: str | None = row.get("birth_date")
        return cls(
            id_number_masked=mask_id(id_number),
            name=row.get("name"),
            birth_year=int(birth_date[:4]) if birth_date else None,
            household_region=household_region(row.get("household_address"), id_number),
        )


@strawberry.type(description="The subject of a case, in full.")
class Person:
    id_number: str
    name: str | None
    gender: str | None = strawberry.field(description="M or F")
    birth_date: str | None
    household_address: str | None
    residence_address: str | None
    phones: list[str]
    status: str | None = strawberry.field(description="normal, deceased or moved_out")
    verified: bool = strawberry.field(description="published by psb.persons (else a stub)")

    @classmethod
    def of(cls, row: Row, phones: list[str]) -> Person:
        return cls(
            id_number=row["party_id"],
            name=row.get("name"),
            gender=row.get("gender"),
            birth_date=row.get("birth_date"),
            household_address=row.get("household_address"),
            residence_address=row.get("residence_address"),
            phones=phones,
            status=row.get("status"),
            verified=bool(row.get("verified")),
        )
