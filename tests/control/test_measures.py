"""Measures on assets after every step: PARTIAL freezes, 轮候 queues and their advance on
release and lapse, renewal within the legal term, deductions, and locateAssets showing it."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from hub.cli import app as cli
from hub.settings import get_settings
from tests.control.conftest import (
    ACCOUNTS,
    CASE_A,
    CASE_B,
    COMPANY,
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
from tests.serving import serving

LOCATE_ASSETS = """
query($subject: String!, $caseNumber: String!) {
  locateAssets(subject: $subject, caseNumber: $caseNumber, includeIndirect: false) {
    properties { certNumber status controls { id kind caseNumber queuePosition state
                                              effectiveFrom effectiveUntil } }
    accounts { accountNumber balance status controls { id kind amount state queuePosition } }
  }
}
"""


def holdings(hub: ControlHub, kind: str, key: str, value: str) -> dict[str, Any]:
    result = hub.post(
        LOCATE_ASSETS, {"subject": RESPONDENT, "caseNumber": CASE_A}, token=hub.officer
    )
    assert "errors" not in result, result
    [found] = [h for h in result["data"]["locateAssets"][kind] if h[key] == value]
    assert isinstance(found, dict)
    return found


def seal(hub: ControlHub, name: str, case: str, **more: Any) -> dict[str, Any]:
    cert, _ = PROPERTIES[name]
    sent = requested(
        hub,
        control_input("SEAL", {"kind": "PROPERTY", "certNumber": cert}, caseNumber=case, **more),
    )
    return answered(hub, "nrb", {"requestId": sent["id"], "outcome": "DONE"})


def release(hub: ControlHub, name: str, case: str, measure_id: str) -> Any:
    cert, _ = PROPERTIES[name]
    given = control_input(
        "RELEASE", {"kind": "PROPERTY", "certNumber": cert}, caseNumber=case, measureId=measure_id
    )
    return request(hub, given)


def test_a_partial_freeze_records_the_amount_frozen(control_hub: ControlHub) -> None:
    sent = requested(
        control_hub, control_input("FREEZE", account_target("partial"), amount="50000.00")
    )
    done = answered(
        control_hub,
        "icbc",
        {
            "requestId": sent["id"],
            "outcome": "PARTIAL",
            "amountControlled": "30000.00",
            "earlierMeasures": ["（2023）吉0821执9号 冻结 10000.00"],
        },
    )
    assert done["status"] == "PARTIAL"
    assert done["answer"]["earlierMeasures"] == ["（2023）吉0821执9号 冻结 10000.00"]
    assert done["measure"]["amount"] == "30000.00"
    account = holdings(control_hub, "accounts", "accountNumber", ACCOUNTS["partial"][1])
    assert account["status"] == "frozen"
    assert [(c["kind"], c["amount"], c["state"]) for c in account["controls"]] == [
        ("FREEZE", "30000.00", "IN_FORCE")
    ]


def test_a_second_seal_waits_and_comes_into_force_when_the_first_is_released(
    control_hub: ControlHub,
) -> None:
    cert, _ = PROPERTIES["queue"]
    first = seal(control_hub, "queue", CASE_A)["measure"]
    second = seal(control_hub, "queue", CASE_B)["measure"]
    assert (first["queuePosition"], first["state"]) == (1, "IN_FORCE")
    assert (second["queuePosition"], second["state"]) == (2, "WAITING")
    assert second["effectiveFrom"] is None
    held = holdings(control_hub, "properties", "certNumber", cert)
    assert held["status"] == "sealed"
    assert [(c["caseNumber"], c["queuePosition"]) for c in held["controls"]] == [
        (CASE_A, 1),
        (CASE_B, 2),
    ]

    # case B may not release case A's seal
    code, message, argument = refusal(release(control_hub, "queue", CASE_B, first["id"]))
    assert (code, argument) == ("BAD_USER_INPUT", "input.measureId")
    assert "another case" in message

    sent = release(control_hub, "queue", CASE_A, first["id"])["data"]["requestControl"]
    assert sent["department"] == "nrb"
    done = answered(control_hub, "nrb", {"requestId": sent["id"], "outcome": "DONE"})
    assert done["measure"]["state"] == "RELEASED"
    held = holdings(control_hub, "properties", "certNumber", cert)
    [now_in_force] = held["controls"]
    assert now_in_force["id"] == second["id"]
    assert (now_in_force["queuePosition"], now_in_force["state"]) == (1, "IN_FORCE")
    assert now_in_force["effectiveFrom"] == date.today().isoformat()
    assert held["status"] == "sealed"


def test_a_renewal_extends_a_freeze_within_one_more_term(control_hub: ControlHub) -> None:
    sent = requested(
        control_hub, control_input("FREEZE", account_target("renew"), amount="5000.00")
    )
    frozen = answered(control_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE"})
    measure = frozen["measure"]
    end = date.fromisoformat(measure["effectiveUntil"])
    assert end == date.today().replace(year=date.today().year + 1) - timedelta(days=1)
    too_far = (end + timedelta(days=367)).isoformat()
    code, message, argument = refusal(
        request(
            control_hub,
            control_input("RENEW", account_target("renew"), measureId=measure["id"], until=too_far),
        )
    )
    assert (code, argument) == ("BAD_USER_INPUT", "input.until") and "485" in message
    new_end = (end + timedelta(days=200)).isoformat()
    renewal = requested(
        control_hub,
        control_input("RENEW", account_target("renew"), measureId=measure["id"], until=new_end),
    )
    renewed = answered(control_hub, "icbc", {"requestId": renewal["id"], "outcome": "DONE"})
    assert renewed["measure"]["id"] == measure["id"]
    assert renewed["measure"]["effectiveUntil"] == new_end


@pytest.fixture
def cli_env(control_hub: ControlHub, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("HUB_GRAPH_URI", "embedded")
    monkeypatch.setenv("HUB_DATA_DIR", str(control_hub.data_dir))
    monkeypatch.setenv("HUB_GRAPH_DATABASE", control_hub.graph)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_seal_not_renewed_lapses_and_the_next_comes_into_force(
    control_hub: ControlHub, cli_env: None
) -> None:
    cert, _ = PROPERTIES["lapse"]
    end = date.today() + timedelta(days=10)
    first = seal(control_hub, "lapse", CASE_A, until=end.isoformat())["measure"]
    second = seal(control_hub, "lapse", CASE_B)["measure"]
    assert first["effectiveUntil"] == end.isoformat() and second["state"] == "WAITING"

    on_last_day = CliRunner().invoke(cli, ["control", "expire", "--today", end.isoformat()])
    assert on_last_day.exit_code == 0, on_last_day.output
    assert "0 measures lapsed" in on_last_day.output
    day_after = (end + timedelta(days=1)).isoformat()
    lapsed = CliRunner().invoke(cli, ["control", "expire", "--today", day_after])
    assert lapsed.exit_code == 0, lapsed.output
    assert first["id"] in lapsed.output
    held = holdings(control_hub, "properties", "certNumber", cert)
    [standing] = held["controls"]
    assert standing["id"] == second["id"] and standing["state"] == "IN_FORCE"
    assert standing["effectiveFrom"] == day_after
    assert (
        standing["effectiveUntil"]
        == (
            date.fromisoformat(day_after).replace(year=end.year + 3) - timedelta(days=1)
        ).isoformat()
    )


def test_a_deduction_done_lowers_the_known_balance(control_hub: ControlHub) -> None:
    sent = requested(
        control_hub, control_input("DEDUCT", account_target("deduct"), amount="20000.00")
    )
    assert "until" in sent and sent["until"] is None
    done = answered(
        control_hub, "icbc", {"requestId": sent["id"], "outcome": "DONE", "receiptNumber": "扣-1"}
    )
    assert done["answer"]["amountControlled"] == "20000.00" and done["measure"] is None
    account = holdings(control_hub, "accounts", "accountNumber", ACCOUNTS["deduct"][1])
    assert account["balance"] == "30000.00"
    assert account["controls"] == []


def test_locate_goes_to_public_security_and_keeps_the_sightings(control_hub: ControlHub) -> None:
    sent = requested(
        control_hub, control_input("LOCATE", {"kind": "PERSON", "idNumber": RESPONDENT})
    )
    assert sent["department"] == "psb" and sent["rulingNumber"] is None
    sighting = {"at": "2024-06-01T21:30:00+08:00", "place": "白城市某宾馆", "kind": "HOTEL"}
    done = answered(
        control_hub, "psb", {"requestId": sent["id"], "outcome": "DONE", "sightings": [sighting]}
    )
    assert done["answer"]["sightings"] == [sighting]


def test_a_wage_check_goes_to_hrss_and_a_seal_of_the_enterprise_carries_a_warning(
    control_hub: ControlHub,
) -> None:
    sent = requested(
        control_hub, control_input("WAGE_CHECK", {"kind": "ENTERPRISE", "uscc": COMPANY})
    )
    assert sent["department"] == "hrss"
    assert sent["subject"]["kind"] == "ENTERPRISE"
    arrears = {"found": True, "amount": "86000.00", "workers": 12}
    done = answered(
        control_hub, "hrss", {"requestId": sent["id"], "outcome": "DONE", "wageArrears": arrears}
    )
    assert done["answer"]["wageArrears"] == arrears
    cert, _ = PROPERTIES["company"]
    sealed = requested(control_hub, control_input("SEAL", {"kind": "PROPERTY", "certNumber": cert}))
    assert any("农民工工资" in warning for warning in sealed["warnings"])
    report = control_hub.post(
        WAGE_CHECK_OF, {"subject": COMPANY, "caseNumber": CASE_A}, token=control_hub.officer
    )
    assert report["data"]["locateAssets"]["wageCheck"] == {
        "requestId": sent["id"],
        "status": "DONE",
        "arrearsFound": True,
        "amount": "86000.00",
        "workers": 12,
    }
    person = control_hub.post(
        WAGE_CHECK_OF, {"subject": RESPONDENT, "caseNumber": CASE_A}, token=control_hub.officer
    )
    assert person["data"]["locateAssets"]["wageCheck"] is None


WAGE_CHECK_OF = """
query($subject: String!, $caseNumber: String!) {
  locateAssets(subject: $subject, caseNumber: $caseNumber) {
    wageCheck { requestId status arrearsFound amount workers }
  }
}
"""


def test_hub_serve_lapses_what_is_due_when_it_starts(control_hub: ControlHub, clock: Any) -> None:
    cert, _ = PROPERTIES["serve"]
    end = date.today() + timedelta(days=5)
    sealed = seal(control_hub, "serve", CASE_A, until=end.isoformat())["measure"]
    assert holdings(control_hub, "properties", "certNumber", cert)["controls"]
    clock.offset = timedelta(days=6)  # the hub's "now" is past the seal's last day
    with serving(control_hub.settings):  # a hub starting lapses at once, then hourly
        deadline = time.monotonic() + 60
        while holdings(control_hub, "properties", "certNumber", cert)["controls"]:
            assert time.monotonic() < deadline, f"{sealed['id']} did not lapse"
            time.sleep(0.2)
    held = holdings(control_hub, "properties", "certNumber", cert)
    assert held["status"] != "sealed"


def test_a_release_or_renewal_of_a_measure_ended_meanwhile_is_not_done(
    control_hub: ControlHub,
) -> None:
    cert = "吉（2023）镇赉县不动产权第0000301号"
    control_hub.publish(
        "nrb.properties",
        f"cert_number,owner_id,address\n{cert},{RESPONDENT},镇赉县镇赉镇某路31号\n",
        "nrb",
    )
    target = {"kind": "PROPERTY", "certNumber": cert}
    sent = requested(control_hub, control_input("SEAL", target))
    measure = answered(control_hub, "nrb", {"requestId": sent["id"], "outcome": "DONE"})["measure"]
    asked = [
        requested(control_hub, control_input(action, target, measureId=measure["id"]))
        for action in ("RELEASE", "RELEASE", "RENEW")
    ]
    released = answered(control_hub, "nrb", {"requestId": asked[0]["id"], "outcome": "DONE"})
    assert released["measure"]["state"] == "RELEASED"
    for late in asked[1:]:
        code, message, argument = refusal(
            answer(control_hub, "nrb", {"requestId": late["id"], "outcome": "DONE"})
        )
        assert (code, argument) == ("BAD_USER_INPUT", "input.outcome")
        assert f"measure {measure['id']} is RELEASED since {date.today()}" in message
    not_done = answered(
        control_hub,
        "nrb",
        {"requestId": asked[2]["id"], "outcome": "NOT_DONE", "reason": "该查封已解除"},
    )
    assert not_done["status"] == "NOT_DONE"
