"""The officer's case page in a real browser against a real hub: opened from 我的案件, its
header and tabs; 查人 with the relationship picture; 找物; 信用; the 财产查控报告 export.
Every screen is checked for requests to other origins and for errors (CSP violations).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.console.browsing import PASSWORD, Visit, screenshot, sign_in
from tests.graphql.conftest import Hub

CASE = """query ($caseNumber: String!) {
  case(caseNumber: $caseNumber) {
    caseNumber status outstandingAmount parties { id name kind role }
  }
}"""
TABS = ("查人", "找物", "控制请求", "信用", "提醒")


def money(value: str) -> str:
    """As the console writes yuan (zh-CN): 1,234.50."""
    return f"{Decimal(value):,.2f}"


def the_case(hub: Hub, case_number: str) -> dict[str, Any]:
    answer = hub.post(CASE, {"caseNumber": case_number}, token=hub.officer)
    case: dict[str, Any] = answer["data"]["case"]
    return case


def respondents(case: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in case["parties"] if p["role"] == "respondent"]


def open_case(visit: Visit, hub: Hub, officer: str, case_number: str) -> Page:
    """Signs in and opens the case from 我的案件, as an officer does."""
    page = visit.page
    page.goto(f"{hub.url}/")
    sign_in(page, officer, PASSWORD)
    page.locator("[data-test=my-cases]").get_by_role("link", name=case_number, exact=True).click()
    expect(page.locator("[data-test=case-number]")).to_have_text(case_number)
    return page


def no_trouble(visit: Visit, hub: Hub) -> None:
    assert visit.elsewhere(hub.url) == []
    assert visit.problems == [], "\n".join(visit.problems)


def test_the_case_page_opens_from_my_cases_with_its_header_and_tabs(
    hub: Hub, visit: Visit, officer: str
) -> None:
    case_number = hub.manifest.scenarios.hidden_under_spouse.case_number
    case = the_case(hub, case_number)
    assert case["status"] == "open" and respondents(case)

    page = open_case(visit, hub, officer, case_number)
    assert page.url.endswith(f"#/case/{quote(case_number, safe='')}")
    header = page.locator("[data-test=case-header]")
    for party in respondents(case):
        expect(header).to_contain_text(party["name"])
    expect(page.locator("[data-test=case-status]")).to_have_text("执行中")
    expect(page.locator("[data-test=outstanding]")).to_have_text(money(case["outstandingAmount"]))
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_text(list(TABS))
    expect(page.get_by_role("tab", name="查人")).to_have_attribute("aria-selected", "true")
    screenshot(page, "case-header")

    # The other engineers' operations are not there yet: plain placeholders.
    page.get_by_role("tab", name="控制请求").click()
    expect(page.locator("[data-test=control-placeholder]")).to_contain_text("即将提供")
    page.get_by_role("tab", name="提醒").click()
    expect(page.locator("[data-test=alerts-placeholder]")).to_contain_text("即将提供")

    page.get_by_role("link", name="← 我的案件").click()
    expect(page.locator("[data-test=my-cases]")).to_be_visible()
    no_trouble(visit, hub)


def test_another_officers_case_typed_into_the_address_bar_is_refused_by_the_hub(
    hub: Hub, visit: Visit, officer: str
) -> None:
    others = [o for o in hub.manifest.officers if o != hub.manifest.scenarios.officer_id]
    theirs = [
        case["caseNumber"]
        for other in others
        for case in hub.post("{ myCases { caseNumber } }", token=hub.token("officer", other))[
            "data"
        ]["myCases"]
    ]
    assert theirs, "the generated county has cases of other officers"
    page = visit.page
    page.goto(f"{hub.url}/")
    sign_in(page, officer, PASSWORD)
    expect(page.locator("[data-test=my-cases] tbody tr").first).to_be_visible()

    with page.expect_response(lambda r: r.url.endswith("/graphql")) as answered:
        page.goto(f"{hub.url}/#/case/{quote(theirs[0], safe='')}")
    refusal = answered.value.json()["errors"][0]
    assert refusal["extensions"]["code"] == "FORBIDDEN"  # the hub refused it, not the page
    expect(page.locator("[data-test=case-error]")).to_contain_text("无权访问")
    expect(page.locator("[data-test=case-error]")).to_contain_text(refusal["message"])
    expect(page.locator("[data-test=case-header]")).to_have_count(0)
    expect(page.get_by_role("tab")).to_have_count(0)
    assert visit.elsewhere(hub.url) == []
