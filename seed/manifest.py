"""What a generated county contains, for the tests and demos that need to find things in it.

Written next to the data files as manifest.json (`dataclasses.asdict` of `CountyManifest`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from seed.identity import LegacyReference

MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True, slots=True)
class PersonRef:
    id_number: str
    name: str


@dataclass(frozen=True, slots=True)
class EnterpriseRef:
    uscc: str
    name: str


@dataclass(frozen=True, slots=True)
class AccountRef:
    bank_code: str
    account_number: str
    balance: str  # yuan, two decimals


@dataclass(frozen=True, slots=True)
class VehicleRef:
    plate_number: str
    vin: str


@dataclass(frozen=True, slots=True)
class HiddenUnderSpouse:
    """The respondent owns nothing; the spouse owns a home, a car and a fat account."""

    case_number: str
    respondent: PersonRef
    spouse: PersonRef
    spouse_property_cert: str
    spouse_vehicle: VehicleRef
    spouse_account: AccountRef


@dataclass(frozen=True, slots=True)
class ControlledCompanyChain:
    """respondent -80%-> A -60%-> B -100%-> C, so C's assets count at 48%.

    The respondent also holds 30% of a minority company, which is not controlled.
    """

    case_number: str
    respondent: PersonRef
    company_a: EnterpriseRef
    company_b: EnterpriseRef
    company_c: EnterpriseRef
    chain_share_pcts: tuple[str, str, str]
    effective_share_pct: str
    company_c_property_cert: str
    company_c_account: AccountRef
    minority_company: EnterpriseRef
    minority_share_pct: str
    minority_property_cert: str  # must NOT be reported as controlled


@dataclass(frozen=True, slots=True)
class LegalRepOfListed:
    """A listed enterprise's unlisted legal representative, and another's actual controller."""

    case_number: str
    listed_enterprise: EnterpriseRef
    legal_representative: PersonRef  # restricted: LEGAL_REPRESENTATIVE_OF_LISTED
    listed_at: str
    controller_case_number: str
    controlled_listed_enterprise: EnterpriseRef
    actual_controller: PersonRef  # restricted: ACTUAL_CONTROLLER_OF_LISTED


@dataclass(frozen=True, slots=True)
class SharedPhoneAssociate:
    """A moved-out respondent with no known residence shares a phone with a non-relative."""

    case_number: str
    respondent: PersonRef
    associate: PersonRef
    phone: str
    associate_residence_address: str


@dataclass(frozen=True, slots=True)
class Delisted:
    """Listed, then removed from the list: neither dishonest nor restricted now."""

    case_number: str
    person: PersonRef
    listed_at: str
    removed_at: str


@dataclass(frozen=True, slots=True)
class ManyHoldings:
    """A respondent with dozens of holdings, for the no-N+1-queries test."""

    case_number: str
    respondent: PersonRef
    accounts: int
    vehicles: int
    properties: int


@dataclass(frozen=True, slots=True)
class WageAccounts:
    """An enterprise's 农民工工资专用账户 (account_type wage_special), which are never frozen or
    deducted (保障农民工工资支付条例 art. 33), beside an ordinary account that may be."""

    case_number: str
    enterprise: EnterpriseRef
    account_type: str  # as bank.accounts carries it: wage_special
    wage_accounts: tuple[AccountRef, ...]
    ordinary_account: AccountRef


@dataclass(frozen=True, slots=True)
class WageArrears:
    """An enterprise that owes migrant workers' wages. No dataset publishes arrears: 人社
    (hrss) reports them answering a WAGE_CHECK; `arrears_amount` and `arrears_workers` are
    what the demo's 人社 answers."""

    case_number: str
    enterprise: EnterpriseRef
    property_cert: str  # its commercial property: a seal of it carries the wage warning
    account: AccountRef  # an ordinary account
    wage_account: AccountRef  # a wage_special account
    arrears_amount: str  # yuan, two decimals
    arrears_workers: int


@dataclass(frozen=True, slots=True)
class SealedProperty:
    """A respondent's home that 自然资源 publishes as sealed (status 查封) for another case
    against the same respondent."""

    case_number: str
    respondent: PersonRef
    property_cert: str
    sealing_case_number: str  # the other case, which sealed it


@dataclass(frozen=True, slots=True)
class PlantedScenarios:
    officer_id: str  # every planted case is assigned to this officer
    hidden_under_spouse: HiddenUnderSpouse
    controlled_company_chain: ControlledCompanyChain
    legal_rep_of_listed: LegalRepOfListed
    shared_phone_associate: SharedPhoneAssociate
    delisted: Delisted
    many_holdings: ManyHoldings
    wage_accounts: WageAccounts
    wage_arrears: WageArrears
    sealed_property: SealedProperty

    def case_numbers(self) -> tuple[str, ...]:
        return (
            self.hidden_under_spouse.case_number,
            self.controlled_company_chain.case_number,
            self.legal_rep_of_listed.case_number,
            self.legal_rep_of_listed.controller_case_number,
            self.shared_phone_associate.case_number,
            self.delisted.case_number,
            self.many_holdings.case_number,
            self.wage_accounts.case_number,
            self.wage_arrears.case_number,
            self.sealed_property.sealing_case_number,
            self.sealed_property.case_number,
        )


@dataclass(frozen=True, slots=True)
class Hubs:
    """High-degree nodes that traversals must stay bounded around."""

    collective_address: str
    collective_members: int
    switchboard_phone: str
    switchboard_members: int
    big_bank_code: str
    big_bank_accounts: int


@dataclass(frozen=True, slots=True)
class CountyManifest:
    seed: int
    persons: int  # rows of psb.persons
    format: str
    row_counts: dict[str, int]  # per dataset, in load order
    officers: tuple[str, ...]
    scenarios: PlantedScenarios
    hubs: Hubs
    # Referenced by bank/nrb rows but never published by psb: they load as unverified stubs.
    unpublished_persons: tuple[str, ...]
    # Government agencies applying for enforcement; no amr file publishes them.
    unpublished_enterprises: tuple[str, ...]
    legacy_ids: tuple[LegacyReference, ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    def write(self, out_dir: Path) -> Path:
        path = out_dir / MANIFEST_FILE
        path.write_text(self.to_json(), encoding="utf-8")
        return path
