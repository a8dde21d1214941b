"""Letters over HTTP (API.md, "Letters"): SENT → ACKNOWLEDGED → REPLIED, OVERDUE once
replyBy has passed, each recipient seeing only its own, and the LETTER alerts."""

from __future__ import annotations

from datetime import timedelta

from hub.control.clock import CLOCK, Clock
from tests.alerts.conftest import alerts, of_kind
from tests.control.conftest import CASE_A, CASE_C, OTHER_OFFICER, ControlHub
from tests.letters.conftest import (
    ACKNOWLEDGE,
    LETTERS,
    REPLY,
    acted,
    box,
    sent,
)


def test_a_wage_check_from_the_court_is_acknowledged_and_replied(letter_hub: ControlHub) -> None:
    hub, officer, hrss = letter_hub, letter_hub.officer, letter_hub.department("hrss")
    due = (CLOCK.today() + timedelta(days=10)).isoformat()
    letter = sent(hub, officer, caseNumber=CASE_A, replyBy=due)
    assert (letter["from"], letter["to"], letter["status"]) == ("court", ["hrss"], "SENT")
    assert (letter["caseNumber"], letter["replyBy"], letter["sentBy"]) == (
        CASE_A,
        due,
        "fy0821-001",
    )
    assert letter["receipts"] == [
        {"recipient": "hrss", "acknowledgedAt": None, "repliedAt": None, "reply": None,
         "status": "SENT"}
    ]  # fmt: skip

    inbox = box(hub, hrss)
    assert (
        inbox[letter["id"]]["status"] == "SENT" and inbox[letter["id"]]["text"] == "请核查并回复。"
    )
    assert box(hub, officer, "SENT")[letter["id"]]["status"] == "SENT"

    acknowledged = acted(
        hub.post(ACKNOWLEDGE, {"id": letter["id"]}, token=hrss), "acknowledgeLetter"
    )
    assert acknowledged["status"] == "ACKNOWLEDGED" and acknowledged["acknowledgedAt"]
    again = acted(hub.post(ACKNOWLEDGE, {"id": letter["id"]}, token=hrss), "acknowledgeLetter")
    assert again["acknowledgedAt"] == acknowledged["acknowledgedAt"]  # once
    assert box(hub, officer, "SENT")[letter["id"]]["status"] == "ACKNOWLEDGED"

    reply = "经核查，该企业拖欠农民工工资12万元，涉及工人15名。"
    replied = acted(hub.post(REPLY, {"id": letter["id"], "text": reply}, token=hrss), "replyLetter")
    assert (replied["status"], replied["reply"]) == ("REPLIED", reply) and replied["repliedAt"]
    seen = box(hub, officer, "SENT")[letter["id"]]
    assert (seen["status"], seen["reply"], seen["repliedAt"]) == (
        "REPLIED",
        reply,
        replied["repliedAt"],
    )
    # the reply is the officer's LETTER alert, about the letter
    [told] = of_kind(alerts(hub, officer), "LETTER", letter["id"])
    assert told["caseNumber"] == CASE_A
    assert told["message"].endswith("回复了农民工工资核查函：" + letter["title"])
    # the court's inbox does not hold what the court sent; hrss's SENT box neither
    assert letter["id"] not in box(hub, officer) and letter["id"] not in box(hub, hrss, "SENT")


def test_a_department_notice_reaches_the_officer_of_its_case_only(letter_hub: ControlHub) -> None:
    hub = letter_hub
    other = hub.token("officer", OTHER_OFFICER)
    notice = sent(
        hub,
        hub.department("nrb"),
        kind="MAJOR_CASE_NOTICE",
        to=["court"],
        caseNumber=CASE_A,
        category="LAND_EXPROPRIATION",
        title="关于镇赉镇某村土地征收补偿款发放的通报",
    )
    assert (notice["from"], notice["category"]) == ("nrb", "LAND_EXPROPRIATION")
    assert notice["id"] in box(hub, hub.officer)
    assert notice["id"] in box(hub, hub.token("admin", "ops-letters"))
    assert notice["id"] not in box(hub, other)
    assert notice["id"] in box(hub, hub.department("nrb"), "SENT")
    assert notice["id"] not in box(hub, hub.department("psb"))

    [raised] = of_kind(alerts(hub, hub.officer), "LETTER", notice["id"])
    assert raised["caseNumber"] == CASE_A
    assert (
        raised["message"]
        == "收到自然资源局的重大案(事)件通报：关于镇赉镇某村土地征收补偿款发放的通报"
    )
    assert of_kind(alerts(hub, other), "LETTER") == []

    acknowledged = acted(
        hub.post(ACKNOWLEDGE, {"id": notice["id"]}, token=hub.officer), "acknowledgeLetter"
    )
    assert acknowledged["status"] == "ACKNOWLEDGED"


def test_a_letter_to_the_court_about_no_case_alerts_no_officer(letter_hub: ControlHub) -> None:
    hub = letter_hub
    before = of_kind(alerts(hub, hub.officer), "LETTER")
    notice = sent(hub, hub.department("amr"), kind="OTHER", to=["court"], title="关于联动机制的函")
    assert notice["id"] in box(hub, hub.token("admin", "ops-letters"))
    assert notice["id"] not in box(hub, hub.officer)
    assert of_kind(alerts(hub, hub.officer), "LETTER") == before


def test_each_department_sees_its_own_receipt_and_the_sender_all(letter_hub: ControlHub) -> None:
    hub, icbc, ccb = letter_hub, letter_hub.department("icbc"), letter_hub.department("ccb")
    admin = hub.token("admin", "ops-letters")
    letter = sent(
        hub,
        admin,
        kind="JUDICIAL_SUGGESTION",
        to=["icbc", "ccb"],
        title="关于规范协助执行工作的司法建议",
    )
    assert [r["recipient"] for r in letter["receipts"]] == ["icbc", "ccb"]
    for token, code in ((icbc, "icbc"), (ccb, "ccb")):
        [receipt] = box(hub, token)[letter["id"]]["receipts"]
        assert receipt["recipient"] == code
        [raised] = of_kind(alerts(hub, token), "LETTER", letter["id"])
        assert raised["caseNumber"] is None and "司法建议" in raised["message"]

    replied = acted(
        hub.post(REPLY, {"id": letter["id"], "text": "已整改。"}, token=icbc), "replyLetter"
    )
    assert [r["recipient"] for r in replied["receipts"]] == ["icbc"]  # not ccb's
    seen = box(hub, admin, "SENT")[letter["id"]]
    assert seen["status"] == "SENT" and seen["reply"] is None
    assert {r["recipient"]: r["status"] for r in seen["receipts"]} == {
        "icbc": "REPLIED",
        "ccb": "SENT",
    }
    assert box(hub, ccb)[letter["id"]]["status"] == "SENT"  # icbc's reply is not ccb's
    acted(hub.post(REPLY, {"id": letter["id"], "text": "收悉。"}, token=ccb), "replyLetter")
    assert box(hub, admin, "SENT")[letter["id"]]["status"] == "REPLIED"


def test_a_letter_not_replied_by_its_date_is_overdue(
    letter_hub: ControlHub, moved_clock: Clock
) -> None:
    hub, hrss = letter_hub, letter_hub.department("hrss")
    due = moved_clock.today() + timedelta(days=3)
    letter = sent(hub, hub.officer, caseNumber=CASE_A, replyBy=due.isoformat())
    moved_clock.offset = timedelta(days=3)  # the last day: not yet
    assert box(hub, hrss)[letter["id"]]["status"] == "SENT"
    moved_clock.offset = timedelta(days=4)
    assert box(hub, hrss)[letter["id"]]["status"] == "OVERDUE"
    assert box(hub, hub.officer, "SENT")[letter["id"]]["status"] == "OVERDUE"
    acted(hub.post(ACKNOWLEDGE, {"id": letter["id"]}, token=hrss), "acknowledgeLetter")
    assert box(hub, hrss)[letter["id"]]["status"] == "OVERDUE"  # acknowledged, still no reply
    late = acted(hub.post(REPLY, {"id": letter["id"], "text": "迟复。"}, token=hrss), "replyLetter")
    assert late["status"] == "REPLIED"


def test_letters_page_with_a_cursor(letter_hub: ControlHub) -> None:
    hub = letter_hub
    token = hub.token("officer", OTHER_OFFICER)
    made = [sent(hub, token, caseNumber=CASE_C, to=["psb"])["id"] for _ in range(3)]
    ids: list[str] = []
    after = None
    while True:
        answer = hub.post(LETTERS, {"box": "SENT", "first": 2, "after": after}, token=token)
        page = answer["data"]["letters"]
        ids += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert ids[:3] == made[::-1]  # newest first
    assert len(ids) == len(set(ids))


def test_each_reply_alerts_the_sending_department(letter_hub: ControlHub) -> None:
    hub, amr = letter_hub, letter_hub.department("amr")
    letter = sent(hub, amr, kind="OTHER", to=["icbc", "ccb"], title="关于协查企业账户的函")
    assert of_kind(alerts(hub, amr), "LETTER", letter["id"]) == []
    for code in ("icbc", "ccb"):
        token = hub.department(code)
        acted(hub.post(REPLY, {"id": letter["id"], "text": "已协查。"}, token=token), "replyLetter")
        hub.post(REPLY, {"id": letter["id"], "text": "再复。"}, token=token)  # refused
    told = of_kind(alerts(hub, amr), "LETTER", letter["id"])
    assert len(told) == 2, told
    assert {t["caseNumber"] for t in told} == {None}
    assert all(t["message"].endswith("回复了函：关于协查企业账户的函") for t in told)


def test_the_inbox_is_the_default_box(letter_hub: ControlHub) -> None:
    hub, psb = letter_hub, letter_hub.department("psb")
    letter_id = sent(hub, hub.officer, caseNumber=CASE_A, to=["psb"])["id"]
    for variables in ({}, {"box": None}):
        answer = hub.post(LETTERS, variables, token=psb)
        assert "errors" not in answer, answer
        assert letter_id in {e["node"]["id"] for e in answer["data"]["letters"]["edges"]}
