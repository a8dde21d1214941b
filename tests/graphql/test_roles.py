"""Who may run what (API.md, roles table), and every refusal in the audit log as DENIED."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from hub.security.principal import Role
from hub.security.tokens import BUILT_IN_ALGORITHM, BUILT_IN_ISSUER
from tests.graphql.conftest import Hub, dump

# API.md: which roles each operation is for.
ALLOWED: dict[str, frozenset[str]] = {
    "myCases": frozenset({"officer"}),
    "case": frozenset({"officer", "admin"}),
    "searchPersons": frozenset({"officer"}),
    "person": frozenset({"officer"}),
    "tracePerson": frozenset({"officer"}),
    "locateAssets": frozenset({"officer"}),
    "creditCheck": frozenset({"department", "officer", "admin"}),
    "measures": frozenset({"officer", "department", "auditor", "admin"}),
    "auditEvents": frozenset({"auditor"}),
    "verifyAuditChain": frozenset({"auditor"}),
    "connectorRuns": frozenset({"admin", "department"}),
    "recordPunishment": frozenset({"department"}),
}
ROLES: tuple[Role, ...] = ("officer", "department", "auditor", "admin")


def calls(hub: Hub) -> dict[str, tuple[str, dict[str, Any]]]:
    s = hub.manifest.scenarios
    case, respondent = s.hidden_under_spouse.case_number, s.hidden_under_spouse.respondent
    listed = s.legal_rep_of_listed
    return {
        "myCases": ("{ myCases { caseNumber } }", {}),
        "case": ("query($c: String!) { case(caseNumber: $c) { caseNumber } }", {"c": case}),
        "searchPersons": (
            "query($c: String!, $n: String!) { searchPersons(name: $n, caseNumber: $c)"
            " { idNumberMasked } }",
            {"c": case, "n": respondent.name},
        ),
        "person": (
            "query($c: String!, $i: String!) { person(idNumber: $i, caseNumber: $c) { name } }",
            {"c": case, "i": respondent.id_number},
        ),
        "tracePerson": (
            "query($c: String!, $i: String!) { tracePerson(idNumber: $i, caseNumber: $c)"
            " { phones } }",
            {"c": case, "i": respondent.id_number},
        ),
        "locateAssets": (
            "query($c: String!, $i: String!) { locateAssets(subject: $i, caseNumber: $c)"
            " { totalEstimatedValue } }",
            {"c": case, "i": respondent.id_number},
        ),
        "creditCheck": (
            "query($s: [String!]!) { creditCheck(subjects: $s) { restricted } }",
            {"s": [respondent.id_number]},
        ),
        "measures": ("{ measures { code } }", {}),
        "auditEvents": ("{ auditEvents(first: 1) { edges { cursor } } }", {}),
        "verifyAuditChain": ("{ verifyAuditChain { ok } }", {}),
        "connectorRuns": ("{ connectorRuns(first: 1) { runId } }", {}),
        "recordPunishment": (
            "mutation($i: PunishmentInput!) { recordPunishment(input: $i) { id } }",
            {
                "i": {
                    "subject": listed.listed_enterprise.uscc,
                    "caseNumber": listed.case_number,
                    "measureCode": "CONSUMPTION_AIR_TRAVEL",
                    "appliedAt": "2025-01-06",
                    "note": "已限制乘坐飞机",
                }
            },
        ),
    }


def token_for(hub: Hub, role: Role) -> str:
    if role == "officer":
        return hub.officer
    if role == "department":
        return hub.department("other")
    return hub.auditor if role == "auditor" else hub.admin


def denied_events(hub: Hub, request_id: str, operation: str) -> list[dict[str, Any]]:
    query = """query($op: String!) {
      auditEvents(first: 200, filter: {operation: $op, outcome: DENIED}) {
        edges { node { requestId actor role outcome reason operation } } } }"""
    answer = hub.post(query, {"op": operation}, token=hub.auditor)
    edges = answer["data"]["auditEvents"]["edges"]
    return [e["node"] for e in edges if e["node"]["requestId"] == request_id]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(ALLOWED))
def test_role_operation_matrix(hub: Hub, operation: str, role: Role) -> None:
    query, variables = calls(hub)[operation]
    answer = hub.post(query, variables, token=token_for(hub, role))
    if role in ALLOWED[operation]:
        assert "errors" not in answer, dump(answer)
        return
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN", dump(answer)
    [event] = denied_events(hub, error["extensions"]["requestId"], operation)
    assert event["role"] == role and event["reason"].startswith("FORBIDDEN")


RUNS = "{ connectorRuns(first: 200) { runId department dataset } }"


def test_a_department_sees_its_own_connector_runs_and_an_admin_every_one(hub: Hub) -> None:
    every = hub.post(RUNS, token=hub.admin)["data"]["connectorRuns"]
    by_department = {run["department"]: run for run in every}
    # The county's datasets were loaded as their departments' runs.
    assert {"psb", "amr", "bank", "nrb", "court"} <= set(by_department)
    assert len(every) < 200  # none cut off, so the lists below compare whole

    for code in sorted(by_department):
        own = hub.post(RUNS, token=hub.department(code))["data"]["connectorRuns"]
        assert own == [run for run in every if run["department"] == code], code
    assert hub.post(RUNS, token=hub.department("other"))["data"]["connectorRuns"] == []


def refused(hub: Hub, operation: str, answer: dict[str, Any], code: str) -> dict[str, Any]:
    [error] = answer["errors"]
    assert error["extensions"]["code"] == code, dump(answer)
    [event] = denied_events(hub, error["extensions"]["requestId"], operation)
    return event


def test_officer_may_not_trace_on_another_officers_case(hub: Hub) -> None:
    query, variables = calls(hub)["tracePerson"]
    other = hub.token("officer", "fy0821-002")
    event = refused(hub, "tracePerson", hub.post(query, variables, token=other), "FORBIDDEN")
    assert event["actor"] == "fy0821-002"
    assert "another officer" in event["reason"]


def test_officer_may_not_trace_someone_who_is_not_a_party(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.shared_phone_associate
    query, _ = calls(hub)["tracePerson"]
    variables = {"c": scenario.case_number, "i": scenario.associate.id_number}
    refused(hub, "tracePerson", hub.post(query, variables, token=hub.officer), "FORBIDDEN")


def test_auditor_may_not_trace(hub: Hub) -> None:
    query, variables = calls(hub)["tracePerson"]
    event = refused(hub, "tracePerson", hub.post(query, variables, token=hub.auditor), "FORBIDDEN")
    assert event["role"] == "auditor"


def test_expired_and_missing_tokens_are_unauthenticated_and_audited(hub: Hub) -> None:
    query, variables = calls(hub)["tracePerson"]
    now = datetime.now(UTC)
    expired = jwt.encode(  # as the hub's issuer signs them, but an hour past its exp
        {
            "iss": BUILT_IN_ISSUER,
            "sub": "fy0821-001",
            "role": "officer",
            "iat": now - timedelta(hours=9),
            "exp": now - timedelta(hours=1),
        },
        hub.secret,
        algorithm=BUILT_IN_ALGORITHM,
    )
    for token in (expired, None, "not-a-token"):
        answer = hub.post(query, variables, token=token)
        event = refused(hub, "tracePerson", answer, "UNAUTHENTICATED")
        assert event["actor"] is None
    assert "expired" in hub.post(query, variables, token=expired)["errors"][0]["message"]


def test_refused_documents_are_audited_too(hub: Hub) -> None:
    answer = hub.post("{ nothing }", token=hub.officer)
    event = refused(hub, "graphql", answer, "BAD_USER_INPUT")
    assert event["actor"] == hub.manifest.scenarios.officer_id
