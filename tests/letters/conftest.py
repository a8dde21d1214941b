"""A hub of its own for the letters tests: a private graph on the session's embedded store,
seeded as the control tests seed theirs (tests/control/conftest.py: cases A and B of
officer fy0821-001, case C of fy0821-002; departments psb, amr, nrb, court, hrss, icbc,
ccb). Letters and alerts are shared state: each test reads back only what it sent."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.control.clock import CLOCK, Clock
from hub.store.embedded import EmbeddedServer
from tests.control.conftest import ControlHub, seeded_hub

LETTER_FIELDS = """
  id kind from to title text caseNumber category replyBy sentAt sentBy
  acknowledgedAt repliedAt reply status receipts { recipient acknowledgedAt repliedAt reply status }
"""
SEND = "mutation($input: LetterInput!) { sendLetter(input: $input) {" + LETTER_FIELDS + "} }"
ACKNOWLEDGE = "mutation($id: ID!) { acknowledgeLetter(id: $id) {" + LETTER_FIELDS + "} }"
REPLY = (
    "mutation($id: ID!, $text: String!) { replyLetter(id: $id, text: $text) {"
    + LETTER_FIELDS
    + "} }"
)
LETTERS = (
    "query($box: LetterBox, $first: Int, $after: String) {"
    " letters(box: $box, first: $first, after: $after) {"
    " edges { cursor node {" + LETTER_FIELDS + "} } pageInfo { hasNextPage endCursor } } }"
)
AUDITED = """
query($filter: AuditFilter) { auditEvents(filter: $filter, first: 50) {
  edges { node { operation actor outcome reason caseNumber resultCount } } } }
"""


@pytest.fixture(scope="module")
def letter_hub(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, embedded_server: EmbeddedServer
) -> Iterator[ControlHub]:
    with seeded_hub(tmp_path_factory.mktemp("letters"), data_dir, embedded_server, "ltr") as hub:
        yield hub


@pytest.fixture
def moved_clock() -> Iterator[Clock]:
    """The hub's clock, moved by a test and put back after it."""
    yield CLOCK
    CLOCK.offset = timedelta(0)


def letter(**given: Any) -> dict[str, Any]:
    """A LetterInput: a WAGE_CHECK to hrss unless `given` says otherwise."""
    title = f"关于核查农民工工资支付情况的函 {uuid.uuid4().hex[:6]}"
    return {"kind": "WAGE_CHECK", "to": ["hrss"], "title": title, "text": "请核查并回复。"} | given


def send(hub: ControlHub, token: str, **given: Any) -> Any:
    return hub.post(SEND, {"input": letter(**given)}, token=token)


def sent(hub: ControlHub, token: str, **given: Any) -> dict[str, Any]:
    answer = send(hub, token, **given)
    assert "errors" not in answer, answer
    found: dict[str, Any] = answer["data"]["sendLetter"]
    return found


def acted(answer: Any, field: str) -> dict[str, Any]:
    assert "errors" not in answer, answer
    found: dict[str, Any] = answer["data"][field]
    return found


def box(hub: ControlHub, token: str, which: str = "INBOX") -> dict[str, dict[str, Any]]:
    """The caller's letters of one box by id (first page of 200)."""
    answer = hub.post(LETTERS, {"box": which, "first": 200}, token=token)
    assert "errors" not in answer, answer
    return {e["node"]["id"]: e["node"] for e in answer["data"]["letters"]["edges"]}


def refusal(answer: Any) -> tuple[str, str, str | None]:
    """The one error's code, message and argument."""
    [error] = answer["errors"]
    return error["extensions"]["code"], error["message"], error["extensions"].get("argument")


def audited(hub: ControlHub, **where: Any) -> list[dict[str, Any]]:
    answer = hub.post(AUDITED, {"filter": where}, token=hub.token("auditor", "jw-letters"))
    assert "errors" not in answer, answer
    return [edge["node"] for edge in answer["data"]["auditEvents"]["edges"]]
