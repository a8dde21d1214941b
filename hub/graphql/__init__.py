"""The GraphQL API at /graphql (strawberry): one module per capability, one guard for all.

`routes(settings)` gives the Starlette routes: the endpoint (HTTP, and WebSocket for the
alerts subscription) and the IDE's offline assets.
The schema is exported to `schema/schema.graphql` by `python -m hub.graphql.export_sdl`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route, WebSocketRoute

from hub.security.gate import Render
from hub.settings import Settings

__all__ = ["audited_doors", "routes"]


def routes(settings: Settings) -> list[BaseRoute]:
    from hub.graphql import ide
    from hub.graphql.view import HubGraphQL

    view = HubGraphQL(settings)
    return [
        Route("/graphql", view, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", view),  # the alerts subscription (graphql-transport-ws)
        Route(f"{ide.ASSET_PATH}/{{name}}", ide.asset, methods=["GET"]),
    ]


def audited_doors() -> dict[str, tuple[str, Render]]:
    """The GraphQL door, for `hub.security.gate.EveryRequestRecorded`: its path, its name
    in the audit log, and how it answers a refusal."""
    from hub.graphql.view import DOOR, render_refusal

    return {"/graphql": (DOOR, render_refusal)}
