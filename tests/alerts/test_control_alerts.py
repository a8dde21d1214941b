"""Alerts raised by control requests and measures, read and marked over GraphQL (API.md,
"Alerts"): each raised once, for its one recipient."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from typing import Any

from typer.testing import CliRunner

from hub.cli import app as cli
from tests.alerts.conftest import CASE_D, CASE_E, MARK_READ, alerts, of_kind, publish_case
from tests.control.conftest import (
    CASE_A,
    CASE_B,
    CASE_C,
    OTHER_OFFICER,
    PROPERTIES,
    RESPONDENT,
    ControlHub,
)
from tests.control.helpers import (
    account_target,
    answer,
    answered,
    control_input,
    refusal,
    request,
    requested,
)
from tests.control.test_file_exchange import send_answers
from tests.serving import serving


def seal(hub: ControlHub, name: str, case: str, **more: Any) -> dict[str, Any]:
    cert, _ = PROPERTIES[name]
    given = control_input("SEAL", {"kind": "PROPERTY", "certNumber": cert}, caseNumber=case, **more)
    sent = requested(hub, given)
    return answered(hub, "nrb", {"requestId": sent["id"], "outcome": "DONE"})


def test_a_request_alerts_the_department_addressed_once(alert_hub: ControlHub) -> None:
    sent = requested(
        alert_hub, control_input("FREEZE", account_target("partial"), amount="10000.00")
    )
    [alert] = of_kind(
        alerts(alert_hub, alert_hub.department("icbc")), "CONTROL_REQUESTED", sent["id"]
    )
    assert alert["caseNumber"] == CASE_A and not alert["read"]
    assert alert["subject"] == {"id": RESPONDENT, "name": "张某", "kind": "PERSON"}
    assert "冻结" in alert["message"] and CASE_A in alert["message"]
    assert not of_kind(alerts(alert_hub, alert_hub.department("ccb")), "CONTROL_REQUESTED")
    assert not of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_REQUESTED")


def test_an_answer_alerts_the_officer_of_the_case_once(alert_hub: ControlHub) -> None:
    sent = requested(alert_hub, control_input("FREEZE", account_target("deduct"), amount="100.00"))
    answered(alert_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE"})
    again = answer(alert_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE"})
    assert refusal(again)[0] == "BAD_USER_INPUT"  # answered already: no second alert
    [alert] = of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_ANSWERED", sent["id"])
    assert alert["caseNumber"] == CASE_A and "已办结" in alert["message"]
    assert alert["message"].startswith("工商银行镇赉支行答复控制请求")  # its registered name
    other = alert_hub.token("officer", OTHER_OFFICER)
    assert not of_kind(alerts(alert_hub, other), "CONTROL_ANSWERED", sent["id"])
    assert not of_kind(alerts(alert_hub, alert_hub.department("icbc")), "CONTROL_ANSWERED")


def test_another_officer_gets_the_alerts_of_their_own_case_only(alert_hub: ControlHub) -> None:
    other = alert_hub.token("officer", OTHER_OFFICER)
    given = control_input("FREEZE", account_target("other"), amount="100.00", caseNumber=CASE_C)
    result = request(alert_hub, given, other)
    assert "errors" not in result, result
    sent = result["data"]["requestControl"]
    answered(alert_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE"})
    [alert] = of_kind(alerts(alert_hub, other), "CONTROL_ANSWERED", sent["id"])
    assert alert["caseNumber"] == CASE_C
    assert not of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_ANSWERED", sent["id"])
    # the officer may not mark the other's alert read
    marked = alert_hub.post(MARK_READ, {"ids": [alert["id"]]}, token=alert_hub.officer)
    assert marked == {"data": {"markAlertsRead": 0}}
    [still] = of_kind(alerts(alert_hub, other), "CONTROL_ANSWERED", sent["id"])
    assert not still["read"]


def test_a_released_seal_advances_the_queue_and_alerts_the_waiting_case(
    alert_hub: ControlHub,
) -> None:
    cert, _ = PROPERTIES["queue"]
    first = seal(alert_hub, "queue", CASE_A)["measure"]
    second = seal(alert_hub, "queue", CASE_B)["measure"]
    assert second["state"] == "WAITING"
    assert not of_kind(alerts(alert_hub, alert_hub.officer), "QUEUE_ADVANCED")
    release = control_input(
        "RELEASE", {"kind": "PROPERTY", "certNumber": cert}, measureId=first["id"]
    )
    sent = requested(alert_hub, release)
    answered(alert_hub, "nrb", {"requestId": sent["id"], "outcome": "DONE"})
    [alert] = of_kind(alerts(alert_hub, alert_hub.officer), "QUEUE_ADVANCED")
    assert alert["ref"] == second["id"] and alert["caseNumber"] == CASE_B
    assert "轮候" in alert["message"] and "查封" in alert["message"]


def test_expiry_lapses_once_and_alerts_once(alert_hub: ControlHub, cli_env: None) -> None:
    end = date.today() + timedelta(days=10)
    first = seal(alert_hub, "lapse", CASE_A, until=end.isoformat())["measure"]
    second = seal(alert_hub, "lapse", CASE_B)["measure"]
    day_after = (end + timedelta(days=1)).isoformat()
    for _ in range(2):  # the second run lapses nothing and raises nothing
        run = CliRunner().invoke(cli, ["control", "expire", "--today", day_after])
        assert run.exit_code == 0, run.output
    found = alerts(alert_hub, alert_hub.officer)
    [lapsed] = of_kind(found, "CONTROL_LAPSED")
    assert lapsed["ref"] == first["id"] and lapsed["caseNumber"] == CASE_A
    assert end.isoformat() in lapsed["message"]
    assert [a["caseNumber"] for a in of_kind(found, "QUEUE_ADVANCED", second["id"])] == [CASE_B]


def test_alerts_are_marked_read_once_and_unread_ones_listed(alert_hub: ControlHub) -> None:
    sent = requested(alert_hub, control_input("FREEZE", account_target("cycle"), amount="1.00"))
    ccb = alert_hub.department(sent["department"])
    unread = alerts(alert_hub, ccb, unread=True)
    assert unread and all(not a["read"] for a in unread)
    ids = [a["id"] for a in unread]
    assert alert_hub.post(MARK_READ, {"ids": ids}, token=ccb) == {
        "data": {"markAlertsRead": len(ids)}
    }
    assert alert_hub.post(MARK_READ, {"ids": ids}, token=ccb) == {"data": {"markAlertsRead": 0}}
    assert alerts(alert_hub, ccb, unread=True) == []
    assert {a["id"] for a in alerts(alert_hub, ccb) if a["read"]} >= set(ids)


def test_alerts_of_a_closed_case_are_not_shown(alert_hub: ControlHub) -> None:
    given = control_input("FREEZE", account_target("renew"), amount="1.00", caseNumber=CASE_D)
    sent = requested(alert_hub, given)
    answered(alert_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE"})
    [alert] = of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_ANSWERED", sent["id"])
    publish_case(alert_hub, CASE_D, status="closed")
    assert not of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_ANSWERED", sent["id"])
    marked = alert_hub.post(MARK_READ, {"ids": [alert["id"]]}, token=alert_hub.officer)
    assert marked == {"data": {"markAlertsRead": 0}}


def test_alerts_of_a_case_go_with_it_when_it_is_reassigned(alert_hub: ControlHub) -> None:
    given = control_input("FREEZE", account_target("locate"), amount="1.00", caseNumber=CASE_E)
    sent = requested(alert_hub, given)
    answered(alert_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE"})
    assert of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_ANSWERED", sent["id"])
    publish_case(alert_hub, CASE_E, officer=OTHER_OFFICER)
    assert not of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_ANSWERED", sent["id"])


def test_alerts_are_kept_in_the_store_across_a_restart(alert_hub: ControlHub) -> None:
    sent = requested(alert_hub, control_input("FREEZE", account_target("file"), amount="1.00"))
    with serving(alert_hub.settings) as (url, _):
        again = ControlHub(
            url,
            alert_hub.app,
            alert_hub.secret,
            alert_hub.graph,
            alert_hub.data_dir,
            alert_hub.settings,
        )
        [alert] = of_kind(alerts(again, again.department("ccb")), "CONTROL_REQUESTED", sent["id"])
    assert alert["caseNumber"] == CASE_A


def test_only_officers_and_departments_have_alerts(alert_hub: ControlHub) -> None:
    for role in ("auditor", "admin"):
        token = alert_hub.token(role, f"{role}-1")
        for document, variables in (
            ("{ alerts { edges { cursor } } }", {}),
            (MARK_READ, {"ids": ["x"]}),
        ):
            code, message, _ = refusal(alert_hub.post(document, variables, token=token))
            assert code == "FORBIDDEN" and "is for department, officer" in message


def test_bad_arguments_are_named(alert_hub: ControlHub) -> None:
    officer = alert_hub.officer
    assert refusal(alert_hub.post(MARK_READ, {"ids": []}, token=officer))[2] == "ids"
    bad_first = alert_hub.post("{ alerts(first: 0) { edges { cursor } } }", token=officer)
    assert refusal(bad_first)[2] == "first"
    bad_after = alert_hub.post('{ alerts(after: "nope") { edges { cursor } } }', token=officer)
    assert refusal(bad_after)[2] == "after"
    theirs = base64.urlsafe_b64encode(b"control:1").decode()  # controlRequests' cursor
    other_cursor = alert_hub.post(
        "query($after: String) { alerts(after: $after) { edges { cursor } } }",
        {"after": theirs},
        token=officer,
    )
    assert refusal(other_cursor)[2] == "after"


def test_alerts_come_a_page_at_a_time(alert_hub: ControlHub) -> None:
    icbc = alert_hub.department("icbc")
    for name in ("bounded", "deduct"):  # two of icbc's accounts
        requested(alert_hub, control_input("FREEZE", account_target(name), amount="1.00"))
    every = alerts(alert_hub, icbc)
    assert len(every) >= 2
    seen, after = [], None
    while True:
        page = alert_hub.post(
            "query($after: String) { alerts(first: 1, after: $after) {"
            " edges { node { id } } pageInfo { hasNextPage endCursor } } }",
            {"after": after},
            token=icbc,
        )["data"]["alerts"]
        seen += [edge["node"]["id"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [a["id"] for a in every]
    assert [a["at"] for a in every] == sorted((a["at"] for a in every), reverse=True)


AUDITED = """
query($filter: AuditFilter) { auditEvents(filter: $filter, first: 50) {
  edges { node { operation actor outcome resultCount } } } }
"""


def test_reading_and_marking_alerts_are_audited(alert_hub: ControlHub) -> None:
    officer = alert_hub.token("officer", "fy0821-audited")
    assert alerts(alert_hub, officer) == []
    assert alert_hub.post(MARK_READ, {"ids": ["x"]}, token=officer) == {
        "data": {"markAlertsRead": 0}
    }
    result = alert_hub.post(
        AUDITED, {"filter": {"actor": "fy0821-audited"}}, token=alert_hub.token("auditor", "a-1")
    )
    assert "errors" not in result, result
    records = [edge["node"] for edge in result["data"]["auditEvents"]["edges"]]
    assert sorted(r["operation"] for r in records) == ["alerts", "markAlertsRead"]
    assert {r["outcome"] for r in records} == {"ALLOWED"}


def test_an_answers_file_sent_twice_alerts_the_officer_once(alert_hub: ControlHub) -> None:
    sent = requested(alert_hub, control_input("FREEZE", account_target("file"), amount="2.00"))
    answers = f"request_id,outcome\n{sent['id']},DONE\n"
    for accepted in (1, 0):  # the second is rejected: answered already
        response = send_answers(alert_hub, "ccb", answers)
        assert response.status_code == 200, response.text
        assert response.json()["rows_accepted"] == accepted, response.text
    [alert] = of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_ANSWERED", sent["id"])
    assert "ccb" in alert["message"]


def test_a_measure_about_to_end_is_noticed_once_per_end(
    alert_hub: ControlHub, cli_env: None
) -> None:
    cert = "吉（2023）镇赉县不动产权第0000401号"
    alert_hub.publish(
        "nrb.properties",
        f"cert_number,owner_id,address\n{cert},{RESPONDENT},镇赉县镇赉镇某路41号\n",
        "nrb",
    )
    target = {"kind": "PROPERTY", "certNumber": cert}
    end = date.today() + timedelta(days=40)
    sent = requested(alert_hub, control_input("SEAL", target, until=end.isoformat()))
    measure = answered(alert_hub, "nrb", {"requestId": sent["id"], "outcome": "DONE"})["measure"]

    def expire(today: date) -> None:
        run = CliRunner().invoke(cli, ["control", "expire", "--today", today.isoformat()])
        assert run.exit_code == 0, run.output

    def noticed() -> list[dict[str, Any]]:
        return of_kind(alerts(alert_hub, alert_hub.officer), "CONTROL_EXPIRING", measure["id"])

    expire(date.today())  # 40 days left: more than HUB_EXPIRY_NOTICE_DAYS (30)
    assert noticed() == []
    for day in (end - timedelta(days=20), end - timedelta(days=19)):
        expire(day)
    [notice] = noticed()
    assert notice["caseNumber"] == CASE_A
    assert end.isoformat() in notice["message"] and "还有20天" in notice["message"]

    new_end = end + timedelta(days=365)
    renewal = requested(
        alert_hub,
        control_input("RENEW", target, measureId=measure["id"], until=new_end.isoformat()),
    )
    answered(alert_hub, "nrb", {"requestId": renewal["id"], "outcome": "DONE"})
    expire(new_end - timedelta(days=5))
    assert len(noticed()) == 2  # the new end is noticed too
    assert other_officer_sees_none(alert_hub, measure["id"])


def other_officer_sees_none(hub: ControlHub, ref: str) -> bool:
    theirs = alerts(hub, hub.token("officer", OTHER_OFFICER))
    return of_kind(theirs, "CONTROL_EXPIRING", ref) == []
