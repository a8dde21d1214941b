"""The value limits of the department files hold for GraphQL arguments too (#12 item 1).

Every string argument, literal or variable, however deep in a list or input object, is held
to the limit its name gives it (schema/limits.py): refused BAD_USER_INPUT naming the
argument and the limit, before any query runs, and recorded.
"""

from __future__ import annotations

import httpx
import pytest

from tests.graphql.conftest import Hub
from tests.graphql.test_errors import error_of
from tests.graphql.test_scenarios import TRACE

CREDIT = "query($s: [String!]!, $m: String) { creditCheck(subjects: $s, measure: $m) { subject } }"
PUNISH = """mutation($input: PunishmentInput!) {
  recordPunishment(input: $input) { id }
}"""


def queries_run(hub: Hub) -> float:
    """Data queries the hub has sent to the store (its audit appends left out)."""
    text = httpx.get(f"{hub.url}/metrics", timeout=10).text
    return sum(
        float(line.rpartition(" ")[2])
        for line in text.splitlines()
        if line.startswith("hub_store_queries_total{") and 'query="audit' not in line
    )


@pytest.mark.parametrize(
    ("query", "variables", "argument", "limit"),
    [
        (TRACE, {"id": "2" * 65, "case": "（2024）吉0821执1号"}, "idNumber", "64 characters"),
        (
            TRACE,
            {"id": "220821198008070648", "case": "（2024）" + "吉" * 70 + "号"},
            "caseNumber",
            "64 characters",
        ),
        (CREDIT, {"s": ["91220821MA0000000X", "9" * 5_000]}, "subjects[1]", "64 characters"),
        (CREDIT, {"s": ["x"], "m": "m" * 100}, "measure", "64 characters"),
        (
            '{ searchPersons(name: "'
            + "张" * 201
            + '", caseNumber: "（2024）吉0821执1号") { name } }',
            None,
            "name",
            "200 characters",
        ),
    ],
    ids=["idNumber", "caseNumber", "a subject in a list", "measure", "a literal name"],
)
def test_an_over_long_argument_is_refused_before_any_query(
    hub: Hub, query: str, variables: dict[str, object] | None, argument: str, limit: str
) -> None:
    token = hub.department() if "creditCheck" in query else hub.officer
    before = queries_run(hub)

    error = error_of(hub.post(query, variables, token=token))

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument
    assert limit in error["message"]
    assert queries_run(hub) == before


def test_an_over_long_value_deep_in_an_input_object_is_refused(hub: Hub) -> None:
    note = "备" * 1_001
    variables = {
        "input": {
            "subject": "91220821MA0000000X",
            "measureCode": "x",
            "caseNumber": "（2024）吉0821执1号",
            "appliedAt": "2024-01-01",
            "note": note,
        }
    }

    error = error_of(hub.post(PUNISH, variables, token=hub.department("psb")))

    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "input.note"
    assert "1,000 characters" in error["message"]
    assert note not in error["message"]


def test_a_document_sent_again_is_checked_again_with_its_new_values(hub: Hub) -> None:
    """Where a document's arguments are is worked out once per document; their values are
    checked on every request (the same text comes back as the same parsed document)."""
    fine = {"s": ["91220821MA0000000X"], "m": None}
    too_long = {"s": ["91220821MA0000000X"], "m": "m" * 65}
    literal = '{ creditCheck(subjects: ["' + "9" * 65 + '"]) { subject } }'
    token = hub.department()

    for variables in (fine, too_long, fine, too_long):
        answer = hub.post(CREDIT, variables, token=token)
        if variables is fine:
            assert "errors" not in answer, answer
        else:
            error = error_of(answer)
            assert error["extensions"]["argument"] == "measure"
            assert "64 characters" in error["message"]
    for _ in range(2):
        error = error_of(hub.post(literal, None, token=token))
        assert error["extensions"]["argument"] == "subjects[0]"
        assert "64 characters" in error["message"]
