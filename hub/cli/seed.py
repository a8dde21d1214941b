"""`hub seed …`: the synthetic county, written as department files."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, TaskID, TextColumn, TimeElapsedColumn

from hub.cli.common import fail, setup_logging
from seed.writers import Progress as SeedProgress

app = typer.Typer(help="Synthetic county data.", no_args_is_help=True)


class FileFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    xlsx = "xlsx"


@app.command("generate")
def generate(
    out: Annotated[Path, typer.Option(help="Directory to write the files into.")],
    persons: Annotated[int, typer.Option(help="Persons in the county.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same files.")] = 0,
    fmt: Annotated[FileFormat, typer.Option("--format", help="File format.")] = FileFormat.csv,
) -> None:
    """Write a synthetic county as department files (DATA-EXCHANGE.md) plus manifest.json."""
    from seed.county import generate_county

    setup_logging(data_dir=False)  # writes department files to --out, nothing else
    with _dataset_progress(enabled=sys.stdout.isatty()) as progress:
        try:
            manifest = generate_county(out, persons, seed, fmt=fmt.value, progress=progress)
        except ValueError as error:
            fail(str(error))
    for dataset, rows in manifest.row_counts.items():
        typer.echo(f"{dataset:<17} {rows:>10,} rows  {out / f'{dataset}.{fmt.value}'}")
    typer.echo(f"{'total':<17} {sum(manifest.row_counts.values()):>10,} rows")


@contextmanager
def _dataset_progress(*, enabled: bool) -> Iterator[SeedProgress | None]:
    """One line per dataset with its rows written so far, on a terminal; nothing otherwise."""
    if not enabled:
        yield None
        return
    columns = (TextColumn("{task.description:<17}"), TextColumn("{task.completed:>10,} rows"))
    with Progress(*columns, TimeElapsedColumn()) as bar:
        tasks: dict[str, TaskID] = {}

        def update(dataset: str, rows: int) -> None:
            if dataset not in tasks:
                tasks[dataset] = bar.add_task(dataset, total=None)
            bar.update(tasks[dataset], completed=rows)

        yield update
