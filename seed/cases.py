"""court.cases, court.parties and court.dishonest: the enforcement docket of 镇赉县人民法院.

About one enforcement case per 50 persons, filed 2018-2024 and numbered per year in filing
order, e.g. （2024）吉0821执123号. A share of respondents is put on the dishonest list
(失信被执行人名单); some of them have since been removed.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from schema.datasets import COURT_CASES, COURT_DISHONEST, COURT_PARTIES
from seed import terms
from seed.enterprises import UsccAllocator
from seed.identity import COUNTY_REGION
from seed.registry import EnterpriseRegistry, Party, PersonRegistry
from seed.terms import Term
from seed.values import REFERENCE_DATE, Picker, Styler, between, choose, random_date, yuan
from seed.writers import DatasetSink

COURT: Final = "镇赉县人民法院"
COURT_CODE: Final = "吉0821"
OFFICERS: Final = tuple(f"fy0821-{number:03d}" for number in range(1, 21))
LAST_REGULAR_FILING: Final = date(2024, 11, 30)  # December belongs to the planted cases
DISHONEST_REASONS: Final = (
    "有履行能力而拒不履行生效法律文书确定义务",
    "违反财产报告制度",
    "违反限制消费令",
    "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
)
_AGENCIES: Final = (
    "镇赉县人力资源和社会保障局",
    "镇赉县自然资源局",
    "国家税务总局镇赉县税务局",
    "白城市生态环境局镇赉县分局",
    "镇赉县住房和城乡建设局",
)
_FILINGS_PER_YEAR: Final = {2018: 6, 2019: 8, 2020: 10, 2021: 13, 2022: 16, 2023: 21, 2024: 26}
_YEARS: Final = Picker([(year, float(weight)) for year, weight in _FILINGS_PER_YEAR.items()])
_CASE_TYPE: Final = Picker(
    [(terms.ENFORCEMENT, 93.0), (terms.ADMINISTRATIVE, 5.0), (terms.BANKRUPTCY, 2.0)]
)
_AMOUNT_MEDIAN_LOG: Final = math.log(60_000)
_AMOUNT_SPREAD: Final = 1.3

CaseKind = Literal["执", "破"]


class CaseNumbers:
    """（year）吉0821执n号, n counting up per year and kind of case."""

    def __init__(self) -> None:
        self._issued: dict[tuple[int, CaseKind], int] = {}

    def next(self, year: int, kind: CaseKind = "执") -> str:
        issued = self._issued.get((year, kind), 0) + 1
        self._issued[(year, kind)] = issued
        return f"（{year}）{COURT_CODE}{kind}{issued}号"


@dataclass(frozen=True, slots=True)
class CaseFacts:
    case_type: Term
    filed: date
    status: Term
    amount_cents: int
    outstanding_cents: int | None
    officer: str


class CaseWriter:
    def __init__(self, sink: DatasetSink, styler: Styler) -> None:
        self._cases = sink[COURT_CASES]
        self._parties = sink[COURT_PARTIES]
        self._dishonest = sink[COURT_DISHONEST]
        self._styler = styler

    def case(self, case_number: str, facts: CaseFacts) -> None:
        styler = self._styler
        outstanding = facts.outstanding_cents
        self._cases.write(
            (
                case_number,
                styler.term(facts.case_type),
                COURT,
                styler.date(facts.filed),
                styler.term(facts.status),
                yuan(facts.amount_cents),
                None if outstanding is None else yuan(outstanding),
                facts.officer,
            )
        )

    def party(self, case_number: str, party: Party, role: Term, *, typed: bool = True) -> None:
        kind = party.kind if typed else None
        self._parties.write((case_number, party.id, kind, party.name, self._styler.term(role)))

    def dishonest(
        self,
        case_number: str,
        subject: Party,
        listed: date,
        removed: date | None = None,
        reason: str = DISHONEST_REASONS[0],
    ) -> None:
        styler = self._styler
        self._dishonest.write(
            (
                case_number,
                subject.id,
                subject.kind,
                subject.name,
                styler.date(listed),
                None if removed is None else styler.date(removed),
                reason,
            )
        )


@dataclass(frozen=True, slots=True)
class DocketSummary:
    agencies: tuple[str, ...]  # applicants' USCCs that no amr file publishes


def case_status(rng: random.Random, year: int) -> Term:
    """Older cases are more often closed or suspended (终结本次执行)."""
    roll = rng.random()
    if year <= 2020:
        closed, suspended = 0.45, 0.5
    elif year <= 2022:
        closed, suspended = 0.35, 0.4
    else:
        closed, suspended = 0.15, 0.25
    if roll < closed:
        return terms.CASE_CLOSED
    return terms.CASE_SUSPENDED if roll < closed + suspended else terms.CASE_OPEN


def outstanding(rng: random.Random, status: Term, amount_cents: int) -> int | None:
    if rng.random() < 0.05:
        return None
    if status is terms.CASE_CLOSED:
        return 0
    paid_share = rng.random() * (0.4 if status is terms.CASE_SUSPENDED else 0.8)
    return int(amount_cents * (1 - paid_share))


class DocketGenerator:
    def __init__(
        self,
        writer: CaseWriter,
        numbers: CaseNumbers,
        persons: PersonRegistry,
        enterprises: EnterpriseRegistry,
        usccs: UsccAllocator,
        rng: random.Random,
    ) -> None:
        self._writer = writer
        self._numbers = numbers
        self._persons = persons
        self._enterprises = enterprises
        self._rng = rng
        self._agencies = tuple(
            Party(usccs.allocate(COUNTY_REGION, registry="1", kind="1"), name, "enterprise")
            for name in _AGENCIES
        )
        self._agencies_used: dict[str, None] = {}  # ordered set

    def generate(self, count: int) -> DocketSummary:
        rng = self._rng
        per_year = Counter(_YEARS.pick(rng) for _ in range(count))
        for year in sorted(per_year):
            first, last = date(year, 1, 2), min(date(year, 12, 31), LAST_REGULAR_FILING)
            # Numbers count up in filing order within a year.
            for filed in sorted(random_date(rng, first, last) for _ in range(per_year[year])):
                self._case(filed)
        return DocketSummary(agencies=tuple(self._agencies_used))

    def _case(self, filed: date) -> None:
        rng = self._rng
        case_type = _CASE_TYPE.pick(rng)
        kind: CaseKind = "破" if case_type is terms.BANKRUPTCY else "执"
        case_number = self._numbers.next(filed.year, kind)
        status = case_status(rng, filed.year)
        amount = max(100_000, int(rng.lognormvariate(_AMOUNT_MEDIAN_LOG, _AMOUNT_SPREAD) * 100))
        left = outstanding(rng, status, amount)
        facts = CaseFacts(case_type, filed, status, amount, left, choose(rng, OFFICERS))
        self._writer.case(case_number, facts)
        applicant = self._applicant(case_type)
        typed = rng.random() < 0.9
        self._writer.party(case_number, applicant, terms.APPLICANT, typed=typed)
        for respondent in self._respondents(case_type, applicant):
            self._writer.party(case_number, respondent, terms.RESPONDENT, typed=typed)
            self._maybe_list(case_number, respondent, facts)

    def _applicant(self, case_type: Term) -> Party:
        rng = self._rng
        if case_type is terms.ADMINISTRATIVE:
            agency = choose(rng, self._agencies)
            self._agencies_used[agency.id] = None
            return agency
        if rng.random() < 0.55:
            return self._persons.party(self._persons.pick_eligible(rng))
        return self._enterprises.party(self._any_enterprise())

    def _respondents(self, case_type: Term, applicant: Party) -> list[Party]:
        rng = self._rng
        count = 2 if case_type is not terms.BANKRUPTCY and rng.random() < 0.2 else 1
        respondents: list[Party] = []
        while len(respondents) < count:
            if case_type is terms.BANKRUPTCY or rng.random() < 0.25:
                candidate = self._enterprises.party(self._any_enterprise())
            else:
                candidate = self._persons.party(self._persons.pick_eligible(rng))
            if candidate != applicant and candidate not in respondents:
                respondents.append(candidate)
        return respondents

    def _any_enterprise(self) -> int:
        return between(self._rng, 0, len(self._enterprises) - 1)

    def _maybe_list(self, case_number: str, respondent: Party, facts: CaseFacts) -> None:
        rng = self._rng
        if facts.case_type is terms.BANKRUPTCY:
            return
        closed = facts.status is terms.CASE_CLOSED
        if rng.random() >= (0.2 if closed else 0.35):
            return
        listed = facts.filed + timedelta(days=between(rng, 30, 240))
        if listed > REFERENCE_DATE:
            return
        removed = None
        if closed or rng.random() < 0.05:
            removed = min(listed + timedelta(days=between(rng, 60, 700)), REFERENCE_DATE)
        reason = choose(rng, DISHONEST_REASONS)
        self._writer.dishonest(case_number, respondent, listed, removed, reason)
