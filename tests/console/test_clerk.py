"""The department clerk's console in a real browser against a real hub: 数据上报 (a file with
a bad row: the report, the rejects table, the rejects downloaded), 上报记录, 待办控制请求 (a
freeze answered in part, then seen by the officer on the holding; the list as XLSX; answers
by file from the template, each row reported) and
信用核查 (more identifiers than one creditCheck call takes, batched). Every screen is checked
for requests to other origins and for errors (CSP violations).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.console.browsing import PASSWORD, Visit, screenshot, sign_in
from tests.console.test_case_page import no_trouble, open_case
from tests.graphql.conftest import Hub

PSB_CLERK = "psb.clerk"


def signed_in_clerk(visit: Visit, hub: Hub, name: str) -> Page:
    page = visit.page
    page.goto(f"{hub.url}/")
    sign_in(page, name, PASSWORD)
    expect(page.locator("[data-test=clerk-page]")).to_be_visible()
    return page


def persons_file_with_a_bad_row(hub: Hub, tmp_path: Path) -> tuple[Path, str]:
    """Two rows of the county's own psb.persons (republished: unchanged) and a third whose
    id_number's check character is wrong; the file and that id_number."""
    with (hub.county / "psb.persons.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = [next(reader), next(reader), next(reader)]
    good = rows[2]["id_number"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows[2]["id_number"] = bad
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "户籍人口-补报.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, bad


def test_a_clerk_uploads_a_file_with_a_bad_row_sees_it_and_downloads_the_rejects(
    hub: Hub, visit: Visit, accounts: Callable[..., str], tmp_path: Path
) -> None:
    clerk = accounts(PSB_CLERK, "department", "psb-clerk-1", "psb")
    path, bad = persons_file_with_a_bad_row(hub, tmp_path)
    page = signed_in_clerk(visit, hub, clerk)
    page.locator("[data-test=upload-dataset]").click()
    page.get_by_role("option", name="户籍人口（psb.persons）").click()
    page.locator("[data-test=upload-file]").set_input_files(path)
    page.locator("[data-test=upload-send]").click()

    expect(page.locator("[data-test=rows-accepted]")).to_have_text("2")
    expect(page.locator("[data-test=rows-rejected]")).to_have_text("1")
    expect(page.locator("[data-test=upload-progress]")).to_contain_text("100%")
    rejects = page.locator("[data-test=rejects] tbody tr")
    expect(rejects).to_have_count(1)
    expect(rejects.first).to_contain_text("4")  # the header is line 1: the third row is line 4
    expect(rejects.first).to_contain_text("id_number")
    screenshot(page, "clerk-upload")

    with page.expect_download() as downloading:
        page.locator("[data-test=download-rejects]").click()
    saved = tmp_path / "rejects.csv"
    downloading.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert bad in text
    assert len([line for line in text.splitlines() if line.strip()]) == 2  # header and the row

    page.get_by_role("tab", name="上报记录").click()
    run = page.locator("[data-test=runs] tbody tr", has_text=path.name).first
    expect(run).to_contain_text("户籍人口（psb.persons）")
    expect(run).to_contain_text("已完成")
    expect(run).to_contain_text("下载")
    screenshot(page, "clerk-runs")
    no_trouble(visit, hub)


REQUEST = """mutation ($i: ControlRequestInput!) {
  requestControl(input: $i) { id department target { description } }
}"""
ASSETS = """query ($s: String!, $c: String!) {
  locateAssets(subject: $s, caseNumber: $c) {
    accounts { direct bankCode accountNumber accountType balance controls { state } }
  }
}"""
# Wage accounts cannot be frozen (保障农民工工资支付条例 art. 33), in either form.
WAGE_ACCOUNTS = ("wage_special", "wage_deposit", "农民工工资专用账户", "工资保证金")
CASES = "{ myCases { caseNumber status parties { id role kind } } }"
ONE_REQUEST = """query ($id: ID!) {
  controlRequest(id: $id) { status answer { amountControlled receiptNumber } measure { state } }
}"""


def a_free_account(hub: Hub) -> tuple[str, dict[str, Any]]:
    """An open case of the officer and an account (not a wage account) its respondent holds
    directly with no measure on it yet."""
    for case in hub.post(CASES, token=hub.officer)["data"]["myCases"]:
        if case["status"] != "open":
            continue
        for party in case["parties"]:
            if party["role"] != "respondent":
                continue
            variables = {"s": party["id"], "c": case["caseNumber"]}
            report = hub.post(ASSETS, variables, token=hub.officer)["data"]["locateAssets"]
            for account in report["accounts"]:
                if (
                    account["direct"]
                    and account["accountType"] not in WAGE_ACCOUNTS
                    and not account["controls"]
                ):
                    return case["caseNumber"], account
    raise AssertionError("no free account of a respondent in the officer's open cases")


def test_a_clerk_answers_a_freeze_in_part_and_the_officer_sees_the_measure(
    hub: Hub, browser: Browser, visit: Visit, accounts: Callable[..., str], tmp_path: Path
) -> None:
    case_number, account = a_free_account(hub)
    request = hub.post(
        REQUEST,
        {
            "i": {
                "caseNumber": case_number,
                "action": "FREEZE",
                "target": {
                    "kind": "ACCOUNT",
                    "bankCode": account["bankCode"],
                    "accountNumber": account["accountNumber"],
                },
                "amount": "50000.00",
                "rulingNumber": f"{case_number}之二",
                "noticeNumber": f"{case_number}协执",
            }
        },
        token=hub.officer,
    )["data"]["requestControl"]
    department = request["department"]
    clerk = accounts(f"{department}.clerk", "department", f"{department}-clerk-1", department)

    page = signed_in_clerk(visit, hub, clerk)
    page.get_by_role("tab", name="待办控制请求").click()
    row = page.locator("[data-test=inbox] tbody tr", has_text=account["accountNumber"]).first
    expect(row).to_contain_text(case_number)
    expect(row).to_contain_text("冻结")
    expect(row).to_contain_text("已送达")  # RECEIVED: the department has read it
    expect(row).to_contain_text("50,000.00")

    with page.expect_download() as downloading:
        page.locator("[data-test=inbox-xlsx]").click()
    saved = tmp_path / "inbox.xlsx"
    downloading.value.save_as(saved)
    sheet = [list(r) for r in load_workbook(saved).active.iter_rows(values_only=True)]
    assert sheet[0][:3] == ["请求编号", "案号", "措施"]
    line = next(r for r in sheet if r[0] == request["id"])
    assert line[1] == case_number and line[2] == "冻结" and line[7] == "已送达"
    screenshot(page, "clerk-control")

    row.locator("[data-test=answer]").click()
    form = page.locator("[data-test=answer-form]")
    expect(form).to_contain_text(case_number)
    form.locator("[data-test=answer-outcome]").click()
    page.get_by_role("option", name="部分办结").click()
    form.locator("[data-test=answer-amount]").fill("")
    form.locator("[data-test=answer-send]").click()  # PARTIAL without the amount: said at once
    expect(form.locator("[data-test=answer-error]")).to_contain_text("实际控制金额")
    form.locator("[data-test=answer-amount]").fill("12000.00")
    form.locator("[data-test=answer-receipt]").fill("银行回执-2026-9")
    screenshot(page, "clerk-answer")
    form.locator("[data-test=answer-send]").click()
    expect(form).to_be_hidden()
    page.locator("[data-test=inbox-open-only]").click()  # show the answered ones too
    answered = page.locator("[data-test=inbox] tbody tr", has_text=account["accountNumber"]).first
    expect(answered).to_contain_text("部分办结")  # PARTIAL

    stored = hub.post(ONE_REQUEST, {"id": request["id"]}, token=hub.officer)["data"]
    assert stored["controlRequest"]["status"] == "PARTIAL"
    assert stored["controlRequest"]["answer"] == {
        "amountControlled": "12000.00",
        "receiptNumber": "银行回执-2026-9",
    }
    no_trouble(visit, hub)

    context = browser.new_context(viewport={"width": 1280, "height": 760}, locale="zh-CN")
    try:
        officer_visit = Visit(context.new_page())
        officer = accounts("zhang.san", "officer", hub.manifest.scenarios.officer_id)
        officer_page = open_case(officer_visit, hub, officer, case_number)
        choose_holder(officer_page, hub, case_number, account)
        officer_page.get_by_role("tab", name="找物").click()
        holding = officer_page.locator(
            "[data-test=holdings-ACCOUNT] tbody tr", has_text=account["accountNumber"]
        )
        expect(holding).to_contain_text(f"冻结（生效中）{case_number}")
        no_trouble(officer_visit, hub)
    finally:
        context.close()


def choose_holder(page: Page, hub: Hub, case_number: str, account: dict[str, Any]) -> None:
    """Picks, when the case has several respondents, the one holding `account`."""
    chooser = page.locator("[data-test=subject]")
    if chooser.count() == 0:
        return
    for case in hub.post(CASES, token=hub.officer)["data"]["myCases"]:
        if case["caseNumber"] != case_number:
            continue
        for party in case["parties"]:
            if party["role"] != "respondent":
                continue
            variables = {"s": party["id"], "c": case_number}
            report = hub.post(ASSETS, variables, token=hub.officer)["data"]["locateAssets"]
            if any(a["accountNumber"] == account["accountNumber"] for a in report["accounts"]):
                chooser.click()
                page.get_by_role("option").filter(has_text=party["id"][-4:]).first.click()
                return


CREDIT = """query ($s: [String!]!) { creditCheck(subjects: $s) { subject dishonest valid } }"""


def test_credit_check_of_more_identifiers_than_one_call_takes_is_batched(
    hub: Hub, visit: Visit, accounts: Callable[..., str], tmp_path: Path
) -> None:
    with (hub.county / "psb.persons.csv").open(encoding="utf-8", newline="") as handle:
        ids = [row["id_number"] for row in csv.DictReader(handle)][:1100]
    listed = hub.manifest.scenarios.legal_rep_of_listed.listed_enterprise.uscc
    subjects = [*ids, listed, "12345"]  # a listed enterprise; the last one malformed
    answers = [
        hub.post(CREDIT, {"s": subjects[n : n + 1000]}, token=hub.department())["data"]
        for n in (0, 1000)
    ]
    dishonest = [r["subject"] for a in answers for r in a["creditCheck"] if r["dishonest"]]
    assert listed in dishonest
    clerk = accounts("other.clerk", "department", "other-clerk-1", "other")
    page = signed_in_clerk(visit, hub, clerk)
    page.get_by_role("tab", name="信用核查").click()
    page.locator("[data-test=credit-input]").fill("\n".join(subjects))
    expect(page.locator("[data-test=credit-count]")).to_contain_text(f"共 {len(subjects)} 个")
    page.locator("[data-test=credit-check]").click()
    summary = page.locator("[data-test=credit-summary]")
    expect(summary).to_contain_text(f"已核查 {len(subjects)} 个", timeout=60_000)
    expect(summary).to_contain_text(f"失信被执行人 {len(dishonest)}")
    expect(summary).to_contain_text("证件号码有误 1")
    calls = [r for r in visit.requests if "creditCheck" in (r.post_data or "")]
    assert len(calls) == 2  # 1,102 identifiers: 1,000 then 102
    screenshot(page, "clerk-credit")

    with page.expect_download() as downloading:
        page.locator("[data-test=credit-xlsx]").click()
    saved = tmp_path / "credit.xlsx"
    downloading.value.save_as(saved)
    sheet = [list(r) for r in load_workbook(saved).active.iter_rows(values_only=True)]
    assert sheet[0][:3] == ["证件号码", "名称", "结论"]
    assert [r[0] for r in sheet[1:]] == subjects
    verdicts = {r[0]: r[2] for r in sheet[1:]}
    for subject in dishonest:
        assert verdicts[subject] == "失信被执行人"
    assert verdicts["12345"] == "证件号码有误"
    no_trouble(visit, hub)


def test_a_clerk_answers_by_file_from_the_template_and_sees_each_row_reported(
    hub: Hub, visit: Visit, accounts: Callable[..., str], tmp_path: Path
) -> None:
    case_number, account = a_free_account(hub)
    request = hub.post(
        REQUEST,
        {
            "i": {
                "caseNumber": case_number,
                "action": "FREEZE",
                "target": {
                    "kind": "ACCOUNT",
                    "bankCode": account["bankCode"],
                    "accountNumber": account["accountNumber"],
                },
                "amount": "3000.00",
                "rulingNumber": f"{case_number}之三",
                "noticeNumber": f"{case_number}协执三",
            }
        },
        token=hub.officer,
    )["data"]["requestControl"]
    department = request["department"]
    clerk = accounts(f"{department}.clerk", "department", f"{department}-clerk-1", department)
    page = signed_in_clerk(visit, hub, clerk)
    page.get_by_role("tab", name="待办控制请求").click()
    inbox = page.locator("[data-test=inbox] tbody tr", has_text=account["accountNumber"])
    expect(inbox.first).to_be_visible()

    with page.expect_download() as downloading:
        page.locator("[data-test=answers-template]").click()
    template = tmp_path / "template.xlsx"
    downloading.value.save_as(template)
    book = load_workbook(template)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:7] == [
        "request_id", "outcome", "amount_controlled", "effective_from", "effective_until",
        "receipt_number", "reason",
    ]  # fmt: skip
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == request["id"])
    assert row[7].value == case_number
    for other in list(sheet.iter_rows(min_row=2)):  # answer only this request: drop the rest
        if other[0].value != request["id"]:
            sheet.delete_rows(other[0].row)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == request["id"])
    row[1].value = "办结"
    row[5].value = "回执-批量-1"
    sheet.append(["no-such-request", "办结"])  # line 3: the hub knows no such request
    filled = tmp_path / "答复.xlsx"
    book.save(filled)

    page.locator("[data-test=answers-file]").set_input_files(filled)
    page.locator("[data-test=answers-send]").click()
    expect(page.locator("[data-test=answers-accepted]")).to_have_text("1")
    expect(page.locator("[data-test=answers-rejected]")).to_have_text("1")
    rejected = page.locator("[data-test=answers-rejects] tbody tr")
    expect(rejected).to_have_count(1)
    expect(rejected.first).to_contain_text("3")
    expect(rejected.first).to_contain_text("request_id")
    screenshot(page, "clerk-answers-file")
    stored = hub.post(ONE_REQUEST, {"id": request["id"]}, token=hub.officer)["data"]
    assert stored["controlRequest"]["status"] == "DONE"
    assert stored["controlRequest"]["answer"]["receiptNumber"] == "回执-批量-1"
    no_trouble(visit, hub)
