"""`hub db …`: graph store administration."""

from __future__ import annotations

import typer

from hub.cli.common import run_with_store, setup_logging
from hub.store.schema import apply_schema

app = typer.Typer(help="Graph store administration.", no_args_is_help=True)


@app.command("init")
def init() -> None:
    """Create the graph's constraints and indexes (safe to run again)."""
    setup_logging()
    done = run_with_store(apply_schema)
    typer.echo(f"schema in place: {len(done)} constraints and indexes checked")
