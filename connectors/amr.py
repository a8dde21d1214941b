"""市场监管 (market regulation): 企业登记 enterprises, 股东 shareholders, 主要人员 executives.

amr.enterprises is the authority for an enterprise's name, status and legal representative:
it completes the unverified stubs other datasets created (`verified: true`). An enterprise
has one legal representative: a new one replaces the old `LEGAL_REP_OF` edge.
Registered and subscribed capital are in 万元, as registries publish them.
"""

from __future__ import annotations

from connectors.dataset import Dataset, GraphRow, PartyRef, Props
from connectors.rows import Row
from schema import datasets

# The executives key includes the title, which the spec makes optional; a key cannot be
# unknown, so a row without a title is keyed (and stored) with this code.
UNSPECIFIED_TITLE = "unspecified"


# --- amr.enterprises 企业登记 ----------------------------------------------------------------


def enterprise_to_graph(row: Row, props: Props) -> GraphRow:
    return {"uscc": row.uscc, "legal_rep_id": row.legal_rep_id.value, "props": props}


ENTERPRISES = Dataset(
    datasets.ENTERPRISES,
    enterprise_to_graph,
    query="ingest_amr_enterprises",
    key=("uscc",),
    parties=lambda row: [
        PartyRef.enterprise(row.uscc),
        PartyRef.person(row.legal_rep_id, row.legal_rep_name),
    ],
)


# --- amr.shareholders 股东 -------------------------------------------------------------------


def shareholder_to_graph(row: Row, props: Props) -> GraphRow:
    return {"uscc": row.uscc, "holder_id": row.holder_id.id, "props": props}


SHAREHOLDERS = Dataset(
    datasets.SHAREHOLDERS,
    shareholder_to_graph,
    query="ingest_amr_shareholders",
    key=("uscc", "holder_id"),
    parties=lambda row: [
        PartyRef.enterprise(row.uscc),
        PartyRef.of(row.holder_id, row.holder_name),
    ],
)


# --- amr.executives 主要人员 -----------------------------------------------------------------


def executive_to_graph(row: Row, props: Props) -> GraphRow:
    return {
        "uscc": row.uscc,
        "id_number": row.id_number.value,
        "title": row.title or UNSPECIFIED_TITLE,
    }


EXECUTIVES = Dataset(
    datasets.EXECUTIVES,
    executive_to_graph,
    query="ingest_amr_executives",
    key=("uscc", "id_number", "title"),
    parties=lambda row: [PartyRef.enterprise(row.uscc), PartyRef.person(row.id_number, row.name)],
)
