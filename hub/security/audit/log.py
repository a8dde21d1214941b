"""`AuditLog`: the audit log as the rest of the hub sees it — append, verify, read, export."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hub.security.audit.chain import ChainCheck
from hub.security.audit.checkpoints import (
    Checkpoint,
    Checkpointer,
    read_file,
    signature_problem,
    signing_key,
)
from hub.security.audit.reader import AuditReader
from hub.security.audit.records import (
    AuditEvent,
    AuditFilter,
    AuditPage,
    AuditRecord,
    AuditVerification,
    Head,
)
from hub.security.audit.writer import AuditWriter
from hub.settings import Settings
from hub.store import GraphStore


class AuditLog:
    """The log in `store`; with `settings`, its head is signed now and then (checkpoints)."""

    def __init__(self, store: GraphStore, settings: Settings | None = None) -> None:
        self._store = store
        self._reader = AuditReader(store)
        self.checkpointer = Checkpointer(store, settings) if settings else None
        self._writer = AuditWriter(store, self.checkpointer.noted if self.checkpointer else None)

    async def append(self, record: AuditRecord) -> AuditEvent:
        """Add `record` at the end of the chain; raises `AuditWriteError` when it cannot.

        Returns once the record is stored (see `AuditWriter.append`).
        """
        return await self._writer.append(record)

    async def close(self) -> None:
        """Sign what this process appended since its last checkpoint (end of a process)."""
        if self.checkpointer:
            await self.checkpointer.close()

    async def verify(self, public_key: Ed25519PublicKey | None = None) -> AuditVerification:
        """Recompute every hash and link; name the first record where the chain breaks.

        With checkpoints (an `AuditLog` given settings), also check each checkpoint's
        signature (against `public_key`, by default the signing key's), that the chain
        holds each checkpointed hash at its seq, that the store keeps every checkpoint of
        the file, and that the newest checkpoint is not too far behind the head.

        The head is read first and the chain checked up to it: records appended while the
        check runs are past the head and left for the next check, not taken for a break.
        """
        head = await self._reader.head()
        points = await self._checkpoints(public_key) if self.checkpointer else None
        wanted = {point.seq for point in points.all} if points else set()
        check, walk = ChainCheck(), _Walk()
        async for stored in self._reader.stored(after=0, last=head.seq if head else None):
            if not check.add(stored):
                break
            walk.saw(stored, wanted)
        verdict = check.finish(head)
        if points is None or self.checkpointer is None:
            return verdict
        return points.judge(verdict, walk, self.checkpointer.settings.audit_checkpoint_max_age)

    async def _checkpoints(self, public_key: Ed25519PublicKey | None) -> _Checkpoints:
        assert self.checkpointer is not None
        settings = self.checkpointer.settings
        found = _Checkpoints()
        stored: set[Checkpoint] = set()
        for row in await self._store.read("audit_checkpoints"):
            try:
                stored.add(Checkpoint.of(row["checkpoint"]))
            except ValueError as error:
                found.flag(None, FORGED, f"a checkpoint in the audit store: {error}")
        filed: set[Checkpoint] = set()
        for entry in read_file(self.checkpointer.file, self.checkpointer.log_name):
            if isinstance(entry, str):
                found.flag(None, FORGED, entry)
            else:
                filed.add(entry)
                if entry not in stored:
                    why = "it is in checkpoints.jsonl but not in the audit store"
                    found.flag(entry.seq, MISSING, why)
        found.all = sorted(stored | filed, key=lambda point: (point.seq, point.at))
        if public_key is None and found.all:
            key = signing_key(settings, create=False)
            public_key = key.public_key() if key else None
        for point in found.all:
            if point.log != self.checkpointer.log_name:
                found.flag(point.seq, FORGED, f"it is a checkpoint of log {point.log!r}")
            elif public_key is None:
                found.flag(point.seq, FORGED, "there is no public key to check it against")
            elif problem := signature_problem(point, public_key):
                found.flag(point.seq, FORGED, problem)
        return found

    async def events(self, filter: AuditFilter, first: int, after: str | None) -> AuditPage:
        """One page, newest first, of the records matching `filter`, older than `after`."""
        return await self._reader.events(filter, first, after)

    async def export_bounds(
        self, start: datetime | None, end: datetime | None
    ) -> tuple[int, int] | None:
        """The first and last seq an export of [start, end) holds (None: no record)."""
        return await self._reader.seq_bounds(start, end)

    def export_range(self, first: int, last: int) -> AsyncIterator[dict[str, Any]]:
        """The stored records from seq `first` to `last`, oldest first, as `export` yields."""
        return self._reader.stored(after=first - 1, last=last)

    def export(self, start: datetime | None, end: datetime | None) -> AsyncIterator[dict[str, Any]]:
        """Every stored record from the first at or after `start` to the last before `end`,
        oldest first, each exactly as stored (with its hash), for outside verification."""
        return self._reader.export(start, end)


@dataclass
class _Walk:
    """What verify keeps of the chain for the checkpoints: the hashes at their seqs, times."""

    hashes: dict[int, str] = field(default_factory=dict)
    first_at: str | None = None
    last: Head | None = None
    last_at: str | None = None

    def saw(self, stored: dict[str, Any], wanted: set[int]) -> None:
        if stored["seq"] in wanted:
            self.hashes[stored["seq"]] = stored["hash"]
        if self.first_at is None:
            self.first_at = stored["at"]
        self.last, self.last_at = Head(stored["seq"], stored["hash"]), stored["at"]


# What can be wrong with a checkpoint, in the order reported when two fail at one seq.
FORGED, MISSING, DISAGREES, PAST_HEAD = range(4)


@dataclass
class _Checkpoints:
    all: list[Checkpoint] = field(default_factory=list)  # store and file together, by seq
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # seq, kind, why
    unplaced: list[str] = field(default_factory=list)  # a line or node that is no checkpoint

    def flag(self, seq: Any, kind: int, problem: str) -> None:
        if isinstance(seq, int):
            self.problems.append((seq, kind, problem))
        else:
            self.unplaced.append(problem)

    def judge(self, chain: AuditVerification, walk: _Walk, max_age: float) -> AuditVerification:
        """The verdict over the chain's and the checkpoints', the lowest seq first."""
        if self.unplaced:
            return _bad(0, 0, None, self.unplaced[0])
        limit = walk.last.seq if walk.last else 0  # records that passed the chain check
        problems = list(self.problems)
        for point in self.all:
            if point.seq <= limit and walk.hashes.get(point.seq) != point.hash:
                why = f"the chain holds another hash at seq {point.seq}: records were rewritten"
                problems.append((point.seq, DISAGREES, why))
            elif point.seq > limit and chain.ok:  # else the chain's break is reported
                why = f"it is past the head (seq {limit}): records were cut off the end"
                problems.append((point.seq, PAST_HEAD, why))
        problems.sort()
        if problems and (chain.ok or problems[0][0] < (chain.first_broken_seq or 0)):
            seq, _, problem = problems[0]
            before = [point.seq for point in self.all if point.seq < seq]
            return _bad(len(before), before[-1] if before else 0, seq, problem)
        if not chain.ok:
            return chain
        return self._fresh(walk, max_age) or AuditVerification(
            ok=True, checked=chain.checked, checkpoints=len(self.all)
        )

    def _fresh(self, walk: _Walk, max_age: float) -> AuditVerification | None:
        """A failure when records past the newest checkpoint span more than `max_age`."""
        newest = self.all[-1] if self.all else None
        covered = newest.seq if newest else 0
        if walk.last is None or walk.last.seq <= covered or walk.last_at is None:
            return None
        since = newest.at if newest else walk.first_at
        assert since is not None
        age = (datetime.fromisoformat(walk.last_at) - datetime.fromisoformat(since)).total_seconds()
        if age <= max_age:
            return None
        if newest is None:
            reason = (
                f"no checkpoint covers records 1 to {walk.last.seq}, appended over {age:.0f} s "
                f"(at most {max_age:g} s may go unsigned)"
            )
        else:
            reason = (
                f"it is the newest, and {age:.0f} s older than the head at seq {walk.last.seq} "
                f"(at most {max_age:g} s may go unsigned): checkpoints are missing from the end, "
                "or the hub cannot write them"
            )
        return _bad(len(self.all), covered, newest.seq if newest else None, reason)


def _bad(good: int, checked: int, seq: int | None, problem: str) -> AuditVerification:
    reason = (
        problem
        if seq is None or problem.startswith("checkpoint")
        else (f"checkpoint at seq {seq}: {problem}")
    )
    return AuditVerification(
        ok=False, checked=checked, reason=reason, checkpoints=good, first_bad_checkpoint=seq
    )
