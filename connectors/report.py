"""Run reports: what one connector run read, accepted, rejected and changed.

Each report is kept twice: as `<data dir>/runs/<run_id>/report.json` (beside `rejects.csv`,
with the first rejects listed) and as a `ConnectorRun` node in the graph, which
`list_runs` reads for `hub runs` and GraphQL `connectorRuns`.

A run is recorded when it starts (status `running`) and again after every batch, so a run
whose process dies (kill -9, a power cut) is still there with the rows written so far. Such
a run reads as `interrupted`: `Runner` says whether the process that recorded it is still
alive (same machine: that pid, started at that moment; another machine: a report updated
within `STALE_AFTER_S`), and `mark_interrupted` writes that down (hub serve's start-up and
every ingest call it).

Reading a run back never fails on a run that was written: every field has a default, and
every text is cleaned (no NUL, at most `MAX_TEXT` characters) before it is stored.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

from connectors.rejects import Reject
from schema.store import QueryStore

log = logging.getLogger(__name__)

REPORT_FILE = "report.json"
RECORD_QUERY = "ingest_run_record"
LIST_QUERY = "connector_runs"
RUNNING_QUERY = "connector_runs_running"
GET_QUERY = "connector_run"
# The connectors' own limits: constants, not settings (this package does not import the
# hub; README.md "Configuration" lists them).
MAX_REPORTED_REJECTS = 1_000  # in the report itself; rejects.csv has all of them
MAX_TEXT = 1_000  # characters of any text of a report (file names, errors, column names)
MAX_LISTED_COLUMNS = 100  # ignored columns named in a report
MAX_COLUMN_NAME_CHARS = 200  # of each column named in a report
STALE_AFTER_S = 600  # a running run of another machine not updated for this long is dead
REJECTS_URL = "/ingest/runs/{run_id}/rejects"

RunStatus = Literal["running", "completed", "failed", "interrupted"]
STATUSES: tuple[RunStatus, ...] = get_args(RunStatus)
INTERRUPTED_ERROR = (
    "the process running it ended before the run finished (killed or crashed); "
    "send the file again to complete it"
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_text(moment: datetime) -> str:
    """A time as reports keep it: UTC, to the second, with its offset (`+00:00`)."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


@dataclass
class RunReport:
    """The outcome of one connector run. created + updated + unchanged = rows_accepted."""

    run_id: str
    dataset: str = ""
    department: str = ""
    file_name: str = ""
    format: str = ""
    encoding: str | None = None
    sha256: str = ""
    started_at: str = ""  # ISO 8601, UTC with its offset (+00:00)
    finished_at: str | None = None
    duration_s: float = 0.0
    status: RunStatus = "completed"
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    parties_created: int = 0  # Party nodes this run created: stubs, unless it completed them
    ignored_columns: list[str] = field(default_factory=list)
    rejects_file: str | None = None  # the URL departments download it from
    error: str | None = None
    updated_at: str | None = None  # the last time the run recorded its progress
    host: str | None = None  # the machine, process and boot that ran it (see Runner)
    pid: int | None = None
    pid_started: int | None = None
    boot_id: str | None = None
    request_id: str | None = None  # of the audit records of the run (X-Request-ID)
    rejects: list[Reject] = field(default_factory=list)  # the first MAX_REPORTED_REJECTS

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rejects"] = [reject.to_dict() for reject in self.rejects]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def summary(self) -> str:
        """A few lines for a person: what happened, then each reported reject."""
        lines = [
            f"{self.dataset} from {self.file_name} ({self.department}), run {self.run_id}: "
            f"{self.status}",
            f"  started {local_text(self.started_at)}",
            f"  rows read {self.rows_read}, accepted {self.rows_accepted}, "
            f"rejected {self.rows_rejected}",
            f"  created {self.created}, updated {self.updated}, unchanged {self.unchanged}"
            f"; parties created {self.parties_created}",
            f"  {self.duration_s:.2f} s",
        ]
        if self.ignored_columns:
            lines.append(f"  ignored columns: {', '.join(self.ignored_columns)}")
        if self.error:
            lines.append(f"  error: {self.error}")
        lines += [f"  {reject.message}" for reject in self.rejects]
        if self.rows_rejected and self.rejects_file:
            lines.append(f"  rejected rows, to fix and send again: GET {self.rejects_file}")
        return "\n".join(lines)

    def graph_properties(self) -> dict[str, Any]:
        """The report as `ConnectorRun` properties (the rejects stay in the files)."""
        data = cleaned(asdict(self))
        del data["rejects"]
        return {name: value for name, value in data.items() if value is not None}

    @classmethod
    def from_graph(cls, properties: dict[str, Any]) -> RunReport:
        """A stored run, whatever it lacks or holds besides: defaults for what is missing."""
        report = cls(run_id=str(properties.get("run_id", "")))
        for spec in fields(cls):
            if spec.name in ("run_id", "rejects") or spec.name not in properties:
                continue
            default = getattr(report, spec.name)
            value = _as_kind_of(default, properties[spec.name], spec.name)
            setattr(report, spec.name, value)
        if report.status not in STATUSES:
            report.status = "failed"
        return report


def _as_kind_of(default: Any, value: Any, name: str) -> Any:
    """`value` converted to the kind of the field's default; the default when it cannot be."""
    try:
        if value is None:
            return default
        if isinstance(default, bool):
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, list):
            return [str(item) for item in value] if isinstance(value, list) else [str(value)]
        if name in ("pid", "pid_started"):
            return int(value)
        return str(value)
    except (TypeError, ValueError):
        return default


def clean_text(text: str, limit: int = MAX_TEXT) -> str:
    """A text the store can hold and a person can read: no NUL, at most `limit` characters."""
    text = text.replace("\x00", "\N{REPLACEMENT CHARACTER}")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cleaned(data: dict[str, Any]) -> dict[str, Any]:
    """Every text of a report's fields cleaned; lists of texts cut to MAX_LISTED_COLUMNS."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, str):
            out[name] = clean_text(value)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            out[name] = [
                clean_text(item, MAX_COLUMN_NAME_CHARS) for item in value[:MAX_LISTED_COLUMNS]
            ]
        else:
            out[name] = value
    return out


def local_text(stored: str) -> str:
    """A stored UTC time in the machine's local time, for a person to read."""
    try:
        return datetime.fromisoformat(stored).astimezone().isoformat(sep=" ")
    except ValueError:
        return stored


# --- who is running a run, and whether it still is --------------------------------------------


@cache
def _boot_id() -> str | None:
    with contextlib.suppress(OSError):
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    return None


def _process_started(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot (None: no such process)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and parentheses: count from its end.
    return int(stat[stat.rindex(")") + 2 :].split()[19])


@dataclass(frozen=True)
class Runner:
    """This process, as a run records it: machine, boot, pid and the pid's start time."""

    host: str
    boot_id: str | None
    pid: int
    pid_started: int | None

    @classmethod
    def current(cls) -> Runner:
        pid = os.getpid()
        return cls(socket.gethostname(), _boot_id(), pid, _process_started(pid))

    def stamp(self, report: RunReport) -> None:
        report.host, report.boot_id = self.host, self.boot_id
        report.pid, report.pid_started = self.pid, self.pid_started

    def has_gone(self, report: RunReport, now: datetime) -> bool:
        """Whether the process that recorded the running `report` is gone.

        On this machine (same host and boot) it is alive while its pid runs and started
        when the report says (a pid is reused); a reboot ended it. A run of another machine
        is alive while it keeps recording its progress.
        """
        if report.host == self.host and report.boot_id and report.boot_id == self.boot_id:
            if report.pid is None:
                return True
            started = _process_started(report.pid)
            return started is None or (
                report.pid_started is not None and started != report.pid_started
            )
        if report.host == self.host and report.boot_id and self.boot_id:
            return True  # this machine was started again since
        last = _parse(report.updated_at or report.started_at)
        return last is None or now - last > timedelta(seconds=STALE_AFTER_S)


def _parse(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def as_interrupted(report: RunReport) -> RunReport:
    report.status = "interrupted"
    report.error = report.error or INTERRUPTED_ERROR
    report.finished_at = report.finished_at or report.updated_at or report.started_at
    return report


# --- keeping and reading reports ---------------------------------------------------------------


def run_dir(data_dir: Path, run_id: str) -> Path:
    return data_dir / "runs" / run_id


def save_report(report: RunReport, run_dir: Path) -> Path:
    """Write report.json whole or not at all (a kill mid-write leaves the previous one)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / REPORT_FILE
    partial = path.with_suffix(".json.part")
    partial.write_text(report.to_json(), encoding="utf-8")
    partial.replace(path)
    return path


async def record_run(store: QueryStore, report: RunReport) -> None:
    await store.write(RECORD_QUERY, {"run": report.graph_properties()})


async def list_runs(store: QueryStore, department: str | None, first: int) -> list[RunReport]:
    """The latest `first` runs, newest first, of `department` (or of all departments).

    A run still marked running whose process is gone is listed as interrupted."""
    rows = await store.read(LIST_QUERY, {"department": department, "first": first})
    return [_as_seen(RunReport.from_graph(row["run"])) for row in rows]


async def get_run(store: QueryStore, run_id: str) -> RunReport | None:
    rows = await store.read(GET_QUERY, {"run_id": run_id})
    return _as_seen(RunReport.from_graph(rows[0]["run"])) if rows else None


def _as_seen(report: RunReport) -> RunReport:
    if report.status == "running" and Runner.current().has_gone(report, utc_now()):
        return as_interrupted(report)
    return report


async def mark_interrupted(store: QueryStore, data_dir: Path) -> list[RunReport]:
    """Record as interrupted every run marked running whose process is gone; return them."""
    rows = await store.read(RUNNING_QUERY)
    runner, now = Runner.current(), utc_now()
    marked: list[RunReport] = []
    for row in rows:
        report = RunReport.from_graph(row["run"])
        if not runner.has_gone(report, now):
            continue
        as_interrupted(report)
        await record_run(store, report)
        folder = run_dir(data_dir, report.run_id)
        if folder.is_dir():
            with contextlib.suppress(OSError):
                saved = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
                if saved.get("status") == "running":
                    saved.update(
                        status=report.status,
                        error=report.error,
                        finished_at=report.finished_at,
                    )
                    (folder / REPORT_FILE).write_text(
                        json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8"
                    )
        log.warning(
            "run %s (%s from %s) was interrupted after %d rows; marked so",
            report.run_id,
            report.dataset,
            report.file_name,
            report.rows_read,
        )
        marked.append(report)
    return marked
