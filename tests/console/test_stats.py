"""统计 in a real browser: the auditor's (and an admin's) linkageStats for a period, its figures
as the API gives them, the charts drawn (ECharts, loaded only when the screen opens)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.console.browsing import PASSWORD, Visit, screenshot, sign_in
from tests.console.test_auditor import signed_in_auditor
from tests.console.test_case_page import money, no_trouble
from tests.graphql.conftest import Hub

STATS = """query ($from: String!, $to: String!) {
  linkageStats(from: $from, to: $to) {
    traces assetSearches creditChecks subjectsChecked controlRequests answered
    amountFrozen amountDeducted newAssetsFound lettersSent
    controlRequestsBy { department action status requests }
  }
}"""


def the_stats(hub: Hub, period: tuple[str, str]) -> dict[str, Any]:
    answer = hub.post(STATS, {"from": period[0], "to": period[1]}, token=hub.auditor)
    stats: dict[str, Any] = answer["data"]["linkageStats"]
    return stats


def the_period(page: Page) -> tuple[str, str]:
    shown = page.locator("[data-test=stats-period]").inner_text()
    start, _, end = shown.partition(" 至 ")
    return start, end


def figure(page: Page, key: str) -> Any:
    return page.locator(f"[data-test=stat-{key}] .el-statistic__content")


def some_work(hub: Hub) -> None:
    """A trace today, so the period has figures whatever ran before."""
    many = hub.manifest.scenarios.many_holdings
    hub.post(
        "query ($s: String!, $c: String!) { tracePerson(idNumber: $s, caseNumber: $c) { phones } }",
        {"s": many.respondent.id_number, "c": many.case_number},
        token=hub.officer,
    )


def test_the_auditor_sees_the_periods_figures_as_the_api_gives_them_and_the_charts(
    hub: Hub, visit: Visit, accounts: Callable[..., str]
) -> None:
    some_work(hub)
    page = signed_in_auditor(visit, hub, accounts)
    scripts_before = {r.url for r in visit.requests if r.url.endswith(".js")}
    assert not any("StatsPage" in url for url in scripts_before)  # not on the first screen
    page.get_by_role("tab", name="统计").click()
    expect(page.locator("[data-test=stats-period]")).to_be_visible()
    period = the_period(page)
    assert period[0].endswith("-01") and period[0][:7] == period[1][:7]  # this month so far
    stats = the_stats(hub, period)
    assert stats["traces"] >= 1

    for key in ("traces", "assetSearches", "creditChecks", "controlRequests", "answered"):
        expect(figure(page, key)).to_have_text(str(stats[key]))
    for key in ("amountFrozen", "amountDeducted"):
        expect(figure(page, key)).to_have_text(money(stats[key]))
    table = page.locator("[data-test=stats-requests] tbody tr")
    expect(table).to_have_count(len(stats["controlRequestsBy"]))
    for chart in ("calls", "requests", "amounts"):
        expect(page.locator(f"[data-test=chart-{chart}] canvas")).to_have_count(1)
    assert any("StatsPage" in r.url for r in visit.requests)  # its own chunk, now
    screenshot(page, "audit-stats")

    # Another period: a day long before the hub held anything has no figures.
    page.locator("[data-test=stats-from] input").fill("2020-01-01")
    page.locator("[data-test=stats-from] input").press("Enter")
    page.locator("[data-test=stats-to] input").fill("2020-01-01")
    page.locator("[data-test=stats-to] input").press("Enter")
    page.locator("[data-test=stats-load]").click()
    expect(page.locator("[data-test=stats-period]")).to_have_text("2020-01-01 至 2020-01-01")
    expect(figure(page, "traces")).to_have_text("0")
    expect(page.locator("[data-test=stats-requests]")).to_contain_text("本期无控制请求")
    no_trouble(visit, hub)


def test_an_admin_sees_the_stats(hub: Hub, visit: Visit, accounts: Callable[..., str]) -> None:
    admin = accounts("admin.wang", "admin", "operator-1")
    page = visit.page
    page.goto(f"{hub.url}/")
    sign_in(page, admin, PASSWORD)
    expect(page.locator("[data-test=admin-page]")).to_be_visible()
    expect(page.locator("[data-test=stats-period]")).to_be_visible()
    stats = the_stats(hub, the_period(page))
    expect(figure(page, "traces")).to_have_text(str(stats["traces"]))
    expect(page.get_by_role("tab", name="账户")).to_be_visible()
    no_trouble(visit, hub)
