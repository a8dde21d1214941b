"""tracePerson (where is this person: addresses, phones, relatives, enterprises, associates)
and person (the subject's own record)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from hub.graphql import arguments
from hub.graphql.associates import Found, find_associates
from hub.graphql.context import Context
from hub.graphql.errors import NotFound
from hub.graphql.guard import Scope, guard, purpose
from hub.graphql.labels import ACTUAL_CONTROLLER, INVERSE_RELATION
from hub.graphql.people import Person, PersonSummary
from hub.security.principal import Principal
from hub.settings import DEFAULT_TRACE_HOPS, MAX_TRACE_HOPS, MAX_TRACE_ITEMS

Row = dict[str, Any]


@strawberry.enum
class AddressKind(Enum):
    HOUSEHOLD = "HOUSEHOLD"
    RESIDENCE = "RESIDENCE"
    PROPERTY = "PROPERTY"
    VEHICLE = "VEHICLE"
    ENTERPRISE = "ENTERPRISE"
    BANK = "BANK"


@strawberry.enum
class Relation(Enum):
    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    OTHER = "other"


@strawberry.enum
class EnterpriseRoleKind(Enum):
    LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE"
    SHAREHOLDER = "SHAREHOLDER"
    EXECUTIVE = "EXECUTIVE"
    ACTUAL_CONTROLLER = "ACTUAL_CONTROLLER"


@strawberry.type(description="Where a person may be found, from which department, as of when.")
class AddressClue:
    address: str
    kind: AddressKind
    source: str | None = strawberry.field(description="code of the department that published it")
    as_of: str | None = strawberry.field(description="ISO date or timestamp")

    @classmethod
    def of(cls, row: Row) -> AddressClue:
        return cls(
            address=row["address"],
            kind=AddressKind(row["kind"]),
            source=row.get("source"),
            as_of=row.get("as_of"),
        )


@strawberry.type(description="How much a relative holds, as counts: a lead, not the assets.")
class HoldingCounts:
    properties: int
    vehicles: int
    accounts: int
    enterprises: int


@strawberry.type
class Relative:
    person: PersonSummary
    relation: Relation
    holdings: HoldingCounts | None


@strawberry.type
class EnterpriseRole:
    uscc: str
    name: str | None
    role: EnterpriseRoleKind
    share_pct: str | None = strawberry.field(description="for SHAREHOLDER: percent, as text")
    title: str | None = strawberry.field(description="for EXECUTIVE: the amr title code")
    status: str | None = strawberry.field(description="active, revoked or cancelled")


@strawberry.type(description="A person reached from the subject within maxHops.")
class Associate:
    person: PersonSummary
    hops: int
    via: list[str] = strawberry.field(
        description='The path, step by step: ["配偶 李某", "法定代表人 某某公司"]'
    )
    addresses: list[AddressClue] = strawberry.field(
        description="The associate's own household and residence: where to look next"
    )

    @classmethod
    def of(cls, found: Found) -> Associate:
        person = found.person
        clues = [
            AddressClue(
                address=address,
                kind=kind,
                source=person.get("source"),
                as_of=person.get("updated_at"),
            )
            for kind, address in (
                (AddressKind.RESIDENCE, person.get("residence_address")),
                (AddressKind.HOUSEHOLD, person.get("household_address")),
            )
            if address
        ]
        return cls(
            person=PersonSummary.of(person), hops=found.hops, via=list(found.via), addresses=clues
        )


@strawberry.type
class TraceReport:
    subject: Person
    addresses: list[AddressClue] = strawberry.field(description="newest first")
    phones: list[str]
    relatives: list[Relative]
    enterprises: list[EnterpriseRole]
    associates: list[Associate] = strawberry.field(description="closest first")

    @property
    def result_count(self) -> int:
        return 1 + len(self.addresses) + len(self.relatives) + len(self.associates)


@dataclass(frozen=True)
class TraceArgs:
    id_number: str
    case_number: str
    max_hops: int

    @property
    def scope(self) -> Scope:
        return Scope(self.case_number, (self.id_number,))

    @classmethod
    def check(cls, id_number: str, case_number: str, max_hops: int | None) -> TraceArgs:
        return cls(
            id_number=arguments.id_number("idNumber", id_number),
            case_number=arguments.case_number("caseNumber", case_number),
            max_hops=arguments.within("maxHops", max_hops or DEFAULT_TRACE_HOPS, 1, MAX_TRACE_HOPS),
        )


@dataclass(frozen=True)
class PersonArgs:
    id_number: str
    case_number: str

    @property
    def scope(self) -> Scope:
        return Scope(self.case_number, (self.id_number,))

    @classmethod
    def check(cls, id_number: str, case_number: str) -> PersonArgs:
        return cls(
            id_number=arguments.id_number("idNumber", id_number),
            case_number=arguments.case_number("caseNumber", case_number),
        )


def _newest_first(clues: list[AddressClue]) -> list[AddressClue]:
    seen: set[tuple[str, AddressKind]] = set()
    unique = []
    for clue in sorted(clues, key=lambda c: c.as_of or "", reverse=True):
        if (clue.address, clue.kind) not in seen:
            seen.add((clue.address, clue.kind))
            unique.append(clue)
    return unique


def _relatives(rows: list[Row]) -> list[Relative]:
    """One entry per relative, the relation read from the edge published for the subject."""
    chosen: dict[str, Row] = {}
    for row in sorted(rows, key=lambda r: not r["outgoing"]):
        chosen.setdefault(row["party_id"], row)
    relatives = []
    for row in chosen.values():
        relation = row["relation"] if row["outgoing"] else INVERSE_RELATION.get(row["relation"])
        relatives.append(
            Relative(
                person=PersonSummary.of(row),
                relation=Relation(relation) if relation in INVERSE_RELATION else Relation.OTHER,
                holdings=HoldingCounts(
                    properties=row["properties"],
                    vehicles=row["vehicles"],
                    accounts=row["accounts"],
                    enterprises=row["enterprises"],
                ),
            )
        )
    return relatives


def _enterprise_role(row: Row) -> EnterpriseRole:
    kind = {
        "LEGAL_REP_OF": EnterpriseRoleKind.LEGAL_REPRESENTATIVE,
        "SHAREHOLDER_OF": EnterpriseRoleKind.SHAREHOLDER,
    }.get(row["type"])
    if kind is None:
        controller = row.get("title") == ACTUAL_CONTROLLER
        kind = EnterpriseRoleKind.ACTUAL_CONTROLLER if controller else EnterpriseRoleKind.EXECUTIVE
    return EnterpriseRole(
        uscc=row["uscc"],
        name=row.get("name"),
        role=kind,
        share_pct=row.get("share_pct") if kind is EnterpriseRoleKind.SHAREHOLDER else None,
        title=row.get("title"),
        status=row.get("status"),
    )


async def _subject(context: Context, id_number: str) -> Row:
    """The subject's own row: clues, phones, relatives (with their holdings), enterprise
    roles; read by the query that carries the officer's purpose check, so nothing is read
    when it refuses."""
    rows = await purpose(context).read(
        context.store, "trace_subject", {"id": id_number, "max_items": MAX_TRACE_ITEMS}
    )
    if not rows[0]["found"]:
        raise NotFound(f"no person with idNumber {id_number} in the graph")
    return rows[0]


async def run_trace(context: Context, principal: Principal, args: TraceArgs) -> TraceReport:
    # The associate search starts once the subject's query has passed the purpose check.
    row = await _subject(context, args.id_number)
    associates = await find_associates(context.store, args.id_number, args.max_hops)
    clue_rows = [
        *row["households"],
        *row["residences"],
        *row["properties"],
        *row["enterprise_addresses"],
    ]
    phones = [p["number"] for p in sorted(row["phones"], key=lambda p: p.get("as_of") or "")]
    return TraceReport(
        subject=Person.of(row["person"], phones[::-1]),
        addresses=_newest_first([AddressClue.of(c) for c in clue_rows if c.get("address")]),
        phones=phones[::-1],
        relatives=_relatives(row["relatives"]),
        enterprises=[_enterprise_role(e) for e in row["enterprises"]],
        associates=[Associate.of(found) for found in associates],
    )


async def run_person(context: Context, principal: Principal, args: PersonArgs) -> Person | None:
    rows = await context.store.read(
        "person_by_id", {"id": args.id_number, "max_items": MAX_TRACE_ITEMS}
    )
    return Person.of(rows[0]["person"], rows[0]["phones"]) if rows else None


async def resolve_trace_person(
    info: Info[Context, None], id_number: str, case_number: str, max_hops: int | None = 2
) -> TraceReport:
    return await guard(
        info,
        "tracePerson",
        Scope(case_number, (id_number,)),
        lambda: TraceArgs.check(id_number, case_number, max_hops),
        run_trace,
    )


async def resolve_person(
    info: Info[Context, None], id_number: str, case_number: str
) -> Person | None:
    return await guard(
        info,
        "person",
        Scope(case_number, (id_number,)),
        lambda: PersonArgs.check(id_number, case_number),
        run_person,
    )


@strawberry.type
class TracingQuery:
    trace_person: TraceReport = strawberry.field(
        resolver=resolve_trace_person,
        description="Where is this person: every clue the graph holds. Officer.",
    )
    person: Person | None = strawberry.field(
        resolver=resolve_person, description="A respondent of one of the officer's cases, in full."
    )
