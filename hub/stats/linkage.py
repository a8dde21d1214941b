"""The figures of a county's 府院联动 work report for a period (API.md, "Statistics of
linkage work"): six queries whatever the period, one in the audit graph, five in the data
graph; the sums and the median are taken here."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from hub.alerts.kinds import AlertKind
from hub.store import GraphStore

Row = dict[str, Any]
COUNTED: Final = ("tracePerson", "locateAssets", "creditCheck")
DONE: Final = ("DONE", "PARTIAL")
MAX_ANSWERS: Final = 1_000_000  # answered requests one report reads (a county's years of them)


@dataclass(frozen=True)
class Period:
    """From the first day (inclusive) to the last (inclusive)."""

    first: date
    last: date

    @property
    def params(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": (self.last + timedelta(days=1)).isoformat()}


@dataclass
class Figures:
    calls: list[Row] = field(default_factory=list)  # operation, department, calls, subjects
    requests: list[Row] = field(default_factory=list)  # department, action, status, requests
    frozen: dict[str, Decimal] = field(default_factory=dict)  # by department
    deducted: dict[str, Decimal] = field(default_factory=dict)
    sealed: dict[str, int] = field(default_factory=dict)  # by target kind
    answered: int = 0
    median_hours: float | None = None
    new_assets: int = 0
    punishments: list[Row] = field(default_factory=list)  # measure, department, records
    letters: list[Row] = field(default_factory=list)  # kind, letters, recipients, replied …


async def linkage_figures(store: GraphStore, period: Period) -> Figures:
    span = period.params
    figures = Figures()
    figures.calls = await store.audit_store().read(
        "stats_audit_operations", {**span, "operations": list(COUNTED), "allowed": "ALLOWED"}
    )
    figures.requests = await store.read("stats_control_requested", span)
    answers = await store.read("stats_control_answered", {**span, "limit": MAX_ANSWERS})
    _answers(figures, answers)
    [assets] = await store.read("stats_new_assets", {**span, "new_asset": AlertKind.NEW_ASSET})
    figures.new_assets = int(assets["assets"])
    figures.punishments = await store.read("stats_punishments", span)
    figures.letters = await store.read("stats_letters", span)
    return figures


def _answers(figures: Figures, rows: list[Row]) -> None:
    hours = []
    for row in rows:
        took = datetime.fromisoformat(row["answered_at"]) - datetime.fromisoformat(
            row["requested_at"]
        )
        hours.append(took.total_seconds() / 3600)
        if row["status"] not in DONE:
            continue
        department = row["department"]
        if row["action"] in ("FREEZE", "DEDUCT") and row.get("amount"):
            into = figures.frozen if row["action"] == "FREEZE" else figures.deducted
            into[department] = into.get(department, Decimal(0)) + Decimal(row["amount"])
        if row["action"] == "SEAL":
            kind = row["target_kind"]
            figures.sealed[kind] = figures.sealed.get(kind, 0) + 1
    figures.answered = len(rows)
    figures.median_hours = round(statistics.median(hours), 2) if hours else None
