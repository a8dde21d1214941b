"""The web console's server side: sign-in sessions and the built console's pages.

The console reads and writes only through the GraphQL operations, so policy, masking and
audit are the API's own; what lives here is how a browser signs in and holds a session
(hub.console.sessions), `GET /` with the console's assets (hub.console.pages), and the PDF
of the asset-search report (hub.console.report_pdf), read through /graphql as the caller.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from hub.security.gate import Render, render_plain


def routes() -> list[BaseRoute]:
    from hub.console import oidc, pages
    from hub.console.report_pdf import asset_report_pdf
    from hub.console.sessions import sign_in

    return [
        Route("/session", sign_in, methods=["POST"]),
        # GET and DELETE: a provider session's in hub.console.oidc, an account's in sessions
        Route("/session", oidc.session_info, methods=["GET"]),
        Route("/session", oidc.sign_out, methods=["DELETE"]),
        # Sign-in through an OpenID Connect provider, when one is configured
        Route("/session/sign-in-methods", oidc.sign_in_methods, methods=["GET"]),
        Route("/session/oidc", oidc.begin, methods=["GET"]),
        Route("/session/oidc/callback", oidc.callback, methods=["GET"], name="oidc_callback"),
        # The 财产查控报告 as PDF: read through /graphql as the caller (its reads are audited).
        Route("/console/report.pdf", asset_report_pdf, methods=["GET"]),
        *pages.routes(),
    ]


def audited_doors() -> dict[str, tuple[str, Render]]:
    """The console's doors, for `hub.security.gate.EveryRequestRecorded`."""
    from hub.console.sessions import DOOR

    return {
        "/session": (DOOR, render_plain),
        "/session/oidc": (DOOR, render_plain),
        "/session/oidc/": (DOOR, render_plain),
    }
