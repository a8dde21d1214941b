"""The joint credit-punishment measure catalogue: the shipped data and its loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schema.measures import (
    APPLIES_TO,
    DEPARTMENT_KINDS,
    Measure,
    MeasureCatalogueError,
    default_catalogue_path,
    load_measures,
    measures_for,
)

CONSUMPTION_BASIS = re.compile(
    r"^法释〔2015〕17号 第三条第一款第（([一二三四五六七八九])）项、第二款$"
)

# Category -> code prefixes; the brief asks for at least one measure in each.
REQUIRED_CATEGORIES: dict[str, tuple[str, ...]] = {
    "government procurement and bidding": ("PROCUREMENT_", "BIDDING_"),
    "subsidies and government support": ("SUBSIDY_",),
    "appointment as legal representative / director": ("APPOINTMENT_",),
    "market access": ("MARKET_ACCESS_",),
    "honours": ("HONOURS_",),
    "financing": ("FINANCING_",),
    "exit restriction": ("EXIT_",),
}

VALID_ENTRY = """
[[measure]]
code = "{code}"
name = "限制出境"
department = "psb"
department_name = "公安机关出入境管理部门"
legal_basis = "《中华人民共和国民事诉讼法》第二百六十六条"
applies_to = {applies_to}
"""


def write_catalogue(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "measures.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalogue() -> tuple[Measure, ...]:
    return load_measures()


# --- the shipped catalogue ---------------------------------------------------------------


def test_default_path_is_the_schema_package_file() -> None:
    path = default_catalogue_path()
    assert path.name == "measures.toml"
    assert path.parent.name == "schema"
    assert path.is_file()


def test_shipped_catalogue_loads_with_20_to_30_measures(catalogue: tuple[Measure, ...]) -> None:
    assert 20 <= len(catalogue) <= 30
    assert all(isinstance(m, Measure) for m in catalogue)


def test_codes_are_unique_ascii_upper_snake(catalogue: tuple[Measure, ...]) -> None:
    codes = [m.code for m in catalogue]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", c) for c in codes)


def test_every_entry_is_complete(catalogue: tuple[Measure, ...]) -> None:
    for m in catalogue:
        assert m.name and m.name_en and m.department_name and m.legal_basis, m.code
        assert m.department in DEPARTMENT_KINDS, m.code
        assert m.applies_to, m.code
        assert set(m.applies_to) <= set(APPLIES_TO), m.code
        assert len(set(m.applies_to)) == len(m.applies_to), m.code


def test_exactly_nine_consumption_restrictions_of_article_3(
    catalogue: tuple[Measure, ...],
) -> None:
    citing = [m for m in catalogue if "法释〔2015〕17号" in m.legal_basis]
    assert len(citing) == 9
    items = []
    for m in citing:
        match = CONSUMPTION_BASIS.match(m.legal_basis)
        assert match, f"{m.code}: {m.legal_basis}"
        items.append(match.group(1))
        assert m.code.startswith("CONSUMPTION_")
        # Art. 3 para 2: for an entity debtor, the entity and its 法定代表人、主要负责人、
        # 影响债务履行的直接责任人员、实际控制人 are bound as well.
        assert set(m.applies_to) == {"PERSON", "ENTERPRISE", "RESPONSIBLE_PERSON"}, m.code
    assert sorted(items) == sorted("一二三四五六七八九")  # items (一) to (九), each once


def test_consumption_names_follow_article_3(catalogue: tuple[Measure, ...]) -> None:
    by_code = {m.code: m for m in catalogue}
    assert by_code["CONSUMPTION_AIR_TRAVEL"].name == (
        "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位"
    )
    assert by_code["CONSUMPTION_TRAVEL_HOLIDAY"].name == "旅游、度假"
    assert by_code["CONSUMPTION_HIGH_SPEED_RAIL"].name.startswith(
        "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位"
    )


@pytest.mark.parametrize("category", sorted(REQUIRED_CATEGORIES))
def test_each_required_category_is_present(catalogue: tuple[Measure, ...], category: str) -> None:
    prefixes = REQUIRED_CATEGORIES[category]
    assert any(m.code.startswith(prefixes) for m in catalogue), category


def test_exit_restriction_is_public_security(catalogue: tuple[Measure, ...]) -> None:
    exit_ = {m.code: m for m in catalogue}["EXIT_RESTRICTION"]
    assert exit_.department == "psb"
    assert "第二百六十六条" in exit_.legal_basis
    # A listed entity's 法定代表人 / 主要负责人 may be barred from leaving the country too.
    assert exit_.applies_to == ("PERSON", "RESPONSIBLE_PERSON")


def test_measures_for_filters_by_subject_kind(catalogue: tuple[Measure, ...]) -> None:
    responsible = measures_for(catalogue, "RESPONSIBLE_PERSON")
    assert {m.code for m in responsible} == {
        m.code for m in catalogue if m.code.startswith("CONSUMPTION_")
    } | {"EXIT_RESTRICTION"}
    persons = measures_for(catalogue, "PERSON")
    enterprises = measures_for(catalogue, "ENTERPRISE")
    assert "APPOINTMENT_COMPANY_DIRECTOR" in {m.code for m in persons}
    assert "APPOINTMENT_COMPANY_DIRECTOR" not in {m.code for m in enterprises}
    assert "FINANCING_BOND_ISSUANCE" in {m.code for m in enterprises}
    assert "FINANCING_BOND_ISSUANCE" not in {m.code for m in persons}
    # Order is the catalogue's order.
    assert [m.code for m in persons] == [m.code for m in catalogue if "PERSON" in m.applies_to]


def test_measures_for_rejects_an_unknown_kind(catalogue: tuple[Measure, ...]) -> None:
    with pytest.raises(ValueError, match="OFFICER"):
        measures_for(catalogue, "OFFICER")  # type: ignore[arg-type]


# --- the loader on broken catalogues ------------------------------------------------------


def test_a_minimal_valid_file_loads(tmp_path: Path) -> None:
    path = write_catalogue(
        tmp_path, VALID_ENTRY.format(code="EXIT_RESTRICTION", applies_to='["PERSON"]')
    )
    (measure,) = load_measures(path)
    assert measure == Measure(
        code="EXIT_RESTRICTION",
        name="限制出境",
        name_en="",
        department="psb",
        department_name="公安机关出入境管理部门",
        legal_basis="《中华人民共和国民事诉讼法》第二百六十六条",
        applies_to=("PERSON",),
    )


def test_duplicate_code_names_both_entries(tmp_path: Path) -> None:
    text = VALID_ENTRY.format(code="DUP_CODE", applies_to='["PERSON"]') * 2
    with pytest.raises(MeasureCatalogueError) as caught:
        load_measures(write_catalogue(tmp_path, text))
    message = str(caught.value)
    assert "measure #2 (DUP_CODE)" in message
    assert "measure #1 (DUP_CODE)" in message
    assert "'code'" in message
    assert caught.value.entry == "measure #2 (DUP_CODE)"
    assert caught.value.field == "code"


def test_unknown_applies_to_names_entry_and_value(tmp_path: Path) -> None:
    text = VALID_ENTRY.format(code="GOOD_ONE", applies_to='["PERSON"]') + VALID_ENTRY.format(
        code="BAD_ONE", applies_to='["PERSON", "SPOUSE"]'
    )
    with pytest.raises(MeasureCatalogueError) as caught:
        load_measures(write_catalogue(tmp_path, text))
    assert "measure #2 (BAD_ONE)" in str(caught.value)
    assert "'SPOUSE'" in str(caught.value)
    assert caught.value.field == "applies_to"


@pytest.mark.parametrize("field", ["code", "name", "department", "department_name", "legal_basis"])
def test_missing_required_field_is_named(tmp_path: Path, field: str) -> None:
    entry = VALID_ENTRY.format(code="SOME_MEASURE", applies_to='["PERSON"]')
    lines = [ln for ln in entry.splitlines() if not ln.startswith(f"{field} =")]
    with pytest.raises(MeasureCatalogueError) as caught:
        load_measures(write_catalogue(tmp_path, "\n".join(lines)))
    assert caught.value.field == field
    assert f"field '{field}': missing" in str(caught.value)
    expected_entry = "measure #1" if field == "code" else "measure #1 (SOME_MEASURE)"
    assert caught.value.entry == expected_entry
    assert expected_entry in str(caught.value)


def test_missing_applies_to_is_named(tmp_path: Path) -> None:
    entry = VALID_ENTRY.format(code="NO_SUBJECTS", applies_to="[]")
    entry = "\n".join(ln for ln in entry.splitlines() if not ln.startswith("applies_to"))
    with pytest.raises(MeasureCatalogueError, match=r"NO_SUBJECTS.*'applies_to': missing"):
        load_measures(write_catalogue(tmp_path, entry))


@pytest.mark.parametrize(
    ("applies_to", "field", "problem"),
    [
        ("[]", "applies_to", "non-empty list"),
        ('"PERSON"', "applies_to", "non-empty list"),
        ('["PERSON", "PERSON"]', "applies_to", "listed twice"),
    ],
)
def test_bad_applies_to_shapes(tmp_path: Path, applies_to: str, field: str, problem: str) -> None:
    text = VALID_ENTRY.format(code="SHAPE_TEST", applies_to=applies_to)
    with pytest.raises(MeasureCatalogueError, match=problem) as caught:
        load_measures(write_catalogue(tmp_path, text))
    assert caught.value.field == field
    assert caught.value.entry == "measure #1 (SHAPE_TEST)"


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ('department = "psb"', 'department = "police"', "department", "unknown department"),
        ('code = "X_CODE"', 'code = "x-code"', "code", "UPPER_SNAKE_CASE"),
        ('code = "X_CODE"', 'code = "出境"', "code", "UPPER_SNAKE_CASE"),
        ('name = "限制出境"', 'name = "  "', "name", "empty"),
        ('name = "限制出境"', "name = 3", "name", "must be text"),
        ('name = "限制出境"', 'name = "限制出境"\nname_zh = "x"', "name_zh", "unknown field"),
    ],
)
def test_bad_field_values(tmp_path: Path, old: str, new: str, field: str, problem: str) -> None:
    text = VALID_ENTRY.format(code="X_CODE", applies_to='["PERSON"]')
    assert old in text
    with pytest.raises(MeasureCatalogueError, match=problem) as caught:
        load_measures(write_catalogue(tmp_path, text.replace(old, new)))
    assert caught.value.field == field
    assert caught.value.entry is not None and caught.value.entry.startswith("measure #1")


def test_file_level_problems(tmp_path: Path) -> None:
    with pytest.raises(MeasureCatalogueError, match="not valid TOML"):
        load_measures(write_catalogue(tmp_path, "[[measure]\ncode = "))
    with pytest.raises(MeasureCatalogueError, match=r"no \[\[measure\]\] entries"):
        load_measures(write_catalogue(tmp_path, "# nothing here\n"))
    with pytest.raises(MeasureCatalogueError, match="unknown top-level"):
        load_measures(
            write_catalogue(
                tmp_path, 'title = "x"\n' + VALID_ENTRY.format(code="A_B", applies_to='["PERSON"]')
            )
        )
    with pytest.raises(MeasureCatalogueError, match="cannot read"):
        load_measures(tmp_path / "absent.toml")


def test_error_is_a_value_error() -> None:
    assert issubclass(MeasureCatalogueError, ValueError)
