"""Errors as API.md lists them: codes, the argument named, nothing internal leaked."""

from __future__ import annotations

from typing import Any

import httpx
from graphql import get_introspection_query

from hub.security.limits import RateLimiter
from hub.settings import MAX_PAGE_SIZE, MAX_QUERY_ROOT_FIELDS, MAX_QUERY_TOKENS
from tests.graphql.conftest import Hub, dump
from tests.graphql.test_scenarios import TRACE
from tests.serving import UNLIMITED


def error_of(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer.get("errors"), dump(answer)
    error: dict[str, Any] = answer["errors"][0]
    assert "requestId" in error["extensions"]
    return error


def data_queries(hub: Hub) -> float:
    """Every store query the hub has sent but the audit log's (the refusal is recorded)."""
    text = httpx.get(f"{hub.url}/metrics", timeout=10).text
    return sum(
        float(line.rpartition(" ")[2])
        for line in text.splitlines()
        if line.startswith("hub_store_queries_total{") and 'query="audit' not in line
    )


def test_malformed_id_number_is_refused_before_any_query(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    wrong = scenario.respondent.id_number[:-1] + (
        "0" if scenario.respondent.id_number[-1] != "0" else "1"
    )
    before = data_queries(hub)
    answer = hub.post(TRACE, {"id": wrong, "case": scenario.case_number}, token=hub.officer)
    error = error_of(answer)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "idNumber"
    assert "idNumber" in error["message"] and "check character" in error["message"]
    assert answer["data"] is None
    assert data_queries(hub) == before  # not even the policy check ran (it may ride in one)


def test_out_of_range_arguments_name_the_argument(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    variables = {"id": scenario.respondent.id_number, "case": scenario.case_number, "hops": 9}
    error = error_of(hub.post(TRACE, variables, token=hub.officer))
    assert error["extensions"] == {**error["extensions"], "code": "BAD_USER_INPUT"}
    assert error["extensions"]["argument"] == "maxHops"

    bad_case = {"id": scenario.respondent.id_number, "case": "no such case"}
    error = error_of(hub.post(TRACE, bad_case, token=hub.officer))
    assert error["extensions"]["argument"] == "caseNumber"


def test_oversized_page_is_refused(hub: Hub) -> None:
    case = hub.manifest.scenarios.hidden_under_spouse.case_number
    query = (
        "query($c: String!, $n: Int) "
        '{ searchPersons(name: "张伟", caseNumber: $c, first: $n) { name } }'
    )
    error = error_of(hub.post(query, {"c": case, "n": MAX_PAGE_SIZE + 1}, token=hub.officer))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "first"
    error = error_of(
        hub.post("{ auditEvents(first: 100000) { edges { cursor } } }", token=hub.auditor)
    )
    assert error["extensions"]["argument"] == "first"


def test_too_many_subjects_for_one_credit_check(hub: Hub) -> None:
    query = "query($s: [String!]!) { creditCheck(subjects: $s) { subject } }"
    error = error_of(hub.post(query, {"s": ["x"] * 1_001}, token=hub.department()))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "subjects"


def test_unknown_case_is_not_found(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    variables = {"id": scenario.respondent.id_number, "case": "（2031）吉0821执99999号"}
    error = error_of(hub.post(TRACE, variables, token=hub.officer))
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_introspection_depth_bomb_is_too_complex(hub: Hub) -> None:
    bomb = "{ __schema { types { fields { type " + "{ ofType " * 20 + "{ name }" + " }" * 20
    bomb += " } } } }"
    error = error_of(hub.post(bomb, token=hub.officer))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX", dump(error)


def test_the_ides_introspection_query_is_allowed(hub: Hub) -> None:
    answer = hub.post(get_introspection_query(descriptions=True), token=hub.officer)
    assert "errors" not in answer, dump(answer)
    assert answer["data"]["__schema"]["queryType"]["name"] == "Query"


def test_many_aliased_operations_in_one_request_are_too_complex(hub: Hub) -> None:
    fields = " ".join(f"m{n}: measures {{ code }}" for n in range(MAX_QUERY_ROOT_FIELDS + 1))
    error = error_of(hub.post("{ " + fields + " }", token=hub.officer))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "top-level" in error["message"]


def test_fragment_fan_out_is_too_complex(hub: Hub) -> None:
    fragments = ["fragment F0 on Measure { code name department }"]
    for level in range(1, 6):
        spreads = " ".join(f"...F{level - 1}" for _ in range(8))
        fragments.append(f"fragment F{level} on Measure {{ {spreads} }}")
    error = error_of(hub.post("{ measures { ...F5 } } " + " ".join(fragments), token=hub.officer))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_a_document_of_too_many_tokens_is_too_complex(hub: Hub) -> None:
    fields = " ".join("code" for _ in range(MAX_QUERY_TOKENS + 10))
    error = error_of(hub.post("{ measures { " + fields + " } }", token=hub.officer))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_syntax_and_schema_errors_are_bad_user_input(hub: Hub) -> None:
    assert error_of(hub.post("{ measures {", token=hub.officer))["extensions"]["code"] == (
        "BAD_USER_INPUT"
    )
    error = error_of(hub.post("{ nothing }", token=hub.officer))
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


def test_rate_limited_requests_say_when_to_retry(hub: Hub) -> None:
    hub.app.state.limiter = RateLimiter(per_minute=1, burst=1)
    try:
        token = hub.token("officer", "fy0821-019")
        assert "errors" not in hub.post("{ measures { code } }", token=token)
        error = error_of(hub.post("{ measures { code } }", token=token))
    finally:
        hub.app.state.limiter = UNLIMITED
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] > 0


def test_errors_carry_no_internals(hub: Hub) -> None:
    answers = [
        hub.post("{ measures {", token=hub.officer),
        hub.post(TRACE, {"id": "1", "case": "x"}, token=hub.officer),
        hub.post("{ measures { code } }"),
    ]
    text = dump({"answers": answers})
    for leak in ("Traceback", "MATCH", "RETURN", ".py", "redis", "falkordb"):
        assert leak not in text
