"""psb.persons and psb.relations: persons published one household at a time.

psb.relations is published in both directions, as a household register lists every member's
relation to every other: a row (id_number=X, relative_id_number=Y, relation=R) reads "Y is X's
R", so a child and a father give (child, father, 父母) and (father, child, 子女).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, NamedTuple

from schema.datasets import PSB_PERSONS, PSB_RELATIONS
from seed import terms
from seed.identity import IdAllocator
from seed.pools import Pools
from seed.terms import Term
from seed.values import REFERENCE_DATE, Styler, below, between, choose, random_date, timestamp
from seed.writers import CountingWriter, DatasetSink

ADULT_AGE: Final = 18
PHONE_AGE: Final = 16
_UPDATES_FROM: Final = date(2019, 1, 1)
_DAYS_PER_YEAR: Final = 365.2425
_INVERSE: Final = {
    terms.SPOUSE: terms.SPOUSE,
    terms.PARENT: terms.CHILD,
    terms.CHILD: terms.PARENT,
    terms.SIBLING: terms.SIBLING,
    terms.OTHER_RELATIVE: terms.OTHER_RELATIVE,
}


def age_on_reference(birth: date) -> int:
    before_birthday = (REFERENCE_DATE.month, REFERENCE_DATE.day) < (birth.month, birth.day)
    return REFERENCE_DATE.year - birth.year - before_birthday


def birth_for_age(rng: random.Random, age: int) -> date:
    """A birth date making the person `age` years old on the reference date."""
    days = int(age * _DAYS_PER_YEAR) + below(rng, 365)
    return REFERENCE_DATE - timedelta(days=days)


class PhoneMaker:
    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self._prefixes = pools.mobile_prefixes
        self._rng = rng

    def mobile(self) -> str:
        rng = self._rng
        return f"{choose(rng, self._prefixes)}{below(rng, 100_000_000):08d}"


@dataclass(slots=True)
class PersonDraft:
    """Everything psb publishes about a person except the id number, which is allocated."""

    gender: str  # "M" / "F"
    birth: date
    region: int  # index into the allocator's regions
    surname: int
    given: int
    household_address: str | None
    residence_address: str | None
    phone: str | None
    status: Term
    ethnicity: str


class PublishedPerson(NamedTuple):
    id_number: str
    name: str
    gender: str
    birth: date


class PersonPublisher:
    """Allocates id numbers and writes psb.persons and psb.relations rows."""

    def __init__(
        self,
        sink: DatasetSink,
        allocator: IdAllocator,
        pools: Pools,
        styler: Styler,
        rng: random.Random,
    ) -> None:
        self._persons: CountingWriter = sink[PSB_PERSONS]
        self._relations: CountingWriter = sink[PSB_RELATIONS]
        self._allocator = allocator
        self._pools = pools
        self._styler = styler
        self._rng = rng

    def surname(self) -> int:
        return self._pools.surname.pick(self._rng)

    def given_name(self, gender: str) -> int:
        picker = self._pools.male_given if gender == "M" else self._pools.female_given
        return picker.pick(self._rng)

    def name_of(self, surname: int, given: int) -> str:
        return self._pools.surnames[surname] + self._pools.given_names[given]

    def publish(self, draft: PersonDraft) -> PublishedPerson:
        id_number, born = self._allocator.allocate(draft.region, draft.birth, draft.gender)
        name = self.name_of(draft.surname, draft.given)
        styler = self._styler
        updated = random_date(self._rng, _UPDATES_FROM, REFERENCE_DATE)
        self._persons.write(
            (
                id_number,
                name,
                styler.term(terms.MALE if draft.gender == "M" else terms.FEMALE),
                styler.date(born),
                draft.ethnicity,
                draft.household_address,
                draft.residence_address,
                draft.phone,
                styler.term(draft.status),
                timestamp(updated, between(self._rng, 8 * 3600, 18 * 3600)),
            )
        )
        return PublishedPerson(id_number, name, draft.gender, born)

    def relate(self, person: str, relative: str, relation: Term) -> None:
        """Publish that `relative` is `person`'s `relation`, and the inverse row."""
        term = self._styler.term
        self._relations.write((person, relative, term(relation)))
        self._relations.write((relative, person, term(_INVERSE[relation])))
