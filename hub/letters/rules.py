"""What a letter is and how its status reads (API.md, "Letters"; docs/letters.md).

The court's mailbox is `court`: officers and admins send as the court and read what is
addressed to it (an officer only the letters of their own cases); a department's mailbox
is its code. Each recipient keeps a receipt of its own: its acknowledgement and its one
reply. A receipt's status is computed when read, from "now" (`hub.control.clock`), so a
letter becomes OVERDUE the day after `reply_by` without anything being written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Final

from hub.security.principal import Principal
from schema.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS

Row = dict[str, Any]

COURT: Final = "court"  # the court's mailbox: officers and admins send and read as the court
MAX_RECIPIENTS: Final = 50
MAX_TITLE_CHARS: Final = MAX_NAME_CHARS  # a title is as long as a name may be (schema.limits)
MAX_LETTER_TEXT_CHARS: Final = MAX_TEXT_CHARS  # a letter's text and a reply


class LetterKind(StrEnum):
    MAJOR_CASE_NOTICE = "MAJOR_CASE_NOTICE"  # 重大案(事)件双向通报
    WAGE_CHECK = "WAGE_CHECK"  # 农民工工资核查
    JUDICIAL_SUGGESTION = "JUDICIAL_SUGGESTION"  # 司法建议
    OTHER = "OTHER"


KIND_NAMES: Final = {
    LetterKind.MAJOR_CASE_NOTICE: "重大案(事)件通报",
    LetterKind.WAGE_CHECK: "农民工工资核查函",
    LetterKind.JUDICIAL_SUGGESTION: "司法建议",
    LetterKind.OTHER: "函",
}


class LetterCategory(StrEnum):
    """What a notice is about (重大案(事)件 by field)."""

    FINANCE = "FINANCE"  # 金融
    LAND_EXPROPRIATION = "LAND_EXPROPRIATION"  # 土地征收
    DEMOLITION = "DEMOLITION"  # 房屋拆迁
    HOUSING_SALES = "HOUSING_SALES"  # 商品房销售
    ENVIRONMENT = "ENVIRONMENT"  # 环境保护
    BUSINESS_ENVIRONMENT = "BUSINESS_ENVIRONMENT"  # 营商环境
    OTHER = "OTHER"


class LetterStatus(StrEnum):
    SENT = "SENT"
    ACKNOWLEDGED = "ACKNOWLEDGED"  # 已签收
    REPLIED = "REPLIED"  # 已回复
    OVERDUE = "OVERDUE"  # replyBy passed without a reply


class LetterBox(StrEnum):
    INBOX = "INBOX"  # addressed to the caller's mailbox
    SENT = "SENT"  # sent by the caller


def mailbox(principal: Principal) -> str:
    """The caller's mailbox: `court` for officers and admins, a department's code."""
    if principal.role == "department" and principal.department:
        return principal.department
    return COURT


def receipt_status(receipt: Row, reply_by: str | None, today: date) -> LetterStatus:
    """A recipient's status: REPLIED, else OVERDUE once `reply_by` has passed, else
    ACKNOWLEDGED or SENT."""
    if receipt.get("replied_at"):
        return LetterStatus.REPLIED
    if reply_by and today.isoformat() > reply_by:
        return LetterStatus.OVERDUE
    if receipt.get("acknowledged_at"):
        return LetterStatus.ACKNOWLEDGED
    return LetterStatus.SENT


@dataclass(frozen=True)
class Found:
    """A stored letter, its receipts, and the officer of its case (if it names one)."""

    letter: Row
    receipts: list[Row]
    officer_id: str | None = None

    def receipt_of(self, box: str) -> Row | None:
        return next((r for r in self.receipts if r.get("recipient") == box), None)

    def addressed_to(self, principal: Principal) -> Row | None:
        """The caller's receipt, when the letter is addressed to them: to their department,
        or to the court and, for an officer, about a case of theirs."""
        receipt = self.receipt_of(mailbox(principal))
        if receipt is None:
            return None
        if principal.role == "officer" and self.officer_id != principal.subject:
            return None
        return receipt

    def sent_by(self, principal: Principal) -> bool:
        """Whether the caller sent it: their department, an admin for the court, an officer
        the letters they sent themselves."""
        if self.letter.get("sender") != mailbox(principal):
            return False
        return principal.role != "officer" or self.letter.get("sent_by") == principal.subject
