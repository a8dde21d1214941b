"""The issue's whole round in real browsers: an officer signs in, opens 我的案件, sees the spouse
in 查人, the controlled-company chain at 48% in 找物, and asks for a freeze; the bank's clerk,
in a browser of their own, answers it; the officer's page — never reloaded — shows the alert
and the measure as they arrive over its one WebSocket (the `alerts` subscription, signed in
by the session cookie); the auditor finds every step in the log and the chain verifies."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, expect

from tests.console.browsing import Visit, screenshot
from tests.console.test_auditor import signed_in_auditor
from tests.console.test_case_page import money, no_trouble, open_case
from tests.console.test_clerk import signed_in_clerk
from tests.console.test_control_request import a_new_ordinary_account, case_requests, select
from tests.graphql.conftest import Hub

# Set once the officer's page has loaded: a reload or a navigation to another document loses it.
MARK = "() => { window.neverReloaded = 'yes' }"
STILL_MARKED = "() => [window.neverReloaded, performance.getEntriesByType('navigation').length]"
UNREAD = "{ alerts(unread: true, first: 200) { edges { node { id } } } }"
EVENTS = """query ($f: AuditFilter) {
  auditEvents(filter: $f, first: 200) { edges { node { operation outcome actor caseNumber } } }
}"""


@pytest.fixture
def context_of(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Browser contexts of their own (another person at another computer), closed after."""
    made: list[BrowserContext] = []

    def new() -> BrowserContext:
        made.append(browser.new_context(viewport={"width": 1280, "height": 760}, locale="zh-CN"))
        return made[-1]

    yield new
    for context in made:
        context.close()


def sockets_of(page: Page) -> list[WebSocket]:
    opened: list[WebSocket] = []
    page.on("websocket", lambda socket: opened.append(socket))
    return opened


def test_an_answer_reaches_the_officers_open_page_live_and_the_auditor_finds_every_step(
    hub: Hub,
    visit: Visit,
    officer: str,
    accounts: Callable[..., str],
    context_of: Callable[[], BrowserContext],
) -> None:
    spouse_case = hub.manifest.scenarios.hidden_under_spouse
    chain = hub.manifest.scenarios.controlled_company_chain
    sockets = sockets_of(visit.page)

    # 查人: the spouse the respondent's assets hide under.
    page = open_case(visit, hub, officer, spouse_case.case_number)
    page.evaluate(MARK)
    relatives = page.locator("[data-test=relatives]")
    expect(relatives.locator("tbody tr", has_text=spouse_case.spouse.name)).to_contain_text("配偶")
    expect(page.locator("[data-test=graph-nodes]")).to_contain_text(spouse_case.spouse.name)

    # 找物 of the chain's case: company C's account at 48%, opened from 我的案件.
    page.get_by_role("link", name="← 我的案件").click()
    page.locator("[data-test=my-cases]").get_by_role(
        "link", name=chain.case_number, exact=True
    ).click()
    page.get_by_role("tab", name="找物").click()
    c_account = page.locator(
        "[data-test=holdings-ACCOUNT] tbody tr", has_text=chain.company_c_account.account_number
    )
    expect(c_account).to_contain_text(f"{chain.effective_share_pct}%")
    badge = page.locator("[data-test=unread-alerts]")
    expect(badge).to_have_attribute("data-live", "yes")  # the subscription is acknowledged
    unread_before = len(hub.post(UNREAD, token=hub.officer)["data"]["alerts"]["edges"])

    # The bank publishes a new account of the respondent while the page is open: NEW_ASSET
    # arrives and 找物 shows the account without a reload.
    number = a_new_ordinary_account(hub, chain.respondent.id_number)
    new_account = page.locator("[data-test=holdings-ACCOUNT] tbody tr", has_text=number)
    expect(new_account).to_contain_text("直接持有", timeout=40_000)

    select(page, "ACCOUNT", number)
    page.locator("[data-test=request-control]").click()
    form = page.locator("[data-test=control-form]")
    form.locator("[data-test=ruling-number]").fill(f"{chain.case_number}之五")
    form.locator("[data-test=notice-number]").fill(f"{chain.case_number}协执五")
    form.locator("[data-test=line-amount]").fill("20000.00")
    form.locator("[data-test=control-form-send]").click()
    expect(form.locator("[data-test=line-result]")).to_contain_text("已发送")
    form.locator("[data-test=control-form-close]").click()
    request = case_requests(hub, chain.case_number)[0]
    assert number in request["target"]["description"] and request["status"] == "PENDING"
    page.get_by_role("tab", name="控制请求").click()
    row = page.locator("[data-test=control-requests] tbody tr", has_text=number).first
    expect(row).to_contain_text("已")  # 已发送 or 已送达
    page.get_by_role("tab", name="提醒").click()
    alerts = page.locator("[data-test=alerts] tbody")
    expect(alerts).to_contain_text("发现新财产")  # the NEW_ASSET that came live
    answered = alerts.locator("tr", has_text="控制请求已答复").filter(has_text=number)
    expect(answered).to_have_count(0)  # not yet

    # The bank's clerk answers in a browser of their own.
    department = request["department"]
    clerk = accounts(f"{department}.clerk", "department", f"{department}-clerk-1", department)
    clerk_visit = Visit(context_of().new_page())
    clerk_page = signed_in_clerk(clerk_visit, hub, clerk)
    clerk_page.get_by_role("tab", name="待办控制请求").click()
    inbox_row = clerk_page.locator("[data-test=inbox] tbody tr", has_text=number).first
    inbox_row.locator("[data-test=answer]").click()
    answer = clerk_page.locator("[data-test=answer-form]")
    answer.locator("[data-test=answer-amount]").fill("20000.00")
    answer.locator("[data-test=answer-receipt]").fill("工行回执-2026-55")
    answer.locator("[data-test=answer-send]").click()
    expect(answer).to_be_hidden()
    no_trouble(clerk_visit, hub)

    # The officer's page, as it was left: the alert, the badge, the request and the measure.
    expect(answered).to_have_count(1, timeout=40_000)
    expect(answered).to_contain_text("未读")
    unread = unread_before + 2  # NEW_ASSET, the answer
    expect(badge.locator("sup")).to_have_text(str(unread) if unread <= 99 else "99+")
    screenshot(page, "case-alerts-live")
    page.get_by_role("tab", name="控制请求").click()
    expect(row).to_contain_text("已办结")
    expect(row).to_contain_text("生效中")
    page.get_by_role("tab", name="找物").click()
    expect(new_account).to_contain_text(f"冻结（生效中）{chain.case_number}")
    expect(page.locator("[data-test=total-value]")).to_be_visible()
    assert page.evaluate(STILL_MARKED) == ["yes", 1]  # no reload, no other document
    assert [s.url for s in sockets] == [f"{hub.url.replace('http://', 'ws://')}/graphql"]

    page.get_by_role("tab", name="提醒").click()
    page.locator("[data-test=alerts-mark-read]").click()
    expect(alerts).not_to_contain_text("未读")
    no_trouble(visit, hub)

    # The auditor: every step in the log, and the chain verifies.
    auditor_visit = Visit(context_of().new_page())
    auditor_page = signed_in_auditor(auditor_visit, hub, accounts)
    auditor_page.locator("[data-test=filter-case]").fill(chain.case_number)
    auditor_page.locator("[data-test=audit-search]").click()
    table = auditor_page.locator("[data-test=audit-events]")
    for step in ("查看案件", "找物", "发起控制请求", "答复控制请求", "查看控制请求"):
        expect(table).to_contain_text(step)
    logged = hub.post(EVENTS, {"f": {"caseNumber": chain.case_number}}, token=hub.auditor)
    steps = {
        (e["node"]["operation"], e["node"]["actor"]) for e in logged["data"]["auditEvents"]["edges"]
    }
    officer_id = hub.manifest.scenarios.officer_id
    assert {
        ("case", officer_id),
        ("locateAssets", officer_id),
        ("requestControl", officer_id),
    } <= steps
    assert ("answerControl", f"{department}-clerk-1") in steps
    traced = hub.post(
        EVENTS,
        {"f": {"caseNumber": spouse_case.case_number, "actor": officer_id}},
        token=hub.auditor,
    )
    assert "tracePerson" in {e["node"]["operation"] for e in traced["data"]["auditEvents"]["edges"]}
    auditor_page.get_by_role("tab", name="校验").click()
    auditor_page.locator("[data-test=verify]").click()
    expect(auditor_page.locator("[data-test=verify-result]")).to_contain_text("审计链完整")
    no_trouble(auditor_visit, hub)
    assert money(request["amount"]) == "20,000.00"
