"""The data directory, as an operator meets it: commands run from any folder, under any umask.

Every command here runs in a process of its own, from a working directory of its own, with
no HUB_ variable but the ones a test sets: what a clerk's shell gives it. The embedded
store they start is their own (a fresh data directory), so these tests are FalkorDB only:
on Neo4j the graph does not live in the data directory.
"""

from __future__ import annotations

import asyncio
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from hub.security.tokens import TokenVerifier
from hub.settings import DATA_DIR_MARKER, Settings
from schema.departments import default_departments
from tests.connectors.helpers import person_id
from tests.serving import free_port

REPO = Path(__file__).parents[1]
PERSONS = f"id_number,name\n{person_id(1)},张三\n{person_id(2)[:-1]}Z,李四\n"  # one reject


def hub(
    *args: str, cwd: Path, env: dict[str, str] | None = None, umask: int = 0o022
) -> subprocess.CompletedProcess[str]:
    """`hub ARGS` in a process of its own, as a shell with `umask` and `env` starts it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    command = [sys.executable, "-c", "from hub.cli import app; app()", *args]
    return subprocess.run(
        command,
        env=clean | (env or {}),
        cwd=cwd,
        umask=umask,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A folder with a department file in it, and no hub data."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "persons.csv").write_text(PERSONS, encoding="utf-8")
    return folder


def wait_until_ready(url: str, process: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer 200 (hub exit code {process.poll()})")


def modes(top: Path) -> dict[str, int]:
    """Every path under `top` (itself included) with its permission bits."""
    found = {".": stat.S_IMODE(top.stat().st_mode)}
    for path in top.rglob("*"):
        found[str(path.relative_to(top))] = stat.S_IMODE(path.lstat().st_mode)
    return found


COMMANDS_NEEDING_DATA = [
    ["ingest", "psb.persons", "persons.csv"],
    ["runs"],
    ["audit", "verify"],
    ["audit", "export"],
    ["token", "issue", "--role", "officer", "--subject", "fy0821-001"],
]


@pytest.mark.parametrize("command", COMMANDS_NEEDING_DATA, ids=" ".join)
def test_a_command_run_where_there_is_no_data_says_so_and_stops(
    elsewhere: Path, command: list[str]
) -> None:
    done = hub(*command, cwd=elsewhere)

    where = elsewhere / "var"
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout == ""
    assert f"error: no hub data in {where}" in done.stderr
    assert "HUB_DATA_DIR" in done.stderr and "hub db init" in done.stderr
    assert not where.exists()  # no new key, no new empty store
    assert f"data directory {where} (HUB_DATA_DIR is unset" in done.stderr.splitlines()[0]


def test_ingest_init_makes_the_data_directory_other_folders_then_name(
    elsewhere: Path, tmp_path: Path
) -> None:
    first = hub("ingest", "--init", "psb.persons", "persons.csv", cwd=elsewhere)
    assert first.returncode == 0, first.stderr
    assert "psb.persons" in first.stdout
    assert (elsewhere / "var" / DATA_DIR_MARKER).is_file()

    # From another folder, HUB_DATA_DIR (relative to that folder's parent here) finds it.
    other = tmp_path / "other"
    other.mkdir()
    listed = hub("runs", cwd=other, env={"HUB_DATA_DIR": "../elsewhere/var"})
    assert listed.returncode == 0, listed.stderr
    assert "psb.persons" in listed.stdout and "persons.csv" in listed.stdout
    first_line = listed.stderr.splitlines()[0]
    assert f"data directory {elsewhere / 'var'} (HUB_DATA_DIR)" in first_line


def test_token_issue_makes_no_key_of_its_own_and_uses_the_hubs(
    elsewhere: Path, tmp_path: Path
) -> None:
    init = hub("db", "init", cwd=elsewhere)
    assert init.returncode == 0, init.stderr
    assert f"created a new data directory {elsewhere / 'var'}" in init.stdout
    assert hub("db", "init", cwd=elsewhere).stdout.startswith("using the data directory")

    refused = hub("token", "issue", "--role", "officer", "--subject", "x", cwd=elsewhere)
    key = elsewhere / "var" / "secret.key"
    assert refused.returncode == 1
    assert f"HUB_SECRET_KEY is unset and {key} does not exist" in refused.stderr
    assert "`hub serve` generates it" in refused.stderr
    assert not key.exists()


def test_serve_creates_a_private_data_directory_whose_key_token_issue_uses(
    elsewhere: Path,
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    command = [sys.executable, "-c", "from hub.cli import app; app()", "serve"]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        cwd=elsewhere,
        umask=0o022,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/readyz", process)
    finally:
        process.send_signal(signal.SIGINT)
        _, log = process.communicate(timeout=60)
    where = elsewhere / "var"
    assert f"data directory {where} (HUB_DATA_DIR is unset" in log.splitlines()[0]
    assert (where / DATA_DIR_MARKER).is_file() and (where / "secret.key").is_file()
    assert {path: mode for path, mode in modes(where).items() if mode & 0o077} == {}

    done = hub("token", "issue", "--role", "officer", "--subject", "fy0821-001", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    settings = Settings(data_dir=where)
    verifier = TokenVerifier(settings, default_departments())
    principal = asyncio.run(verifier.verify(f"Bearer {done.stdout.strip()}"))
    assert principal.subject == "fy0821-001"


def test_what_a_command_creates_is_owner_only_under_umask_022(elsewhere: Path) -> None:
    done = hub("ingest", "--init", "psb.persons", "persons.csv", cwd=elsewhere, umask=0o022)
    assert done.returncode == 0, done.stderr

    found = modes(elsewhere / "var")
    # What the command wrote, the embedded store's files (log, append-only file) included.
    assert "graph/falkordb.log" in found and "graph/appendonlydir" in found
    assert any(path.startswith("runs/") and path.endswith("rejects.csv") for path in found)
    assert {path: oct(mode) for path, mode in found.items() if mode & 0o077} == {}
    assert found["."] == 0o700


def test_a_data_directory_open_to_others_is_closed_with_a_warning(elsewhere: Path) -> None:
    assert hub("db", "init", cwd=elsewhere).returncode == 0
    where = elsewhere / "var"
    where.chmod(0o755)

    done = hub("runs", cwd=elsewhere)

    assert done.returncode == 0, done.stderr
    assert f"the data directory {where} was open to other users (mode 755)" in done.stderr
    assert stat.S_IMODE(where.stat().st_mode) == 0o700


def test_make_run_takes_a_port() -> None:
    def planned(*args: str) -> str:
        done = subprocess.run(
            ["make", "--dry-run", "--always-make", "run", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        [line] = [line for line in done.stdout.splitlines() if " serve " in line]
        return line

    assert planned("PORT=8001").endswith("hub serve --demo --port 8001")
    assert planned().endswith("hub serve --demo --port 8000")
