"""punishments (API.md: officers for their own cases' parties, departments their own
records, admin all) and creditCheck's `punishments`, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

from tests.control.conftest import (
    CASE_A,
    CASE_B,
    CASE_C,
    HELD,
    OTHER_OFFICER,
    OUTSIDER,
    RESPONDENT,
    SECOND,
    ControlHub,
)
from tests.feedback.conftest import (
    OTHER_KIND,
    PUNISHMENTS,
    audited,
    punishments,
    recorded,
    refusal,
)

CREDIT = """
query($subjects: [String!]!) { creditCheck(subjects: $subjects) {
  subject restricted punishments { id department appliedAt caseNumber measure { code } }
} }"""
CREDIT_PLAIN = "query($subjects: [String!]!) { creditCheck(subjects: $subjects) { restricted } }"


def _records(hub: ControlHub) -> dict[str, dict[str, Any]]:
    """One record of each kind this module reads, made once (a repeat returns it)."""
    return {
        "respondent_psb": recorded(
            hub,
            "psb",
            subject=RESPONDENT,
            caseNumber=CASE_A,
            measureCode="CONSUMPTION_VEHICLE_PURCHASE",
            appliedAt="2024-04-01",
        ),
        "respondent_other": recorded(
            hub,
            OTHER_KIND,
            subject=RESPONDENT,
            caseNumber=CASE_A,
            measureCode="CONSUMPTION_AIR_TRAVEL",
            appliedAt="2024-04-02",
        ),
        # 李某 is no party of case A: a responsible person of its listed respondent
        "responsible": recorded(
            hub,
            OTHER_KIND,
            subject=SECOND,
            caseNumber=CASE_A,
            measureCode="CONSUMPTION_HIGH_SPEED_RAIL",
            appliedAt="2024-04-03",
        ),
    }


def ids(found: list[dict[str, Any]]) -> set[str]:
    return {p["id"] for p in found}


def test_an_officer_reads_the_records_of_their_own_case(feedback_hub: ControlHub) -> None:
    made = _records(feedback_hub)
    officer = feedback_hub.officer
    of_case = ids(punishments(feedback_hub, officer, caseNumber=CASE_A))
    assert {r["id"] for r in made.values()} <= of_case
    # of one subject only
    assert ids(punishments(feedback_hub, officer, caseNumber=CASE_A, subject=SECOND)) == {
        made["responsible"]["id"]
    }
    # 李某 is a party of case B: his records show there too, whatever case they were under
    assert made["responsible"]["id"] in ids(punishments(feedback_hub, officer, caseNumber=CASE_B))
    # a subject that is no party of the case, and nothing recorded under it: nothing
    assert punishments(feedback_hub, officer, caseNumber=CASE_B, subject=HELD) == []
    # 张某 is a party of the other officer's case C: that officer sees his records from it
    other = feedback_hub.token("officer", OTHER_OFFICER)
    from_c = ids(punishments(feedback_hub, other, caseNumber=CASE_C))
    assert {made["respondent_psb"]["id"], made["respondent_other"]["id"]} <= from_c
    assert made["responsible"]["id"] not in from_c


def test_an_officer_is_refused_another_officers_case_and_no_case(
    feedback_hub: ControlHub,
) -> None:
    other = feedback_hub.token("officer", OTHER_OFFICER)
    code, message, _ = refusal(feedback_hub.post(PUNISHMENTS, {"caseNumber": CASE_A}, token=other))
    assert code == "FORBIDDEN" and "assigned to another officer" in message
    code, message, _ = refusal(feedback_hub.post(PUNISHMENTS, {}, token=feedback_hub.officer))
    assert code == "FORBIDDEN" and "name a caseNumber" in message


def test_a_department_reads_its_own_records_and_an_admin_all(feedback_hub: ControlHub) -> None:
    made = _records(feedback_hub)
    psb = punishments(feedback_hub, feedback_hub.department("psb"))
    assert made["respondent_psb"]["id"] in ids(psb)
    assert {p["department"] for p in psb} == {"psb"}
    other = punishments(feedback_hub, feedback_hub.department(OTHER_KIND), subject=RESPONDENT)
    assert ids(other) == {made["respondent_other"]["id"]}
    assert punishments(feedback_hub, feedback_hub.department("icbc")) == []

    admin = feedback_hub.token("admin", "ops-feedback")
    assert {r["id"] for r in made.values()} <= ids(punishments(feedback_hub, admin))
    assert ids(punishments(feedback_hub, admin, subject=SECOND, caseNumber=CASE_A)) >= {
        made["responsible"]["id"]
    }
    assert punishments(feedback_hub, admin, subject=OUTSIDER) == []
    newest_first = punishments(feedback_hub, admin, subject=RESPONDENT, first=1)
    assert len(newest_first) == 1

    code, _, _ = refusal(
        feedback_hub.post(PUNISHMENTS, {}, token=feedback_hub.token("auditor", "jw-1"))
    )
    assert code == "FORBIDDEN"


def test_reading_punishments_is_audited(feedback_hub: ControlHub) -> None:
    token = feedback_hub.token("officer", "fy0821-001")
    answer = feedback_hub.post(PUNISHMENTS, {"caseNumber": CASE_A, "subject": SECOND}, token=token)
    assert "errors" not in answer, answer
    events = audited(feedback_hub, operation="punishments", caseNumber=CASE_A, subject=SECOND)
    assert events and events[0]["outcome"] == "ALLOWED"
    assert events[0]["resultCount"] == len(answer["data"]["punishments"])


def _queries(hub: ControlHub, name: str) -> float:
    text = httpx.get(f"{hub.url}/metrics", timeout=10).text
    return sum(
        float(line.rpartition(" ")[2])
        for line in text.splitlines()
        if line.startswith("hub_store_queries_total{") and f'query="{name}"' in line
    )


def test_credit_check_shows_what_was_applied_in_one_query_more(
    feedback_hub: ControlHub,
) -> None:
    made = _records(feedback_hub)
    subjects = [RESPONDENT, SECOND, OUTSIDER, HELD]
    token = feedback_hub.department(OTHER_KIND)
    before = _queries(feedback_hub, "punishment_of_subjects")
    answer = feedback_hub.post(CREDIT, {"subjects": subjects}, token=token)
    assert "errors" not in answer, answer
    assert _queries(feedback_hub, "punishment_of_subjects") - before == 1
    results = {r["subject"]: r for r in answer["data"]["creditCheck"]}
    applied = {p["id"]: p for p in results[RESPONDENT]["punishments"]}
    assert {made["respondent_psb"]["id"], made["respondent_other"]["id"]} <= set(applied)
    assert applied[made["respondent_psb"]["id"]]["department"] == "psb"
    assert applied[made["respondent_psb"]["id"]]["caseNumber"] == CASE_A
    dates = [p["appliedAt"] for p in results[RESPONDENT]["punishments"]]
    assert dates == sorted(dates, reverse=True)
    assert made["responsible"]["id"] in {p["id"] for p in results[SECOND]["punishments"]}
    assert results[OUTSIDER]["punishments"] == [] and results[HELD]["punishments"] == []

    # not asked for: no query for them
    before = _queries(feedback_hub, "punishment_of_subjects")
    assert "errors" not in feedback_hub.post(CREDIT_PLAIN, {"subjects": subjects}, token=token)
    assert _queries(feedback_hub, "punishment_of_subjects") == before
