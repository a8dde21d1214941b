"""Planted investigation scenarios with known answers (see seed/README.md).

Every planted person and enterprise is new and referenced by nothing random: planted persons
live on a street (鹤翔路) and use phone numbers no generated record has, and planted company
names use trade names outside the pools. So each scenario's facts hold exactly as recorded,
whatever the size of the county around it. All planted cases go to officer fy0821-001.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from seed import terms
from seed.accounts import BANK_BY_CODE, AccountWriter
from seed.addresses import COUNTY_SEAT
from seed.cases import OFFICERS, CaseFacts, CaseNumbers, CaseWriter
from seed.enterprises import AmrWriter, Kind, UsccAllocator
from seed.identity import COUNTY_REGION
from seed.manifest import (
    AccountRef,
    ControlledCompanyChain,
    Delisted,
    EnterpriseRef,
    HiddenUnderSpouse,
    LegalRepOfListed,
    ManyHoldings,
    PersonRef,
    PlantedScenarios,
    SealedProperty,
    SharedPhoneAssociate,
    VehicleRef,
    WageAccounts,
    WageArrears,
)
from seed.people import PersonDraft, PersonPublisher, birth_for_age
from seed.pools import BANKS, COUNTY_PREFIX, RESERVED_MOBILE_PREFIX, VEHICLE_MODELS
from seed.properties import Holding, PropertyWriter
from seed.registry import Party
from seed.terms import Term
from seed.values import choose, yuan
from seed.vehicles import VehicleWriter

SCENARIO_OFFICER: Final = OFFICERS[0]
SCENARIO_PERSONS: Final = 19  # psb.persons rows the scenarios add (checked when planting)
_RESERVED_STREET: Final = "鹤翔路"
SAME_AS_HOUSEHOLD: Final = "same as household"
_FIRST_FILING: Final = date(2024, 12, 2)
_PCT: Final = 10_000  # one percent in millionths
# bank.accounts account_type of 农民工工资专用账户 (DATA-EXCHANGE.md), as the wage rule reads it.
WAGE_SPECIAL: Final = "wage_special"
# What 人社 answers to the demo's wage check of the wage_arrears enterprise.
ARREARS_CENTS: Final = 386_400_00
ARREARS_WORKERS: Final = 23


def person_ref(party: Party) -> PersonRef:
    return PersonRef(party.id, party.name)


def enterprise_ref(party: Party) -> EnterpriseRef:
    return EnterpriseRef(party.id, party.name)


@dataclass(frozen=True, slots=True)
class ScenarioTools:
    people: PersonPublisher
    amr: AmrWriter
    usccs: UsccAllocator
    vehicles: VehicleWriter
    properties: PropertyWriter
    accounts: AccountWriter
    cases: CaseWriter
    case_numbers: CaseNumbers
    applicants: tuple[Party, ...]  # creditors, taken from the regular county
    rng: random.Random


class Planter:
    """Creates the planted persons, enterprises and cases."""

    def __init__(self, tools: ScenarioTools) -> None:
        self.tools = tools
        self.persons_published = 0
        self._houses = 0
        self._phones = 0
        self._filings = 0

    def address(self) -> str:
        self._houses += 1
        return f"{COUNTY_PREFIX}{COUNTY_SEAT}{_RESERVED_STREET}{self._houses}号"

    def phone(self) -> str:
        self._phones += 1
        return f"{RESERVED_MOBILE_PREFIX}0821{self._phones:04d}"

    def person(
        self,
        gender: str,
        age: int,
        *,
        household: str | None = None,
        residence: str | None = SAME_AS_HOUSEHOLD,
        phone: str | None = None,
        status: Term = terms.PERSON_NORMAL,
    ) -> Party:
        """Publish a planted person; by default they live where they are registered."""
        rng = self.tools.rng
        people = self.tools.people
        household = household or self.address()
        draft = PersonDraft(
            gender=gender,
            birth=birth_for_age(rng, age),
            region=0,
            surname=people.surname(),
            given=people.given_name(gender),
            household_address=household,
            residence_address=household if residence == SAME_AS_HOUSEHOLD else residence,
            phone=phone or self.phone(),
            status=status,
            ethnicity="汉族",
        )
        published = people.publish(draft)
        self.persons_published += 1
        return Party(published.id_number, published.name, "person")

    def enterprise(
        self, name: str, legal_rep: Party, *, kind: Kind = "company", capital: int = 500_00
    ) -> Party:
        """Register a planted enterprise; `capital` in hundredths of 万元."""
        uscc = self.tools.usccs.allocate(COUNTY_REGION)
        enterprise = Party(uscc, name, "enterprise")
        self.tools.amr.enterprise(enterprise, kind, legal_rep, self.address(), capital=capital)
        return enterprise

    def hold(self, enterprise: Party, holder: Party, share_pct: int) -> None:
        self.tools.amr.shareholder(enterprise.id, holder, share_pct * _PCT, 500_00)

    def case(
        self,
        respondent: Party,
        amount_cents: int,
        *,
        filed: date | None = None,
        status: Term = terms.CASE_OPEN,
    ) -> str:
        """File an enforcement case against `respondent`, assigned to the scenario officer."""
        tools = self.tools
        if filed is None:
            filed = _FIRST_FILING + timedelta(days=self._filings)
            self._filings += 1
        case_number = tools.case_numbers.next(filed.year)
        left = 0 if status is terms.CASE_CLOSED else amount_cents
        facts = CaseFacts(terms.ENFORCEMENT, filed, status, amount_cents, left, SCENARIO_OFFICER)
        tools.cases.case(case_number, facts)
        tools.cases.party(case_number, choose(tools.rng, tools.applicants), terms.APPLICANT)
        tools.cases.party(case_number, respondent, terms.RESPONDENT)
        return case_number

    def account(
        self, bank_code: str, holder: Party, balance_cents: int, account_type: str | None = None
    ) -> AccountRef:
        number = self.tools.accounts.write(
            BANK_BY_CODE[bank_code], holder, balance_cents, account_type=account_type
        )
        return AccountRef(bank_code, number, yuan(balance_cents))


def hidden_under_spouse(planter: Planter) -> HiddenUnderSpouse:
    tools = planter.tools
    home = planter.address()
    respondent = planter.person("M", 46, household=home)
    spouse = planter.person("F", 44, household=home)
    tools.people.relate(respondent.id, spouse.id, terms.SPOUSE)
    cert = tools.properties.write([Holding(spouse)], use=terms.RESIDENTIAL)
    plate, vin = tools.vehicles.write(spouse, model=VEHICLE_MODELS[11])  # 华晨宝马 3系
    account = planter.account("ICBC", spouse, 1_286_540_00)
    return HiddenUnderSpouse(
        case_number=planter.case(respondent, 850_000_00),
        respondent=person_ref(respondent),
        spouse=person_ref(spouse),
        spouse_property_cert=cert,
        spouse_vehicle=VehicleRef(plate, vin),
        spouse_account=account,
    )


def controlled_company_chain(planter: Planter) -> ControlledCompanyChain:
    tools = planter.tools
    respondent = planter.person("M", 52)
    partner, b_manager, c_manager, d_owner = (planter.person("M", age) for age in (48, 41, 37, 55))
    company_a = planter.enterprise("镇赉县鹤翔粮食贸易有限公司", respondent)
    planter.hold(company_a, respondent, 80)
    planter.hold(company_a, partner, 20)
    company_b = planter.enterprise("镇赉县赉丰米业有限公司", b_manager)
    planter.hold(company_b, company_a, 60)
    planter.hold(company_b, b_manager, 40)
    company_c = planter.enterprise("镇赉县苇泽物流有限公司", c_manager, kind="subsidiary")
    planter.hold(company_c, company_b, 100)
    c_cert = tools.properties.write([Holding(company_c)], use=terms.INDUSTRIAL)
    c_account = planter.account("JLNX", company_c, 2_350_000_00)
    minority = planter.enterprise("镇赉县嫩源建材有限公司", d_owner)
    planter.hold(minority, respondent, 30)
    planter.hold(minority, d_owner, 70)
    minority_cert = tools.properties.write([Holding(minority)], use=terms.COMMERCIAL)
    return ControlledCompanyChain(
        case_number=planter.case(respondent, 3_200_000_00),
        respondent=person_ref(respondent),
        company_a=enterprise_ref(company_a),
        company_b=enterprise_ref(company_b),
        company_c=enterprise_ref(company_c),
        chain_share_pcts=("80", "60", "100"),
        effective_share_pct="48",
        company_c_property_cert=c_cert,
        company_c_account=c_account,
        minority_company=enterprise_ref(minority),
        minority_share_pct="30",
        minority_property_cert=minority_cert,
    )


def legal_rep_of_listed(planter: Planter) -> LegalRepOfListed:
    cases = planter.tools.cases
    legal_rep = planter.person("F", 39)
    owner, co_owner = planter.person("M", 58), planter.person("F", 56)
    listed = planter.enterprise("镇赉县莫湖农业科技有限公司", legal_rep)
    planter.hold(listed, owner, 60)
    planter.hold(listed, co_owner, 40)
    case_number = planter.case(listed, 1_480_000_00)
    listed_at = date(2024, 12, 20)
    cases.dishonest(case_number, listed, listed_at)
    nominee, controller = planter.person("M", 33), planter.person("M", 61)
    controlled = planter.enterprise("镇赉县泡泽商贸有限公司", nominee, kind="sole_company")
    planter.hold(controlled, nominee, 100)
    planter.tools.amr.executive(controlled.id, controller, terms.ACTUAL_CONTROLLER)
    controller_case = planter.case(controlled, 960_000_00)
    cases.dishonest(controller_case, controlled, listed_at)
    return LegalRepOfListed(
        case_number=case_number,
        listed_enterprise=enterprise_ref(listed),
        legal_representative=person_ref(legal_rep),
        listed_at=listed_at.isoformat(),
        controller_case_number=controller_case,
        controlled_listed_enterprise=enterprise_ref(controlled),
        actual_controller=person_ref(controller),
    )


def shared_phone_associate(planter: Planter) -> SharedPhoneAssociate:
    phone = planter.phone()
    respondent = planter.person("M", 35, residence=None, phone=phone, status=terms.PERSON_MOVED_OUT)
    residence = planter.address()
    associate = planter.person("F", 31, residence=residence, phone=phone)
    return SharedPhoneAssociate(
        case_number=planter.case(respondent, 126_000_00),
        respondent=person_ref(respondent),
        associate=person_ref(associate),
        phone=phone,
        associate_residence_address=residence,
    )


def delisted(planter: Planter) -> Delisted:
    person = planter.person("M", 44)
    filed = date(2023, 12, 12)
    case_number = planter.case(person, 98_000_00, filed=filed, status=terms.CASE_CLOSED)
    listed_at, removed_at = date(2024, 2, 1), date(2024, 9, 15)
    planter.tools.cases.dishonest(case_number, person, listed_at, removed_at)
    return Delisted(case_number, person_ref(person), listed_at.isoformat(), removed_at.isoformat())


def many_holdings(planter: Planter, accounts_per_bank: int = 5, each: int = 10) -> ManyHoldings:
    tools = planter.tools
    respondent = planter.person("M", 50)
    for bank in BANKS:
        for number in range(accounts_per_bank):
            planter.account(bank.code, respondent, 10_000_00 * (number + 1))
    for model in VEHICLE_MODELS[:each]:
        tools.vehicles.write(respondent, model=model)
    for number in range(each):
        use = terms.RESIDENTIAL if number % 2 else terms.COMMERCIAL
        tools.properties.write([Holding(respondent)], use=use)
    return ManyHoldings(
        case_number=planter.case(respondent, 5_600_000_00),
        respondent=person_ref(respondent),
        accounts=accounts_per_bank * len(BANKS),
        vehicles=each,
        properties=each,
    )


def wage_accounts(planter: Planter) -> WageAccounts:
    manager = planter.person("M", 47)
    company = planter.enterprise("镇赉县鹤鸣建筑工程有限公司", manager, kind="sole_company")
    planter.hold(company, manager, 100)
    wages = (
        planter.account("JLNX", company, 1_260_000_00, WAGE_SPECIAL),
        planter.account("CCB", company, 384_500_00, WAGE_SPECIAL),
    )
    ordinary = planter.account("ICBC", company, 56_300_00)
    return WageAccounts(
        case_number=planter.case(company, 1_900_000_00),
        enterprise=enterprise_ref(company),
        account_type=WAGE_SPECIAL,
        wage_accounts=wages,
        ordinary_account=ordinary,
    )


def wage_arrears(planter: Planter) -> WageArrears:
    manager = planter.person("F", 45)
    company = planter.enterprise("镇赉县鹤泉劳务工程有限公司", manager, kind="sole_company")
    planter.hold(company, manager, 100)
    cert = planter.tools.properties.write([Holding(company)], use=terms.COMMERCIAL)
    account = planter.account("JLNX", company, 212_000_00)
    wage_account = planter.account("ABC", company, 18_600_00, WAGE_SPECIAL)
    return WageArrears(
        case_number=planter.case(company, 2_450_000_00),
        enterprise=enterprise_ref(company),
        property_cert=cert,
        account=account,
        wage_account=wage_account,
        arrears_amount=yuan(ARREARS_CENTS),
        arrears_workers=ARREARS_WORKERS,
    )


def sealed_property(planter: Planter) -> SealedProperty:
    respondent = planter.person("M", 49)
    cert = planter.tools.properties.write(
        [Holding(respondent)], use=terms.RESIDENTIAL, status=terms.SEALED
    )
    sealing_case = planter.case(respondent, 310_000_00)
    return SealedProperty(
        case_number=planter.case(respondent, 270_000_00),
        respondent=person_ref(respondent),
        property_cert=cert,
        sealing_case_number=sealing_case,
    )


def plant_scenarios(tools: ScenarioTools) -> PlantedScenarios:
    planter = Planter(tools)
    scenarios = PlantedScenarios(
        officer_id=SCENARIO_OFFICER,
        hidden_under_spouse=hidden_under_spouse(planter),
        controlled_company_chain=controlled_company_chain(planter),
        legal_rep_of_listed=legal_rep_of_listed(planter),
        shared_phone_associate=shared_phone_associate(planter),
        delisted=delisted(planter),
        many_holdings=many_holdings(planter),
        wage_accounts=wage_accounts(planter),
        wage_arrears=wage_arrears(planter),
        sealed_property=sealed_property(planter),
    )
    if planter.persons_published != SCENARIO_PERSONS:
        raise RuntimeError(
            f"scenarios published {planter.persons_published} persons, "
            f"SCENARIO_PERSONS says {SCENARIO_PERSONS}"
        )
    return scenarios
