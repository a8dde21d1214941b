"""`hub ingest-initial DIR`: a whole county into an empty graph, through the engine's bulk path.

The files are read, validated and built in memory as the connectors would load them
(`connectors.initial`): the same row models, rejects files, provenance, stubs and run
reports, one run per dataset. Then, on FalkorDB, the graph is sent with `GRAPH.BULK` into a
graph of its own beside the hub's (`<graph>_initial_load`), its indexes and constraints are
made there, and it is renamed to the hub's graph: the hub's graph goes from empty to whole
in one step. A load killed half-way leaves the hub's graph empty and the partial one beside
it, which the next `hub ingest-initial` removes (its runs recorded as interrupted) before it
starts again. A graph that holds anything (a node) is refused. On Neo4j, the graph is
written as the files of `neo4j-admin database import full`, and the command is printed.

A separate command, not an option of `hub ingest`: it takes a directory of every dataset
rather than one department's file, refuses a graph that is not empty, and on Neo4j writes
files for an operator instead of loading.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import shlex
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Annotated, Any
from urllib.parse import urlparse

import typer

from connectors import DATASETS, FileRefused, RunReport
from connectors.initial.county import SPOOL_PREFIX, CountyRead, read_county
from connectors.initial.falkordb_bulk import bulk_commands
from connectors.initial.neo4j_import import write_import_files
from connectors.report import as_interrupted, run_dir, save_report
from hub.cli.common import fail, run_with_store, setup_logging, use_data_dir
from hub.cli.ingest import _AuditedRun, _department, _refuse
from hub.queries import load_queries
from hub.security.audit import AuditLog
from hub.settings import Settings, get_settings
from hub.store import GraphStore, StoreError, engine_of
from hub.store.falkordb import FalkorDBStore
from hub.store.falkordb_replies import error_of
from hub.store.resp import Endpoint, RespClient
from hub.store.schema import apply_audit_schema, apply_schema
from schema.departments import Department

log = logging.getLogger(__name__)

STAGING_SUFFIX = "_initial_load"
STATE_FILE = "initial-load.json"  # the attempt under way: its staging graph and its runs
LOCK_FILE = "initial-load.lock"
CONTENTS_QUERY = "initial_load_contents"


class GraphNotEmpty(FileRefused):
    """The hub's graph holds something: a first load goes only into an empty graph."""


def ingest_initial(
    directory: Annotated[
        Path, typer.Argument(help="A county's files: {dataset}.csv|jsonl|xlsx, one per dataset.")
    ],
    neo4j_import: Annotated[
        Path | None,
        typer.Option(
            help="Write the graph as neo4j-admin import files into this directory instead of "
            "loading it (the default on Neo4j: <data dir>/neo4j-import)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as JSON.")] = False,
    init: Annotated[
        bool, typer.Option("--init", help="Create the data directory if there is none.")
    ] = False,
) -> None:
    """Load a whole county into an EMPTY graph at bulk speed (FalkorDB GRAPH.BULK), with the
    connectors' validation, rejects, provenance and run reports; on Neo4j, write the files
    of `neo4j-admin database import full` and print the command.

    Exits 0 when loaded (rows may have been rejected), 2 when refused (a graph that is not
    empty, a file missing or lacking a required column), 1 on an error.
    """
    setup_logging()
    settings = get_settings()
    data_dir = use_data_dir(settings, create=init)
    try:
        departments = {name: _department(settings, name, None) for name in DATASETS}
        if neo4j_import is not None or engine_of(settings.graph_uri) == "neo4j":
            target = neo4j_import or data_dir / "neo4j-import"
            outcome = _write_neo4j_files(directory, departments, data_dir, target)
        else:
            with _only_load(data_dir):
                outcome = run_with_store(
                    lambda store: _load_falkordb(store, settings, directory, departments),
                    init=init,
                    data_dir=True,
                )
    except FileRefused as refused:
        _refuse(refused)
    typer.echo(
        json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2) if as_json else outcome.text()
    )


@dataclass
class Outcome:
    reports: list[RunReport]
    nodes: int
    relationships: int
    seconds: dict[str, float] = field(default_factory=dict)
    graph: str | None = None
    command: list[str] | None = None

    @property
    def rows(self) -> int:
        return sum(report.rows_read for report in self.reports)

    def to_dict(self) -> dict[str, Any]:
        total = sum(self.seconds.values())
        return {
            "graph": self.graph,
            "nodes": self.nodes,
            "relationships": self.relationships,
            "rows": self.rows,
            "seconds": {**self.seconds, "total": round(total, 3)},
            "rows_per_second": round(self.rows / total) if total else None,
            "neo4j_import_command": self.command,
            "runs": [report.to_dict() for report in self.reports],
        }

    def text(self) -> str:
        lines = [report.summary() for report in self.reports]
        total = sum(self.seconds.values())
        steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in self.seconds.items())
        where = f"into graph {self.graph}" if self.graph else "as Neo4j import files"
        lines.append(
            f"initial load {where}: {self.rows:,} rows, {self.nodes:,} nodes, "
            f"{self.relationships:,} relationships in {total:.1f} s ({steps})"
        )
        if self.command:
            lines.append(
                "Import them with Neo4j stopped (or into a new database), then run "
                "`hub db init` for the constraints and indexes:"
            )
            lines.append("  " + shlex.join(self.command))
        return "\n".join(lines)


# --- reading -------------------------------------------------------------------------------


def _read(
    directory: Path,
    departments: dict[str, Department],
    data_dir: Path,
    audits: dict[str, _AuditedRun] | None = None,
    audit_log: AuditLog | None = None,
    staging: str | None = None,
) -> CountyRead:
    run_ids: list[str] = []

    def named(report: RunReport) -> None:
        if staging is not None:  # a load killed from here on is cleaned by the next one
            run_ids.append(report.run_id)
            _save_state(data_dir, staging, run_ids)
        if audits is not None and audit_log is not None:
            audited = audits[report.run_id] = _AuditedRun(
                audit_log, departments[report.dataset], report.dataset
            )
            report.request_id = audited.request_id

    return read_county(directory, departments, data_dir, on_run=named)


def _write_neo4j_files(
    directory: Path, departments: dict[str, Department], data_dir: Path, target: Path
) -> Outcome:
    started = time.perf_counter()
    county = _read(directory, departments, data_dir)
    read_s = time.perf_counter() - started
    files = write_import_files(county.graph, target)
    county.finish()
    _, types = county.graph.counts()
    seconds = {
        "read": round(read_s, 3),
        "write files": round(time.perf_counter() - started - read_s, 3),
    }
    return Outcome(
        county.reports,
        len(county.graph.nodes),
        sum(types.values()),
        seconds,
        command=files.command(),
    )


# --- FalkorDB ------------------------------------------------------------------------------


async def _load_falkordb(
    store: GraphStore, settings: Settings, directory: Path, departments: dict[str, Department]
) -> Outcome:
    if not isinstance(store, FalkorDBStore):
        raise StoreError("the bulk load needs a FalkorDB store")
    graph = settings.graph_name
    staging = graph + STAGING_SUFFIX
    data_dir = settings.data_dir.resolve()
    client = RespClient(_endpoint(store, settings))
    try:
        await _clean_interrupted(client, staging, data_dir)
        await _refuse_unless_empty(client, store, graph)
        await apply_audit_schema(store)
        audit_log = AuditLog(store.audit_store())
        audits: dict[str, _AuditedRun] = {}
        seconds: dict[str, float] = {}
        started = time.perf_counter()
        try:
            county = await asyncio.to_thread(
                _read, directory, departments, data_dir, audits, audit_log, staging
            )
        except BaseException:
            (data_dir / STATE_FILE).unlink(missing_ok=True)  # its runs are recorded failed
            raise
        seconds["read and validate"] = round(time.perf_counter() - started, 3)
        for report in county.reports:
            await audits[report.run_id].started(report)
        try:
            await _send(client, staging, county, seconds)
            await _index(client, store, settings, staging, seconds)
            await _refuse_unless_empty(client, store, graph)  # nothing came in meanwhile
            await _call(client, "GRAPH.DELETE", graph, missing_ok=True)
            await _call(client, "RENAME", staging, graph)
        except BaseException as error:
            county.finish(error=str(error) or type(error).__name__)
            for report in county.reports:
                await audits[report.run_id].ended("ERROR", report.error)
            raise
        finally:
            (data_dir / STATE_FILE).unlink(missing_ok=True)
        county.finish()
        for report in county.reports:
            await audits[report.run_id].ended("ALLOWED", None)
    finally:
        await client.close()
    _, types = county.graph.counts()
    return Outcome(
        county.reports, len(county.graph.nodes), sum(types.values()), seconds, graph=graph
    )


def _endpoint(store: FalkorDBStore, settings: Settings) -> Endpoint:
    """The store's server, for commands of our own (GRAPH.BULK, RENAME)."""
    address = store.server.address if store.server is not None else None
    if address is not None:
        return Endpoint(unix_socket=address.unix_socket, port=address.port or 0)
    url = urlparse(settings.graph_uri)
    password = settings.graph_password.get_secret_value() if settings.graph_password else None
    return Endpoint(host=url.hostname or "127.0.0.1", port=url.port or 6379, password=password)


async def _call(client: RespClient, *args: Any, missing_ok: bool = False) -> Any:
    reply = await client.call(*args)
    error = error_of(reply)
    if error is not None:
        if missing_ok and ("empty key" in str(error) or "Invalid graph" in str(error)):
            return None
        raise StoreError(f"FalkorDB refused {args[0]}: {error}")
    return reply


async def _refuse_unless_empty(client: RespClient, store: GraphStore, graph: str) -> None:
    if not await _call(client, "EXISTS", graph):
        return
    rows = await store.read(CONTENTS_QUERY)
    held = sorted(
        ((":".join(row["labels"]) or "(no label)", row["count"]) for row in rows),
        key=lambda item: -item[1],
    )
    nodes = sum(count for _, count in held)
    if not nodes:
        return
    listed = ", ".join(f"{label} {count:,}" for label, count in held[:8])
    raise GraphNotEmpty(
        f"图 {graph} 不是空的：已有 {nodes:,} 个节点（{listed}）。首次载入只能载入空图；"
        "已有数据时请用 hub ingest 逐个载入部门文件，或换一个新的数据目录或图",
        f"the graph {graph} is not empty: it holds {nodes:,} nodes ({listed}). A first load "
        "goes only into an empty graph: load department files into it with `hub ingest`, "
        "or use a new data directory (HUB_DATA_DIR) or graph (HUB_GRAPH_DATABASE)",
    )


async def _send(
    client: RespClient, staging: str, county: CountyRead, seconds: dict[str, float]
) -> None:
    started = time.perf_counter()
    encoding = 0.0
    commands = bulk_commands(county.graph)
    while True:
        encoded = time.perf_counter()
        command = await asyncio.to_thread(next, commands, None)
        encoding += time.perf_counter() - encoded
        if command is None:
            break
        log.info(
            "GRAPH.BULK %s: %d nodes, %d relationships, %.1f MB",
            staging,
            command.nodes,
            command.edges,
            command.size / 2**20,
        )
        await _call(client, "GRAPH.BULK", staging, *command.args())
    seconds["encode"] = round(encoding, 3)
    seconds["bulk"] = round(time.perf_counter() - started - encoding, 3)


async def _index(
    client: RespClient,
    store: FalkorDBStore,
    settings: Settings,
    staging: str,
    seconds: dict[str, float],
) -> None:
    """The model's constraints and indexes, made on the staging graph as `hub db init` makes
    them, so that the hub's graph has them from its first moment."""
    started = time.perf_counter()
    staged = FalkorDBStore(client, staging, load_queries("falkordb"))
    await apply_schema(staged)
    seconds["indexes"] = round(time.perf_counter() - started, 3)


# --- one load at a time, and what a killed one left ----------------------------------------


@contextlib.contextmanager
def _only_load(data_dir: Path) -> Iterator[None]:
    handle: IO[str] = (data_dir / LOCK_FILE).open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fail(f"another hub ingest-initial is loading into {data_dir}; wait for it to end")
        yield
    finally:
        handle.close()


def _save_state(data_dir: Path, staging: str, run_ids: list[str]) -> None:
    state = {"staging": staging, "pid": os.getpid(), "runs": run_ids}
    (data_dir / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")


async def _clean_interrupted(client: RespClient, staging: str, data_dir: Path) -> None:
    """Remove what a load killed half-way left: its partial graph, and its runs marked
    running (recorded as interrupted). Only one load runs at a time (`_only_load`)."""
    path = data_dir / STATE_FILE
    state = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if await _call(client, "EXISTS", staging):
        log.warning(
            "removing the partial graph %s of an initial load that was interrupted", staging
        )
        await _call(client, "GRAPH.DELETE", staging)
    _remove_spools(data_dir)
    for run_id in state.get("runs", []):
        folder = run_dir(data_dir, run_id)
        with contextlib.suppress(OSError, ValueError):
            report = RunReport(
                **{
                    **json.loads((folder / "report.json").read_text(encoding="utf-8")),
                    "rejects": [],
                }
            )
            if report.status == "running":
                save_report(as_interrupted(report), folder)
                log.warning(
                    "run %s (%s) of the interrupted initial load recorded as interrupted",
                    run_id,
                    report.dataset,
                )
    path.unlink(missing_ok=True)


def _remove_spools(data_dir: Path) -> None:
    """The rows a killed load had validated and spooled to disk."""
    for spool in data_dir.glob(f"{SPOOL_PREFIX}*"):
        shutil.rmtree(spool, ignore_errors=True)
