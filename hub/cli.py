"""The `hub` command line: each command configures logging and calls one function."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from hub.settings import get_settings

app = typer.Typer(help="Court-government enforcement data hub (府院联动).", no_args_is_help=True)
db_app = typer.Typer(help="Graph store administration.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Load the bundled synthetic county when the graph is empty."),
    ] = False,
) -> None:
    """Start the API (and the embedded graph store when no graph is configured)."""
    import uvicorn

    from hub.app import create_app

    _logging()
    settings = get_settings()
    uvicorn.run(create_app(settings, demo=demo), host=host, port=port, log_level="info")


@db_app.command("init")
def db_init() -> None:
    """Create the graph's constraints and indexes (safe to run again)."""
    from hub.store import open_store
    from hub.store.schema import apply_schema

    _logging()

    async def run() -> list[str]:
        store = open_store(get_settings())
        try:
            return await apply_schema(store)
        finally:
            await store.close()

    done = asyncio.run(run())
    typer.echo(f"schema in place: {len(done)} constraints and indexes checked")
