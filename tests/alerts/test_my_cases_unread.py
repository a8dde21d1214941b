"""myCases tells the officer how many alerts of each case are unread (我的案件, 未读提醒)."""

from __future__ import annotations

from collections import Counter

from tests.alerts.conftest import MARK_READ, alerts
from tests.control.conftest import CASE_A, ControlHub
from tests.control.helpers import account_target, answered, control_input, requested

MY_CASES = "{ myCases { caseNumber unreadAlerts } }"
CASE = "query($c: String!) { case(caseNumber: $c) { caseNumber unreadAlerts } }"


def unread_by_case(hub: ControlHub) -> dict[str, int]:
    result = hub.post(MY_CASES, token=hub.officer)
    assert "errors" not in result, result
    return {c["caseNumber"]: c["unreadAlerts"] for c in result["data"]["myCases"]}


def test_my_cases_count_each_cases_unread_alerts(alert_hub: ControlHub) -> None:
    sent = requested(alert_hub, control_input("FREEZE", account_target("renew"), amount="3.00"))
    answered(alert_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE"})
    unread = [a for a in alerts(alert_hub, alert_hub.officer) if not a["read"]]
    expected = Counter(a["caseNumber"] for a in unread)
    counted = unread_by_case(alert_hub)
    assert {case: n for case, n in counted.items() if n} == dict(expected)
    assert counted[CASE_A] >= 1

    of_a = [a["id"] for a in unread if a["caseNumber"] == CASE_A]
    alert_hub.post(MARK_READ, {"ids": of_a[:1]}, token=alert_hub.officer)
    assert unread_by_case(alert_hub)[CASE_A] == counted[CASE_A] - 1

    one = alert_hub.post(CASE, {"c": CASE_A}, token=alert_hub.officer)
    assert one["data"]["case"] == {"caseNumber": CASE_A, "unreadAlerts": None}
