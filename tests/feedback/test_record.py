"""recordPunishment over HTTP (API.md, "Punishment feedback"): each refusal names its
argument and is audited as DENIED; the same report twice is stored once and alerts the
case's officer once."""

from __future__ import annotations

from tests.alerts.conftest import alerts, of_kind
from tests.control.conftest import (
    CASE_A,
    CASE_B,
    CASE_C,
    COMPANY,
    OTHER_OFFICER,
    OUTSIDER,
    RESPONDENT,
    SECOND,
    ControlHub,
)
from tests.feedback.conftest import (
    LAPSED,
    OTHER_KIND,
    audited,
    punishments,
    record,
    recorded,
    refusal,
)


def test_a_record_is_stored_and_returned(feedback_hub: ControlHub) -> None:
    stored = recorded(
        feedback_hub,
        "psb",
        subject=RESPONDENT,
        caseNumber=CASE_A,
        measureCode="CONSUMPTION_VEHICLE_PURCHASE",
        appliedAt="2024-05-06",
        note="车辆登记系统已限制",
    )
    assert stored["id"] and stored["department"] == "psb"
    assert (stored["subject"], stored["subjectName"]) == (RESPONDENT, "张某")
    assert (stored["caseNumber"], stored["appliedAt"]) == (CASE_A, "2024-05-06")
    assert stored["measure"] == {"code": "CONSUMPTION_VEHICLE_PURCHASE", "department": "psb"}


def test_the_same_report_twice_is_stored_once_and_alerts_once(feedback_hub: ControlHub) -> None:
    given = {
        "subject": COMPANY,
        "caseNumber": CASE_A,
        "measureCode": "PROCUREMENT_BAN",
        "appliedAt": "2024-05-07",
    }
    first = recorded(feedback_hub, OTHER_KIND, **given)
    again = recorded(feedback_hub, OTHER_KIND, **given, note="再次报送")
    assert again == first  # the stored record, its note unchanged

    admin = feedback_hub.token("admin", "ops-feedback")
    every = punishments(feedback_hub, admin, subject=COMPANY)
    assert [p["id"] for p in every if p["measure"]["code"] == "PROCUREMENT_BAN"] == [first["id"]]

    raised = of_kind(alerts(feedback_hub, feedback_hub.officer), "PUNISHMENT_RECORDED", first["id"])
    assert len(raised) == 1, raised
    [alert] = raised
    assert alert["caseNumber"] == CASE_A
    assert alert["subject"] == {"id": COMPANY, "name": "镇赉某建筑有限公司", "kind": "ENTERPRISE"}
    assert alert["message"] == (
        "镇赉县发展和改革局反馈：已对镇赉某建筑有限公司采取惩戒措施“依法限制作为供应商参加政府采购活动”（2024-05-07）"
    )
    # the officer of another case sees none of it
    other = feedback_hub.token("officer", OTHER_OFFICER)
    assert of_kind(alerts(feedback_hub, other), "PUNISHMENT_RECORDED") == []


def test_another_day_is_another_record(feedback_hub: ControlHub) -> None:
    given = {"subject": RESPONDENT, "caseNumber": CASE_A, "measureCode": "CONSUMPTION_REAL_ESTATE"}
    first = recorded(feedback_hub, "nrb", **given, appliedAt="2024-05-08")
    second = recorded(feedback_hub, "nrb", **given, appliedAt="2024-05-09")
    assert first["id"] != second["id"]


def test_a_subject_no_measure_applies_to_is_refused(feedback_hub: ControlHub) -> None:
    given = {"caseNumber": CASE_A, "measureCode": "CONSUMPTION_VEHICLE_PURCHASE"}
    code, message, argument = refusal(
        record(feedback_hub, "psb", subject=OUTSIDER, appliedAt="2024-05-06", **given)
    )
    assert (code, argument) == ("BAD_USER_INPUT", "input.subject")
    assert "no measure applies" in message and "失信被执行人名单" in message


def test_a_listing_removed_before_the_day_applied_is_no_ground(feedback_hub: ControlHub) -> None:
    given = {"subject": LAPSED, "caseNumber": CASE_B, "measureCode": "CONSUMPTION_VEHICLE_PURCHASE"}
    code, _, argument = refusal(record(feedback_hub, "psb", appliedAt="2024-06-02", **given))
    assert (code, argument) == ("BAD_USER_INPUT", "input.subject")
    assert recorded(feedback_hub, "psb", appliedAt="2024-05-31", **given)["subject"] == LAPSED


def test_a_measure_another_department_kind_carries_out_is_refused(
    feedback_hub: ControlHub,
) -> None:
    answer = record(
        feedback_hub,
        "amr",
        subject=RESPONDENT,
        caseNumber=CASE_A,
        measureCode="CONSUMPTION_VEHICLE_PURCHASE",
        appliedAt="2024-05-06",
    )
    code, message, argument = refusal(answer)
    assert (code, argument) == ("BAD_USER_INPUT", "input.measureCode")
    assert "carried out by psb" in message and "amr is of kind amr" in message


def test_a_measure_that_does_not_apply_to_the_subject_is_refused(
    feedback_hub: ControlHub,
) -> None:
    # 李某 is the legal representative of a listed enterprise: RESPONSIBLE_PERSON measures
    # apply to him, not APPOINTMENT_COMPANY_DIRECTOR (for listed persons themselves)
    answer = record(
        feedback_hub,
        "amr",
        subject=SECOND,
        caseNumber=CASE_A,
        measureCode="APPOINTMENT_COMPANY_DIRECTOR",
        appliedAt="2024-05-06",
    )
    code, message, argument = refusal(answer)
    assert (code, argument) == ("BAD_USER_INPUT", "input.measureCode")
    assert "applies to PERSON" in message
    responsible = recorded(
        feedback_hub,
        "psb",
        subject=SECOND,
        caseNumber=CASE_A,
        measureCode="CONSUMPTION_VEHICLE_PURCHASE",
        appliedAt="2024-05-06",
    )
    assert responsible["subjectName"] == "李某"


def test_an_unknown_case_is_not_found(feedback_hub: ControlHub) -> None:
    answer = record(
        feedback_hub,
        "psb",
        subject=RESPONDENT,
        caseNumber="（2031）吉0821执99999号",
        measureCode="CONSUMPTION_VEHICLE_PURCHASE",
        appliedAt="2024-05-06",
    )
    assert refusal(answer)[0] == "NOT_FOUND"


def test_refusals_are_audited_as_denied(feedback_hub: ControlHub) -> None:
    token = feedback_hub.token("department", "psb-audited", "psb")
    answer = feedback_hub.post(
        "mutation($input: PunishmentInput!) { recordPunishment(input: $input) { id } }",
        {
            "input": {
                "subject": OUTSIDER,
                "caseNumber": CASE_C,
                "measureCode": "CONSUMPTION_VEHICLE_PURCHASE",
                "appliedAt": "2024-05-06",
            }
        },
        token=token,
    )
    assert refusal(answer)[0] == "BAD_USER_INPUT"
    [event] = audited(feedback_hub, actor="psb-audited", operation="recordPunishment")
    assert event["outcome"] == "DENIED"
    assert event["reason"].startswith("BAD_USER_INPUT: argument input.subject")
    assert (event["caseNumber"], event["subjects"]) == (CASE_C, [OUTSIDER])
