"""The browser tests' hub and browser: the GraphQL tests' real hub (a generated county,
served by uvicorn on a free loopback port) and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from hub.console.pages import DIST
from hub.queries import load_queries
from hub.security.accounts import Accounts
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from tests.console.browsing import PASSWORD, Visit
from tests.graphql.conftest import Hub
from tests.graphql.conftest import hub as hub  # the fixture, shared with the GraphQL tests

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "sudo apt-get install --no-install-recommends chromium fonts-noto-cjk"


def chromium_installable() -> bool:
    """`make test` installs Chromium itself when it runs as root on Debian."""
    return os.geteuid() == 0 and Path("/etc/debian_version").exists()


# Per module: sync Playwright runs an event loop in this thread while it is open, which the
# asyncio tests of other modules could not run beside.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if chromium_installable():
            pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs it (`make test` does)")
        pytest.skip(f"the browser tests need Debian's Chromium at {CHROMIUM}: {INSTALL}")
    if not (DIST / "index.html").is_file():
        pytest.fail(f"the console is not built ({DIST}): run `make install`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def add_account(
    hub: Hub,
    server: EmbeddedServer,
    name: str,
    subject: str,
    password: str,
    role: str = "officer",
    department: str | None = None,
) -> None:
    """A console account (an officer's unless `role` says), as `hub user add` makes it, in
    the hub's graph."""

    async def add() -> None:
        assert server.address
        store = FalkorDBStore.connect(
            load_queries("falkordb"),
            hub.graph,
            unix_socket=server.address.unix_socket,
            port=server.address.port or 0,
        )
        try:
            await Accounts(store).add(name, role, subject, department, password)
        finally:
            await store.close()

    # In a thread of its own: sync Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, add()).result()


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 760}, locale="zh-CN", accept_downloads=True
    )
    try:
        yield Visit(context.new_page())
    finally:
        context.close()


@pytest.fixture(scope="session")
def accounts(hub: Hub, embedded_server: EmbeddedServer) -> Callable[..., str]:
    """Makes a console account once per name (role, subject, department), and names it."""
    made: set[str] = set()

    def account(name: str, role: str, subject: str, department: str | None = None) -> str:
        if name not in made:
            add_account(hub, embedded_server, name, subject, PASSWORD, role, department)
            made.add(name)
        return name

    return account


@pytest.fixture(scope="session")
def officer(hub: Hub, accounts: Callable[..., str]) -> str:
    """The console account of the generated county's officer (the hub's graph is this
    session's own, so the name is free)."""
    return accounts("zhang.san", "officer", hub.manifest.scenarios.officer_id)
