"""Benchmark: a generated county loaded through the connectors, against raw MERGEs.

    .venv/bin/python bench/ingest.py                      # 1,000,000 persons (about 6.7M rows)
    .venv/bin/python bench/ingest.py --persons 100000 --curve-persons 20000
    .venv/bin/python bench/ingest.py --graph-uri falkordb://127.0.0.1:6379 --persons 50000

In one run, on a fresh embedded store in a temporary data directory (or, with `--graph-uri`,
in new graphs of that FalkorDB server, deleted afterwards; or in that Neo4j database, which
should be empty, see `bench/store_uri.py`):

1. generate a county of `--persons` persons (all datasets in proportion, CSV);
2. per dataset, in load order: load it through `ingest_file` (validation, mapping, stubs,
   hashes, provenance, reports: everything a department's file goes through), then load
   the same rows raw into another graph of the same server straight through the hub's
   RESP client (`hub.store.resp`, no store layer; on Neo4j, through the store's driver
   as the named query `bench_raw_merge`):
   `UNWIND $rows AS row MERGE (n:RawRow {key: row.key}) SET n += row.props`, with the
   spec's key and every other non-empty cell as a property. Interleaving keeps both paths
   under the same load from whatever else runs on the machine;
3. measure the batch-size curve (connector rows/s of psb.persons and bank.accounts of a
   `--curve-persons` county, per batch size), which justifies `WRITE_BATCH_SIZE`.

Reports, per dataset and overall: rows/s of both paths and their ratio, and the CPU time
per row of this process and of the graph server (which, unlike rows/s, does not depend on
how busy the machine is; the server's only when it runs on this machine); peak memory of
this process and of the server; the engine and its version. Results go to
`bench/results/ingest-<date>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import resource
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from store_uri import GRAPH_URI_HELP, engine_record, engine_text, graph_uri, local_falkordb_pid

from connectors import DATASETS, RunReport, ingest_file
from connectors.county import dataset_file
from hub.queries import QUERY_DIR, load_queries
from hub.settings import WRITE_BATCH_SIZE, Settings
from hub.store import GraphStore, open_store
from hub.store.cypher_params import params_header
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.resp import Endpoint, RespClient, RespError
from hub.store.schema import apply_schema
from schema.datasets import DATASETS_IN_LOAD_ORDER
from schema.departments import default_departments
from seed.county import generate_county

RESULTS_DIR = Path(__file__).parent / "results"
CURVE_DATASETS = ("psb.persons", "bank.accounts")
DEFAULT_BATCH_SIZES = (500, 1_000, 2_000, 5_000, 10_000)
# One label for every dataset's raw rows (labels cannot be parameters, and no text is ever
# formatted into a query): the key starts with the dataset's name.
RAW_QUERY = "UNWIND $rows AS row MERGE (n:RawRow {key: row.key}) SET n += row.props"
BENCH_QUERY_DIR = Path(__file__).parent / "cypher"  # bench_raw_merge: RAW_QUERY, for Neo4j


@dataclass
class Cost:
    """Wall time and CPU time (this process, the graph server) of one load."""

    wall_s: float
    bench_cpu_s: float
    server_cpu_s: float


class Meter:
    """Measures wall and CPU time of a stretch of work, here and in the graph server (when
    it runs on this machine; else its CPU counts as 0)."""

    def __init__(self, server_pid: int | None) -> None:
        self._stat = None if server_pid is None else Path(f"/proc/{server_pid}/stat")

    def _server_cpu(self) -> float:
        if self._stat is None:
            return 0.0
        fields = self._stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _own_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def start(self) -> tuple[float, float, float]:
        return time.perf_counter(), self._own_cpu(), self._server_cpu()

    def since(self, started: tuple[float, float, float]) -> Cost:
        wall, own, server = started
        return Cost(
            round(time.perf_counter() - wall, 3),
            round(self._own_cpu() - own, 3),
            round(self._server_cpu() - server, 3),
        )


@dataclass
class DatasetResult:
    dataset: str
    rows: int
    created: int
    rejected: int
    load_average: float
    connector: Cost
    raw: Cost

    @property
    def connector_s(self) -> float:
        return self.connector.wall_s

    @property
    def raw_s(self) -> float:
        return self.raw.wall_s

    @property
    def connector_rows_per_s(self) -> float:
        return self.rows / self.connector_s if self.connector_s else 0.0

    @property
    def raw_rows_per_s(self) -> float:
        return self.rows / self.raw_s if self.raw_s else 0.0

    @property
    def ratio(self) -> float:
        return self.raw_s / self.connector_s if self.connector_s else 0.0


# --- the connector path ----------------------------------------------------------------------


async def load_with_connector(
    store: GraphStore, county: Path, data_dir: Path, name: str, batch_size: int
) -> RunReport:
    return await ingest_file(
        store,
        name,
        dataset_file(county, name),
        default_departments()[DATASETS[name].owner],
        data_dir=data_dir,
        batch_size=batch_size,
    )


# --- the raw path ----------------------------------------------------------------------------


def raw_rows(path: Path, dataset: str) -> Iterator[dict[str, Any]]:
    """The file's rows as {key, props}: the spec's key, every other non-empty cell."""
    key_columns = SPEC_KEYS[dataset]
    with path.open(encoding="utf-8", newline="") as handle:
        for cells in csv.DictReader(handle):
            key = "|".join([dataset, *(cells[column] for column in key_columns)])
            props = {k: v for k, v in cells.items() if v and k not in key_columns}
            yield {"key": key, "props": props}


SPEC_KEYS = {
    "psb.persons": ("id_number",),
    "psb.relations": ("id_number", "relative_id_number", "relation"),
    "psb.vehicles": ("vin",),
    "amr.enterprises": ("uscc",),
    "amr.shareholders": ("uscc", "holder_id"),
    "amr.executives": ("uscc", "id_number", "title"),
    "bank.accounts": ("bank_code", "account_number"),
    "nrb.properties": ("cert_number", "owner_id"),
    "court.cases": ("case_number",),
    "court.parties": ("case_number", "party_id", "role"),
    "court.dishonest": ("case_number", "subject_id"),
}


async def load_raw(target: Target, county: Path, name: str) -> None:
    """The raw MERGE of the dataset's rows (reading the CSV included)."""
    rows = raw_rows(dataset_file(county, name), name)
    while batch := list(islice(rows, WRITE_BATCH_SIZE)):
        await target.write_raw(batch, name)


# --- where it loads ----------------------------------------------------------------------------


@dataclass
class Target:
    """The graph store the benchmark loads into, by `--graph-uri`: FalkorDB (its own embedded
    server, or one at falkordb://host:port) or Neo4j. Its graphs carry `run`'s name."""

    settings: Settings
    run: str  # a suffix of this run's graph names on a server others may use
    endpoint: Endpoint | None = None  # FalkorDB's
    server_pid: int | None = None  # when the server runs on this machine
    _raw: RespClient | GraphStore | None = None

    @classmethod
    def of(cls, uri: str, data_dir: Path, server: EmbeddedServer | None) -> Target:
        settings = Settings(graph_uri=uri, data_dir=data_dir)
        if settings.engine == "neo4j":
            return cls(settings, "")
        password = settings.graph_password.get_secret_value() if settings.graph_password else None
        if server is not None:
            address = server.start()
            endpoint = Endpoint(unix_socket=address.unix_socket, port=address.port or 0)
            return cls(settings, "", endpoint, address.pid)
        url = urlparse(uri)
        host, port = url.hostname or "127.0.0.1", url.port or 6379
        endpoint = Endpoint(host=host, port=port, password=password)
        run = f"_{uuid.uuid4().hex[:8]}"
        return cls(settings, run, endpoint, local_falkordb_pid(uri, password))

    @property
    def falkordb(self) -> bool:
        return self.endpoint is not None

    def graph(self, name: str) -> str:
        return name + self.run

    def open(self, graph: str) -> GraphStore:
        """A store of graph `graph` (FalkorDB), or of the configured database (Neo4j)."""
        if self.endpoint is None:
            queries = load_queries("neo4j", QUERY_DIR, BENCH_QUERY_DIR)
            return open_store(self.settings, queries)
        return FalkorDBStore(RespClient(self.endpoint), self.graph(graph), load_queries("falkordb"))

    async def start_raw(self) -> None:
        if self.endpoint is None:
            store = self._raw = self.open("raw")
            await store.ensure_index("RawRow", "key")
            return
        client = self._raw = RespClient(self.endpoint)
        statement = "CREATE INDEX FOR (n:RawRow) ON (n.key)"
        await client.call("GRAPH.QUERY", self.graph("raw"), statement)

    async def write_raw(self, batch: list[dict[str, Any]], name: str) -> None:
        if isinstance(self._raw, GraphStore):
            await self._raw.write("bench_raw_merge", {"rows": batch})
            return
        assert self._raw is not None, "start_raw first"
        query = params_header({"rows": batch}) + RAW_QUERY
        reply = await self._raw.call("GRAPH.QUERY", self.graph("raw"), query)
        if isinstance(reply, RespError):
            raise SystemExit(f"raw load of {name} failed: {reply}")

    async def close_raw(self) -> None:
        if self._raw is not None:
            await self._raw.close()

    async def drop(self, *graphs: str) -> None:
        """Delete these graphs (FalkorDB); on Neo4j the database keeps what was loaded."""
        if self.endpoint is None:
            return
        client = RespClient(self.endpoint)
        try:
            for graph in graphs:
                await client.call("GRAPH.DELETE", self.graph(graph))
        finally:
            await client.close()


# --- the batch-size curve --------------------------------------------------------------------


async def batch_size_curve(
    target: Target, county: Path, data_dir: Path, sizes: tuple[int, ...]
) -> list[dict[str, Any]]:
    curve = []
    for size in sizes:
        graph = f"curve_{size}"
        store = target.open(graph)
        await apply_schema(store)
        started = time.perf_counter()
        reports = [
            await load_with_connector(store, county, data_dir, name, size)
            for name in CURVE_DATASETS
        ]
        elapsed = time.perf_counter() - started
        rows = sum(report.rows_read for report in reports)
        await store.close()
        await target.drop(graph)
        curve.append({"batch_size": size, "rows": rows, "seconds": round(elapsed, 2)})
        print(f"  batch {size:>6,}: {rows / elapsed:>9,.0f} rows/s", flush=True)
    return curve


# --- running it ------------------------------------------------------------------------------


def server_peak_kib(pid: int | None) -> int:
    if pid is None:
        return 0  # not on this machine
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def load_county_both_ways(
    target: Target, county: Path, data_dir: Path, datasets: tuple[str, ...], engine: dict[str, Any]
) -> list[DatasetResult]:
    meter = Meter(target.server_pid)
    store = target.open("bench")
    engine.update(await engine_record(store, target.settings.graph_uri))
    print(f"graph store: {engine_text(engine)}", flush=True)
    await apply_schema(store)
    await target.start_raw()
    results = []
    try:
        for name in datasets:
            load_average = os.getloadavg()[0]
            started = meter.start()
            report = await load_with_connector(store, county, data_dir, name, WRITE_BATCH_SIZE)
            connector = meter.since(started)
            started = meter.start()
            await load_raw(target, county, name)
            raw_use = meter.since(started)
            result = DatasetResult(
                name,
                report.rows_read,
                report.created,
                report.rows_rejected,
                load_average,
                connector,
                raw_use,
            )
            results.append(result)
            print(
                f"  {name:<17} {result.rows:>9,} rows: connector {connector.wall_s:7.1f} s "
                f"raw {raw_use.wall_s:7.1f} s  (load {load_average:.1f})",
                flush=True,
            )
    finally:
        await store.close()
        await target.close_raw()
    return results


async def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    county, curve_county, data_dir = work / "county", work / "curve-county", work / "var"
    started = time.perf_counter()
    manifest = generate_county(county, args.persons, seed=0)
    generated_s = time.perf_counter() - started
    print(
        f"generated {sum(manifest.row_counts.values()):,} rows in {generated_s:.1f} s", flush=True
    )

    server = EmbeddedServer(data_dir) if args.graph_uri == "embedded" else None
    target = Target.of(args.graph_uri, data_dir, server)
    engine: dict[str, Any] = {}
    try:
        datasets = tuple(name for name in DATASETS_IN_LOAD_ORDER if name in args.datasets)
        results = await load_county_both_ways(target, county, data_dir, datasets, engine)
        bench_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        server_peak = server_peak_kib(target.server_pid)
        curve: list[dict[str, Any]] = []
        if args.curve_persons and target.falkordb:  # Neo4j: one database, loaded already
            generate_county(curve_county, args.curve_persons, seed=1)
            names = ", ".join(CURVE_DATASETS)
            print(f"batch-size curve ({names}, {args.curve_persons:,} persons):", flush=True)
            curve = await batch_size_curve(target, curve_county, data_dir, args.batch_sizes)
    finally:
        if server is not None:
            server.stop()
        elif not args.keep:
            await target.drop("bench", "raw")
    summary = summarise(args, results, curve, generated_s, bench_peak, server_peak)
    return {**summary, "engine": engine, "server_measured": target.server_pid is not None}


def per_row_us(seconds: float, rows: int) -> float:
    return round(seconds / rows * 1e6, 1) if rows else 0.0


def totals(results: list[DatasetResult], path: str) -> Cost:
    costs = [getattr(result, path) for result in results]
    return Cost(
        round(sum(c.wall_s for c in costs), 1),
        round(sum(c.bench_cpu_s for c in costs), 1),
        round(sum(c.server_cpu_s for c in costs), 1),
    )


def path_summary(cost: Cost, rows: int) -> dict[str, Any]:
    return {
        **asdict(cost),
        "rows_per_s": round(rows / cost.wall_s) if cost.wall_s else 0,
        "bench_cpu_us_per_row": per_row_us(cost.bench_cpu_s, rows),
        "server_cpu_us_per_row": per_row_us(cost.server_cpu_s, rows),
    }


def cpu_ratio(raw: Cost, connector: Cost) -> float:
    raw_cpu = raw.bench_cpu_s + raw.server_cpu_s
    connector_cpu = connector.bench_cpu_s + connector.server_cpu_s
    return round(raw_cpu / connector_cpu, 3) if connector_cpu else 0.0


def summarise(
    args: argparse.Namespace,
    results: list[DatasetResult],
    curve: list[dict[str, Any]],
    generated_s: float,
    bench_peak_kib: int,
    server_peak_kib: int,
) -> dict[str, Any]:
    rows = sum(r.rows for r in results)
    connector, raw = totals(results, "connector"), totals(results, "raw")
    return {
        "date": date.today().isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
        },
        "persons": args.persons,
        "batch_size": WRITE_BATCH_SIZE,
        "generated_s": round(generated_s, 1),
        "rows": rows,
        "connector": path_summary(connector, rows),
        "raw": path_summary(raw, rows),
        "ratio": round(raw.wall_s / connector.wall_s, 3),
        "cpu_ratio": cpu_ratio(raw, connector),
        "peak_rss_mib": {
            "bench_process": round(bench_peak_kib / 1024),
            "graph_server": round(server_peak_kib / 1024),
        },
        "datasets": [
            {
                "dataset": r.dataset,
                "rows": r.rows,
                "created": r.created,
                "rejected": r.rejected,
                "load_average": round(r.load_average, 2),
                "connector": path_summary(r.connector, r.rows),
                "raw": path_summary(r.raw, r.rows),
                "ratio": round(r.raw_s / r.connector_s, 3) if r.connector_s else 0.0,
                "cpu_ratio": cpu_ratio(r.raw, r.connector),
            }
            for r in results
        ],
        "batch_size_curve": [
            {**point, "rows_per_s": round(point["rows"] / point["seconds"])} for point in curve
        ],
    }


def markdown(summary: dict[str, Any]) -> str:
    lines = [
        f"# Ingest benchmark, {summary['date']}",
        "",
        f"Graph store: {engine_text(summary['engine'])}"
        + (
            "."
            if summary["server_measured"]
            else "; its server's CPU and memory not measured (not on this machine)."
        ),
        "",
        f"County of {summary['persons']:,} persons: {summary['rows']:,} rows "
        f"(generated in {summary['generated_s']} s); {summary['machine']['cpus']} CPUs; "
        f"batch size {summary['batch_size']:,}.",
        "",
        "Rows/s are wall-clock; CPU is µs per row of the bench process (Python) and of the "
        "graph server; ratios are raw/connector (1.0 = as fast as raw).",
        "",
        "| dataset | rows | load | connector rows/s | raw rows/s | ratio | connector CPU µs/row "
        "(py + server) | raw CPU µs/row (py + server) | CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for d in [*summary["datasets"], {**summary, "dataset": "**all**", "load_average": None}]:
        c, r = d["connector"], d["raw"]
        load = "" if d["load_average"] is None else f"{d['load_average']:.1f}"
        lines.append(
            f"| {d['dataset']} | {d['rows']:,} | {load} | {c['rows_per_s']:,} | "
            f"{r['rows_per_s']:,} | {d['ratio']:.2f} | "
            f"{c['bench_cpu_us_per_row']} + {c['server_cpu_us_per_row']} | "
            f"{r['bench_cpu_us_per_row']} + {r['server_cpu_us_per_row']} | {d['cpu_ratio']:.2f} |"
        )
    lines += [
        "",
        f"Wall time: connector {summary['connector']['wall_s']:,} s, raw "
        f"{summary['raw']['wall_s']:,} s. Peak RSS: bench process "
        f"{summary['peak_rss_mib']['bench_process']:,} MiB, graph server "
        f"{summary['peak_rss_mib']['graph_server']:,} MiB.",
    ]
    if summary["batch_size_curve"]:
        lines += ["", "| batch size | rows | s | rows/s |", "|---:|---:|---:|---:|"]
        lines += [
            f"| {p['batch_size']:,} | {p['rows']:,} | {p['seconds']} | {p['rows_per_s']:,} |"
            for p in summary["batch_size_curve"]
        ]
    return "\n".join(lines) + "\n"


def stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so the graph server is stopped and the files removed."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def main() -> None:
    stop_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--graph-uri", type=graph_uri, default="embedded", help=GRAPH_URI_HELP)
    parser.add_argument("--curve-persons", type=int, default=100_000, help="0: no curve")
    parser.add_argument(
        "--batch-sizes",
        type=lambda text: tuple(int(size) for size in text.split(",")),
        default=DEFAULT_BATCH_SIZES,
    )
    parser.add_argument(
        "--datasets",
        type=lambda text: tuple(text.split(",")),
        default=DATASETS_IN_LOAD_ORDER,
        help="comma-separated, loaded in load order (default: all)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    try:
        summary = asyncio.run(run(args, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"ingest-{summary['date']}"
    stem.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown(summary), encoding="utf-8")
    print(markdown(summary))


if __name__ == "__main__":
    main()
