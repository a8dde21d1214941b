"""nrb.properties: real estate in the unified register (不动产登记, certificates since 2016).

About 0.45 certificates per person. A quarter of a married owner's homes are co-owned with
the spouse (two rows, one certificate, 50% each); some properties belong to enterprises.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from schema.datasets import NRB_PROPERTIES
from seed import terms
from seed.addresses import AddressMaker
from seed.pools import Pools
from seed.registry import EnterpriseRegistry, Party, PersonRegistry
from seed.terms import Term
from seed.values import (
    REFERENCE_DATE,
    Picker,
    Styler,
    between,
    hundredths,
    percent,
    random_date,
    yuan,
)
from seed.writers import DatasetSink

WHOLE: Final = 1_000_000  # share in millionths
HALF: Final = 500_000
_FIRST_REGISTRATION: Final = date(2016, 1, 1)
_STATUS: Final = Picker([(terms.ASSET_NORMAL, 85.0), (terms.MORTGAGED, 12.0), (terms.SEALED, 3.0)])
_PERSON_USE: Final = Picker(
    [(terms.RESIDENTIAL, 88.0), (terms.COMMERCIAL, 7.0), (terms.OTHER_USE, 5.0)]
)
_ENTERPRISE_USE: Final = Picker(
    [(terms.COMMERCIAL, 50.0), (terms.INDUSTRIAL, 40.0), (terms.OTHER_USE, 10.0)]
)


@dataclass(frozen=True, slots=True)
class UseProfile:
    min_area: int  # m2
    max_area: int
    min_price: int  # yuan per m2
    max_price: int


_PROFILES: Final = {
    terms.RESIDENTIAL: UseProfile(45, 160, 2200, 4200),
    terms.COMMERCIAL: UseProfile(20, 600, 3500, 8000),
    terms.INDUSTRIAL: UseProfile(500, 20000, 300, 1200),
    terms.OTHER_USE: UseProfile(10, 40, 1000, 2500),  # garages and storerooms
}
_ENTERPRISE_OWNED: Final = 0.07
_CO_OWNED_WITH_SPOUSE: Final = 0.25


@dataclass(frozen=True, slots=True)
class Holding:
    owner: Party
    share: int = WHOLE  # millionths


class PropertyWriter:
    def __init__(self, sink: DatasetSink, pools: Pools, styler: Styler, rng: random.Random) -> None:
        self._rows = sink[NRB_PROPERTIES]
        self._addresses = AddressMaker(pools, rng)
        self._styler = styler
        self._rng = rng
        self._issued_by_year: dict[int, int] = {}

    def write(
        self,
        holdings: Sequence[Holding],
        *,
        use: Term = terms.RESIDENTIAL,
        status: Term = terms.ASSET_NORMAL,
        value_known: bool = True,
    ) -> str:
        """Register one property with one row per owner; returns the certificate number."""
        rng = self._rng
        registered = random_date(rng, _FIRST_REGISTRATION, REFERENCE_DATE)
        cert_number = self._cert_number(registered.year)
        profile = _PROFILES[use]
        area = between(rng, profile.min_area * 100, profile.max_area * 100)  # hundredths of m2
        # Hundredths of m2 times yuan per m2 is fen; valuations are rounded to 100 yuan.
        value = area * between(rng, profile.min_price, profile.max_price) // 10_000 * 10_000
        address = self._address(use)
        for holding in holdings:
            self._rows.write(
                (
                    cert_number,
                    holding.owner.id,
                    holding.owner.kind if rng.random() < 0.8 else None,
                    holding.owner.name,
                    self._share(holding.share),
                    address,
                    hundredths(area),
                    self._styler.term(use),
                    yuan(value) if value_known else None,
                    self._styler.date(registered),
                    self._styler.term(status),
                )
            )
        return cert_number

    def _cert_number(self, year: int) -> str:
        issued = self._issued_by_year.get(year, 0) + 1
        self._issued_by_year[year] = issued
        return f"吉（{year}）镇赉县不动产权第{issued:07d}号"

    def _share(self, share: int) -> str | None:
        if share == WHOLE and self._rng.random() < 0.3:
            return None  # the spec's default, 100
        return percent(share)

    def _address(self, use: Term) -> str:
        if use is terms.RESIDENTIAL:
            return self._addresses.home(rural_share=0.45)
        if use is terms.INDUSTRIAL:
            return f"吉林省白城市镇赉县工业园区{between(self._rng, 1, 120)}号"
        if use is terms.OTHER_USE:
            return self._addresses.town_home().replace("室", "号车库")
        return self._addresses.business()


class PropertyGenerator:
    def __init__(
        self,
        writer: PropertyWriter,
        persons: PersonRegistry,
        enterprises: EnterpriseRegistry,
        rng: random.Random,
    ) -> None:
        self._writer = writer
        self._persons = persons
        self._enterprises = enterprises
        self._rng = rng

    def generate(self, count: int) -> None:
        for _ in range(count):
            self._one()

    def _one(self) -> None:
        rng = self._rng
        status = _STATUS.pick(rng)
        value_known = rng.random() < 0.9
        enterprise = None
        if rng.random() < _ENTERPRISE_OWNED:
            enterprise = self._enterprises.pick_active(rng)
        if enterprise is not None:
            holdings = [Holding(self._enterprises.party(enterprise))]
            use = _ENTERPRISE_USE.pick(rng)
        else:
            holdings = self._person_holdings()
            use = _PERSON_USE.pick(rng)
        self._writer.write(holdings, use=use, status=status, value_known=value_known)

    def _person_holdings(self) -> list[Holding]:
        owner = self._persons.pick_eligible(self._rng)
        spouse = self._persons.spouse(owner)
        if spouse is None or self._rng.random() >= _CO_OWNED_WITH_SPOUSE:
            return [Holding(self._persons.party(owner))]
        return [
            Holding(self._persons.party(owner), HALF),
            Holding(self._persons.party(spouse), HALF),
        ]
