"""What every resolver gets: the app's services and the facts of this one request."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import State
from starlette.requests import Request

from hub.departments import Department
from hub.measures import Measure
from hub.security.audit import AuditLog
from hub.security.limits import RateLimiter
from hub.security.principal import Principal
from hub.security.tokens import AuthError, TokenVerifier
from hub.settings import Settings
from hub.store import GraphStore


@dataclass(frozen=True)
class Services:
    """Long-lived objects the app builds at start-up (hub/app.py) and every request shares."""

    store: GraphStore
    settings: Settings
    departments: Mapping[str, Department]
    audit: AuditLog
    verifier: TokenVerifier
    limiter: RateLimiter
    measures: tuple[Measure, ...]

    @classmethod
    def of(cls, state: State) -> Services:
        return cls(
            store=state.store,
            settings=state.settings,
            departments=state.departments,
            audit=state.audit,
            verifier=state.verifier,
            limiter=state.limiter,
            measures=state.measures,
        )


@dataclass
class Context:
    services: Services
    authorization: str | None
    client_address: str | None
    request_id: str
    audited: bool = False  # set once an audit record was written for this request
    _principal: Principal | AuthError | None = None

    @classmethod
    def of(cls, request: Request, services: Services) -> Context:
        request_id = getattr(request.state, "request_id", None)  # set by RequestLog
        return cls(
            services=services,
            authorization=request.headers.get("authorization"),
            client_address=request.client.host if request.client else None,
            request_id=request_id or uuid.uuid4().hex,
        )

    @property
    def store(self) -> GraphStore:
        return self.services.store

    async def principal(self) -> Principal:
        """The caller, verified once per request; raises AuthError."""
        if self._principal is None:
            try:
                self._principal = await self.services.verifier.verify(self.authorization)
            except AuthError as error:
                self._principal = error
        if isinstance(self._principal, AuthError):
            raise self._principal
        return self._principal
