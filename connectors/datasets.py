"""Every dataset of DATA-EXCHANGE.md, by name, as the connector modules declare them."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from connectors import amr, bank, court, nrb, psb
from connectors.dataset import Dataset

DATASETS: Mapping[str, Dataset] = MappingProxyType(
    {
        dataset.name: dataset
        for dataset in (
            psb.PERSONS,
            psb.RELATIONS,
            psb.VEHICLES,
            amr.ENTERPRISES,
            amr.SHAREHOLDERS,
            amr.EXECUTIVES,
            bank.ACCOUNTS,
            nrb.PROPERTIES,
            court.CASES,
            court.CASE_PARTIES,
            court.DISHONEST,
        )
    }
)

QUERIES: tuple[str, ...] = tuple(dataset.query for dataset in DATASETS.values())
