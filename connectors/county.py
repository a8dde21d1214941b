"""Loading a whole county, as `seed` generates it: every dataset, in load order.

`hub serve --demo` and the tests load a generated county with it (hub/cli/demo.py
generates one); a deployment can load a directory of department files the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import get_args

from connectors.datasets import DATASETS
from connectors.pipeline import ingest_file
from connectors.readers import Format
from connectors.refused import FileRefused
from connectors.report import RunReport
from schema.datasets import DATASETS_IN_LOAD_ORDER
from schema.departments import default_departments
from schema.store import QueryStore

CountyProgress = Callable[[str, int], None]  # (dataset, rows read so far)


async def load_county(
    store: QueryStore,
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
