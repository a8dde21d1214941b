"""GraphQL documents and small steps the control tests share."""

from __future__ import annotations

from typing import Any

from tests.control.conftest import ACCOUNTS, CASE_A, ControlHub

REQUEST_FIELDS = """
  id caseNumber action status department requestedBy requestedAt receivedAt answeredAt
  amount until rulingNumber noticeNumber warnings
  target { kind bankCode accountNumber certNumber vin plateNumber uscc holder idNumber description }
  subject { id name kind }
  answer { outcome amountControlled effectiveFrom effectiveUntil receiptNumber reason
           earlierMeasures sightings { at place kind } wageArrears { found amount workers } }
  measure { id kind caseNumber amount effectiveFrom effectiveUntil queuePosition state requestId }
  history { status at actor note }
"""

REQUEST = (
    "mutation($input: ControlRequestInput!) { requestControl(input: $input) {"
    + REQUEST_FIELDS
    + "} }"
)
ANSWER = (
    "mutation($input: ControlAnswerInput!) { answerControl(input: $input) {"
    + REQUEST_FIELDS
    + "} }"
)
CANCEL = (
    "mutation($id: ID!, $reason: String!) { cancelControl(id: $id, reason: $reason) {"
    + REQUEST_FIELDS
    + "} }"
)
GET = "query($id: ID!) { controlRequest(id: $id) {" + REQUEST_FIELDS + "} }"
LIST = """
query($filter: ControlFilter, $first: Int, $after: String) {
  controlRequests(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id caseNumber action status department } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

DOCUMENTS = {"rulingNumber": "（2024）吉0821执101号之一", "noticeNumber": "（2024）吉0821执101号"}


def account_target(name: str) -> dict[str, str]:
    code, number, *_ = ACCOUNTS[name]
    return {"kind": "ACCOUNT", "bankCode": code, "accountNumber": number}


def control_input(action: str, target: dict[str, Any], **more: Any) -> dict[str, Any]:
    given: dict[str, Any] = {"caseNumber": CASE_A, "action": action, "target": target}
    if action not in ("LOCATE", "WAGE_CHECK"):
        given.update(DOCUMENTS)
    given.update(more)
    return given


def request(hub: ControlHub, given: dict[str, Any], token: str | None = None) -> Any:
    return hub.post(REQUEST, {"input": given}, token=token or hub.officer)


def requested(hub: ControlHub, given: dict[str, Any]) -> dict[str, Any]:
    answer = request(hub, given)
    assert "errors" not in answer, answer
    result: dict[str, Any] = answer["data"]["requestControl"]
    return result


def answer(hub: ControlHub, department: str, given: dict[str, Any]) -> Any:
    return hub.post(ANSWER, {"input": given}, token=hub.department(department))


def answered(hub: ControlHub, department: str, given: dict[str, Any]) -> dict[str, Any]:
    result = answer(hub, department, given)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["answerControl"]
    return found


def refusal(result: Any) -> tuple[str, str, str | None]:
    """The code, message and argument of a refused call."""
    [error] = result["errors"]
    extensions = error["extensions"]
    return extensions["code"], error["message"], extensions.get("argument")
