"""`hub control …`: control measures on assets (docs/control.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

import typer

from hub.alerts import raising
from hub.cli.common import fail, run_with_store, setup_logging
from hub.cli.operator import operator_record, record
from hub.control import measures
from hub.control.clock import CLOCK
from hub.settings import get_settings
from hub.store import GraphStore

app = typer.Typer(help="Control requests and the measures on assets (控).", no_args_is_help=True)


@app.command("expire")
def expire(
    today: Annotated[
        str | None,
        typer.Option(help="YYYY-MM-DD to lapse as of (default: today, UTC); for trials"),
    ] = None,
) -> None:
    """Lapse the freezes and seals whose term has ended (查扣冻规定 art. 27), end the earlier
    seals their department now publishes released, and bring the first waiting one on each
    asset into force (art. 26). `hub serve` does it hourly too."""
    setup_logging()
    settings = get_settings()
    now = CLOCK.now()
    if today is not None:
        try:
            now = datetime.combine(date.fromisoformat(today.strip()), time(12), UTC)
        except ValueError:
            fail(f"--today {today[:20]!r}: not a date as YYYY-MM-DD")

    async def work(
        store: GraphStore,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
        lapsed = await measures.expire(store, now)
        released = await measures.release_published(store, now)
        noticed = await raising.measures_expiring(store, now, settings.expiry_notice_days)
        entry = operator_record("controlExpire", result_count=len(lapsed) + len(released))
        await record(store, settings, entry)
        return lapsed, released, noticed

    lapsed, released, noticed = run_with_store(work, data_dir=True)
    for measure in lapsed:
        typer.echo(
            f"lapsed {measure['measure_id']} ({measure['kind']}) on {measure['asset_key']}, "
            f"case {measure.get('case_number')}, ended {measure.get('effective_until')}"
        )
    for measure in released:
        typer.echo(
            f"ended {measure['measure_id']} on {measure['asset_key']}: the earlier seal "
            f"{measure.get('reported')!r} is published released"
        )
    typer.echo(f"{len(lapsed)} measures lapsed as of {now.date()}")
    if released:
        typer.echo(f"{len(released)} earlier seals ended as published")
    typer.echo(
        f"{noticed} measures end within {settings.expiry_notice_days} days: their officers "
        "are told (CONTROL_EXPIRING, once per measure and end)"
    )
