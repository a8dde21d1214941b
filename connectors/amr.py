"""市场监管 (market regulation): 企业登记 enterprises, 股东 shareholders, 主要人员 executives.

amr.enterprises is the authority for an enterprise's name, status and legal representative:
it completes the unverified stubs other datasets created (`verified: true`). An enterprise
has one legal representative: a new one replaces the old `LEGAL_REP_OF` edge.
Registered and subscribed capital are in 万元, as registries publish them.
"""

from __future__ import annotations

from typing import Annotated

from connectors.dataset import Dataset, GraphRow, PartyRef, Row, known
from schema.fields import (
    Choice,
    IdNumberCell,
    OptionalAddress,
    OptionalDay,
    OptionalMoney,
    OptionalPartyType,
    OptionalText,
    OptionalTimestamp,
    Percent,
    Text,
    UsccCell,
    party,
)
from schema.identifiers import Party

ENTERPRISE_STATUS = Choice(active="存续", revoked="吊销", cancelled="注销")
TITLE = Choice(
    chairman="董事长",
    director="董事",
    supervisor="监事",
    manager="经理",
    cfo="财务负责人",
    actual_controller="实际控制人",
)
# The executives key includes the title, which the spec makes optional; a key cannot be
# unknown, so a row without a title is keyed (and stored) with this code.
UNSPECIFIED_TITLE = "unspecified"


# --- amr.enterprises 企业登记 ----------------------------------------------------------------


class EnterpriseRow(Row):
    uscc: UsccCell
    name: Text
    enterprise_type: OptionalText = None
    status: Annotated[str | None, ENTERPRISE_STATUS] = None
    registered_capital: OptionalMoney = None  # 万元
    established_date: OptionalDay = None
    address: OptionalAddress = None
    legal_rep_id: IdNumberCell
    legal_rep_name: OptionalText = None
    updated_at: OptionalTimestamp = None


def enterprise_to_graph(row: EnterpriseRow) -> GraphRow:
    return {
        "uscc": row.uscc,
        "legal_rep_id": row.legal_rep_id.value,
        "props": known(
            name=row.name,
            enterprise_type=row.enterprise_type,
            status=row.status,
            registered_capital=row.registered_capital,
            established_date=row.established_date,
            address=row.address,
            updated_at=row.updated_at,
        ),
    }


ENTERPRISES = Dataset(
    name="amr.enterprises",
    title="企业登记",
    model=EnterpriseRow,
    to_graph=enterprise_to_graph,
    query="ingest_amr_enterprises",
    key=("uscc",),
    parties=lambda row: [
        PartyRef.enterprise(row.uscc),
        PartyRef.person(row.legal_rep_id, row.legal_rep_name),
    ],
)


# --- amr.shareholders 股东 -------------------------------------------------------------------


class ShareholderRow(Row):
    uscc: UsccCell
    holder_type: OptionalPartyType = None
    holder_id: Annotated[Party, party("holder_type")]
    holder_name: OptionalText = None
    share_pct: Percent
    subscribed_capital: OptionalMoney = None  # 万元
    paid_capital: OptionalMoney = None  # 万元, like subscribed_capital


def shareholder_to_graph(row: ShareholderRow) -> GraphRow:
    return {
        "uscc": row.uscc,
        "holder_id": row.holder_id.id,
        "props": known(
            share_pct=float(row.share_pct),
            subscribed_capital=row.subscribed_capital,
            paid_capital=row.paid_capital,
        ),
    }


SHAREHOLDERS = Dataset(
    name="amr.shareholders",
    title="股东",
    model=ShareholderRow,
    to_graph=shareholder_to_graph,
    query="ingest_amr_shareholders",
    key=("uscc", "holder_id"),
    parties=lambda row: [
        PartyRef.enterprise(row.uscc),
        PartyRef.of(row.holder_id, row.holder_name),
    ],
)


# --- amr.executives 主要人员 -----------------------------------------------------------------


class ExecutiveRow(Row):
    uscc: UsccCell
    id_number: IdNumberCell
    name: OptionalText = None
    title: Annotated[str | None, TITLE] = None


def executive_to_graph(row: ExecutiveRow) -> GraphRow:
    return {
        "uscc": row.uscc,
        "id_number": row.id_number.value,
        "title": row.title or UNSPECIFIED_TITLE,
    }


EXECUTIVES = Dataset(
    name="amr.executives",
    title="主要人员",
    model=ExecutiveRow,
    to_graph=executive_to_graph,
    query="ingest_amr_executives",
    key=("uscc", "id_number", "title"),
    parties=lambda row: [PartyRef.enterprise(row.uscc), PartyRef.person(row.id_number, row.name)],
)
