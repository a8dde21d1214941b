"""The `hub` command line. One module per command group; each command configures
logging and calls one function."""

from __future__ import annotations

import os

import typer

from hub.cli import audit, control, db, ingest, ingest_initial, seed, serve, token, user
from hub.cli.common import private_files

app = typer.Typer(
    help="Court-government enforcement data hub (府院联动).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _private(ctx: typer.Context) -> None:
    """Whatever a command creates (and the embedded store it starts) is owner-only."""
    previous = private_files()
    ctx.call_on_close(lambda: os.umask(previous))  # for in-process runs (tests)


app.command()(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(token.app, name="token")
app.add_typer(user.app, name="user")
app.add_typer(audit.app, name="audit")
app.add_typer(control.app, name="control")
app.command()(ingest.ingest)
app.command()(ingest.runs)
app.command("ingest-initial")(ingest_initial.ingest_initial)
app.add_typer(seed.app, name="seed")
