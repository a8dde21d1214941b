"""Benchmark: a county's first load, `hub ingest-initial` (GRAPH.BULK) against the connectors.

    .venv/bin/python bench/initial_load.py --persons 50000
    .venv/bin/python bench/initial_load.py --county /work/bench1m/county-1000000 \\
        --initial-only --work-dir /work/bench1m-initial --label 1m

In one run, each path on a fresh embedded store in a data directory of its own (under
`--work-dir`, a temporary directory by default; the store is started by this script, so
that it stays up after the load to be measured):

1. the connector path: every dataset through `load_county` (what `hub serve --demo` and
   `hub ingest` run: `ingest_file` per file, `UNWIND … MERGE` batches), in this process;
2. the initial path: `hub ingest-initial DIR --json` as an operator runs it (a process of
   its own, attaching to the store), then the server's RSS, `INFO memory` and
   `GRAPH.MEMORY USAGE` of the graph: bytes per node and per relationship, and what takes
   the room.

Reports the wall time, rows/s and their ratio, the CPU time of the loading process and of
the server, the loading process's peak RSS (the initial path builds the county in memory).
`--initial-only` skips the connector path (on the 1M county it takes half an hour: compare
with the recorded run). Results: `bench/results/initial-load-<date>[-label].json` and `.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from connectors import load_county
from hub.queries import load_queries
from hub.settings import DEFAULT_FALKORDB_GRAPH
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from seed.county import generate_county

RESULTS_DIR = Path(__file__).parent / "results"
HUB = Path(sys.executable).parent / "hub"


def _server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class PathRun:
    path: str
    rows: int = 0
    wall_s: float = 0.0
    loader_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    loader_peak_rss_mb: float = 0.0
    server_rss_mb: float = 0.0
    nodes: int = 0
    relationships: int = 0
    steps_s: dict[str, float] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.wall_s if self.wall_s else 0.0


def _fresh_server(work: Path, name: str) -> tuple[Path, EmbeddedServer, int]:
    data_dir = work / name
    data_dir.mkdir(parents=True, exist_ok=False)
    (data_dir / "hub-data.json").write_text('{"by": "bench/initial_load.py"}\n')
    server = EmbeddedServer(data_dir)
    address = server.start()
    return data_dir, server, address.pid


def run_connectors(county: Path, work: Path) -> PathRun:
    data_dir, server, pid = _fresh_server(work, "connectors")
    result = PathRun("connectors")
    try:
        assert server.address is not None
        store = FalkorDBStore.connect(
            load_queries("falkordb"),
            DEFAULT_FALKORDB_GRAPH,
            unix_socket=server.address.unix_socket,
            port=server.address.port or 0,
        )

        async def load() -> int:
            try:
                await apply_schema(store)
                reports = await load_county(store, county, data_dir=data_dir)
                return sum(report.rows_read for report in reports)
            finally:
                await store.close()

        cpu, server_cpu, started = time.process_time(), _server_cpu(pid), time.perf_counter()
        result.rows = asyncio.run(load())
        result.wall_s = time.perf_counter() - started
        result.loader_cpu_s = time.process_time() - cpu
        result.server_cpu_s = _server_cpu(pid) - server_cpu
        result.loader_peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result.server_rss_mb = _rss_mb(pid)
    finally:
        server.stop()
    return result


def run_initial(county: Path, work: Path) -> PathRun:
    data_dir, server, pid = _fresh_server(work, "initial")
    result = PathRun("initial")
    env = {**os.environ, "HUB_DATA_DIR": str(data_dir), "HUB_GRAPH_URI": "embedded"}
    env.pop("HUB_GRAPH_DATABASE", None)
    try:
        server_cpu, started = _server_cpu(pid), time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        log_path = work / "initial.log"
        with log_path.open("w") as log_file:
            loading = subprocess.Popen(
                [str(HUB), "ingest-initial", str(county), "--json"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=log_file,
                text=True,
            )
            stdout = _watched(loading)
        result.wall_s = time.perf_counter() - started
        if loading.returncode != 0:
            tail = log_path.read_text(errors="replace")[-4000:]
            raise SystemExit(f"hub ingest-initial failed ({loading.returncode}):\n{tail}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        outcome = json.loads(stdout)
        result.rows = outcome["rows"]
        result.nodes, result.relationships = outcome["nodes"], outcome["relationships"]
        result.steps_s = outcome["seconds"]
        result.loader_cpu_s = (after.ru_utime + after.ru_stime) - (
            before.ru_utime + before.ru_stime
        )
        result.loader_peak_rss_mb = after.ru_maxrss / 1024
        result.server_cpu_s = _server_cpu(pid) - server_cpu
        result.server_rss_mb = _rss_mb(pid)
        result.memory = _memory(server, result)
    finally:
        server.stop()
    return result


MIN_AVAILABLE_MB = 2048  # the machine is shared: stop the load rather than starve the others


def _available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def _watched(loading: subprocess.Popen[str]) -> str:
    """The load's output; killed when the machine runs short of memory."""
    while True:
        try:
            stdout, _ = loading.communicate(timeout=5)
            return stdout
        except subprocess.TimeoutExpired:
            if _available_mb() < MIN_AVAILABLE_MB:
                loading.kill()
                loading.communicate()
                raise SystemExit(
                    f"stopped the load: under {MIN_AVAILABLE_MB} MB of memory left"
                ) from None


def _memory(server: EmbeddedServer, run: PathRun) -> dict[str, Any]:
    """Where the server's memory goes: INFO memory and GRAPH.MEMORY USAGE of the graph."""
    assert server.address is not None
    client = server.address.client(timeout=600)
    info = client.info("memory")
    usage = client.execute_command("GRAPH.MEMORY", "USAGE", DEFAULT_FALKORDB_GRAPH)  # type: ignore[no-untyped-call]
    graph = _decoded(
        dict(zip(usage[::2], usage[1::2], strict=True)) if isinstance(usage, list) else usage
    )
    used = int(info["used_memory"])
    return {
        "used_memory_mb": round(used / 2**20, 1),
        "used_memory_rss_mb": round(int(info["used_memory_rss"]) / 2**20, 1),
        "graph_memory_usage_mb": graph,
        "bytes_per_node_and_relationship": round(used / max(run.nodes + run.relationships, 1)),
    }


def _decoded(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, dict):
        return {_decoded(k): _decoded(v) for k, v in value.items()}
    return value


def _markdown(county: Path, runs: list[PathRun], label: str) -> str:
    lines = [
        f"# Initial load against the connectors, {date.today().isoformat()} {label}".rstrip(),
        "",
        f"County: `{county}` ({runs[0].rows:,} rows). `bench/initial_load.py`, each path on a "
        "fresh embedded store; load average at the end "
        f"{os.getloadavg()[0]:.1f} (2 cores shared with other work).",
        "",
        "| path | wall s | rows/s | loader CPU s | server CPU s | loader peak RSS MB "
        "| server RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        lines.append(
            f"| {run.path} | {run.wall_s:.1f} | {run.rows_per_s:,.0f} | {run.loader_cpu_s:.1f} "
            f"| {run.server_cpu_s:.1f} | {run.loader_peak_rss_mb:,.0f} | {run.server_rss_mb:,.0f} |"
        )
    by = {run.path: run for run in runs}
    if "connectors" in by and "initial" in by:
        ratio = by["initial"].rows_per_s / by["connectors"].rows_per_s
        lines += ["", f"Initial load rows/s over the connectors': **{ratio:.2f}×**."]
    if "initial" in by:
        run = by["initial"]
        lines += [
            "",
            f"Initial load: {run.nodes:,} nodes, {run.relationships:,} relationships; steps (s): "
            + ", ".join(f"{step} {seconds}" for step, seconds in run.steps_s.items()),
            "",
            "Server memory after the load: " + json.dumps(run.memory, ensure_ascii=False),
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--county", type=Path, help="an existing county's files (not generated)")
    parser.add_argument("--work-dir", type=Path, help="where the data directories go")
    parser.add_argument("--initial-only", action="store_true")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="initial-load-"))
    work.mkdir(parents=True, exist_ok=True)
    county = args.county
    if county is None:
        county = work / f"county-{args.persons}"
        generate_county(county, args.persons, 0)
    runs = []
    if not args.initial_only:
        runs.append(run_connectors(county, work))
        print(f"connectors: {runs[-1].wall_s:.1f} s, {runs[-1].rows_per_s:,.0f} rows/s", flush=True)
    runs.append(run_initial(county, work))
    print(f"initial: {runs[-1].wall_s:.1f} s, {runs[-1].rows_per_s:,.0f} rows/s", flush=True)
    stem = f"initial-load-{date.today().isoformat()}" + (f"-{args.label}" if args.label else "")
    RESULTS_DIR.mkdir(exist_ok=True)
    data = {
        "county": str(county),
        "runs": [{**asdict(r), "rows_per_s": r.rows_per_s} for r in runs],
    }
    (RESULTS_DIR / f"{stem}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    text = _markdown(county, runs, args.label)
    (RESULTS_DIR / f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
