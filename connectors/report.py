"""Run reports: what one connector run read, accepted, rejected and changed.

Each report is kept twice: as `<data dir>/runs/<run_id>/report.json` (beside `rejects.csv`,
with the first rejects listed) and as a `ConnectorRun` node in the graph, which
`list_runs` reads for `hub runs` and GraphQL `connectorRuns`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from connectors.rejects import Reject
from hub.store import GraphStore

REPORT_FILE = "report.json"
RECORD_QUERY = "ingest_run_record"
LIST_QUERY = "connector_runs"
MAX_REPORTED_REJECTS = 1_000  # in the report itself; rejects.csv has all of them

RunStatus = Literal["completed", "failed"]


@dataclass
class RunReport:
    """The outcome of one connector run. created + updated + unchanged = rows_accepted."""

    run_id: str
    dataset: str
    department: str
    file_name: str
    format: str
    encoding: str | None
    sha256: str
    started_at: str  # ISO timestamps, China Standard Time
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
    rejects_file: str | None = None
    error: str | None = None
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
            lines.append(f"  rejected rows, to fix and send again: {self.rejects_file}")
        return "\n".join(lines)

    def graph_properties(self) -> dict[str, Any]:
        """The report as `ConnectorRun` properties (the rejects stay in the files)."""
        data = asdict(self)
        del data["rejects"]
        return {name: value for name, value in data.items() if value is not None}

    @classmethod
    def from_graph(cls, properties: dict[str, Any]) -> RunReport:
        names = {f.name for f in fields(cls)} - {"rejects"}
        known = {name: value for name, value in properties.items() if name in names}
        known["ignored_columns"] = list(known.get("ignored_columns") or [])
        return cls(**known)


def save_report(report: RunReport, run_dir: Path) -> Path:
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / REPORT_FILE
    path.write_text(report.to_json(), encoding="utf-8")
    return path


async def record_run(store: GraphStore, report: RunReport) -> None:
    await store.write(RECORD_QUERY, {"run": report.graph_properties()})


async def list_runs(store: GraphStore, department: str | None, first: int) -> list[RunReport]:
    """The latest `first` runs, newest first, of `department` (or of all departments)."""
    rows = await store.read(LIST_QUERY, {"department": department, "first": first})
    return [RunReport.from_graph(row["run"]) for row in rows]
