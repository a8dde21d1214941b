"""An open session ends when its account is disabled, in real browsers: the admin disables a
bank clerk in their console while the clerk works in a browser of their own; the clerk's
next action lands on the sign-in screen saying 账户已停用 (the English as its title), and the
hub has the refused action on record."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from playwright.sync_api import Browser, expect

from hub.store.embedded import EmbeddedServer
from tests.console.browsing import PASSWORD, Visit, screenshot, sign_in
from tests.console.test_admin import account_row, signed_in_admin
from tests.graphql.audit_trail import events_since, last_seq
from tests.graphql.conftest import Hub

T = TypeVar("T")


def aside(work: Callable[[], T]) -> T:
    """`work` in a thread of its own: sync Playwright keeps an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(work).result()


def test_the_clerks_next_action_after_the_admin_disables_them_signs_them_out(
    hub: Hub,
    embedded_server: EmbeddedServer,
    visit: Visit,
    browser: Browser,
    accounts: Callable[..., str],
) -> None:
    clerk = accounts("zhao.liu.bank", "department", "bank-clerk-11", "bank")
    theirs = browser.new_context(viewport={"width": 1280, "height": 760}, locale="zh-CN")
    # The clerk's live alerts socket is held by the test, never acknowledged: the hub ending
    # it would sign the page out before the click (test_live_session_ended.py tests that).
    theirs.route_web_socket(re.compile(r"/graphql$"), lambda socket: None)
    try:
        working = Visit(theirs.new_page())
        page = working.page
        page.goto(f"{hub.url}/")
        sign_in(page, clerk, PASSWORD)
        expect(page.locator("[data-test=clerk-page]")).to_be_visible()

        admin = signed_in_admin(visit, hub, accounts)
        admin.get_by_role("tab", name="账户").click()
        row = account_row(admin, clerk)
        row.locator("[data-test=disable-account]").click()
        admin.locator(".el-popconfirm").filter(has_text=clerk).get_by_role(
            "button", name="停用"
        ).click()
        expect(row.locator("[data-test=account-state]")).to_have_text("已停用")
        before = aside(lambda: last_seq(hub, embedded_server))

        page.get_by_role("tab", name="上报记录").click()  # the clerk's next action

        expect(page.get_by_placeholder("用户名")).to_be_visible()
        expect(page.locator("[data-test=clerk-page]")).to_have_count(0)
        notice = page.locator("[data-test=session-ended] .el-alert__title")
        expect(notice).to_have_text("账户已停用，会话已结束")
        english = f"the account {clerk} is disabled: its session has ended"
        expect(notice).to_have_attribute("title", english)
        screenshot(page, "session-ended")
        records = aside(lambda: events_since(hub, embedded_server, before))
        refused = [r for r in records if r.reason and english in r.reason]
        # the click; and the page's live alerts subscription when its look came first (alert_stream)
        assert [r.outcome for r in refused if r.operation != "alerts"] == ["DENIED"], records
        assert {r.outcome for r in refused} == {"DENIED"}, records
    finally:
        theirs.close()
