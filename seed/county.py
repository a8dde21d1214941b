"""Entry point: generate a synthetic 镇赉县 as department files plus manifest.json.

Phases run in a fixed order, each with its own random stream derived from the seed, and write
their rows straight to the open dataset files. Only compact registers of persons and
enterprises stay in memory, so a million persons fit in a few hundred megabytes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Final, get_args

from schema.datasets import DATASETS_IN_LOAD_ORDER
from seed.accounts import AccountGenerator, AccountWriter
from seed.cases import OFFICERS, CaseNumbers, CaseWriter, DocketGenerator, DocketSummary
from seed.enterprises import AmrWriter, EnterpriseGenerator, UsccAllocator
from seed.households import HouseholdGenerator, PopulationSummary
from seed.identity import IdAllocator, LegacyReference, all_regions
from seed.manifest import CountyManifest, Hubs, PlantedScenarios
from seed.outsiders import OutsiderGenerator
from seed.people import PersonPublisher
from seed.pools import Pools, load_pools
from seed.properties import PropertyGenerator, PropertyWriter
from seed.registry import EnterpriseRegistry, Party, PersonRegistry
from seed.scenarios import SCENARIO_PERSONS, ScenarioTools, plant_scenarios
from seed.values import Styler
from seed.vehicles import VehicleGenerator, VehicleWriter
from seed.writers import DatasetSink, Format, Progress

__all__ = ["MIN_PERSONS", "CountyManifest", "generate_county"]

MIN_PERSONS: Final = 200
_PLANTED_STYLE_VARIATION: Final = 0.0  # planted rows are written plainly, for easy reading


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many of each thing a county of `persons` gets."""

    persons: int

    @property
    def residents(self) -> int:
        return self.persons - SCENARIO_PERSONS

    @property
    def enterprises(self) -> int:
        return self.persons // 10

    @property
    def vehicles(self) -> int:
        return self.persons * 3 // 10

    @property
    def properties(self) -> int:
        return self.persons * 9 // 20  # certificates; co-owned ones have two rows

    @property
    def cases(self) -> int:
        return self.persons // 50

    @property
    def outsiders(self) -> int:
        return max(3, self.persons // 2_000)

    @property
    def legacy_ids(self) -> int:
        return max(3, self.persons // 5_000)  # per dataset that carries them


@dataclass(frozen=True, slots=True)
class Outcome:
    population: PopulationSummary
    docket: DocketSummary
    scenarios: PlantedScenarios
    outsiders: tuple[str, ...]
    legacy_ids: tuple[LegacyReference, ...]
    accounts_per_bank: dict[str, int]


def generate_county(
    out_dir: Path,
    persons: int = 20_000,
    seed: int = 0,
    *,
    fmt: Format = "csv",
    progress: Progress | None = None,
) -> CountyManifest:
    """Write `{dataset}.{fmt}` for every dataset and manifest.json into `out_dir`.

    The same seed, size and format give byte-identical files.
    """
    if persons < MIN_PERSONS:
        raise ValueError(f"a county needs at least {MIN_PERSONS} persons, got {persons}")
    if fmt not in get_args(Format):
        raise ValueError(f"format must be one of {get_args(Format)}, got {fmt!r}")
    with DatasetSink(out_dir, DATASETS_IN_LOAD_ORDER, fmt, progress) as sink:
        outcome = _generate(sink, load_pools(), Sizes(persons), seed)
    manifest = _manifest(outcome, sink.row_counts(), persons, seed, fmt)
    manifest.write(out_dir)
    return manifest


def _rng(seed: int, phase: str) -> random.Random:
    # A string seed is hashed with SHA-512, the same on every platform and Python version.
    return random.Random(f"hub-seed:{seed}:{phase}")


def _generate(sink: DatasetSink, pools: Pools, sizes: Sizes, seed: int) -> Outcome:
    allocator = IdAllocator(all_regions())
    persons = PersonRegistry(pools.surnames, pools.given_names)
    enterprises = EnterpriseRegistry()

    rng = _rng(seed, "people")
    publisher = PersonPublisher(sink, allocator, pools, Styler(rng), rng)
    population = HouseholdGenerator(publisher, persons, pools, rng).generate(sizes.residents)

    rng = _rng(seed, "enterprises")
    amr = AmrWriter(sink, Styler(rng), rng)
    usccs = UsccAllocator(rng)
    EnterpriseGenerator(amr, persons, enterprises, usccs, pools, rng).generate(sizes.enterprises)

    rng = _rng(seed, "vehicles")
    vehicles = VehicleWriter(sink, Styler(rng), rng)
    legacy = VehicleGenerator(vehicles, persons, enterprises, rng).generate(
        sizes.vehicles, sizes.legacy_ids
    )

    rng = _rng(seed, "accounts")
    accounts = AccountWriter(sink, Styler(rng), rng)
    account_generator = AccountGenerator(accounts, persons, enterprises, rng)
    legacy += account_generator.generate_for_persons(sizes.legacy_ids)
    account_generator.generate_for_enterprises()

    rng = _rng(seed, "properties")
    properties = PropertyWriter(sink, pools, Styler(rng), rng)
    PropertyGenerator(properties, persons, enterprises, rng).generate(sizes.properties)

    rng = _rng(seed, "outsiders")
    outsiders = OutsiderGenerator(allocator, pools, accounts, properties, rng)
    unpublished = outsiders.generate(sizes.outsiders)

    rng = _rng(seed, "docket")
    cases = CaseWriter(sink, Styler(rng))
    case_numbers = CaseNumbers()
    docket = DocketGenerator(cases, case_numbers, persons, enterprises, usccs, rng)
    docket_summary = docket.generate(sizes.cases)

    rng = _rng(seed, "scenarios")
    plain = Styler(rng, _PLANTED_STYLE_VARIATION, _PLANTED_STYLE_VARIATION)
    tools = ScenarioTools(
        people=PersonPublisher(sink, allocator, pools, plain, rng),
        amr=AmrWriter(sink, plain, rng),
        usccs=usccs,
        vehicles=vehicles,
        properties=properties,
        accounts=accounts,
        cases=CaseWriter(sink, plain),
        case_numbers=case_numbers,
        applicants=_applicants(enterprises, rng),
        rng=rng,
    )
    scenarios = plant_scenarios(tools)
    return Outcome(
        population=population,
        docket=docket_summary,
        scenarios=scenarios,
        outsiders=unpublished,
        legacy_ids=tuple(legacy),
        accounts_per_bank=dict(accounts.accounts_per_bank),
    )


def _applicants(enterprises: EnterpriseRegistry, rng: random.Random) -> tuple[Party, ...]:
    """A few active regular enterprises to act as creditors in the planted cases."""
    picked = [enterprises.pick_active(rng) for _ in range(3)]
    indexes = [index for index in picked if index is not None] or [0]
    return tuple(enterprises.party(index) for index in indexes)


def _manifest(
    outcome: Outcome, row_counts: dict[str, int], persons: int, seed: int, fmt: Format
) -> CountyManifest:
    population = outcome.population
    big_bank = max(outcome.accounts_per_bank, key=outcome.accounts_per_bank.__getitem__)
    return CountyManifest(
        seed=seed,
        persons=persons,
        format=fmt,
        row_counts=row_counts,
        officers=OFFICERS,
        scenarios=outcome.scenarios,
        hubs=Hubs(
            collective_address=population.collective_address,
            collective_members=population.collective_members,
            switchboard_phone=population.switchboard_phone,
            switchboard_members=population.switchboard_members,
            big_bank_code=big_bank,
            big_bank_accounts=outcome.accounts_per_bank[big_bank],
        ),
        unpublished_persons=outcome.outsiders,
        unpublished_enterprises=outcome.docket.agencies,
        legacy_ids=outcome.legacy_ids,
    )
