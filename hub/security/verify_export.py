"""Check an exported audit log on its own: `python -m hub.security.verify_export FILE`.

This file uses the standard library only, so an outside auditor can copy it and run it
with any Python 3. It is also the reference for how the hub hashes a record
(`hub.security.audit` imports `record_hash` from here), so the two cannot drift apart.

A record's hash is the SHA-256 (hex) of its canonical form: the record as a JSON object
without its `hash` field, keys sorted, no whitespace (`","` and `":"` separators),
non-ASCII characters written as themselves, UTF-8 encoded. Each record's `prev_hash` is
the previous record's `hash`; the first record (seq 1) has 64 zeros. An export of a
period starts mid-chain: its first `prev_hash` should equal the last hash of the export
before it, which this tool prints for that comparison.

Signed checkpoints (docs/audit.md): `--checkpoints FILE --public-key FILE` checks each
checkpoint's Ed25519 signature against the hub's public key (PEM, `hub audit public-key`),
and that every checkpointed seq inside the export holds the checkpointed hash. A
checkpoint is signed over its canonical form without `signature` (the same JSON rules).
Ed25519 is verified here in plain Python (RFC 8032), so nothing needs installing.

Exit status: 0 when every line checks out, 1 at the first line that does not (named).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    content = {key: value for key, value in record.items() if key != "hash"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def record_hash(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


CHECKPOINT_FIELDS = ("at", "hash", "key", "log", "seq", "signature")


def checkpoint_bytes(checkpoint: Mapping[str, Any]) -> bytes:
    """What a checkpoint's signature covers: the checkpoint without `signature`, canonical."""
    content = {key: value for key, value in checkpoint.items() if key != "signature"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


# Ed25519 verification (RFC 8032, section 5.1.7), after the RFC's own reference code.
_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
_Point = tuple[int, int, int, int]


def _add(a: _Point, b: _Point) -> _Point:
    x = (a[1] - a[0]) * (b[1] - b[0]) % _P
    y = (a[1] + a[0]) * (b[1] + b[0]) % _P
    c = 2 * a[3] * b[3] * _D % _P
    d = 2 * a[2] * b[2] % _P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f, g * h, f * g, e * h)


def _multiply(scalar: int, point: _Point) -> _Point:
    result: _Point = (0, 1, 1, 0)
    while scalar > 0:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _equal(a: _Point, b: _Point) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    return _P - x if (x & 1) != sign else x


def _decompress(data: bytes) -> _Point | None:
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0) or 0
_BASE: _Point = (_GX, _GY, 1, _GX * _GY % _P)


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when `signature` is `public_key`'s (32 raw bytes) Ed25519 signature of `message`."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a, r = _decompress(public_key), _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _Q:
        return False
    digest = hashlib.sha512(signature[:32] + public_key + message).digest()
    h = int.from_bytes(digest, "little") % _Q
    return _equal(_multiply(s, _BASE), _add(r, _multiply(h, a)))


_SPKI_ED25519 = bytes.fromhex("302a300506032b6570032100")  # SubjectPublicKeyInfo, Ed25519


def public_key_from_pem(text: str) -> bytes:
    """The 32 raw bytes of an Ed25519 public key in PEM (`-----BEGIN PUBLIC KEY-----`)."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if (
        not lines
        or lines[0] != "-----BEGIN PUBLIC KEY-----"
        or "-----END PUBLIC KEY-----" not in lines
    ):
        raise ValueError("not a PEM public key")
    der = base64.b64decode("".join(lines[1 : lines.index("-----END PUBLIC KEY-----")]))
    if len(der) != 44 or not der.startswith(_SPKI_ED25519):
        raise ValueError("not an Ed25519 public key")
    return der[len(_SPKI_ED25519) :]


def key_id(public_key: bytes) -> str:
    """The `key` a checkpoint names: the first 16 hex digits of the public key's SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def checkpoint_problem(checkpoint: Any, public_key: bytes) -> str | None:
    """Why `checkpoint` is not one the hub signed with `public_key`; None when it is."""
    if not isinstance(checkpoint, dict) or set(checkpoint) != set(CHECKPOINT_FIELDS):
        return f"not a checkpoint (fields {', '.join(CHECKPOINT_FIELDS)})"
    if not isinstance(checkpoint["seq"], int) or not isinstance(checkpoint["signature"], str):
        return "not a checkpoint (seq must be a whole number, signature text)"
    if checkpoint["key"] != key_id(public_key):
        return f"signed by key {checkpoint['key']}, not by the key given ({key_id(public_key)})"
    try:
        signature = base64.b64decode(checkpoint["signature"], validate=True)
    except ValueError:
        return "the signature is not base64"
    if not ed25519_verify(public_key, checkpoint_bytes(checkpoint), signature):
        return "the signature does not verify against the public key"
    return None


@dataclass(frozen=True)
class ExportCheck:
    checked: int
    problem: str | None = None  # "line 7 (seq 1042): …" at the first bad line
    first_seq: int | None = None
    first_prev_hash: str | None = None
    last_hash: str | None = None
    checkpoints: int = 0  # checkpoints whose seq and hash the export passes through
    last_checkpoint_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


Checkpoints = Mapping[int, Sequence[Mapping[str, Any]]]  # by seq


def read_checkpoints(
    lines: Iterable[str], public_key: bytes, log: str | None = None
) -> tuple[dict[int, list[dict[str, Any]]], str | None]:
    """The checkpoints of `log` (of the only log, when None) by seq, each signature checked;
    or the problem with the first line that fails."""
    found: dict[int, list[dict[str, Any]]] = {}
    logs: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            checkpoint = json.loads(line)
        except ValueError:
            return {}, f"checkpoints line {number}: not JSON"
        if isinstance(checkpoint, dict) and log is not None and checkpoint.get("log") != log:
            continue
        problem = checkpoint_problem(checkpoint, public_key)
        if problem:
            seq = checkpoint.get("seq") if isinstance(checkpoint, dict) else None
            return {}, f"checkpoints line {number} (seq {seq}): {problem}"
        logs.add(checkpoint["log"])
        found.setdefault(checkpoint["seq"], []).append(checkpoint)
    if len(logs) > 1:
        return {}, f"the checkpoints are of several logs ({', '.join(sorted(logs))}): give --log"
    return found, None


def check_lines(lines: Iterable[str], checkpoints: Checkpoints | None = None) -> ExportCheck:
    """Check every record's hash, that each links to the one before it, and that the chain
    passes through every checkpoint (seq and hash) that falls inside it."""
    checked = matched = 0
    last_checkpoint: int | None = None
    first_seq: int | None = None
    first_prev_hash: str | None = None
    previous: Mapping[str, Any] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            return ExportCheck(checked, f"line {number}: not a JSON object")
        problem = _problem(record, previous)
        if not problem and checkpoints:
            for checkpoint in checkpoints.get(record["seq"], ()):
                if checkpoint["hash"] != record["hash"]:
                    problem = (
                        f"the checkpoint signed at {checkpoint['at']} holds another hash for "
                        "this seq (the chain was rewritten at or before this record)"
                    )
                    break
                matched, last_checkpoint = matched + 1, record["seq"]
        if problem:
            seq = record.get("seq") if isinstance(record, dict) else None
            return ExportCheck(checked, f"line {number} (seq {seq}): {problem}")
        if previous is None:
            first_seq, first_prev_hash = record["seq"], record["prev_hash"]
        previous = record
        checked += 1
    last_hash = previous["hash"] if previous else None
    return ExportCheck(
        checked, None, first_seq, first_prev_hash, last_hash, matched, last_checkpoint
    )


def _problem(record: Any, previous: Mapping[str, Any] | None) -> str | None:
    if not isinstance(record, dict) or not {"seq", "hash", "prev_hash"} <= record.keys():
        return "not an audit record (seq, hash and prev_hash are required)"
    if not isinstance(record["seq"], int):
        return "seq is not a whole number"
    if record["hash"] != record_hash(record):
        return "the content does not match its hash (the record was changed)"
    if previous is None:
        if record["seq"] == 1 and record["prev_hash"] != GENESIS_HASH:
            return "the first record of the chain must have a prev_hash of 64 zeros"
        return None
    if record["seq"] != previous["seq"] + 1:
        return f"expected seq {previous['seq'] + 1} (a record is missing or out of order)"
    if record["prev_hash"] != previous["hash"]:
        return "prev_hash is not the hash of the record before it"
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_export.py", description="Check an exported audit log (JSON Lines)."
    )
    parser.add_argument("file", help="the export; - reads standard input")
    parser.add_argument("--checkpoints", help="checkpoints.jsonl of the hub (or its witness)")
    parser.add_argument("--public-key", help="the hub's public key (PEM, hub audit public-key)")
    parser.add_argument("--log", help="whose checkpoints, when the file holds several logs")
    args = parser.parse_args(argv)
    if bool(args.checkpoints) != bool(args.public_key):
        parser.error("--checkpoints and --public-key go together")
    checkpoints: Checkpoints | None = None
    if args.checkpoints:
        with open(args.public_key, encoding="ascii") as file:
            public_key = public_key_from_pem(file.read())
        with open(args.checkpoints, encoding="utf-8") as file:
            checkpoints, problem = read_checkpoints(file, public_key, args.log)
        if problem:
            print(f"broken: {problem}")
            return 1
    if args.file == "-":
        result = check_lines(sys.stdin, checkpoints)
    else:
        with open(args.file, encoding="utf-8") as file:
            result = check_lines(file, checkpoints)
    if not result.ok:
        print(f"broken: {result.problem}")
        return 1
    if not result.checked:
        print("ok: 0 records")
        return 0
    assert result.first_seq is not None
    last_seq = result.first_seq + result.checked - 1
    print(f"ok: {result.checked} records, seq {result.first_seq} to {last_seq}")
    if result.first_seq != 1:
        print(f"the first record follows hash {result.first_prev_hash}")
    print(f"last hash {result.last_hash}")
    if checkpoints is not None:
        if result.last_checkpoint_seq is None:
            print("no signed checkpoint falls inside the export")
        else:
            print(
                f"{result.checkpoints} signed checkpoints check out, the last at seq "
                f"{result.last_checkpoint_seq}"
            )
            if result.last_checkpoint_seq < last_seq:
                print(f"seq {result.last_checkpoint_seq + 1} to {last_seq}: no checkpoint yet")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
