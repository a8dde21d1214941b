"""What every command shares: logging set-up and plain-words failure."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import typer

from hub.settings import get_settings
from hub.store import GraphStore, StoreError, open_store

T = TypeVar("T")

log = logging.getLogger("hub")


def setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


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


def run_with_store(work: Callable[[GraphStore], Awaitable[T]]) -> T:
    """`with_store` for a command: store failures end the command with a plain message."""
    import asyncio

    from hub.store.embedded import EmbeddedStoreError

    try:
        return asyncio.run(with_store(work))
    except (StoreError, EmbeddedStoreError, ValueError) as exc:
        fail(str(exc))
