"""Each planted investigation scenario is found by the operation meant for it (seed/README.md)."""

from __future__ import annotations

import csv
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from hub.security.masking import mask_id
from tests.graphql.conftest import Hub, dump

TRACE = """
query Trace($id: String!, $case: String!, $hops: Int) {
  tracePerson(idNumber: $id, caseNumber: $case, maxHops: $hops) {
    subject { idNumber name status residenceAddress phones }
    addresses { address kind source asOf }
    phones
    relatives { relation person { idNumberMasked name birthYear householdRegion }
                holdings { properties vehicles accounts enterprises } }
    enterprises { uscc name role sharePct }
    associates { hops via person { idNumberMasked name } addresses { address kind } }
  }
}"""

LOCATE = """
query Locate($subject: String!, $case: String!, $indirect: Boolean) {
  locateAssets(subject: $subject, caseNumber: $case, includeIndirect: $indirect) {
    subject { id name kind }
    totalEstimatedValue
    properties { certNumber address estimatedValue status direct sharePct via owner { id } }
    vehicles { plateNumber vin status direct sharePct via }
    accounts { bankCode accountNumber balance balanceAsOf status direct sharePct via }
    equity { uscc name subscribedCapital status direct sharePct via }
  }
}"""

CREDIT = """
query Credit($subjects: [String!]!, $measure: String) {
  creditCheck(subjects: $subjects, measure: $measure) {
    subject valid error known name dishonest restricted
    reasons { kind caseNumber listedAt via }
    measures { code appliesTo }
  }
}"""


def data(answer: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in answer, dump(answer)
    result: dict[str, Any] = answer["data"]
    return result


PARTIES_HEADER = "case_number,party_id,party_type,party_name,role\n"


def new_case(hub: Hub, party_id: str, party_type: str, name: str) -> str:
    """A case of the scenario officer's own, filed by the court for this test alone, with
    `party_id` its respondent: a test that adds parties changes no case another test reads."""
    case_number = f"（2099）吉0821执{uuid.uuid4().int % 10**9}号"
    hub.publish(
        "court.cases",
        "case_number,case_type,court,filed_at,status,amount,outstanding_amount,officer_id\n"
        f"{case_number},执行实施,镇赉县人民法院,2026-01-05,执行中,10000.00,10000.00,"
        f"{hub.manifest.scenarios.officer_id}\n",
    )
    hub.publish(
        "court.parties", PARTIES_HEADER + f"{case_number},{party_id},{party_type},{name},被执行人\n"
    )
    return case_number


def rows(county: Path, dataset: str) -> list[dict[str, str]]:
    with (county / f"{dataset}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def weighted_value(county: Path, control_pct: dict[str, int]) -> Decimal:
    """totalEstimatedValue as API.md defines it, worked out from the department files the
    county was loaded from: each property's estimated value times the owner's share of it,
    each account's balance (CNY), both times the share `control_pct` gives its owner."""
    total = Decimal(0)
    for prop in rows(county, "nrb.properties"):
        pct = control_pct.get(prop["owner_id"])
        if pct is not None and prop["estimated_value"]:
            owned = Decimal(prop["share_pct"] or 100)
            total += Decimal(prop["estimated_value"]) * owned / 100 * pct / 100
    for account in rows(county, "bank.accounts"):
        pct = control_pct.get(account["holder_id"])
        if pct is not None and account["currency"] in ("", "CNY"):
            total += Decimal(account["balance"]) * pct / 100
    return total.quantize(Decimal("0.01"))


def test_trace_shows_the_spouse_of_a_respondent_who_owns_nothing(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    respondent = scenario.respondent.id_number
    report = data(
        hub.post(TRACE, {"id": respondent, "case": scenario.case_number}, token=hub.officer)
    )["tracePerson"]

    assert report["subject"]["idNumber"] == respondent
    [spouse] = [r for r in report["relatives"] if r["relation"] == "SPOUSE"]
    assert spouse["person"]["idNumberMasked"] == mask_id(scenario.spouse.id_number)
    assert spouse["person"]["name"] == scenario.spouse.name
    assert spouse["holdings"]["properties"] >= 1
    assert spouse["holdings"]["vehicles"] >= 1
    assert spouse["holdings"]["accounts"] >= 1
    assert any(a["via"] == [f"配偶 {scenario.spouse.name}"] for a in report["associates"])


def test_assets_hidden_under_the_spouse_are_found_once_the_court_adds_the_spouse(
    hub: Hub,
) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    respondent = scenario.respondent
    case = new_case(hub, respondent.id_number, "person", respondent.name)
    own = data(
        hub.post(LOCATE, {"subject": respondent.id_number, "case": case}, token=hub.officer)
    )["locateAssets"]
    assert own["properties"] == own["vehicles"] == own["accounts"] == own["equity"] == []
    assert own["totalEstimatedValue"] == "0.00"

    spouse = {"subject": scenario.spouse.id_number, "case": case}
    refused = hub.post(LOCATE, spouse, token=hub.officer)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", dump(refused)

    # 追加被执行人: the court adds the spouse to the case, as it would publish any party.
    hub.publish(
        "court.parties",
        PARTIES_HEADER
        + f"{case},{scenario.spouse.id_number},person,{scenario.spouse.name},被执行人\n",
    )
    report = data(hub.post(LOCATE, spouse, token=hub.officer))["locateAssets"]
    assert scenario.spouse_property_cert in {p["certNumber"] for p in report["properties"]}
    assert scenario.spouse_vehicle.vin in {v["vin"] for v in report["vehicles"]}
    [account] = [
        a
        for a in report["accounts"]
        if a["accountNumber"] == scenario.spouse_account.account_number
    ]
    assert account["balance"] == scenario.spouse_account.balance == "1286540.00"
    assert account["bankCode"] == "ICBC" and account["direct"] and account["via"] == []
    assert account["balanceAsOf"]


def test_controlled_company_chain_counts_at_the_multiplied_share(hub: Hub) -> None:
    chain = hub.manifest.scenarios.controlled_company_chain
    variables = {"subject": chain.respondent.id_number, "case": chain.case_number}
    report = data(hub.post(LOCATE, variables, token=hub.officer))["locateAssets"]
    assert report["subject"] == {
        "id": chain.respondent.id_number,
        "name": chain.respondent.name,
        "kind": "PERSON",
    }

    [prop] = [p for p in report["properties"] if p["certNumber"] == chain.company_c_property_cert]
    assert prop["direct"] is False
    assert prop["sharePct"] == chain.effective_share_pct == "48"
    assert prop["owner"]["id"] == chain.company_c.uscc
    assert [chain.company_a.name in prop["via"][0], chain.company_b.name in prop["via"][1]] == [
        True,
        True,
    ]
    [account] = [
        a
        for a in report["accounts"]
        if a["accountNumber"] == chain.company_c_account.account_number
    ]
    assert account["direct"] is False and account["sharePct"] == "48"
    assert account["balance"] == "2350000.00"

    [equity_a] = [e for e in report["equity"] if e["uscc"] == chain.company_a.uscc]
    assert equity_a["direct"] is True and equity_a["sharePct"] == "80"
    [minority] = [e for e in report["equity"] if e["uscc"] == chain.minority_company.uscc]
    assert minority["direct"] is True and minority["sharePct"] == "30"
    certs = {p["certNumber"] for p in report["properties"]}
    assert chain.minority_property_cert not in certs  # 30% does not control

    # respondent -80%-> A -60%-> B -100%-> C (seed/scenarios.py); the minority company is
    # not controlled, so none of its holdings count.
    control = {
        chain.respondent.id_number: 100,
        chain.company_a.uscc: 80,
        chain.company_b.uscc: 48,
        chain.company_c.uscc: 48,
    }
    expected = weighted_value(hub.county, control)
    assert expected >= Decimal("1128000.00")  # 48% of C's account alone
    assert report["totalEstimatedValue"] == str(expected)

    direct_only = data(hub.post(LOCATE, {**variables, "indirect": False}, token=hub.officer))
    assets = direct_only["locateAssets"]
    assert all(h["direct"] for kind in ("properties", "accounts", "equity") for h in assets[kind])
    assert chain.company_c_property_cert not in {p["certNumber"] for p in assets["properties"]}


def test_enterprise_subject_has_its_assets_located(hub: Hub) -> None:
    chain = hub.manifest.scenarios.controlled_company_chain
    case = new_case(hub, chain.company_b.uscc, "enterprise", chain.company_b.name)
    variables = {"subject": chain.company_b.uscc, "case": case}
    report = data(hub.post(LOCATE, variables, token=hub.officer))["locateAssets"]
    assert report["subject"]["kind"] == "ENTERPRISE"
    [prop] = [p for p in report["properties"] if p["certNumber"] == chain.company_c_property_cert]
    assert prop["sharePct"] == "100" and prop["direct"] is False


def test_legal_representative_of_a_listed_enterprise_is_restricted(hub: Hub) -> None:
    listed = hub.manifest.scenarios.legal_rep_of_listed
    subjects = [listed.legal_representative.id_number, listed.actual_controller.id_number]
    results = data(hub.post(CREDIT, {"subjects": subjects}, token=hub.department()))
    rep, controller = results["creditCheck"]

    assert rep["dishonest"] is False and rep["restricted"] is True
    [reason] = rep["reasons"]
    assert reason["kind"] == "LEGAL_REPRESENTATIVE_OF_LISTED"
    assert reason["via"] == listed.listed_enterprise.name
    assert reason["caseNumber"] == listed.case_number
    assert reason["listedAt"] == listed.listed_at
    assert rep["measures"]
    assert all("RESPONSIBLE_PERSON" in m["appliesTo"] for m in rep["measures"])

    assert controller["restricted"] is True and controller["dishonest"] is False
    assert [r["kind"] for r in controller["reasons"]] == ["ACTUAL_CONTROLLER_OF_LISTED"]
    assert controller["reasons"][0]["via"] == listed.controlled_listed_enterprise.name

    enterprise = data(
        hub.post(CREDIT, {"subjects": [listed.listed_enterprise.uscc]}, token=hub.officer)
    )["creditCheck"][0]
    assert enterprise["dishonest"] is True and enterprise["restricted"] is True
    assert all("ENTERPRISE" in m["appliesTo"] for m in enterprise["measures"])


def test_measure_argument_narrows_the_measures(hub: Hub) -> None:
    listed = hub.manifest.scenarios.legal_rep_of_listed
    variables = {
        "subjects": [listed.legal_representative.id_number],
        "measure": "CONSUMPTION_AIR_TRAVEL",
    }
    [result] = data(hub.post(CREDIT, variables, token=hub.department()))["creditCheck"]
    assert [m["code"] for m in result["measures"]] == ["CONSUMPTION_AIR_TRAVEL"]


def test_shared_phone_leads_to_an_associate_one_hop_away(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.shared_phone_associate
    variables = {"id": scenario.respondent.id_number, "case": scenario.case_number}
    report = data(hub.post(TRACE, variables, token=hub.officer))["tracePerson"]

    assert report["subject"]["status"] == "moved_out"
    assert report["subject"]["residenceAddress"] is None
    [associate] = [
        a
        for a in report["associates"]
        if a["person"]["idNumberMasked"] == mask_id(scenario.associate.id_number)
    ]
    assert associate["hops"] == 1
    assert associate["via"] == [f"共用电话 *******{scenario.phone[-4:]}"]
    assert {"address": scenario.associate_residence_address, "kind": "RESIDENCE"} in associate[
        "addresses"
    ]


def test_delisted_person_is_neither_dishonest_nor_restricted(hub: Hub) -> None:
    delisted = hub.manifest.scenarios.delisted
    [result] = data(
        hub.post(CREDIT, {"subjects": [delisted.person.id_number]}, token=hub.department())
    )["creditCheck"]
    assert result["known"] is True and result["valid"] is True
    assert result["dishonest"] is False and result["restricted"] is False
    assert result["reasons"] == [] and result["measures"] == []


def test_many_holdings_are_all_reported(hub: Hub) -> None:
    many = hub.manifest.scenarios.many_holdings
    variables = {"subject": many.respondent.id_number, "case": many.case_number}
    report = data(hub.post(LOCATE, variables, token=hub.officer))["locateAssets"]
    assert len(report["accounts"]) == many.accounts
    assert len(report["vehicles"]) == many.vehicles
    assert len(report["properties"]) == many.properties


RECORD = """
mutation Record($input: PunishmentInput!) {
  recordPunishment(input: $input) {
    id subject subjectName caseNumber department appliedAt note measure { code name }
  }
}"""


def test_a_department_records_a_measure_it_applied(hub: Hub) -> None:
    listed = hub.manifest.scenarios.legal_rep_of_listed
    given = {
        "subject": listed.legal_representative.id_number,
        "caseNumber": listed.case_number,
        "measureCode": "CONSUMPTION_AIR_TRAVEL",
        "appliedAt": "2025-01-06",
        "note": "购票系统已拦截",
    }
    record = data(hub.post(RECORD, {"input": given}, token=hub.department("other")))
    stored = record["recordPunishment"]
    assert stored["id"] and stored["department"] == "other"
    assert stored["subjectName"] == listed.legal_representative.name
    assert stored["measure"]["code"] == "CONSUMPTION_AIR_TRAVEL"
    assert (stored["caseNumber"], stored["appliedAt"]) == (listed.case_number, "2025-01-06")

    unknown_case = {**given, "caseNumber": "（2031）吉0821执99999号"}
    answer = hub.post(RECORD, {"input": unknown_case}, token=hub.department("other"))
    assert answer["errors"][0]["extensions"]["code"] == "NOT_FOUND", dump(answer)

    bad_measure = {**given, "measureCode": "NO_SUCH_MEASURE"}
    answer = hub.post(RECORD, {"input": bad_measure}, token=hub.department("other"))
    assert answer["errors"][0]["extensions"]["argument"] == "input.measureCode", dump(answer)


def test_each_holding_names_the_department_that_published_it_and_when(hub: Hub) -> None:
    respondent = hub.manifest.scenarios.hidden_under_spouse.respondent
    case = new_case(hub, respondent.id_number, "person", respondent.name)
    vin = f"LPROV{uuid.uuid4().hex[:12].upper()}"
    run = hub.publish(
        "psb.vehicles",
        "plate_number,vin,owner_id,owner_name,brand_model,registered_at,status\n"
        f"吉G{vin[-5:]},{vin},{respondent.id_number},{respondent.name},解放 J6,2025-03-01,正常\n",
        department="psb",
    )

    report = data(
        hub.post(
            "query L($s: String!, $c: String!) { locateAssets(subject: $s, caseNumber: $c) "
            "{ vehicles { vin source loadedAt } } }",
            {"s": respondent.id_number, "c": case},
            token=hub.officer,
        )
    )["locateAssets"]

    [vehicle] = [v for v in report["vehicles"] if v["vin"] == vin]
    assert vehicle["source"] == "psb"
    assert vehicle["loadedAt"] == run["started_at"]
