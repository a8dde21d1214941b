"""The Starlette application: `create_app()` and the lifespan that opens the store.

The request path (auth, policy, audit, GraphQL) follows hub/security/CONTRACT.md.

Start-up can bind first (`hub serve`): the store is opened, the schema applied and the
demo county loaded in the background while `/healthz` answers 200 and `/readyz` 503 with
`{"status": "loading", "progress": …}`. Until the hub is ready, and whenever the store is
known to be down (an embedded server being restarted or given up on), `Readiness` answers
`/graphql` and `/ingest` with 503, `Retry-After` and code UNAVAILABLE before any handler
runs: nothing is read, so there is nothing to audit (the audit log lives in that store).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from hub import console
from hub.audit_api import audit_export
from hub.control.measures import expire_periodically
from hub.control_api import AUDITED_DOORS as CONTROL_DOORS
from hub.control_api import control_answers_file, control_requests_file
from hub.graphql import audited_doors
from hub.graphql import routes as graphql_routes
from hub.ingest_api import DOOR as INGEST_DOOR
from hub.ingest_api import ingest, recover_ingest, rejects
from hub.security.audit import AuditLog
from hub.security.audit.migrate import migrate_audit_head
from hub.security.body_limit import BodySizeLimit
from hub.security.gate import EveryRequestRecorded, render_plain
from hub.security.limits import RateLimiter
from hub.security.request_log import REQUEST_ID_HEADER, RequestLog
from hub.security.tokens import TokenVerifier
from hub.settings import STARTUP_FAILED_RETRY_S, STORE_RETRY_AFTER_S, Settings, get_settings
from hub.store import GraphStore, StoreUnavailable, open_store
from hub.store.schema import apply_audit_schema, apply_schema
from schema.datasets import DATASETS_IN_LOAD_ORDER
from schema.departments import load_departments
from schema.measures import load_measures

log = logging.getLogger(__name__)


class DemoLoader(Protocol):
    """Loads a county into an empty graph: `hub serve --demo` passes hub/cli/demo.py's."""

    def __call__(
        self, store: GraphStore, data_dir: Path, *, progress: Callable[[str, int], None]
    ) -> Awaitable[object]: ...


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


@dataclass
class Loading:
    """How far start-up has got, for `/readyz` while the hub is not ready yet."""

    phase: str = "opening the graph store"
    datasets_total: int = 0
    rows_by_dataset: dict[str, int] = field(default_factory=dict)

    def loaded(self, dataset: str, rows: int) -> None:
        """The connectors' progress callback: `rows` read so far of `dataset`."""
        self.rows_by_dataset[dataset] = rows

    def as_dict(self) -> dict[str, Any]:
        progress: dict[str, Any] = {"phase": self.phase}
        if self.datasets_total:
            progress["datasets"] = (
                f"{max(0, len(self.rows_by_dataset) - 1)} of {self.datasets_total}"
            )
            progress["dataset"] = next(reversed(self.rows_by_dataset), None)
            progress["rows"] = sum(self.rows_by_dataset.values())
        return progress


def not_ready(state: Any) -> StoreUnavailable | None:
    """Why requests cannot be served now (still starting, or the store is down), else None.
    The message is the caller's: the details are in the log and in /readyz."""
    if getattr(state, "startup_error", None):
        return StoreUnavailable("the hub could not start; see its log", STARTUP_FAILED_RETRY_S)
    if not getattr(state, "ready", False):
        loading: Loading = state.loading
        return StoreUnavailable(f"the hub is starting ({loading.phase})", STORE_RETRY_AFTER_S)
    store: GraphStore = state.store
    down = store.unavailable()
    if down is None:
        return None
    return StoreUnavailable("the graph store is restarting or unreachable", down.retry_after)


def retry_after(down: StoreUnavailable) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(down.retry_after)))}


async def readyz(request: Request) -> Response:
    state = request.app.state
    if state.startup_error:
        body = {"status": "failed", "reason": state.startup_error}
        return JSONResponse(body, 503)
    if not state.ready:
        body = {"status": "loading", "progress": state.loading.as_dict()}
        return JSONResponse(body, 503, headers={"Retry-After": str(STORE_RETRY_AFTER_S)})
    store: GraphStore = state.store
    down = store.unavailable()
    if down is not None:
        body = {"status": "unavailable", "reason": str(down)}
        return JSONResponse(body, 503, headers=retry_after(down))
    if not await store.ping():
        return JSONResponse({"status": "unavailable", "reason": "graph store unreachable"}, 503)
    return JSONResponse({"status": "ready", "engine": store.engine})


class Readiness:
    """Answers `/graphql` (POST) and `/ingest/…` with 503 UNAVAILABLE while `not_ready`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _gated(scope):
            down = not_ready(scope["app"].state)
            if down is not None:
                await _unavailable(scope, down)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _gated(scope: Scope) -> bool:
    path: str = scope["path"]
    return path.startswith("/ingest/") or (path == "/graphql" and scope["method"] == "POST")


def _unavailable(scope: Scope, down: StoreUnavailable) -> Response:
    headers = retry_after(down)
    message = f"{down}; try again in {headers['Retry-After']} s"
    if scope["path"].startswith("/ingest/"):
        return JSONResponse({"error": message}, 503, headers=headers)
    request_id = scope.get("state", {}).get("request_id")
    extensions = {"code": "UNAVAILABLE", "retryAfter": down.retry_after, "requestId": request_id}
    body = {"data": None, "errors": [{"message": message, "extensions": extensions}]}
    return Response(json.dumps(body), 503, headers, "application/json")


async def metrics(request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def create_app(
    settings: Settings | None = None,
    store: GraphStore | None = None,
    *,
    demo: DemoLoader | None = None,
    bind_first: bool = False,
) -> Starlette:
    """Build the app; with no `store` given, the lifespan opens (and closes) the configured one.

    With `bind_first` the lifespan returns at once (the server starts listening) and the
    store, schema and demo county are prepared in the background; otherwise start-up waits
    for them and fails with them. `demo` loads a county into an empty graph once the schema
    is in place (`hub serve --demo`: hub/cli/demo.py)."""
    settings = settings or get_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.departments = load_departments(settings.departments_file)
        app.state.verifier = TokenVerifier(settings, app.state.departments)
        app.state.limiter = RateLimiter.from_settings(settings)
        app.state.measures = load_measures()  # the joint-punishment catalogue
        app.state.store = store
        app.state.ready = False
        app.state.schema_ready = False
        app.state.startup_error = None
        app.state.loading = Loading()
        preparing = asyncio.create_task(_prepare(app))
        try:
            if not bind_first:
                await preparing
            yield
        finally:
            if not preparing.done():
                preparing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await preparing
            expiry = getattr(app.state, "control_expiry", None)
            if expiry is not None:
                expiry.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await expiry
            audit = getattr(app.state, "audit", None)
            if audit is not None:
                await audit.close()  # signs what is not signed yet
            if store is None and app.state.store is not None:
                await app.state.store.close()

    async def _prepare(app: Starlette) -> None:
        """Open the store, put the schema in place, load the demo county; then ready."""
        loading: Loading = app.state.loading
        try:
            if app.state.store is None:
                app.state.store = await asyncio.to_thread(open_store, settings)
            app.state.audit = AuditLog(app.state.store.audit_store(), settings)  # see its docs
            loading.phase = "applying the graph schema"
            await apply_schema(app.state.store)
            await apply_audit_schema(app.state.store)
            # What `hub db init` does, so that an upgraded hub records from its first request.
            await migrate_audit_head(app.state.store.audit_store())
            # Stray uploads and runs of a hub that was killed mid-call.
            await recover_ingest(app.state.store, settings.data_dir, app.state.audit)
            app.state.schema_ready = True
            if demo is not None:  # hub serve --demo: a synthetic county, for an empty graph
                loading.phase = "loading the demo county"
                loading.datasets_total = len(DATASETS_IN_LOAD_ORDER)
                await demo(app.state.store, settings.data_dir, progress=loading.loaded)
        except Exception as error:
            if not bind_first:
                raise
            log.critical("the hub could not start", exc_info=True)
            app.state.startup_error = f"{type(error).__name__}: {error}"
            return
        # What start-up made lives as long as the process: the collector need not look at
        # it again. A 1,000-subject creditCheck allocates enough to set off a full
        # collection every few requests, and these walked every object of the process:
        # 12 ms a request, a quarter of the hub's CPU for it. Start-up's garbage is
        # collected first, so that none of it is kept for good.
        gc.collect()
        gc.freeze()
        app.state.ready = True
        log.info("the hub is ready")
        # Control measures whose term has ended lapse (docs/control.md): at once, then hourly.
        app.state.control_expiry = asyncio.create_task(
            expire_periodically(app.state.store, settings.expiry_notice_days)
        )

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        Route("/ingest/runs/{run_id}/rejects", rejects, methods=["GET"]),
        Route("/audit/export", audit_export, methods=["GET"]),
        Route("/ingest/{dataset}", ingest, methods=["POST"]),
        Route("/control/requests", control_requests_file, methods=["GET"]),
        Route("/control/answers", control_answers_file, methods=["POST"]),
        *graphql_routes(settings),
        *console.routes(),
    ]
    middleware = [
        Middleware(RequestLog),
        # Closed unless HUB_CORS_ORIGINS lists origins: browsers elsewhere get no access.
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
        ),
        # Still starting, or the store is down: 503 before the doors (nothing to record it in).
        Middleware(Readiness),
        # Every request to a door leaves an audit record before its answer (hub.security.gate).
        Middleware(
            EveryRequestRecorded,
            doors={
                **audited_doors(),
                **console.audited_doors(),
                **CONTROL_DOORS,
                "/ingest/": (INGEST_DOOR, render_plain),
            },
        ),
        Middleware(
            BodySizeLimit,
            default=settings.max_request_bytes,
            limits={"/ingest/": settings.max_ingest_bytes},
        ),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
