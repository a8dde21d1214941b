"""The whole cycle per target kind, over HTTP on a real store: request → the department
answers → the request and the asset's measures say so."""

from __future__ import annotations

from tests.control.conftest import PROPERTIES, RESPONDENT, VEHICLES, ControlHub
from tests.control.helpers import (
    GET,
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
