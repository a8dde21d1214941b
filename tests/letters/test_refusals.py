"""What sendLetter, acknowledgeLetter, replyLetter and letters refuse, each naming the
argument or the rule, and how each is recorded in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.control.clock import CLOCK
from tests.control.conftest import CASE_A, CASE_C, OTHER_OFFICER, ControlHub
from tests.letters.conftest import (
    ACKNOWLEDGE,
    LETTERS,
    REPLY,
    acted,
    audited,
    refusal,
    send,
    sent,
)


@pytest.mark.parametrize(
    ("given", "argument", "why"),
    [
        ({"to": ["hrss", "mof"]}, "input.to[1]", "neither `court` nor a registered department"),
        ({"to": ["hrss", "hrss"]}, "input.to[1]", "named twice"),
        ({"to": []}, "input.to", "no recipient"),
        ({"title": "函" * 201}, "input.title", "longer than 200 characters"),
        ({"title": "函" * 1001}, "input.title", "1,000"),  # the value limit, before any check
        ({"title": "  "}, "input.title", "empty"),
        ({"text": "请核查\x00"}, "input.text", "NUL"),
        ({"text": "字" * 1001}, "input.text", "1,000"),
        ({"kind": "MAJOR_CASE_NOTICE"}, "input.category", "what it is about"),
        ({"replyBy": "2024-02-30"}, "input.replyBy", "not a date"),
        ({"caseNumber": "101号"}, "input.caseNumber", "not a case number"),
        ({"to": ["court"]}, "input.to[0]", "the sender's own mailbox"),
    ],
)
def test_bad_input_is_refused_naming_the_argument(
    letter_hub: ControlHub, given: dict[str, object], argument: str, why: str
) -> None:
    code, message, named = refusal(send(letter_hub, letter_hub.officer, **given))
    assert (code, named) == ("BAD_USER_INPUT", argument), message
    assert why in message


def test_a_reply_date_already_passed_is_refused(letter_hub: ControlHub) -> None:
    yesterday = (CLOCK.today() - timedelta(days=1)).isoformat()
    code, message, argument = refusal(send(letter_hub, letter_hub.officer, replyBy=yesterday))
    assert (code, argument) == ("BAD_USER_INPUT", "input.replyBy") and "has passed" in message


def test_an_officer_writes_only_about_their_own_cases(letter_hub: ControlHub) -> None:
    code, message, _ = refusal(send(letter_hub, letter_hub.officer, caseNumber=CASE_C))
    assert code == "FORBIDDEN" and "assigned to another officer" in message
    missing = send(letter_hub, letter_hub.officer, caseNumber="（2031）吉0821执99999号")
    assert refusal(missing)[0] == "NOT_FOUND"


def test_only_a_recipient_acknowledges_or_replies(letter_hub: ControlHub) -> None:
    hub = letter_hub
    token = hub.token("officer", "fy0821-001")
    letter_id = sent(hub, token, caseNumber=CASE_A)["id"]
    for who in (hub.department("icbc"), token, hub.token("officer", OTHER_OFFICER)):
        for document, variables in (
            (ACKNOWLEDGE, {"id": letter_id}),
            (REPLY, {"id": letter_id, "text": "收悉"}),
        ):
            code, message, _ = refusal(hub.post(document, variables, token=who))
            assert code == "FORBIDDEN" and "only a recipient may" in message
    # a letter to the court about case A: the other officer is no recipient of it
    notice = sent(hub, hub.department("hrss"), to=["court"], caseNumber=CASE_A)
    other = hub.token("officer", OTHER_OFFICER)
    assert refusal(hub.post(ACKNOWLEDGE, {"id": notice["id"]}, token=other))[0] == "FORBIDDEN"
    assert refusal(hub.post(ACKNOWLEDGE, {"id": "nosuchletter"}, token=other))[0] == "NOT_FOUND"


def test_a_second_reply_is_refused(letter_hub: ControlHub) -> None:
    hub, hrss = letter_hub, letter_hub.department("hrss")
    letter_id = sent(hub, hub.officer, caseNumber=CASE_A)["id"]
    first = acted(hub.post(REPLY, {"id": letter_id, "text": "已核查。"}, token=hrss), "replyLetter")
    code, message, argument = refusal(
        hub.post(REPLY, {"id": letter_id, "text": "更正。"}, token=hrss)
    )
    assert (code, argument) == ("BAD_USER_INPUT", "id") and "replied to already" in message
    assert first["repliedAt"] in message
    code, _, argument = refusal(hub.post(REPLY, {"id": letter_id, "text": " "}, token=hrss))
    assert (code, argument) == ("BAD_USER_INPUT", "text")


def test_auditors_have_no_letters(letter_hub: ControlHub) -> None:
    auditor = letter_hub.token("auditor", "jw-1")
    code, message, _ = refusal(letter_hub.post(LETTERS, {}, token=auditor))
    assert code == "FORBIDDEN" and "letters is for" in message
    code, _, _ = refusal(send(letter_hub, auditor))
    assert code == "FORBIDDEN"


def test_every_letter_operation_is_audited(letter_hub: ControlHub) -> None:
    hub = letter_hub
    officer = hub.token("officer", "fy0821-001")
    clerk = hub.token("department", "hrss-audited", "hrss")
    letter_id = sent(hub, officer, caseNumber=CASE_A)["id"]
    acted(hub.post(ACKNOWLEDGE, {"id": letter_id}, token=clerk), "acknowledgeLetter")
    acted(hub.post(REPLY, {"id": letter_id, "text": "已核查。"}, token=clerk), "replyLetter")
    refusal(hub.post(REPLY, {"id": letter_id, "text": "再复。"}, token=clerk))
    refusal(send(hub, clerk, to=["hrss", "mof"]))
    hub.post(LETTERS, {"box": "INBOX"}, token=clerk)

    events = audited(hub, actor="hrss-audited")
    seen = [(e["operation"], e["outcome"], e["caseNumber"]) for e in reversed(events)]
    assert seen == [
        ("acknowledgeLetter", "ALLOWED", CASE_A),
        ("replyLetter", "ALLOWED", CASE_A),
        ("replyLetter", "DENIED", CASE_A),
        ("sendLetter", "DENIED", None),
        ("letters", "ALLOWED", None),
    ]
    denied = [e for e in events if e["outcome"] == "DENIED"]
    assert {e["reason"].split(":")[0] for e in denied} == {"BAD_USER_INPUT"}
    [sending] = [
        e
        for e in audited(hub, actor="fy0821-001", operation="sendLetter")
        if e["outcome"] == "ALLOWED"
    ][:1]
    assert sending["caseNumber"] == CASE_A
