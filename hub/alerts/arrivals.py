"""NEW_ASSET and NEW_CLUE: what a connector run brings of a respondent of an open case.

At a run's first batch one query reads the respondents (被执行人) of open cases with an
officer. Before each batch of an asset dataset (real estate, vehicles, accounts,
shareholdings) or of `psb.persons` (phones and addresses) that names one of them is written,
one query finds its rows whose holder is such a respondent and is not linked to that asset,
phone or address yet; once the batch is written, one more write raises an alert for each
such row and case, to the case's officer. A batch naming none costs nothing. An alert's
id comes from kind, what it is about, case and officer, and it is written with MERGE:
loading a file twice raises nothing new (bench/results/alerts-ingest-*.md measures the cost).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from hub.alerts.kinds import AlertKind
from hub.alerts.raising import Recipient, alert
from hub.alerts.reading import OPEN
from hub.control.clock import CLOCK
from schema.departments import Department
from schema.store import QueryStore

Row = dict[str, Any]
RESPONDENT: Final = "respondent"
AfterWrite = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Arrival:
    """What a dataset's rows bring: the query that finds the new ones, and per row the
    (holder, key, what) it links."""

    query: str
    asset: str  # the asset kind, as measures key assets; "" for clues
    noun: str  # what it is, in Chinese
    links: Callable[[Row], Iterable[Row]]


def _one(holder: str, key: str, what: str) -> list[Row]:
    return [{"holder": holder, "key": key, "what": what}]


def _clues(row: Row) -> list[Row]:
    props = row.get("props") or {}
    found = []
    if row.get("phone"):
        found.append({"holder": row["party_id"], "kind": "phone", "key": row["phone"]})
    for column in ("household_address", "residence_address"):
        if props.get(column):
            found.append({"holder": row["party_id"], "kind": "address", "key": props[column]})
    return [{**clue, "what": clue["key"]} for clue in found]


ARRIVALS: Final[dict[str, Arrival]] = {
    "nrb.properties": Arrival(
        "alerts_arrivals_property",
        "PROPERTY",
        "不动产",
        lambda r: _one(
            r["owner_id"],
            r["cert_number"],
            f"{r['cert_number']} {(r.get('props') or {}).get('address') or ''}".strip(),
        ),
    ),
    "psb.vehicles": Arrival(
        "alerts_arrivals_vehicle",
        "VEHICLE",
        "机动车",
        lambda r: _one(
            r["owner_id"],
            r["vin"],
            f"{(r.get('props') or {}).get('plate_number') or ''}（车架号 {r['vin']}）",
        ),
    ),
    "bank.accounts": Arrival(
        "alerts_arrivals_account",
        "ACCOUNT",
        "银行账户",
        lambda r: _one(r["holder_id"], r["key"], r["key"].replace(":", " 账号 ", 1)),
    ),
    "amr.shareholders": Arrival(
        "alerts_arrivals_equity",
        "EQUITY",
        "股权",
        lambda r: _one(r["holder_id"], r["uscc"], f"{r['uscc']} 的股权"),
    ),
    "psb.persons": Arrival("alerts_arrivals_clue", "", "线索", _clues),
}
CLUE_NOUNS: Final = {"phone": "联系电话", "address": "地址"}


def watcher(
    store: QueryStore, department: Department
) -> Callable[[str, list[Row]], Awaitable[AfterWrite | None]]:
    """The `watch` of a connector run by `department` (connectors.writer.BatchWriter): asked
    with each batch before it is written, it returns what raises the batch's alerts after."""

    respondents: set[str] | None = None

    async def watch(dataset: str, rows: list[Row]) -> AfterWrite | None:
        nonlocal respondents
        arrival = ARRIVALS.get(dataset)
        if arrival is None:
            return None
        if respondents is None:  # once a run: most batches then need no query at all
            [known] = await store.read(
                "alerts_respondents", {"respondent": RESPONDENT, "open": OPEN}
            )
            respondents = set(known["respondents"])
        links = [
            link for row in rows for link in arrival.links(row) if link["holder"] in respondents
        ]
        if not links:
            return None
        found = await store.read(
            arrival.query, {"rows": links, "respondent": RESPONDENT, "open": OPEN}
        )
        if not found:
            return None
        raised = [_alert(arrival, row, department, CLOCK.now()) for row in found]

        async def raise_alerts() -> None:
            await store.write("alerts_raise_many", {"alerts": raised})

        return raise_alerts

    return watch


def _alert(arrival: Arrival, row: Row, department: Department, now: datetime) -> Row:
    if arrival.asset:
        kind, ref = AlertKind.NEW_ASSET, f"{arrival.asset}:{row['key']}"
        if arrival.asset == "EQUITY":
            ref = f"{ref}:{row['subject_id']}"
        noun = arrival.noun
    else:
        kind, noun = AlertKind.NEW_CLUE, CLUE_NOUNS[row["kind"]]
        ref = f"{row['kind'].upper()}:{row['key']}"
    subject = {
        "subject_id": row["subject_id"],
        "subject_name": row.get("subject_name"),
        "subject_kind": "ENTERPRISE" if row.get("enterprise") else "PERSON",
    }
    who = row.get("subject_name") or row["subject_id"]
    raised = alert(
        kind,
        Recipient(officer_id=row["officer_id"]),
        f"{ref}\n{row['case_number']}",
        subject,
        row["case_number"],
        f"{department.name}报送：被执行人{who}新增{noun} {row['what']}",
        now,
    )
    raised["ref"] = ref
    raised["source"] = department.code
    return raised
