"""Where a connector row's time goes, per dataset: Python stages, and the server's operators.

    .venv/bin/python bench/ingest_profile.py --persons 20000

Generates a county, then per dataset in load order:

1. Python, without a store: CPU µs per row of reading, validating and mapping a chunk
   (`_next_chunk`, hash included) and of writing the parameter header of the batch's rows
   and parties (what `hub.store.cypher_params` sends);
2. server: the county is loaded through the connectors into a fresh embedded store, and the
   second batch of every dataset is run as `GRAPH.PROFILE` instead (each query of the batch:
   ingest_parties, the dataset's query), summing FalkorDB's execution time per operator.

Execution times are wall time inside the server: on a busy machine they swell; compare the
operators' shares within one run. Results: `bench/results/ingest-profile-<date>.md`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from connectors import DATASETS, ingest_file
from connectors.county import dataset_file
from connectors.pipeline import _next_chunk
from connectors.readers import format_of, open_source
from hub.queries import load_queries
from hub.settings import WRITE_BATCH_SIZE
from hub.store.cypher_params import params_header
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from schema.datasets import DATASETS_IN_LOAD_ORDER
from schema.departments import default_departments
from seed.county import generate_county

RESULTS_DIR = Path(__file__).parent / "results"
# The first batch of a dataset meets a graph without its kind of nodes: the second is
# profiled, or the only one of a dataset smaller than a batch.
PROFILED_BATCH = 2
OPERATION = re.compile(r"^\s*([A-Za-z][A-Za-z ]*?)\s*(\|.*)?\| Records produced: (\d+), "
                       r"Execution time: ([0-9.]+) ms")  # fmt: skip


def python_costs(county: Path, name: str) -> dict[str, float]:
    """CPU µs per row of validating and mapping, and of the parameter headers."""
    dataset = DATASETS[name]
    path = dataset_file(county, name)
    validate = header = 0.0
    rows_read = 0
    with contextlib.ExitStack() as stack:
        source = stack.enter_context(open_source(path, format_of(path, None), None))
        last_line = 0
        while True:
            started = time.process_time()
            chunk = _next_chunk(source.records, dataset, "bench", WRITE_BATCH_SIZE, last_line)
            validated = time.process_time()
            validate += validated - started
            if not chunk.read:
                break
            last_line, rows_read = chunk.last_line, rows_read + chunk.read
            parties = {party.id: party for _, refs in chunk.rows for party in refs}
            params_header({"rows": [row for row, _ in chunk.rows]})
            params_header({"rows": [party.to_graph() for party in parties.values()]})
            header += time.process_time() - validated
    return {
        "rows": rows_read,
        "validate_map_us": round(validate / rows_read * 1e6, 1),
        "header_us": round(header / rows_read * 1e6, 1),
    }


class Profiler:
    """Runs one batch of a dataset (PROFILED_BATCH) as GRAPH.PROFILE and keeps the plan."""

    def __init__(self, store: FalkorDBStore, graph: str) -> None:
        self.store, self.graph = store, graph
        self.dataset = ""
        self.batches: Counter[str] = Counter()
        self.profiled = PROFILED_BATCH
        self.operators: dict[str, dict[str, float]] = {}
        self.queries: dict[str, dict[str, float]] = {}
        self._run = store._run
        store._run = self.run  # type: ignore[method-assign]

    def start(self, dataset: str, rows: int) -> None:
        self.dataset, self.batches = dataset, Counter()
        self.profiled = PROFILED_BATCH if rows > WRITE_BATCH_SIZE else 1
        self.operators[dataset], self.queries[dataset] = {}, {}

    async def run(self, text: str, params: Mapping[str, Any], *, write: bool) -> list[Any]:
        name = next((n for n, t in self.store.queries.texts.items() if t is text), "")
        if not (write and name.startswith("ingest_") and "rows" in params):
            return await self._run(text, params, write=write)
        self.batches[name] += 1
        if self.batches[name] != self.profiled:
            return await self._run(text, params, write=write)
        client = self.store._client
        plan = await client.call("GRAPH.PROFILE", self.graph, params_header(params) + text)
        assert isinstance(plan, list), plan
        total = 0.0
        for line in plan:
            match = OPERATION.match(line.decode() if isinstance(line, bytes) else str(line))
            if match:
                operator, spent = match.group(1), float(match.group(4))
                key = f"{name}: {operator}"
                self.operators[self.dataset][key] = self.operators[self.dataset].get(key, 0) + spent
                total += spent
        self.queries[self.dataset][name] = round(total / len(params["rows"]) * 1000, 1)
        return [{"created": 0, "updated": 0, "parties_created": 0}]  # counts are not kept


async def server_costs(county: Path, work: Path, rows: dict[str, int]) -> Profiler:
    server = EmbeddedServer(work)
    address = server.start()
    store = FalkorDBStore.connect(
        load_queries("falkordb"), "bench", unix_socket=address.unix_socket
    )
    try:
        await apply_schema(store)
        profiler = Profiler(store, "bench")
        for name in DATASETS_IN_LOAD_ORDER:
            profiler.start(name, rows[name])
            department = default_departments()[DATASETS[name].owner]
            path = dataset_file(county, name)
            await ingest_file(store, name, path, department, data_dir=work)
            print(f"  {name}: {profiler.queries[name]}", flush=True)
        return profiler
    finally:
        await store.close()
        server.stop()


def markdown(persons: int, python: dict[str, dict[str, float]], profiler: Profiler) -> str:
    lines = [
        f"# Where connector ingest goes, {date.today().isoformat()}",
        "",
        f"`bench/ingest_profile.py --persons {persons}`. Python: CPU µs per row without a "
        "store. Server: FalkorDB's execution time (µs per row of the batch) of batch "
        f"{PROFILED_BATCH} of each dataset (the only one of a smaller dataset), from "
        "`GRAPH.PROFILE`, per query and its largest "
        "operators (sums over the plan; wall time inside the server, so swollen on a busy "
        "machine: compare shares).",
        "",
        "| dataset | rows | validate + map µs | header µs | server µs per query |",
        "|---|---:|---:|---:|---|",
    ]
    for name in DATASETS_IN_LOAD_ORDER:
        cost, queries = python[name], profiler.queries.get(name, {})
        spent = ", ".join(f"{query} {us}" for query, us in queries.items())
        lines.append(
            f"| {name} | {cost['rows']:,} | {cost['validate_map_us']} | {cost['header_us']} "
            f"| {spent} |"
        )
    lines += ["", "Largest operators per dataset (ms in the profiled batch):", ""]
    for name in DATASETS_IN_LOAD_ORDER:
        spent_by = profiler.operators.get(name, {})
        top = sorted(spent_by.items(), key=lambda item: -item[1])[:5]
        listed = "; ".join(f"{operator} {spent:.0f}" for operator, spent in top)
        lines.append(f"- {name}: {listed}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hub-profile-"))
    try:
        generate_county(work / "county", args.persons, seed=0)
        python = {}
        for name in DATASETS_IN_LOAD_ORDER:
            python[name] = python_costs(work / "county", name)
            print(f"  {name}: {python[name]}", flush=True)
        rows = {name: int(cost["rows"]) for name, cost in python.items()}
        profiler = asyncio.run(server_costs(work / "county", work / "var", rows))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = markdown(args.persons, python, profiler)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"ingest-profile-{date.today().isoformat()}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
