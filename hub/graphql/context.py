"""What every resolver gets: the app's services and the facts of this one request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import State

from hub.security.audit import AuditLog
from hub.security.gate import Gate, Visit
from hub.security.limits import RateLimiter
from hub.security.policy import Purpose
from hub.security.principal import Principal
from hub.security.tokens import TokenVerifier
from hub.settings import Settings
from hub.store import GraphStore
from schema.departments import Department
from schema.measures import Measure


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
    gate: Gate  # of these same services

    @classmethod
    def of(cls, state: State, gate: Gate | None = None) -> Services:
        return cls(
            store=state.store,
            settings=state.settings,
            departments=state.departments,
            audit=state.audit,
            verifier=state.verifier,
            limiter=state.limiter,
            measures=state.measures,
            gate=gate or Gate.of(state),
        )


@dataclass
class Context:
    services: Services
    visit: Visit  # this request at the /graphql door: its facts and its audit records
    # In the context one operation runs with (`hub.graphql.guard`): the purpose check its
    # first query carries, when the policy leaves it to that query (`policy.Purpose`).
    purpose: Purpose | None = None

    @property
    def store(self) -> GraphStore:
        return self.services.store

    @property
    def gate(self) -> Gate:
        return self.services.gate

    @property
    def request_id(self) -> str:
        return self.visit.request_id

    @property
    def client_address(self) -> str | None:
        return self.visit.client_address

    async def principal(self) -> Principal:
        """The caller, verified once per request; raises AuthError."""
        return await self.visit.caller(self.services.verifier)
