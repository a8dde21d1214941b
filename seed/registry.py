"""Compact in-memory registers of generated persons and enterprises.

Later datasets refer back to persons and enterprises (owners, shareholders, parties). Keeping a
million dicts or dataclasses would cost gigabytes, so only what those references need is kept,
in flat arrays: about 30 bytes per person and 60 per enterprise.
"""

from __future__ import annotations

import random
from array import array
from typing import Literal, NamedTuple

_ID_LENGTH = 18
_NO_SPOUSE = -1


class Party(NamedTuple):
    """A person or an enterprise as another dataset refers to it (owner, holder, party)."""

    id: str
    name: str
    kind: Literal["person", "enterprise"]


class PersonRegistry:
    """Persons published in psb.persons by the regular population (not the planted ones)."""

    def __init__(self, surnames: tuple[str, ...], given_names: tuple[str, ...]) -> None:
        self._surname_pool = surnames
        self._given_pool = given_names
        self._ids = bytearray()
        self._surnames = array("H")
        self._givens = array("H")
        self._birth_years = array("H")
        self._spouses = array("i")
        # Adult, alive and still registered here: may own things, found companies, be sued.
        self._eligible = bytearray()

    def __len__(self) -> int:
        return len(self._surnames)

    def add(self, id_number: str, surname: int, given: int, birth_year: int, eligible: bool) -> int:
        self._ids += id_number.encode("ascii")
        self._surnames.append(surname)
        self._givens.append(given)
        self._birth_years.append(birth_year)
        self._spouses.append(_NO_SPOUSE)
        self._eligible.append(eligible)
        return len(self._surnames) - 1

    def marry(self, first: int, second: int) -> None:
        self._spouses[first] = second
        self._spouses[second] = first

    def id_number(self, index: int) -> str:
        start = index * _ID_LENGTH
        return self._ids[start : start + _ID_LENGTH].decode("ascii")

    def name(self, index: int) -> str:
        return self._surname_pool[self._surnames[index]] + self._given_pool[self._givens[index]]

    def party(self, index: int) -> Party:
        return Party(self.id_number(index), self.name(index), "person")

    def birth_year(self, index: int) -> int:
        return self._birth_years[index]

    def is_eligible(self, index: int) -> bool:
        return bool(self._eligible[index])

    def spouse(self, index: int) -> int | None:
        spouse = self._spouses[index]
        return None if spouse == _NO_SPOUSE else spouse

    def pick_eligible(self, rng: random.Random) -> int:
        """A random adult who is alive and still registered in the county."""
        size = len(self._surnames)
        while True:
            index = rng.randrange(size)
            if self._eligible[index]:
                return index


class EnterpriseRegistry:
    """Enterprises published in amr.enterprises by the regular generator."""

    def __init__(self) -> None:
        self._usccs = bytearray()
        self.names: list[str] = []
        self._active = bytearray()
        self._companies = bytearray()  # limited companies: may hold shares of others

    def __len__(self) -> int:
        return len(self.names)

    def add(self, uscc: str, name: str, active: bool, company: bool) -> int:
        self._usccs += uscc.encode("ascii")
        self.names.append(name)
        self._active.append(active)
        self._companies.append(company)
        return len(self.names) - 1

    def uscc(self, index: int) -> str:
        start = index * _ID_LENGTH
        return self._usccs[start : start + _ID_LENGTH].decode("ascii")

    def party(self, index: int) -> Party:
        return Party(self.uscc(index), self.names[index], "enterprise")

    def is_active(self, index: int) -> bool:
        return bool(self._active[index])

    def is_company(self, index: int) -> bool:
        return bool(self._companies[index])

    def pick_active(self, rng: random.Random, below: int | None = None) -> int | None:
        """A random active enterprise (optionally among the first `below`), None if none is."""
        size = len(self.names) if below is None else below
        for _ in range(64):
            if size == 0:
                return None
            index = rng.randrange(size)
            if self._active[index]:
                return index
        return None
