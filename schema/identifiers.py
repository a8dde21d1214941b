"""Validation and normalisation of Chinese identifiers.

- 公民身份号码 (id_number), GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character.
- 统一社会信用代码 (uscc), GB 32100-2015: 18 characters of ``USCC_CHARSET``, mod 31 check.

Used by every connector (row validation), by the GraphQL API (argument checks and masking) and
by the synthetic-county generator. Stdlib only. The parse functions run on about a million rows
per ingest, so they use precomputed tables and C-level string methods instead of regexes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from operator import mul
from typing import Literal

__all__ = [
    "USCC_CHARSET",
    "IdNumber",
    "IdentifierError",
    "Party",
    "PartyKind",
    "birth_date_of",
    "gender_of",
    "id_check_char",
    "is_id_number",
    "is_uscc",
    "make_id_number",
    "make_uscc",
    "mask_id_number",
    "mask_phone",
    "parse_id_number",
    "parse_party",
    "parse_uscc",
    "uscc_check_char",
]


class IdentifierError(ValueError):
    """A malformed identifier, with a bilingual reason a clerk can act on."""

    reason_zh: str
    reason_en: str

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{reason_zh} / {reason_en}")
        self.reason_zh = reason_zh
        self.reason_en = reason_en

    def __reduce__(self) -> tuple[type[IdentifierError], tuple[str, str]]:
        # The default would unpickle as cls(message) and fail; connectors may validate in worker
        # processes and send these errors back to the parent.
        return (type(self), (self.reason_zh, self.reason_en))


def _empty_error() -> IdentifierError:
    return IdentifierError("为空", "empty")


def _check_char_error() -> IdentifierError:
    # Deliberately does not say what the check character should be: that would turn the
    # validator into a tool for completing guessed numbers.
    return IdentifierError("校验位错误", "check character wrong")


def _character_error(char: str, position: int, allowed_zh: str, allowed_en: str) -> IdentifierError:
    return IdentifierError(
        f"第{position}位字符“{char}”不允许，应为{allowed_zh}",
        f"character '{char}' at position {position} is not allowed; expected {allowed_en}",
    )


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit alone accepts full-width and superscript digits.
    return text.isascii() and text.isdigit()


def _is_ascii_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _require_ascii_digits(text: str) -> None:
    if _is_ascii_digits(text):
        return
    for offset, char in enumerate(text):
        if not _is_ascii_digit(char):
            raise _character_error(char, offset + 1, "数字", "a digit")


_REGION_LENGTH = 6


def _require_region(region: str) -> None:
    if len(region) != _REGION_LENGTH or not _is_ascii_digits(region):
        raise IdentifierError(
            f"行政区划代码“{region}”应为6位数字", f"region code '{region}' must be 6 digits"
        )


# --- 公民身份号码 (GB 11643-1999) -------------------------------------------------------------

_ID_LENGTH = 18
_LEGACY_ID_LENGTH = 15
_ID_BODY_LENGTH = _ID_LENGTH - 1
_BIRTH_SLICE = slice(_REGION_LENGTH, _REGION_LENGTH + 8)
_GENDER_INDEX = 16
# ISO 7064 MOD 11-2 weighs the digit k places left of the check character by 2^k. Since
# 13 = 2 (mod 11), reading the 17 digits in base 13 gives sum(digit * 13^(k-1)), which is half
# the weighted sum mod 11: one C-level int() call instead of a Python loop per row.
_ID_BASE_CONGRUENT_TO_2 = 13
# Indexed by (weighted sum of the body mod 11): the check character that makes it valid.
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)
# Every year before the one this process started in stays in the past while it runs, so only
# recent birth dates need the comparatively slow clock read.
_LATEST_YEAR_SURELY_PAST = date.today().year - 1
_MAX_SEQUENCE = 99


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A validated id_number: ``value`` is the 18-character form with an upper-case X."""

    value: str
    converted_from_15: bool


def _id_check_char_of_digits(first17: str) -> str:
    # Callers have checked that first17 is ASCII digits: int() would also accept "_", signs,
    # spaces and the letters a-c.
    weighted_sum = 2 * int(first17, _ID_BASE_CONGRUENT_TO_2)
    return _ID_CHECK_CHARS[weighted_sum % 11]


def id_check_char(first17: str) -> str:
    """Return the GB 11643-1999 (ISO 7064 MOD 11-2) check character for 17 digits."""
    if len(first17) != _ID_BODY_LENGTH:
        raise IdentifierError(
            f"本体码应为17位数字，实际为{len(first17)}位",
            f"the body must be 17 digits, got {len(first17)}",
        )
    _require_ascii_digits(first17)
    return _id_check_char_of_digits(first17)


def _require_birth_in_range(born: date, shown: str) -> None:
    if born < _EARLIEST_BIRTH:
        raise IdentifierError(f"出生日期{shown}早于1900年", f"birth date {shown} is before 1900")
    if born.year > _LATEST_YEAR_SURELY_PAST and born > date.today():
        raise IdentifierError(f"出生日期{shown}在未来", f"birth date {shown} is in the future")


def _birth_date_from_digits(yyyymmdd: str) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise IdentifierError(
            f"出生日期{yyyymmdd}不是真实日期", f"birth date {yyyymmdd} is not a real date"
        ) from None
    _require_birth_in_range(born, yyyymmdd)
    return born


def _validated_18(text: str) -> str:
    body, check = text[:_ID_BODY_LENGTH], text[_ID_BODY_LENGTH]
    _require_ascii_digits(body)
    if check == "x":
        check = "X"
    elif check != "X" and not _is_ascii_digit(check):
        raise _character_error(check, _ID_LENGTH, "数字或X", "a digit or X")
    _birth_date_from_digits(body[_BIRTH_SLICE])
    if _id_check_char_of_digits(body) != check:
        raise _check_char_error()
    return body + check


def _converted_from_15(text: str) -> str:
    _require_ascii_digits(text)
    # Legacy numbers have a 2-digit year; all were issued to people born in the 1900s.
    body = f"{text[:_REGION_LENGTH]}19{text[_REGION_LENGTH:]}"
    _birth_date_from_digits(body[_BIRTH_SLICE])
    return body + _id_check_char_of_digits(body)


def parse_id_number(raw: str) -> IdNumber:
    """Validate an 18-digit or legacy 15-digit id_number and return its 18-character form."""
    text = raw.strip()
    if len(text) == _ID_LENGTH:
        return IdNumber(_validated_18(text), converted_from_15=False)
    if len(text) == _LEGACY_ID_LENGTH:
        return IdNumber(_converted_from_15(text), converted_from_15=True)
    if not text:
        raise _empty_error()
    raise IdentifierError(
        f"长度应为18位（旧号码15位），实际为{len(text)}位",
        f"length must be 18 (15 for a legacy number), got {len(text)}",
    )


def is_id_number(raw: str) -> bool:
    """True when ``raw`` is a valid 18-digit or legacy 15-digit id_number."""
    try:
        parse_id_number(raw)
    except IdentifierError:
        return False
    return True


def birth_date_of(id_number: str) -> date:
    """Birth date encoded in a valid id_number (raises IdentifierError for an invalid one)."""
    return _birth_date_from_digits(parse_id_number(id_number).value[_BIRTH_SLICE])


def gender_of(id_number: str) -> str:
    """Gender of a valid id_number: "M" when the 17th digit is odd, else "F"."""
    return "M" if int(parse_id_number(id_number).value[_GENDER_INDEX]) % 2 else "F"


def _gender_digit(sequence: int, gender: str) -> int:
    # Spread the 17th digit over all digits of the right parity so generated data does not all
    # end alike; the sequence alone fixes digits 15-16, so (sequence, gender) stays unique.
    # Women start at 2, so the order code is never 000.
    if gender == "M":
        return 2 * (sequence % 5) + 1
    if gender == "F":
        return (2 * (sequence % 5) + 2) % 10
    raise IdentifierError(f"性别“{gender}”应为M或F", f"gender '{gender}' must be M or F")


def make_id_number(region: str, birth: date, sequence: int, gender: str) -> str:
    """Build a valid 18-character id_number (order code from ``sequence`` 0..99 and gender)."""
    _require_region(region)
    if not 0 <= sequence <= _MAX_SEQUENCE:
        raise IdentifierError(
            f"顺序号{sequence}应在0到99之间", f"sequence {sequence} must be between 0 and 99"
        )
    gender_digit = _gender_digit(sequence, gender)
    _require_birth_in_range(birth, birth.isoformat())
    body = f"{region}{birth:%Y%m%d}{sequence:02d}{gender_digit}"
    return body + _id_check_char_of_digits(body)


# --- 统一社会信用代码 (GB 32100-2015) ---------------------------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_LENGTH = 18
_USCC_BODY_LENGTH = _USCC_LENGTH - 1
_USCC_MODULUS = len(USCC_CHARSET)
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Lower-case letters map too, so parsing needs no upper-casing pass (str.upper can also change a
# string's length, e.g. for 'ß', which would shift the reported positions).
_USCC_VALUES: dict[str, int] = {char: value for value, char in enumerate(USCC_CHARSET)} | {
    char.lower(): value for value, char in enumerate(USCC_CHARSET) if char.isalpha()
}
_USCC_ALLOWED_ZH = "数字或除I、O、S、V、Z以外的大写字母"
_USCC_ALLOWED_EN = "a digit or a letter other than I, O, S, V, Z"
_NOT_ALLOWED = -1

# GB 11714-1997 organisation code, embedded as characters 9-17 of a USCC.
_ORG_BODY_LENGTH = 8
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_SERIAL_LIMIT = _USCC_MODULUS**_ORG_BODY_LENGTH


def _uscc_values(text: str) -> list[int]:
    values = [_USCC_VALUES.get(char, _NOT_ALLOWED) for char in text]
    if _NOT_ALLOWED in values:
        position = values.index(_NOT_ALLOWED)
        raise _character_error(text[position], position + 1, _USCC_ALLOWED_ZH, _USCC_ALLOWED_EN)
    return values


def _uscc_check_value(body_values: list[int]) -> int:
    weighted_sum: int = sum(map(mul, _USCC_WEIGHTS, body_values))
    # The standard's "31 - (sum mod 31)", with 31 written as 0.
    return -weighted_sum % _USCC_MODULUS


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100-2015 check character for the first 17 characters of a USCC."""
    if len(first17) != _USCC_BODY_LENGTH:
        raise IdentifierError(
            f"前17位长度错误，实际为{len(first17)}位",
            f"the first part must be 17 characters, got {len(first17)}",
        )
    return USCC_CHARSET[_uscc_check_value(_uscc_values(first17))]


def parse_uscc(raw: str) -> str:
    """Validate a USCC and return it upper-cased (surrounding whitespace removed)."""
    text = raw.strip()
    if len(text) != _USCC_LENGTH:
        if not text:
            raise _empty_error()
        raise IdentifierError(
            f"长度应为18位，实际为{len(text)}位", f"length must be 18, got {len(text)}"
        )
    values = _uscc_values(text)
    if _uscc_check_value(values[:_USCC_BODY_LENGTH]) != values[_USCC_BODY_LENGTH]:
        raise _check_char_error()
    return text.upper()


def is_uscc(raw: str) -> bool:
    """True when ``raw`` is a valid USCC (either case)."""
    try:
        parse_uscc(raw)
    except IdentifierError:
        return False
    return True


def _org_code_body(serial: int) -> str:
    # serial written in base 31 over USCC_CHARSET: a bijection onto 8-character bodies, so
    # distinct serials give distinct codes and every character is allowed in a USCC.
    chars: list[str] = []
    for _ in range(_ORG_BODY_LENGTH):
        serial, digit = divmod(serial, _USCC_MODULUS)
        chars.append(USCC_CHARSET[digit])
    return "".join(reversed(chars))


def _org_code_check_char(body: str) -> str:
    # GB 11714 values letters by alphabet position (A=10 ... Z=35): base-36 digit values.
    weighted_sum: int = sum(map(mul, _ORG_WEIGHTS, (int(char, 36) for char in body)))
    check = 11 - weighted_sum % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _require_uscc_char(char: str, name_zh: str, name_en: str) -> None:
    if len(char) != 1 or char not in USCC_CHARSET:
        raise IdentifierError(
            f"{name_zh}“{char}”应为一个{_USCC_ALLOWED_ZH}",
            f"{name_en} '{char}' must be one character: {_USCC_ALLOWED_EN}",
        )


def make_uscc(region: str, serial: int, *, registry: str = "9", kind: str = "1") -> str:
    """Build a valid USCC; its organisation code comes from ``serial`` (0 <= serial < 31**8)."""
    _require_uscc_char(registry, "登记管理部门代码", "registry code")
    _require_uscc_char(kind, "机构类别代码", "kind code")
    _require_region(region)
    if not 0 <= serial < _ORG_SERIAL_LIMIT:
        raise IdentifierError(
            f"序号{serial}应在0到{_ORG_SERIAL_LIMIT - 1}之间",
            f"serial {serial} must be between 0 and {_ORG_SERIAL_LIMIT - 1}",
        )
    org_body = _org_code_body(serial)
    first17 = f"{registry}{kind}{region}{org_body}{_org_code_check_char(org_body)}"
    return first17 + uscc_check_char(first17)


# --- Parties: a person or an enterprise -------------------------------------------------------

PartyKind = Literal["person", "enterprise"]

_PARTY_KINDS_BY_HINT: dict[str, PartyKind] = {
    "person": "person",
    "enterprise": "enterprise",
    "个人": "person",
    "自然人": "person",
    "企业": "enterprise",
    "单位": "enterprise",
}


@dataclass(frozen=True, slots=True)
class Party:
    """A validated party identifier: an id_number (person) or a USCC (enterprise)."""

    kind: PartyKind
    id: str
    converted_from_15: bool


def _kind_from_hint(type_hint: str | None) -> PartyKind | None:
    hint = (type_hint or "").strip()
    if not hint:
        return None
    kind = _PARTY_KINDS_BY_HINT.get(hint.lower())
    if kind is None:
        raise IdentifierError(
            f"类型“{hint}”无法识别，可用值：{'、'.join(_PARTY_KINDS_BY_HINT)}",
            f"unknown type '{hint}'; accepted: {', '.join(_PARTY_KINDS_BY_HINT)}",
        )
    return kind


def _person(raw: str) -> Party:
    number = parse_id_number(raw)
    return Party("person", number.value, number.converted_from_15)


def _enterprise(raw: str) -> Party:
    return Party("enterprise", parse_uscc(raw), converted_from_15=False)


def _person_as_hinted(raw: str) -> Party:
    try:
        return _person(raw)
    except IdentifierError as err:
        raise IdentifierError(
            f"类型为个人，但不是有效的公民身份号码：{err.reason_zh}",
            f"type is person but this is not a valid id_number: {err.reason_en}",
        ) from err


def _enterprise_as_hinted(raw: str) -> Party:
    try:
        return _enterprise(raw)
    except IdentifierError as err:
        raise IdentifierError(
            f"类型为企业，但不是有效的统一社会信用代码：{err.reason_zh}",
            f"type is enterprise but this is not a valid uscc: {err.reason_en}",
        ) from err


def _has_id_number_shape(text: str) -> bool:
    # Necessary for both the 18- and 15-digit forms; lets most enterprise codes skip a doomed,
    # exception-raising id_number parse, which would otherwise double their validation time.
    return len(text) in (_ID_LENGTH, _LEGACY_ID_LENGTH) and _is_ascii_digits(
        text[:_LEGACY_ID_LENGTH]
    )


def _guessed_party(raw: str) -> Party:
    if _has_id_number_shape(raw.strip()):
        with contextlib.suppress(IdentifierError):
            return _person(raw)
    with contextlib.suppress(IdentifierError):
        return _enterprise(raw)
    raise IdentifierError(
        "既不是有效的公民身份号码也不是有效的统一社会信用代码",
        "neither a valid id_number nor a valid uscc",
    )


def parse_party(raw: str, type_hint: str | None = None) -> Party:
    """Validate a party identifier; without a hint a valid id_number wins over a valid uscc."""
    kind = _kind_from_hint(type_hint)
    if kind == "person":
        return _person_as_hinted(raw)
    if kind == "enterprise":
        return _enterprise_as_hinted(raw)
    return _guessed_party(raw)


# --- Masking ---------------------------------------------------------------------------------

_MASK_CHAR = "*"
_MASK_KEEP_HEAD = 6
_MASK_KEEP_TAIL = 4
_PHONE_KEEP_DIGITS = 4
# Below this many digits the value is no phone number we know of (an extension, a fragment);
# showing four of its digits would reveal most of it.
_PHONE_MIN_DIGITS_TO_REVEAL = 7


def mask_id_number(value: str) -> str:
    """Keep the first 6 and last 4 characters, mask the rest; fully mask anything under 11."""
    masked_length = len(value) - _MASK_KEEP_HEAD - _MASK_KEEP_TAIL
    if masked_length < 1:
        return _MASK_CHAR * len(value)
    return value[:_MASK_KEEP_HEAD] + _MASK_CHAR * masked_length + value[-_MASK_KEEP_TAIL:]


def mask_phone(value: str) -> str:
    """Keep the last 4 digits and mask every other character, keeping the length."""
    digit_positions = [index for index, char in enumerate(value) if _is_ascii_digit(char)]
    if len(digit_positions) < _PHONE_MIN_DIGITS_TO_REVEAL:
        return _MASK_CHAR * len(value)
    kept = set(digit_positions[-_PHONE_KEEP_DIGITS:])
    return "".join(char if index in kept else _MASK_CHAR for index, char in enumerate(value))
