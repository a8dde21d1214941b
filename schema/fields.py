"""Reusable field parsers for the row models: one per kind of cell in DATA-EXCHANGE.md.

Each parser is a pydantic `BeforeValidator`: it receives the raw cell (text, or a number or
date from an XLSX cell, or None), turns an empty cell into None ("value unknown", never an
empty string) and otherwise parses it or raises `FieldError` with a bilingual reason a clerk
can act on. Whether a column is required is said by the annotation itself: `str` refuses
None, `str | None` accepts it. `cell_annotation` gives the annotation of a column of a
dataset spec (schema/datasets.py) by its kind:

    cell_annotation("text", required=True)      # Annotated[str, TEXT]
    cell_annotation("date", required=False)     # Annotated[date | None, DAY]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, SkipValidation, ValidationInfo
from pydantic_core import CoreSchema, core_schema

from schema.identifiers import (
    IdentifierError,
    IdNumber,
    Party,
    parse_id_number,
    parse_party,
    parse_uscc,
)

CHINA_TZ = timezone(timedelta(hours=8), "CST")
CENTS = Decimal("0.01")
PERCENT_STEP = Decimal("0.0001")
HUNDRED = Decimal(100)
MAX_PHONE_DIGITS = 20
MIN_PHONE_DIGITS = 5


class FieldError(ValueError):
    """A cell that cannot be used, with the reason in Chinese and in English."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{reason_zh} / {reason_en}")
        self.reason_zh = reason_zh
        self.reason_en = reason_en


class ColumnError(FieldError):
    """A row-level check (across columns) that failed, blaming `column`."""

    def __init__(self, column: str, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_zh, reason_en)
        self.column = column


def _required() -> FieldError:
    return FieldError("必填，不能为空", "required; the cell is empty")


def cell_text(value: object) -> str | None:
    """The cell as stripped text; None for an empty cell (whitespace only counts as empty)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an XLSX number cell: 100.0 was typed as 100
    text = str(value).strip()
    return text or None


def _cell(parse: Callable[[str], Any]) -> BeforeValidator:
    def validate(value: object) -> Any:
        # Nearly every cell is text: that case first, without a call (a million rows...).
        text = value.strip() if type(value) is str else cell_text(value)
        return parse(text) if text else None

    return BeforeValidator(validate)


def _dated_cell(parse: Callable[[str | date], Any]) -> BeforeValidator:
    """Like `_cell`, but an XLSX date cell reaches `parse` as a date, not as text."""

    def validate(value: object) -> Any:
        if isinstance(value, date):
            return parse(value)
        text = cell_text(value)
        return None if text is None else parse(text)

    return BeforeValidator(validate)


# --- text ------------------------------------------------------------------------------------


def _address(text: str) -> str:
    # Addresses are graph keys: the same address typed with other spacing must meet.
    return " ".join(text.split())


def _phone(text: str) -> str:
    number = "".join(char for char in text if char not in " -()（）")
    digits = number.removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        raise FieldError(
            f"电话号码“{text}”只能包含数字", f"phone number '{text}' may only contain digits"
        )
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        raise FieldError(
            f"电话号码“{text}”位数不对", f"phone number '{text}' has a wrong number of digits"
        )
    return number


def _compact(text: str) -> str:
    # Numbers printed in groups ("6222 0214 8005 7666") mean the same without the spaces.
    return "".join(text.split())


def _currency(text: str) -> str:
    code = text.upper()
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        raise FieldError(
            f"币种“{text}”应为三位字母代码，如 CNY",
            f"currency '{text}' must be a 3-letter code, e.g. CNY",
        )
    return code


def _case_number(text: str) -> str:
    # Case numbers carry the year in full-width brackets, （2024）吉0821执123号; some exports
    # write ASCII ones, which must still find the same case.
    return _compact(text).replace("(", "（").replace(")", "）")


TEXT = BeforeValidator(
    lambda value: (value.strip() if type(value) is str else cell_text(value)) or None
)
ADDRESS = _cell(_address)
PHONE = _cell(_phone)
COMPACT = _cell(_compact)
CURRENCY = _cell(_currency)
CASE_NUMBER = _cell(_case_number)


# --- dates and timestamps --------------------------------------------------------------------


def _date_error(text: str) -> FieldError:
    return FieldError(
        f"日期“{text}”无法识别，应为 YYYY-MM-DD、YYYYMMDD 或 YYYY/MM/DD",
        f"date '{text}' not understood; write YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD",
    )


def parse_day(value: str | date) -> date:
    """A date written YYYY-MM-DD, YYYYMMDD or YYYY/MM/DD (or an XLSX date cell)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = value
    if len(text) == 8 and text.isascii() and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    elif len(text) == 10 and text[4] == "/" and text[7] == "/":
        text = text.replace("/", "-")
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise _date_error(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _date_error(value) from None


def parse_timestamp(value: str | date) -> datetime:
    """An ISO 8601 timestamp (a date alone means its midnight), in China Standard Time.

    Timestamps without an offset are taken as China Standard Time; all are stored with
    +08:00 to the second, so their text sorts in time order.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            try:
                moment = datetime.combine(parse_day(value), time())
            except FieldError:
                raise FieldError(
                    f"时间“{value}”无法识别，应为 ISO 8601 格式，如 2024-05-01T08:30:00+08:00",
                    f"timestamp '{value}' not understood; write ISO 8601, "
                    "e.g. 2024-05-01T08:30:00+08:00",
                ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return moment.astimezone(CHINA_TZ).replace(microsecond=0)


DAY = _dated_cell(parse_day)
TIMESTAMP = _dated_cell(parse_timestamp)


# --- numbers ---------------------------------------------------------------------------------


def _decimal(text: str, what_zh: str, what_en: str) -> Decimal:
    cleaned = text.replace(",", "").replace("，", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise FieldError(f"{what_zh}“{text}”不是数字", f"{what_en} '{text}' is not a number")
    return number


def _decimals(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_money(text: str) -> Decimal:
    """Yuan (or 万元 for capital) with up to 2 decimals, kept exact with exactly 2."""
    number = _decimal(text, "金额", "amount")
    if number < 0:
        raise FieldError(f"金额“{text}”不能为负数", f"amount '{text}' must not be negative")
    if _decimals(number.normalize()) > 2:
        raise FieldError(
            f"金额“{text}”最多保留两位小数", f"amount '{text}' has more than 2 decimals"
        )
    return number.quantize(CENTS)


def parse_percent(text: str) -> Decimal:
    """A percentage from 0 to 100 with up to 4 decimals (a trailing % is allowed)."""
    number = _decimal(text.removesuffix("%").removesuffix("％"), "百分比", "percentage")
    if not 0 <= number <= HUNDRED:
        raise FieldError(
            f"百分比“{text}”应在 0 到 100 之间", f"percentage '{text}' must be from 0 to 100"
        )
    if _decimals(number.normalize()) > 4:
        raise FieldError(
            f"百分比“{text}”最多保留四位小数", f"percentage '{text}' has more than 4 decimals"
        )
    return number.quantize(PERCENT_STEP).normalize()


def parse_area(text: str) -> Decimal:
    """An area in square metres: positive, up to 2 decimals."""
    number = _decimal(text, "面积", "area")
    if number <= 0:
        raise FieldError(f"面积“{text}”应大于 0", f"area '{text}' must be above 0")
    if _decimals(number.normalize()) > 2:
        raise FieldError(f"面积“{text}”最多保留两位小数", f"area '{text}' has more than 2 decimals")
    return number.quantize(CENTS)


MONEY = _cell(parse_money)
PERCENT = _cell(parse_percent)
AREA = _cell(parse_area)


# --- enumerations ----------------------------------------------------------------------------


class Choice:
    """An enumeration: each value accepted as its Chinese form or its English code.

    Stored as the English code. Usable as a field parser: `Annotated[str | None, Choice(...)]`.
    An open enumeration (`open_ended=True`) keeps any other value as given.
    """

    def __init__(
        self,
        aliases: Mapping[str, str] | None = None,
        *,
        open_ended: bool = False,
        **zh_by_code: str,
    ) -> None:
        self.zh_by_code: Mapping[str, str] = zh_by_code
        self.open_ended = open_ended
        self._codes: dict[str, str] = {code.lower(): code for code in zh_by_code}
        self._codes |= {zh: code for code, zh in zh_by_code.items()}
        self._codes |= dict(aliases or {})
        self.validator = _cell(self.parse)

    def parse(self, text: str) -> str:
        code = self._codes.get(text) or self._codes.get(text.lower())
        if code is None and self.open_ended:
            return text
        if code is None:
            zh = "、".join(self.zh_by_code.values())
            en = ", ".join(self.zh_by_code)
            raise FieldError(
                f"“{text}”不是可用的值，应为 {zh}（或 {en}）",
                f"'{text}' is not an accepted value; use one of {zh} (or {en})",
            )
        return code

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return self.validator.__get_pydantic_core_schema__(source, handler)


# --- identifiers -----------------------------------------------------------------------------


def _identifier(parse: Callable[[str], Any]) -> BeforeValidator:
    def validate(value: object) -> Any:
        text = cell_text(value)
        if text is None:
            raise _required()
        try:
            return parse(text)
        except IdentifierError as error:
            raise FieldError(error.reason_zh, error.reason_en) from None

    return BeforeValidator(validate)


PARTY_TYPE = Choice(
    person="个人", enterprise="企业", aliases={"自然人": "person", "单位": "enterprise"}
)


class party:  # lower case: used like the other field parsers, in annotations
    """A party column: an id_number or a uscc, decided by the row's `type_field` if given.

    `Annotated[Party, party("holder_type")]`. Declare `type_field` before the party field in
    the model, so that it is validated first.
    """

    def __init__(self, type_field: str) -> None:
        self.type_field = type_field

    def validate(self, value: object, info: ValidationInfo) -> Party:
        text = cell_text(value)
        if text is None:
            raise _required()
        try:
            return parse_party(text, info.data.get(self.type_field))
        except IdentifierError as error:
            raise FieldError(error.reason_zh, error.reason_en) from None

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> CoreSchema:
        # The parser builds the Party itself: nothing for pydantic to check after it.
        return core_schema.with_info_before_validator_function(
            self.validate, core_schema.any_schema()
        )


# --- the kinds of cell a dataset's column may be -------------------------------------------

CellKind = Literal[
    "text",  # free text, stripped
    "address",  # whitespace normalised: addresses are graph keys
    "phone",
    "compact",  # a number printed in groups: the spaces dropped
    "currency",  # a 3-letter code
    "case_number",  # （2024）吉0821执123号; ASCII brackets made full-width
    "date",
    "timestamp",
    "money",  # 元, or 万元 for capital: exact, two decimals
    "percent",
    "area",  # square metres
    "choice",  # an enumeration: its Chinese value or its English code
    "id_number",  # 公民身份号码
    "uscc",  # 统一社会信用代码
    "party",  # an id_number or a uscc, decided by the row's *_type column if given
    "party_type",  # person / enterprise (个人 / 企业)
]
CELL_KINDS: tuple[CellKind, ...] = get_args(CellKind)
# Kinds a cell must hold: an empty one is "required; the cell is empty" whatever the column.
IDENTIFIER_KINDS: frozenset[CellKind] = frozenset({"id_number", "uscc", "party"})

_CELLS: dict[CellKind, tuple[Any, Any]] = {  # kind -> (the parsed value's type, the parser)
    "text": (str, TEXT),
    "address": (str, ADDRESS),
    "phone": (str, PHONE),
    "compact": (str, COMPACT),
    "currency": (str, CURRENCY),
    "case_number": (str, CASE_NUMBER),
    "date": (date, DAY),
    "timestamp": (datetime, TIMESTAMP),
    "money": (Decimal, MONEY),
    "percent": (Decimal, PERCENT),
    "area": (Decimal, AREA),
    "party_type": (str, PARTY_TYPE),
    "id_number": (SkipValidation[IdNumber], _identifier(parse_id_number)),
    "uscc": (str, _identifier(parse_uscc)),
}


def cell_annotation(
    kind: CellKind,
    *,
    required: bool,
    choice: Choice | None = None,
    party_type: str | None = None,
) -> Any:
    """The annotation of a row model's field for a column of `kind`: the parsed value's type
    (`| None` unless required) with the parser. `choice` is the enumeration of a "choice"
    column; `party_type` names the column that decides a "party" column's kind."""
    if kind == "party":
        if party_type is None:
            raise ValueError("a party column needs the name of its *_type column")
        return Annotated[Party, party(party_type)]
    if kind == "choice":
        if choice is None:
            raise ValueError("a choice column needs its Choice")
        value_type, parser = str, choice
    else:
        value_type, parser = _CELLS[kind]
    return Annotated[value_type if required else value_type | None, parser]
