"""`hub db …`: graph store administration."""

from __future__ import annotations

import typer

from hub.cli.common import run_with_store, setup_logging
from hub.security.audit.migrate import migrate_audit_head
from hub.store import GraphStore
from hub.store.schema import apply_audit_schema, apply_schema

app = typer.Typer(help="Graph store administration.", no_args_is_help=True)


@app.command("init")
def init() -> None:
    """Create the graph's constraints and indexes, and the audit log's (safe to run again)."""
    setup_logging()

    async def work(store: GraphStore) -> list[str]:
        done = await apply_schema(store) + await apply_audit_schema(store)
        return done + await migrate_audit_head(store.audit_store())

    done = run_with_store(work)
    typer.echo(f"schema in place: {len(done)} constraints and indexes checked")
