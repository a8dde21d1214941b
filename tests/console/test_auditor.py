"""The auditor's console in a real browser against a real hub: 审计日志 finds the steps an
officer just took in another browser (filters, paging), 校验 says the chain holds, 导出
downloads the records as the hub stores them. Every screen is checked for requests to other
origins and for errors (CSP violations).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.console.browsing import PASSWORD, Visit, screenshot, sign_in
from tests.console.test_case_page import no_trouble, open_case
from tests.graphql.conftest import Hub

EVENTS = """query ($f: AuditFilter, $n: Int!, $after: String) {
  auditEvents(filter: $f, first: $n, after: $after) {
    edges { node { seq operation actor caseNumber } }
    pageInfo { hasNextPage endCursor }
  }
}"""
VERIFY = "{ verifyAuditChain { ok checked checkpoints } }"


def the_officers_steps(hub: Hub, browser: Browser, accounts: Callable[..., str]) -> str:
    """The officer signs in and opens a case in a browser of their own; the case number."""
    case_number = hub.manifest.scenarios.hidden_under_spouse.case_number
    context = browser.new_context(viewport={"width": 1280, "height": 760}, locale="zh-CN")
    try:
        officer = accounts("zhang.san", "officer", hub.manifest.scenarios.officer_id)
        page = open_case(Visit(context.new_page()), hub, officer, case_number)
        expect(page.locator("[data-test=addresses] tbody tr").first).to_be_visible()  # 查人
    finally:
        context.close()
    return case_number


def signed_in_auditor(visit: Visit, hub: Hub, accounts: Callable[..., str]) -> Page:
    auditor = accounts("audit.li", "auditor", "audit-office-1")
    page = visit.page
    page.goto(f"{hub.url}/")
    sign_in(page, auditor, PASSWORD)
    expect(page.locator("[data-test=auditor-page]")).to_be_visible()
    return page


def seqs(page: Page) -> list[int]:
    rows = page.locator("[data-test=audit-events] .el-table__body-wrapper tbody tr.el-table__row")
    return [int(row.locator("td").nth(1).inner_text()) for row in rows.all()]


def api_page(hub: Hub, filter_: dict[str, Any], n: int, after: str | None = None) -> Any:
    variables = {"f": filter_, "n": n, "after": after}
    return hub.post(EVENTS, variables, token=hub.auditor)["data"]["auditEvents"]


def test_the_auditor_finds_the_officers_steps_and_the_chain_verifies(
    hub: Hub, browser: Browser, visit: Visit, accounts: Callable[..., str], tmp_path: Path
) -> None:
    case_number = the_officers_steps(hub, browser, accounts)
    officer_id = hub.manifest.scenarios.officer_id
    page = signed_in_auditor(visit, hub, accounts)
    expect(page.locator("[data-test=audit-events] tbody tr").first).to_be_visible()

    page.locator("[data-test=filter-actor]").fill(officer_id)
    page.locator("[data-test=filter-case]").fill(case_number)
    page.locator("[data-test=audit-search]").click()
    table = page.locator("[data-test=audit-events]")
    expected = [
        e["node"]
        for e in api_page(hub, {"actor": officer_id, "caseNumber": case_number}, 50)["edges"]
    ]
    assert {e["operation"] for e in expected} >= {"case", "tracePerson"}
    expect(table.locator("tbody tr.el-table__row")).to_have_count(len(expected))
    assert seqs(page) == [e["seq"] for e in expected]  # newest first, as the hub answers
    expect(table).to_contain_text("查人")  # tracePerson
    expect(table).to_contain_text("查看案件")  # case
    expect(table).to_contain_text("执行干警")  # the role, in Chinese
    expect(table).to_contain_text("允许")  # ALLOWED
    for row in table.locator("tbody tr.el-table__row").all():
        expect(row).to_contain_text(officer_id)
        expect(row).to_contain_text(case_number)
    screenshot(page, "audit-log")

    # Paging: every record of the officer, 20 at a time, as the hub's cursors give them (more
    # steps through the API when this test runs alone and the officer took fewer than 21).
    while not api_page(hub, {"actor": officer_id}, 20)["pageInfo"]["hasNextPage"]:
        hub.post("{ myCases { caseNumber } }", token=hub.officer)
    page.locator("[data-test=filter-case]").fill("")
    page.locator("[data-test=audit-search]").click()
    page.locator(".pager .el-select").click()
    page.get_by_role("option", name="每页 20 条").click()
    first = api_page(hub, {"actor": officer_id}, 20)
    expect(table.locator("tbody tr.el-table__row")).to_have_count(len(first["edges"]))
    assert seqs(page) == [e["node"]["seq"] for e in first["edges"]]
    page.locator("[data-test=audit-next]").click()
    second = api_page(hub, {"actor": officer_id}, 20, first["pageInfo"]["endCursor"])
    expect(page.locator(".pager")).to_contain_text("第 2 页")
    expect(table.locator("tbody tr.el-table__row").first).to_contain_text(
        str(second["edges"][0]["node"]["seq"])
    )
    assert seqs(page) == [e["node"]["seq"] for e in second["edges"]]
    page.locator("[data-test=audit-prev]").click()
    expect(table.locator("tbody tr.el-table__row").first).to_contain_text(
        str(first["edges"][0]["node"]["seq"])
    )

    page.get_by_role("tab", name="校验").click()
    page.locator("[data-test=verify]").click()
    expect(page.locator("[data-test=verify-result]")).to_contain_text("审计链完整")
    verified = hub.post(VERIFY, token=hub.auditor)["data"]["verifyAuditChain"]
    assert verified["ok"] is True
    details = page.locator("[data-test=verify-details]")
    expect(details).to_contain_text("已校验记录")
    checked = int(details.locator("[data-test=verify-checked]").inner_text())
    assert 0 < checked <= verified["checked"]  # records written since are checked by the API
    screenshot(page, "audit-verify")

    page.get_by_role("tab", name="导出").click()
    with page.expect_download() as downloading:
        page.locator("[data-test=export]").click()
    saved = tmp_path / "audit.jsonl"
    downloading.value.save_as(saved)
    records = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert [r["seq"] for r in records] == sorted(r["seq"] for r in records)
    steps = [r for r in records if r.get("actor") == officer_id]
    assert {"signIn", "myCases", "case", "tracePerson"} <= {r["operation"] for r in steps}
    assert all(r["hash"] for r in records), records[0].keys()
    screenshot(page, "audit-export")
    no_trouble(visit, hub)


def test_the_log_names_the_report_pdf_in_chinese(
    hub: Hub, visit: Visit, accounts: Callable[..., str]
) -> None:
    case_number = f"（2099）吉0821执{uuid.uuid4().int % 10**6}号"  # none: answered 404
    answer = httpx.get(
        f"{hub.url}/console/report.pdf",
        params={"case": case_number},
        headers={"Authorization": f"Bearer {hub.officer}"},
        timeout=60,
    )
    assert answer.status_code == 404, answer.text
    page = signed_in_auditor(visit, hub, accounts)
    page.locator("[data-test=filter-case]").fill(case_number)
    page.locator("[data-test=audit-search]").click()
    expect(page.locator("[data-test=audit-events]")).to_contain_text("财产查控报告PDF")
    no_trouble(visit, hub)
