"""银行 (banks): 账户与余额 accounts and balances.

An account is keyed by bank and account number (`Account.key` is `<bank_code>:<account_number>`)
and has one holder: a new holder replaces the old `HOLDS_ACCOUNT` edge. An empty currency is
CNY (the spec's default, schema/datasets.py).
"""

from __future__ import annotations

from connectors.dataset import Dataset, GraphRow, PartyRef, Props
from connectors.rows import Row
from schema import datasets


def account_to_graph(row: Row, props: Props) -> GraphRow:
    return {
        "key": f"{row.bank_code}:{row.account_number}",
        "holder_id": row.holder_id.id,
        "bank_name": row.bank_name,
        "props": props,
    }


ACCOUNTS = Dataset(
    datasets.ACCOUNTS,
    account_to_graph,
    query="ingest_bank_accounts",
    key=("key",),
    parties=lambda row: [PartyRef.of(row.holder_id, row.holder_name)],
)
