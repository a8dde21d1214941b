"""`hub db …`: graph store administration."""

from __future__ import annotations

import typer

from hub.cli.common import is_data_dir, run_with_store, setup_logging, use_data_dir
from hub.security.audit.migrate import migrate_audit_head
from hub.settings import get_settings
from hub.store import GraphStore
from hub.store.schema import apply_audit_schema, apply_schema

app = typer.Typer(help="Graph store administration.", no_args_is_help=True)


@app.command("init")
def init() -> None:
    """Create the graph's constraints and indexes, and the audit log's (safe to run again).

    Creates the data directory (HUB_DATA_DIR, default ./var) when there is none.
    """
    setup_logging()
    settings = get_settings()
    new = not is_data_dir(settings.data_dir.resolve())
    where = use_data_dir(settings, create=True)

    async def work(store: GraphStore) -> list[str]:
        done = await apply_schema(store) + await apply_audit_schema(store)
        return done + await migrate_audit_head(store.audit_store())

    done = run_with_store(work, init=True)
    typer.echo(f"{'created a new' if new else 'using the'} data directory {where}")
    typer.echo(f"schema in place: {len(done)} constraints and indexes checked")
