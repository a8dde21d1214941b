"""Benchmark: how long the embedded store takes to start again after a county's load.

    .venv/bin/python bench/restart.py --persons 50000

Generates a county, loads every dataset through the connectors into a fresh embedded store,
then, one after the other on the same data directory:

1. stops the server without rewriting its append-only file (as before the hub did so) and
   times a start: the base file, then every write appended since, replayed;
2. times the rewrite the owner now does on stopping (`EmbeddedServer.compact`), stops, and
   times a start again: the base file alone.

Reports the file sizes, the times and their ratio, and the server's RSS once loaded.
Results: `bench/results/restart-<date>.md`.

    .venv/bin/python bench/restart.py --data-dir /work/bench1m-initial/initial --label 1m

times starts of an existing data directory instead (say after `hub ingest-initial`), each
until the store answers, and splits each by the server's log into reading the graph and
building its indexes (FalkorDB builds them again on every start): `restart-<date>-<label>.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from connectors import DATASETS, ingest_file
from connectors.county import dataset_file
from hub.queries import load_queries
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from schema.datasets import DATASETS_IN_LOAD_ORDER
from schema.departments import default_departments
from seed.county import generate_county

RESULTS_DIR = Path(__file__).parent / "results"


async def load_county(server: EmbeddedServer, county: Path, data_dir: Path) -> int:
    assert server.address is not None
    store = FalkorDBStore.connect(
        load_queries("falkordb"), "hub", unix_socket=server.address.unix_socket
    )
    rows = 0
    try:
        await apply_schema(store)
        for name in DATASETS_IN_LOAD_ORDER:
            department = default_departments()[DATASETS[name].owner]
            report = await ingest_file(
                store, name, dataset_file(county, name), department, data_dir=data_dir
            )
            rows += report.rows_read
    finally:
        await store.close()
    return rows


def files(data_dir: Path) -> dict[str, float]:
    """The append-only directory's files and their sizes in MB (base and increments)."""
    folder = data_dir / "graph" / "appendonlydir"
    return {path.name: round(path.stat().st_size / 2**20, 1) for path in sorted(folder.iterdir())}


def timed_start(data_dir: Path) -> tuple[EmbeddedServer, float, int]:
    server = EmbeddedServer(data_dir)
    started = time.perf_counter()
    address = server.start()
    seconds = time.perf_counter() - started
    rss_kib = 0
    for line in Path(f"/proc/{address.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss_kib = int(line.split()[1])
    return server, round(seconds, 2), rss_kib // 1024


def run(persons: int, work: Path) -> dict[str, Any]:
    county, data_dir = work / "county", work / "var"
    generate_county(county, persons, seed=0)
    server = EmbeddedServer(data_dir)
    server.start()
    started = time.perf_counter()
    rows = asyncio.run(load_county(server, county, data_dir))
    load_s = round(time.perf_counter() - started, 1)
    server._compact = lambda: None  # type: ignore[method-assign]  # stop as before
    server.stop()
    appended = files(data_dir)
    print(f"loaded {rows:,} rows in {load_s} s; files {appended}", flush=True)

    server, replayed_s, rss_mib = timed_start(data_dir)
    print(f"start replaying the appended writes: {replayed_s} s", flush=True)
    started = time.perf_counter()
    rewrote = server.compact()
    rewrite_s = round(time.perf_counter() - started, 2)
    server.stop()
    compacted = files(data_dir)
    server, base_only_s, _ = timed_start(data_dir)
    server.stop()
    print(f"rewrite {rewrite_s} s; start from the base alone: {base_only_s} s", flush=True)
    return {
        "date": date.today().isoformat(),
        "persons": persons,
        "rows": rows,
        "load_s": load_s,
        "files_after_load_mb": appended,
        "start_replaying_s": replayed_s,
        "rewrote": rewrote,
        "rewrite_s": rewrite_s,
        "files_after_rewrite_mb": compacted,
        "start_from_base_s": base_only_s,
        "server_rss_mib": rss_mib,
    }


def sizes(files_mb: dict[str, float]) -> str:
    """`base 42.2 MB + appended 0.0 MB` from the append-only directory's listing."""
    base = sum(mb for name, mb in files_mb.items() if ".base." in name)
    appended = sum(mb for name, mb in files_mb.items() if ".incr." in name)
    return f"base {base:,.1f} MB + appended {appended:,.1f} MB"


def markdown(result: dict[str, Any]) -> str:
    ratio = result["start_replaying_s"] / max(result["start_from_base_s"], 0.01)
    return "\n".join(
        [
            f"# Restart of the embedded store, {result['date']}",
            "",
            f"`bench/restart.py --persons {result['persons']}`: {result['rows']:,} rows loaded "
            f"through the connectors in {result['load_s']} s; server RSS once started "
            f"{result['server_rss_mib']:,} MiB.",
            "",
            "| | append-only files | start (s) |",
            "|---|---|---:|",
            f"| stopped right after the load | {sizes(result['files_after_load_mb'])} | "
            f"{result['start_replaying_s']} |",
            f"| rewritten on stopping ({result['rewrite_s']} s) | "
            f"{sizes(result['files_after_rewrite_mb'])} | {result['start_from_base_s']} |",
            "",
            f"Start after the rewrite: {ratio:.1f}× faster.",
            "",
        ]
    )


LOG_TIME = re.compile(r"(\d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3})")


def log_phases(log: Path, offset: int) -> dict[str, float]:
    """From the server's log written since `offset`: seconds reading the graphs (until the
    last graph's indexes are begun) and building the indexes, as the server stamped them."""
    stamps: dict[str, list[float]] = {"first": [], "indexes": [], "decoded": []}
    with log.open("rb") as handle:
        handle.seek(offset)
        for line in handle.read().decode(errors="replace").splitlines():
            found = LOG_TIME.search(line)
            if found is None:
                continue
            at = time.mktime(time.strptime(found[1][:-4], "%d %b %Y %H:%M:%S"))
            at += int(found[1][-3:]) / 1000
            stamps["first"].append(at)
            if "Constructing indexes" in line:
                stamps["indexes"].append(at)
            elif "Done decoding graph" in line:
                stamps["decoded"].append(at)
    if not stamps["indexes"] or not stamps["decoded"]:
        return {}
    # the graphs are read one after the other; the largest one's indexes take the time
    spans = sorted(
        zip(stamps["indexes"], stamps["decoded"], strict=False), key=lambda s: s[0] - s[1]
    )
    begun, done = spans[0]
    return {
        "read_s": round(begun - stamps["first"][0], 1),
        "indexes_s": round(done - begun, 1),
    }


def existing(data_dir: Path, starts: int) -> dict[str, Any]:
    """Starts of `data_dir` as it is, one after the other."""
    log = data_dir / "graph" / "falkordb.log"
    runs = []
    for _ in range(starts):
        offset = log.stat().st_size if log.exists() else 0
        server, seconds, rss_mib = timed_start(data_dir)
        server.stop()
        runs.append({"start_s": seconds, "server_rss_mib": rss_mib, **log_phases(log, offset)})
        print(runs[-1], flush=True)
    return {
        "date": date.today().isoformat(),
        "data_dir": str(data_dir),
        "files_mb": files(data_dir),
        "starts": runs,
    }


def existing_markdown(result: dict[str, Any], label: str) -> str:
    lines = [
        f"# Restart of the embedded store, {result['date']} {label}".rstrip(),
        "",
        f"`bench/restart.py --data-dir {result['data_dir']}`: {sizes(result['files_mb'])}.",
        "Each start until the store answers; its parts from the server's log.",
        "",
        "| start | seconds | reading the graphs | building the indexes | server RSS MiB |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n, run in enumerate(result["starts"], 1):
        lines.append(
            f"| {n} | {run['start_s']} | {run.get('read_s', '')} | {run.get('indexes_s', '')} "
            f"| {run['server_rss_mib']:,} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument("--data-dir", type=Path, help="time starts of this data directory")
    parser.add_argument("--starts", type=int, default=2)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.data_dir is not None:
        found = existing(args.data_dir, args.starts)
        stem = f"restart-{found['date']}" + (f"-{args.label}" if args.label else "")
        (args.out / f"{stem}.md").write_text(existing_markdown(found, args.label), encoding="utf-8")
        print(existing_markdown(found, args.label))
        return
    work = Path(tempfile.mkdtemp(prefix="hub-restart-"))
    try:
        result = run(args.persons, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = markdown(result)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"restart-{result['date']}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
