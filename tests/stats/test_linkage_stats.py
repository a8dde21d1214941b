"""linkageStats on the seed county (API.md, "Statistics of linkage work"): a day's linkage
work is done over HTTP on a generated county — traces, asset searches, credit checks,
freezes, a deduction, a seal, a cancelled request, a punishment, a letter and a new account —
and the figures the hub gives are compared with those computed here from the generated
files and what was done."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from seed.county import generate_county
from tests.control.test_seed_plants import PERSONS, SEED, PlantHub, plant_hub

__all__ = ["plant_hub"]

STATS = """
query($from: String!, $to: String!) { linkageStats(from: $from, to: $to) {
  from to traces assetSearches creditChecks subjectsChecked
  calls { operation department calls subjects }
  controlRequests controlRequestsBy { department action status requests }
  answered medianHoursToAnswer amountFrozen frozenByDepartment { department amount }
  amountDeducted propertiesSealed vehiclesSealed newAssetsFound
  punishmentsRecorded punishments { measureCode measureName department records }
  lettersSent letters { kind letters recipients replied repliesDue repliedOnTime }
} }
"""
TRACE = """query($s: String!, $c: String!) {
  tracePerson(idNumber: $s, caseNumber: $c) { subject { idNumber } } }"""
LOCATE = """query($s: String!, $c: String!) {
  locateAssets(subject: $s, caseNumber: $c) { totalEstimatedValue } }"""
CREDIT = "query($s: [String!]!) { creditCheck(subjects: $s) { subject } }"
REQUEST = "mutation($i: ControlRequestInput!) { requestControl(input: $i) { id } }"
ANSWER = "mutation($i: ControlAnswerInput!) { answerControl(input: $i) { status } }"
CANCEL = 'mutation($id: ID!) { cancelControl(id: $id, reason: "撤回") { status } }'
PUNISH = "mutation($i: PunishmentInput!) { recordPunishment(input: $i) { id } }"
SEND = "mutation($i: LetterInput!) { sendLetter(input: $i) { id } }"
REPLY = 'mutation($id: ID!) { replyLetter(id: $id, text: "已核查，无拖欠") { status } }'


def rows(county: Path, dataset: str) -> list[dict[str, str]]:
    with (county / f"{dataset}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Pair:
    case: str
    officer: str
    respondent: str


def post(hub: PlantHub, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    answer = hub.post(query, variables, token)
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plant hub's county again: the generator makes the same files from the same seed."""
    folder = tmp_path_factory.mktemp("stats-county")
    generate_county(folder, persons=PERSONS, seed=SEED)
    return folder


def pairs(county: Path) -> list[Pair]:
    """Open cases with an officer and a person respondent holding a debit card account."""
    cases = {r["case_number"]: r for r in rows(county, "court.cases")}
    accounts = {
        r["holder_id"] for r in rows(county, "bank.accounts") if r["account_type"] == "借记卡"
    }
    found = []
    for party in rows(county, "court.parties"):
        case = cases[party["case_number"]]
        if (
            party["role"] == "被执行人"
            and party["party_type"] == "person"
            and case["status"] == "执行中"
            and case["officer_id"]
            and party["party_id"] in accounts
        ):
            found.append(Pair(case["case_number"], case["officer_id"], party["party_id"]))
    assert found, "the seed county has a respondent with accounts"
    return found


def test_a_days_linkage_work_gives_the_figures_computed_from_the_files(
    plant_hub: PlantHub, county: Path
) -> None:
    hub = plant_hub
    work = pairs(county)
    first = work[0]
    officer = {p.case: hub.token("officer", p.officer) for p in work}
    bank = hub.token("department", "bank-system", "bank")
    today = date.today().isoformat()

    for p in work:  # 查人, 找物
        post(hub, TRACE, {"s": p.respondent, "c": p.case}, officer[p.case])
        post(hub, LOCATE, {"s": p.respondent, "c": p.case}, officer[p.case])
    some = list(dict.fromkeys(r["holder_id"] for r in rows(county, "bank.accounts")))[:5]
    post(hub, CREDIT, {"s": some}, hub.token("admin", "ops-1"))
    post(hub, CREDIT, {"s": some[:2]}, hub.token("department", "psb-system", "psb"))

    accounts = [
        r
        for r in rows(county, "bank.accounts")
        if r["holder_id"] == first.respondent and r["account_type"] == "借记卡"
    ][:3]
    docs = {"rulingNumber": "（2026）吉0821执1号之一", "noticeNumber": "（2026）吉0821执1号"}
    frozen = Decimal(0)
    deducted = Decimal(0)
    p = first
    for n, account in enumerate(accounts):
        target = {
            "kind": "ACCOUNT",
            "bankCode": account["bank_code"],
            "accountNumber": account["account_number"],
        }
        action = "DEDUCT" if n == 2 else "FREEZE"
        amount = Decimal("100.00")
        given = {
            "caseNumber": p.case,
            "action": action,
            "target": target,
            "amount": str(amount),
            **docs,
        }
        sent = post(hub, REQUEST, {"i": given}, officer[p.case])["requestControl"]
        answer: dict[str, Any] = {"requestId": sent["id"], "outcome": "DONE"}
        done = amount
        if n == 1:
            answer, done = (
                {**answer, "outcome": "PARTIAL", "amountControlled": "40.00"},
                Decimal("40.00"),
            )
        post(hub, ANSWER, {"i": answer}, bank)
        if action == "FREEZE":
            frozen += done
        else:
            deducted += done
    located = {
        "caseNumber": first.case,
        "action": "LOCATE",
        "target": {"kind": "PERSON", "idNumber": first.respondent},
    }
    cancelled = post(hub, REQUEST, {"i": located}, officer[first.case])["requestControl"]
    post(hub, CANCEL, {"id": cancelled["id"]}, officer[first.case])

    listed = next(r for r in rows(county, "court.dishonest") if not r["removed_at"])
    punished = {
        "subject": listed["subject_id"],
        "caseNumber": listed["case_number"],
        "measureCode": "CONSUMPTION_VEHICLE_PURCHASE",
        "appliedAt": today,
    }
    psb = hub.token("department", "psb-system", "psb")
    for _ in range(2):  # the same report twice is one record
        post(hub, PUNISH, {"i": punished}, psb)

    letter = {
        "kind": "WAGE_CHECK",
        "to": ["nrb"],
        "title": "农民工工资核查",
        "text": "请核查",
        "caseNumber": first.case,
        "replyBy": (date.today() + timedelta(days=7)).isoformat(),
    }
    sent_letter = post(hub, SEND, {"i": letter}, officer[first.case])["sendLetter"]
    post(hub, REPLY, {"id": sent_letter["id"]}, hub.token("department", "nrb-system", "nrb"))

    # a new account of the first respondent: one NEW_ASSET per open case they answer for
    cases_of = {
        party["case_number"]
        for party in rows(county, "court.parties")
        if party["party_id"] == first.respondent and party["role"] == "被执行人"
    }
    open_cases = {
        c["case_number"]
        for c in rows(county, "court.cases")
        if c["case_number"] in cases_of and c["status"] == "执行中" and c["officer_id"]
    }
    published = httpx.post(
        f"{hub.url}/ingest/bank.accounts",
        content=(
            "bank_code,account_number,holder_id,account_type,balance,balance_as_of\n"
            f"JLNX,6222009999000001,{first.respondent},借记卡,10.00,2026-12-01\n"
        ).encode(),
        headers={"Authorization": f"Bearer {bank}", "Content-Type": "text/csv"},
        timeout=60,
    )
    assert published.status_code == 200 and published.json()["rows_rejected"] == 0, published.text

    stats = post(hub, STATS, {"from": today, "to": today}, hub.token("auditor", "sj-stats"))[
        "linkageStats"
    ]
    assert (stats["from"], stats["to"]) == (today, today)
    assert (stats["traces"], stats["assetSearches"]) == (len(work), len(work))
    assert (stats["creditChecks"], stats["subjectsChecked"]) == (2, len(some) + 2)
    assert {
        (c["operation"], c["department"]) for c in stats["calls"] if c["operation"] == "creditCheck"
    } == {("creditCheck", None), ("creditCheck", "psb")}
    assert stats["controlRequests"] == 4 and stats["answered"] == 3
    by = {(r["action"], r["status"]): r["requests"] for r in stats["controlRequestsBy"]}
    assert by == {
        ("FREEZE", "DONE"): 1,
        ("FREEZE", "PARTIAL"): 1,
        ("DEDUCT", "DONE"): 1,
        ("LOCATE", "CANCELLED"): 1,
    }
    assert stats["amountFrozen"] == str(frozen) == "140.00"
    assert stats["frozenByDepartment"] == [{"department": "bank", "amount": "140.00"}]
    assert stats["amountDeducted"] == str(deducted) == "100.00"
    assert 0 <= stats["medianHoursToAnswer"] < 1
    assert stats["newAssetsFound"] == len(open_cases) >= 1
    assert stats["punishmentsRecorded"] == 1
    [measure] = stats["punishments"]
    assert (measure["measureCode"], measure["department"], measure["records"]) == (
        "CONSUMPTION_VEHICLE_PURCHASE",
        "psb",
        1,
    )
    assert measure["measureName"]
    assert stats["lettersSent"] == 1
    assert stats["letters"] == [
        {
            "kind": "WAGE_CHECK",
            "letters": 1,
            "recipients": 1,
            "replied": 1,
            "repliesDue": 1,
            "repliedOnTime": 1,
        }
    ]

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    before = post(hub, STATS, {"from": "2020-01-01", "to": yesterday}, hub.token("admin", "ops-1"))[
        "linkageStats"
    ]
    assert (before["traces"], before["controlRequests"], before["lettersSent"]) == (0, 0, 0)
    assert before["medianHoursToAnswer"] is None and before["amountFrozen"] == "0.00"


@pytest.mark.parametrize(
    ("span", "argument"),
    [
        ({"from": "2026-13-01", "to": "2026-12-31"}, "from"),
        ({"from": "2026-12-05", "to": "2026-12-04"}, "to"),
        ({"from": "1990-01-01", "to": "2026-12-31"}, "to"),
        ({"from": "2026-12-01\x00", "to": "2026-12-31"}, "from"),
    ],
)
def test_a_bad_period_is_refused_naming_the_argument(
    plant_hub: PlantHub, span: dict[str, str], argument: str
) -> None:
    answer = plant_hub.post(STATS, span, plant_hub.token("admin", "ops-1"))
    [error] = answer["errors"]
    assert (error["extensions"]["code"], error["extensions"].get("argument")) == (
        "BAD_USER_INPUT",
        argument,
    )


@pytest.mark.parametrize("role", ["officer", "department"])
def test_only_admins_and_auditors_read_the_figures(plant_hub: PlantHub, role: str) -> None:
    token = plant_hub.token(role, "x-1", "psb" if role == "department" else None)
    answer = plant_hub.post(STATS, {"from": "2026-01-01", "to": "2026-12-31"}, token)
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
