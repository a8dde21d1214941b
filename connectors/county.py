"""Loading a whole county, as `seed` generates it: every dataset, in load order.

`load_demo_county` is what `hub serve --demo` runs: when the graph has no person yet, it
generates a county into `<data dir>/demo/` (unless one is there) and loads it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import get_args

from connectors.datasets import DATASETS
from connectors.pipeline import ingest_file
from connectors.readers import Format
from connectors.refused import FileRefused
from connectors.report import RunReport
from hub.departments import default_departments
from hub.store import GraphStore
from seed.datasets import DATASETS_IN_LOAD_ORDER

log = logging.getLogger(__name__)

CountyProgress = Callable[[str, int], None]  # (dataset, rows read so far)
DEMO_PERSONS = 20_000
DEMO_SEED = 0
DEMO_DIR = "demo"
MANIFEST_FILE = "manifest.json"
HAS_PERSONS_QUERY = "graph_has_persons"


async def load_county(
    store: GraphStore,
    directory: Path,
    *,
    data_dir: Path,
    progress: CountyProgress | None = None,
) -> list[RunReport]:
    """Load `{dataset}.{csv|jsonl|xlsx}` of every dataset in `directory`, in load order.

    Each dataset is published by the default department of its owner kind.
    """
    departments = default_departments()
    reports = []
    for name in DATASETS_IN_LOAD_ORDER:
        dataset = DATASETS[name]
        report = await ingest_file(
            store,
            name,
            dataset_file(directory, name),
            departments[dataset.owner],
            data_dir=data_dir,
            progress=None if progress is None else partial(progress, name),
        )
        reports.append(report)
    return reports


def dataset_file(directory: Path, dataset: str) -> Path:
    for fmt in get_args(Format):
        path = directory / f"{dataset}.{fmt}"
        if path.is_file():
            return path
    raise FileRefused(
        f"{directory} 中没有 {dataset} 的文件", f"{directory} has no file for {dataset}"
    )


async def load_demo_county(
    store: GraphStore,
    data_dir: Path,
    *,
    persons: int = DEMO_PERSONS,
    progress: CountyProgress | None = None,
) -> list[RunReport]:
    """Load the demo county unless the graph already holds persons; generate it if needed.

    `progress` is told the rows read so far of each dataset as it loads (`hub serve`'s
    /readyz shows them)."""
    if await store.read(HAS_PERSONS_QUERY):
        log.info("demo: the graph already holds persons; nothing loaded")
        return []
    directory = data_dir / DEMO_DIR
    if not (directory / MANIFEST_FILE).is_file():
        log.info("demo: generating a county of %d persons into %s", persons, directory)
        await asyncio.to_thread(_generate, directory, persons)
    log.info("demo: loading the county from %s", directory)
    reports = await load_county(store, directory, data_dir=data_dir, progress=progress)
    rows = sum(report.rows_read for report in reports)
    log.info("demo: loaded %d rows from %d datasets", rows, len(reports))
    return reports


def _generate(directory: Path, persons: int) -> None:
    from seed.county import generate_county

    generate_county(directory, persons, DEMO_SEED, progress=_log_generated)


def _log_generated(dataset: str, rows: int) -> None:
    log.debug("demo: generated %d rows of %s", rows, dataset)
