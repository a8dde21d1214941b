"""找物 → 控制请求 in a real browser: the officer selects holdings, gets the form pre-filled
(the action fitting each kind, an account's amount, the case), types the 裁定书 and 协助执行
通知书 numbers, and sees each holding's request sent or refused with the hub's reason."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.sync_api import Page, expect

from tests.console.browsing import Visit, screenshot
from tests.console.test_case_page import no_trouble, open_case
from tests.graphql.conftest import Hub

REQUESTS = """query ($c: String!) {
  controlRequests(filter: { caseNumber: $c }, first: 200) {
    edges { node { action amount rulingNumber noticeNumber department status
                   target { kind description } } }
  }
}"""
# 保障农民工工资支付条例第三十三条: a wage account may not be frozen; the hub's refusal says so.
WAGE_LAW = "保障农民工工资支付条例第三十三条"


def a_new_ordinary_account(hub: Hub, holder: str) -> str:
    """An ordinary account of `holder` that the bank publishes now: free of any measure
    whatever the other tests asked for."""
    number = "6222" + str(uuid.uuid4().int)[:15]
    hub.publish(
        "bank.accounts",
        "bank_code,account_number,holder_id,account_type,balance,balance_as_of\n"
        f"ICBC,{number},{holder},ordinary,30000.00,2026-12-01\n",
        "bank",
    )
    return number


def select(page: Page, kind: str, text: str) -> None:
    row = page.locator(f"[data-test=holdings-{kind}] tbody tr", has_text=text)
    row.locator(".el-checkbox").click()


def case_requests(hub: Hub, case_number: str) -> list[dict[str, Any]]:
    answer = hub.post(REQUESTS, {"c": case_number}, token=hub.officer)
    return [edge["node"] for edge in answer["data"]["controlRequests"]["edges"]]


def test_selected_accounts_are_asked_to_be_frozen_and_the_wage_accounts_are_refused(
    hub: Hub, visit: Visit, officer: str
) -> None:
    wages = hub.manifest.scenarios.wage_accounts
    ordinary = a_new_ordinary_account(hub, wages.enterprise.uscc)
    before = len(case_requests(hub, wages.case_number))
    page = open_case(visit, hub, officer, wages.case_number)
    page.get_by_role("tab", name="找物").click()
    ask = page.locator("[data-test=request-control]")
    expect(ask).to_be_disabled()  # nothing selected yet
    for account in wages.wage_accounts:
        select(page, "ACCOUNT", account.account_number)
    select(page, "ACCOUNT", ordinary)
    expect(ask).to_contain_text("（3）")
    ask.click()

    form = page.locator("[data-test=control-form]")
    expect(form.locator("[data-test=control-form-case]")).to_have_text(wages.case_number)
    lines = form.locator("[data-test=control-form-lines] tbody tr")
    expect(lines).to_have_count(3)
    ordinary_line = lines.filter(has_text=ordinary)
    expect(ordinary_line.locator("[data-test=line-action]")).to_have_text("冻结")
    # the amount: what the account holds, the case owing more (1,900,000.00)
    expect(ordinary_line.locator("[data-test=line-amount]")).to_have_value("30000.00")
    form.locator("[data-test=control-form-send]").click()  # the numbers are not typed yet
    expect(form.locator("[data-test=control-form-error]")).to_contain_text("裁定书文号")
    form.locator("[data-test=ruling-number]").fill(f"{wages.case_number}之一")
    form.locator("[data-test=notice-number]").fill(f"{wages.case_number}协执")
    ordinary_line.locator("[data-test=line-amount]").fill("25000.00")
    form.locator("[data-test=control-form-send]").click()

    expect(ordinary_line.locator("[data-test=line-result]")).to_contain_text("已发送")  # PENDING
    for account in wages.wage_accounts:
        refused = lines.filter(has_text=account.account_number).locator("[data-test=line-result]")
        expect(refused).to_contain_text("未发送")
        expect(refused).to_contain_text(WAGE_LAW)
        reason = refused.locator(".refusal")  # in Chinese only, the English as its title
        expect(reason).not_to_have_text(re.compile(r"[A-Za-z]{2,}"))
        expect(reason).to_have_attribute("title", re.compile("may not be frozen or deducted"))
    screenshot(page, "case-control-request")

    made = case_requests(hub, wages.case_number)
    assert len(made) == before + 1  # one request per holding sent, none for the refused
    assert made[0]["target"]["kind"] == "ACCOUNT" and ordinary in made[0]["target"]["description"]
    assert made[0]["action"] == "FREEZE" and made[0]["amount"] == "25000.00"
    assert made[0]["rulingNumber"] == f"{wages.case_number}之一"
    assert made[0]["noticeNumber"] == f"{wages.case_number}协执"

    form.locator("[data-test=control-form-close]").click()
    page.get_by_role("tab", name="控制请求").click()
    row = page.locator("[data-test=control-requests] tbody tr", has_text=ordinary).first
    expect(row).to_contain_text("冻结")
    expect(row).to_contain_text("25,000.00")
    no_trouble(visit, hub)


def test_a_property_and_a_vehicle_are_asked_to_be_sealed_with_no_amount(
    hub: Hub, visit: Visit, officer: str
) -> None:
    many = hub.manifest.scenarios.many_holdings
    report = hub.post(
        """query ($s: String!, $c: String!) { locateAssets(subject: $s, caseNumber: $c) {
             properties { certNumber } vehicles { vin } } }""",
        {"s": many.respondent.id_number, "c": many.case_number},
        token=hub.officer,
    )["data"]["locateAssets"]
    cert, vin = report["properties"][-1]["certNumber"], report["vehicles"][-1]["vin"]
    page = open_case(visit, hub, officer, many.case_number)
    page.get_by_role("tab", name="找物").click()
    select(page, "PROPERTY", cert)
    select(page, "VEHICLE", vin)
    page.locator("[data-test=request-control]").click()
    form = page.locator("[data-test=control-form]")
    lines = form.locator("[data-test=control-form-lines] tbody tr")
    expect(lines).to_have_count(2)
    expect(lines.locator("[data-test=line-action]")).to_have_text(["查封", "查封"])
    expect(lines.locator("[data-test=line-amount]")).to_have_count(0)
    form.locator("[data-test=ruling-number]").fill(f"{many.case_number}之三")
    form.locator("[data-test=notice-number]").fill(many.case_number)
    form.locator("[data-test=control-form-send]").click()
    expect(lines.locator("[data-test=line-result]")).to_contain_text(["已发送", "已发送"])

    made = case_requests(hub, many.case_number)[:2]
    assert {(r["action"], r["amount"], r["target"]["kind"]) for r in made} == {
        ("SEAL", None, "PROPERTY"),
        ("SEAL", None, "VEHICLE"),
    }
    descriptions = " ".join(r["target"]["description"] for r in made)
    assert cert in descriptions and vin in descriptions
    no_trouble(visit, hub)


def test_an_indirect_holding_cannot_be_selected(hub: Hub, visit: Visit, officer: str) -> None:
    """The hub asks its direct holder to be a party of the case: the chain's company C is
    not, so its property is not offered (the respondent's equity is)."""
    chain = hub.manifest.scenarios.controlled_company_chain
    page = open_case(visit, hub, officer, chain.case_number)
    page.get_by_role("tab", name="找物").click()
    row = page.locator(
        "[data-test=holdings-PROPERTY] tbody tr", has_text=chain.company_c_property_cert
    )
    expect(row.locator(".el-checkbox")).to_have_class(re.compile("is-disabled"))
    equity = page.locator("[data-test=holdings-EQUITY] tbody tr", has_text=chain.company_a.uscc)
    expect(equity.locator(".el-checkbox")).not_to_have_class(re.compile("is-disabled"))
    no_trouble(visit, hub)
