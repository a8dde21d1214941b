"""A real hub for the GraphQL tests: a generated county loaded through the connectors into a
graph on the session's embedded store, served by uvicorn on 127.0.0.1 in a background
thread with its own event loop. Tokens come from the hub's own issuer.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from connectors import load_county
from hub.queries import load_queries
from hub.security.principal import Role
from hub.security.tokens import issue_token, load_secret_key
from hub.settings import Settings
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from seed.county import generate_county
from seed.manifest import CountyManifest
from tests.conftest import drop_graph
from tests.serving import serving

COUNTY_PERSONS = 3_000
COUNTY_SEED = 7


@dataclass
class Hub:
    """The running hub: its URL, app, settings and the county it serves."""

    url: str
    app: Starlette
    settings: Settings
    manifest: CountyManifest
    county: Path  # the generated department files
    graph: str
    secret: bytes

    def token(
        self,
        role: Role,
        subject: str,
        department: str | None = None,
        ttl: timedelta = timedelta(hours=1),
    ) -> str:
        return issue_token(self.secret, role=role, subject=subject, department=department, ttl=ttl)

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        client: httpx.Client | None = None,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = {"query": query, "variables": variables or {}}
        send = client.post if client else httpx.post
        response = send(f"{self.url}/graphql", json=body, headers=headers, timeout=60)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    @property
    def officer(self) -> str:
        return self.token("officer", self.manifest.scenarios.officer_id)

    @property
    def auditor(self) -> str:
        return self.token("auditor", "audit-office-1")

    @property
    def admin(self) -> str:
        return self.token("admin", "operator-1")

    def department(self, code: str = "other") -> str:
        return self.token("department", f"{code}-system", code)

    def publish(self, dataset: str, csv_text: str, department: str = "court") -> dict[str, Any]:
        """A department publishes rows through POST /ingest, as its export job would; the
        run report."""
        response = httpx.post(
            f"{self.url}/ingest/{dataset}",
            content=csv_text.encode("utf-8"),
            headers={
                "Authorization": f"Bearer {self.department(department)}",
                "Content-Type": "text/csv",
            },
            timeout=60,
        )
        assert response.status_code == 200, response.text
        report: dict[str, Any] = response.json()
        return report

    def store_queries(self) -> float:
        """Queries the hub has sent to the graph store so far (all names)."""
        text = httpx.get(f"{self.url}/metrics", timeout=10).text
        return sum(
            float(line.rpartition(" ")[2])
            for line in text.splitlines()
            if line.startswith("hub_store_queries_total{")
            and 'query="audit_checkpoint_add"' not in line  # a background task's, no request's
        )

    def metric(self, name: str, **labels: str) -> float:
        """A Prometheus sample from /metrics (0 when absent)."""
        text = httpx.get(f"{self.url}/metrics", timeout=10).text
        wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        for line in text.splitlines():
            if not line.startswith(name + "{"):
                continue
            labels_text, _, value = line[len(name) + 1 :].rpartition("} ")
            found = ",".join(sorted(labels_text.split(",")))
            if found == wanted:
                return float(value)
        return 0.0


def _load(store_address: EmbeddedServer, graph: str, county: Path, data_dir: Path) -> None:
    async def load() -> None:
        assert store_address.address
        store = FalkorDBStore.connect(
            load_queries("falkordb"),
            graph,
            unix_socket=store_address.address.unix_socket,
            port=store_address.address.port or 0,
        )
        try:
            await apply_schema(store)
            await load_county(store, county, data_dir=data_dir)
        finally:
            await store.close()

    asyncio.run(load())


@pytest.fixture(scope="session")
def hub(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, embedded_server: EmbeddedServer
) -> Iterator[Hub]:
    county = tmp_path_factory.mktemp("county")
    manifest = generate_county(county, persons=COUNTY_PERSONS, seed=COUNTY_SEED)
    graph = f"gql_{uuid.uuid4().hex[:10]}"
    _load(embedded_server, graph, county, data_dir)

    settings = Settings(graph_uri="embedded", data_dir=data_dir, graph_database=graph)
    try:
        with serving(settings) as (url, app):
            yield Hub(
                url=url,
                app=app,
                settings=settings,
                manifest=manifest,
                county=county,
                graph=graph,
                secret=load_secret_key(settings),
            )
    finally:
        drop_graph("falkordb", embedded_server, graph)


def dump(answer: dict[str, Any]) -> str:
    return json.dumps(answer, ensure_ascii=False, indent=1)
