"""法院 (the court): 执行案件 cases, 当事人 parties, 失信被执行人 the dishonest list.

Parties and listings may arrive before their case: the `Case` node is then created bare,
and completed when court.cases publishes it.
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import model_validator

from connectors.dataset import Dataset, GraphRow, PartyRef, Row, known
from schema.fields import (
    CASE_NUMBER,
    Choice,
    ColumnError,
    Day,
    Money,
    OptionalDay,
    OptionalMoney,
    OptionalPartyType,
    OptionalText,
    Text,
    party,
)
from schema.identifiers import Party

CASE_TYPE = Choice(enforcement="执行实施", bankruptcy="破产", administrative="行政")
CASE_STATUS = Choice(open="执行中", suspended="终结本次执行", closed="执行完毕")
ROLE = Choice(applicant="申请执行人", respondent="被执行人")

CaseNumber = Annotated[str, CASE_NUMBER]


# --- court.cases 执行案件 --------------------------------------------------------------------


class CaseRow(Row):
    case_number: CaseNumber
    case_type: Annotated[str | None, CASE_TYPE] = None
    court: Text
    filed_at: Day
    status: Annotated[str | None, CASE_STATUS] = None
    amount: Money
    outstanding_amount: OptionalMoney = None
    officer_id: Text


def case_to_graph(row: CaseRow) -> GraphRow:
    return {
        "case_number": row.case_number,
        "props": known(
            case_type=row.case_type,
            court=row.court,
            filed_at=row.filed_at,
            status=row.status,
            amount=row.amount,
            outstanding_amount=row.outstanding_amount,
            officer_id=row.officer_id,
        ),
    }


CASES = Dataset(
    name="court.cases",
    title="执行案件",
    model=CaseRow,
    to_graph=case_to_graph,
    query="ingest_court_cases",
    key=("case_number",),
)


# --- court.parties 当事人 --------------------------------------------------------------------


class CasePartyRow(Row):
    case_number: CaseNumber
    party_type: OptionalPartyType = None
    party_id: Annotated[Party, party("party_type")]
    party_name: OptionalText = None
    role: Annotated[str, ROLE]


def case_party_to_graph(row: CasePartyRow) -> GraphRow:
    return {"case_number": row.case_number, "party_id": row.party_id.id, "role": row.role}


CASE_PARTIES = Dataset(
    name="court.parties",
    title="当事人",
    model=CasePartyRow,
    to_graph=case_party_to_graph,
    query="ingest_court_parties",
    key=("case_number", "party_id", "role"),
    parties=lambda row: [PartyRef.of(row.party_id, row.party_name)],
)


# --- court.dishonest 失信被执行人 ------------------------------------------------------------


class DishonestRow(Row):
    case_number: CaseNumber
    subject_type: OptionalPartyType = None
    subject_id: Annotated[Party, party("subject_type")]
    subject_name: OptionalText = None
    listed_at: Day
    removed_at: OptionalDay = None
    reason: OptionalText = None

    @model_validator(mode="after")
    def _removed_after_listed(self) -> Self:
        if self.removed_at is not None and self.removed_at < self.listed_at:
            raise ColumnError(
                "removed_at",
                f"移出日期 {self.removed_at} 早于列入日期 {self.listed_at}",
                f"removed_at {self.removed_at} is before listed_at {self.listed_at}",
            )
        return self


def dishonest_to_graph(row: DishonestRow) -> GraphRow:
    return {
        "case_number": row.case_number,
        "subject_id": row.subject_id.id,
        "props": known(listed_at=row.listed_at, removed_at=row.removed_at, reason=row.reason),
    }


DISHONEST = Dataset(
    name="court.dishonest",
    title="失信被执行人",
    model=DishonestRow,
    to_graph=dishonest_to_graph,
    query="ingest_court_dishonest",
    key=("case_number", "subject_id"),
    parties=lambda row: [PartyRef.of(row.subject_id, row.subject_name)],
)
