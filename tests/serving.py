"""A real hub served over HTTP for tests: uvicorn on 127.0.0.1, in a thread of the test
process (so a test can reach the app's state), with the rate limit lifted."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn
from starlette.applications import Starlette

from hub.app import create_app
from hub.security.limits import RateLimiter
from hub.settings import Settings

UNLIMITED = RateLimiter(per_minute=1e9, burst=1_000_000_000)  # tests send far more than one officer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(settings: Settings) -> Iterator[tuple[str, Starlette]]:
    """A hub of `settings` served until the block ends: its base URL and its app."""
    app = create_app(settings)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="hub-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive(), "the hub did not start"
        assert time.monotonic() < deadline, "the hub did not start within 60 s"
        time.sleep(0.05)
    app.state.limiter = UNLIMITED
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        server.should_exit = True
        thread.join(timeout=30)
