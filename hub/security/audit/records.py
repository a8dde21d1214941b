"""What the audit log holds and answers: records, stored events, pages, verdicts, errors."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal, get_args

Outcome = Literal["ALLOWED", "DENIED", "ERROR"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)


@dataclass(frozen=True)
class AuditRecord:
    """What the request path hands in: who did what, about whom, and how it ended."""

    actor: str | None
    role: str | None
    department: str | None
    operation: str
    case_number: str | None
    subjects: tuple[str, ...]
    outcome: Outcome
    result_count: int
    client_address: str | None
    request_id: str
    reason: str | None = None
    dataset: str | None = None  # for ingest calls: the dataset published
    client_request_id: str | None = None  # the caller's own X-Request-ID, sanitised


@dataclass(frozen=True, kw_only=True)
class AuditEvent(AuditRecord):
    """A stored record: the `AuditRecord` plus its place and hash in the chain."""

    seq: int
    at: str  # ISO 8601, UTC, microseconds: sorts as text
    prev_hash: str
    hash: str

    @property
    def cursor(self) -> str:
        return str(self.seq)

    def to_dict(self) -> dict[str, Any]:
        """Every field, as stored, hashed and exported (`subjects` as a list); a field of
        OPTIONAL_FIELDS only when it is set."""
        # Not dataclasses.asdict: it deep-copies every value, and every request pays for this.
        values = {name: getattr(self, name) for name in EVENT_FIELDS}
        for name in OPTIONAL_FIELDS:
            if values[name] is None:
                del values[name]
        return values | {"subjects": list(self.subjects)}


EVENT_FIELDS = tuple(f.name for f in fields(AuditEvent))
# Fields added after records were first written: present (and hashed) only when set, so the
# records written before them keep their hashes.
OPTIONAL_FIELDS = ("client_request_id",)
RECORD_FIELDS = tuple(f.name for f in fields(AuditRecord))


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    department: str | None = None
    case_number: str | None = None
    subject: str | None = None
    operation: str | None = None
    outcome: Outcome | None = None
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive


@dataclass(frozen=True)
class AuditPage:
    events: tuple[AuditEvent, ...]  # newest first
    has_next_page: bool

    @property
    def end_cursor(self) -> str | None:
        return self.events[-1].cursor if self.events else None


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None  # why the chain breaks at first_broken_seq, or the checkpoint fails
    checkpoints: int = 0  # signed checkpoints that check out
    first_bad_checkpoint: int | None = None  # seq of the first checkpoint that disagrees


@dataclass(frozen=True)
class Head:
    """Where the chain ends: the last record's seq and hash."""

    seq: int
    hash: str


class AuditWriteError(RuntimeError):
    """The record could not be appended; the request it describes must fail."""


class Unstorable(AuditWriteError):
    """A record holds a value the store refuses (before anything is sent), e.g. NUL on FalkorDB."""


class InvalidCursor(ValueError):
    """An `after` cursor that no page of the audit log handed out."""
