"""The department clerk's 惩戒反馈 and 函件 in a real browser against a real hub: a measure
reported for a listed person after the console checked them (recordPunishment, then listed
from punishments), and a letter from the court signed for and answered (acknowledgeLetter,
replyLetter) that the officer then reads answered, and a 重大案件通报 sent to the court
(sendLetter) that the officer finds in their inbox. Every screen is checked for requests to
other origins and for errors (CSP violations).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.console.browsing import Visit, screenshot
from tests.console.test_case_page import no_trouble
from tests.console.test_clerk import PSB_CLERK, signed_in_clerk
from tests.graphql.conftest import Hub

CREDIT = """query ($s: [String!]!) {
  creditCheck(subjects: $s) {
    subject name dishonest reasons { kind caseNumber } measures { code name department }
  }
}"""
PUNISHMENTS = """query ($s: String) {
  punishments(subject: $s) { subject caseNumber measure { code } appliedAt }
}"""


def a_listed_person_psb_punishes(hub: Hub) -> dict[str, object]:
    with (hub.county / "psb.persons.csv").open(encoding="utf-8", newline="") as handle:
        ids = [row["id_number"] for row in csv.DictReader(handle)]
    for start in range(0, len(ids), 1000):
        answer = hub.post(CREDIT, {"s": ids[start : start + 1000]}, token=hub.department("psb"))
        for result in answer["data"]["creditCheck"]:
            listed = [r for r in result["reasons"] if r["kind"] == "LISTED" and r["caseNumber"]]
            ours = [m for m in result["measures"] if m["department"] == "psb"]
            if result["dishonest"] and listed and ours:
                return {**result, "case": listed[0]["caseNumber"], "measure": ours[0]}
    raise AssertionError("no listed person of the county that 公安 punishes")


def test_a_clerk_reports_a_measure_applied_to_a_listed_person(
    hub: Hub, visit: Visit, accounts: Callable[..., str]
) -> None:
    person = a_listed_person_psb_punishes(hub)
    clerk = accounts(PSB_CLERK, "department", "psb-clerk-1", "psb")
    page = signed_in_clerk(visit, hub, clerk)
    page.get_by_role("tab", name="惩戒反馈").click()
    page.locator("[data-test=punishment-subject]").fill(str(person["subject"]))
    page.locator("[data-test=punishment-check]").click()
    checked = page.locator("[data-test=punishment-checked]")
    expect(checked).to_contain_text("失信被执行人")
    expect(checked).to_contain_text(str(person["case"]))
    measure = person["measure"]
    assert isinstance(measure, dict)
    expect(page.locator("[data-test=punishment-measure]")).to_contain_text(measure["name"])
    screenshot(page, "clerk-punishment")
    page.locator("[data-test=punishment-send]").click()
    row = page.locator("[data-test=punishments] tbody tr", has_text=str(person["subject"])).first
    expect(row).to_contain_text(measure["name"])
    expect(row).to_contain_text(date.today().isoformat())

    stored = hub.post(PUNISHMENTS, {"s": person["subject"]}, token=hub.department("psb"))
    records = stored["data"]["punishments"]
    assert {
        "subject": person["subject"],
        "caseNumber": person["case"],
        "measure": {"code": measure["code"]},
        "appliedAt": date.today().isoformat(),
    } in records
    no_trouble(visit, hub)


SEND = """mutation ($i: LetterInput!) { sendLetter(input: $i) { id } }"""
SENT = """{
  letters(box: SENT) { edges { node { id status reply receipts { recipient status } } } }
}"""


def test_a_clerk_signs_for_and_answers_a_letter_from_the_court(
    hub: Hub, visit: Visit, accounts: Callable[..., str]
) -> None:
    case_number = hub.manifest.scenarios.shared_phone_associate.case_number
    title = f"关于{case_number}被执行人住址核查的函"
    letter = hub.post(
        SEND,
        {
            "i": {
                "kind": "OTHER",
                "to": ["psb"],
                "title": title,
                "text": "请协助核查被执行人近期居住地址，并于期限内函复。",
                "caseNumber": case_number,
                "replyBy": (date.today() + timedelta(days=10)).isoformat(),
            }
        },
        token=hub.officer,
    )["data"]["sendLetter"]
    clerk = accounts(PSB_CLERK, "department", "psb-clerk-1", "psb")
    page = signed_in_clerk(visit, hub, clerk)
    page.get_by_role("tab", name="函件").click()
    row = page.locator("[data-test=letters] tbody tr", has_text=title).first
    expect(row).to_contain_text("其他函件")  # OTHER
    expect(row).to_contain_text("法院")
    expect(row).to_contain_text("待签收")  # SENT
    row.locator("[data-test=letter-acknowledge]").click()
    expect(row).to_contain_text("已签收")  # ACKNOWLEDGED
    row.locator("[data-test=letter-reply]").click()
    page.locator("[data-test=reply-text]").fill("经核查，被执行人现居住于镇赉县城内，详见附件。")
    screenshot(page, "clerk-letters")
    page.locator("[data-test=reply-send]").click()
    expect(row).to_contain_text("已回复")  # REPLIED

    sent = hub.post(SENT, token=hub.officer)["data"]["letters"]["edges"]
    mine = next(e["node"] for e in sent if e["node"]["id"] == letter["id"])
    assert mine["status"] == "REPLIED"
    assert mine["receipts"] == [{"recipient": "psb", "status": "REPLIED"}]
    no_trouble(visit, hub)


INBOX = """{ letters(box: INBOX) { edges { node { from kind category title caseNumber } } } }"""


def test_a_clerk_notifies_the_court_of_a_major_case(
    hub: Hub, visit: Visit, accounts: Callable[..., str]
) -> None:
    case_number = hub.manifest.scenarios.shared_phone_associate.case_number
    title = f"关于{case_number}被执行人涉土地征收补偿的通报"
    clerk = accounts(PSB_CLERK, "department", "psb-clerk-1", "psb")
    page = signed_in_clerk(visit, hub, clerk)
    page.get_by_role("tab", name="函件").click()
    page.locator("[data-test=letter-write]").click()
    form = page.locator("[data-test=letter-form]")
    expect(form.locator("[data-test=letter-to]")).to_contain_text("法院")  # to the court
    form.locator("[data-test=letter-title]").fill(title)
    form.locator("[data-test=letter-text]").fill("被执行人名下土地已列入征收范围，补偿款即将发放。")
    form.locator("[data-test=letter-case]").fill(case_number)
    form.locator("[data-test=letter-send]").click()  # a 重大案件通报 needs its category
    expect(form.locator("[data-test=letter-error]")).to_contain_text("事件类别")
    form.locator("[data-test=letter-category]").click()
    page.get_by_role("option", name="土地征收").click()
    screenshot(page, "clerk-letter-write")
    form.locator("[data-test=letter-send]").click()
    expect(form).to_be_hidden()
    row = page.locator("[data-test=letters] tbody tr", has_text=title).first
    expect(row).to_contain_text("重大案件通报（土地征收）")
    expect(row).to_contain_text("待签收")

    inbox = hub.post(INBOX, token=hub.officer)["data"]["letters"]["edges"]
    assert {
        "from": "psb",
        "kind": "MAJOR_CASE_NOTICE",
        "category": "LAND_EXPROPRIATION",
        "title": title,
        "caseNumber": case_number,
    } in [e["node"] for e in inbox]
    no_trouble(visit, hub)
