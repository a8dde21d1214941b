"""`hub serve`: the API server."""

from __future__ import annotations

from typing import Annotated

import typer

from hub.cli.common import setup_logging, use_data_dir
from hub.settings import get_settings


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Load the bundled synthetic county when the graph is empty."),
    ] = False,
) -> None:
    """Start the API; with no graph configured, start the embedded graph store too."""
    import uvicorn

    from hub.app import create_app
    from hub.cli.demo import load_demo_county
    from hub.console.welcome import startup_message

    setup_logging()
    use_data_dir(get_settings(), create=True)
    # No access log: query strings can carry identifiers; hub.requests logs request ids instead.
    app = create_app(  # binds first: /readyz tells the loading
        get_settings(), demo=load_demo_county if demo else None, bind_first=True
    )
    typer.echo(startup_message(host, port, demo=demo))
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
    )
