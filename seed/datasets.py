"""The eleven datasets of DATA-EXCHANGE.md: names, columns (in the spec's order) and load order.

Rows are generated as tuples in exactly this column order; the writers pair them with the names.
"""

from __future__ import annotations

from typing import Final

PSB_PERSONS: Final = "psb.persons"
PSB_RELATIONS: Final = "psb.relations"
PSB_VEHICLES: Final = "psb.vehicles"
AMR_ENTERPRISES: Final = "amr.enterprises"
AMR_SHAREHOLDERS: Final = "amr.shareholders"
AMR_EXECUTIVES: Final = "amr.executives"
BANK_ACCOUNTS: Final = "bank.accounts"
NRB_PROPERTIES: Final = "nrb.properties"
COURT_CASES: Final = "court.cases"
COURT_PARTIES: Final = "court.parties"
COURT_DISHONEST: Final = "court.dishonest"

# Parties and other references before the data that points at them, so a load in this order
# creates as few unverified stubs as possible.
DATASETS_IN_LOAD_ORDER: Final[tuple[str, ...]] = (
    PSB_PERSONS,
    PSB_RELATIONS,
    PSB_VEHICLES,
    AMR_ENTERPRISES,
    AMR_SHAREHOLDERS,
    AMR_EXECUTIVES,
    BANK_ACCOUNTS,
    NRB_PROPERTIES,
    COURT_CASES,
    COURT_PARTIES,
    COURT_DISHONEST,
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
