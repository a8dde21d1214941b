"""The embedded FalkorDB server's own failures: a server that will not start, one that will
not stop (killed after the timeout), an unreadable server.json, and a server that runs but
does not answer. Each test runs a server of its own in its own data directory and ends
every process it started."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.store import embedded
from hub.store.embedded import EmbeddedServer, EmbeddedStoreError

# How long stopping a hung server may take with the stop timeout at 0.5 s: generous.
STOP_BOUND_S = 60.0


@contextlib.contextmanager
def running(server: EmbeddedServer) -> Iterator[int]:
    """Start `server`; afterwards stop it, or kill what is left of it whatever happened."""
    address = server.start()
    try:
        yield address.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(address.pid, signal.SIGCONT)
        server.stop()
        with contextlib.suppress(ProcessLookupError):
            os.kill(address.pid, signal.SIGKILL)


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text()
    return not stat.split(") ", 1)[1].startswith("Z")


def test_a_server_that_will_not_start_is_an_error_that_quotes_its_log(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path, module_args=("NO_SUCH_SETTING", "1"))

    with pytest.raises(EmbeddedStoreError) as failed:
        server.start()

    message = str(failed.value)
    assert message.startswith(f"the embedded graph store did not start; see {server.log_file}:")
    log_tail = server.log_file.read_text().splitlines()[-1]
    assert log_tail in message  # the server's own last words
    assert not server.info_file.exists()
    assert server.exited() is not None  # the process it spawned is gone


def test_a_server_that_will_not_stop_is_killed_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(embedded, "STORE_STOP_TIMEOUT_S", 0.5)
    server = EmbeddedServer(tmp_path)
    with running(server) as pid:
        os.kill(pid, signal.SIGSTOP)  # a stopped process leaves SIGTERM pending
        caplog.set_level(logging.INFO, logger="hub.store.embedded")

        stopping = threading.Thread(target=server.stop)
        stopping.start()
        stopping.join(timeout=STOP_BOUND_S)

        assert not stopping.is_alive(), f"stop() took over {STOP_BOUND_S} s on a hung server"
        assert not is_running(pid)
        assert "embedded graph store did not stop in time; killing it" in caplog.text
        assert not server.info_file.exists()
        assert (server.state, server.owned) == ("stopped", False)


@pytest.mark.parametrize("content", ["{not json", '{"port": 6379}', '["a", "list"]', ""], ids=str)
def test_an_unreadable_server_json_is_cleaned_away_and_a_server_started(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: str
) -> None:
    server = EmbeddedServer(tmp_path)
    server.home.mkdir(parents=True)
    server.info_file.write_text(content)
    caplog.set_level(logging.INFO, logger="hub.store.embedded")

    with running(server) as pid:
        assert server.owned and is_running(pid)
        assert json.loads(server.info_file.read_text())["pid"] == pid
        assert f"unreadable {server.info_file}; treating it as stale" in caplog.text


def test_a_server_that_runs_but_does_not_answer_is_an_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "STORE_START_TIMEOUT_S", 1.0)
    owner = EmbeddedServer(tmp_path)
    with running(owner) as pid:
        os.kill(pid, signal.SIGSTOP)  # alive, holding server.json, answering nothing

        with pytest.raises(EmbeddedStoreError) as failed:
            EmbeddedServer(tmp_path).start()

        assert str(failed.value) == (
            f"process {pid} holds the graph store in {owner.home} but does not answer"
        )
        assert json.loads(owner.info_file.read_text())["pid"] == pid  # left for its owner
