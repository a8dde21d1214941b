"""What every command shares: logging set-up, the data directory, plain-words failure."""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn, TypeVar

import typer

from hub.settings import (
    DATA_DIR_MARKER,
    PRIVATE_DIR_MODE,
    PRIVATE_UMASK,
    Settings,
    get_settings,
)
from hub.store import GraphStore, StoreError, open_store

T = TypeVar("T")

log = logging.getLogger("hub")

# What a data directory the hub has used holds; any one of them marks it. Directories made
# before the marker existed hold the graph store or the generated key.
DATA_DIR_SIGNS = (DATA_DIR_MARKER, "graph", "secret.key")


def private_files() -> int:
    """Make everything this process and its children (the embedded store) create readable by
    the hub's user only, whatever the umask it was started with. Returns the old umask."""
    return os.umask(PRIVATE_UMASK)


class UtcFormatter(logging.Formatter):
    """Log lines timed as the hub stores times: UTC, with the offset written out
    (`2024-05-01T08:30:15.123+00:00`), whatever the machine's time zone."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def setup_logging(verbose: bool = False, *, data_dir: bool = True) -> None:
    """Configure logging; the first line names the data directory the command works in."""
    handler = logging.StreamHandler()
    handler.setFormatter(UtcFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler])
    if data_dir:
        log.info("data directory %s", describe_data_dir(get_settings()))


def describe_data_dir(settings: Settings) -> str:
    """The data directory as an absolute path, and where that came from."""
    where = settings.data_dir.resolve()
    if "data_dir" in settings.model_fields_set:
        return f"{where} (HUB_DATA_DIR)"
    return f"{where} (HUB_DATA_DIR is unset: ./var under the working directory)"


def is_data_dir(path: Path) -> bool:
    return path.is_dir() and any((path / sign).exists() for sign in DATA_DIR_SIGNS)


def use_data_dir(settings: Settings, *, create: bool) -> Path:
    """The command's data directory, made private. With `create` a missing one is made;
    without, a missing one ends the command in plain words."""
    path = settings.data_dir.resolve()
    if is_data_dir(path):
        _make_private(path, found=True)
        return path
    if not create:
        fail(
            f"no hub data in {describe_data_dir(settings)}. Run the command where the hub "
            "keeps its data or set HUB_DATA_DIR to that directory; to start a new one there, "
            "run `hub db init` (or `hub ingest --init`, or `hub serve`)."
        )
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    _make_private(path, found=False)
    marker = {"created": datetime.now(UTC).isoformat(timespec="seconds"), "by": "hub"}
    descriptor = os.open(path / DATA_DIR_MARKER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(json.dumps(marker) + "\n")
    log.info("created the data directory %s", path)
    return path


def _make_private(path: Path, *, found: bool) -> None:
    """The data directory is the hub user's alone: what is inside needs no mode of its own
    to be out of other users' reach."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077 == 0:
        return
    if found:
        log.warning(
            "the data directory %s was open to other users (mode %o); setting it to %o",
            path,
            mode,
            PRIVATE_DIR_MODE,
        )
    try:
        path.chmod(PRIVATE_DIR_MODE)
    except OSError as error:
        log.warning("cannot make %s private (%s): chmod %o it", path, error, PRIVATE_DIR_MODE)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


async def with_store(work: Callable[[GraphStore], Awaitable[T]]) -> T:
    """Open the configured store, run `work` with it, close it."""
    store = open_store(get_settings())
    try:
        return await work(store)
    finally:
        await store.close()


def run_with_store(
    work: Callable[[GraphStore], Awaitable[T]], *, init: bool = False, data_dir: bool = False
) -> T:
    """`with_store` for a command: store failures end the command with a plain message.

    The embedded store lives in the data directory, and `data_dir` says the command writes
    there too: a missing one ends the command (an empty store started elsewhere would answer
    as if the hub held no data), unless `init` asks for a new one.
    """
    import asyncio

    from hub.store.embedded import EmbeddedStoreError

    settings = get_settings()
    if settings.embedded or data_dir or init:
        use_data_dir(settings, create=init)
    try:
        return asyncio.run(with_store(work))
    except (StoreError, EmbeddedStoreError, ValueError) as exc:
        fail(str(exc))
