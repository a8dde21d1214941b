"""The datasets as files: each one's header (its spec's columns) and the generators' rows.

The header of a file is the spec's (schema/datasets.py). The generators build each row as
a tuple, for speed, in the order of `GENERATED`: the columns they fill. A column of the
spec they do not fill yet is written empty (`row_shaper`); tests/seed holds `GENERATED`
to the spec.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from schema.datasets import (
    AMR_ENTERPRISES,
    AMR_EXECUTIVES,
    AMR_SHAREHOLDERS,
    BANK_ACCOUNTS,
    COURT_CASES,
    COURT_DISHONEST,
    COURT_PARTIES,
    DATASETS_IN_LOAD_ORDER,
    NRB_PROPERTIES,
    PSB_PERSONS,
    PSB_RELATIONS,
    PSB_VEHICLES,
    SPECS,
)

Cell = str | None
Row = tuple[Cell, ...]

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    name: SPECS[name].file_columns for name in DATASETS_IN_LOAD_ORDER
}

GENERATED: Final[dict[str, tuple[str, ...]]] = {
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


def row_shaper(dataset: str) -> Callable[[Row], Row] | None:
    """What turns a generated row into a row of the file's header: None when they agree (as
    they do until the spec gains a column the generator does not fill yet)."""
    generated, header = GENERATED[dataset], COLUMNS[dataset]
    if generated == header:
        return None
    unknown = set(generated) - set(header)
    if unknown:
        raise ValueError(f"{dataset}: the generator fills {sorted(unknown)}, not in the spec")
    position = {column: index for index, column in enumerate(generated)}
    picks = [position.get(column) for column in header]
    return lambda row: tuple(None if index is None else row[index] for index in picks)
