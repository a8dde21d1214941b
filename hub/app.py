"""The Starlette application: `create_app()` and the lifespan that opens the store.

The request path (auth, policy, audit, GraphQL) follows hub/security/CONTRACT.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors import load_demo_county
from hub.departments import load_departments
from hub.graphql import audited_doors
from hub.graphql import routes as graphql_routes
from hub.ingest_api import ingest, recover_ingest, rejects
from hub.measures import load_measures
from hub.security.audit import AuditLog
from hub.security.body_limit import BodySizeLimit
from hub.security.gate import EveryRequestRecorded
from hub.security.limits import RateLimiter
from hub.security.request_log import REQUEST_ID_HEADER, RequestLog
from hub.security.tokens import TokenVerifier
from hub.settings import Settings, get_settings
from hub.store import GraphStore, open_store
from hub.store.schema import apply_audit_schema, apply_schema

log = logging.getLogger(__name__)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    store: GraphStore = request.app.state.store
    if not await store.ping():
        return JSONResponse({"status": "unavailable", "reason": "graph store unreachable"}, 503)
    if not request.app.state.schema_ready:
        return JSONResponse({"status": "unavailable", "reason": "schema not in place"}, 503)
    return JSONResponse({"status": "ready", "engine": store.engine})


async def metrics(request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def create_app(
    settings: Settings | None = None, store: GraphStore | None = None, *, demo: bool = False
) -> Starlette:
    """Build the app; with no `store` given, the lifespan opens (and closes) the configured one."""
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = store is None
        app.state.settings = settings
        app.state.departments = load_departments(settings.departments_file)
        app.state.verifier = TokenVerifier(settings, app.state.departments)
        app.state.limiter = RateLimiter()
        app.state.store = store or await asyncio.to_thread(open_store, settings)
        app.state.audit = AuditLog(app.state.store.audit_store(), settings)  # see its docs
        app.state.measures = load_measures()  # the joint-punishment catalogue
        app.state.schema_ready = False
        try:
            await apply_schema(app.state.store)
            await apply_audit_schema(app.state.store)
            # Stray uploads and runs of a hub that was killed mid-call.
            await recover_ingest(app.state.store, settings.data_dir, app.state.audit)
            app.state.schema_ready = True
            if demo:  # hub serve --demo: a synthetic county, loaded when the graph is empty
                await load_demo_county(app.state.store, settings.data_dir)
            # What start-up made lives as long as the process: the collector need not look at
            # it again. A 1,000-subject creditCheck allocates enough to set off a full
            # collection every few requests, and these walked every object of the process:
            # 12 ms a request, a quarter of the hub's CPU for it. Start-up's garbage is
            # collected first, so that none of it is kept for good.
            gc.collect()
            gc.freeze()
            yield
        finally:
            await app.state.audit.close()  # signs what is not signed yet
            if owned:
                await app.state.store.close()

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        Route("/ingest/runs/{run_id}/rejects", rejects, methods=["GET"]),
        Route("/ingest/{dataset}", ingest, methods=["POST"]),
        *graphql_routes(settings),
    ]
    middleware = [
        Middleware(RequestLog),
        # Every request to a door leaves an audit record before its answer (hub.security.gate).
        Middleware(EveryRequestRecorded, doors=audited_doors()),
        # Closed unless HUB_CORS_ORIGINS lists origins: browsers elsewhere get no access.
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
        ),
        Middleware(
            BodySizeLimit,
            default=settings.max_request_bytes,
            limits={"/ingest/": settings.max_ingest_bytes},
        ),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
