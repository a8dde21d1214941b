"""What signed audit checkpoints cost: per append, per checkpoint, and audit append p50.

    .venv/bin/python bench/checkpoints.py [--appends 2000] [--rounds 4]

1. `Checkpointer.noted`, the only checkpoint work on the writer's path (once per batch).
2. One checkpoint: signing alone, then signing + the store write + the fsynced file line.
3. Audit append latency on an embedded store in a fresh data directory, without and with
   checkpoints (every `--every` records, so that many more checkpoints are taken than with
   the default 1,000), in alternating rounds so that a busy machine slows both alike.

Results go to bench/results/checkpoints-<date>.md and .json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hub.queries import load_queries  # noqa: E402
from hub.security.audit import AuditLog, AuditRecord  # noqa: E402
from hub.security.audit.checkpoints import Checkpointer, sign, signing_key  # noqa: E402
from hub.security.audit.records import AuditEvent, Head  # noqa: E402
from hub.settings import Settings  # noqa: E402
from hub.store.embedded import EmbeddedServer  # noqa: E402
from hub.store.falkordb import FalkorDBStore  # noqa: E402

RESULTS = REPO / "bench" / "results"
RECORD = AuditRecord(
    actor="fy0821-001",
    role="officer",
    department="court",
    operation="tracePerson",
    case_number="（2026）吉0821执90001号",
    subjects=("22082119780314121X",),
    outcome="ALLOWED",
    result_count=1,
    client_address="127.0.0.1",
    request_id="bench",
)


def p50_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


async def measure(data_dir: Path, appends: int, rounds: int, every: int) -> dict[str, Any]:
    settings = Settings(graph_uri="embedded", data_dir=data_dir, graph_database="bench_cp")
    key = signing_key(settings, create=True)
    assert key is not None
    figures: dict[str, Any] = {}

    event = AuditEvent(**vars(RECORD), seq=1, at="", prev_hash="0" * 64, hash="a" * 64)
    server = EmbeddedServer(data_dir)
    address = server.start()
    try:
        store = FalkorDBStore.connect(
            load_queries("falkordb"),
            "bench_cp",
            unix_socket=address.unix_socket,
            port=address.port or 0,
        )
        audit_store = store.audit_store()

        noting = Checkpointer(
            audit_store, settings.model_copy(update={"audit_checkpoint_seconds": 1e9})
        )
        samples = []
        for later in [replace(event, seq=n) for n in range(1, 20_001)]:
            started = time.perf_counter()
            noting.noted(later)
            samples.append(time.perf_counter() - started)
        await noting.close()
        figures["noted p50 µs"] = p50_us(samples[1:])

        samples = []
        for n in range(500):
            started = time.perf_counter()
            sign(key, "bench_cp", Head(n, "a" * 64), datetime.now(UTC))
            samples.append(time.perf_counter() - started)
        figures["sign p50 µs"] = p50_us(samples)

        taking = Checkpointer(audit_store, settings)
        samples = []
        for n in range(1, 201):
            taking.noted(replace(event, seq=n))
            if taking._task:
                taking._task.cancel()
            started = time.perf_counter()
            await taking.checkpoint()
            samples.append(time.perf_counter() - started)
        figures["checkpoint (sign, store, file) p50 µs"] = p50_us(samples)

        def log_with(checkpoints: bool) -> AuditLog:
            if not checkpoints:
                return AuditLog(audit_store)
            return AuditLog(
                audit_store, settings.model_copy(update={"audit_checkpoint_records": every})
            )

        latencies: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(rounds):
            for checkpoints in (False, True):
                audit = log_with(checkpoints)
                for _ in range(appends):
                    started = time.perf_counter()
                    await audit.append(RECORD)
                    latencies[checkpoints].append(time.perf_counter() - started)
                await audit.close()
        figures["append p50 µs, no checkpoints"] = p50_us(latencies[False])
        figures["append p50 µs, checkpoints"] = p50_us(latencies[True])
        figures["append p99 µs, no checkpoints"] = (
            statistics.quantiles(latencies[False], n=100)[98] * 1e6
        )
        figures["append p99 µs, checkpoints"] = (
            statistics.quantiles(latencies[True], n=100)[98] * 1e6
        )
        figures["checkpoints every"] = every
        figures["appends per round"] = appends
        figures["rounds"] = rounds
        await store.close()
    finally:
        server.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appends", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--every", type=int, default=100, help="checkpoint every N records")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        figures = asyncio.run(measure(Path(folder), args.appends, args.rounds, args.every))
    name = f"checkpoints-{date.today().isoformat()}"
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{name}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    lines = ["| measure | value |", "|---|---:|"]
    lines += [
        f"| {k} | {v:.1f} |" if isinstance(v, float) else f"| {k} | {v} |"
        for k, v in figures.items()
    ]
    (args.results / f"{name}.md").write_text(
        "# Audit checkpoints: what they cost\n\n`.venv/bin/python bench/checkpoints.py`\n\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
