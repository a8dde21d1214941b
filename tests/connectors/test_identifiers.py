"""Tests for schema.identifiers.

Check characters are verified against reference implementations written here from the
standards' validity conditions (not their check-character formulas), so a shared mistake in a
weight table or a lookup string cannot make implementation and test agree.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schema.identifiers import (
    USCC_CHARSET,
    IdentifierError,
    IdNumber,
    Party,
    birth_date_of,
    gender_of,
    id_check_char,
    is_id_number,
    is_uscc,
    make_id_number,
    make_uscc,
    mask_id_number,
    mask_phone,
    parse_id_number,
    parse_party,
    parse_uscc,
    uscc_check_char,
)

TEXTBOOK_ID = "11010519491231002X"  # the GB 11643-1999 example
SAMPLE_USCC = "91350100M000100Y43"
DIGITS = "0123456789"

# --- Reference implementations ---------------------------------------------------------------


def reference_id_is_valid(number: str) -> bool:
    """ISO 7064 MOD 11-2 validity: sum of a_i * 2^(i-1), i counted from the right, is 1 mod 11."""
    values = [10 if char == "X" else int(char) for char in number]
    return sum(value << (17 - index) for index, value in enumerate(values)) % 11 == 1


def reference_id_check_char(first17: str) -> str:
    (check,) = [c for c in DIGITS + "X" if reference_id_is_valid(first17 + c)]
    return check


def reference_uscc_is_valid(code: str) -> bool:
    """GB 32100-2015: weights 3^(i-1) mod 31 plus the check character's value is 0 mod 31."""
    values = [USCC_CHARSET.index(char) for char in code]
    body_sum = sum(value * pow(3, index, 31) for index, value in enumerate(values[:17]))
    return (body_sum + values[17]) % 31 == 0


def reference_uscc_check_char(first17: str) -> str:
    (check,) = [c for c in USCC_CHARSET if reference_uscc_is_valid(first17 + c)]
    return check


def reference_org_code_is_valid(code: str) -> bool:
    """GB 11714-1997: letters valued A=10..Z=35, check X=10; weighted sum is 0 mod 11."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    body_sum = sum(w * int(c, 36) for w, c in zip(weights, code[:8], strict=True))
    check_value = 10 if code[8] == "X" else int(code[8])
    return (body_sum + check_value) % 11 == 0


def with_reference_check(first17: str) -> str:
    return first17 + reference_id_check_char(first17)


def reason_of(call: Callable[..., object], *args: object) -> IdentifierError:
    with pytest.raises(IdentifierError) as caught:
        call(*args)
    return caught.value


# --- Strategies ------------------------------------------------------------------------------

regions = st.text(alphabet=DIGITS, min_size=6, max_size=6)
births = st.dates(min_value=date(1900, 1, 1), max_value=date.today())
sequences = st.integers(min_value=0, max_value=99)
genders = st.sampled_from(["M", "F"])
made_id_numbers = st.builds(make_id_number, regions, births, sequences, genders)
uscc_chars = st.sampled_from(USCC_CHARSET)
serials = st.integers(min_value=0, max_value=31**8 - 1)
made_usccs = st.builds(make_uscc, regions, serials, registry=uscc_chars, kind=uscc_chars)


# --- IdentifierError -------------------------------------------------------------------------


def test_identifier_error_is_bilingual_value_error() -> None:
    err = IdentifierError("校验位错误", "check character wrong")
    assert isinstance(err, ValueError)
    assert (err.reason_zh, err.reason_en) == ("校验位错误", "check character wrong")
    assert str(err) == "校验位错误 / check character wrong"


def test_identifier_error_survives_pickling() -> None:
    restored = pickle.loads(pickle.dumps(IdentifierError("为空", "empty")))  # noqa: S301
    assert isinstance(restored, IdentifierError)
    assert (restored.reason_zh, restored.reason_en, str(restored)) == (
        "为空",
        "empty",
        "为空 / empty",
    )


# --- id_number: known examples ---------------------------------------------------------------


def test_textbook_check_char_by_hand() -> None:
    # Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2:
    # 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2; table "10X98765432"[2] = X.
    assert 167 % 11 == 2
    assert reference_id_check_char(TEXTBOOK_ID[:17]) == "X"
    assert id_check_char(TEXTBOOK_ID[:17]) == "X"


def test_textbook_number_parses_with_birth_and_gender() -> None:
    assert parse_id_number(TEXTBOOK_ID) == IdNumber(TEXTBOOK_ID, converted_from_15=False)
    assert birth_date_of(TEXTBOOK_ID) == date(1949, 12, 31)
    assert gender_of(TEXTBOOK_ID) == "F"  # 17th digit 2


@pytest.mark.parametrize(
    "raw", ["11010519491231002x", f"  {TEXTBOOK_ID}\t", f"\u3000{TEXTBOOK_ID}\n"]
)
def test_id_number_normalises_case_and_surrounding_whitespace(raw: str) -> None:
    assert parse_id_number(raw).value == TEXTBOOK_ID
    assert is_id_number(raw)


def test_legacy_textbook_number_converts() -> None:
    converted = parse_id_number("130503670401001")
    expected = with_reference_check("13050319670401001")
    assert expected == "130503196704010016"
    assert converted == IdNumber(expected, converted_from_15=True)
    assert gender_of("130503670401001") == "M"
    assert birth_date_of("130503670401001") == date(1967, 4, 1)


@pytest.mark.parametrize("first17", ["1101051949123100", "110105194912310021", "1101051949123100A"])
def test_id_check_char_rejects_non_17_digit_bodies(first17: str) -> None:
    with pytest.raises(IdentifierError):
        id_check_char(first17)


# --- id_number: rejections -------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
def test_empty_id_number(raw: str) -> None:
    assert reason_of(parse_id_number, raw).reason_en == "empty"


@pytest.mark.parametrize("raw", ["1", "1101051949123100", "11010519491231002X1", "11010519491231"])
def test_wrong_length_id_number_reports_length(raw: str) -> None:
    err = reason_of(parse_id_number, raw)
    assert "length" in err.reason_en
    assert str(len(raw)) in err.reason_en
    assert "长度" in err.reason_zh


@pytest.mark.parametrize(
    ("raw", "char", "position"),
    [
        ("1101051949123100A1", "A", 17),
        ("X10105194912310021", "X", 1),
        ("11010519491231002Y", "Y", 18),
        ("1101051949１231002X", "１", 11),  # full-width digit: isdigit() but not allowed
        ("13050367040100a", "a", 15),
    ],
)
def test_bad_id_character_is_named_with_position(raw: str, char: str, position: int) -> None:
    err = reason_of(parse_id_number, raw)
    assert f"'{char}' at position {position}" in err.reason_en
    assert f"第{position}位" in err.reason_zh
    assert char in err.reason_zh


def test_wrong_check_char_does_not_reveal_the_right_one() -> None:
    err = reason_of(parse_id_number, "110105194912310021")
    assert (err.reason_zh, err.reason_en) == ("校验位错误", "check character wrong")


@pytest.mark.parametrize("birth", ["19990230", "19991301", "19990001", "19000229", "19991232"])
def test_unreal_birth_date_fails_with_date_reason(birth: str) -> None:
    err = reason_of(parse_id_number, with_reference_check(f"220821{birth}123"))
    assert err.reason_en == f"birth date {birth} is not a real date"
    assert "出生日期" in err.reason_zh


def test_leap_day_is_a_real_date() -> None:
    assert birth_date_of(with_reference_check("22082120000229123")) == date(2000, 2, 29)


def test_birth_before_1900_fails() -> None:
    err = reason_of(parse_id_number, with_reference_check("22082118991231123"))
    assert "before 1900" in err.reason_en


def test_birth_in_the_future_fails() -> None:
    tomorrow = date.today() + timedelta(days=1)
    err = reason_of(parse_id_number, with_reference_check(f"220821{tomorrow:%Y%m%d}123"))
    assert "in the future" in err.reason_en


def test_birth_today_is_accepted() -> None:
    assert is_id_number(with_reference_check(f"220821{date.today():%Y%m%d}123"))


@pytest.mark.parametrize("legacy", ["130503670230001", "130503671301001"])
def test_legacy_number_with_unreal_date_fails(legacy: str) -> None:
    assert "not a real date" in reason_of(parse_id_number, legacy).reason_en


def test_birth_date_and_gender_of_invalid_number_raise() -> None:
    with pytest.raises(IdentifierError):
        birth_date_of("110105194912310021")
    with pytest.raises(IdentifierError):
        gender_of("not a number")


# --- id_number: properties -------------------------------------------------------------------


@given(regions, births, sequences, genders)
def test_made_id_number_round_trips(region: str, birth: date, sequence: int, gender: str) -> None:
    number = make_id_number(region, birth, sequence, gender)
    assert len(number) == 18
    assert number.startswith(region)
    assert reference_id_is_valid(number)
    assert parse_id_number(number) == IdNumber(number, converted_from_15=False)
    assert birth_date_of(number) == birth
    assert gender_of(number) == gender


@given(regions, births, sequences, sequences, genders, genders)
def test_order_code_is_unique_per_sequence_and_gender(
    region: str, birth: date, seq_a: int, seq_b: int, gender_a: str, gender_b: str
) -> None:
    number_a = make_id_number(region, birth, seq_a, gender_a)
    number_b = make_id_number(region, birth, seq_b, gender_b)
    assert (number_a == number_b) == ((seq_a, gender_a) == (seq_b, gender_b))
    assert number_a[14:17] != "000"


@given(made_id_numbers)
def test_every_single_character_corruption_of_id_number_fails(number: str) -> None:
    for position, original in enumerate(number):
        allowed = DIGITS + "X" if position == 17 else DIGITS
        for replacement in allowed.replace(original, ""):
            corrupted = number[:position] + replacement + number[position + 1 :]
            assert not is_id_number(corrupted), corrupted


@given(made_id_numbers, st.integers(min_value=0, max_value=16))
def test_x_inside_the_body_is_a_bad_character(number: str, position: int) -> None:
    corrupted = number[:position] + "X" + number[position + 1 :]
    assert f"'X' at position {position + 1}" in reason_of(parse_id_number, corrupted).reason_en


def ending_in_x(number: str) -> str | None:
    """The same number with the 17th digit chosen so the check character is X, if one is."""
    for digit in DIGITS:
        body = number[:16] + digit
        if id_check_char(body) == "X":
            return body + "X"
    return None


@given(made_id_numbers.map(ending_in_x).filter(lambda number: number is not None))
def test_lower_case_x_normalises(number: str) -> None:
    assert parse_id_number(number.lower()).value == number


@given(
    regions,
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    st.text(DIGITS, min_size=3, max_size=3),
)
def test_legacy_15_digit_number_converts(region: str, birth: date, order: str) -> None:
    legacy = f"{region}{birth:%y%m%d}{order}"
    converted = parse_id_number(legacy)
    assert converted.converted_from_15
    assert converted.value == with_reference_check(f"{region}{birth:%Y%m%d}{order}")
    assert parse_id_number(converted.value) == IdNumber(converted.value, converted_from_15=False)
    assert birth_date_of(legacy) == birth


@given(regions, st.integers(1900, 2099), st.integers(1, 12), st.integers(1, 40))
def test_unreal_dates_fail_with_date_reason(region: str, year: int, month: int, day: int) -> None:
    try:
        born: date | None = date(year, month, day)
    except ValueError:
        born = None
    number = with_reference_check(f"{region}{year:04d}{month:02d}{day:02d}123")
    if born is None:
        assert "not a real date" in reason_of(parse_id_number, number).reason_en
    else:
        assert is_id_number(number) == (born <= date.today())


# --- make_id_number: argument checks ---------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "birth", "sequence", "gender"),
    [
        ("22082", date(1990, 1, 1), 1, "M"),
        ("22082a", date(1990, 1, 1), 1, "M"),
        ("220821", date(1990, 1, 1), 100, "M"),
        ("220821", date(1990, 1, 1), -1, "F"),
        ("220821", date(1990, 1, 1), 1, "男"),
        ("220821", date(1899, 12, 31), 1, "M"),
        ("220821", date.today() + timedelta(days=1), 1, "F"),
    ],
)
def test_make_id_number_rejects_bad_arguments(
    region: str, birth: date, sequence: int, gender: str
) -> None:
    with pytest.raises(IdentifierError):
        make_id_number(region, birth, sequence, gender)


# --- uscc: known examples --------------------------------------------------------------------


def test_sample_uscc_check_char_by_hand() -> None:
    # Values 9 1 3 5 0 1 0 0 M=21 0 0 0 1 0 0 Y=30 4 with weights
    # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
    # 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640; 1640 mod 31 = 28; 31-28 = 3 -> "3".
    assert 1640 % 31 == 28
    assert reference_uscc_check_char(SAMPLE_USCC[:17]) == "3"
    assert uscc_check_char(SAMPLE_USCC[:17]) == "3"


def test_sample_uscc_organisation_code_by_hand() -> None:
    # M000100Y4: M=22*3 + 1*5 + Y=34*2 = 139; 139 mod 11 = 7; 11-7 = 4.
    assert reference_org_code_is_valid(SAMPLE_USCC[8:17])


@pytest.mark.parametrize("raw", [SAMPLE_USCC, SAMPLE_USCC.lower(), f" {SAMPLE_USCC}\u3000"])
def test_sample_uscc_parses_upper_cased(raw: str) -> None:
    assert parse_uscc(raw) == SAMPLE_USCC
    assert is_uscc(raw)


def test_make_uscc_reproduces_sample_from_its_serial() -> None:
    # Body M000100Y read as base 31 over USCC_CHARSET (M=21, Y=30).
    serial = 21 * 31**7 + 1 * 31**3 + 30
    assert make_uscc("350100", serial) == SAMPLE_USCC


@pytest.mark.parametrize(
    ("first17", "check"), [("00000000000000000", "0"), ("10000000000000000", "Y")]
)
def test_uscc_check_char_edge_values(first17: str, check: str) -> None:
    # All zeros sum to 0: 31 - 0 = 31, written "0". A leading 1 sums to 1: 31 - 1 = 30 = "Y".
    assert uscc_check_char(first17) == reference_uscc_check_char(first17)
    assert uscc_check_char(first17) == check


# --- uscc: rejections ------------------------------------------------------------------------


def test_empty_uscc() -> None:
    assert reason_of(parse_uscc, "  ").reason_en == "empty"


@pytest.mark.parametrize("raw", [SAMPLE_USCC[:17], SAMPLE_USCC + "0", "9"])
def test_wrong_length_uscc_reports_length(raw: str) -> None:
    err = reason_of(parse_uscc, raw)
    assert err.reason_en == f"length must be 18, got {len(raw)}"


def test_wrong_uscc_check_char() -> None:
    err = reason_of(parse_uscc, SAMPLE_USCC[:17] + "4")
    assert (err.reason_zh, err.reason_en) == ("校验位错误", "check character wrong")


@pytest.mark.parametrize("first17", ["1234", "9135010OM000100Y4"])
def test_uscc_check_char_rejects_bad_bodies(first17: str) -> None:
    with pytest.raises(IdentifierError):
        uscc_check_char(first17)


# --- uscc: properties ------------------------------------------------------------------------


@given(made_usccs)
def test_made_uscc_parses(code: str) -> None:
    assert parse_uscc(code) == code
    assert reference_uscc_is_valid(code)
    assert reference_org_code_is_valid(code[8:17])


@given(regions, serials, serials)
def test_distinct_serials_give_distinct_usccs(region: str, serial_a: int, serial_b: int) -> None:
    same_code = make_uscc(region, serial_a) == make_uscc(region, serial_b)
    assert same_code == (serial_a == serial_b)


@given(made_usccs)
def test_every_single_character_substitution_in_uscc_fails(code: str) -> None:
    for position, original in enumerate(code):
        for replacement in USCC_CHARSET.replace(original, ""):
            corrupted = code[:position] + replacement + code[position + 1 :]
            assert not is_uscc(corrupted), corrupted


outside_charset = st.characters(exclude_characters=USCC_CHARSET + USCC_CHARSET.lower()).filter(
    lambda char: not char.isspace()
)


@given(
    made_usccs,
    st.integers(min_value=0, max_value=17),
    st.sampled_from("IOSVZiosvz") | outside_charset,
)
def test_character_outside_charset_is_named(code: str, position: int, char: str) -> None:
    err = reason_of(parse_uscc, code[:position] + char + code[position + 1 :])
    assert f"'{char}' at position {position + 1}" in err.reason_en
    assert f"第{position + 1}位字符“{char}”" in err.reason_zh


# --- make_uscc: argument checks --------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "serial", "registry", "kind"),
    [
        ("35010", 1, "9", "1"),
        ("350100", -1, "9", "1"),
        ("350100", 31**8, "9", "1"),
        ("350100", 1, "I", "1"),
        ("350100", 1, "91", "1"),
        ("350100", 1, "9", ""),
    ],
)
def test_make_uscc_rejects_bad_arguments(
    region: str, serial: int, registry: str, kind: str
) -> None:
    with pytest.raises(IdentifierError):
        make_uscc(region, serial, registry=registry, kind=kind)


# --- parse_party -----------------------------------------------------------------------------


@pytest.mark.parametrize("hint", [None, "", "  "])
def test_party_without_hint_is_decided_by_validity(hint: str | None) -> None:
    assert parse_party(TEXTBOOK_ID.lower(), hint) == Party("person", TEXTBOOK_ID, False)
    assert parse_party("130503670401001", hint) == Party("person", "130503196704010016", True)
    assert parse_party(SAMPLE_USCC.lower(), hint) == Party("enterprise", SAMPLE_USCC, False)


@pytest.mark.parametrize("raw", ["110105194912310021", "91350100M000100Y44", "", "abc"])
def test_party_that_is_neither_is_rejected(raw: str) -> None:
    err = reason_of(parse_party, raw)
    assert err.reason_zh == "既不是有效的公民身份号码也不是有效的统一社会信用代码"
    assert err.reason_en == "neither a valid id_number nor a valid uscc"


@pytest.mark.parametrize("hint", ["person", "Person", " PERSON ", "个人", "自然人"])
def test_person_hints(hint: str) -> None:
    assert parse_party(TEXTBOOK_ID, hint) == Party("person", TEXTBOOK_ID, False)
    err = reason_of(parse_party, SAMPLE_USCC, hint)
    assert "not a valid id_number" in err.reason_en
    assert "公民身份号码" in err.reason_zh


@pytest.mark.parametrize("hint", ["enterprise", "Enterprise", "企业", "单位"])
def test_enterprise_hints(hint: str) -> None:
    assert parse_party(SAMPLE_USCC, hint) == Party("enterprise", SAMPLE_USCC, False)
    err = reason_of(parse_party, TEXTBOOK_ID, hint)
    assert "not a valid uscc" in err.reason_en
    assert "统一社会信用代码" in err.reason_zh


def test_hinted_error_keeps_the_underlying_reason() -> None:
    err = reason_of(parse_party, "110105194912310021", "person")
    assert "check character wrong" in err.reason_en


@pytest.mark.parametrize("hint", ["company", "人", "org"])
def test_unknown_hint_names_accepted_values(hint: str) -> None:
    err = reason_of(parse_party, TEXTBOOK_ID, hint)
    assert f"'{hint}'" in err.reason_en
    for accepted in ["person", "enterprise", "个人", "自然人", "企业", "单位"]:
        assert accepted in err.reason_en
        assert accepted in err.reason_zh


# --- masking ---------------------------------------------------------------------------------


def test_mask_id_number_keeps_first_six_and_last_four() -> None:
    assert mask_id_number("22082119850307123X") == "220821********123X"
    assert mask_id_number(SAMPLE_USCC) == "913501********0Y43"


@pytest.mark.parametrize(
    ("value", "masked"),
    [("", ""), ("1234567890", "**********"), ("12345678901", "123456*8901"), ("12345", "*****")],
)
def test_mask_id_number_short_values(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


@given(st.text())
def test_mask_id_number_keeps_length_and_hides_the_middle(value: str) -> None:
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    if len(value) >= 11:
        assert masked == value[:6] + "*" * (len(value) - 10) + value[-4:]
    else:
        assert set(masked) <= {"*"}


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "*******1234"),
        ("138-1234-5678", "*********5678"),
        ("0431-8888123", "********8123"),
        ("123456", "******"),
        ("", ""),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked
