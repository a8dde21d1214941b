"""What security tests (and the GraphQL role matrix) share: tokens, an app client, CLI runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr

from hub.app import create_app
from hub.security.principal import Role
from hub.security.tokens import issue_token
from hub.settings import Settings
from hub.store import GraphStore

TEST_SECRET = "test-secret-key-of-at-least-32-characters"
OFFICER = "fy0821-001"
OTHER_OFFICER = "fy0821-002"


def token(
    role: Role,
    subject: str = OFFICER,
    department: str | None = None,
    ttl: timedelta = timedelta(hours=1),
) -> str:
    return issue_token(
        TEST_SECRET.encode(), role=role, subject=subject, department=department, ttl=ttl
    )


def bearer(role: Role, subject: str = OFFICER, department: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, subject, department)}"}


def with_test_secret(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update={"secret_key": SecretStr(TEST_SECRET), **changes})


@asynccontextmanager
async def app_client(settings: Settings, store: GraphStore) -> AsyncIterator[httpx.AsyncClient]:
    """The real app on `store`, lifespan included, driven in this event loop."""
    app = create_app(settings, store)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("10.0.0.7", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
            yield client


def hub_env(settings: Settings) -> dict[str, str]:
    """The environment of a `hub` process configured like `settings`, and nothing else."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env |= {"HUB_GRAPH_URI": settings.graph_uri, "HUB_DATA_DIR": str(settings.data_dir)}
    if settings.graph_database:  # unset, each engine's own default (never 'hub' on Neo4j)
        env["HUB_GRAPH_DATABASE"] = settings.graph_database
    if settings.graph_user:
        env["HUB_GRAPH_USER"] = settings.graph_user
    if settings.graph_password:
        env["HUB_GRAPH_PASSWORD"] = settings.graph_password.get_secret_value()
    if settings.secret_key:
        env["HUB_SECRET_KEY"] = settings.secret_key.get_secret_value()
    return env


def run_hub(settings: Settings, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the `hub` command line in its own process, configured like `settings`."""
    command = [sys.executable, "-c", "from hub.cli import app; app()", *args]
    return subprocess.run(
        command, env=hub_env(settings), cwd=cwd, capture_output=True, text=True, timeout=120
    )
