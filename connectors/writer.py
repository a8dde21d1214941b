"""Writing a dataset's mapped rows to the graph in batches, one batch in flight.

Each batch is one `UNWIND $rows` of the dataset's query, preceded by `ingest_parties` for
the parties its rows refer to. A batch never holds the same key twice: within one UNWIND,
FalkorDB does not show a row what an earlier row of the same statement wrote, so a repeated
key would be compared with a stale hash. A repeated key starts a new batch instead.

While a batch is being written the caller prepares the next one (`write` returns as soon
as the batch is sent off), so reading and validating overlap with the store's work.

A batch that fails is sent again, a few times, before the run fails: batches are
idempotent (MERGE by key, nothing written for an unchanged hash), and the store does fail
transiently — FalkorDB answers "BUSY preparing to fork" while it forks to rewrite its
append-only file, which a long load triggers. (Should a failure lose the answer to a batch
that was in fact written, its rows count as unchanged on the retry.)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from connectors.dataset import Dataset, GraphRow, PartyRef
from schema.store import QueryStore, StoreError

T = TypeVar("T")
# What a run's caller may watch its batches for (the hub: new assets of respondents, to
# alert their officers): asked with the dataset and a batch before it is written, it
# returns what to do once the batch is written, or None.
AfterWrite = Callable[[], Awaitable[None]]
Watch = Callable[[str, list["GraphRow"]], Awaitable[AfterWrite | None]]

log = logging.getLogger(__name__)

PARTIES_QUERY = "ingest_parties"
# Queries whose rows are the parties themselves: they create a new party whole, with its
# properties, instead of a stub from ingest_parties completed afterwards, which costs
# FalkorDB about twice the server time (bench/README.md). Each row carries the legacy mark
# of its party (`converted_from_15`), outside the row's hash.
PARTY_ROWS_QUERIES = frozenset({"ingest_psb_persons"})
# A connectors-level limit, not a setting (README.md "Configuration"): the delays after
# each failed attempt of a batch, so a batch is sent at most five times.
RETRY_DELAYS_S = (0.5, 2.0, 5.0, 15.0)


@dataclass(frozen=True, slots=True)
class Provenance:
    """What every node and relationship written carries: who, which run, when."""

    source: str  # the department code
    batch_id: str  # the run id
    loaded_at: str  # ISO timestamp of the run's start

    def params(self) -> dict[str, str]:
        return {"source": self.source, "batch_id": self.batch_id, "loaded_at": self.loaded_at}


@dataclass
class WriteCounts:
    created: int = 0
    updated: int = 0
    sent: int = 0
    parties_created: int = 0

    @property
    def unchanged(self) -> int:
        return self.sent - self.created - self.updated


class BatchWriter:
    """Buffers mapped rows and writes them with `dataset.query`, `batch_size` at a time."""

    def __init__(
        self,
        store: QueryStore,
        dataset: Dataset,
        provenance: Provenance,
        batch_size: int,
        watch: Watch | None = None,
    ) -> None:
        self.counts = WriteCounts()
        self._store = store
        self._dataset = dataset
        self._params = provenance.params()
        self._batch_size = batch_size
        self._rows: list[GraphRow] = []
        self._keys: set[tuple[Any, ...]] = set()
        self._parties: dict[str, PartyRef] = {}
        self._in_flight: asyncio.Task[None] | None = None
        self._rows_are_parties = dataset.query in PARTY_ROWS_QUERIES
        self._watch = watch

    async def write(self, rows: Iterable[tuple[GraphRow, Iterable[PartyRef]]]) -> None:
        """Add rows; full batches are sent off (after the previous one has finished)."""
        for row, parties in rows:
            key = self._dataset.key_of(row)
            if key in self._keys or len(self._rows) >= self._batch_size:
                await self._send()
            self._rows.append(row)
            self._keys.add(key)
            if self._rows_are_parties:
                [party] = parties
                row["converted_from_15"] = party.converted_from_15
                continue
            for party in parties:
                known = self._parties.get(party.id)
                self._parties[party.id] = party if known is None else known.merged(party)

    async def close(self) -> None:
        """Send what is buffered and wait until everything is written."""
        await self._send()
        await self._wait()

    async def abort(self) -> None:
        """Wait for the batch in flight without sending more (after a failure elsewhere)."""
        self._rows, self._keys, self._parties = [], set(), {}
        if self._in_flight is not None:
            await asyncio.gather(self._in_flight, return_exceptions=True)
            self._in_flight = None

    async def _send(self) -> None:
        if not self._rows:
            return
        await self._wait()
        rows, parties = self._rows, [party.to_graph() for party in self._parties.values()]
        self._rows, self._keys, self._parties = [], set(), {}
        self._in_flight = asyncio.create_task(self._write_batch(rows, parties))

    async def _wait(self) -> None:
        if self._in_flight is not None:
            task, self._in_flight = self._in_flight, None
            await task

    async def _write_batch(self, rows: list[GraphRow], parties: list[GraphRow]) -> None:
        watch, name = self._watch, self._dataset.name
        after = (
            None
            if watch is None
            else await with_retries("a batch's watch", lambda: watch(name, rows))
        )
        await with_retries("a batch", lambda: self._write_once(rows, parties))
        if after is not None:
            await with_retries("what a batch's watch does after it", after)

    async def _write_once(self, rows: list[GraphRow], parties: list[GraphRow]) -> None:
        if parties:
            [created] = await self._store.write(PARTIES_QUERY, {**self._params, "rows": parties})
            self.counts.parties_created += int(created["parties_created"])
        [result] = await self._store.write(self._dataset.query, {**self._params, "rows": rows})
        self.counts.created += int(result["created"])
        self.counts.updated += int(result["updated"])
        self.counts.parties_created += int(result.get("parties_created", 0))
        self.counts.sent += len(rows)


async def with_retries(what: str, write: Callable[[], Awaitable[T]]) -> T:
    """`write()`, sent again after each `StoreError` with the delays of `RETRY_DELAYS_S`."""
    for delay in RETRY_DELAYS_S:
        try:
            return await write()
        except StoreError as error:
            log.warning("%s failed (%s); sending it again in %.1f s", what, error, delay)
            await asyncio.sleep(delay)
    return await write()
