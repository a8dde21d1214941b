"""Letters in the graph: send, read, acknowledge, reply (named queries under
hub/queries/letters/). A letter is a `Letter` node with one `LetterReceipt` per recipient;
sending writes both and the recipients' LETTER alerts in one query.

Who may do what is decided here once the letter is read; a refusal is a `Refusal` the
GraphQL layer records as DENIED.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.alerts.kinds import AlertKind
from hub.alerts.raising import Recipient, alert
from hub.letters.rules import COURT, KIND_NAMES, Found, LetterBox, LetterKind, Row, mailbox
from hub.security.principal import Principal
from hub.security.refusals import BadInput, Forbidden, NotFound
from hub.store import GraphStore
from schema.departments import Department

ALERT_TITLE_CHARS = 40  # of a letter's title, in its alert's one-line message


@dataclass(frozen=True)
class Letter:
    """A letter as checked, ready to send."""

    kind: LetterKind
    to: tuple[str, ...]
    title: str
    text: str
    case_number: str | None
    category: str | None
    reply_by: str | None


def sender_name(box: str, departments: Mapping[str, Department]) -> str:
    if box == COURT:
        return "法院"
    department = departments.get(box)
    return department.name if department is not None and department.name else box


async def case_officer(store: GraphStore, case_number: str) -> str | None:
    """The officer of `case_number`; NotFound when there is no such case."""
    rows = await store.read("letter_case", {"case_number": case_number})
    if not rows:
        raise NotFound(f"case {case_number} does not exist")
    officer: str | None = rows[0].get("officer_id")
    return officer


def _alerts(
    letter: Letter,
    letter_id: str,
    sender: str,
    officer_id: str | None,
    departments: Mapping[str, Department],
    now: datetime,
) -> list[Row]:
    """LETTER for each recipient: a department's own; for the court, the officer of the
    letter's case (none when it names no case: who at the court takes it up reads the
    court's inbox)."""
    title = letter.title[:ALERT_TITLE_CHARS]
    message = f"收到{sender_name(sender, departments)}的{KIND_NAMES[letter.kind]}：{title}"
    raised = []
    for box in letter.to:
        if box == COURT:
            if not officer_id:
                continue
            recipient = Recipient(officer_id=officer_id)
        else:
            recipient = Recipient(department=box)
        made = alert(
            AlertKind.LETTER, recipient, letter_id, None, letter.case_number or "", message, now
        )
        raised.append({**made, "case_number": letter.case_number})
    return raised


async def send(
    store: GraphStore,
    departments: Mapping[str, Department],
    principal: Principal,
    letter: Letter,
    now: datetime,
) -> Found:
    sender = mailbox(principal)
    for n, box in enumerate(letter.to):
        if box == sender:
            raise BadInput(f"input.to[{n}]", f"{box} is the sender's own mailbox")
    officer_id = None
    if letter.case_number is not None:
        officer_id = await case_officer(store, letter.case_number)
        if principal.role == "officer" and officer_id != principal.subject:
            raise Forbidden(
                f"officers write only about their own cases: case {letter.case_number} is "
                "assigned to another officer"
            )
    letter_id = uuid.uuid4().hex
    sent_at = now.isoformat()
    properties: Row = {
        "letter_id": letter_id,
        "kind": letter.kind.value,
        "sender": sender,
        "sent_by": principal.subject,
        "recipients": list(letter.to),
        "title": letter.title,
        "text": letter.text,
        "case_number": letter.case_number,
        "category": letter.category,
        "reply_by": letter.reply_by,
        "sent_at": sent_at,
    }
    receipts = [{"receipt_id": f"{letter_id}:{box}", "recipient": box} for box in letter.to]
    await store.write(
        "letter_send",
        {
            **properties,
            "receipts": receipts,
            "alerts": _alerts(letter, letter_id, sender, officer_id, departments, now),
        },
    )
    return Found(properties, [{**r, "letter_id": letter_id} for r in receipts], officer_id)


async def get(store: GraphStore, letter_id: str) -> Found:
    rows = await store.read("letter_get", {"letter_id": letter_id})
    if not rows:
        raise NotFound(f"no letter {letter_id}")
    row = rows[0]
    return Found(row["letter"], list(row["receipts"]), row.get("officer_id"))


def may_read(principal: Principal, found: Found) -> bool:
    return found.addressed_to(principal) is not None or found.sent_by(principal)


def _own_receipt(principal: Principal, found: Found, operation: str) -> Row:
    receipt = found.addressed_to(principal)
    if receipt is not None:
        return receipt
    if found.sent_by(principal):
        raise Forbidden(f"only a recipient may {operation} a letter; the caller sent this one")
    raise Forbidden(f"only a recipient may {operation} a letter; it is not addressed to the caller")


def _with(found: Found, changed: Row) -> Found:
    receipts = [changed if r["receipt_id"] == changed["receipt_id"] else r for r in found.receipts]
    return Found(found.letter, receipts, found.officer_id)


async def acknowledge(
    store: GraphStore, principal: Principal, found: Found, now: datetime
) -> Found:
    """签收: the caller's receipt acknowledged (once; again changes nothing)."""
    receipt = _own_receipt(principal, found, "acknowledge")
    rows = await store.write(
        "letter_acknowledge",
        {"receipt_id": receipt["receipt_id"], "now": now.isoformat(), "actor": principal.subject},
    )
    return _with(found, rows[0]["receipt"]) if rows else found


def _reply_alerts(
    found: Found, receipt: Row, departments: Mapping[str, Department], now: datetime
) -> list[Row]:
    """LETTER for the sender, of a reply: a department's own; the court's, for the officer
    who sent it about their case (none for a letter an admin sent: admins get no alerts).
    Each reply is its own alert (derived from the receipt), about the letter (`ref`)."""
    letter = found.letter
    sender = letter["sender"]
    if sender != COURT:
        recipient = Recipient(department=sender)
    elif letter.get("case_number") and found.officer_id == letter.get("sent_by"):
        recipient = Recipient(officer_id=found.officer_id)
    else:
        return []
    kind = KIND_NAMES[LetterKind(letter["kind"])]
    title = str(letter["title"])[:ALERT_TITLE_CHARS]
    replier = sender_name(receipt["recipient"], departments)
    message = f"{replier}回复了{kind}：{title}"
    case_number = letter.get("case_number")
    made = alert(
        AlertKind.LETTER, recipient, receipt["receipt_id"], None, case_number or "", message, now
    )
    return [{**made, "case_number": case_number, "ref": letter["letter_id"]}]


async def reply(
    store: GraphStore,
    departments: Mapping[str, Department],
    principal: Principal,
    found: Found,
    text: str,
    now: datetime,
) -> Found:
    """The caller's one reply (acknowledging the letter too), and its LETTER alert for the
    sender; a second reply is refused."""
    receipt = _own_receipt(principal, found, "reply to")
    rows = await store.write(
        "letter_reply",
        {
            "receipt_id": receipt["receipt_id"],
            "now": now.isoformat(),
            "actor": principal.subject,
            "reply": text,
            "alerts": _reply_alerts(found, receipt, departments, now),
        },
    )
    if not rows:
        when = receipt.get("replied_at") or "an earlier call"
        raise BadInput("id", f"replied to already (at {when}): one reply per recipient")
    return _with(found, rows[0]["receipt"])


async def list_box(
    store: GraphStore, principal: Principal, box: LetterBox, skip: int, limit: int
) -> list[Found]:
    """The caller's INBOX (addressed to their mailbox; an officer's: about their own cases)
    or SENT box, newest first."""
    own = mailbox(principal)
    params: dict[str, Any] = {"mailbox": own, "skip": skip, "limit": limit}
    if box is LetterBox.SENT:
        sent_by = principal.subject if principal.role == "officer" else None
        rows = await store.read("letters_sent", {**params, "sent_by": sent_by})
        found = [Found(row["letter"], list(row["receipts"])) for row in rows]
        return sorted(found, key=_newest, reverse=True)
    if principal.role == "officer":
        rows = await store.read("letters_inbox_officer", {**params, "officer": principal.subject})
        return [Found(r["letter"], [r["receipt"]], principal.subject) for r in rows]
    rows = await store.read("letters_inbox", params)
    return [Found(r["letter"], [r["receipt"]], r.get("officer_id")) for r in rows]


def _newest(found: Found) -> tuple[str, str]:
    return (str(found.letter.get("sent_at") or ""), str(found.letter["letter_id"]))
