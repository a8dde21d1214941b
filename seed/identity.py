"""Unique 公民身份号码 for a million synthetic persons.

`make_id_number` yields only 200 numbers per (region, birth date): 100 sequences per gender.
The allocator counts what it handed out per (region, day, gender) in a flat bytearray and moves
to the next day when a slot is full, so numbers are unique by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from schema.identifiers import make_id_number
from seed.values import REFERENCE_DATE, Picker

# Where residents' numbers were issued: mostly 镇赉县 itself, then the rest of 白城市,
# then the province and neighbours (people who married or moved in).
RESIDENT_REGIONS: Final = (
    ("220821", 72.0),  # 镇赉县
    ("220802", 6.0),  # 白城市洮北区
    ("220800", 3.0),  # 白城市 (numbers issued before the districts had codes)
    ("220881", 4.0),  # 洮南市
    ("220882", 4.0),  # 大安市
    ("220822", 3.0),  # 通榆县
    ("220102", 2.0),  # 长春市南关区
    ("220104", 1.5),  # 长春市朝阳区
    ("220202", 1.0),  # 吉林市昌邑区
    ("230102", 1.5),  # 哈尔滨市道里区
    ("152201", 1.0),  # 乌兰浩特市
    ("230602", 1.0),  # 大庆市萨尔图区
)
COUNTY_REGION: Final = "220821"
# Outsiders (referenced by banks and the land registry, never published by psb) come from
# regions no resident has, so their numbers cannot collide with anyone's.
OUTSIDER_REGIONS: Final = ("150102", "210202", "130104")

_FIRST_DAY: Final = date(1920, 1, 1)
_SEQUENCES: Final = 100
# Multiplier coprime to 100: the n-th number of a slot gets sequence (n * 37 + slot) % 100,
# a bijection, so order codes look scattered instead of all starting at 00.
_SEQUENCE_STRIDE: Final = 37


class IdAllocator:
    def __init__(self, regions: tuple[str, ...]) -> None:
        self.regions = regions
        self._days = (REFERENCE_DATE - _FIRST_DAY).days + 1
        self._first_ordinal = _FIRST_DAY.toordinal()
        self._issued = bytearray(len(regions) * self._days * 2)

    def index_of(self, region: str) -> int:
        return self.regions.index(region)

    def allocate(self, region_index: int, birth: date, gender: str) -> tuple[str, date]:
        """A fresh id number; the birth date moves a day or more later when its slot is full."""
        day = min(max(birth.toordinal() - self._first_ordinal, 0), self._days - 1)
        female = gender == "F"
        while True:
            slot = ((region_index * self._days) + day) * 2 + female
            issued = self._issued[slot]
            if issued < _SEQUENCES:
                break
            day = (day + 1) % self._days
        self._issued[slot] = issued + 1
        born = _FIRST_DAY + timedelta(days=day)
        sequence = (issued * _SEQUENCE_STRIDE + slot) % _SEQUENCES
        return make_id_number(self.regions[region_index], born, sequence, gender), born


def region_picker() -> Picker[int]:
    """Index into RESIDENT_REGIONS, weighted."""
    return Picker([(index, weight) for index, (_, weight) in enumerate(RESIDENT_REGIONS)])


def all_regions() -> tuple[str, ...]:
    return tuple(region for region, _ in RESIDENT_REGIONS) + OUTSIDER_REGIONS


def legacy_id_number(id_number: str) -> str | None:
    """The 15-digit number the person held before 1999, or None when born outside the 1900s."""
    if id_number[6:8] != "19":
        return None
    return id_number[:6] + id_number[8:17]


@dataclass(frozen=True, slots=True)
class LegacyReference:
    """A row that names a person by their 15-digit number; `id_number` is what it converts to."""

    dataset: str
    legacy: str
    id_number: str
