"""The `hub` command line. One module per command group; each command configures
logging and calls one function."""

from __future__ import annotations

import typer

from hub.cli import db, serve

app = typer.Typer(
    help="Court-government enforcement data hub (府院联动).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command()(serve.serve)
app.add_typer(db.app, name="db")
