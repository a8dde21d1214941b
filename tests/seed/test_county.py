"""Tests for the synthetic county generator (seed/).

The files' columns are the specs' (schema/datasets.py, tested against every consumer in
tests/connectors/test_specs.py). The required columns, keys and enumerations are written
out here again from DATA-EXCHANGE.md rather than imported, so a slip in the specs or the
generator's tables cannot make generator and test agree.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from schema.datasets import DATASETS_IN_LOAD_ORDER, SPECS
from schema.identifiers import is_uscc, parse_id_number, parse_party, parse_uscc
from seed.county import MIN_PERSONS, CountyManifest, generate_county

Row = dict[str, str | None]

SMALL = 500
SEED = 7


REQUIRED: dict[str, list[str]] = {
    "psb.persons": ["id_number", "name"],
    "psb.relations": ["id_number", "relative_id_number", "relation"],
    "psb.vehicles": ["plate_number", "vin", "owner_id"],
    "amr.enterprises": ["uscc", "name", "legal_rep_id"],
    "amr.shareholders": ["uscc", "holder_id", "share_pct"],
    "amr.executives": ["uscc", "id_number"],
    "bank.accounts": ["bank_code", "account_number", "holder_id", "balance", "balance_as_of"],
    "nrb.properties": ["cert_number", "owner_id", "address"],
    "court.cases": ["case_number", "court", "filed_at", "amount", "officer_id"],
    "court.parties": ["case_number", "party_id", "role"],
    "court.dishonest": ["case_number", "subject_id", "listed_at"],
}
KEYS: dict[str, list[str]] = {
    "psb.persons": ["id_number"],
    "psb.relations": ["id_number", "relative_id_number", "relation"],
    "psb.vehicles": ["vin"],
    "amr.enterprises": ["uscc"],
    "amr.shareholders": ["uscc", "holder_id"],
    "amr.executives": ["uscc", "id_number", "title"],
    "bank.accounts": ["bank_code", "account_number"],
    "nrb.properties": ["cert_number", "owner_id"],
    "court.cases": ["case_number"],
    "court.parties": ["case_number", "party_id", "role"],
    "court.dishonest": ["case_number", "subject_id"],
}


def _enum(pairs: str) -> dict[str, str]:
    """Map either form of each pair to its code: "男 M / 女 F" -> {"男": "M", "M": "M", ...}."""
    mapping: dict[str, str] = {}
    for pair in pairs.split(" / "):
        chinese, code = pair.split(" ")
        mapping[chinese] = mapping[code] = code
    return mapping


ASSET_STATUS = _enum("正常 normal / 抵押 mortgaged / 查封 sealed")
ENUMS: dict[tuple[str, str], dict[str, str]] = {
    ("psb.persons", "gender"): _enum("男 M / 女 F"),
    ("psb.persons", "status"): _enum("正常 normal / 死亡 deceased / 迁出 moved_out"),
    ("psb.relations", "relation"): _enum(
        "配偶 spouse / 父母 parent / 子女 child / 兄弟姐妹 sibling / 其他 other"
    ),
    ("psb.vehicles", "status"): ASSET_STATUS | _enum("注销 cancelled"),
    ("amr.enterprises", "status"): _enum("存续 active / 吊销 revoked / 注销 cancelled"),
    ("amr.executives", "title"): _enum(
        "董事长 chairman / 董事 director / 监事 supervisor / 经理 manager / 财务负责人 cfo / "
        "实际控制人 actual_controller"
    ),
    ("bank.accounts", "status"): _enum("正常 normal / 冻结 frozen / 销户 closed"),
    ("nrb.properties", "use"): _enum(
        "住宅 residential / 商业 commercial / 工业 industrial / 其他 other"
    ),
    ("nrb.properties", "status"): ASSET_STATUS,
    ("court.cases", "case_type"): _enum(
        "执行实施 enforcement / 破产 bankruptcy / 行政 administrative"
    ),
    ("court.cases", "status"): _enum("执行中 open / 终结本次执行 suspended / 执行完毕 closed"),
    ("court.parties", "role"): _enum("申请执行人 applicant / 被执行人 respondent"),
}
PERSON_COLUMNS = [
    ("psb.persons", "id_number"),
    ("psb.relations", "id_number"),
    ("psb.relations", "relative_id_number"),
    ("amr.enterprises", "legal_rep_id"),
    ("amr.executives", "id_number"),
]
USCC_COLUMNS = [
    ("amr.enterprises", "uscc"),
    ("amr.shareholders", "uscc"),
    ("amr.executives", "uscc"),
]
PARTY_COLUMNS = [  # (dataset, id column, optional type column)
    ("psb.vehicles", "owner_id", None),
    ("amr.shareholders", "holder_id", "holder_type"),
    ("bank.accounts", "holder_id", "holder_type"),
    ("nrb.properties", "owner_id", "owner_type"),
    ("court.parties", "party_id", "party_type"),
    ("court.dishonest", "subject_id", "subject_type"),
]
DATE_COLUMNS = [
    ("psb.persons", "birth_date"),
    ("psb.vehicles", "registered_at"),
    ("amr.enterprises", "established_date"),
    ("bank.accounts", "balance_as_of"),
    ("bank.accounts", "opened_at"),
    ("nrb.properties", "registered_at"),
    ("court.cases", "filed_at"),
    ("court.dishonest", "listed_at"),
    ("court.dishonest", "removed_at"),
]
TIMESTAMP_COLUMNS = [("psb.persons", "updated_at"), ("amr.enterprises", "updated_at")]
DECIMAL_COLUMNS = [  # money in 元 or capital in 万元: up to two decimals
    ("bank.accounts", "balance"),
    ("nrb.properties", "estimated_value"),
    ("nrb.properties", "area_m2"),
    ("court.cases", "amount"),
    ("court.cases", "outstanding_amount"),
    ("amr.enterprises", "registered_capital"),
    ("amr.shareholders", "subscribed_capital"),
    ("amr.shareholders", "paid_capital"),
]
PERCENT_COLUMNS = [("amr.shareholders", "share_pct"), ("nrb.properties", "share_pct")]
TWO_DECIMALS = re.compile(r"\d+(\.\d{1,2})?")
FOUR_DECIMALS = re.compile(r"\d+(\.\d{1,4})?")
MOBILE = re.compile(r"1[3-9]\d{9}")
CASE_NUMBER = re.compile(r"（20\d\d）吉0821(执|破)\d+号")


# --- reading the files ---------------------------------------------------------------------


def read_csv(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        rows = [
            {key: cell or None for key, cell in zip(header, line, strict=True)} for line in reader
        ]
    return header, rows


def read_jsonl(path: Path) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8") as file:
        for line in file:
            record = json.loads(line)
            rows.append({key: value or None for key, value in record.items()})
    return rows


def read_xlsx(path: Path) -> tuple[list[str], list[Row]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheet = workbook.worksheets[0]
    lines = [[cell for cell in line] for line in sheet.iter_rows(values_only=True)]
    workbook.close()
    header = [str(cell) for cell in lines[0]]
    rows = [
        {
            key: None if cell in (None, "") else str(cell)
            for key, cell in zip(header, line, strict=True)
        }
        for line in lines[1:]
    ]
    return header, rows


@dataclass(frozen=True)
class County:
    out_dir: Path
    manifest: CountyManifest
    headers: dict[str, list[str]]
    tables: dict[str, list[Row]]
    progress: list[tuple[str, int]]

    def rows(self, dataset: str, **equal: str) -> list[Row]:
        return [row for row in self.tables[dataset] if all(row[k] == v for k, v in equal.items())]

    def values(self, dataset: str, column: str) -> Iterable[str]:
        return (value for row in self.tables[dataset] if (value := row[column]) is not None)


def load_county(out_dir: Path, manifest: CountyManifest, progress: list[tuple[str, int]]) -> County:
    headers: dict[str, list[str]] = {}
    tables: dict[str, list[Row]] = {}
    for dataset in DATASETS_IN_LOAD_ORDER:
        headers[dataset], tables[dataset] = read_csv(out_dir / f"{dataset}.csv")
    return County(out_dir, manifest, headers, tables, progress)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    out_dir = tmp_path_factory.mktemp("county")
    calls: list[tuple[str, int]] = []
    manifest = generate_county(
        out_dir, SMALL, seed=SEED, progress=lambda dataset, rows: calls.append((dataset, rows))
    )
    return load_county(out_dir, manifest, calls)


def person(raw: str) -> str:
    return parse_id_number(raw).value


def party(raw: str, kind: str | None = None) -> str:
    return parse_party(raw, kind).id


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_and_size_give_byte_identical_files(
    county: County, tmp_path_factory: pytest.TempPathFactory
) -> None:
    again = tmp_path_factory.mktemp("again")
    generate_county(again, SMALL, seed=SEED)
    names = sorted(path.name for path in county.out_dir.iterdir())
    assert names == sorted(path.name for path in again.iterdir())
    for name in names:
        assert (county.out_dir / name).read_bytes() == (again / name).read_bytes(), name


def test_another_seed_gives_another_county(county: County, tmp_path: Path) -> None:
    generate_county(tmp_path, SMALL, seed=SEED + 1)
    for dataset in ("psb.persons", "bank.accounts", "amr.enterprises"):
        assert (tmp_path / f"{dataset}.csv").read_bytes() != (
            county.out_dir / f"{dataset}.csv"
        ).read_bytes()


# --- files and columns ---------------------------------------------------------------------


def test_one_file_per_dataset_plus_manifest(county: County) -> None:
    expected = {f"{dataset}.csv" for dataset in SPECS} | {"manifest.json"}
    assert {path.name for path in county.out_dir.iterdir()} == expected
    assert list(DATASETS_IN_LOAD_ORDER) == list(SPECS)


def test_the_specs_require_and_key_what_data_exchange_says() -> None:
    assert {name: list(spec.required) for name, spec in SPECS.items()} == REQUIRED
    assert {name: list(spec.key) for name, spec in SPECS.items()} == KEYS
    for (dataset, column), accepted in ENUMS.items():
        choice = SPECS[dataset].column(column).choice
        assert choice is not None, (dataset, column)
        assert {choice.parse(value) for value in accepted} == set(choice.zh_by_code)
        assert set(choice.zh_by_code) == set(accepted.values()), (dataset, column)


def test_headers_are_exactly_the_spec_columns(county: County) -> None:
    for dataset, spec in SPECS.items():
        columns = spec.file_columns
        header = county.headers[dataset]
        assert len(header) == len(set(header)), dataset
        assert set(header) == set(columns), dataset


def test_csv_is_utf8_without_bom(county: County) -> None:
    for dataset in SPECS:
        raw = (county.out_dir / f"{dataset}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        raw.decode("utf-8")


def test_required_cells_are_filled(county: County) -> None:
    for dataset, required in REQUIRED.items():
        assert county.tables[dataset], dataset
        for row in county.tables[dataset]:
            assert all(row[column] for column in required), (dataset, row)


def test_row_counts_match_the_manifest_and_the_sizes(county: County) -> None:
    counts = county.manifest.row_counts
    assert counts == {dataset: len(rows) for dataset, rows in county.tables.items()}
    assert counts["psb.persons"] == SMALL
    assert counts["amr.enterprises"] >= SMALL // 10
    assert counts["court.cases"] >= SMALL // 50
    assert counts["bank.accounts"] > 2 * SMALL  # several accounts per person


def test_progress_is_reported_with_final_counts(county: County) -> None:
    final = {dataset: rows for dataset, rows in county.progress}
    assert final == county.manifest.row_counts


# --- values are valid under the spec ---------------------------------------------------------


def test_every_identifier_is_valid(county: County) -> None:
    for dataset, column in PERSON_COLUMNS:
        for value in county.values(dataset, column):
            parsed = parse_id_number(value)
            assert not parsed.converted_from_15, (dataset, value)
    for dataset, column in USCC_COLUMNS:
        for value in county.values(dataset, column):
            assert parse_uscc(value) == value
    for dataset, column, type_column in PARTY_COLUMNS:
        for row in county.tables[dataset]:
            raw = row[column]
            assert raw is not None
            parse_party(raw, row[type_column] if type_column else None)


def test_enumerations_use_the_chinese_value_or_the_code(county: County) -> None:
    styles: Counter[str] = Counter()
    for (dataset, column), allowed in ENUMS.items():
        for value in county.values(dataset, column):
            assert value in allowed, (dataset, column, value)
            styles["code" if value == allowed[value] else "chinese"] += 1
    assert styles["chinese"] > 10 * styles["code"] > 0  # mostly Chinese, some codes


def parse_date(value: str) -> date:
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise AssertionError(f"not a date in an accepted format: {value}")


def test_dates_timestamps_money_and_percentages_are_well_formed(county: County) -> None:
    formats: Counter[int] = Counter()
    for dataset, column in DATE_COLUMNS:
        for value in county.values(dataset, column):
            assert parse_date(value) <= date(2024, 12, 31), (dataset, column, value)
            formats[len(value)] += 1
    assert set(formats) == {8, 10}  # YYYYMMDD, and YYYY-MM-DD / YYYY/MM/DD
    for dataset, column in TIMESTAMP_COLUMNS:
        for value in county.values(dataset, column):
            assert datetime.fromisoformat(value).tzinfo is not None
    for dataset, column in DECIMAL_COLUMNS:
        for value in county.values(dataset, column):
            assert TWO_DECIMALS.fullmatch(value), (dataset, column, value)
    for dataset, column in PERCENT_COLUMNS:
        for value in county.values(dataset, column):
            assert FOUR_DECIMALS.fullmatch(value) and 0 < Decimal(value) <= 100, value
    for value in county.values("court.cases", "case_number"):
        assert CASE_NUMBER.fullmatch(value), value


def normalised_key(dataset: str, row: Row) -> tuple[str | None, ...]:
    """The key as a loader compares it: identifiers upgraded, enumerations as codes."""
    parts: list[str | None] = []
    for column in KEYS[dataset]:
        value = row[column]
        assert value is not None
        if (dataset, column) in ENUMS:
            value = ENUMS[(dataset, column)][value]
        elif column in ("id_number", "relative_id_number"):
            value = person(value)
        elif column in ("holder_id", "owner_id", "party_id", "subject_id"):
            value = party(value)
        parts.append(value)
    return tuple(parts)


def test_keys_are_unique_per_dataset(county: County) -> None:
    for dataset, rows in county.tables.items():
        keys = Counter(normalised_key(dataset, row) for row in rows)
        duplicates = [key for key, count in keys.items() if count > 1]
        assert not duplicates, (dataset, duplicates[:3])


def test_every_reference_resolves_except_the_declared_stubs(county: County) -> None:
    persons = set(county.values("psb.persons", "id_number"))
    enterprises = set(county.values("amr.enterprises", "uscc"))
    unpublished_persons = set(county.manifest.unpublished_persons)
    unpublished_enterprises = set(county.manifest.unpublished_enterprises)
    seen_persons: set[str] = set()
    seen_enterprises: set[str] = set()
    for dataset, column, type_column in PARTY_COLUMNS:
        for row in county.tables[dataset]:
            value = row[column]
            assert value is not None
            parsed = parse_party(value, row[type_column] if type_column else None)
            known = persons if parsed.kind == "person" else enterprises
            if parsed.id not in known:
                (seen_persons if parsed.kind == "person" else seen_enterprises).add(parsed.id)
    assert seen_persons == unpublished_persons
    assert seen_enterprises == unpublished_enterprises
    assert persons.isdisjoint(unpublished_persons)


def test_unpublished_persons_appear_only_in_bank_and_land_data(county: County) -> None:
    outsiders = set(county.manifest.unpublished_persons)
    assert len(outsiders) >= 3
    found = {
        dataset: outsiders & set(county.values(dataset, column))
        for dataset, column in (
            ("bank.accounts", "holder_id"),
            ("nrb.properties", "owner_id"),
            ("psb.vehicles", "owner_id"),
            ("court.parties", "party_id"),
        )
    }
    assert found["bank.accounts"] == outsiders
    assert not found["psb.vehicles"] and not found["court.parties"]


def test_legacy_15_digit_numbers_convert_to_published_persons(county: County) -> None:
    persons = set(county.values("psb.persons", "id_number"))
    legacy = county.manifest.legacy_ids
    assert {reference.dataset for reference in legacy} == {"psb.vehicles", "bank.accounts"}
    for reference in legacy:
        assert len(reference.legacy) == 15
        converted = parse_id_number(reference.legacy)
        assert converted.converted_from_15
        assert converted.value == reference.id_number
        assert reference.id_number in persons
        column = "owner_id" if reference.dataset == "psb.vehicles" else "holder_id"
        assert reference.legacy in set(county.values(reference.dataset, column))


# --- realistic structure -------------------------------------------------------------------


def test_shares_sum_to_100_per_enterprise(county: County) -> None:
    totals: defaultdict[str, Decimal] = defaultdict(Decimal)
    for row in county.tables["amr.shareholders"]:
        assert row["uscc"] is not None and row["share_pct"] is not None
        totals[row["uscc"]] += Decimal(row["share_pct"])
    assert totals
    assert all(total == 100 for total in totals.values()), totals
    enterprise_holders = [
        row for row in county.tables["amr.shareholders"] if is_uscc(row["holder_id"] or "")
    ]
    assert enterprise_holders  # some companies are held by companies


def test_relations_are_published_in_both_directions(county: County) -> None:
    inverse = {"spouse": "spouse", "parent": "child", "child": "parent", "sibling": "sibling"}
    inverse["other"] = "other"
    relation = ENUMS[("psb.relations", "relation")]
    published = {
        (
            person(row["id_number"] or ""),
            person(row["relative_id_number"] or ""),
            relation[row["relation"] or ""],
        )
        for row in county.tables["psb.relations"]
    }
    assert {kind for _, _, kind in published} >= {"spouse", "parent", "child", "sibling"}
    for first, second, kind in published:
        assert (second, first, inverse[kind]) in published


def test_persons_have_phones_and_some_live_elsewhere(county: County) -> None:
    rows = county.tables["psb.persons"]
    phones = [row["phone"] for row in rows if row["phone"]]
    assert len(phones) > len(rows) // 2
    assert all(MOBILE.fullmatch(phone) for phone in phones)
    moved = [
        row for row in rows if row["residence_address"] not in (None, row["household_address"])
    ]
    assert moved
    regions = Counter((row["id_number"] or "")[:6] for row in rows)
    assert regions.most_common(1)[0][0] == "220821"
    assert len(regions) > 3  # some residents come from elsewhere


def test_only_family_shares_a_household_address(county: County) -> None:
    """Apart from the 集体户, persons at one household address are one connected family."""
    relatives: defaultdict[str | None, set[str | None]] = defaultdict(set)
    for row in county.tables["psb.relations"]:
        relatives[row["id_number"]].add(row["relative_id_number"])
    households: defaultdict[str | None, list[str | None]] = defaultdict(list)
    for row in county.tables["psb.persons"]:
        households[row["household_address"]].append(row["id_number"])
    del households[county.manifest.hubs.collective_address]
    for members in households.values():
        family, frontier = {members[0]}, [members[0]]
        while frontier:
            for relative in relatives[frontier.pop()] - family:
                family.add(relative)
                frontier.append(relative)
        assert set(members) <= family, members


def test_hubs_bound_the_traversals(county: County) -> None:
    hubs = county.manifest.hubs
    assert hubs.collective_members == 50  # 500 persons / 40 is below the minimum of 50
    assert len(county.rows("psb.persons", household_address=hubs.collective_address)) == 50
    switchboard = county.rows("psb.persons", phone=hubs.switchboard_phone)
    assert len(switchboard) == hubs.switchboard_members >= 15
    banks = Counter(county.values("bank.accounts", "bank_code"))
    assert banks.most_common(1)[0] == (hubs.big_bank_code, hubs.big_bank_accounts)
    assert hubs.big_bank_accounts > 2 * banks.most_common(2)[1][1]
    assert set(banks) == {"JLNX", "ABC", "ICBC", "CCB", "BOC", "PSBC"}


# --- planted scenarios ---------------------------------------------------------------------


def owned_by(county: County, subject: str) -> dict[str, list[Row]]:
    """Everything in the files that names `subject` as owner, holder or executive."""
    return {
        "vehicles": county.rows("psb.vehicles", owner_id=subject),
        "properties": county.rows("nrb.properties", owner_id=subject),
        "accounts": county.rows("bank.accounts", holder_id=subject),
        "shares": county.rows("amr.shareholders", holder_id=subject),
        "executive": county.rows("amr.executives", id_number=subject),
        "legal_rep": county.rows("amr.enterprises", legal_rep_id=subject),
    }


def case_of(county: County, case_number: str) -> Row:
    (case,) = county.rows("court.cases", case_number=case_number)
    return case


def respondents(county: County, case_number: str) -> set[str | None]:
    parties = county.rows("court.parties", case_number=case_number)
    return {row["party_id"] for row in parties if row["role"] in ("被执行人", "respondent")}


def test_planted_cases_belong_to_officer_001(county: County) -> None:
    scenarios = county.manifest.scenarios
    assert scenarios.officer_id == "fy0821-001" == county.manifest.officers[0]
    numbers = scenarios.case_numbers()
    assert len(set(numbers)) == len(numbers)
    for case_number in numbers:
        assert case_of(county, case_number)["officer_id"] == "fy0821-001"
    # December 2024 is the planted cases' (regular filings end in November): counted from
    # the file, every one of them is a scenario's.
    december = {
        row["case_number"]
        for row in county.tables["court.cases"]
        if parse_date(row["filed_at"] or "") >= date(2024, 12, 1)
    }
    assert december == set(numbers) - {scenarios.delisted.case_number}
    assert len(county.manifest.officers) == 20
    assert set(county.values("court.cases", "officer_id")) <= set(county.manifest.officers)


def test_hidden_under_spouse(county: County) -> None:
    scenario = county.manifest.scenarios.hidden_under_spouse
    respondent, spouse = scenario.respondent.id_number, scenario.spouse.id_number
    assert respondents(county, scenario.case_number) == {respondent}
    assert not any(owned_by(county, respondent).values())
    relations = {
        (row["id_number"], row["relative_id_number"])
        for row in county.rows("psb.relations", relation="配偶")
    }
    assert {(respondent, spouse), (spouse, respondent)} <= relations
    (home,) = county.rows("nrb.properties", cert_number=scenario.spouse_property_cert)
    assert home["owner_id"] == spouse
    (car,) = county.rows("psb.vehicles", vin=scenario.spouse_vehicle.vin)
    assert car["owner_id"] == spouse and car["plate_number"] == scenario.spouse_vehicle.plate_number
    account = scenario.spouse_account
    (row,) = county.rows("bank.accounts", account_number=account.account_number)
    assert row["holder_id"] == spouse and row["bank_code"] == account.bank_code
    assert Decimal(row["balance"] or "0") == Decimal(account.balance) > 1_000_000


def test_controlled_company_chain(county: County) -> None:
    scenario = county.manifest.scenarios.controlled_company_chain
    respondent = scenario.respondent.id_number
    a, b, c = scenario.company_a.uscc, scenario.company_b.uscc, scenario.company_c.uscc
    minority = scenario.minority_company.uscc

    def share(enterprise: str, holder: str) -> Decimal:
        (row,) = county.rows("amr.shareholders", uscc=enterprise, holder_id=holder)
        return Decimal(row["share_pct"] or "0")

    chain = (share(a, respondent), share(b, a), share(c, b))
    assert chain == (Decimal(80), Decimal(60), Decimal(100))
    assert tuple(Decimal(pct) for pct in scenario.chain_share_pcts) == chain
    assert chain[0] * chain[1] * chain[2] / 10_000 == Decimal(scenario.effective_share_pct) == 48
    assert share(minority, respondent) == 30 == Decimal(scenario.minority_share_pct)
    (c_property,) = county.rows("nrb.properties", cert_number=scenario.company_c_property_cert)
    assert c_property["owner_id"] == c
    (c_account,) = county.rows(
        "bank.accounts", account_number=scenario.company_c_account.account_number
    )
    assert c_account["holder_id"] == c
    (minority_property,) = county.rows(
        "nrb.properties", cert_number=scenario.minority_property_cert
    )
    assert minority_property["owner_id"] == minority
    holdings = owned_by(county, respondent)
    assert {row["uscc"] for row in holdings["shares"]} == {a, minority}
    assert not holdings["vehicles"] and not holdings["properties"] and not holdings["accounts"]
    assert not county.rows("amr.executives", uscc=minority)  # nobody controls it otherwise
    assert respondents(county, scenario.case_number) == {respondent}


def test_legal_rep_of_listed(county: County) -> None:
    scenario = county.manifest.scenarios.legal_rep_of_listed
    listed, legal_rep = scenario.listed_enterprise.uscc, scenario.legal_representative.id_number
    (enterprise,) = county.rows("amr.enterprises", uscc=listed)
    assert enterprise["legal_rep_id"] == legal_rep
    (listing,) = county.rows("court.dishonest", subject_id=listed)
    assert listing["case_number"] == scenario.case_number and listing["removed_at"] is None
    assert parse_date(listing["listed_at"] or "").isoformat() == scenario.listed_at
    assert not county.rows("court.dishonest", subject_id=legal_rep)
    assert not county.rows("amr.executives", id_number=legal_rep)  # only the legal rep
    controlled = scenario.controlled_listed_enterprise.uscc
    controller = scenario.actual_controller.id_number
    titles = {
        row["title"] for row in county.rows("amr.executives", uscc=controlled, id_number=controller)
    }
    assert titles == {"实际控制人"}
    (controlled_listing,) = county.rows("court.dishonest", subject_id=controlled)
    assert controlled_listing["removed_at"] is None
    assert not county.rows("court.dishonest", subject_id=controller)


def test_shared_phone_associate(county: County) -> None:
    scenario = county.manifest.scenarios.shared_phone_associate
    (respondent,) = county.rows("psb.persons", id_number=scenario.respondent.id_number)
    (associate,) = county.rows("psb.persons", id_number=scenario.associate.id_number)
    assert respondent["status"] == "迁出" and respondent["residence_address"] is None
    assert associate["residence_address"] == scenario.associate_residence_address
    assert respondent["phone"] == associate["phone"] == scenario.phone
    assert len(county.rows("psb.persons", phone=scenario.phone)) == 2
    pair = {scenario.respondent.id_number, scenario.associate.id_number}
    related = [
        row
        for row in county.tables["psb.relations"]
        if {row["id_number"], row["relative_id_number"]} == pair
    ]
    assert not related
    assert respondent["household_address"] != associate["household_address"]


def test_delisted(county: County) -> None:
    scenario = county.manifest.scenarios.delisted
    (listing,) = county.rows("court.dishonest", subject_id=scenario.person.id_number)
    assert listing["case_number"] == scenario.case_number
    assert parse_date(listing["listed_at"] or "").isoformat() == scenario.listed_at
    assert parse_date(listing["removed_at"] or "").isoformat() == scenario.removed_at
    assert not any(owned_by(county, scenario.person.id_number).values())


def test_many_holdings(county: County) -> None:
    scenario = county.manifest.scenarios.many_holdings
    holdings = owned_by(county, scenario.respondent.id_number)
    assert (scenario.accounts, scenario.vehicles, scenario.properties) == (30, 10, 10)
    assert len(holdings["accounts"]) == 30
    assert len({row["bank_code"] for row in holdings["accounts"]}) == 6
    assert len(holdings["vehicles"]) == 10
    assert len(holdings["properties"]) == 10


def test_wage_accounts(county: County) -> None:
    scenario = county.manifest.scenarios.wage_accounts
    company = scenario.enterprise.uscc
    (enterprise,) = county.rows("amr.enterprises", uscc=company)
    assert enterprise["name"] == scenario.enterprise.name
    assert respondents(county, scenario.case_number) == {company}
    accounts = {
        row["account_number"]: row for row in county.rows("bank.accounts", holder_id=company)
    }
    planted = (*scenario.wage_accounts, scenario.ordinary_account)
    assert set(accounts) == {account.account_number for account in planted}
    assert scenario.account_type == "wage_special" and len(scenario.wage_accounts) >= 2
    for account in planted:
        row = accounts[account.account_number]
        assert (row["bank_code"], row["balance"], row["status"]) == (
            account.bank_code,
            account.balance,
            "正常",
        )
    kinds = {number: row["account_type"] for number, row in accounts.items()}
    assert kinds.pop(scenario.ordinary_account.account_number) != "wage_special"
    assert set(kinds.values()) == {"wage_special"}


def test_wage_special_accounts_are_only_the_planted_ones(county: County) -> None:
    scenarios = county.manifest.scenarios
    planted = {
        *(account.account_number for account in scenarios.wage_accounts.wage_accounts),
        scenarios.wage_arrears.wage_account.account_number,
    }
    wage = county.rows("bank.accounts", account_type="wage_special")
    assert {row["account_number"] for row in wage} == planted
    assert {row["holder_type"] for row in wage} <= {"enterprise", None}
    enterprises = set(county.values("amr.enterprises", "uscc"))
    assert {row["holder_id"] for row in wage} <= enterprises


def test_wage_arrears(county: County) -> None:
    scenario = county.manifest.scenarios.wage_arrears
    company = scenario.enterprise.uscc
    (enterprise,) = county.rows("amr.enterprises", uscc=company)
    assert (enterprise["name"], enterprise["status"]) == (scenario.enterprise.name, "存续")
    assert respondents(county, scenario.case_number) == {company}
    (building,) = county.rows("nrb.properties", cert_number=scenario.property_cert)
    assert (building["owner_id"], building["status"]) == (company, "正常")
    (account,) = county.rows("bank.accounts", account_number=scenario.account.account_number)
    assert account["holder_id"] == company and account["account_type"] != "wage_special"
    (wages,) = county.rows("bank.accounts", account_number=scenario.wage_account.account_number)
    assert wages["holder_id"] == company and wages["account_type"] == "wage_special"
    # Arrears are not published by any dataset: 人社 reports them answering a wage check.
    assert Decimal(scenario.arrears_amount) > 0 and scenario.arrears_workers > 0
    assert case_of(county, scenario.case_number)["status"] == "执行中"


def test_sealed_property(county: County) -> None:
    scenario = county.manifest.scenarios.sealed_property
    respondent = scenario.respondent.id_number
    (home,) = county.rows("nrb.properties", cert_number=scenario.property_cert)
    assert (home["owner_id"], home["status"]) == (respondent, "查封")
    assert scenario.sealing_case_number != scenario.case_number
    for case_number in (scenario.case_number, scenario.sealing_case_number):
        assert respondents(county, case_number) == {respondent}
        assert case_of(county, case_number)["status"] == "执行中"
    holdings = owned_by(county, respondent)
    assert [row["cert_number"] for row in holdings["properties"]] == [scenario.property_cert]


def test_manifest_json_describes_the_files_beside_it(county: County) -> None:
    stored = json.loads((county.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert (stored["seed"], stored["persons"], stored["format"]) == (SEED, SMALL, "csv")
    # The rows counted here from the files, not taken from the generator.
    assert stored["row_counts"] == {
        dataset: len(county.tables[dataset]) for dataset in DATASETS_IN_LOAD_ORDER
    }
    assert stored["row_counts"]["psb.persons"] == SMALL
    assert set(county.values("court.cases", "officer_id")) <= set(stored["officers"])
    scenarios = stored["scenarios"]
    assert scenarios["officer_id"] in stored["officers"]
    chain = scenarios["controlled_company_chain"]
    assert chain["chain_share_pcts"] == ["80", "60", "100"]
    names = {row["id_number"]: row["name"] for row in county.tables["psb.persons"]}
    planted = [
        chain["respondent"],
        scenarios["hidden_under_spouse"]["respondent"],
        scenarios["hidden_under_spouse"]["spouse"],
        scenarios["delisted"]["person"],
        scenarios["shared_phone_associate"]["associate"],
    ]
    assert {p["id_number"]: names.get(p["id_number"]) for p in planted} == {
        p["id_number"]: p["name"] for p in planted
    }
    enterprises = {row["uscc"]: row["name"] for row in county.tables["amr.enterprises"]}
    assert enterprises[chain["company_c"]["uscc"]] == chain["company_c"]["name"]

    returned = county.manifest  # what generate_county returned says the same
    assert (returned.seed, returned.row_counts) == (stored["seed"], stored["row_counts"])
    assert (
        returned.scenarios.delisted.person.id_number == scenarios["delisted"]["person"]["id_number"]
    )


# --- other formats and arguments -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "reader"),
    [("jsonl", lambda path: (None, read_jsonl(path))), ("xlsx", read_xlsx)],
)
def test_other_formats_carry_the_same_rows(
    county: County,
    tmp_path: Path,
    fmt: str,
    reader: Callable[[Path], tuple[list[str] | None, list[Row]]],
) -> None:
    generate_county(tmp_path, SMALL, seed=SEED, fmt=fmt)  # type: ignore[arg-type]
    for dataset in DATASETS_IN_LOAD_ORDER:
        header, rows = reader(tmp_path / f"{dataset}.{fmt}")
        if header is not None:
            assert header == county.headers[dataset]
        assert rows == county.tables[dataset], dataset


def test_xlsx_output_is_deterministic(tmp_path: Path) -> None:
    generate_county(tmp_path / "one", MIN_PERSONS, seed=SEED, fmt="xlsx")
    generate_county(tmp_path / "two", MIN_PERSONS, seed=SEED, fmt="xlsx")
    for dataset in DATASETS_IN_LOAD_ORDER:
        name = f"{dataset}.xlsx"
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_too_small_a_county_or_an_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_county(tmp_path, MIN_PERSONS - 1)
    with pytest.raises(ValueError, match="format"):
        generate_county(tmp_path, MIN_PERSONS, fmt="parquet")  # type: ignore[arg-type]
