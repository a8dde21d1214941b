"""What `myCases`, `case`, `person` and `searchPersons` answer, checked against the county's
own files: the expected values are read from the generated CSV files and normalised by the
rules of DATA-EXCHANGE.md written out here, never by the hub's code. The county is loaded
into a graph of this module's own (no other test writes to it), served by a private hub."""

from __future__ import annotations

import asyncio
import csv
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from connectors import load_county
from hub.queries import load_queries
from hub.security.principal import Role
from hub.settings import Settings
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from hub.store.schema import apply_schema
from schema.identifiers import is_id_number
from seed.county import generate_county
from tests.conftest import drop_graph
from tests.faults import PrivateApp, private_app
from tests.security.support import token, with_test_secret

PERSONS = 800
SEED = 14

# DATA-EXCHANGE.md, "Datasets": each enumeration's Chinese value and its English code (a file
# may give either).
CASE_TYPES = {"执行实施": "enforcement", "破产": "bankruptcy", "行政": "administrative"}
CASE_STATUSES = {"执行中": "open", "终结本次执行": "suspended", "执行完毕": "closed"}
PARTY_ROLES = {"申请执行人": "applicant", "被执行人": "respondent"}
GENDERS = {"男": "M", "女": "F"}
PERSON_STATUSES = {"正常": "normal", "死亡": "deceased", "迁出": "moved_out"}
# Files whose rows name persons, and the columns that hold an id and a name.
PERSON_COLUMNS = {
    "bank.accounts": ("holder_id", "holder_name"),
    "nrb.properties": ("owner_id", "owner_name"),
    "psb.vehicles": ("owner_id", "owner_name"),
    "court.parties": ("party_id", "party_name"),
    "court.dishonest": ("subject_id", "subject_name"),
    "amr.shareholders": ("holder_id", "holder_name"),
    "amr.executives": ("id_number", "name"),
    "amr.enterprises": ("legal_rep_id", "legal_rep_name"),
}


def code(table: dict[str, str], value: str) -> str | None:
    """The English code of an enumeration cell given in Chinese or as the code itself."""
    if not value:
        return None
    return table.get(value, value)


def iso_date(value: str) -> str | None:
    """YYYY-MM-DD from the three forms the files use: 2024-03-01, 20240301, 2024/03/01."""
    if not value:
        return None
    digits = value.replace("-", "").replace("/", "")
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"


def rows(county: Path, dataset: str) -> Iterator[dict[str, str]]:
    with (county / f"{dataset}.csv").open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@dataclass
class County:
    """The county as its files state it."""

    cases: dict[str, dict[str, str]]
    parties: dict[str, list[dict[str, str]]]  # by case number
    persons: dict[str, dict[str, str]]  # psb.persons by id number
    enterprises: dict[str, dict[str, str]]  # amr.enterprises by uscc
    outsider_names: set[str]  # names of persons no psb.persons row publishes

    @classmethod
    def read(cls, folder: Path) -> County:
        cases = {row["case_number"]: row for row in rows(folder, "court.cases")}
        parties: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in rows(folder, "court.parties"):
            parties[row["case_number"]].append(row)
        persons = {row["id_number"].upper(): row for row in rows(folder, "psb.persons")}
        enterprises = {row["uscc"]: row for row in rows(folder, "amr.enterprises")}
        outsiders = set()
        for dataset, (id_column, name_column) in PERSON_COLUMNS.items():
            for row in rows(folder, dataset):
                party = row[id_column].upper()
                if len(party) == 18 and is_id_number(party) and party not in persons:
                    outsiders.add(row[name_column])
        return cls(cases, dict(parties), persons, enterprises, outsiders)

    def name_of(self, party: dict[str, str]) -> str:
        """psb names persons and amr enterprises; a party neither publishes keeps its name."""
        party_id = party["party_id"].upper()
        if party_id in self.persons:
            return self.persons[party_id]["name"]
        if party_id in self.enterprises:
            return self.enterprises[party_id]["name"]
        return party["party_name"]

    def case(self, case_number: str) -> dict[str, Any]:
        """The case as `case` and `myCases` should answer it."""
        row = self.cases[case_number]
        parties = [
            {
                "id": party["party_id"].upper(),
                "name": self.name_of(party),
                "kind": _kind(party),
                "role": code(PARTY_ROLES, party["role"]),
            }
            for party in self.parties.get(case_number, [])
        ]
        return {
            "caseNumber": case_number,
            "caseType": code(CASE_TYPES, row["case_type"]),
            "court": row["court"],
            "filedAt": iso_date(row["filed_at"]),
            "status": code(CASE_STATUSES, row["status"]),
            "amount": Decimal(row["amount"]),
            "outstandingAmount": Decimal(row["outstanding_amount"])
            if row["outstanding_amount"]
            else None,
            "officerId": row["officer_id"],
            "parties": sorted(parties, key=lambda p: (p["role"] or "", p["id"])),
        }

    def cases_of(self, officer: str) -> list[str]:
        """Newest first (filed_at, then case number, both descending)."""
        own = [row for row in self.cases.values() if row["officer_id"] == officer]
        own.sort(key=lambda row: (iso_date(row["filed_at"]), row["case_number"]), reverse=True)
        return [row["case_number"] for row in own]

    def person(self, id_number: str) -> dict[str, Any]:
        row = self.persons[id_number]
        return {
            "idNumber": id_number,
            "name": row["name"],
            "gender": code(GENDERS, row["gender"]),
            "birthDate": iso_date(row["birth_date"]),
            "householdAddress": row["household_address"] or None,
            "residenceAddress": row["residence_address"] or None,
            "phones": [row["phone"]] if row["phone"] else [],
            "status": code(PERSON_STATUSES, row["status"]),
            "verified": True,
        }


def _kind(party: dict[str, str]) -> str:
    """DATA-EXCHANGE.md: the *_type column decides; else a valid id number is a person."""
    given = party["party_type"]
    if given:
        return "PERSON" if given == "person" else "ENTERPRISE"
    return "PERSON" if is_id_number(party["party_id"].upper()) else "ENTERPRISE"


@dataclass
class CaseHub:
    app: PrivateApp
    county: County
    officer: str

    async def ask(
        self, query: str, variables: dict[str, Any] | None = None, *, as_role: Role = "officer"
    ) -> dict[str, Any]:
        subject = self.officer if as_role == "officer" else "ops-01"
        headers = {"Authorization": f"Bearer {token(as_role, subject)}"}
        async with self.app.client() as client:
            response = await client.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
            )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        assert "errors" not in answer, answer
        data: dict[str, Any] = answer["data"]
        return data


@pytest.fixture(scope="module")
async def case_hub(
    tmp_path_factory: pytest.TempPathFactory,
    embedded_server: EmbeddedServer,
) -> AsyncIterator[CaseHub]:
    folder = tmp_path_factory.mktemp("case-county")
    manifest = await asyncio.to_thread(generate_county, folder, PERSONS, seed=SEED)
    graph = f"cases_{uuid.uuid4().hex[:10]}"
    assert embedded_server.address is not None
    store = FalkorDBStore.connect(
        load_queries("falkordb"),
        graph,
        unix_socket=embedded_server.address.unix_socket,
        port=embedded_server.address.port or 0,
    )
    data_dir = tmp_path_factory.mktemp("case-runs")
    try:
        await apply_schema(store)
        reports = await load_county(store, folder, data_dir=data_dir)
        assert sum(report.rows_rejected for report in reports) == 0
        settings = with_test_secret(
            Settings(graph_uri="embedded", data_dir=data_dir, graph_database=graph)
        )
        async with private_app(settings, store) as app:
            yield CaseHub(app, County.read(folder), manifest.scenarios.officer_id)
    finally:
        await store.close()
        drop_graph("falkordb", embedded_server, graph)


CASE_FIELDS = """caseNumber caseType court filedAt status amount outstandingAmount officerId
    parties { id name kind role }"""


def comparable(case: dict[str, Any]) -> dict[str, Any]:
    """An answered case with its amounts as numbers (the API gives yuan as text)."""
    amounts = {
        name: None if case[name] is None else Decimal(case[name])
        for name in ("amount", "outstandingAmount")
    }
    return case | amounts


async def test_my_cases_are_the_officers_own_newest_first(case_hub: CaseHub) -> None:
    data = await case_hub.ask(f"{{ myCases {{ {CASE_FIELDS} }} }}")

    expected = case_hub.county.cases_of(case_hub.officer)
    assert len(expected) >= 7  # the planted scenarios' cases at least
    assert [case["caseNumber"] for case in data["myCases"]] == expected
    for case in data["myCases"]:
        assert comparable(case) == case_hub.county.case(case["caseNumber"])


async def test_my_cases_of_another_officer_are_theirs(case_hub: CaseHub) -> None:
    busiest, _ = Counter(
        row["officer_id"]
        for row in case_hub.county.cases.values()
        if row["officer_id"] != case_hub.officer
    ).most_common(1)[0]
    other = CaseHub(case_hub.app, case_hub.county, busiest)

    data = await other.ask("{ myCases(first: 2) { caseNumber officerId } }")

    expected = case_hub.county.cases_of(busiest)[:2]
    assert [c["caseNumber"] for c in data["myCases"]] == expected
    assert {c["officerId"] for c in data["myCases"]} == {busiest}


async def test_every_case_reads_as_its_files_say(case_hub: CaseHub) -> None:
    county = case_hub.county
    statuses = {code(CASE_STATUSES, row["status"]) for row in county.cases.values()}
    assert statuses == {"open", "suspended", "closed"}  # the county has every kind

    for number in county.cases:
        query = f"query($n: String!) {{ case(caseNumber: $n) {{ {CASE_FIELDS} }} }}"
        data = await case_hub.ask(query, {"n": number}, as_role="admin")
        assert comparable(data["case"]) == county.case(number), number


async def test_an_unknown_case_is_null_for_an_admin(case_hub: CaseHub) -> None:
    data = await case_hub.ask(
        '{ case(caseNumber: "（2099）吉0821执1号") { caseNumber } }', as_role="admin"
    )

    assert data == {"case": None}


PERSON_QUERY = """query($id: String!, $case: String!) { person(idNumber: $id, caseNumber: $case) {
    idNumber name gender birthDate householdAddress residenceAddress phones status verified } }"""


async def test_person_gives_a_respondent_of_the_officers_case_in_full(case_hub: CaseHub) -> None:
    county = case_hub.county
    respondents = [
        (party["party_id"].upper(), number)
        for number in county.cases_of(case_hub.officer)
        for party in county.parties.get(number, [])
        if code(PARTY_ROLES, party["role"]) == "respondent"
        and party["party_id"].upper() in county.persons
    ]
    assert len(respondents) >= 5

    for id_number, number in respondents:
        data = await case_hub.ask(PERSON_QUERY, {"id": id_number, "case": number})
        assert data["person"] == county.person(id_number), id_number


SEARCH_QUERY = """query($name: String!, $case: String!, $first: Int) {
    searchPersons(name: $name, caseNumber: $case, first: $first) {
        idNumberMasked name birthYear householdRegion } }"""
HOME_COUNTY = "吉林省白城市镇赉县"


async def test_search_persons_finds_everyone_of_that_name_masked(case_hub: CaseHub) -> None:
    county = case_hub.county
    by_name: dict[str, list[str]] = defaultdict(list)
    for id_number, row in county.persons.items():
        by_name[row["name"]].append(id_number)
    # Names shared by several persons, all at home in the county, none of them unpublished.
    names = [
        name
        for name, ids in by_name.items()
        if len(ids) >= 2
        and name not in county.outsider_names
        and all(county.persons[i]["household_address"].startswith(HOME_COUNTY) for i in ids)
    ]
    assert len(names) >= 3
    case_number = county.cases_of(case_hub.officer)[0]

    for name in names[:10]:
        data = await case_hub.ask(SEARCH_QUERY, {"name": name, "case": case_number})
        expected = [
            {
                "idNumberMasked": f"{i[:6]}{'*' * 8}{i[-4:]}",
                "name": name,
                "birthYear": int(county.persons[i]["birth_date"][:4]),
                "householdRegion": HOME_COUNTY,
            }
            for i in sorted(by_name[name])
        ]
        assert data["searchPersons"] == expected, name

    first_only = await case_hub.ask(
        SEARCH_QUERY, {"name": names[0], "case": case_number, "first": 1}
    )
    assert len(first_only["searchPersons"]) == 1


async def test_search_persons_of_a_name_nobody_has_is_empty(case_hub: CaseHub) -> None:
    case_number = case_hub.county.cases_of(case_hub.officer)[0]

    data = await case_hub.ask(SEARCH_QUERY, {"name": "无此人名", "case": case_number})

    assert data == {"searchPersons": []}
