"""The GraphQL IDE at `GET /graphql`, served entirely by the hub: no CDN, works offline.

GraphiQL's built files (and React) come from the PyPI package
`graphene-django-graphiql-static`, used as a plain data package: only its static files are
read, nothing of it is imported (it has no dependencies; Django is not needed). The page
loads them from `/graphql/ide/<file>` and opens one tab per example query.
"""

from __future__ import annotations

import html
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Final

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from hub.graphql.examples import EXAMPLES

ASSET_PACKAGE: Final = "graphene_django_graphiql_static"
ASSET_PATH: Final = "/graphql/ide"
STYLESHEETS: Final = ("graphiql.min.css",)
SCRIPTS: Final = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js")
MEDIA_TYPES: Final = {".js": "text/javascript", ".css": "text/css"}
CACHE_SECONDS: Final = 24 * 3600

_BOOT: Final = """
const tabs = JSON.parse(document.getElementById("examples").textContent);
const fetcher = GraphiQL.createFetcher({ url: "/graphql" });
ReactDOM.render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultTabs: tabs,
    defaultHeaders: '{"Authorization": "Bearer <token: hub token issue --role ...>"}',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: "headers",
  }),
  document.getElementById("graphiql"),
);
"""


@cache
def asset_dir() -> Path | None:
    """Where the package keeps GraphiQL's files, or None when it is not installed."""
    spec = importlib.util.find_spec(ASSET_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "static" / ASSET_PACKAGE
    return folder if folder.is_dir() else None


def page() -> str:
    tabs = [
        {"query": example.query, "variables": example.variables or None} for example in EXAMPLES
    ]
    # Inside <script>, "</" would end the element: JSON's \u003c escape keeps it inert.
    tabs_json = json.dumps(tabs, ensure_ascii=False).replace("<", "\\u003c")
    links = "".join(
        f'<link rel="stylesheet" href="{ASSET_PATH}/{html.escape(name)}">' for name in STYLESHEETS
    )
    scripts = "".join(f'<script src="{ASSET_PATH}/{html.escape(n)}"></script>' for n in SCRIPTS)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        "<title>hub GraphQL</title>"
        "<style>html,body,#graphiql{height:100%;margin:0;overflow:hidden;width:100%}</style>"
        f'{links}{scripts}</head><body><div id="graphiql">Loading…</div>'
        f'<script type="application/json" id="examples">{tabs_json}</script>'
        f"<script>{_BOOT}</script></body></html>"
    )


def render() -> Response:
    if asset_dir() is None:
        return PlainTextResponse(
            f"The GraphQL IDE needs the Python package {ASSET_PACKAGE.replace('_', '-')} "
            "(GraphiQL's files): pip install it, or POST queries to /graphql.",
            status_code=503,
        )
    return HTMLResponse(page())


async def asset(request: Request) -> Response:
    """One of GraphiQL's files; only the names the page uses are served."""
    name = request.path_params["name"]
    folder = asset_dir()
    if folder is None or name not in (*STYLESHEETS, *SCRIPTS):
        return PlainTextResponse("not found", status_code=404)
    return FileResponse(
        folder / name,
        media_type=MEDIA_TYPES[Path(name).suffix],
        headers={"Cache-Control": f"public, max-age={CACHE_SECONDS}"},
    )
