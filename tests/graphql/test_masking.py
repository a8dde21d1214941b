"""No identifier of anyone but the subject leaves tracePerson unmasked: the whole JSON
answer is scanned for every id number and phone number the county holds."""

from __future__ import annotations

import csv
import json

from tests.graphql.conftest import Hub
from tests.graphql.test_scenarios import TRACE, data


def test_trace_answers_show_only_the_subjects_identifiers_in_full(hub: Hub) -> None:
    with (hub.county / "psb.persons.csv").open(encoding="utf-8") as handle:
        persons = list(csv.DictReader(handle))
    phones_of: dict[str, set[str]] = {}
    for person in persons:
        if person["phone"]:
            phones_of.setdefault(person["id_number"], set()).add(person["phone"])

    cases = data(
        hub.post("{ myCases { caseNumber parties { id kind role } } }", token=hub.officer)
    )["myCases"]
    traced = [
        (case["caseNumber"], party["id"])
        for case in cases
        for party in case["parties"]
        if party["kind"] == "PERSON" and party["role"] == "respondent"
    ]
    assert len(traced) >= 5
    associates_seen = 0
    for case_number, subject in traced:
        report = data(
            hub.post(TRACE, {"id": subject, "case": case_number, "hops": 3}, token=hub.officer)
        )["tracePerson"]
        text = json.dumps(report, ensure_ascii=False)
        associates_seen += len(report["associates"]) + len(report["relatives"])
        own_phones = set(report["subject"]["phones"])
        for person in persons:
            if person["id_number"] != subject:
                assert person["id_number"] not in text, f"{subject}: shows {person['id_number']}"
            for phone in phones_of.get(person["id_number"], ()):
                if phone not in own_phones:
                    assert phone not in text, f"{subject}: shows the phone {phone}"
    assert associates_seen > 0  # the scan looked at answers that name other persons
