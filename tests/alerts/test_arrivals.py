"""NEW_ASSET and NEW_CLUE: a connector run that brings an asset, a phone or an address of a
respondent (被执行人) of an open case alerts that case's officer, once, however often the
file is loaded; nobody else is told."""

from __future__ import annotations

from tests.alerts.conftest import CASE_D, CASE_E, alerts, of_kind, publish_case
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
    _csv,
    person,
)

ACCOUNT_HEADER = "bank_code,account_number,holder_id,account_type,balance,balance_as_of"


def publish_account(hub: ControlHub, number: str, holder: str, balance: str = "100.00") -> None:
    row = f"icbc,{number},{holder},ordinary,{balance},2024-07-01"
    hub.publish("bank.accounts", _csv(ACCOUNT_HEADER, [row]), "icbc")


def test_a_new_account_of_a_respondent_alerts_the_officer_of_each_open_case_once(
    alert_hub: ControlHub,
) -> None:
    ref = "ACCOUNT:icbc:6222000000000901"
    for _ in range(2):  # the same file twice: still one alert per case
        publish_account(alert_hub, "6222000000000901", RESPONDENT)
    mine = of_kind(alerts(alert_hub, alert_hub.officer), "NEW_ASSET", ref)
    assert sorted(a["caseNumber"] for a in mine) == sorted([CASE_A, CASE_B, CASE_D, CASE_E])
    [first] = [a for a in mine if a["caseNumber"] == CASE_A]
    assert first["subject"] == {"id": RESPONDENT, "name": "张某", "kind": "PERSON"}
    assert "新增银行账户" in first["message"] and "6222000000000901" in first["message"]
    assert first["read"] is False
    theirs = of_kind(alerts(alert_hub, alert_hub.token("officer", OTHER_OFFICER)), "NEW_ASSET", ref)
    assert [a["caseNumber"] for a in theirs] == [CASE_C]
    stranger = alert_hub.token("officer", "fy0821-099")
    assert of_kind(alerts(alert_hub, stranger), "NEW_ASSET") == []


def test_a_balance_update_of_a_known_account_is_no_new_asset(alert_hub: ControlHub) -> None:
    ref = "ACCOUNT:icbc:6222000000000902"
    publish_account(alert_hub, "6222000000000902", SECOND)
    before = of_kind(alerts(alert_hub, alert_hub.officer), "NEW_ASSET", ref)
    assert [a["caseNumber"] for a in before] == [CASE_B]
    alert_hub.post(
        "mutation($ids: [ID!]!) { markAlertsRead(ids: $ids) }",
        {"ids": [before[0]["id"]]},
        token=alert_hub.officer,
    )
    publish_account(alert_hub, "6222000000000902", SECOND, balance="99999.00")
    after = of_kind(alerts(alert_hub, alert_hub.officer), "NEW_ASSET", ref)
    assert [(a["id"], a["read"]) for a in after] == [(before[0]["id"], True)]


def test_assets_of_others_raise_nothing(alert_hub: ControlHub) -> None:
    publish_account(alert_hub, "6222000000000903", OUTSIDER)
    found = alerts(alert_hub, alert_hub.officer) + alerts(
        alert_hub, alert_hub.token("officer", OTHER_OFFICER)
    )
    assert of_kind(found, "NEW_ASSET", "ACCOUNT:icbc:6222000000000903") == []


def test_a_property_vehicle_and_equity_of_a_respondent_are_new_assets(
    alert_hub: ControlHub,
) -> None:
    cert = "吉（2024）镇赉县不动产权第0000901号"
    alert_hub.publish(
        "nrb.properties",
        _csv("cert_number,owner_id,address", [f"{cert},{SECOND},镇赉县镇赉镇新华路9号"]),
        "nrb",
    )
    alert_hub.publish(
        "psb.vehicles",
        _csv("plate_number,vin,owner_id", [f"吉G·B9001,LVSHCAMB1CE000901,{SECOND}"]),
        "psb",
    )
    uscc = COMPANY
    alert_hub.publish(
        "amr.shareholders", _csv("uscc,holder_id,share_pct", [f"{uscc},{SECOND},30"]), "amr"
    )
    found = of_kind(alerts(alert_hub, alert_hub.officer), "NEW_ASSET")
    by_ref = {a["ref"]: a for a in found if a["caseNumber"] == CASE_B}
    assert "新增不动产" in by_ref[f"PROPERTY:{cert}"]["message"]
    assert "新华路9号" in by_ref[f"PROPERTY:{cert}"]["message"]
    assert "吉G·B9001" in by_ref["VEHICLE:LVSHCAMB1CE000901"]["message"]
    assert "新增股权" in by_ref[f"EQUITY:{uscc}:{SECOND}"]["message"]


def test_a_new_phone_or_address_of_a_respondent_is_a_new_clue_once(alert_hub: ControlHub) -> None:
    header = "id_number,name,gender,phone,residence_address"
    row = f"{SECOND},李某,女,13904360901,镇赉县坦途镇东升村9号"
    for _ in range(2):
        alert_hub.publish("psb.persons", _csv(header, [row]), "psb")
    clues = [
        a
        for a in of_kind(alerts(alert_hub, alert_hub.officer), "NEW_CLUE")
        if a["caseNumber"] == CASE_B
    ]
    assert sorted(a["ref"] for a in clues) == [
        "ADDRESS:镇赉县坦途镇东升村9号",
        "PHONE:13904360901",
    ]
    assert any("新增联系电话 13904360901" in a["message"] for a in clues)


def test_an_asset_held_before_the_case_was_filed_is_not_new_when_republished(
    alert_hub: ControlHub,
) -> None:
    holder = person(40)
    alert_hub.publish("psb.persons", _csv("id_number,name,gender", [f"{holder},赵某,男"]), "psb")
    publish_account(alert_hub, "6222000000000904", holder)
    case = "（2024）吉0821执140号"
    publish_case(alert_hub, case)
    alert_hub.publish(
        "court.parties",
        _csv("case_number,party_id,role", [f"{case},{holder},respondent"]),
        "court",
    )
    publish_account(alert_hub, "6222000000000904", holder, balance="5000.00")  # changed row
    publish_account(alert_hub, "6222000000000905", holder)  # a new one
    found = [a for a in alerts(alert_hub, alert_hub.officer) if a["caseNumber"] == case]
    assert [a["ref"] for a in of_kind(found, "NEW_ASSET")] == ["ACCOUNT:icbc:6222000000000905"]
