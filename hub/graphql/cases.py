"""Cases (myCases, case) and the officer's person search (searchPersons).

A case's parties are shown in full: they are whom the officer works on. Persons found by
name are not (yet) anyone's subject, so they are shown masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.types import Info

from hub.graphql import arguments
from hub.graphql.assets import SubjectKind
from hub.graphql.context import Context
from hub.graphql.guard import Scope, guard
from hub.graphql.people import PersonSummary
from hub.security.principal import Principal
from hub.settings import MAX_CASES, MAX_NAME_CHARS, MAX_PAGE_SIZE, SEARCH_PERSONS_PAGE
from schema.identifiers import is_id_number

Row = dict[str, Any]


@strawberry.type
class CaseParty:
    id: str = strawberry.field(description="idNumber or uscc")
    name: str | None
    kind: SubjectKind
    role: str | None = strawberry.field(description="applicant or respondent (被执行人)")


@strawberry.type(description="执行案件: an enforcement case.")
class Case:
    case_number: str
    case_type: str | None = strawberry.field(description="enforcement, bankruptcy, administrative")
    court: str | None
    filed_at: str | None
    status: str | None = strawberry.field(description="open, suspended or closed")
    amount: str | None = strawberry.field(description="yuan")
    outstanding_amount: str | None
    officer_id: str | None
    parties: list[CaseParty]
    unread_alerts: int | None = strawberry.field(
        default=None,
        description="myCases: the officer's unread alerts (提醒) of the case; null elsewhere",
    )

    @classmethod
    def of(cls, row: Row) -> Case:
        facts = row["facts"]
        return cls(
            case_number=facts["case_number"],
            case_type=facts.get("case_type"),
            court=facts.get("court"),
            filed_at=facts.get("filed_at"),
            status=facts.get("status"),
            amount=_text(facts.get("amount")),
            outstanding_amount=_text(facts.get("outstanding_amount")),
            officer_id=facts.get("officer_id"),
            unread_alerts=row.get("unread_alerts"),
            parties=[
                CaseParty(
                    id=party["party_id"],
                    name=party.get("name"),
                    kind=SubjectKind.PERSON
                    if is_id_number(party["party_id"])
                    else SubjectKind.ENTERPRISE,
                    role=party.get("role"),
                )
                for party in sorted(
                    row["parties"], key=lambda p: (p.get("role") or "", p["party_id"])
                )
            ],
        )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class MyCasesArgs:
    first: int

    @property
    def scope(self) -> Scope:
        return Scope()


@dataclass(frozen=True)
class CaseArgs:
    case_number: str

    @property
    def scope(self) -> Scope:
        return Scope(self.case_number)


@dataclass(frozen=True)
class SearchArgs:
    name: str
    case_number: str
    first: int

    @property
    def scope(self) -> Scope:
        return Scope(self.case_number, (self.name,))


async def run_my_cases(context: Context, principal: Principal, args: MyCasesArgs) -> list[Case]:
    rows = await context.store.read(
        "cases_of_officer", {"officer_id": principal.subject, "first": args.first}
    )
    return [Case.of(row) for row in rows]


async def run_case(context: Context, principal: Principal, args: CaseArgs) -> Case | None:
    rows = await context.store.read("case_by_number", {"case_number": args.case_number})
    return Case.of(rows[0]) if rows else None


async def run_search(
    context: Context, principal: Principal, args: SearchArgs
) -> list[PersonSummary]:
    rows = await context.store.read("persons_by_name", {"name": args.name, "first": args.first})
    return [PersonSummary.of(row["person"]) for row in rows]


async def resolve_my_cases(info: Info[Context, None], first: int | None = MAX_CASES) -> list[Case]:
    return await guard(
        info,
        "myCases",
        Scope(),
        lambda: MyCasesArgs(arguments.page_size("first", first, MAX_CASES, MAX_CASES)),
        run_my_cases,
    )


async def resolve_case(info: Info[Context, None], case_number: str) -> Case | None:
    return await guard(
        info,
        "case",
        Scope(case_number),
        lambda: CaseArgs(arguments.case_number("caseNumber", case_number)),
        run_case,
    )


async def resolve_search_persons(
    info: Info[Context, None], name: str, case_number: str, first: int | None = SEARCH_PERSONS_PAGE
) -> list[PersonSummary]:
    return await guard(
        info,
        "searchPersons",
        Scope(case_number, (name,)),
        lambda: SearchArgs(
            name=arguments.text("name", name, MAX_NAME_CHARS),
            case_number=arguments.case_number("caseNumber", case_number),
            first=arguments.page_size("first", first, SEARCH_PERSONS_PAGE, MAX_PAGE_SIZE),
        ),
        run_search,
    )


@strawberry.type
class CasesQuery:
    my_cases: list[Case] = strawberry.field(
        resolver=resolve_my_cases,
        description="The cases assigned to the calling officer, newest first.",
    )
    case: Case | None = strawberry.field(
        resolver=resolve_case, description="One case: an officer's own, or any for an admin."
    )
    search_persons: list[PersonSummary] = strawberry.field(
        resolver=resolve_search_persons,
        description="Persons by exact name, masked, for one of the officer's cases.",
    )
