"""Argument checks run by the guard before any query: each raises BadUserInput naming the
argument and why (the identifier's own bilingual reason for a malformed idNumber or uscc)."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from connectors.identifiers import IdentifierError, Party, parse_id_number, parse_party
from hub.graphql.errors import BadUserInput

MAX_CASE_NUMBER_CHARS: Final = 64
# （2024）吉0821执123号: year in brackets (full- or half-width), court and kind, number, 号.
CASE_NUMBER: Final = re.compile(r"^[（(]\d{4}[）)]\S+号$")


def _reason(error: IdentifierError) -> str:
    return f"{error.reason_en} / {error.reason_zh}"


def id_number(argument: str, value: str) -> str:
    """An 18-character id_number (a legacy 15-digit one is converted)."""
    try:
        return parse_id_number(value).value
    except IdentifierError as error:
        raise BadUserInput(argument, f"not a valid id number: {_reason(error)}") from None


def subject(argument: str, value: str) -> Party:
    """An id_number (a person) or a uscc (an enterprise)."""
    try:
        return parse_party(value)
    except IdentifierError as error:
        raise BadUserInput(argument, _reason(error)) from None


def case_number(argument: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise BadUserInput(argument, "empty / 为空")
    if len(text) > MAX_CASE_NUMBER_CHARS or not CASE_NUMBER.match(text):
        raise BadUserInput(
            argument, "not a case number such as （2024）吉0821执123号 / 不是案号格式"
        )
    return text


def within(argument: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadUserInput(argument, f"must be between {low} and {high}, got {value}")
    return value


def text(argument: str, value: str, max_chars: int, *, required: bool = True) -> str:
    stripped = value.strip()
    if required and not stripped:
        raise BadUserInput(argument, "empty / 为空")
    if len(stripped) > max_chars:
        raise BadUserInput(argument, f"longer than {max_chars} characters")
    return stripped


def iso_date(argument: str, value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadUserInput(argument, f"not a date as YYYY-MM-DD: {value[:20]!r}") from None


def page_size(argument: str, value: int | None, default: int, maximum: int) -> int:
    """A page size: 1 to `maximum`, `default` when not given."""
    return within(argument, default if value is None else value, 1, maximum)
