"""The eleven datasets of DATA-EXCHANGE.md: their names and the order a county loads in.

The connectors read them, the seed generator writes them; both take the names from here.
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
