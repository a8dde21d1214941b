"""The pure rules of control requests: which action fits which target, legal terms, wage
accounts, amounts and status transitions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hub.control.rules import (
    Action,
    RuleBroken,
    Status,
    TargetKind,
    check_action,
    check_not_wage_account,
    check_renewal,
    check_transition,
    check_until,
    last_day,
    parse_amount,
)


@pytest.mark.parametrize(
    ("action", "target"),
    [
        (Action.SEAL, TargetKind.ACCOUNT),
        (Action.DEDUCT, TargetKind.PROPERTY),
        (Action.DEDUCT, TargetKind.EQUITY),
        (Action.FREEZE, TargetKind.VEHICLE),
        (Action.LOCATE, TargetKind.ACCOUNT),
        (Action.WAGE_CHECK, TargetKind.PERSON),
        (Action.SEAL, TargetKind.ENTERPRISE),
    ],
)
def test_an_action_that_does_not_fit_the_target_names_action(
    action: Action, target: TargetKind
) -> None:
    with pytest.raises(RuleBroken) as refused:
        check_action(action, target)
    assert refused.value.argument == "input.action"
    assert str(target) in refused.value.reason


@pytest.mark.parametrize(
    ("action", "target"),
    [
        (Action.FREEZE, TargetKind.ACCOUNT),
        (Action.DEDUCT, TargetKind.ACCOUNT),
        (Action.SEAL, TargetKind.PROPERTY),
        (Action.SEAL, TargetKind.VEHICLE),
        (Action.FREEZE, TargetKind.EQUITY),
        (Action.RELEASE, TargetKind.PROPERTY),
        (Action.RENEW, TargetKind.ACCOUNT),
        (Action.LOCATE, TargetKind.PERSON),
        (Action.WAGE_CHECK, TargetKind.ENTERPRISE),
    ],
)
def test_an_action_that_fits_passes(action: Action, target: TargetKind) -> None:
    check_action(action, target)


@pytest.mark.parametrize(
    ("target", "start", "latest"),
    [
        (TargetKind.ACCOUNT, date(2024, 3, 1), date(2025, 2, 28)),
        (TargetKind.VEHICLE, date(2024, 3, 1), date(2026, 2, 28)),
        (TargetKind.PROPERTY, date(2024, 3, 1), date(2027, 2, 28)),
        (TargetKind.EQUITY, date(2024, 1, 10), date(2027, 1, 9)),
        (TargetKind.ACCOUNT, date(2024, 2, 29), date(2025, 2, 27)),
    ],
)
def test_legal_terms_of_art_485(target: TargetKind, start: date, latest: date) -> None:
    assert last_day(target, start) == latest
    assert check_until(target, None, start) == latest
    assert check_until(target, latest, start) == latest
    with pytest.raises(RuleBroken) as refused:
        check_until(target, date.fromordinal(latest.toordinal() + 1), start)
    assert refused.value.argument == "input.until"
    assert "485" in refused.value.reason


def test_until_before_the_start_is_refused() -> None:
    with pytest.raises(RuleBroken, match="before"):
        check_until(TargetKind.ACCOUNT, date(2024, 2, 1), date(2024, 3, 1))


def test_a_renewal_adds_at_most_one_term_after_the_current_end() -> None:
    end = date(2025, 2, 28)
    assert check_renewal(TargetKind.ACCOUNT, None, end, date(2025, 2, 1), "u") == date(2026, 2, 28)
    with pytest.raises(RuleBroken, match="485"):
        check_renewal(TargetKind.ACCOUNT, date(2026, 3, 1), end, date(2025, 2, 1), "u")
    with pytest.raises(RuleBroken) as late:
        check_renewal(TargetKind.ACCOUNT, None, end, date(2025, 3, 1), "u")
    assert late.value.argument == "input.measureId"


@pytest.mark.parametrize("account_type", ["wage_special", "wage_deposit"])
@pytest.mark.parametrize("action", [Action.FREEZE, Action.DEDUCT])
def test_wage_accounts_are_never_frozen_or_deducted(account_type: str, action: Action) -> None:
    with pytest.raises(RuleBroken) as refused:
        check_not_wage_account(account_type, action)
    assert "33" in refused.value.reason and "保障农民工工资支付条例" in refused.value.reason


def test_ordinary_accounts_and_releases_pass_the_wage_rule() -> None:
    check_not_wage_account("ordinary", Action.FREEZE)
    check_not_wage_account(None, Action.DEDUCT)
    check_not_wage_account("wage_special", Action.RELEASE)


@pytest.mark.parametrize(
    ("text", "amount"), [("125000.50", Decimal("125000.50")), (" 1 ", Decimal("1.00"))]
)
def test_amounts_are_positive_decimals(text: str, amount: Decimal) -> None:
    assert parse_amount("input.amount", text) == amount


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-5", "more than 0"),
        ("0", "more than 0"),
        ("1.001", "two decimals"),
        ("abc", "not a decimal"),
        ("1e3x", "not a decimal"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("99999999999999", "more than"),
    ],
)
def test_bad_amounts_are_refused(text: str, why: str) -> None:
    with pytest.raises(RuleBroken, match=why) as refused:
        parse_amount("input.amount", text)
    assert refused.value.argument == "input.amount"


def test_status_transitions() -> None:
    for wanted in (Status.RECEIVED, Status.DONE, Status.CANCELLED, Status.RETURNED):
        check_transition(Status.PENDING, wanted)
    for wanted in (Status.DONE, Status.PARTIAL, Status.NOT_DONE, Status.CANCELLED):
        check_transition(Status.RECEIVED, wanted)
    with pytest.raises(RuleBroken, match="already answered"):
        check_transition(Status.DONE, Status.PARTIAL)
    with pytest.raises(RuleBroken, match="cancelled"):
        check_transition(Status.CANCELLED, Status.DONE)
    with pytest.raises(RuleBroken, match="cannot become"):
        check_transition(Status.RECEIVED, Status.PENDING)
