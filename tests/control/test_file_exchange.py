"""Departments without a client exchange files: GET /control/requests (CSV or XLSX, marks
them RECEIVED) and POST /control/answers (a per-row report; a bad row is named by line and
column and the good rows still count). Each exchange leaves one audit record."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from openpyxl import load_workbook

from tests.control.conftest import ACCOUNTS, ControlHub
from tests.control.helpers import GET, account_target, control_input, requested
from tests.control.test_refusals import audit


def fetch(hub: ControlHub, department: str, **params: str) -> httpx.Response:
    return httpx.get(
        f"{hub.url}/control/requests",
        params=params,
        headers={"Authorization": f"Bearer {hub.department(department)}"},
        timeout=60,
    )


def send_answers(hub: ControlHub, department: str, text: str) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/control/answers",
        content=text.encode("utf-8"),
        headers={
            "Authorization": f"Bearer {hub.department(department)}",
            "Content-Type": "text/csv",
        },
        timeout=60,
    )


def rows_of(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_bank_fetches_its_requests_and_answers_them_by_file(control_hub: ControlHub) -> None:
    sent = requested(control_hub, control_input("FREEZE", account_target("file"), amount="700.00"))
    other = requested(  # addressed to icbc, not ccb
        control_hub, control_input("FREEZE", account_target("locate"), amount="1.00")
    )
    rows = rows_of(fetch(control_hub, "ccb", status="PENDING"))
    [mine] = [row for row in rows if row["request_id"] == sent["id"]]
    assert mine["account_number"] == ACCOUNTS["file"][1]
    assert (mine["action"], mine["target_kind"], mine["amount"]) == ("FREEZE", "ACCOUNT", "700.00")
    assert other["id"] not in {row["request_id"] for row in rows}
    got = control_hub.post(GET, {"id": sent["id"]}, token=control_hub.officer)
    assert got["data"]["controlRequest"]["status"] == "RECEIVED"
    assert got["data"]["controlRequest"]["receivedAt"]
    assert sent["id"] not in {
        r["request_id"] for r in rows_of(fetch(control_hub, "ccb", status="PENDING"))
    }

    answers = (
        "request_id,outcome,amount_controlled,effective_from,effective_until,receipt_number,reason\n"
        f"{sent['id']},办结,700.00,,,建行回执-9,\n"
        f"{sent['id']},完成,,,,,\n"
        f"{other['id']},DONE,,,,,\n"
        f"nosuchrequest,退回,,,,,不是本行账户\n"
    )
    response = send_answers(control_hub, "ccb", answers)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (4, 1, 3)
    rejects = {reject["line"]: reject for reject in report["rejects"]}
    assert rejects[3]["column"] == "outcome" and "完成" in rejects[3]["reason"]
    assert rejects[4]["column"] == "request_id" and "addressed" in rejects[4]["reason"]
    assert rejects[5]["column"] == "request_id"
    done = control_hub.post(GET, {"id": sent["id"]}, token=control_hub.officer)
    request = done["data"]["controlRequest"]
    assert request["status"] == "DONE"
    assert request["answer"]["receiptNumber"] == "建行回执-9"
    assert request["measure"]["state"] == "IN_FORCE"

    assert audit(control_hub, operation="controlRequestsFile", department="ccb")
    [record] = audit(control_hub, operation="controlAnswersFile", department="ccb")
    assert record["outcome"] == "ALLOWED" and record["subjects"]
    assert "3 rows rejected" in record["reason"]


def test_requests_come_as_xlsx_too_and_bad_parameters_are_named(control_hub: ControlHub) -> None:
    response = fetch(control_hub, "icbc", format="xlsx", status="RECEIVED")
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sheet is not None
    header = next(sheet.iter_rows(values_only=True))
    assert header[:3] == ("request_id", "case_number", "action")
    bad = fetch(control_hub, "icbc", format="pdf")
    assert bad.status_code == 400 and "format" in bad.json()["error"]
    bad = fetch(control_hub, "icbc", status="DONEISH")
    assert bad.status_code == 400 and "status" in bad.json()["error"]
    officer = httpx.get(
        f"{control_hub.url}/control/requests",
        headers={"Authorization": f"Bearer {control_hub.officer}"},
        timeout=60,
    )
    assert officer.status_code == 403


def test_an_answers_file_without_its_required_columns_is_refused_whole(
    control_hub: ControlHub,
) -> None:
    response = send_answers(control_hub, "icbc", "request_id,receipt_number\nx,y\n")
    assert response.status_code == 400 and "outcome" in response.json()["error"]
