"""`hub audit …`: check the audit chain and its checkpoints, export it for an outside auditor."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from hub.cli.common import fail, run_with_store, setup_logging
from hub.cli.operator import operator_record
from hub.security.audit import AuditLog, AuditVerification
from hub.security.audit.checkpoints import load_public_pem, public_pem, signing_key
from hub.settings import get_settings
from hub.store import GraphStore

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)

OWNER_ONLY = 0o600


@app.command("verify")
def verify(
    public_key: Annotated[
        Path | None,
        typer.Option(help="PEM public key to check checkpoints against; default the hub's own."),
    ] = None,
) -> None:
    """Recompute every record's hash and link and check the signed checkpoints; exit 1 naming
    the first broken record or the first checkpoint that disagrees."""
    setup_logging()
    settings = get_settings()
    try:
        key = load_public_pem(public_key.read_text(encoding="ascii")) if public_key else None
    except (OSError, ValueError) as error:
        fail(f"--public-key {public_key}: {error}")

    async def work(store: GraphStore) -> AuditVerification:
        return await AuditLog(store.audit_store(), settings).verify(key)

    result = run_with_store(work)
    if not result.ok and result.first_broken_seq is not None:
        fail(
            f"the audit chain is broken at record {result.first_broken_seq}: {result.reason} "
            f"({result.checked} records before it check out)"
        )
    if not result.ok:
        fail(
            f"the audit chain fails its signed checkpoints: {result.reason} "
            f"({result.checked} records check out up to the last good checkpoint)"
        )
    signed = f", {result.checkpoints} signed checkpoints" if result.checkpoints else ""
    typer.echo(f"ok: {result.checked} records{signed}")


@app.command("public-key")
def show_public_key() -> None:
    """Print the public key (PEM) an outside auditor checks the checkpoints with."""
    try:
        key = signing_key(get_settings(), create=True)
    except (OSError, ValueError) as error:
        fail(f"the audit signing key cannot be read: {error}")
    assert key is not None
    typer.echo(public_pem(key.public_key()), nl=False)


@app.command("export")
def export(
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day or moment (ISO 8601, local time unless given)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day (included), or moment (excluded).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="JSON Lines file to write (owner-only); default stdout.")
    ] = None,
) -> None:
    """Write the records of a period as JSON Lines; docs/audit.md says how to check them."""
    setup_logging()
    try:
        since = _moment(start, end_of_day=False)
        until = _moment(end, end_of_day=True)
    except ValueError as error:
        fail(str(error))

    async def work(store: GraphStore) -> int:
        audit = AuditLog(store.audit_store(), get_settings())
        with _sink(out) as sink:
            count = 0
            async for record in audit.export(since, until):
                sink.write(export_line(record) + "\n")
                count += 1
        # The export reveals who was looked at: it is itself an access, and recorded.
        await audit.append(operator_record("auditExport", result_count=count))
        await audit.close()  # signs the chain's new end
        return count

    count = run_with_store(work)
    if out is not None:
        typer.echo(f"exported {count} records to {out}", err=True)


def export_line(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _moment(text: str | None, *, end_of_day: bool) -> datetime | None:
    """An ISO date or date-time; naive ones are local time. A date as --to means its end."""
    if text is None:
        return None
    try:
        if len(text) == len("2024-05-01"):
            day = date.fromisoformat(text)
            if end_of_day:
                day += timedelta(days=1)
            return datetime.combine(day, time()).astimezone()
        return datetime.fromisoformat(text).astimezone()
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date (2024-05-01) or date-time") from None


@contextlib.contextmanager
def _sink(path: Path | None) -> Iterator[TextIO]:
    if path is None:
        yield sys.stdout
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        yield file
