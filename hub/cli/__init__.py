"""The `hub` command line. One module per command group; each command configures
logging and calls one function."""

from __future__ import annotations

import typer

from hub.cli import audit, db, ingest, seed, serve, token

app = typer.Typer(
    help="Court-government enforcement data hub (府院联动).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command()(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(token.app, name="token")
app.add_typer(audit.app, name="audit")
app.command()(ingest.ingest)
app.command()(ingest.runs)
app.add_typer(seed.app, name="seed")
