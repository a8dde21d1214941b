"""The field parsers: the spec's three date forms, exact money, percentages, enumerations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from schema.fields import (
    Choice,
    FieldError,
    parse_day,
    parse_money,
    parse_percent,
    parse_timestamp,
)


@pytest.mark.parametrize("text", ["2024-02-29", "20240229", "2024/02/29"])
def test_dates_come_in_three_forms(text: str) -> None:
    assert parse_day(text) == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text", ["2023-02-29", "2024-2-9", "29/02/2024", "2024.02.29", "yesterday"]
)
def test_other_dates_are_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(FieldError, match="YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD"):
        parse_day(text)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2024-05-01T08:30:00+08:00", "2024-05-01T08:30:00+08:00"),
        ("2024-05-01T00:30:00Z", "2024-05-01T08:30:00+08:00"),
        ("2024-05-01 08:30:00", "2024-05-01T08:30:00+08:00"),  # no offset: China time
        ("2024-05-01T08:30:00.123+08:00", "2024-05-01T08:30:00+08:00"),
        ("20240501", "2024-05-01T00:00:00+08:00"),
    ],
)
def test_timestamps_are_stored_in_china_time_to_the_second(text: str, stored: str) -> None:
    assert parse_timestamp(text).isoformat() == stored


def test_an_xlsx_date_cell_is_a_date() -> None:
    assert parse_day(datetime(2024, 1, 2, 0, 0)) == date(2024, 1, 2)


@pytest.mark.parametrize(
    ("text", "stored"),
    [("125000.5", "125000.50"), ("0", "0.00"), ("1,250.00", "1250.00"), ("7.10", "7.10")],
)
def test_money_is_exact_with_two_decimals(text: str, stored: str) -> None:
    assert format(parse_money(text), "f") == stored


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.005", "more than 2 decimals"),
        ("-1", "negative"),
        ("abc", "not a number"),
        ("NaN", "not a number"),
    ],
)
def test_bad_money_says_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(FieldError, match=reason):
        parse_money(text)


@pytest.mark.parametrize(("text", "value"), [("50", "50"), ("33.3333", "33.3333"), ("100%", "100")])
def test_percentages(text: str, value: str) -> None:
    assert parse_percent(text) == Decimal(value)


@pytest.mark.parametrize("text", ["100.5", "-0.1", "12.34567"])
def test_percentages_out_of_range_or_too_precise_are_refused(text: str) -> None:
    with pytest.raises(FieldError):
        parse_percent(text)


def test_an_enumeration_takes_the_chinese_value_or_the_english_code() -> None:
    status = Choice(normal="正常", moved_out="迁出")

    assert [status.parse(text) for text in ("正常", "迁出", "moved_out", "NORMAL")] == [
        "normal",
        "moved_out",
        "moved_out",
        "normal",
    ]
    with pytest.raises(FieldError) as refused:
        status.parse("死亡")
    assert refused.value.reason_zh == "“死亡”不是可用的值，应为 正常、迁出（或 normal, moved_out）"
