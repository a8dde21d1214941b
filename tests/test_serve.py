"""`hub serve` as an operator runs it: ready on the embedded store, honest when it dies."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

HUB = str(Path(sys.executable).with_name("hub"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, status: int, timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == status:
                return response
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer {status} within {timeout} s")
        time.sleep(0.1)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    env = {**os.environ, "HUB_DATA_DIR": str(tmp_path), "HUB_GRAPH_URI": "embedded"}
    process = subprocess.Popen(
        [HUB, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", tmp_path, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)


def test_serve_starts_the_embedded_store_and_is_ready(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, data_dir, process = served

    ready = wait_for(f"{base}/readyz", 200)

    assert ready.json() == {"status": "ready", "engine": "falkordb"}
    assert httpx.get(f"{base}/healthz").status_code == 200
    assert "hub_store_queries_total" in httpx.get(f"{base}/metrics").text
    server = json.loads((data_dir / "graph" / "server.json").read_text())
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    with pytest.raises(ProcessLookupError):
        os.kill(server["pid"], 0)  # the store stopped with the hub
    assert not (data_dir / "graph" / "server.json").exists()


def test_a_crashed_store_makes_the_hub_unready_instead_of_restarting_it(
    served: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    base, data_dir, _ = served
    wait_for(f"{base}/readyz", 200)
    server = json.loads((data_dir / "graph" / "server.json").read_text())

    os.kill(server["pid"], signal.SIGKILL)

    unready = wait_for(f"{base}/readyz", 503)
    assert unready.json()["status"] == "unavailable"
    assert httpx.get(f"{base}/healthz").status_code == 200
