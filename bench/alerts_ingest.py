"""Benchmark: what watching connector runs for new assets and clues (NEW_ASSET, NEW_CLUE;
hub.alerts.arrivals) costs ingest.

    .venv/bin/python bench/alerts_ingest.py --persons 50000 --rounds 2

Generates a county and loads it into fresh graphs of one embedded store, alternately without
and with the watch, side by side in one run. The court's cases and parties are loaded first,
so every respondent's asset, phone and address arrives after its case: the most alerts a
county's load can raise (a real feed brings far fewer). Reports, per watched dataset, the
seconds without and with the watch and their ratio, and the alerts raised.
Results: `bench/results/alerts-ingest-<date>.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from connectors import DATASETS, ingest_file
from connectors.county import dataset_file
from connectors.writer import AfterWrite
from hub.alerts import arrivals
from hub.queries import load_queries
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from schema.datasets import DATASETS_IN_LOAD_ORDER
from schema.departments import Department, default_departments
from seed.county import generate_county

RESULTS_DIR = Path(__file__).parent / "results"
COURT_FIRST = ("court.cases", "court.parties")
LOAD_ORDER = COURT_FIRST + tuple(n for n in DATASETS_IN_LOAD_ORDER if n not in COURT_FIRST)


class TimedWatch:
    """The hub's watch of one run, timing its two steps: the look before each batch and the
    raise after it. Both run in the writer's task, between the batch writes, so their time
    adds to the dataset's."""

    def __init__(self, store: FalkorDBStore, department: Department) -> None:
        self._watch = arrivals.watcher(store, department)
        self.seconds = 0.0

    async def __call__(self, dataset: str, rows: list[dict[str, Any]]) -> AfterWrite | None:
        started = time.perf_counter()
        after = await self._watch(dataset, rows)
        self.seconds += time.perf_counter() - started
        if after is None:
            return None

        async def timed_after() -> None:
            started = time.perf_counter()
            await after()
            self.seconds += time.perf_counter() - started

        return timed_after


async def load(
    server: EmbeddedServer, graph: str, county: Path, work: Path, watched: bool
) -> dict[str, Any]:
    assert server.address is not None
    store = FalkorDBStore.connect(
        load_queries("falkordb"), graph, unix_socket=server.address.unix_socket
    )
    seconds: dict[str, float] = {}
    watching: dict[str, float] = {}
    try:
        await apply_schema(store)
        for name in LOAD_ORDER:
            department = default_departments()[DATASETS[name].owner]
            watch = TimedWatch(store, department) if watched else None
            started = time.perf_counter()
            await ingest_file(
                store, name, dataset_file(county, name), department, data_dir=work, watch=watch
            )
            seconds[name] = time.perf_counter() - started
            if watch is not None:
                watching[name] = watch.seconds
    finally:
        await store.close()
    return {"seconds": seconds, "watch_seconds": watching, "alerts": alerts_by_kind(server, graph)}


def alerts_by_kind(server: EmbeddedServer, graph: str) -> dict[str, int]:
    assert server.address is not None
    reply = server.address.client(timeout=60).execute_command(  # type: ignore[no-untyped-call]
        "GRAPH.RO_QUERY", graph, "MATCH (a:Alert) RETURN a.kind, count(a)"
    )
    return {str(kind.decode() if isinstance(kind, bytes) else kind): int(n) for kind, n in reply[1]}


def run(persons: int, rounds: int, work: Path) -> dict[str, Any]:
    county = work / "county"
    generate_county(county, persons, seed=0)
    server = EmbeddedServer(work / "var")
    server.start()
    results: dict[str, list[dict[str, Any]]] = {"plain": [], "watched": []}
    try:
        for n in range(rounds):
            order = ("plain", "watched") if n % 2 == 0 else ("watched", "plain")
            for variant in order:
                graph = f"bench_alerts_{variant}_{n}"
                outcome = asyncio.run(
                    load(server, graph, county, work / graph, variant == "watched")
                )
                results[variant].append(outcome)
                assert server.address is not None
                client = server.address.client(timeout=600)
                client.execute_command("GRAPH.DELETE", graph)  # type: ignore[no-untyped-call]
    finally:
        server.stop()
    return {"persons": persons, "rounds": rounds, "results": results}


def report(measured: dict[str, Any]) -> str:
    plain, watched = measured["results"]["plain"], measured["results"]["watched"]
    lines = [
        f"# Alerts from connector runs: cost to ingest, {date.today()}",
        "",
        f"County: {measured['persons']:,} persons; {measured['rounds']} rounds, without and "
        "with the watch alternately, into fresh graphs of one embedded store; court cases "
        "and parties loaded first (every respondent's asset arrives after its case). "
        "Median seconds per dataset. `watch s` is the time the watch itself took inside "
        "the watched run (the look before each batch and the raise after it, timed where "
        "the writer calls them): its share of the dataset's time is the cost, measured in "
        "one run and so free of what the machine's load does between runs.",
        "",
        "| dataset | without s | with s | watch s | watch share |",
        "|---|---:|---:|---:|---:|",
    ]
    totals = [0.0, 0.0, 0.0]
    for name in LOAD_ORDER:
        a = statistics.median(r["seconds"][name] for r in plain)
        b = statistics.median(r["seconds"][name] for r in watched)
        w = statistics.median(r["watch_seconds"][name] for r in watched)
        totals = [totals[0] + a, totals[1] + b, totals[2] + w]
        mark = " (watched)" if name in arrivals.ARRIVALS else ""
        lines.append(f"| {name}{mark} | {a:.2f} | {b:.2f} | {w:.2f} | {w / b:.1%} |")
    a, b, w = totals
    lines.append(f"| **all** | {a:.2f} | {b:.2f} | {w:.2f} | {w / b:.1%} |")
    raised, none = watched[0]["alerts"], plain[0]["alerts"]
    lines += [
        "",
        f"Alerts raised by a watched load: {raised.get('NEW_ASSET', 0):,} NEW_ASSET, "
        f"{raised.get('NEW_CLUE', 0):,} NEW_CLUE (without the watch: {sum(none.values())}).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-alerts-") as folder:
        measured = run(args.persons, args.rounds, Path(folder))
    text = report(measured)
    stem = RESULTS_DIR / f"alerts-ingest-{date.today()}"
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(measured, indent=1), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
