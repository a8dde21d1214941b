"""psb.vehicles: motor vehicles registered by the traffic police (白城 plates are 吉G).

About 0.3 vehicles per person, some owned by enterprises (more of them lorries). A few rows
carry the owner's legacy 15-digit id number, as old registrations do.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Final

from schema.datasets import PSB_VEHICLES
from seed import terms
from seed.identity import LegacyReference, legacy_id_number
from seed.pools import VEHICLE_MODELS, VehicleModel
from seed.registry import EnterpriseRegistry, Party, PersonRegistry
from seed.terms import Term
from seed.values import REFERENCE_DATE, Picker, Styler, below, choose, random_date
from seed.writers import DatasetSink

_VIN_CHARS: Final = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O, Q
_VIN_VALUES: Final = {
    **{digit: int(digit) for digit in "0123456789"},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS: Final = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_YEARS: Final = "ABCDEFGHJKLMNPRSTVWXY123456789"  # model years 1980-2009, then again
_VIN_SERIALS: Final = 1_000_000
_PLATE_LETTERS: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, O
_PLATE_PREFIX: Final = "吉G"
# Plate shapes after 吉G: letter + 4 digits, two letters + 3 digits, 5 digits; a scrambled
# counter walks their union so plates are unique but not sequential.
_ONE_LETTER: Final = 24 * 10_000
_TWO_LETTERS: Final = 24 * 24 * 1_000
_PLATE_SPACE: Final = _ONE_LETTER + _TWO_LETTERS + 100_000
_PLATE_STRIDE: Final = 7919  # prime, coprime to the space
_STATUS: Final = Picker(
    [
        (terms.ASSET_NORMAL, 85.0),
        (terms.MORTGAGED, 8.0),
        (terms.SEALED, 2.0),
        (terms.VEHICLE_CANCELLED, 5.0),
    ]
)
_FIRST_REGISTRATION: Final = date(2005, 1, 1)
_ENTERPRISE_OWNED: Final = 0.08


def vin_check_char(vin_without_check: str) -> str:
    """ISO 3779 / GB 16735 check character for a 17-character VIN whose 9th char is ignored."""
    pairs = zip(vin_without_check, _VIN_WEIGHTS, strict=True)
    total = sum(_VIN_VALUES[char] * weight for char, weight in pairs)
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def plate_number(ordinal: int) -> str:
    """The ordinal-th plate of the 吉G space (ordinal < _PLATE_SPACE)."""
    if ordinal < _ONE_LETTER:
        letter, digits = divmod(ordinal, 10_000)
        return f"{_PLATE_PREFIX}{_PLATE_LETTERS[letter]}{digits:04d}"
    ordinal -= _ONE_LETTER
    if ordinal < _TWO_LETTERS:
        letters, digits = divmod(ordinal, 1_000)
        first, second = divmod(letters, 24)
        return f"{_PLATE_PREFIX}{_PLATE_LETTERS[first]}{_PLATE_LETTERS[second]}{digits:03d}"
    return f"{_PLATE_PREFIX}{ordinal - _TWO_LETTERS:05d}"


class VehicleIdentifiers:
    """Unique VINs and plates: both come from counters, dressed up to look random."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._issued = 0
        self._plate_offset = below(rng, _PLATE_SPACE)
        self._vin_offset = below(rng, _VIN_SERIALS)

    def next(self, model: VehicleModel, year: int) -> tuple[str, str]:
        serial = self._issued
        self._issued += 1
        if serial >= _PLATE_SPACE:
            raise ValueError("more vehicles than 吉G plates; generate a smaller county")
        plate = plate_number((serial * _PLATE_STRIDE + self._plate_offset) % _PLATE_SPACE)
        descriptor = "".join(choose(self._rng, _VIN_CHARS) for _ in range(5))
        vin_serial = serial + self._vin_offset
        plant = _VIN_CHARS[vin_serial // _VIN_SERIALS]
        year_code = _VIN_YEARS[(year - 1980) % len(_VIN_YEARS)]
        body = f"{model.wmi}{descriptor}0{year_code}{plant}{vin_serial % _VIN_SERIALS:06d}"
        vin = body[:8] + vin_check_char(body) + body[9:]
        return plate, vin


class VehicleWriter:
    def __init__(self, sink: DatasetSink, styler: Styler, rng: random.Random) -> None:
        self._rows = sink[PSB_VEHICLES]
        self._styler = styler
        self._rng = rng
        self._identifiers = VehicleIdentifiers(rng)

    def write(
        self,
        owner: Party,
        *,
        owner_id: str | None = None,
        model: VehicleModel | None = None,
        status: Term = terms.ASSET_NORMAL,
    ) -> tuple[str, str]:
        """Register a vehicle for `owner` (under `owner_id` if given); returns (plate, vin)."""
        rng = self._rng
        model = model or choose(rng, VEHICLE_MODELS)
        registered = random_date(rng, _FIRST_REGISTRATION, REFERENCE_DATE)
        plate, vin = self._identifiers.next(model, registered.year)
        self._rows.write(
            (
                plate,
                vin,
                owner_id or owner.id,
                owner.name,
                model.brand_model,
                self._styler.date(registered),
                self._styler.term(status),
            )
        )
        return plate, vin


class VehicleGenerator:
    def __init__(
        self,
        writer: VehicleWriter,
        persons: PersonRegistry,
        enterprises: EnterpriseRegistry,
        rng: random.Random,
    ) -> None:
        self._writer = writer
        self._persons = persons
        self._enterprises = enterprises
        self._rng = rng
        self._commercial = tuple(model for model in VEHICLE_MODELS if model.commercial)

    def generate(self, count: int, legacy_count: int) -> list[LegacyReference]:
        """Register `count` vehicles, the first `legacy_count` under 15-digit owner numbers."""
        legacy: list[LegacyReference] = []
        legacy_chance = 2 * legacy_count / max(count, 1)  # spread them over the file
        for _ in range(count):
            if len(legacy) < legacy_count and self._rng.random() < legacy_chance:
                reference = self._legacy_owned()
                if reference is not None:
                    legacy.append(reference)
                    continue
            self._regular()
        return legacy

    def _regular(self) -> None:
        rng = self._rng
        status = _STATUS.pick(rng)
        enterprise = None
        if rng.random() < _ENTERPRISE_OWNED:
            enterprise = self._enterprises.pick_active(rng)
        if enterprise is None:
            self._writer.write(self._persons.party(self._persons.pick_eligible(rng)), status=status)
            return
        model = choose(rng, self._commercial) if rng.random() < 0.6 else None
        self._writer.write(self._enterprises.party(enterprise), model=model, status=status)

    def _legacy_owned(self) -> LegacyReference | None:
        owner = self._persons.party(self._persons.pick_eligible(self._rng))
        legacy = legacy_id_number(owner.id)
        if legacy is None:
            return None
        self._writer.write(owner, owner_id=legacy)
        return LegacyReference(PSB_VEHICLES, legacy, owner.id)
