"""银行 (banks): 账户与余额 accounts and balances.

An account is keyed by bank and account number (`Account.key` is `<bank_code>:<account_number>`)
and has one holder: a new holder replaces the old `HOLDS_ACCOUNT` edge.
"""

from __future__ import annotations

from typing import Annotated

from connectors.dataset import Dataset, GraphRow, PartyRef, Row, known
from schema.fields import (
    COMPACT,
    CURRENCY,
    Choice,
    Day,
    Money,
    OptionalDay,
    OptionalPartyType,
    OptionalText,
    Text,
    party,
)
from schema.identifiers import Party

ACCOUNT_STATUS = Choice(normal="正常", frozen="冻结", closed="销户")
DEFAULT_CURRENCY = "CNY"


class AccountRow(Row):
    bank_code: Text
    bank_name: OptionalText = None
    account_number: Annotated[str, COMPACT]
    holder_type: OptionalPartyType = None
    holder_id: Annotated[Party, party("holder_type")]
    holder_name: OptionalText = None
    account_type: OptionalText = None
    balance: Money
    currency: Annotated[str | None, CURRENCY] = None
    balance_as_of: Day
    status: Annotated[str | None, ACCOUNT_STATUS] = None
    opened_at: OptionalDay = None


def account_to_graph(row: AccountRow) -> GraphRow:
    return {
        "key": f"{row.bank_code}:{row.account_number}",
        "holder_id": row.holder_id.id,
        "bank_name": row.bank_name,
        "props": known(
            bank_code=row.bank_code,
            account_number=row.account_number,
            account_type=row.account_type,
            balance=row.balance,
            currency=row.currency or DEFAULT_CURRENCY,
            balance_as_of=row.balance_as_of,
            status=row.status,
            opened_at=row.opened_at,
        ),
    }


ACCOUNTS = Dataset(
    name="bank.accounts",
    title="账户与余额",
    model=AccountRow,
    to_graph=account_to_graph,
    query="ingest_bank_accounts",
    key=("key",),
    parties=lambda row: [PartyRef.of(row.holder_id, row.holder_name)],
)
