"""The rules of control requests (控), each with its legal basis; pure functions, no store.

- Which action fits which target (`ACTIONS_BY_TARGET`): a SEAL of an account or a DEDUCT of
  a property makes no sense.
- How long a freeze or seal may last (`LEGAL_TERMS`, 最高人民法院关于适用《中华人民共和国民事
  诉讼法》的解释 art. 485): bank deposits 1 year, vehicles and other movables 2 years, real
  estate and equity 3 years; a renewal (续冻/续封) may add at most the same term again.
- Accounts for migrant workers' wages (农民工工资专用账户, 工资保证金) are never frozen or
  deducted (保障农民工工资支付条例 art. 33).
- How a request's status moves (`TRANSITIONS`): PENDING → RECEIVED (送达) → DONE, PARTIAL,
  NOT_DONE or RETURNED; CANCELLED by the officer while PENDING or RECEIVED.
- Money is a positive decimal in yuan with at most two decimals, never a float.

Every refusal is a `RuleBroken` naming the argument and the rule, in English and Chinese;
the GraphQL layer turns it into BAD_USER_INPUT.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final


class Action(StrEnum):
    FREEZE = "FREEZE"  # 冻结 (account, equity)
    DEDUCT = "DEDUCT"  # 扣划 (account)
    SEAL = "SEAL"  # 查封 (property, vehicle)
    RENEW = "RENEW"  # 续冻/续封 of a measure in force
    RELEASE = "RELEASE"  # 解冻/解封 of a measure in force or waiting
    LOCATE = "LOCATE"  # 查找被执行人 (公安)
    WAGE_CHECK = "WAGE_CHECK"  # 农民工工资核查 (人社)


class TargetKind(StrEnum):
    ACCOUNT = "ACCOUNT"
    PROPERTY = "PROPERTY"
    VEHICLE = "VEHICLE"
    EQUITY = "EQUITY"
    PERSON = "PERSON"
    ENTERPRISE = "ENTERPRISE"


class Status(StrEnum):
    PENDING = "PENDING"  # sent
    RECEIVED = "RECEIVED"  # 送达: the department has fetched it
    DONE = "DONE"
    PARTIAL = "PARTIAL"
    NOT_DONE = "NOT_DONE"
    RETURNED = "RETURNED"
    CANCELLED = "CANCELLED"


class Outcome(StrEnum):
    DONE = "DONE"
    PARTIAL = "PARTIAL"
    NOT_DONE = "NOT_DONE"
    RETURNED = "RETURNED"


class MeasureKind(StrEnum):
    FREEZE = "FREEZE"
    SEAL = "SEAL"


class MeasureState(StrEnum):
    IN_FORCE = "IN_FORCE"
    WAITING = "WAITING"  # 轮候
    RELEASED = "RELEASED"
    LAPSED = "LAPSED"


ACTIVE_STATES: Final = (MeasureState.IN_FORCE.value, MeasureState.WAITING.value)

ASSET_KINDS: Final = frozenset(
    {TargetKind.ACCOUNT, TargetKind.PROPERTY, TargetKind.VEHICLE, TargetKind.EQUITY}
)
ACTIONS_BY_TARGET: Final[Mapping[TargetKind, frozenset[Action]]] = {
    TargetKind.ACCOUNT: frozenset({Action.FREEZE, Action.DEDUCT, Action.RENEW, Action.RELEASE}),
    TargetKind.PROPERTY: frozenset({Action.SEAL, Action.RENEW, Action.RELEASE}),
    TargetKind.VEHICLE: frozenset({Action.SEAL, Action.RENEW, Action.RELEASE}),
    TargetKind.EQUITY: frozenset({Action.FREEZE, Action.RENEW, Action.RELEASE}),
    TargetKind.PERSON: frozenset({Action.LOCATE}),
    TargetKind.ENTERPRISE: frozenset({Action.WAGE_CHECK}),
}
# The measure an action puts on an asset when it is done.
MEASURE_OF: Final[Mapping[Action, MeasureKind]] = {
    Action.FREEZE: MeasureKind.FREEZE,
    Action.SEAL: MeasureKind.SEAL,
}
# Actions that act on a measure already on the asset, named by `measureId`.
ON_MEASURE: Final = frozenset({Action.RENEW, Action.RELEASE})
# Actions with a term (`until`).
WITH_TERM: Final = frozenset({Action.FREEZE, Action.SEAL, Action.RENEW})
# Actions that need the ruling (裁定书) and the notice (协助执行通知书).
WITHOUT_DOCUMENTS: Final = frozenset({Action.LOCATE, Action.WAGE_CHECK})

LEGAL_BASIS_TERM: Final = (
    "民诉法解释第四百八十五条 (SPC Interpretation of the Civil Procedure Law, art. 485)"
)
LEGAL_BASIS_WAGES: Final = (
    "保障农民工工资支付条例第三十三条 (Regulation on Ensuring Payment of Wages to Migrant "
    "Workers, art. 33)"
)
LEGAL_BASIS_QUEUE: Final = (
    "查扣冻规定第二十六条 (SPC Provisions on Sealing, Seizure and Freezing, art. 26)"
)
LEGAL_BASIS_LAPSE: Final = "查扣冻规定第二十七条 (art. 27)"

# Years a freeze or seal may last from the day it takes effect (民诉法解释 art. 485).
LEGAL_TERMS: Final[Mapping[TargetKind, int]] = {
    TargetKind.ACCOUNT: 1,  # 银行存款
    TargetKind.VEHICLE: 2,  # 动产
    TargetKind.PROPERTY: 3,  # 不动产
    TargetKind.EQUITY: 3,  # 其他财产权
}
TERM_NAMES: Final[Mapping[TargetKind, str]] = {
    TargetKind.ACCOUNT: "bank deposits 1 year / 银行存款一年",
    TargetKind.VEHICLE: "vehicles and other movables 2 years / 动产二年",
    TargetKind.PROPERTY: "real estate 3 years / 不动产三年",
    TargetKind.EQUITY: "equity 3 years / 其他财产权三年",
}

# account_type values (DATA-EXCHANGE.md bank.accounts) that may never be frozen or deducted.
WAGE_ACCOUNT_TYPES: Final = frozenset({"wage_special", "wage_deposit"})
WAGE_ACCOUNT_NAMES: Final = {"wage_special": "农民工工资专用账户", "wage_deposit": "工资保证金"}

MAX_AMOUNT: Final = Decimal("1e13")  # yuan: above any account or judgment
CENT: Final = Decimal("0.01")

TERMINAL: Final = frozenset(
    {Status.DONE, Status.PARTIAL, Status.NOT_DONE, Status.RETURNED, Status.CANCELLED}
)
TRANSITIONS: Final[Mapping[Status, frozenset[Status]]] = {
    Status.PENDING: frozenset(
        {Status.RECEIVED, Status.CANCELLED, *(Status(o.value) for o in Outcome)}
    ),
    Status.RECEIVED: frozenset({Status.CANCELLED, *(Status(o.value) for o in Outcome)}),
    **{status: frozenset() for status in TERMINAL},
}
ANSWERABLE: Final = (Status.PENDING.value, Status.RECEIVED.value)
CANCELLABLE: Final = ANSWERABLE


class RuleBroken(ValueError):
    """A value the rules refuse: `argument` names it, `reason` says which rule and why."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"{argument}: {reason}")
        self.argument = argument
        self.reason = reason


def check_action(action: Action, target: TargetKind, argument: str = "input.action") -> None:
    """The action fits the target kind, or `RuleBroken` naming `action`."""
    allowed = ACTIONS_BY_TARGET[target]
    if action not in allowed:
        fits = ", ".join(sorted(allowed))
        raise RuleBroken(
            argument,
            f"{action} does not apply to a target of kind {target}: a {target} takes {fits} "
            "/ 该控制措施不适用于此类财产",
        )


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def last_day(target: TargetKind, start: date) -> date:
    """The last day a freeze or seal taking effect on `start` may last (inclusive): a
    one-year freeze from 2024-03-01 ends on 2025-02-28."""
    return add_years(start, LEGAL_TERMS[target]) - timedelta(days=1)


def check_until(
    target: TargetKind, until: date | None, start: date, argument: str = "input.until"
) -> date:
    """`until`, or the legal maximum from `start` when not given; `RuleBroken` when it lies
    before `start` or beyond the legal term."""
    latest = last_day(target, start)
    if until is None:
        return latest
    if until < start:
        raise RuleBroken(argument, f"{until} is before {start}, the day the measure takes effect")
    if until > latest:
        raise RuleBroken(
            argument,
            f"{until} is beyond the legal term ({TERM_NAMES[target]}): the latest is {latest} "
            f"for a measure taking effect on {start}, {LEGAL_BASIS_TERM}",
        )
    return until


def check_renewal(
    target: TargetKind, until: date | None, current_end: date, today: date, argument: str
) -> date:
    """The new end of a renewed measure: at most one legal term after its current end, and
    asked for before that end (续冻/续封 before the term runs out)."""
    if today > current_end:
        raise RuleBroken(
            "input.measureId",
            f"the measure ended on {current_end}: a renewal must come before the end "
            f"({LEGAL_BASIS_LAPSE})",
        )
    start = current_end + timedelta(days=1)
    return check_until(target, until, start, argument)


def check_not_wage_account(account_type: str | None, action: Action) -> None:
    """Wage accounts are never frozen or deducted (保障农民工工资支付条例 art. 33)."""
    if action in (Action.FREEZE, Action.DEDUCT) and account_type in WAGE_ACCOUNT_TYPES:
        raise RuleBroken(
            "input.target",
            f"the account is a {account_type} ({WAGE_ACCOUNT_NAMES[account_type]}) account, "
            f"which may not be frozen or deducted: {LEGAL_BASIS_WAGES} / "
            f"{WAGE_ACCOUNT_NAMES[account_type]}不得冻结、扣划：保障农民工工资支付条例第三十三条",
        )


def parse_amount(argument: str, text: str) -> Decimal:
    """A positive amount in yuan, at most two decimals: "125000.50"."""
    cleaned = text.strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise RuleBroken(
            argument, f"not a decimal amount in yuan such as 125000.50: {cleaned[:20]!r}"
        ) from None
    if not amount.is_finite():
        raise RuleBroken(argument, "not a finite amount")
    if amount <= 0:
        raise RuleBroken(argument, f"must be more than 0 yuan, got {cleaned[:20]}")
    if amount != amount.quantize(CENT):
        raise RuleBroken(argument, "at most two decimals (分)")
    if amount > MAX_AMOUNT:
        raise RuleBroken(argument, f"more than {MAX_AMOUNT:,f} yuan")
    return amount.quantize(CENT)


def money(amount: Decimal) -> str:
    return format(amount.quantize(CENT), "f")


def check_transition(current: Status, wanted: Status, argument: str = "input.requestId") -> None:
    """`wanted` may follow `current`, or `RuleBroken` saying why not."""
    if wanted in TRANSITIONS[current]:
        return
    if current in (Status.DONE, Status.PARTIAL, Status.NOT_DONE, Status.RETURNED):
        raise RuleBroken(argument, f"the request was already answered ({current}): one answer only")
    if current == Status.CANCELLED:
        raise RuleBroken(argument, "the request was cancelled by the officer: it takes no answer")
    raise RuleBroken(argument, f"a request {current} cannot become {wanted}")


@dataclass(frozen=True)
class Term:
    """When a measure is in force: from the first to the last day, both included."""

    start: date
    end: date

    def lapsed(self, today: date) -> bool:
        """A measure not renewed lapses once its last day has passed (art. 27)."""
        return today > self.end
