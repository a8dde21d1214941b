"""Fixtures for connector tests: `load` writes a file and runs a connector on it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, Protocol

import pytest

from connectors import RunReport, ingest_file
from hub.store import GraphStore
from schema.departments import Department, default_departments
from tests.connectors.helpers import write_file


class Load(Protocol):
    def __call__(
        self,
        dataset: str,
        content: str | bytes | Path,
        *,
        suffix: str = ".csv",
        file_encoding: str = "utf-8",
        department: Department | None = None,
        **options: Any,
    ) -> Awaitable[RunReport]: ...


@pytest.fixture
def runs_dir(tmp_path: Path) -> Path:
    """The data directory a test's runs keep their reports and rejects in."""
    return tmp_path / "var"


@pytest.fixture
def load(store: GraphStore, tmp_path: Path, runs_dir: Path) -> Load:
    """Write `content` to a file named after the dataset and load it through `ingest_file`."""
    counter = iter(range(1_000_000))

    async def run(
        dataset: str,
        content: str | bytes | Path,
        *,
        suffix: str = ".csv",
        file_encoding: str = "utf-8",
        department: Department | None = None,
        **options: Any,
    ) -> RunReport:
        if isinstance(content, Path):
            path = content
        else:
            name = tmp_path / f"{next(counter)}-{dataset}{suffix}"
            path = await asyncio.to_thread(write_file, name, content, file_encoding)
        publisher = department or default_departments()[dataset.split(".")[0]]
        return await ingest_file(store, dataset, path, publisher, data_dir=runs_dir, **options)

    return run
