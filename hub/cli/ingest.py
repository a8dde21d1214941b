"""`hub ingest` and `hub runs`: run a connector on a department file; list the runs.

`hub ingest` is audited like `POST /ingest`: a record of the attempt (actor `cli:<user>`,
role `operator`) before the first batch is written, and one with the run's outcome and
rows accepted when it ends (`ingestResult`, the same request id).
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TextColumn, TimeElapsedColumn
from rich.text import Text

from connectors import DATASETS, FileRefused, RunReport, ingest_file, list_runs
from connectors.pipeline import dataset_named
from connectors.rejects import REJECTS_FILE
from connectors.report import local_text, run_dir
from hub.alerts import arrivals
from hub.cli.common import fail, run_with_store, setup_logging
from hub.cli.operator import operator_record
from hub.ingest_api import close_interrupted_runs
from hub.security.audit import AuditLog, AuditRecord, Outcome
from hub.settings import Settings, get_settings
from hub.store import GraphStore
from hub.store.schema import apply_audit_schema, apply_schema
from schema.departments import Department, DepartmentsFileError, load_departments

REFUSED_EXIT_CODE = 2


def ingest(
    dataset: Annotated[str, typer.Argument(help=f"One of: {', '.join(DATASETS)}.")],
    file: Annotated[Path, typer.Argument(help="CSV, JSON Lines (.jsonl) or XLSX file.")],
    department: Annotated[
        str | None,
        typer.Option(help="Publishing department code (default: the dataset's owner kind)."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="CSV encoding, e.g. gb18030 (default: detected).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    init: Annotated[
        bool, typer.Option("--init", help="Create the data directory if there is none.")
    ] = False,
) -> None:
    """Load a department file into the graph and print the run report.

    Exits 0 when the file was processed (rows may have been rejected), 2 when refused whole.
    """
    setup_logging()
    settings = get_settings()
    try:
        publisher = _department(settings, dataset, department)
        with _row_progress(file.name, enabled=sys.stdout.isatty()) as progress:

            async def work(store: GraphStore) -> RunReport:
                await apply_schema(store)  # keys first: without their indexes MERGE scans
                await apply_audit_schema(store)
                log = AuditLog(store.audit_store())
                await close_interrupted_runs(store, settings.data_dir, log)  # killed earlier
                audit = _AuditedRun(log, publisher, dataset)
                try:
                    report = await ingest_file(
                        store,
                        dataset,
                        file,
                        publisher,
                        encoding=encoding,
                        data_dir=settings.data_dir,
                        progress=progress,
                        request_id=audit.request_id,
                        on_start=audit.started,
                        watch=arrivals.watcher(store, publisher),
                    )
                except FileRefused as refused:
                    await audit.ended("ERROR", refused.reason_en)
                    raise
                except BaseException:
                    await audit.ended("ERROR", "the run failed")
                    raise
                await audit.ended(_outcome(report), report.error)
                return report

            report = run_with_store(work, init=init, data_dir=True)
    except FileRefused as refused:
        _refuse(refused)
    if as_json:
        typer.echo(report.to_json())
        return
    typer.echo(report.summary())
    if report.rows_rejected and report.rejects_file:
        local = run_dir(settings.data_dir.resolve(), report.run_id) / REJECTS_FILE
        typer.echo(f"  on this machine: {local}")


class _AuditedRun:
    """The audit records of one `hub ingest`: the attempt, then how it ended."""

    def __init__(self, audit: AuditLog, publisher: Department, dataset: str) -> None:
        self.audit = audit
        self.publisher = publisher
        self.dataset = dataset[:100]
        self.request_id = uuid.uuid4().hex
        self.report: RunReport | None = None

    async def started(self, report: RunReport) -> None:
        self.report = report
        await self.audit.append(self._record("ingest", "ALLOWED", 0, None))

    async def ended(self, outcome: Outcome, reason: str | None) -> None:
        report = self.report
        operation = "ingestResult" if report is not None else "ingest"
        accepted = report.rows_accepted if report is not None else 0
        await self.audit.append(self._record(operation, outcome, accepted, reason))

    def _record(
        self, operation: str, outcome: Outcome, count: int, reason: str | None
    ) -> AuditRecord:
        return operator_record(
            operation,
            outcome=outcome,
            result_count=count,
            reason=reason,
            department=self.publisher.code,
            dataset=self.dataset,
            request_id=self.request_id,
        )


def _outcome(report: RunReport) -> Outcome:
    return "ALLOWED" if report.status == "completed" else "ERROR"


def runs(
    department: Annotated[str | None, typer.Option(help="Only this department's runs.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many runs, newest first.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the runs as JSON.")] = False,
) -> None:
    """List the latest connector runs."""
    setup_logging()

    async def work(store: GraphStore) -> list[RunReport]:
        return await list_runs(store, department, limit)

    reports = run_with_store(work)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
        return
    if not reports:
        typer.echo("no connector runs")
    for report in reports:
        typer.echo(_run_line(report))


def _department(settings: Settings, dataset: str, code: str | None) -> Department:
    """The publishing department: `code`, or the one named after the dataset's owner kind."""
    owner = dataset_named(dataset).owner
    try:
        departments = load_departments(settings.departments_file)
    except DepartmentsFileError as error:
        fail(str(error))
    code = code or owner
    if code not in departments:
        known = ", ".join(departments)
        raise FileRefused(
            f"未登记的部门“{code}”，已登记：{known}",
            f"department '{code}' is not registered; registered: {known}",
        )
    return departments[code]


def _refuse(refused: FileRefused) -> NoReturn:
    typer.secho(f"refused: {refused}", err=True, fg=typer.colors.RED)
    raise typer.Exit(REFUSED_EXIT_CODE)


def _run_line(report: RunReport) -> str:
    return (
        f"{report.run_id}  {local_text(report.started_at)}  {report.department:<8} "
        f"{report.dataset:<17} "
        f"{report.status:<11} read {report.rows_read} rejected {report.rows_rejected} "
        f"created {report.created} updated {report.updated} unchanged {report.unchanged}  "
        f"{report.file_name}"
    )


class _RowsPerSecond(ProgressColumn):
    """Rows per second since the start (rich's own speed needs several updates to show)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        speed = f"{task.completed / elapsed:,.0f}" if elapsed > 0 and task.completed else "-"
        return Text(f"{speed} rows/s", style="progress.data.speed")


@contextmanager
def _row_progress(label: str, *, enabled: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar counting rows (and rows/s) on a terminal; nothing otherwise."""
    if not enabled:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,} rows"),
        _RowsPerSecond(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda rows: bar.update(task, completed=rows)
