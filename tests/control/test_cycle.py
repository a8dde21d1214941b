"""The whole cycle per target kind, over HTTP on a real store: request → the department
answers → the request and the asset's measures say so."""

from __future__ import annotations

from tests.control.conftest import OFFICER, PROPERTIES, RESPONDENT, VEHICLES, ControlHub
from tests.control.helpers import (
    GET,
    LIST,
    account_target,
    answered,
    control_input,
    requested,
)


def test_an_account_freeze_goes_to_the_bank_that_published_it_and_puts_a_measure_on(
    control_hub: ControlHub,
) -> None:
    sent = requested(
        control_hub, control_input("FREEZE", account_target("cycle"), amount="20000.00")
    )
    assert sent["status"] == "PENDING"
    assert sent["department"] == "ccb"  # the bank that published the account
    assert sent["subject"] == {"id": RESPONDENT, "name": "张某", "kind": "PERSON"}
    assert sent["amount"] == "20000.00"
    assert sent["until"] is not None
    assert [e["status"] for e in sent["history"]] == ["PENDING"]

    done = answered(
        control_hub,
        "ccb",
        {"requestId": sent["id"], "outcome": "DONE", "receiptNumber": "建行回执2024-001"},
    )
    assert done["status"] == "DONE"
    assert done["answer"]["amountControlled"] == "20000.00"
    assert done["answer"]["receiptNumber"] == "建行回执2024-001"
    measure = done["measure"]
    assert measure["kind"] == "FREEZE" and measure["state"] == "IN_FORCE"
    assert measure["queuePosition"] == 1 and measure["amount"] == "20000.00"
    assert [e["status"] for e in done["history"]] == ["PENDING", "RECEIVED", "DONE"]

    again = control_hub.post(GET, {"id": sent["id"]}, token=control_hub.officer)
    assert again["data"]["controlRequest"]["measure"]["id"] == measure["id"]


def test_a_seal_of_a_property_goes_to_natural_resources(control_hub: ControlHub) -> None:
    cert, _ = PROPERTIES["cycle"]
    sent = requested(control_hub, control_input("SEAL", {"kind": "PROPERTY", "certNumber": cert}))
    assert sent["department"] == "nrb"
    done = answered(control_hub, "nrb", {"requestId": sent["id"], "outcome": "DONE"})
    assert done["measure"]["kind"] == "SEAL" and done["measure"]["state"] == "IN_FORCE"


def test_a_seal_of_a_vehicle_by_plate_goes_to_public_security(control_hub: ControlHub) -> None:
    plate, vin, _ = VEHICLES["cycle"]
    sent = requested(control_hub, control_input("SEAL", {"kind": "VEHICLE", "plateNumber": plate}))
    assert sent["department"] == "psb"
    assert sent["target"]["vin"] == vin
    done = answered(control_hub, "psb", {"requestId": sent["id"], "outcome": "DONE"})
    assert done["measure"]["state"] == "IN_FORCE"


def test_a_department_reading_its_requests_receives_them_and_an_officer_reading_does_not(
    control_hub: ControlHub,
) -> None:
    cert, _ = PROPERTIES["cycle"]
    target = {"kind": "PROPERTY", "certNumber": cert}
    listed = requested(control_hub, control_input("SEAL", target, note="list"))
    single = requested(control_hub, control_input("SEAL", target, note="single"))
    officer_sees = control_hub.post(GET, {"id": single["id"]}, token=control_hub.officer)
    assert officer_sees["data"]["controlRequest"]["status"] == "PENDING"
    other_department = control_hub.post(
        GET, {"id": single["id"]}, token=control_hub.department("psb")
    )
    assert other_department["data"]["controlRequest"] is None

    nrb = control_hub.department("nrb")
    one = control_hub.post(GET, {"id": single["id"]}, token=nrb)["data"]["controlRequest"]
    assert one["status"] == "RECEIVED" and one["receivedAt"] is not None
    assert [(e["status"], e["actor"]) for e in one["history"]] == [
        ("PENDING", OFFICER),
        ("RECEIVED", "nrb/nrb-system"),
    ]
    page = control_hub.post(LIST, {"filter": {"status": "PENDING"}, "first": 200}, token=nrb)
    statuses = {
        e["node"]["id"]: e["node"]["status"] for e in page["data"]["controlRequests"]["edges"]
    }
    assert statuses[listed["id"]] == "RECEIVED"  # as read, the request is received
    again = control_hub.post(GET, {"id": listed["id"]}, token=nrb)["data"]["controlRequest"]
    assert [e["status"] for e in again["history"]] == ["PENDING", "RECEIVED"]  # once
