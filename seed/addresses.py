"""Addresses in the county and beyond, composed from the pools."""

from __future__ import annotations

import math
import random

from seed.pools import COMPOUNDS, COUNTY_PREFIX, ELSEWHERE, TOWNS, VILLAGES_PER_TOWN, Pools
from seed.values import below, between, choose

COUNTY_SEAT = TOWNS[0]  # 镇赉镇
_GROUPS = 15  # 村民小组 per village
_HOUSES = 400  # house numbers per group
_FARMHOUSE_RADICES = (len(TOWNS), VILLAGES_PER_TOWN, _GROUPS, _HOUSES)
# Street number, compound, building, entrance, floor, door: the flat's radices after the street.
_FLAT_RADICES = (300, len(COMPOUNDS), 24, 6, 6, 4)
_STRIDE = 7919  # prime, and coprime to both numbers of homes (their factors are 2, 3, 5, 7)


class UniqueHomes:
    """Walks a space of addresses in scrambled order, so none is handed out twice."""

    def __init__(self, radices: tuple[int, ...], rng: random.Random) -> None:
        self._radices = radices
        self._size = math.prod(radices)
        self._offset = below(rng, self._size)
        self._issued = 0

    def next(self) -> tuple[int, ...]:
        """The next address as one digit per radix (wrapping around when all are used)."""
        ordinal = (self._issued * _STRIDE + self._offset) % self._size
        self._issued += 1
        digits: list[int] = []
        for radix in reversed(self._radices):
            ordinal, digit = divmod(ordinal, radix)
            digits.append(digit)
        return tuple(reversed(digits))


class AddressMaker:
    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self._pools = pools
        self._rng = rng
        self._farmhouses = UniqueHomes(_FARMHOUSE_RADICES, rng)
        self._flats = UniqueHomes((len(pools.streets), *_FLAT_RADICES), rng)

    def household_home(self, rural_share: float = 0.6) -> str:
        """A registered household's address, never the same as another household's.

        Two unrelated households at one address would link them in every trace.
        """
        if self._rng.random() < rural_share:
            town, village, group, house = self._farmhouses.next()
            village_name = self._pools.villages[town][village]
            return f"{COUNTY_PREFIX}{TOWNS[town]}{village_name}{group + 1}组{house + 1}号"
        street, number, compound, building, entrance, floor, door = self._flats.next()
        return (
            f"{COUNTY_PREFIX}{COUNTY_SEAT}{self._pools.streets[street]}{number + 1}号"
            f"{COMPOUNDS[compound]}{building + 1}栋{entrance + 1}单元{floor + 1}0{door + 1}室"
        )

    def village_home(self) -> str:
        """A farmhouse: 吉林省白城市镇赉县坦途镇胜利村3组17号."""
        rng = self._rng
        town = below(rng, len(TOWNS))
        village = choose(rng, self._pools.villages[town])
        return f"{COUNTY_PREFIX}{TOWNS[town]}{village}{between(rng, 1, 9)}组{between(rng, 1, 80)}号"

    def town_home(self) -> str:
        """A flat in the county seat: ...镇赉镇人民大街126号阳光小区3栋2单元501室."""
        rng = self._rng
        street = choose(rng, self._pools.streets)
        compound = choose(rng, COMPOUNDS)
        flat = f"{between(rng, 1, 6)}0{between(rng, 1, 4)}"
        return (
            f"{COUNTY_PREFIX}{COUNTY_SEAT}{street}{between(rng, 1, 300)}号"
            f"{compound}{between(rng, 1, 24)}栋{between(rng, 1, 6)}单元{flat}室"
        )

    def home(self, rural_share: float = 0.6) -> str:
        return self.village_home() if self._rng.random() < rural_share else self.town_home()

    def elsewhere_home(self) -> str:
        """A flat in a city where people from the county go to work."""
        rng = self._rng
        flat = f"{between(rng, 1, 9)}0{between(rng, 1, 6)}"
        return (
            f"{choose(rng, ELSEWHERE)}{choose(rng, self._pools.other_streets)}"
            f"{between(rng, 1, 900)}号{between(rng, 1, 30)}栋{flat}室"
        )

    def business(self) -> str:
        """A shop or office: 吉林省白城市镇赉县镇赉镇振兴路58号."""
        rng = self._rng
        if rng.random() < 0.7:
            street = choose(rng, self._pools.streets)
            return f"{COUNTY_PREFIX}{COUNTY_SEAT}{street}{between(rng, 1, 400)}号"
        town = between(rng, 1, len(TOWNS) - 1)
        village = choose(rng, self._pools.villages[town])
        return f"{COUNTY_PREFIX}{TOWNS[town]}{village}"
