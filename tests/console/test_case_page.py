"""The officer's case page in a real browser against a real hub: opened from 我的案件, its
header and tabs; 查人 with the relationship picture; 找物; 信用; the 财产查控报告 export.
Every screen is checked for requests to other origins and for errors (CSP violations).
"""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from tests.console.browsing import PASSWORD, SHOTS, Visit, screenshot, sign_in
from tests.graphql.conftest import Hub

CASE = """query ($caseNumber: String!) {
  case(caseNumber: $caseNumber) {
    caseNumber status outstandingAmount parties { id name kind role }
  }
}"""
TABS = ("查人", "找物", "控制请求", "信用", "提醒")
# By the browser's own clock: from the click on a case to the first frame with 查人 drawn
# (its address clues and the picture's nodes).
WATCH_CASE_SHOWN = """
() => { window.caseShown = new Promise(resolve => {
  document.addEventListener('click', () => { window.caseClicked = performance.now() },
    { capture: true, once: true })
  const seen = new MutationObserver(() => {
    if (window.caseClicked !== undefined
        && document.querySelector('[data-test=addresses] tbody tr')
        && document.querySelector('[data-test=graph-nodes] li')) {
      seen.disconnect()
      requestAnimationFrame(() => resolve((performance.now() - window.caseClicked) / 1000))
    }
  })
  seen.observe(document.body, { childList: true, subtree: true })
}) }
"""
# What the browser fetched after the click on a case, and how long each took (its own clock).
REQUESTS_SINCE_CLICK = """
() => performance.getEntriesByType('resource')
  .filter(e => e.startTime >= window.caseClicked)
  .map(e => [new URL(e.name).pathname, +(e.duration / 1000).toFixed(3)])
"""


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

    page = visit.page
    page.goto(f"{hub.url}/")
    sign_in(page, officer, PASSWORD)
    link = page.locator("[data-test=my-cases]").get_by_role("link", name=case_number, exact=True)
    link.wait_for()
    bytes_before = visit.downloaded_bytes()
    page.evaluate(WATCH_CASE_SHOWN)
    link.click()
    expect(page.locator("[data-test=graph-nodes] li").first).to_be_attached()
    expect(page.locator("[data-test=addresses] tbody tr").first).to_be_visible()
    opened_s = page.evaluate("window.caseShown")
    requests_s = page.evaluate(REQUESTS_SINCE_CLICK)
    case_page_bytes = visit.downloaded_bytes() - bytes_before
    expect(page.locator("[data-test=case-number]")).to_have_text(case_number)
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

    page.get_by_role("link", name="← 我的案件").click()
    expect(page.locator("[data-test=my-cases]")).to_be_visible()
    no_trouble(visit, hub)
    if SHOTS:
        measured = {
            "click_on_case_to_trace_shown_s": round(opened_s, 3),
            "of_which_requests_s": requests_s,
            "case_page_bytes_on_the_wire": case_page_bytes,
            "load_average_1min": os.getloadavg()[0],
            "cpus": os.cpu_count(),
        }
        (Path(SHOTS) / "case-page-measurements.json").write_text(
            json.dumps(measured, indent=1) + "\n"
        )
    print(f"case page: {opened_s:.3f} s from the click to 查人 shown, {case_page_bytes} bytes")


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
    expect(page.locator("[data-test=case-error] .el-alert__title")).to_have_attribute(
        "title", refusal["message"]
    )  # the English reason as the title (test_console_messages.py)
    expect(page.locator("[data-test=case-header]")).to_have_count(0)
    expect(page.get_by_role("tab")).to_have_count(0)
    assert visit.elsewhere(hub.url) == []


TRACE = """query ($idNumber: String!, $caseNumber: String!) {
  tracePerson(idNumber: $idNumber, caseNumber: $caseNumber, maxHops: 3) {
    addresses { address kind source asOf }
    phones
    relatives { person { idNumberMasked name } relation }
    associates { person { idNumberMasked name } hops via }
  }
}"""


def the_trace(hub: Hub, id_number: str, case_number: str) -> dict[str, Any]:
    variables = {"idNumber": id_number, "caseNumber": case_number}
    report: dict[str, Any] = hub.post(TRACE, variables, token=hub.officer)["data"]["tracePerson"]
    return report


def column(table: Locator, index: int) -> list[str]:
    """The texts of one column of an Element Plus table, top to bottom."""
    return [t.strip() for t in table.locator(f"tbody tr td:nth-child({index})").all_inner_texts()]


def test_trace_lists_addresses_newest_first_phones_relatives_and_associates_masked(
    hub: Hub, visit: Visit, officer: str
) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    respondent, spouse = scenario.respondent, scenario.spouse
    report = the_trace(hub, respondent.id_number, scenario.case_number)
    assert report["addresses"] and report["relatives"]

    # The respondent with the most address clues, for their order.
    case_number, clues = max(
        (
            (case["caseNumber"], the_trace(hub, party["id"], case["caseNumber"]))
            for case in hub.post("{ myCases { caseNumber } }", token=hub.officer)["data"]["myCases"]
            for party in respondents(the_case(hub, case["caseNumber"]))
            if party["kind"] == "PERSON"
        ),
        key=lambda found: len({a["asOf"] for a in found[1]["addresses"]}),
    )
    newest_first = sorted(clues["addresses"], key=lambda a: a["asOf"] or "", reverse=True)
    assert len({a["asOf"] for a in newest_first}) > 2, "clues of several dates to order"
    page = open_case(visit, hub, officer, case_number)
    addresses = page.locator("[data-test=addresses]")
    expect(addresses.locator("tbody tr")).to_have_count(len(newest_first))
    assert column(addresses, 1) == [a["address"] for a in newest_first]
    assert column(addresses, 4) == [a["asOf"] or "—" for a in newest_first]
    for phone in clues["phones"]:
        expect(page.locator("[data-test=phones]")).to_contain_text(phone)
    screenshot(page, "case-trace-addresses")

    page.get_by_role("link", name="← 我的案件").click()
    page.get_by_role("link", name=scenario.case_number, exact=True).click()
    relatives = page.locator("[data-test=relatives]")
    spouse_row = relatives.locator("tbody tr", has_text=spouse.name)
    expect(spouse_row).to_contain_text("配偶")  # SPOUSE, from the dictionary
    masked = next(r["person"]["idNumberMasked"] for r in report["relatives"])
    expect(relatives).to_contain_text(masked)
    associates = page.locator("[data-test=associates]")
    for associate in report["associates"]:
        expect(associates).to_contain_text(" → ".join(associate["via"]))
        expect(associates).to_contain_text(associate["person"]["idNumberMasked"])
    # The spouse's identifier only as the hub masks it, anywhere on the page.
    assert spouse.id_number not in page.content()
    no_trouble(visit, hub)


PER_EXPANSION = 6  # console/src/graph.ts: links shown per expansion, the rest as 还有 N 个
# Pixels the picture's canvases have drawn (cytoscape draws on stacked canvases).
DRAWN_PIXELS = """
graph => [...graph.querySelectorAll('canvas')].reduce((drawn, canvas) => {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++
  return drawn
}, 0)
"""


NODE_IDS = """
() => [...document.querySelectorAll('[data-test=graph-nodes] li')].map(li => li.dataset.node).join()
"""


def graph_nodes(page: Page) -> list[str]:
    """The ids of the nodes in the picture now (its list for the keyboard and screen readers)."""
    ids: str = page.evaluate(NODE_IDS)
    return ids.split(",") if ids else []


def test_the_relationship_picture_shows_the_spouse_and_expands_node_by_node_capped(
    hub: Hub, visit: Visit, officer: str
) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    page = open_case(visit, hub, officer, scenario.case_number)
    picture = page.locator("[data-test=relation-graph]")
    nodes = page.locator("[data-test=graph-nodes]")
    expect(nodes).to_contain_text(scenario.spouse.name)
    expect(nodes).to_contain_text(scenario.respondent.name)
    page.wait_for_function(
        f"() => ({DRAWN_PIXELS})(document.querySelector('[data-test=relation-graph]')) > 0"
    )
    assert picture.evaluate(DRAWN_PIXELS) > 0

    # The respondent whose trace reaches the most persons: expand everything, one click at a time.
    cases = hub.post("{ myCases { caseNumber } }", token=hub.officer)["data"]["myCases"]
    case_number, report = max(
        (
            (case["caseNumber"], the_trace(hub, party["id"], case["caseNumber"]))
            for case in cases
            for party in respondents(the_case(hub, case["caseNumber"]))
            if party["kind"] == "PERSON"
        ),
        key=lambda found: len(found[1]["associates"]),
    )
    assert len(report["associates"]) > PER_EXPANSION
    page.get_by_role("link", name="← 我的案件").click()
    page.get_by_role("link", name=case_number, exact=True).click()
    expect(nodes.locator("li").first).to_be_attached()
    capped = 0
    buttons = nodes.get_by_role("button")
    for _ in range(100):
        if buttons.count() == 0:
            break
        shown_before = graph_nodes(page)
        before = set(shown_before)
        buttons.first.dispatch_event("click")
        page.wait_for_function(f"ids => ({NODE_IDS})() !== ids", arg=",".join(shown_before))
        added = [n for n in graph_nodes(page) if n not in before and not n.startswith("more:")]
        assert 1 <= len(added) <= PER_EXPANSION
        capped += any(n.startswith("more:") for n in graph_nodes(page))
    assert buttons.count() == 0, "everything shown after at most 100 expansions"
    assert capped, "some node had more links than one expansion shows (还有 N 个)"
    screenshot(page, "case-trace-graph-expanded")
    shown = nodes.inner_text()
    for person in [a["person"] for a in report["associates"]]:
        assert f"{person['name']} {person['idNumberMasked']}" in shown
    no_trouble(visit, hub)


ASSETS = """query ($subject: String!, $caseNumber: String!) {
  locateAssets(subject: $subject, caseNumber: $caseNumber) {
    totalEstimatedValue
    properties { certNumber via sharePct direct source loadedAt registeredAt }
    vehicles { vin via sharePct direct }
    accounts { accountNumber via sharePct direct balanceAsOf bankName }
    equity { uscc via sharePct direct }
  }
}"""


def the_assets(hub: Hub, subject: str, case_number: str) -> dict[str, Any]:
    variables = {"subject": subject, "caseNumber": case_number}
    report: dict[str, Any] = hub.post(ASSETS, variables, token=hub.officer)["data"]["locateAssets"]
    return report


def test_assets_show_the_controlled_company_chain_at_48_percent_and_the_total(
    hub: Hub, visit: Visit, officer: str
) -> None:
    chain = hub.manifest.scenarios.controlled_company_chain
    report = the_assets(hub, chain.respondent.id_number, chain.case_number)
    page = open_case(visit, hub, officer, chain.case_number)
    page.get_by_role("tab", name="找物").click()

    expect(page.locator("[data-test=total-value]")).to_contain_text(
        money(report["totalEstimatedValue"])
    )
    properties = page.locator("[data-test=holdings-PROPERTY]")
    row = properties.locator("tbody tr", has_text=chain.company_c_property_cert)
    expect(row).to_contain_text("间接持有")
    expect(row).to_contain_text(
        " → ".join(
            f"持股{pct}% {company.name}"
            for pct, company in zip(
                chain.chain_share_pcts,
                (chain.company_a, chain.company_b, chain.company_c),
                strict=True,
            )
        )
    )
    expect(row).to_contain_text(f"{chain.effective_share_pct}%")
    expect(row).to_contain_text("自然资源")
    account = page.locator(
        "[data-test=holdings-ACCOUNT] tbody tr", has_text=chain.company_c_account.account_number
    )
    expect(account).to_contain_text(f"{chain.effective_share_pct}%")
    expect(account).to_contain_text(money(chain.company_c_account.balance))
    expect(page.locator("[data-test=assets]")).not_to_contain_text(chain.minority_property_cert)
    for kind, key in (
        ("PROPERTY", "certNumber"),
        ("VEHICLE", "vin"),
        ("ACCOUNT", "accountNumber"),
        ("EQUITY", "uscc"),
    ):
        table = page.locator(f"[data-test=holdings-{kind}]")
        plural = {
            "PROPERTY": "properties",
            "VEHICLE": "vehicles",
            "ACCOUNT": "accounts",
            "EQUITY": "equity",
        }[kind]
        expect(table.locator("tbody tr")).to_have_count(len(report[plural]))
        for holding in report[plural]:
            expect(table).to_contain_text(holding[key])
    screenshot(page, "case-assets")
    no_trouble(visit, hub)


CREDIT = """query ($subjects: [String!]!) {
  creditCheck(subjects: $subjects) {
    subject name dishonest restricted reasons { kind caseNumber } measures { name }
  }
}"""


def test_credit_checks_every_party_of_the_case(hub: Hub, visit: Visit, officer: str) -> None:
    checked = {
        case["caseNumber"]: hub.post(
            CREDIT, {"subjects": [p["id"] for p in case["parties"]]}, token=hub.officer
        )["data"]["creditCheck"]
        for case in hub.post("{ myCases { caseNumber parties { id } } }", token=hub.officer)[
            "data"
        ]["myCases"]
    }
    case_number, results = next(
        (number, results)
        for number, results in checked.items()
        if any(r["dishonest"] for r in results) and not all(r["restricted"] for r in results)
    )
    page = open_case(visit, hub, officer, case_number)
    page.get_by_role("tab", name="信用").click()
    table = page.locator("[data-test=credit]")
    expect(table.locator("tbody tr")).to_have_count(len(results))
    for result in results:
        row = table.locator("tbody tr", has_text=result["subject"])
        expect(row).to_contain_text(result["name"])
        if result["dishonest"]:
            expect(row).to_contain_text("失信被执行人")
            for reason in result["reasons"]:
                if reason["kind"] == "LISTED":
                    expect(row).to_contain_text(f"失信被执行人 {reason['caseNumber']}")
            expect(row).to_contain_text(result["measures"][0]["name"])
        elif not result["restricted"]:
            expect(row).to_contain_text("未发现限制")
    screenshot(page, "case-credit")
    no_trouble(visit, hub)


REPORT_COLUMNS = [
    "序号", "被查询人", "财产类别", "财产标识", "财产描述", "持有方式", "登记持有人", "控制链",
    "有效持股比例", "状态", "估值/余额（元）", "来源部门", "数据日期", "登记日期",
]  # fmt: skip


def test_the_asset_search_report_exports_as_xlsx_with_every_holding(
    hub: Hub, visit: Visit, officer: str, tmp_path: Path
) -> None:
    chain = hub.manifest.scenarios.controlled_company_chain
    report = the_assets(hub, chain.respondent.id_number, chain.case_number)
    page = open_case(visit, hub, officer, chain.case_number)
    with page.expect_download() as downloading:
        page.locator("[data-test=export-xlsx]").click()
    download = downloading.value
    assert download.suggested_filename == f"财产查控报告-{chain.case_number}-{date.today()}.xlsx"
    saved = tmp_path / "report.xlsx"
    download.save_as(saved)

    rows = [list(row) for row in load_workbook(saved).active.iter_rows(values_only=True)]
    assert rows[0][0] == "财产查控报告"
    header = {row[0]: row[1] for row in rows if row and row[0] and len(row) > 1}
    assert header["案号"] == chain.case_number
    assert chain.respondent.name in header["被执行人"]
    assert header["承办人"] == f"{officer}（{hub.manifest.scenarios.officer_id}）"
    assert header["查询日期"] == date.today().isoformat()
    start = next(i for i, row in enumerate(rows) if row[:14] == REPORT_COLUMNS) + 1
    lines = [dict(zip(REPORT_COLUMNS, row, strict=False)) for row in rows[start:] if row[0]]
    lines = [line for line in lines if isinstance(line["序号"], int)]
    expected = (
        [p["certNumber"] for p in report["properties"]]
        + [v["vin"] for v in report["vehicles"]]
        + [a["accountNumber"] for a in report["accounts"]]
        + [e["uscc"] for e in report["equity"]]
    )
    assert len(lines) == len(expected)
    for identifier in expected:
        assert any(identifier in str(line["财产标识"]) for line in lines), identifier
    for line in lines:
        assert line["来源部门"] and line["来源部门"] != "—"
    c_property = next(line for line in lines if line["财产标识"] == chain.company_c_property_cert)
    assert c_property["持有方式"] == "间接持有"
    assert c_property["有效持股比例"] == f"{chain.effective_share_pct}%"
    assert chain.company_c.name in str(c_property["控制链"])
    assert c_property["来源部门"] == "自然资源"
    # 数据日期: the day the hub received the record (the holding's own loadedAt), as the PDF
    # writes it; the registration date has a column of its own.
    c_held = next(
        p for p in report["properties"] if p["certNumber"] == chain.company_c_property_cert
    )
    assert c_held["source"] == "nrb" and c_held["loadedAt"]
    assert c_property["数据日期"] == c_held["loadedAt"][:10]
    assert c_property["登记日期"] == (c_held["registeredAt"] or "—")
    account = next(a for a in report["accounts"] if a["direct"] is False)
    account_line = next(line for line in lines if account["accountNumber"] in str(line["财产标识"]))
    assert account["bankName"] in str(account_line["来源部门"])
    assert account_line["数据日期"] == account["balanceAsOf"]
    no_trouble(visit, hub)


REQUEST = """mutation ($i: ControlRequestInput!) { requestControl(input: $i) { id department } }"""
ANSWER = """mutation ($a: ControlAnswerInput!) { answerControl(input: $a) { status } }"""


def test_control_requests_of_the_case_with_status_history_and_the_measure_on_the_holding(
    hub: Hub, visit: Visit, officer: str
) -> None:
    chain = hub.manifest.scenarios.controlled_company_chain
    request = hub.post(
        REQUEST,
        {
            "i": {
                "caseNumber": chain.case_number,
                "action": "FREEZE",
                "target": {
                    "kind": "EQUITY",
                    "uscc": chain.company_a.uscc,
                    "holder": chain.respondent.id_number,
                },
                "rulingNumber": f"{chain.case_number}之一",
                "noticeNumber": chain.case_number,
            }
        },
        token=hub.officer,
    )["data"]["requestControl"]
    department = hub.token("department", "amr-clerk", request["department"])
    answered = hub.post(
        ANSWER,
        {"a": {"requestId": request["id"], "outcome": "DONE", "receiptNumber": "市监回执-1"}},
        token=department,
    )
    assert answered["data"]["answerControl"]["status"] == "DONE", answered

    page = open_case(visit, hub, officer, chain.case_number)
    page.get_by_role("tab", name="控制请求").click()
    table = page.locator("[data-test=control-requests]")
    row = table.locator("tbody tr", has_text=chain.company_a.name).first
    expect(row).to_contain_text("冻结")  # FREEZE
    expect(row).to_contain_text("股权")
    expect(row).to_contain_text("已办结")  # DONE
    expect(row).to_contain_text("生效中")  # the measure, IN_FORCE
    row.locator(".el-table__expand-icon").click()
    history = table.locator(".el-timeline")
    expect(history).to_contain_text("已发送")  # PENDING
    expect(history).to_contain_text("已办结")
    screenshot(page, "case-control")

    page.get_by_role("tab", name="提醒").click()  # the answer raised an alert for the officer
    expect(page.locator("[data-test=alerts] tbody tr").first).to_contain_text("控制请求已答复")
    screenshot(page, "case-alerts")

    page.get_by_role("tab", name="找物").click()
    equity = page.locator("[data-test=holdings-EQUITY] tbody tr", has_text=chain.company_a.uscc)
    expect(equity).to_contain_text(f"冻结（生效中）{chain.case_number}")
    no_trouble(visit, hub)
