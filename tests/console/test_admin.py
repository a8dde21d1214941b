"""The admin's 账户与部门 in a real browser: the accounts (users) and departments tabs, loaded
when opened; 停用 after a confirm, after which the account's sign-in fails."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Browser, Locator, Page, expect

from tests.console.browsing import PASSWORD, Visit, screenshot, sign_in
from tests.console.test_case_page import no_trouble
from tests.graphql.conftest import Hub


def signed_in_admin(visit: Visit, hub: Hub, accounts: Callable[..., str]) -> Page:
    admin = accounts("admin.wang", "admin", "operator-1")
    page = visit.page
    page.goto(f"{hub.url}/")
    sign_in(page, admin, PASSWORD)
    expect(page.locator("[data-test=admin-page]")).to_be_visible()
    return page


def account_row(page: Page, name: str) -> Locator:
    return page.locator("[data-test=accounts-table] tbody tr").filter(
        has=page.get_by_text(name, exact=True)
    )


def settled(page: Page) -> None:
    """Every running transition (tabs, tags fading in) finished: for the screenshots."""
    page.evaluate("() => Promise.allSettled(document.getAnimations().map((a) => a.finished))")


def test_an_admin_disables_an_account_which_then_cannot_sign_in(
    hub: Hub, visit: Visit, browser: Browser, accounts: Callable[..., str]
) -> None:
    clerk = accounts("li.si.bank", "department", "bank-clerk-7", "bank")
    page = signed_in_admin(visit, hub, accounts)
    assert not any("AccountsTab" in r.url for r in visit.requests)  # not before it is opened

    page.get_by_role("tab", name="账户").click()
    row = account_row(page, clerk)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("部门经办人")
    expect(row).to_contain_text("bank-clerk-7")
    expect(row.locator("[data-test=account-state]")).to_have_text("正常")
    expect(page.locator("[data-test=admin-accounts]")).to_contain_text("hub user add")
    # the admin's own account has no 停用 button
    expect(account_row(page, "admin.wang").locator("[data-test=disable-account]")).to_have_count(0)
    assert any("AccountsTab" in r.url for r in visit.requests)

    row.locator("[data-test=disable-account]").click()
    confirm = page.locator(".el-popconfirm").filter(has_text=clerk)
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="停用").click()
    expect(row.locator("[data-test=account-state]")).to_have_text("已停用")
    expect(page.locator("[data-test=disabled-note]")).to_contain_text(clerk)
    expect(row.locator("[data-test=disable-account]")).to_have_count(0)
    settled(page)
    screenshot(page, "admin-accounts")
    [listed] = [
        a
        for a in hub.post("{ users { name disabled } }", token=hub.admin)["data"]["users"]
        if a["name"] == clerk
    ]
    assert listed["disabled"] is True

    page.get_by_role("tab", name="部门").click()
    departments = page.locator("[data-test=departments-table] tbody tr")
    expect(departments).to_have_count(7)
    expect(departments.filter(has_text="bank")).to_contain_text("账户与余额（bank.accounts）")
    settled(page)
    screenshot(page, "admin-departments")
    no_trouble(visit, hub)

    # The disabled clerk signs in, in a browser of their own: refused.
    other = browser.new_context(locale="zh-CN")
    try:
        theirs = other.new_page()
        theirs.goto(f"{hub.url}/")
        sign_in(theirs, clerk, PASSWORD)
        expect(theirs.get_by_role("alert")).to_contain_text("账户已停用")
        expect(theirs.locator("[data-test=admin-page]")).to_have_count(0)
    finally:
        other.close()
