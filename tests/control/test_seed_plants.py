"""The seed county's control plants (seed/README.md, "Planted scenarios" 7-9) tried over HTTP
on a hub of their own, loaded from a generated county with the default departments (the
banks' accounts go to `bank`, real estate to `nrb`, wage checks to `hrss`): the wage accounts
refuse a freeze citing 保障农民工工资支付条例 art. 33, the enterprise with wage arrears gets
them from 人社's answer and its assets' seals carry the warning, the property sealed by
another case shows that seal."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.security.tokens import issue_token, load_secret_key
from hub.settings import Settings
from hub.store.embedded import EmbeddedServer
from seed.county import generate_county
from seed.manifest import AccountRef, PlantedScenarios
from tests.conftest import drop_graph
from tests.graphql.conftest import _load
from tests.serving import serving

PERSONS = 300
SEED = 11

LOCATE_ASSETS = """
query($subject: String!, $caseNumber: String!) {
  locateAssets(subject: $subject, caseNumber: $caseNumber, includeIndirect: false) {
    properties { certNumber status controls { id caseNumber state queuePosition reported } }
    accounts { bankCode accountNumber accountType balance status }
    wageCheck { status arrearsFound amount workers }
  }
}
"""
REQUEST = """
mutation($input: ControlRequestInput!) {
  requestControl(input: $input) { id status department warnings subject { id kind } }
}
"""
ANSWER = """
mutation($input: ControlAnswerInput!) {
  answerControl(input: $input) {
    status answer { earlierMeasures wageArrears { found amount workers } }
    measure { state queuePosition }
  }
}
"""


@dataclass
class PlantHub:
    url: str
    secret: bytes
    plants: PlantedScenarios

    def post(self, query: str, variables: dict[str, Any], token: str) -> Any:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def token(self, role: str, subject: str, department: str | None = None) -> str:
        return issue_token(
            self.secret,
            role=role,  # type: ignore[arg-type]
            subject=subject,
            department=department,
            ttl=timedelta(hours=1),
        )

    @property
    def officer(self) -> str:
        return self.token("officer", self.plants.officer_id)

    def request(self, given: dict[str, Any]) -> Any:
        return self.post(REQUEST, {"input": given}, self.officer)

    def requested(self, given: dict[str, Any]) -> dict[str, Any]:
        result = self.request(given)
        assert "errors" not in result, result
        sent: dict[str, Any] = result["data"]["requestControl"]
        return sent

    def answered(self, department: str, given: dict[str, Any]) -> dict[str, Any]:
        token = self.token("department", f"{department}-system", department)
        result = self.post(ANSWER, {"input": given}, token)
        assert "errors" not in result, result
        done: dict[str, Any] = result["data"]["answerControl"]
        return done

    def assets(self, subject: str, case_number: str) -> dict[str, Any]:
        result = self.post(
            LOCATE_ASSETS, {"subject": subject, "caseNumber": case_number}, self.officer
        )
        assert "errors" not in result, result
        report: dict[str, Any] = result["data"]["locateAssets"]
        return report


@pytest.fixture(scope="module")
def plant_hub(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, embedded_server: EmbeddedServer
) -> Iterator[PlantHub]:
    county = tmp_path_factory.mktemp("plants")
    manifest = generate_county(county, persons=PERSONS, seed=SEED)
    graph = f"plants_{uuid.uuid4().hex[:10]}"
    try:
        _load(embedded_server, graph, county, data_dir)
        settings = Settings(graph_uri="embedded", data_dir=data_dir, graph_database=graph)
        with serving(settings) as (url, _app):
            yield PlantHub(url, load_secret_key(settings), manifest.scenarios)
    finally:
        drop_graph("falkordb", embedded_server, graph)


def documents(case_number: str) -> dict[str, str]:
    return {"rulingNumber": f"{case_number}之一", "noticeNumber": case_number}


def account_target(account: AccountRef) -> dict[str, str]:
    return {
        "kind": "ACCOUNT",
        "bankCode": account.bank_code,
        "accountNumber": account.account_number,
    }


def refusal(result: Any) -> tuple[str, str, str | None]:
    [error] = result["errors"]
    return error["extensions"]["code"], error["message"], error["extensions"].get("argument")


def test_a_planted_wage_account_is_never_frozen_or_deducted(plant_hub: PlantHub) -> None:
    plant = plant_hub.plants.wage_accounts
    shown = plant_hub.assets(plant.enterprise.uscc, plant.case_number)["accounts"]
    types = {account["accountNumber"]: account["accountType"] for account in shown}
    for account in plant.wage_accounts:
        assert types[account.account_number] == "wage_special"
        for action in ("FREEZE", "DEDUCT"):
            result = plant_hub.request(
                {
                    "caseNumber": plant.case_number,
                    "action": action,
                    "target": account_target(account),
                    "amount": "1000.00",
                    **documents(plant.case_number),
                }
            )
            code, message, argument = refusal(result)
            assert (code, argument) == ("BAD_USER_INPUT", "input.target"), result
            assert "保障农民工工资支付条例第三十三条" in message and "wage_special" in message
    # The enterprise's ordinary account is frozen as any other.
    sent = plant_hub.requested(
        {
            "caseNumber": plant.case_number,
            "action": "FREEZE",
            "target": account_target(plant.ordinary_account),
            "amount": plant.ordinary_account.balance,
            **documents(plant.case_number),
        }
    )
    assert (sent["status"], sent["department"]) == ("PENDING", "bank")


def test_the_planted_arrears_come_from_hrss_and_warn_a_seal(plant_hub: PlantHub) -> None:
    plant = plant_hub.plants.wage_arrears
    company, case_number = plant.enterprise.uscc, plant.case_number
    assert plant_hub.assets(company, case_number)["wageCheck"] is None  # no dataset has arrears
    check = plant_hub.requested(
        {
            "caseNumber": case_number,
            "action": "WAGE_CHECK",
            "target": {"kind": "ENTERPRISE", "uscc": company},
        }
    )
    assert (check["department"], check["subject"]) == (
        "hrss",
        {"id": company, "kind": "ENTERPRISE"},
    )
    seal = {
        "caseNumber": case_number,
        "action": "SEAL",
        "target": {"kind": "PROPERTY", "certNumber": plant.property_cert},
        **documents(case_number),
    }
    unanswered = plant_hub.requested(seal)
    assert any("尚未答复" in warning for warning in unanswered["warnings"]), unanswered
    arrears = {"found": True, "amount": plant.arrears_amount, "workers": plant.arrears_workers}
    done = plant_hub.answered(
        "hrss", {"requestId": check["id"], "outcome": "DONE", "wageArrears": arrears}
    )
    assert done["answer"]["wageArrears"] == arrears
    assert plant_hub.assets(company, case_number)["wageCheck"] == {
        "status": "DONE",
        "arrearsFound": True,
        "amount": plant.arrears_amount,
        "workers": plant.arrears_workers,
    }
    freeze = plant_hub.requested(
        {
            "caseNumber": case_number,
            "action": "FREEZE",
            "target": account_target(plant.account),
            "amount": plant.account.balance,
            **documents(case_number),
        }
    )
    assert any("拖欠农民工工资" in warning for warning in freeze["warnings"]), freeze


def test_the_planted_sealed_property_queues_a_new_seal_behind_its_own(plant_hub: PlantHub) -> None:
    plant = plant_hub.plants.sealed_property
    respondent = plant.respondent.id_number
    for case_number in (plant.case_number, plant.sealing_case_number):
        [home] = plant_hub.assets(respondent, case_number)["properties"]
        assert home["certNumber"] == plant.property_cert
        # Sealed as 自然资源 published it; no ControlMeasure of the hub stands on it.
        assert (home["status"], home["controls"]) == ("sealed", [])
    sent = plant_hub.requested(
        {
            "caseNumber": plant.case_number,
            "action": "SEAL",
            "target": {"kind": "PROPERTY", "certNumber": plant.property_cert},
            **documents(plant.case_number),
        }
    )
    assert sent["department"] == "nrb"
    earlier = f"{plant.sealing_case_number} 查封"
    done = plant_hub.answered(
        "nrb", {"requestId": sent["id"], "outcome": "DONE", "earlierMeasures": [earlier]}
    )
    assert done["status"] == "DONE" and done["answer"]["earlierMeasures"] == [earlier]
    # 轮候: the seal of this case waits behind the earlier one 自然资源 reported
    assert done["measure"] == {"state": "WAITING", "queuePosition": 2}
    [home] = plant_hub.assets(respondent, plant.case_number)["properties"]
    assert [(c["reported"], c["caseNumber"], c["queuePosition"]) for c in home["controls"]] == [
        (earlier, None, 1),
        (None, plant.case_number, 2),
    ]
