"""amr.enterprises, amr.shareholders and amr.executives: the county's market register.

About one enterprise per ten persons: limited companies, sole proprietorships, farmers'
co-operatives and individual businesses (个体工商户, which have no shareholders). Some
companies are held by earlier companies, which builds ownership chains several levels deep.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Final, Literal, NamedTuple

from schema.datasets import AMR_ENTERPRISES, AMR_EXECUTIVES, AMR_SHAREHOLDERS
from schema.identifiers import make_uscc
from seed import terms
from seed.addresses import AddressMaker
from seed.identity import COUNTY_REGION
from seed.pools import COMPANY_INDUSTRIES, COOPERATIVE_INDUSTRIES, SHOP_INDUSTRIES, TOWNS, Pools
from seed.registry import EnterpriseRegistry, Party, PersonRegistry
from seed.terms import Term
from seed.values import (
    REFERENCE_DATE,
    Picker,
    Styler,
    between,
    choose,
    percent,
    random_date,
    timestamp,
    wan_yuan,
)
from seed.writers import DatasetSink

Kind = Literal[
    "company", "sole_company", "subsidiary", "joint_stock", "proprietorship", "cooperative", "shop"
]

ENTERPRISE_TYPES: Final[dict[Kind, str]] = {
    "company": "有限责任公司（自然人投资或控股）",
    "sole_company": "有限责任公司（自然人独资）",
    "subsidiary": "有限责任公司（非自然人投资或控股的法人独资）",
    "joint_stock": "股份有限公司（非上市、自然人投资或控股）",
    "proprietorship": "个人独资企业",
    "cooperative": "农民专业合作社",
    "shop": "个体工商户",
}
# GB 32100 organisation kind under registry 9 (market regulation): 1 enterprise,
# 2 individual business, 3 farmers' co-operative.
_USCC_KIND: Final[dict[Kind, str]] = {
    "company": "1",
    "sole_company": "1",
    "subsidiary": "1",
    "joint_stock": "1",
    "proprietorship": "1",
    "cooperative": "3",
    "shop": "2",
}
_KINDS: Final = Picker[Kind](
    [
        ("company", 45.0),
        ("sole_company", 15.0),
        ("joint_stock", 2.0),
        ("proprietorship", 6.0),
        ("cooperative", 10.0),
        ("shop", 22.0),
    ]
)
_STATUS: Final = Picker(
    [
        (terms.ENTERPRISE_ACTIVE, 85.0),
        (terms.ENTERPRISE_REVOKED, 8.0),
        (terms.ENTERPRISE_CANCELLED, 7.0),
    ]
)
_REGIONS: Final = Picker([(COUNTY_REGION, 88.0), ("220800", 6.0), ("220802", 6.0)])
_COMPANY_CAPITAL: Final = Picker(  # 万元
    [
        (10, 10.0),
        (30, 10.0),
        (50, 20.0),
        (100, 25.0),
        (200, 12.0),
        (300, 8.0),
        (500, 8.0),
        (1000, 4.0),
        (2000, 2.0),
        (5000, 1.0),
    ]
)
# Shares in millionths of the whole; every split sums to exactly 1_000_000.
_SPLITS: Final[dict[int, tuple[tuple[int, ...], ...]]] = {
    1: ((1_000_000,),),
    2: (
        (600_000, 400_000),
        (510_000, 490_000),
        (500_000, 500_000),
        (800_000, 200_000),
        (700_000, 300_000),
        (900_000, 100_000),
        (666_667, 333_333),
    ),
    3: (
        (400_000, 300_000, 300_000),
        (333_334, 333_333, 333_333),
        (500_000, 300_000, 200_000),
        (700_000, 200_000, 100_000),
        (512_500, 250_000, 237_500),
    ),
    4: ((400_000, 300_000, 200_000, 100_000), (250_000,) * 4, (350_000, 250_000, 250_000, 150_000)),
    5: ((300_000, 250_000, 200_000, 150_000, 100_000), (200_000,) * 5),
}
_FIRST_ESTABLISHED: Final = date(1998, 1, 1)
_FIRST_UPDATE: Final = date(2020, 1, 1)
_ENTERPRISE_HOLDER_SHARE: Final = 0.12  # companies with another company among their holders
_ACTUAL_CONTROLLER_SHARE: Final = 0.06


class Holder(NamedTuple):
    kind: Literal["person", "enterprise"]
    entry: int  # index into the person or the enterprise registry


# Organisation codes issued since 2015 start with "MA"; as a base-31 serial that is this.
_MA_SERIAL: Final = (21 * 31 + 10) * 31**6


class UsccAllocator:
    """Unique USCCs: serials only grow, by small random steps so codes do not look sequential."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._serial = _MA_SERIAL + between(rng, 1_000_000, 20_000_000)

    def allocate(self, region: str, *, registry: str = "9", kind: str = "1") -> str:
        self._serial += between(self._rng, 1, 40)
        return make_uscc(region, self._serial, registry=registry, kind=kind)


class EnterpriseNamer:
    """Unique names in the shapes the county's register uses for each kind of enterprise."""

    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self._pools = pools
        self._rng = rng
        self._taken: set[str] = set()

    def name(self, kind: Kind) -> str:
        for _ in range(20):
            candidate = self._candidate(kind)
            if candidate not in self._taken:
                break
        else:
            candidate = f"{candidate[:-2]}{len(self._taken)}{candidate[-2:]}"
        self._taken.add(candidate)
        return candidate

    def _candidate(self, kind: Kind) -> str:
        rng = self._rng
        trade = choose(rng, self._pools.trade_names)
        if kind == "shop":
            return f"镇赉县{choose(rng, TOWNS)}{trade}{choose(rng, SHOP_INDUSTRIES)}"
        if kind == "cooperative":
            town = between(rng, 1, len(TOWNS) - 1)
            village = choose(rng, self._pools.villages[town])
            return f"镇赉县{village}{trade}{choose(rng, COOPERATIVE_INDUSTRIES)}专业合作社"
        industry = choose(rng, COMPANY_INDUSTRIES)
        if kind == "proprietorship":
            return f"镇赉县{trade}{industry}{choose(rng, ('经销处', '商行'))}"
        if kind == "joint_stock":
            return f"吉林{trade}{industry}股份有限公司"
        place = choose(rng, ("镇赉县", "镇赉县", "镇赉县", "白城市", "吉林省", "镇赉"))
        return f"{place}{trade}{industry}{choose(rng, ('有限公司', '有限公司', '有限责任公司'))}"


class AmrWriter:
    """Rows of the three amr datasets, for regular and planted enterprises alike."""

    def __init__(self, sink: DatasetSink, styler: Styler, rng: random.Random) -> None:
        self._enterprises = sink[AMR_ENTERPRISES]
        self._shareholders = sink[AMR_SHAREHOLDERS]
        self._executives = sink[AMR_EXECUTIVES]
        self._styler = styler
        self._rng = rng

    def enterprise(
        self,
        enterprise: Party,
        kind: Kind,
        legal_rep: Party,
        address: str,
        *,
        status: Term = terms.ENTERPRISE_ACTIVE,
        capital: int | None = None,
        founded_after: date = _FIRST_ESTABLISHED,
    ) -> None:
        """One amr.enterprises row; `capital` in hundredths of 万元."""
        rng = self._rng
        self._enterprises.write(
            (
                enterprise.id,
                enterprise.name,
                ENTERPRISE_TYPES[kind],
                self._styler.term(status),
                None if capital is None else wan_yuan(capital),
                self._styler.date(random_date(rng, founded_after, REFERENCE_DATE)),
                address,
                legal_rep.id,
                legal_rep.name,
                timestamp(random_date(rng, _FIRST_UPDATE, REFERENCE_DATE), 36_000),
            )
        )

    def shareholder(self, enterprise: str, holder: Party, share: int, capital: int) -> None:
        """One amr.shareholders row; `share` in millionths, `capital` in hundredths of 万元."""
        rng = self._rng
        subscribed = capital * share // 1_000_000
        roll = rng.random()
        paid = subscribed if roll < 0.5 else subscribed // 2 if roll < 0.7 else None
        self._shareholders.write(
            (
                enterprise,
                holder.id,
                holder.kind if rng.random() < 0.85 else None,
                holder.name,
                percent(share),
                wan_yuan(subscribed),
                None if paid is None else wan_yuan(paid),
            )
        )

    def executive(self, enterprise: str, person: Party, title: Term) -> None:
        self._executives.write((enterprise, person.id, person.name, self._styler.term(title)))


class EnterpriseGenerator:
    def __init__(
        self,
        amr: AmrWriter,
        persons: PersonRegistry,
        registry: EnterpriseRegistry,
        usccs: UsccAllocator,
        pools: Pools,
        rng: random.Random,
    ) -> None:
        self._amr = amr
        self._persons = persons
        self._registry = registry
        self._usccs = usccs
        self._namer = EnterpriseNamer(pools, rng)
        self._addresses = AddressMaker(pools, rng)
        self._rng = rng

    def generate(self, count: int) -> None:
        for _ in range(count):
            self._enterprise(_KINDS.pick(self._rng))

    def _enterprise(self, kind: Kind) -> None:
        rng = self._rng
        uscc = self._usccs.allocate(_REGIONS.pick(rng), kind=_USCC_KIND[kind])
        enterprise = Party(uscc, self._namer.name(kind), "enterprise")
        status = _STATUS.pick(rng)
        capital = self._capital(kind)
        legal_rep = self._persons.pick_eligible(rng)
        holders = self._holders(kind, legal_rep)
        if kind == "sole_company" and holders[0].kind == "enterprise":
            kind = "subsidiary"
        self._amr.enterprise(
            enterprise,
            kind,
            self._persons.party(legal_rep),
            self._addresses.business(),
            status=status,
            capital=capital,
            founded_after=self._came_of_age(legal_rep),
        )
        active = status is terms.ENTERPRISE_ACTIVE
        company = kind in ("company", "sole_company", "subsidiary")
        self._registry.add(uscc, enterprise.name, active, company)
        if holders:
            split = choose(rng, _SPLITS[len(holders)])
            for holder, share in zip(holders, split, strict=True):
                self._amr.shareholder(uscc, self._holder_party(holder), share, capital or 0)
        self._write_executives(uscc, kind, legal_rep, holders)

    def _came_of_age(self, person: int) -> date:
        """Enterprises are not founded before their legal representative turned 18."""
        return max(_FIRST_ESTABLISHED, date(self._persons.birth_year(person) + 18, 1, 1))

    def _capital(self, kind: Kind) -> int | None:
        """Registered capital in hundredths of 万元."""
        rng = self._rng
        if kind == "shop":
            return None if rng.random() < 0.3 else between(rng, 1, 20) * 100
        if kind == "cooperative":
            return between(rng, 10, 100) * 500
        if kind == "proprietorship":
            return between(rng, 1, 20) * 500
        if kind == "joint_stock":
            return between(rng, 10, 100) * 10_000
        capital: int = _COMPANY_CAPITAL.pick(rng) * 100
        return capital + (50 if rng.random() < 0.05 else 0)  # now and then 30.5万

    # --- shareholders -------------------------------------------------------------------------

    def _holders(self, kind: Kind, legal_rep: int) -> list[Holder]:
        rng = self._rng
        if kind == "shop":
            return []
        if kind == "proprietorship":
            return [Holder("person", legal_rep)]
        if kind == "cooperative":
            return self._person_holders(legal_rep, 5)
        if kind == "sole_company":
            parent = self._earlier_company() if rng.random() < 0.15 else None
            if parent is not None:
                return [Holder("enterprise", parent)]
            return [Holder("person", legal_rep)]
        count = between(rng, 3, 5) if kind == "joint_stock" else between(rng, 1, 4)
        holders = self._person_holders(legal_rep, count)
        if len(holders) > 1 and rng.random() < _ENTERPRISE_HOLDER_SHARE:
            parent = self._earlier_company()
            if parent is not None:
                position = between(self._rng, 0, len(holders) - 1)
                holders[position] = Holder("enterprise", parent)
        return holders

    def _person_holders(self, first: int, count: int) -> list[Holder]:
        """`first` (usually the legal representative) plus count-1 other distinct persons."""
        chosen = [first]
        while len(chosen) < count:
            candidate = self._persons.pick_eligible(self._rng)
            if candidate not in chosen:
                chosen.append(candidate)
        if self._rng.random() < 0.2:
            self._rng.shuffle(chosen)  # the legal representative is not always the main holder
        return [Holder("person", index) for index in chosen]

    def _earlier_company(self) -> int | None:
        registry = self._registry
        for _ in range(16):
            index = registry.pick_active(self._rng)
            if index is not None and registry.is_company(index):
                return index
        return None

    def _holder_party(self, holder: Holder) -> Party:
        if holder.kind == "person":
            return self._persons.party(holder.entry)
        return self._registry.party(holder.entry)

    # --- executives ---------------------------------------------------------------------------

    def _write_executives(
        self, uscc: str, kind: Kind, legal_rep: int, holders: list[Holder]
    ) -> None:
        if kind not in ("company", "sole_company", "subsidiary", "joint_stock"):
            return
        rng = self._rng
        people = [h.entry for h in holders if h.kind == "person" and h.entry != legal_rep]
        appointed: list[tuple[int, Term]] = [
            (legal_rep, terms.CHAIRMAN if kind == "joint_stock" else terms.MANAGER)
        ]
        if kind == "joint_stock":
            appointed += [(person, terms.DIRECTOR) for person in people[:3]]
        if people and kind != "joint_stock":
            appointed.append((people[-1], terms.SUPERVISOR))
        else:
            appointed.append((self._other_person(legal_rep), terms.SUPERVISOR))
        if rng.random() < 0.4:
            appointed.append((self._other_person(legal_rep), terms.CFO))
        if rng.random() < _ACTUAL_CONTROLLER_SHARE:
            # Half the time the controller is on record as nobody else: a hidden owner.
            main_holder = holders[0] if holders else None
            if main_holder and main_holder.kind == "person" and rng.random() < 0.5:
                appointed.append((main_holder.entry, terms.ACTUAL_CONTROLLER))
            else:
                appointed.append((self._other_person(legal_rep), terms.ACTUAL_CONTROLLER))
        for person, title in dict.fromkeys(appointed):
            self._amr.executive(uscc, self._persons.party(person), title)

    def _other_person(self, not_this: int) -> int:
        while True:
            candidate = self._persons.pick_eligible(self._rng)
            if candidate != not_this:
                return candidate
