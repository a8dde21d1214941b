"""Two forms of a dataset's ingest query, side by side on one server, by FalkorDB's own time.

    .venv/bin/python bench/ingest_query_ab.py bank.accounts OLD.cypher NEW.cypher --persons 20000
    .venv/bin/python bench/ingest_query_ab.py psb.persons OLD.cypher NEW.cypher --b-rows-are-parties

Generates a county (or takes `--county DIR`) and writes the dataset's validated rows batch by
batch into two graphs of one embedded server: query A into graph `a`, query B into graph `b`,
each batch preceded by `ingest_parties` as the connectors send it, the order of the two
alternating per batch so that both see the same load from the rest of the machine. Sums the
execution time FalkorDB reports for the dataset's query (and for ingest_parties), twice: a
first load (new records) and the same file again (unchanged rows). With
`--b-rows-are-parties`, B is sent as the writer sends a dataset whose rows are its parties
(`connectors.writer.PARTY_ROWS_QUERIES`): no ingest_parties, each row's legacy mark in it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from connectors import DATASETS
from connectors.county import dataset_file
from connectors.pipeline import _next_chunk
from connectors.readers import format_of, open_source
from hub.queries import load_queries
from hub.settings import WRITE_BATCH_SIZE
from hub.store.cypher_params import params_header
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.resp import Endpoint, RespClient
from hub.store.schema import apply_schema
from seed.county import generate_county

EXECUTION_TIME = re.compile(r"execution time: ([0-9.]+) milliseconds")
PROVENANCE = {"source": "bench", "batch_id": "run", "loaded_at": "2026-12-05T00:00:00+00:00"}


def batches(county: Path, name: str) -> list[tuple[list[dict[str, Any]], list[Any]]]:
    """The dataset's validated rows and their party references, batch by batch."""
    found: list[tuple[list[dict[str, Any]], list[Any]]] = []
    with contextlib.ExitStack() as stack:
        path = dataset_file(county, name)
        source = stack.enter_context(open_source(path, format_of(path, None), None))
        last_line = 0
        while True:
            chunk = _next_chunk(
                source.records, DATASETS[name], "bench", WRITE_BATCH_SIZE, last_line
            )
            if not chunk.read:
                return found
            last_line = chunk.last_line
            found.append(([row for row, _ in chunk.rows], [refs for _, refs in chunk.rows]))


class Graphs:
    def __init__(self, client: RespClient, texts: dict[str, str], b_rows_are_parties: bool):
        self.client, self.texts, self.b_rows_are_parties = client, texts, b_rows_are_parties
        self.spent = {"a": 0.0, "b": 0.0, "a parties": 0.0, "b parties": 0.0}

    async def query(self, graph: str, text: str, params: dict[str, Any]) -> float:
        reply = await self.client.call("GRAPH.QUERY", graph, params_header(params) + text)
        assert isinstance(reply, list), reply
        stats = reply[-1]
        assert isinstance(stats, list), reply
        for line in stats:
            found = EXECUTION_TIME.search(line.decode() if isinstance(line, bytes) else str(line))
            if found:
                return float(found.group(1))
        raise SystemExit(f"no execution time in {reply!r}"[:300])

    async def write(self, graph: str, rows: list[dict[str, Any]], refs: list[Any]) -> None:
        if graph == "b" and self.b_rows_are_parties:
            rows = [{**row, "converted_from_15": party.converted_from_15} for row, [party] in
                    zip(rows, refs, strict=True)]  # fmt: skip
        else:
            parties = {party.id: party.to_graph() for row_refs in refs for party in row_refs}
            params = {**PROVENANCE, "rows": list(parties.values())}
            self.spent[f"{graph} parties"] += await self.query(graph, self.texts["parties"], params)
        self.spent[graph] += await self.query(
            graph, self.texts[graph], {**PROVENANCE, "rows": rows}
        )


async def compare(args: argparse.Namespace, county: Path, work: Path) -> None:
    server = EmbeddedServer(work)
    address = server.start()
    queries = load_queries("falkordb")
    texts = {"a": args.a.read_text(), "b": args.b.read_text(), "parties": queries["ingest_parties"]}
    try:
        for graph in "ab":
            store = FalkorDBStore.connect(queries, graph, unix_socket=address.unix_socket)
            await apply_schema(store)
            await store.close()
        client = RespClient(Endpoint(unix_socket=address.unix_socket))
        work_batches = batches(county, args.dataset)
        rows = sum(len(batch) for batch, _ in work_batches)
        for label in ("first load (new records)", "the same file again (unchanged)"):
            graphs = Graphs(client, texts, args.b_rows_are_parties)
            for n, (batch, refs) in enumerate(work_batches):
                for graph in "ab" if n % 2 == 0 else "ba":
                    await graphs.write(graph, batch, refs)
            spent = graphs.spent
            a, b = spent["a"] + spent["a parties"], spent["b"] + spent["b parties"]
            print(
                f"{args.dataset}, {label}, {rows:,} rows: A {a / rows * 1000:.1f} µs/row "
                f"(parties {spent['a parties'] / rows * 1000:.1f}), B {b / rows * 1000:.1f} µs/row "
                f"(parties {spent['b parties'] / rows * 1000:.1f}); B/A {b / a:.2f}",
                flush=True,
            )
        await client.close()
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("dataset")
    parser.add_argument("a", type=Path, help="query A (.cypher)")
    parser.add_argument("b", type=Path, help="query B (.cypher)")
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--county", type=Path, help="a generated county to use")
    parser.add_argument("--b-rows-are-parties", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hub-query-ab-"))
    try:
        county = args.county or work / "county"
        if args.county is None:
            generate_county(county, args.persons, seed=0)
        asyncio.run(compare(args, county, work / "var"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
