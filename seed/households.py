"""The regular population: households of singles, couples, families and three generations.

Also plants two hub nodes that bound graph traversals: a collective household (集体户) whose
address hundreds of residents share, and a company switchboard phone shared by about 200.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from seed import terms
from seed.addresses import COUNTY_SEAT, AddressMaker
from seed.identity import region_picker
from seed.people import (
    ADULT_AGE,
    PHONE_AGE,
    PersonDraft,
    PersonPublisher,
    PhoneMaker,
    PublishedPerson,
    age_on_reference,
    birth_for_age,
)
from seed.pools import COUNTY_PREFIX, RESERVED_MOBILE_PREFIX, Pools
from seed.registry import PersonRegistry
from seed.terms import Term
from seed.values import Picker, between, choose

COLLECTIVE_ADDRESS: Final = f"{COUNTY_PREFIX}{COUNTY_SEAT}政府街16号（镇赉镇派出所集体户）"
SWITCHBOARD_PHONE: Final = f"{RESERVED_MOBILE_PREFIX}04368000"

Role = Literal["head", "spouse", "child", "elder"]
Kind = Literal["single", "couple", "family", "three_generations", "single_parent"]

_KINDS: Final = Picker[Kind](
    [
        ("single", 14.0),
        ("couple", 24.0),
        ("family", 50.0),
        ("three_generations", 7.0),
        ("single_parent", 5.0),
    ]
)
_CHILDREN: Final = Picker([(1, 56.0), (2, 36.0), (3, 8.0)])
_COUNTY_BORN_CHILDREN: Final = 0.85


@dataclass(slots=True)
class Member:
    role: Role
    gender: str
    birth: date
    surname: int = 0
    published: PublishedPerson | None = None
    index: int = -1

    @property
    def id_number(self) -> str:
        assert self.published is not None
        return self.published.id_number


@dataclass(frozen=True, slots=True)
class PopulationSummary:
    collective_address: str
    collective_members: int
    switchboard_phone: str
    switchboard_members: int


def collective_size(persons: int) -> int:
    """500 residents, or persons/40 when that is smaller, but at least 50."""
    return max(50, min(500, persons // 40))


def switchboard_size(persons: int) -> int:
    return max(20, min(200, persons // 25))


class HouseholdGenerator:
    def __init__(
        self,
        publisher: PersonPublisher,
        registry: PersonRegistry,
        pools: Pools,
        rng: random.Random,
    ) -> None:
        self._publisher = publisher
        self._registry = registry
        self._pools = pools
        self._rng = rng
        self._addresses = AddressMaker(pools, rng)
        self._phones = PhoneMaker(pools, rng)
        self._regions = region_picker()
        self._switchboard_targets: frozenset[int] = frozenset()
        self._switchboard_members = 0

    def generate(self, size: int) -> PopulationSummary:
        """Publish `size` persons: the collective household first, then ordinary households."""
        collective = min(collective_size(size), size)
        # A few of the targets turn out to be children, who get no phone; aim a little high.
        wanted = switchboard_size(size) * 6 // 5
        self._switchboard_targets = frozenset(
            self._rng.sample(range(collective, size), min(wanted, size - collective))
        )
        for _ in range(collective):
            self._publish_household([self._collective_member()], COLLECTIVE_ADDRESS)
        while len(self._registry) < size:
            members = self._members(_KINDS.pick(self._rng))[: size - len(self._registry)]
            self._publish_household(members, self._addresses.household_home())
        return PopulationSummary(
            COLLECTIVE_ADDRESS, collective, SWITCHBOARD_PHONE, self._switchboard_members
        )

    # --- who lives together -------------------------------------------------------------------

    def _collective_member(self) -> Member:
        rng = self._rng
        gender = "M" if rng.random() < 0.6 else "F"
        return Member("head", gender, birth_for_age(rng, between(rng, ADULT_AGE, 60)))

    def _members(self, kind: Kind) -> list[Member]:
        rng = self._rng
        if kind == "single":
            return [Member("head", choose(rng, "MF"), birth_for_age(rng, between(rng, 18, 90)))]
        if kind == "couple":
            return self._couple(between(rng, 22, 88))
        if kind == "family":
            head_age = between(rng, 26, 64)
            return self._couple(head_age) + self._children(head_age, _CHILDREN.pick(rng))
        if kind == "three_generations":
            head_age = between(rng, 30, 58)
            return [
                *self._couple(head_age),
                *self._children(head_age, _CHILDREN.pick(rng)),
                *self._elders(head_age),
            ]
        head_age = between(rng, 28, 55)
        head = Member("head", "F" if rng.random() < 0.7 else "M", birth_for_age(rng, head_age))
        return [head, *self._children(head_age, between(rng, 1, 2))]

    def _couple(self, head_age: int) -> list[Member]:
        rng = self._rng
        head_gender = "M" if rng.random() < 0.85 else "F"
        spouse_age = max(20, head_age + between(rng, -5, 5))
        return [
            Member("head", head_gender, birth_for_age(rng, head_age)),
            Member("spouse", "F" if head_gender == "M" else "M", birth_for_age(rng, spouse_age)),
        ]

    def _children(self, parent_age: int, count: int) -> list[Member]:
        rng = self._rng
        children: list[Member] = []
        for _ in range(count):
            age_gap = between(rng, 21, max(21, min(38, parent_age)))
            birth = birth_for_age(rng, max(0, parent_age - age_gap))
            children.append(Member("child", choose(rng, "MF"), birth))
        return children

    def _elders(self, head_age: int) -> list[Member]:
        rng = self._rng
        ages = [min(95, head_age + between(rng, 22, 32)) for _ in range(2)]
        if rng.random() < 0.5:
            return [Member("elder", choose(rng, "MF"), birth_for_age(rng, ages[0]))]
        return [
            Member("elder", "M", birth_for_age(rng, ages[0])),
            Member("elder", "F", birth_for_age(rng, ages[1])),
        ]

    # --- publishing ---------------------------------------------------------------------------

    def _publish_household(self, members: list[Member], address: str) -> None:
        self._assign_surnames(members)
        residence = self._household_residence(address)
        ethnicity = self._pools.ethnicity.pick(self._rng)
        head_phone: str | None = None
        for member in members:
            phone = self._publish_member(member, address, residence, head_phone, ethnicity)
            if member.role == "head":
                head_phone = phone
        self._publish_relations(members)

    def _assign_surnames(self, members: list[Member]) -> None:
        rng = self._rng
        pick = self._pools.surname.pick
        for member in members:
            member.surname = pick(rng)
        father = next(
            (m for m in members if m.role in ("head", "spouse") and m.gender == "M"), None
        )
        mother = next(
            (m for m in members if m.role in ("head", "spouse") and m.gender == "F"), None
        )
        family_name = (father or members[0]).surname
        for member in members:
            if member.role == "child":
                use_mother = mother is not None and rng.random() < 0.05
                member.surname = mother.surname if use_mother and mother else family_name
            elif member.role == "elder" and member.gender == "M":
                member.surname = members[0].surname

    def _household_residence(self, address: str) -> str | None:
        roll = self._rng.random()
        if roll < 0.5:
            return None  # unknown: psb only knows the registered address
        if roll < 0.85:
            return address
        return self._addresses.elsewhere_home() if roll < 0.94 else self._addresses.town_home()

    def _phone(self, member: Member, age: int, head_phone: str | None) -> str | None:
        rng = self._rng
        if age < PHONE_AGE:
            return None
        if len(self._registry) in self._switchboard_targets:
            return SWITCHBOARD_PHONE
        roll = rng.random()
        if member.role == "elder" and roll < 0.5:
            return head_phone  # an old parent gives the son's or daughter's number
        if member.role == "spouse" and roll < 0.03:
            return head_phone
        return None if roll > 0.96 else self._phones.mobile()

    def _status(self, age: int) -> Term:
        roll = self._rng.random()
        death_risk = 0.12 if age >= 80 else 0.03 if age >= 65 else 0.003
        if roll < death_risk:
            return terms.PERSON_DECEASED
        if age >= ADULT_AGE and roll > 0.985:
            return terms.PERSON_MOVED_OUT
        return terms.PERSON_NORMAL

    def _residence(self, member: Member, age: int, status: Term, shared: str | None) -> str | None:
        rng = self._rng
        if status is terms.PERSON_DECEASED:
            return None
        if status is terms.PERSON_MOVED_OUT:
            return self._addresses.elsewhere_home() if rng.random() < 0.7 else None
        if member.role == "child" and age >= 20 and rng.random() < 0.25:
            return self._addresses.elsewhere_home()  # working in the city
        return shared

    def _publish_member(
        self,
        member: Member,
        address: str,
        residence: str | None,
        head_phone: str | None,
        ethnicity: str,
    ) -> str | None:
        """Publish one member and return their phone."""
        rng = self._rng
        age = age_on_reference(member.birth)
        status = self._status(age)
        alive = status is not terms.PERSON_DECEASED
        phone = self._phone(member, age, head_phone) if alive else None
        # Counted here: a parent may give their child's (switchboard) number as their own.
        self._switchboard_members += phone == SWITCHBOARD_PHONE
        born_here = member.role == "child" and rng.random() < _COUNTY_BORN_CHILDREN
        draft = PersonDraft(
            gender=member.gender,
            birth=member.birth,
            region=0 if born_here else self._regions.pick(rng),
            surname=member.surname,
            given=self._publisher.given_name(member.gender),
            household_address=address,
            residence_address=self._residence(member, age, status, residence),
            phone=phone,
            status=status,
            ethnicity=ethnicity,
        )
        member.published = self._publisher.publish(draft)
        eligible = age >= ADULT_AGE and status is terms.PERSON_NORMAL
        member.index = self._registry.add(
            member.id_number, draft.surname, draft.given, member.published.birth.year, eligible
        )
        return phone

    def _publish_relations(self, members: list[Member]) -> None:
        relate = self._publisher.relate
        parents = [m for m in members if m.role in ("head", "spouse")]
        children = [m for m in members if m.role == "child"]
        elders = [m for m in members if m.role == "elder"]
        for couple in (parents, elders):
            if len(couple) == 2:
                relate(couple[0].id_number, couple[1].id_number, terms.SPOUSE)
                self._registry.marry(couple[0].index, couple[1].index)
        for child in children:
            for parent in parents:
                relate(child.id_number, parent.id_number, terms.PARENT)
            for elder in elders:
                relate(child.id_number, elder.id_number, terms.OTHER_RELATIVE)  # grandparent
        for position, child in enumerate(children):
            for sibling in children[position + 1 :]:
                relate(child.id_number, sibling.id_number, terms.SIBLING)
        for elder in elders:
            relate(members[0].id_number, elder.id_number, terms.PARENT)
