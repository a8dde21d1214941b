"""Persons from other counties who bank or own property here but are not in psb.persons.

Loading the county turns them into unverified stubs: the hub knows their id number and the
name a bank or the land registry reported, nothing authoritative.
"""

from __future__ import annotations

import random

from seed.accounts import AccountWriter, distinct_banks, personal_balance
from seed.identity import OUTSIDER_REGIONS, IdAllocator
from seed.people import birth_for_age
from seed.pools import Pools
from seed.properties import Holding, PropertyWriter
from seed.registry import Party
from seed.values import between, choose


class OutsiderGenerator:
    def __init__(
        self,
        allocator: IdAllocator,
        pools: Pools,
        accounts: AccountWriter,
        properties: PropertyWriter,
        rng: random.Random,
    ) -> None:
        self._allocator = allocator
        self._pools = pools
        self._accounts = accounts
        self._properties = properties
        self._rng = rng

    def generate(self, count: int) -> tuple[str, ...]:
        """Report accounts (and for half of them a property) of `count` outsiders."""
        id_numbers: list[str] = []
        for _ in range(count):
            outsider = self._outsider()
            id_numbers.append(outsider.id)
            for bank in distinct_banks(self._rng, between(self._rng, 1, 2)):
                self._accounts.write(bank, outsider, personal_balance(self._rng))
            if self._rng.random() < 0.5:
                self._properties.write([Holding(outsider)])
        return tuple(id_numbers)

    def _outsider(self) -> Party:
        rng = self._rng
        pools = self._pools
        gender = choose(rng, "MF")
        region = self._allocator.index_of(choose(rng, OUTSIDER_REGIONS))
        birth = birth_for_age(rng, between(rng, 25, 65))
        id_number, _ = self._allocator.allocate(region, birth, gender)
        given = (pools.male_given if gender == "M" else pools.female_given).pick(rng)
        name = pools.surnames[pools.surname.pick(rng)] + pools.given_names[given]
        return Party(id_number, name, "person")
