"""法院 (the court): 执行案件 cases, 当事人 parties, 失信被执行人 the dishonest list.

Parties and listings may arrive before their case: the `Case` node is then created bare,
and completed when court.cases publishes it.
"""

from __future__ import annotations

from typing import Self

from pydantic import model_validator

from connectors.dataset import Dataset, GraphRow, PartyRef, Props
from connectors.rows import Row
from schema import datasets
from schema.fields import ColumnError

# --- court.cases 执行案件 --------------------------------------------------------------------


def case_to_graph(row: Row, props: Props) -> GraphRow:
    return {"case_number": row.case_number, "props": props}


CASES = Dataset(
    datasets.CASES,
    case_to_graph,
    query="ingest_court_cases",
    key=("case_number",),
)


# --- court.parties 当事人 --------------------------------------------------------------------


def case_party_to_graph(row: Row, props: Props) -> GraphRow:
    return {"case_number": row.case_number, "party_id": row.party_id.id, "role": row.role}


CASE_PARTIES = Dataset(
    datasets.CASE_PARTIES,
    case_party_to_graph,
    query="ingest_court_parties",
    key=("case_number", "party_id", "role"),
    parties=lambda row: [PartyRef.of(row.party_id, row.party_name)],
)


# --- court.dishonest 失信被执行人 ------------------------------------------------------------


class DishonestChecks(Row):
    @model_validator(mode="after")
    def _removed_after_listed(self) -> Self:
        if self.removed_at is not None and self.removed_at < self.listed_at:
            raise ColumnError(
                "removed_at",
                f"移出日期 {self.removed_at} 早于列入日期 {self.listed_at}",
                f"removed_at {self.removed_at} is before listed_at {self.listed_at}",
            )
        return self


def dishonest_to_graph(row: Row, props: Props) -> GraphRow:
    return {"case_number": row.case_number, "subject_id": row.subject_id.id, "props": props}


DISHONEST = Dataset(
    datasets.DISHONEST,
    dishonest_to_graph,
    query="ingest_court_dishonest",
    key=("case_number", "subject_id"),
    parties=lambda row: [PartyRef.of(row.subject_id, row.subject_name)],
    checks=DishonestChecks,
)
