"""The 财产查控报告 as PDF (GET /console/report.pdf) in a real browser against a real hub:
downloaded by the officer from the case page, it has the case header, the officer, the date
and every holding with its source department and as-of date, read through the hub's own
audited operations; another officer's case is refused by the hub."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.console.browsing import Visit, screenshot
from tests.console.pdf_text import pdf_strings
from tests.console.test_case_page import no_trouble, open_case, respondents, the_case
from tests.graphql.conftest import Hub

LOCATE = """query ($s: String!, $c: String!) {
  locateAssets(subject: $s, caseNumber: $c) {
    properties { certNumber source loadedAt }
    vehicles { vin source loadedAt }
    accounts { accountNumber source bankName balanceAsOf }
    equity { uscc source loadedAt }
  }
}"""
EVENTS = """query ($f: AuditFilter) {
  auditEvents(filter: $f, first: 20) { edges { node { operation clientRequestId actor } } }
}"""
DEPARTMENT_NAMES = {"psb": "公安局", "amr": "市场监督管理局", "nrb": "自然资源局", "bank": "银行"}


def holdings(hub: Hub, case_number: str) -> list[tuple[str, dict[str, Any]]]:
    """(identifier, holding) of every holding of every respondent of the case."""
    found = []
    for party in respondents(the_case(hub, case_number)):
        variables = {"s": party["id"], "c": case_number}
        report = hub.post(LOCATE, variables, token=hub.officer)["data"]["locateAssets"]
        found += [(h["certNumber"], h) for h in report["properties"]]
        found += [(h["vin"], h) for h in report["vehicles"]]
        found += [(h["accountNumber"], h) for h in report["accounts"]]
        found += [(h["uscc"], h) for h in report["equity"]]
    return found


def test_the_officer_downloads_the_report_as_pdf_with_every_holding(
    hub: Hub, visit: Visit, accounts: Callable[..., str], tmp_path: Path
) -> None:
    chain = hub.manifest.scenarios.controlled_company_chain
    officer_id = hub.manifest.scenarios.officer_id
    officer = accounts("zhang.san", "officer", officer_id)
    expected = holdings(hub, chain.case_number)
    assert expected
    page = open_case(visit, hub, officer, chain.case_number)
    with (
        page.expect_response(lambda r: "/console/report.pdf" in r.url) as answered,
        page.expect_download() as downloading,
    ):
        page.locator("[data-test=export-pdf]").click()
    download = downloading.value
    assert download.suggested_filename == f"财产查控报告-{chain.case_number}-{date.today()}.pdf"
    saved = tmp_path / "report.pdf"
    download.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF-")

    shown = pdf_strings(pdf)
    text = "".join(shown)
    assert "财产查控报告" in shown
    assert chain.case_number in shown  # the header's 案号 cell
    assert f"{officer}（{officer_id}）" in shown  # 承办人
    assert date.today().isoformat() in shown  # 查询日期
    assert chain.respondent.name in text
    for identifier, holding in expected:
        assert identifier in text, identifier
        source = DEPARTMENT_NAMES.get(holding["source"]) or holding.get("bankName")
        assert source and source in text, holding
    as_of = {h.get("balanceAsOf") or h["loadedAt"][:10] for _, h in expected}
    for day in as_of:
        assert day in shown, day  # 数据日期, a cell of its own
    assert "间接持有" in text and f"有效持股 {chain.effective_share_pct}%" in text

    # Read as the officer through the audited operations, naming the PDF's request.
    request_id = answered.value.headers["x-request-id"]
    events = hub.post(
        EVENTS, {"f": {"actor": officer_id, "caseNumber": chain.case_number}}, token=hub.auditor
    )["data"]["auditEvents"]["edges"]
    by_report = [
        e["node"]["operation"] for e in events if e["node"]["clientRequestId"] == request_id
    ]
    assert sorted(set(by_report)) == ["case", "locateAssets"]
    assert by_report.count("locateAssets") == len(respondents(the_case(hub, chain.case_number)))
    screenshot(page, "case-report-pdf")
    no_trouble(visit, hub)


def test_another_officers_case_as_pdf_is_refused_by_the_hub(
    hub: Hub, visit: Visit, accounts: Callable[..., str]
) -> None:
    officer = accounts("zhang.san", "officer", hub.manifest.scenarios.officer_id)
    others = [o for o in hub.manifest.officers if o != hub.manifest.scenarios.officer_id]
    theirs = next(
        case["caseNumber"]
        for other in others
        for case in hub.post("{ myCases { caseNumber } }", token=hub.token("officer", other))[
            "data"
        ]["myCases"]
    )
    mine = hub.manifest.scenarios.controlled_company_chain.case_number
    page = open_case(visit, hub, officer, mine)  # signed in, with the session's cookies
    refused = page.request.get(f"{hub.url}/console/report.pdf", params={"case": theirs})
    assert refused.status == 403
    assert refused.json()["code"] == "FORBIDDEN"
    assert b"%PDF" not in refused.body()
    signed_out = visit.page.context.browser
    assert signed_out is not None
    anonymous = signed_out.new_context()
    try:
        answer = anonymous.request.get(f"{hub.url}/console/report.pdf", params={"case": mine})
        assert answer.status == 401
        assert answer.json()["code"] == "UNAUTHENTICATED"
    finally:
        anonymous.close()
    expect(page.locator("[data-test=case-number]")).to_have_text(mine)
    no_trouble(visit, hub)
