"""Signed checkpoints: the chain's head, signed now and then with a key the store never sees.

Whoever can write the store can rewrite the chain and recompute every hash after the change,
or cut off its tail and move the head back; the chain alone cannot tell. So at least every
`audit_checkpoint_records` records or `audit_checkpoint_seconds` seconds, the hub signs the
head (log, seq, hash, time) with an Ed25519 key kept in the data directory
(`<data dir>/audit/signing.key`, owner-only, created on first use; or `HUB_AUDIT_SIGNING_KEY`),
stores the checkpoint in the audit store, appends it to `<data dir>/audit/checkpoints.jsonl`
(outside the store: the copy an intruder holding only the store cannot rewrite) and, when
`HUB_AUDIT_WITNESS_URL` names one, sends it to a witness. `AuditLog.verify` checks every
signature and that the chain passes through each checkpointed hash at its seq.

Checkpointing stays off the request path: the writer hands each new end of the chain to
`Checkpointer.noted` (a comparison and an assignment), and a task of its own signs and
writes when one is due. A checkpoint that cannot be written is logged and tried again
later; a witness that cannot be reached is logged; neither holds up a request.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
import os
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hub.security.audit.chain import at_text
from hub.security.audit.records import AuditEvent, Head
from hub.security.verify_export import CHECKPOINT_FIELDS, checkpoint_bytes, key_id
from hub.settings import AUDIT_WITNESS_TIMEOUT_S, Settings
from hub.store import GraphStore

log = logging.getLogger(__name__)

OWNER_ONLY = 0o600
KEY_FILE = "signing.key"
CHECKPOINT_FILE = "checkpoints.jsonl"
SYSLOG_AUDIT_NOTICE = 13 * 8 + 5  # facility "log audit", severity notice (RFC 5424)


@dataclass(frozen=True)
class Checkpoint:
    """A signed head: the chain held `hash` at `seq` when the hub signed it at `at`."""

    log: str  # whose chain: the configured graph (database) name
    seq: int
    hash: str
    at: str  # ISO 8601, UTC with offset
    key: str  # the signing key's id (`verify_export.key_id`)
    signature: str  # base64 Ed25519 over the canonical form without `signature`

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CHECKPOINT_FIELDS}

    def line(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def of(cls, value: Any) -> Checkpoint:
        """A checkpoint from a file line or the store; ValueError when it is none."""
        if not isinstance(value, Mapping) or set(value) != set(CHECKPOINT_FIELDS):
            raise ValueError(f"not a checkpoint (fields {', '.join(CHECKPOINT_FIELDS)})")
        if not isinstance(value["seq"], int) or not all(
            isinstance(value[name], str) for name in CHECKPOINT_FIELDS if name != "seq"
        ):
            raise ValueError("not a checkpoint (seq a whole number, the rest text)")
        return cls(**{name: value[name] for name in CHECKPOINT_FIELDS})


def sign(key: Ed25519PrivateKey, log_name: str, head: Head, moment: datetime) -> Checkpoint:
    public = public_bytes(key.public_key())
    unsigned = {
        "log": log_name,
        "seq": head.seq,
        "hash": head.hash,
        "at": at_text(moment),
        "key": key_id(public),
        "signature": "",
    }
    signature = key.sign(checkpoint_bytes(unsigned))
    return Checkpoint.of(unsigned | {"signature": base64.b64encode(signature).decode("ascii")})


def signature_problem(checkpoint: Checkpoint, public_key: Ed25519PublicKey) -> str | None:
    """Why `checkpoint` is not signed by `public_key`; None when it is."""
    if checkpoint.key != key_id(public_bytes(public_key)):
        return f"it names key {checkpoint.key}, not the audit signing key"
    try:
        signature = base64.b64decode(checkpoint.signature, validate=True)
        public_key.verify(signature, checkpoint_bytes(checkpoint.to_dict()))
    except (ValueError, InvalidSignature):
        return "its signature does not verify against the public key"
    return None


# The key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(key: Ed25519PublicKey) -> str:
    pem = key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")


def load_public_pem(text: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(text.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def parse_private_key(text: str) -> Ed25519PrivateKey:
    """PEM (PKCS#8, unencrypted) or the base64 of the 32-byte seed."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the audit signing key is not an Ed25519 key")
        return key
    seed = base64.b64decode(text, validate=True)
    if len(seed) != 32:
        raise ValueError("the audit signing key must be 32 bytes (base64) or PEM")
    return Ed25519PrivateKey.from_private_bytes(seed)


def audit_dir(settings: Settings) -> Path:
    return settings.data_dir / "audit"


def signing_key(settings: Settings, *, create: bool) -> Ed25519PrivateKey | None:
    """The configured key, else the data directory's (made there, owner-only, if `create`)."""
    if settings.audit_signing_key is not None:
        return parse_private_key(settings.audit_signing_key.get_secret_value())
    path = audit_dir(settings) / KEY_FILE
    if not path.exists():
        if not create:
            return None
        _create_key_file(path)
    return parse_private_key(path.read_text(encoding="ascii"))


def _create_key_file(path: Path) -> None:
    """Write a new key so that no reader ever sees half a key, nor two processes two keys."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    draft = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use its key
            os.link(draft, path)
    finally:
        draft.unlink()


# The file outside the store


def append_to_file(path: Path, checkpoint: Checkpoint) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, OWNER_ONLY)
    try:
        os.write(descriptor, (checkpoint.line() + "\n").encode("utf-8"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_file(path: Path, log_name: str) -> Iterator[Checkpoint | str]:
    """The file's checkpoints of `log_name`, in file order; a line that is none as a problem."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
                if isinstance(value, dict) and value.get("log") != log_name:
                    continue  # another log's: a data directory shared by several graphs
                yield Checkpoint.of(value)
            except ValueError as error:
                yield f"{path.name} line {number}: {error}"


# The witness


def send_to_witness(url: str, checkpoint: Checkpoint) -> None:
    """syslog://host:port (UDP, RFC 5424) or http(s)://… (POST, JSON). Raises OSError."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme == "syslog":
        message = (
            f"<{SYSLOG_AUDIT_NOTICE}>1 {checkpoint.at} {socket.gethostname()} hub - "
            f"audit-checkpoint - {checkpoint.line()}"
        )
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.sendto(message.encode("utf-8"), (parsed.hostname or "", parsed.port or 514))
        return
    if parsed.scheme not in ("http", "https"):
        raise OSError(f"unknown witness scheme {parsed.scheme!r}")
    request = urllib.request.Request(  # noqa: S310 (http or https, checked above)
        url,
        data=checkpoint.line().encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=AUDIT_WITNESS_TIMEOUT_S):  # noqa: S310
        pass


# Taking checkpoints


@dataclass
class Checkpointer:
    """Signs the head when due; one per `AuditLog` of a hub process (or CLI command)."""

    store: GraphStore
    settings: Settings
    _latest: Head | None = None  # the newest end of the chain this process wrote
    _signed: Head | None = None  # the newest this process signed
    _signed_at: float = float("-inf")  # monotonic: the first batch of a process is signed
    _task: asyncio.Task[None] | None = None
    _wake: asyncio.Event | None = None
    _key: Ed25519PrivateKey | None = field(default=None, repr=False)

    @property
    def log_name(self) -> str:
        return self.settings.graph_name

    @property
    def file(self) -> Path:
        return audit_dir(self.settings) / CHECKPOINT_FILE

    def noted(self, event: AuditEvent) -> None:
        """The writer stored up to `event`: sign it now, or when due. Cheap; never waits."""
        if self._latest is not None and event.seq <= self._latest.seq:
            return
        self._latest = Head(event.seq, event.hash)
        task = self._task
        loop = asyncio.get_running_loop()
        if task is None or task.done() or task.get_loop() is not loop:
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._run(self._wake), name="audit-checkpoints")
        elif self._unsigned() >= self.settings.audit_checkpoint_records and self._wake:
            self._wake.set()

    def _unsigned(self) -> int:
        if self._latest is None:
            return 0
        return self._latest.seq - (self._signed.seq if self._signed else 0)

    async def _run(self, wake: asyncio.Event) -> None:
        while self._unsigned() > 0:
            waited = time.monotonic() - self._signed_at
            remaining = self.settings.audit_checkpoint_seconds - waited
            if remaining > 0 and self._unsigned() < self.settings.audit_checkpoint_records:
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), remaining)
                continue
            await self.checkpoint()

    async def checkpoint(self) -> Checkpoint | None:
        """Sign, store and file the newest head this process wrote, if not signed yet."""
        head = self._latest
        if head is None or (self._signed is not None and self._signed.seq >= head.seq):
            return None
        self._signed_at = time.monotonic()  # a failure, too, waits for the next turn
        try:
            if self._key is None:
                self._key = await asyncio.to_thread(signing_key, self.settings, create=True)
            assert self._key is not None
            checkpoint = sign(self._key, self.log_name, head, datetime.now(UTC))
            # The store first: a checkpoint in the file but not in the store is taken for
            # one an intruder removed from the store.
            await self.store.write("audit_checkpoint_add", checkpoint.to_dict())
            await asyncio.to_thread(append_to_file, self.file, checkpoint)
        except Exception:
            log.exception("audit checkpoint at seq %d could not be written", head.seq)
            return None
        self._signed = head
        if self.settings.audit_witness_url:
            await self._witness(self.settings.audit_witness_url, checkpoint)
        return checkpoint

    async def _witness(self, url: str, checkpoint: Checkpoint) -> None:
        try:
            await asyncio.to_thread(send_to_witness, url, checkpoint)
        except Exception as error:  # never holds up the log; the file and store have it
            log.warning("audit witness unreachable, checkpoint seq %d: %s", checkpoint.seq, error)

    async def close(self) -> None:
        """Sign what this process wrote and has not signed yet, and stop the task."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.checkpoint()
