"""connectorRuns: what the department connectors loaded (admin: all; a department: its own)."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from strawberry.types import Info

from connectors import RunReport, list_runs
from hub.graphql import arguments
from hub.graphql.context import Context
from hub.graphql.guard import Scope, guard
from hub.security.principal import Principal
from hub.settings import CONNECTOR_RUNS_PAGE, MAX_PAGE_SIZE


@strawberry.type(description="One connector run's report.")
class ConnectorRun:
    run_id: str
    dataset: str
    department: str
    file_name: str
    format: str
    status: str = strawberry.field(
        description="running, completed, failed, or interrupted (its process was killed: "
        "the counts are those of the batches written; send the file again to complete it)"
    )
    started_at: str = strawberry.field(description="ISO 8601, UTC (+00:00)")
    finished_at: str | None
    updated_at: str | None = strawberry.field(description="when the run last recorded progress")
    duration_s: float
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    created: int
    updated: int
    unchanged: int
    ignored_columns: list[str]
    error: str | None
    rejects_file: str | None = strawberry.field(
        description="where the department that published the run downloads its rejected rows "
        "(GET, with its token)"
    )
    request_id: str | None = strawberry.field(
        description="the requestId of the run's audit records (ingest, ingestResult)"
    )

    @classmethod
    def of(cls, report: RunReport) -> ConnectorRun:
        return cls(
            run_id=report.run_id,
            dataset=report.dataset,
            department=report.department,
            file_name=report.file_name,
            format=report.format,
            status=report.status,
            started_at=report.started_at,
            finished_at=report.finished_at,
            duration_s=report.duration_s,
            rows_read=report.rows_read,
            rows_accepted=report.rows_accepted,
            rows_rejected=report.rows_rejected,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            ignored_columns=list(report.ignored_columns),
            error=report.error,
            updated_at=report.updated_at,
            rejects_file=report.rejects_file,
            request_id=report.request_id,
        )


@dataclass(frozen=True)
class RunsArgs:
    first: int

    @property
    def scope(self) -> Scope:
        return Scope()


async def run_runs(context: Context, principal: Principal, args: RunsArgs) -> list[ConnectorRun]:
    department = principal.department if principal.role == "department" else None
    return [ConnectorRun.of(r) for r in await list_runs(context.store, department, args.first)]


async def resolve_connector_runs(
    info: Info[Context, None], first: int | None = CONNECTOR_RUNS_PAGE
) -> list[ConnectorRun]:
    return await guard(
        info,
        "connectorRuns",
        Scope(),
        lambda: RunsArgs(arguments.page_size("first", first, CONNECTOR_RUNS_PAGE, MAX_PAGE_SIZE)),
        run_runs,
    )


@strawberry.type
class RunsQuery:
    connector_runs: list[ConnectorRun] = strawberry.field(
        resolver=resolve_connector_runs, description="The latest connector runs, newest first."
    )
