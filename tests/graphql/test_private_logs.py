"""No log line holds an argument's value (issue 13, item 5): identifiers, names and phone
numbers sent in every kind of bad request stay out of every logger, at DEBUG level."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from hub.settings import MAX_REQUEST_BYTES
from tests.graphql.conftest import Hub
from tests.graphql.test_scenarios import TRACE

ID_NUMBER = "22082119780314121X"
PHONE = "13904351234"
NAME = "韩秀英"
SECRETS = (ID_NUMBER, PHONE, NAME, "220821197803")
CREDIT = "query($s: [String!]!) { creditCheck(subjects: $s) { valid } }"


def bodies(hub: Hub) -> list[tuple[str, bytes, str]]:
    """(what, body, content type) of bad requests carrying the secrets."""
    person = {"name": NAME, "idNumber": ID_NUMBER, "phone": PHONE}
    case = hub.manifest.scenarios.hidden_under_spouse.case_number
    as_json = [
        # an object where a list of strings goes (the case the issue names)
        {"query": CREDIT, "variables": {"s": person}},
        {"query": CREDIT, "variables": {"s": [person]}},
        {"query": CREDIT, "variables": {"s": [int(PHONE)]}},
        # a phone where an Int goes, an identifier with a wrong check character
        {"query": TRACE, "variables": {"id": ID_NUMBER, "case": case, "hops": PHONE}},
        {"query": TRACE, "variables": {"id": ID_NUMBER[:-1] + "0", "case": case}},
        # values written into the document: wrong types, unknown fields and arguments
        {"query": f'{{ tracePerson(idNumber: {ID_NUMBER[:-1]}, caseNumber: "{PHONE}") {{ id }} }}'},
        {"query": f'{{ tracePersn(idNumber: "{ID_NUMBER}") {{ phones }} }}'},
        {"query": f'{{ tracePerson(idNumbr: "{ID_NUMBER}", caseNumber: "{NAME}") {{ phones }} }}'},
        {"query": f'{{ searchPersons(name: "{NAME}", caseNumber: "{PHONE}") {{ name }} }}'},
        {"query": f'{{ creditCheck(subjects: ["{ID_NUMBER}"], measure: "{PHONE}") {{ valid }} }}'},
        {"query": f'{{ measures {{ code }} "{ID_NUMBER}" }}'},
        # not the caller's case; an unknown operation named by a phone number
        {"query": TRACE, "variables": {"id": ID_NUMBER, "case": f"（2024）吉0821执{PHONE}号"}},
        {"query": TRACE, "variables": {"id": ID_NUMBER, "case": case}, "operationName": PHONE},
        [{"query": CREDIT, "variables": {"s": [ID_NUMBER, PHONE, NAME]}}],
    ]
    raw = [
        (f"json {n}", json.dumps(b, ensure_ascii=False).encode(), "application/json")
        for n, b in enumerate(as_json)
    ]
    text = f'{{"query": "{{ tracePerson(idNumber: \\"{ID_NUMBER}\\") }}", "phone": {PHONE}'
    return [
        *raw,
        ("unparsable JSON", text.encode(), "application/json"),
        ("another content type", f"{ID_NUMBER} {NAME} {PHONE}".encode(), "text/plain"),
        (
            "too large",
            (ID_NUMBER + PHONE).encode() * (MAX_REQUEST_BYTES // 29 + 1),
            "application/json",
        ),
    ]


@pytest.mark.parametrize("token", ["officer", "other officer", "none"])
def test_no_log_line_holds_an_arguments_value(
    hub: Hub, caplog: pytest.LogCaptureFixture, token: str
) -> None:
    tokens = {
        "officer": hub.officer,
        "other officer": hub.token("officer", "fy0821-777"),
        "none": None,
    }
    headers = {"Authorization": f"Bearer {tokens[token]}"} if tokens[token] else {}
    with caplog.at_level(logging.DEBUG), httpx.Client(base_url=hub.url, timeout=60) as client:
        for what, body, content_type in bodies(hub):
            response = client.post(
                "/graphql", content=body, headers={**headers, "Content-Type": content_type}
            )
            assert response.status_code in (200, 400, 401, 413, 415), (what, response.text)
            assert "data" not in response.json() or not response.json()["data"], what

    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    lines = [formatter.format(record) for record in caplog.records]
    assert any(line.startswith("hub.requests") for line in lines)  # the capture works
    for line in lines:
        for secret in SECRETS:
            assert secret not in line, line


def test_a_variable_of_the_wrong_type_is_bad_input_naming_it(hub: Hub) -> None:
    person = {"name": NAME, "idNumber": ID_NUMBER, "phone": PHONE}
    answer = hub.post(CREDIT, {"s": person}, token=hub.department())
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["variable"] == "s"
    assert "$s" in error["message"] and "[String!]!" in error["message"]
    assert not any(secret in json.dumps(answer, ensure_ascii=False) for secret in SECRETS)
