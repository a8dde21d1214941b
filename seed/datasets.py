"""The columns of the eleven datasets of DATA-EXCHANGE.md, in the spec's order.

Rows are generated as tuples in exactly this column order; the writers pair them with the names.
"""

from __future__ import annotations

from typing import Final

from schema.datasets import (
    AMR_ENTERPRISES,
    AMR_EXECUTIVES,
    AMR_SHAREHOLDERS,
    BANK_ACCOUNTS,
    COURT_CASES,
    COURT_DISHONEST,
    COURT_PARTIES,
    NRB_PROPERTIES,
    PSB_PERSONS,
    PSB_RELATIONS,
    PSB_VEHICLES,
)

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    PSB_PERSONS: (
        "id_number",
        "name",
        "gender",
        "birth_date",
        "ethnicity",
        "household_address",
        "residence_address",
        "phone",
        "status",
        "updated_at",
    ),
    PSB_RELATIONS: ("id_number", "relative_id_number", "relation"),
    PSB_VEHICLES: (
        "plate_number",
        "vin",
        "owner_id",
        "owner_name",
        "brand_model",
        "registered_at",
        "status",
    ),
    AMR_ENTERPRISES: (
        "uscc",
        "name",
        "enterprise_type",
        "status",
        "registered_capital",
        "established_date",
        "address",
        "legal_rep_id",
        "legal_rep_name",
        "updated_at",
    ),
    AMR_SHAREHOLDERS: (
        "uscc",
        "holder_id",
        "holder_type",
        "holder_name",
        "share_pct",
        "subscribed_capital",
        "paid_capital",
    ),
    AMR_EXECUTIVES: ("uscc", "id_number", "name", "title"),
    BANK_ACCOUNTS: (
        "bank_code",
        "bank_name",
        "account_number",
        "holder_id",
        "holder_type",
        "holder_name",
        "account_type",
        "balance",
        "currency",
        "balance_as_of",
        "status",
        "opened_at",
    ),
    NRB_PROPERTIES: (
        "cert_number",
        "owner_id",
        "owner_type",
        "owner_name",
        "share_pct",
        "address",
        "area_m2",
        "use",
        "estimated_value",
        "registered_at",
        "status",
    ),
    COURT_CASES: (
        "case_number",
        "case_type",
        "court",
        "filed_at",
        "status",
        "amount",
        "outstanding_amount",
        "officer_id",
    ),
    COURT_PARTIES: ("case_number", "party_id", "party_type", "party_name", "role"),
    COURT_DISHONEST: (
        "case_number",
        "subject_id",
        "subject_type",
        "subject_name",
        "listed_at",
        "removed_at",
        "reason",
    ),
}

Cell = str | None
Row = tuple[Cell, ...]
