"""GET /console/report.pdf refuses a bad `case` argument 400 naming it, and every refusal at
that door leaves one audit record (`assetReportPdf`) with its outcome and reason; so does a
caller without a session, and the PDF itself."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.store.embedded import EmbeddedServer
from tests.graphql.audit_trail import events_since, last_seq
from tests.graphql.conftest import Hub

DOOR = "/console/report.pdf"
A_CASE = "（2024）吉0821执1号"
BAD = [
    ([], "missing: name the case, ?case=<案号> / 缺少案号"),
    ([("case", "  ")], "empty / 为空"),
    ([("case", A_CASE), ("case", A_CASE)], "given 2 times: name one case / 只能指定一个案号"),
    ([("case", f"{A_CASE}\x00")], "holds a NUL character / 含有空字符"),
    ([("case", f"（2024）吉0821执{'1' * 60}号")], "longer than 64 characters / 超过 64 个字符"),
    ([("case", "2024-0821-1")], "not a case number such as （2024）吉0821执123号 / 不是案号格式"),
]


def report(hub: Hub, params: list[tuple[str, str]], token: str | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.get(f"{hub.url}{DOOR}", params=tuple(params), headers=headers, timeout=60)


@pytest.mark.parametrize(("params", "reason"), BAD, ids=[r.split(" ")[0] for _, r in BAD])
def test_a_bad_case_argument_is_400_naming_it_and_recorded(
    hub: Hub, embedded_server: EmbeddedServer, params: list[tuple[str, str]], reason: str
) -> None:
    before = last_seq(hub, embedded_server)

    answer = report(hub, params, hub.officer)

    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"] == "application/json"
    message = f"argument case: {reason}"
    assert answer.json() == {"error": message, "code": "BAD_USER_INPUT", "argument": "case"}
    [record] = events_since(hub, embedded_server, before)
    assert (record.operation, record.outcome, record.result_count) == (
        "assetReportPdf",
        "DENIED",
        0,
    )
    assert record.reason == f"BAD_USER_INPUT: {message}"
    assert record.actor == hub.manifest.scenarios.officer_id
    assert record.request_id == answer.headers["x-request-id"]


def test_no_session_is_401_before_the_argument_and_recorded(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    before = last_seq(hub, embedded_server)

    answer = report(hub, [], None)

    assert answer.status_code == 401
    assert answer.json()["code"] == "UNAUTHENTICATED"
    [record] = events_since(hub, embedded_server, before)
    assert (record.operation, record.outcome, record.actor) == ("assetReportPdf", "DENIED", None)
    assert record.reason and record.reason.startswith("UNAUTHENTICATED: ")


def test_an_unknown_case_and_the_pdf_are_recorded_at_the_door_too(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    mine = hub.manifest.scenarios.controlled_company_chain.case_number
    before = last_seq(hub, embedded_server)

    unknown = report(hub, [("case", "（1999）吉0821执9号")], hub.admin)
    made = report(hub, [("case", mine)], hub.officer)

    assert unknown.status_code == 404 and made.status_code == 200
    records = events_since(hub, embedded_server, before)
    at_door: list[Any] = [r for r in records if r.operation == "assetReportPdf"]
    assert [(r.outcome, r.case_number) for r in at_door] == [
        ("DENIED", "（1999）吉0821执9号"),
        ("ALLOWED", mine),
    ]
    assert at_door[0].reason == "NOT_FOUND: no case （1999）吉0821执9号"
    assert at_door[1].request_id == made.headers["x-request-id"]
