"""Benchmark the GraphQL API over HTTP against the same Cypher run straight on the store.

    .venv/bin/python bench/queries.py                      # 1,000,000 persons (loads for long)
    .venv/bin/python bench/queries.py --persons 20000 --requests 300
    .venv/bin/python bench/queries.py --graph-uri bolt://db:7687 --persons 50000   # on Neo4j

What it does, in one run on one machine:

1. Generates a county (`seed`) into `<data dir>/county-<persons>` unless it is there, and
   loads it through the connectors into graph `bench_<persons>` of the embedded store in
   `<data dir>` unless that graph already holds it (a later run reuses both); with
   `--graph-uri`, into that store instead (`bench/engines.py`: FalkorDB or Neo4j). The
   results record the engine and its version.
2. Starts the hub (`create_app`, uvicorn, one process) on 127.0.0.1 in a child process, with
   the per-user rate limit lifted (the benchmark is one officer sending thousands of
   requests), and mints tokens with the hub's own issuer.
3. For tracePerson and locateAssets (the planted scenarios' respondents, assigned to officer
   fy0821-001) and a 1,000-subject creditCheck, measures latency (p50, p99) and throughput
   with 1 and 16 concurrent clients over HTTP, audit write included, and then the same named
   queries sent straight through the store (`raw`): hub overhead = hub − raw. The same for
   requestControl (a LOCATE of tracePerson's respondents, to 公安) and answerControl (公安
   answering fresh LOCATE requests with a sighting; each request is answered once, so the
   requests are made beforehand, not measured). A request
   that runs no operation (`{ __typename }`) gives the hub's fixed cost per request: HTTP,
   middleware and GraphQL, with no token check, store call or audit record.
4. With `--profile`, runs a second hub under cProfile for 1-client tracePerson requests and
   keeps its costliest functions in the report (the timed runs are not profiled).
5. With `--versus CHECKOUT` (a git worktree of an earlier commit, say), instead of 3 and 4:
   that checkout's hub runs beside this one on the same store, and the requests of
   tracePerson and locateAssets (or `--only`) alternate between the two in rounds, so a
   change is measured before and after under the same load (`queries-<date>-versus.md`).

Results go to bench/results/queries-<date>.md and .json.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import csv
import io
import json
import os
import platform
import pstats
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from store_uri import (  # noqa: E402
    GRAPH_URI_HELP,
    engine_record,
    engine_text,
    graph_uri,
    local_falkordb_pid,
)
from store_uri import hub_settings as store_settings  # noqa: E402

from connectors import ingest_file, load_county  # noqa: E402
from hub.control import service as control_service  # noqa: E402
from hub.control.rules import Action, Outcome, TargetKind  # noqa: E402
from hub.control.service import AnswerArgs, RequestArgs, Sighting  # noqa: E402
from hub.control.targets import Target as ControlTargetOf  # noqa: E402
from hub.graphql.associates import find_associates  # noqa: E402
from hub.graphql.credit import RESPONSIBLE_TITLES  # noqa: E402
from hub.graphql.labels import ACTUAL_CONTROLLER  # noqa: E402
from hub.security.audit import AuditLog, AuditRecord  # noqa: E402
from hub.security.principal import Principal, Role  # noqa: E402
from hub.settings import CONTROL_SHARE_PCT, MAX_HOLDINGS, MAX_TRACE_ITEMS, Settings  # noqa: E402
from hub.store import GraphStore, embedded, open_store  # noqa: E402
from hub.store.embedded import EmbeddedServer  # noqa: E402
from hub.store.schema import apply_schema  # noqa: E402
from schema.departments import default_departments  # noqa: E402
from seed.county import generate_county  # noqa: E402
from seed.manifest import MANIFEST_FILE  # noqa: E402

RESULTS = REPO / "bench" / "results"
CLIENTS = (1, 16)
CREDIT_SUBJECTS = 1_000
BENCH_STORE_START_TIMEOUT_S = 1_800.0
TRACE = """query($id: String!, $case: String!) { tracePerson(idNumber: $id, caseNumber: $case) {
  subject { idNumber name } addresses { address kind source asOf } phones
  relatives { relation person { idNumberMasked name } }
  enterprises { uscc name role sharePct } associates { hops via person { idNumberMasked } } } }"""
LOCATE = """query($id: String!, $case: String!) { locateAssets(subject: $id, caseNumber: $case) {
  totalEstimatedValue properties { certNumber sharePct via } vehicles { vin }
  accounts { accountNumber balance sharePct } equity { uscc sharePct } } }"""
EMPTY = "{ __typename }"  # the hub's fixed cost: no resolver, no store call, no audit
REQUEST_CONTROL = """mutation($i: ControlRequestInput!) { requestControl(input: $i) {
  id status department subject { id name } target { description } } }"""
ANSWER_CONTROL = """mutation($a: ControlAnswerInput!) { answerControl(input: $a) {
  id status answer { outcome sightings { at place kind } } } }"""
CREDIT = """query($s: [String!]!) { creditCheck(subjects: $s) {
  subject valid dishonest restricted reasons { kind } measures { code } } }"""


@dataclass
class Measurement:
    operation: str
    path: str  # "hub" (GraphQL over HTTP) or "raw" (the named queries on the store)
    clients: int
    requests: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per request, by process

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p99(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        del data["latencies_ms"]
        return data | {"p50_ms": self.p50, "p99_ms": self.p99, "per_s": self.throughput}


class CpuClock:
    """CPU time (user + system, all threads) that the hub, the store and this benchmark spend.

    On 2 shared cores throughput is bounded by the CPU all three spend per request, so the
    report splits it by process: a steadier figure than wall time on a noisy machine.
    """

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids | {"client": os.getpid()}
        self._started: dict[str, float] = {}

    def start(self) -> None:
        self._started = {name: _cpu_seconds(pid) for name, pid in self.pids.items()}

    def per_request(self, requests: int) -> dict[str, float]:
        return {
            name: (_cpu_seconds(pid) - self._started[name]) * 1000 / requests
            for name, pid in self.pids.items()
        }


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a Linux process (fields 14 and 15 of /proc/<pid>/stat)."""
    after_name = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """(steal, total) CPU ticks of the machine so far (/proc/stat): steal is time the
    hypervisor gave this VM's CPUs to others, which makes every figure of a run slower."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return ticks[7], sum(ticks[:8])


@dataclass(frozen=True)
class Target:
    operation: str
    query: str
    variables: list[dict[str, Any]]  # cycled through
    raw: Callable[[GraphStore, dict[str, Any]], Awaitable[None]] | None  # None: hub only
    once: bool = False  # each variables entry can be used once (answers): no warm-up with it


EMPTY_REQUEST = Target("empty request", EMPTY, [{}], None)


# --- the raw path: the same named queries the resolvers send ----------------------------


def purpose(v: dict[str, Any], roles: list[str] | None) -> dict[str, Any]:
    """The officer's purpose check that the operation's first query carries."""
    return {
        "purpose_case": v["case"],
        "purpose_subject": v["id"],
        "purpose_officer": BENCH_OFFICER,
        "purpose_roles": roles,
    }


async def raw_trace(store: GraphStore, v: dict[str, Any]) -> None:
    params = {"id": v["id"], "max_items": MAX_TRACE_ITEMS, **purpose(v, ["respondent"])}
    await store.read("trace_subject", params)  # as the resolver does: then the search
    await find_associates(store, v["id"], 2)


async def raw_locate(store: GraphStore, v: dict[str, Any]) -> None:
    params = {
        **purpose(v, None),
        "subject": v["id"],
        "control_pct": CONTROL_SHARE_PCT,
        "controller_title": ACTUAL_CONTROLLER,
        "max_chains": 500,
    }
    chains = (await store.read("assets_subject", params))[0]["chains"]
    owners = [v["id"], *{c["enterprises"][-1]["id"] for c in chains}]
    await store.read("assets_holdings", {"owners": owners, "max_items": MAX_HOLDINGS})


CONTROL_NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
BENCH_PSB = Principal("psb-system", "department", "psb")
BENCH_DEPARTMENTS = default_departments()


def locate_args(v: dict[str, Any]) -> RequestArgs:
    return RequestArgs(
        case_number=v["i"]["caseNumber"],
        action=Action.LOCATE,
        target=ControlTargetOf(TargetKind.PERSON, id_number=v["i"]["target"]["idNumber"]),
        amount=None,
        until=None,
        ruling_number=None,
        notice_number=None,
        measure_id=None,
        note=None,
    )


async def raw_request_control(store: GraphStore, v: dict[str, Any]) -> None:
    """requestControl's named queries: the purpose check, the target, the write."""
    args = locate_args(v)
    await store.read("case_access", {"case_number": args.case_number, "subject": None})
    rows = await control_service.find_target(store, args)
    found = control_service.holder_in_case(rows, args.case_number)
    principal = Principal(BENCH_OFFICER, "officer", None)
    await control_service.request_control(
        store, BENCH_DEPARTMENTS, principal, args, found, CONTROL_NOW
    )


async def raw_answer_control(store: GraphStore, v: dict[str, Any]) -> None:
    """answerControl's named queries: read the request, the conditional write, read back."""
    args = AnswerArgs(
        request_id=v["a"]["requestId"],
        outcome=Outcome.DONE,
        sightings=(Sighting("2026-05-30T21:00:00+08:00", "白城市某宾馆", "HOTEL"),),
    )
    await control_service.get(store, args.request_id)
    await control_service.answer_control(store, BENCH_PSB, args, CONTROL_NOW)


async def new_locate_requests(
    store: GraphStore, located: list[dict[str, Any]], n: int
) -> list[str]:
    """`n` LOCATE requests to answer, made through the service (not measured)."""
    made = []
    for v in islice(cycle(located), n):
        args = locate_args(v)
        rows = await control_service.find_target(store, args)
        found = control_service.holder_in_case(rows, args.case_number)
        principal = Principal(BENCH_OFFICER, "officer", None)
        request = await control_service.request_control(
            store, BENCH_DEPARTMENTS, principal, args, found, CONTROL_NOW
        )
        made.append(str(request.request["request_id"]))
    return made


def answer_target(ids: list[str]) -> Target:
    sighting = {"at": "2026-05-30T21:00:00+08:00", "place": "白城市某宾馆", "kind": "HOTEL"}
    variables = [
        {"a": {"requestId": id_, "outcome": "DONE", "sightings": [sighting]}} for id_ in ids
    ]
    return Target("answerControl", ANSWER_CONTROL, variables, raw_answer_control, once=True)


async def raw_credit(store: GraphStore, v: dict[str, Any]) -> None:
    assert RESPONSIBLE_TITLES
    [found] = await store.read("credit_subjects", {"ids": sorted(set(v["s"]))})
    if found["linked"]:
        await store.read("credit_listings", {"ids": found["linked"]})


# --- the county and its graph -----------------------------------------------------------


def prepare(
    data_dir: Path, persons: int, seed: int, uri: str
) -> tuple[Path, str, EmbeddedServer | None]:
    """The county's files and graph; the embedded store (of `uri` embedded) is left running
    for the hub."""
    county = data_dir / f"county-{persons}"
    if not (county / MANIFEST_FILE).is_file():
        print(f"generating {persons} persons into {county} …", flush=True)
        started = time.perf_counter()
        generate_county(county, persons=persons, seed=seed)
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    graph = f"bench_{persons}"
    # A million-person graph takes minutes to read back from its files on a busy 2-core
    # machine: longer than the start timeout a serving hub should have.
    vars(embedded)["STORE_START_TIMEOUT_S"] = BENCH_STORE_START_TIMEOUT_S
    server = None
    if store_settings(uri, data_dir, graph).embedded:
        server = EmbeddedServer(data_dir)
        server.start()
    asyncio.run(_load_once(uri, graph, county, data_dir))
    return county, graph, server


async def _load_once(uri: str, graph: str, county: Path, data_dir: Path) -> None:
    store = open_store(store_settings(uri, data_dir, graph))  # attaches to an embedded one
    try:
        await apply_schema(store)
        if not await store.read("graph_has_persons"):  # a row when any person is loaded
            print(f"loading {county} into graph {graph} …", flush=True)
            started = time.perf_counter()
            await load_county(store, county, data_dir=data_dir)
            print(f"  loaded in {time.perf_counter() - started:.0f} s", flush=True)
        await plant_hub_case(store, county, data_dir)
    finally:
        await store.close()


# --- a case about a resident of the county's hub address --------------------------------

HUB_CASE = "（2026）吉0821执90001号"  # the benchmark's own case, assigned to the bench officer
BENCH_OFFICER = "fy0821-001"


def hub_resident(county: Path) -> str:
    """A person registered at the collective household address (集体户) the seed makes a hub
    node (about 500 residents), so tracing them crosses it."""
    manifest = json.loads((county / MANIFEST_FILE).read_text(encoding="utf-8"))
    address = manifest["hubs"]["collective_address"]
    with (county / "psb.persons.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["household_address"] == address:
                return str(row["id_number"])
    raise SystemExit(f"no person of {county} lives at the hub address {address}")


async def plant_hub_case(store: GraphStore, county: Path, data_dir: Path) -> None:
    """Load, through the court connectors, a case with the hub resident as respondent (被执行人).
    Loading it again changes nothing."""
    files = data_dir / "bench-hub-case"
    files.mkdir(exist_ok=True)
    (files / "court.cases.csv").write_text(
        "case_number,case_type,court,filed_at,status,amount,outstanding_amount,officer_id\n"
        f"{HUB_CASE},执行实施,镇赉县人民法院,2026-01-05,执行中,100000.00,100000.00,"
        f"{BENCH_OFFICER}\n",
        encoding="utf-8",
    )
    (files / "court.parties.csv").write_text(
        "case_number,party_id,party_type,party_name,role\n"
        f"{HUB_CASE},{hub_resident(county)},person,,被执行人\n",
        encoding="utf-8",
    )
    court = default_departments()["court"]
    for dataset in ("court.cases", "court.parties"):
        path = files / f"{dataset}.csv"
        await ingest_file(store, dataset, path, court, data_dir=data_dir)


def targets(county: Path) -> list[Target]:
    manifest = json.loads((county / MANIFEST_FILE).read_text(encoding="utf-8"))
    s = manifest["scenarios"]
    hub_case = {"id": hub_resident(county), "case": HUB_CASE}
    traced = [
        {"id": s[name]["respondent"]["id_number"], "case": s[name]["case_number"]}
        for name in ("hidden_under_spouse", "shared_phone_associate", "many_holdings")
    ] + [hub_case]
    located = [
        {"id": s[name]["respondent"]["id_number"], "case": s[name]["case_number"]}
        for name in ("controlled_company_chain", "many_holdings", "hidden_under_spouse")
    ] + [hub_case]
    with (county / "psb.persons.csv").open(encoding="utf-8") as handle:
        ids = [row["id_number"] for row in islice(csv.DictReader(handle), 4 * CREDIT_SUBJECTS)]
    batches = [{"s": ids[n : n + CREDIT_SUBJECTS]} for n in range(0, len(ids), CREDIT_SUBJECTS)]
    # requestControl: a LOCATE (查找) of the same respondents as tracePerson, to 公安
    locates = [
        {
            "i": {
                "caseNumber": v["case"],
                "action": "LOCATE",
                "target": {"kind": "PERSON", "idNumber": v["id"]},
            }
        }
        for v in traced
    ]
    return [
        Target("tracePerson", TRACE, traced, raw_trace),
        Target("locateAssets", LOCATE, located, raw_locate),
        Target("creditCheck(1000)", CREDIT, batches, raw_credit),
        Target("requestControl", REQUEST_CONTROL, locates, raw_request_control),
    ]


# --- the hub in a child process ---------------------------------------------------------


def hub_settings(data_dir: Path, graph: str, uri: str = "embedded") -> Settings:
    """The hub's settings: the bench's store, and whatever HUB_* the environment sets."""
    return store_settings(uri, data_dir, graph)


def serve(data_dir: Path, graph: str, port: int, profile: Path | None, uri: str) -> None:
    """The child: the hub on 127.0.0.1:port, rate limit lifted, until SIGTERM."""
    import uvicorn

    from hub.app import create_app
    from hub.security.limits import RateLimiter

    app = create_app(hub_settings(data_dir, graph, uri))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)

    async def run() -> None:
        task = asyncio.create_task(server.serve())
        while not server.started:  # noqa: ASYNC110  (uvicorn offers no event to wait on)
            await asyncio.sleep(0.01)
        app.state.limiter = RateLimiter(per_minute=1e9, burst=1_000_000_000)
        await task

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    try:  # on the event loop `hub serve` runs on (uvloop, as uvicorn.run picks it)
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            runner.run(run())
    except KeyboardInterrupt:
        pass  # uvicorn raises the SIGINT that stopped it again once it has shut down
    finally:
        if profiler and profile:
            profiler.disable()
            profiler.dump_stats(profile)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Hub:
    def __init__(
        self,
        data_dir: Path,
        graph: str,
        uri: str,
        profile: Path | None = None,
        repo: Path = REPO,  # another checkout's hub, for --versus
    ) -> None:
        self.port = free_port()
        script = repo / "bench" / "queries.py"
        command = [sys.executable, str(script), "serve", "--data-dir", str(data_dir)]
        command += ["--graph", graph, "--port", str(self.port)]
        if uri != "embedded":  # (a checkout older than --graph-uri serves the embedded store)
            command += ["--graph-uri", uri]
        if profile:
            command += ["--profile-to", str(profile)]
        self.process = subprocess.Popen(command, cwd=repo)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the hub did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)


def token(data_dir: Path, role: Role, subject: str, department: str | None = None) -> str:
    from hub.security.tokens import issue_token, load_secret_key

    settings = Settings(graph_uri="embedded", data_dir=data_dir)
    secret = load_secret_key(settings)
    return issue_token(
        secret,
        role=role,
        subject=subject,
        department=department,
        ttl=timedelta(hours=8),
    )


# --- the measuring ----------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection that POSTs JSON to the hub.

    The benchmark's clients share the 2 cores with the hub and the store, so what the client
    spends per request is taken from them: httpx spent about 4.5 ms of CPU per request here,
    more than the hub overhead being measured. This sends prepared bytes and reads the reply
    by its Content-Length (uvicorn sends one for every GraphQL answer).
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader, self._writer = reader, writer

    @classmethod
    async def open(cls, url: str) -> Connection:
        address = httpx.URL(url)
        reader, writer = await asyncio.open_connection(address.host, address.port)
        return cls(reader, writer)

    async def post(self, request: bytes) -> dict[str, Any]:
        self._writer.write(request)
        status = await self._reader.readline()
        length = 0
        while (line := await self._reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        body = await self._reader.readexactly(length)
        if not status.startswith(b"HTTP/1.1 200"):
            raise SystemExit(f"the hub answered {status.decode().strip()}: {body[:300]!r}")
        answer: dict[str, Any] = json.loads(body)
        return answer

    def close(self) -> None:
        self._writer.close()


def graphql_request(url: str, auth: str, query: str, variables: dict[str, Any]) -> bytes:
    body = json.dumps({"query": query, "variables": variables}).encode()
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: {httpx.URL(url).host}\r\n"
        f"Authorization: {auth}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def measure_hub(
    url: str, target: Target, auth: str, clients: int, requests: int, clock: CpuClock | None = None
) -> Measurement:
    prepared = [graphql_request(url, auth, target.query, v) for v in target.variables]
    bodies = cycle(prepared)
    latencies: list[float] = []
    remaining = requests

    async def client(connection: Connection) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            request = next(bodies)
            started = time.perf_counter()
            answer = await connection.post(request)
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.get("errors"):
                raise SystemExit(f"{target.operation}: {answer['errors']}")

    connections = [await Connection.open(url) for _ in range(clients)]
    warm = graphql_request(url, auth, EMPTY, {}) if target.once else prepared[0]
    try:
        for connection in connections:  # warm up connections and the hub's caches
            await connection.post(warm)
        if clock:
            clock.start()
        started = time.perf_counter()
        await asyncio.gather(*(client(connection) for connection in connections))
        seconds = time.perf_counter() - started
    finally:
        for connection in connections:
            connection.close()
    cpu = clock.per_request(requests) if clock else {}
    return Measurement(target.operation, "hub", clients, requests, seconds, latencies, cpu)


AUDIT_RECORD = AuditRecord(
    actor="fy0821-001",
    role="officer",
    department=None,
    operation="bench",
    case_number=None,
    subjects=("220821198001010011",),
    outcome="ALLOWED",
    result_count=1,
    client_address="127.0.0.1",
    request_id="bench",
)


async def measure_audit(audit: AuditLog, requests: int) -> Measurement:
    """The audit append alone (in the audit graph): what every hub request pays for it."""
    latencies: list[float] = []
    await audit.append(AUDIT_RECORD)
    started = time.perf_counter()
    for _ in range(requests):
        began = time.perf_counter()
        await audit.append(AUDIT_RECORD)
        latencies.append((time.perf_counter() - began) * 1000)
    return Measurement("audit append", "raw", 1, requests, time.perf_counter() - started, latencies)


async def measure_raw(
    store: GraphStore,
    audit: AuditLog,
    target: Target,
    clients: int,
    requests: int,
    clock: CpuClock | None = None,
) -> Measurement:
    """The operation's named queries, then an audit append, as the hub does."""
    assert target.raw is not None, f"{target.operation} has no raw path"
    raw = target.raw
    variables = cycle(target.variables[requests:] if target.once else target.variables)
    latencies: list[float] = []
    remaining = requests

    async def client() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            await raw(store, next(variables))
            await audit.append(AUDIT_RECORD)
            latencies.append((time.perf_counter() - started) * 1000)

    if not target.once:
        await raw(store, target.variables[0])
    if clock:
        clock.start()
    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    seconds = time.perf_counter() - started
    cpu = clock.per_request(requests) if clock else {}
    return Measurement(target.operation, "raw", clients, requests, seconds, latencies, cpu)


def store_pid(settings: Settings, server: EmbeddedServer | None) -> int | None:
    """The graph server's process when it runs on this machine (its CPU is measured)."""
    if server is not None and server.address is not None:
        return server.address.pid
    if settings.engine == "falkordb":
        password = settings.graph_password
        secret = password.get_secret_value() if password else None
        return local_falkordb_pid(settings.graph_uri, secret)
    return None  # Neo4j: measured on its own machine, if at all


async def measure_all(
    hub_process: Hub,
    data_dir: Path,
    graph: str,
    county: Path,
    args: argparse.Namespace,
    engine: dict[str, Any],
) -> list[Measurement]:
    url, requests, credit_requests = hub_process.url, args.requests, args.credit_requests
    officer = f"Bearer {token(data_dir, 'officer', BENCH_OFFICER)}"
    department = f"Bearer {token(data_dir, 'department', 'other-system', 'other')}"
    settings = hub_settings(data_dir, graph, args.graph_uri)
    server = EmbeddedServer(data_dir) if settings.embedded else None
    if server is not None:
        server.start()  # attaches to the one `prepare` started
    store = open_store(settings)
    engine.update(await engine_record(store, args.graph_uri))
    print(f"graph store: {engine_text(engine)}", flush=True)
    # The raw path appends to the hub's own audit graph, as a second writer of the same chain,
    # and signs checkpoints of it as the hub does (HUB_AUDIT_CHECKPOINT_* apply to both).
    audit = AuditLog(store.audit_store(), settings)
    pids = {"hub": hub_process.process.pid}
    local = store_pid(settings, server)
    clock = CpuClock(pids if local is None else pids | {"store": local})
    results = [await measure_audit(audit, min(requests, 500))]
    print(f"audit append alone: p50 {results[0].p50:.2f} ms  p99 {results[0].p99:.2f} ms")
    for clients in CLIENTS:
        empty = await measure_hub(url, EMPTY_REQUEST, officer, clients, requests, clock)
        print(f"empty request, {clients} clients: p50 {empty.p50:.2f} ms, {empty.throughput:.0f}/s")
        results.append(empty)
    psb = f"Bearer {token(data_dir, 'department', BENCH_PSB.subject, 'psb')}"
    plan = targets(county)
    located = next(t for t in plan if t.operation == "requestControl").variables
    plan.append(answer_target([]))  # its requests are made afresh per client count below
    try:
        for target in plan:
            if args.only and target.operation not in args.only:
                continue
            auth = department if target.operation.startswith("credit") else officer
            auth = psb if target.operation == "answerControl" else auth
            count = credit_requests if target.operation.startswith("credit") else requests
            for clients in CLIENTS:
                if target.operation == "answerControl":  # fresh requests, hub's then raw's
                    target = answer_target(await new_locate_requests(store, located, 2 * count))
                hub = await measure_hub(url, target, auth, clients, count, clock)
                raw = await measure_raw(store, audit, target, clients, count, clock)
                for m in (hub, raw):
                    cpu = "  ".join(f"{name} {ms:.2f}" for name, ms in m.cpu_ms.items())
                    print(
                        f"{m.operation:18} {m.path:3} {m.clients:2} clients: p50 {m.p50:7.2f} ms"
                        f"  p99 {m.p99:7.2f} ms  {m.throughput:7.1f}/s  cpu ms/req: {cpu}",
                        flush=True,
                    )
                results += [hub, raw]
    finally:
        await audit.close()
        await store.close()
    return results


# --- this checkout's hub against another's (--versus) ------------------------------------


def commit_of(repo: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()[:100] or str(repo)


async def measure_versus(
    hubs: dict[str, Hub],
    target: Target,
    auth: str,
    clients: int,
    requests: int,
    store: int | None,
) -> list[Measurement]:
    """`requests` to each hub, in alternating rounds (which hub goes first alternates too),
    so that both are measured under the same load from whatever else the machine runs. One
    hub's round runs at a time, so the store's CPU (process `store`) during it is its own."""
    size = max(25, 10 * clients)
    latencies: dict[str, list[float]] = {label: [] for label in hubs}
    seconds = dict.fromkeys(hubs, 0.0)
    cpu: dict[str, dict[str, float]] = {label: {} for label in hubs}
    order = list(hubs)
    for done in range(0, requests, size):
        for label in order:
            pids = {"hub": hubs[label].process.pid} | ({} if store is None else {"store": store})
            count = min(size, requests - done)
            part = await measure_hub(hubs[label].url, target, auth, clients, count, CpuClock(pids))
            latencies[label] += part.latencies_ms
            seconds[label] += part.seconds
            for name, ms in part.cpu_ms.items():
                cpu[label][name] = cpu[label].get(name, 0.0) + ms * count / requests
        order.reverse()
    return [
        Measurement(
            target.operation, label, clients, requests, seconds[label], latencies[label], cpu[label]
        )
        for label in hubs
    ]


def _cpu(m: Measurement) -> str:
    return f"{m.cpu_ms.get('hub', 0):.2f} + {_ms(m.cpu_ms.get('store'))}"


def versus_report(
    results: list[Measurement], persons: int, setup: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    by_key = {(m.operation, m.path, m.clients): m for m in results}
    lines = [
        f"# GraphQL queries, two commits side by side, {date.today().isoformat()}",
        "",
        f"Graph store: {engine_text(setup['engine'])}. County: {persons:,} persons. Two hubs on",
        "the same store, each one uvicorn process; requests alternate between them in rounds",
        "(which goes first alternates), so both run under the same load. Machine: "
        f"{setup['machine']}; CPU steal {setup['cpu_steal_pct']}%; load average "
        f"{setup['load_average']} before the run.",
        "",
        f"- before: {setup['versus']}",
        f"- after: {setup['this']}",
        "",
        "| operation | clients | before p50 ms | before p99 ms | before req/s | after p50 ms "
        "| after p99 ms | after req/s | p50 after/before | hub + store CPU ms/req, before "
        "| after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for operation in dict.fromkeys(m.operation for m in results):
        for clients in CLIENTS:
            old, new = by_key[(operation, "versus", clients)], by_key[(operation, "hub", clients)]
            lines.append(
                f"| {operation} | {clients} | {old.p50:.2f} | {old.p99:.2f} | "
                f"{old.throughput:.0f} | {new.p50:.2f} | {new.p99:.2f} | {new.throughput:.0f} | "
                f"{new.p50 / old.p50:.2f} | {_cpu(old)} | {_cpu(new)} |"
            )
    document = {
        "date": date.today().isoformat(),
        "persons": persons,
        "engine": setup["engine"],
        "setup": setup,
        "results": [m.summary() for m in results],
    }
    return "\n".join(lines) + "\n", document


async def engine_of_store(settings: Settings) -> dict[str, Any]:
    store = open_store(settings)
    try:
        return await engine_record(store, settings.graph_uri)
    finally:
        await store.close()


def run_versus(
    args: argparse.Namespace,
    data_dir: Path,
    graph: str,
    county: Path,
    server: EmbeddedServer | None,
) -> None:
    settings = hub_settings(data_dir, graph, args.graph_uri)
    store = store_pid(settings, server)
    engine = asyncio.run(engine_of_store(settings))
    load = os.getloadavg()[0]
    hubs = {
        "hub": Hub(data_dir, graph, args.graph_uri),
        "versus": Hub(data_dir, graph, args.graph_uri, repo=args.versus.resolve()),
    }
    officer = f"Bearer {token(data_dir, 'officer', BENCH_OFFICER)}"
    operations = args.only or ["tracePerson", "locateAssets"]
    results: list[Measurement] = []
    steal_before, total_before = _machine_ticks()
    try:
        for target in targets(county):
            if target.operation not in operations:
                continue
            for clients in CLIENTS:
                pair = asyncio.run(
                    measure_versus(hubs, target, officer, clients, args.requests, store)
                )
                for m in pair:
                    print(
                        f"{m.operation:14} {m.path:6} {m.clients:2} clients: p50 {m.p50:7.2f} ms"
                        f"  p99 {m.p99:7.2f} ms  {m.throughput:7.1f}/s  cpu ms/req: {_cpu(m)}",
                        flush=True,
                    )
                results += pair
    finally:
        for hub in hubs.values():
            hub.stop()
    steal_after, total_after = _machine_ticks()
    setup = {
        "engine": engine,
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "requests": args.requests,
        "this": commit_of(REPO),
        "versus": commit_of(args.versus),
        "load_average": round(load, 1),
        "cpu_steal_pct": round(
            100 * (steal_after - steal_before) / max(1, total_after - total_before), 1
        ),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    markdown, document = versus_report(results, args.persons, setup)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"queries-{date.today().isoformat()}-versus"
    stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(markdown)
    print(f"wrote {stem}.md and .json")


# --- the report -------------------------------------------------------------------------


def top_functions(profile: Path, limit: int = 25) -> str:
    out = io.StringIO()
    stats = pstats.Stats(str(profile), stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(limit)
    return out.getvalue()


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"  # the store's CPU when not on this machine


def report(
    results: list[Measurement], persons: int, profile_text: str | None, setup: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    by_key = {(m.operation, m.path, m.clients): m for m in results}
    lines = [
        f"# GraphQL query benchmark, {date.today().isoformat()}",
        "",
        f"Graph store: {engine_text(setup['engine'])}.",
        "",
        f"County: {persons:,} persons. Machine: {setup['machine']}; CPU steal during the",
        f"measurements {setup['cpu_steal_pct']}% (time the hypervisor gave to other machines:",
        "every figure of a run with much steal is slower). Hub: one uvicorn process;",
        "client and hub share the machine. `raw` sends the same named queries straight to the",
        "store from the benchmark process, each followed by an audit append (AuditLog, in the",
        "hub's audit graph) as the hub does; so hub − raw is the hub's own work: HTTP, token",
        "check, GraphQL, building and masking the answer, JSON.",
        "",
        "| operation | clients | hub p50 ms | hub p99 ms | hub req/s | raw p50 ms | raw p99 ms "
        "| raw req/s | overhead p50 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    side_by_side = {m.operation for m in results if m.path == "raw"}
    for operation in dict.fromkeys(m.operation for m in results if m.path == "hub"):
        if operation not in side_by_side:
            continue
        for clients in CLIENTS:
            hub, raw = by_key[(operation, "hub", clients)], by_key[(operation, "raw", clients)]
            lines.append(
                f"| {operation} | {clients} | {hub.p50:.2f} | {hub.p99:.2f} | "
                f"{hub.throughput:.0f} | {raw.p50:.2f} | {raw.p99:.2f} | {raw.throughput:.0f} | "
                f"{hub.p50 - raw.p50:.2f} |"
            )
    lines += [
        "",
        "CPU per request (ms, user + system, all threads), by process: what bounds throughput",
        "when the three share 2 cores.",
        "",
        "| operation | clients | path | hub | store | client | total |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for m in results:
        if m.cpu_ms:
            cpu = m.cpu_ms
            lines.append(
                f"| {m.operation} | {m.clients} | {m.path} | {cpu['hub']:.2f} | "
                f"{_ms(cpu.get('store'))} | {cpu['client']:.2f} | {sum(cpu.values()):.2f} |"
            )
    for m in results:
        if m.operation == "audit append":
            lines += [
                "",
                f"Audit append alone (included in both hub and raw): p50 {m.p50:.2f} ms, "
                f"p99 {m.p99:.2f} ms.",
            ]
    empty = [m for m in results if m.operation == EMPTY_REQUEST.operation]
    if empty:
        lines += [
            "",
            f"The hub's fixed cost, a request that runs no operation (`{EMPTY}`; no token",
            "check, store call or audit record): "
            + "; ".join(
                f"{m.clients} client{'s' if m.clients > 1 else ''} p50 {m.p50:.2f} ms, "
                f"{m.throughput:.0f} req/s, hub CPU {m.cpu_ms.get('hub', 0):.2f} ms/request"
                for m in empty
            )
            + ". An operation's hub latency is at least its raw latency plus this.",
        ]
    if profile_text:
        lines += ["", "## Where the hub's time goes (cProfile, tracePerson, 1 client)", ""]
        lines += ["```", profile_text.strip(), "```"]
    document = {
        "date": date.today().isoformat(),
        "persons": persons,
        "engine": setup["engine"],
        "setup": setup,
        "results": [m.summary() for m in results],
    }
    return "\n".join(lines) + "\n", document


def profile_trace(data_dir: Path, graph: str, county: Path, requests: int, uri: str) -> str:
    """The hub's costliest functions while it answers 1-client tracePerson requests."""
    profile = data_dir / "hub.prof"
    profile.unlink(missing_ok=True)
    hub = Hub(data_dir, graph, uri, profile)
    try:
        officer = f"Bearer {token(data_dir, 'officer', BENCH_OFFICER)}"
        asyncio.run(measure_hub(hub.url, targets(county)[0], officer, 1, requests))
    finally:
        hub.stop()
    return top_functions(profile)


def run(args: argparse.Namespace) -> None:
    data_dir = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    county, graph, server = prepare(data_dir, args.persons, args.seed, args.graph_uri)
    if args.versus:
        try:
            run_versus(args, data_dir, graph, county, server)
        finally:
            if server is not None:
                server.stop()
        return
    engine: dict[str, Any] = {}
    try:
        hub = Hub(data_dir, graph, args.graph_uri)
        steal_before, total_before = _machine_ticks()
        try:
            results = asyncio.run(measure_all(hub, data_dir, graph, county, args, engine))
        finally:
            hub.stop()
        steal_after, total_after = _machine_ticks()
        profile_text = (
            profile_trace(data_dir, graph, county, args.requests, args.graph_uri)
            if args.profile
            else None
        )
    finally:
        if server is not None:
            server.stop()
    setup = {
        "engine": engine,
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "requests": args.requests,
        "credit_requests": args.credit_requests,
        "cpu_steal_pct": round(
            100 * (steal_after - steal_before) / max(1, total_after - total_before), 1
        ),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    markdown, document = report(results, args.persons, profile_text, setup)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = args.results / f"queries-{date.today().isoformat()}"
    stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {stem}.md and .json")


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("serve", help="(internal) run the hub for the benchmark")
    child.add_argument("--data-dir", type=Path, required=True)
    child.add_argument("--graph", required=True)
    child.add_argument("--port", type=int, required=True)
    child.add_argument("--profile-to", type=Path)
    child.add_argument("--graph-uri", type=graph_uri, default="embedded")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--graph-uri", type=graph_uri, default="embedded", help=GRAPH_URI_HELP)
    parser.add_argument("--data-dir", type=Path, default=REPO / "var" / "bench")
    parser.add_argument(
        "--requests", type=int, default=2_000, help="per operation and client count"
    )
    parser.add_argument("--credit-requests", type=int, default=100)
    parser.add_argument(
        "--only", nargs="+", metavar="OPERATION", help="measure only these (e.g. tracePerson)"
    )
    parser.add_argument("--profile", action="store_true", help="profile the hub (cProfile)")
    parser.add_argument(
        "--versus",
        type=Path,
        metavar="CHECKOUT",
        help="another checkout of the hub (a git worktree of an earlier commit, say): its hub "
        "runs beside this one on the same store and the operations' requests alternate "
        "between the two; writes queries-<date>-versus.md",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where reports go")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = arguments(sys.argv[1:] if argv is None else argv)
    if args.command == "serve":
        serve(args.data_dir, args.graph, args.port, args.profile_to, args.graph_uri)
    else:
        run(args)


if __name__ == "__main__":
    main()
