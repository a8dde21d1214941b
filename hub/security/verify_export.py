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

Exit status: 0 when every line checks out, 1 at the first line that does not (named).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_bytes(record: Mapping[str, Any]) -> bytes:
    content = {key: value for key, value in record.items() if key != "hash"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def record_hash(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


@dataclass(frozen=True)
class ExportCheck:
    checked: int
    problem: str | None = None  # "line 7 (seq 1042): …" at the first bad line
    first_seq: int | None = None
    first_prev_hash: str | None = None
    last_hash: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_lines(lines: Iterable[str]) -> ExportCheck:
    """Check every record's hash, and that each links to the one before it."""
    checked = 0
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
        if problem:
            seq = record.get("seq") if isinstance(record, dict) else None
            return ExportCheck(checked, f"line {number} (seq {seq}): {problem}")
        if previous is None:
            first_seq, first_prev_hash = record["seq"], record["prev_hash"]
        previous = record
        checked += 1
    last_hash = previous["hash"] if previous else None
    return ExportCheck(checked, None, first_seq, first_prev_hash, last_hash)


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
    if len(argv) != 1:
        print("usage: python -m hub.security.verify_export FILE   (- reads standard input)")
        return 2
    if argv[0] == "-":
        result = check_lines(sys.stdin)
    else:
        with open(argv[0], encoding="utf-8") as file:
            result = check_lines(file)
    if not result.ok:
        print(f"broken: {result.problem}")
        return 1
    if not result.checked:
        print("ok: 0 records")
        return 0
    assert result.first_seq is not None
    print(
        f"ok: {result.checked} records, seq {result.first_seq} to "
        f"{result.first_seq + result.checked - 1}"
    )
    if result.first_seq != 1:
        print(f"the first record follows hash {result.first_prev_hash}")
    print(f"last hash {result.last_hash}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
