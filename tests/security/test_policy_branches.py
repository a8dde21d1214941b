"""The branches of `hub.security.policy` no other test takes: an officer's call that names no
subject, an ingest authorized without its dataset or the register, and the calls whose
subject the policy does not look at. Against the real store, as tests/security/test_policy.py."""

from __future__ import annotations

from datetime import date

import pytest

from hub.security.policy import Forbidden, NotFound, authorize
from hub.security.principal import Principal
from hub.store import GraphStore
from schema.departments import default_departments
from schema.identifiers import make_id_number
from tests.security.support import OFFICER, OTHER_OFFICER

OWN_CASE = "（2024）吉0821执777号"
OTHERS_CASE = "（2024）吉0821执778号"
DEBTOR = make_id_number("220821", date(1980, 5, 6), 21, "F")
STRANGER = make_id_number("220821", date(1991, 2, 3), 5, "M")

officer = Principal(OFFICER, "officer", None)
psb = Principal("psb-sys", "department", "psb")
admin = Principal("ops-01", "admin", None)


@pytest.fixture
async def cases(store: GraphStore) -> None:
    for case_number, officer_id in ((OWN_CASE, OFFICER), (OTHERS_CASE, OTHER_OFFICER)):
        await store.write(
            "test_security_case_create",
            {
                "case_number": case_number,
                "officer_id": officer_id,
                "parties": [{"party_id": DEBTOR, "role": "respondent"}],
            },
        )


@pytest.mark.parametrize("operation", ["person", "tracePerson", "locateAssets"])
@pytest.mark.parametrize("subject", [None, ""])
async def test_an_officers_call_about_a_subject_must_name_one(
    store: GraphStore, cases: None, operation: str, subject: str | None
) -> None:
    with pytest.raises(Forbidden) as refused:
        await authorize(store, officer, operation, case_number=OWN_CASE, subject=subject)

    assert refused.value.message == f"{operation} needs the subject it is about"


async def test_the_case_is_checked_before_the_missing_subject(
    store: GraphStore, cases: None
) -> None:
    with pytest.raises(Forbidden) as refused:
        await authorize(store, officer, "person", case_number=OTHERS_CASE, subject=None)
    assert "assigned to another officer" in refused.value.message
    with pytest.raises(NotFound) as missing:
        await authorize(store, officer, "person", case_number="（2099）无此案", subject=None)
    assert missing.value.message == "case （2099）无此案 does not exist"


@pytest.mark.parametrize("operation", ["case", "searchPersons"])
async def test_a_call_about_the_case_itself_does_not_look_at_the_subject(
    store: GraphStore, cases: None, operation: str
) -> None:
    # searchPersons names a person, not a party: the case is all the policy checks.
    await authorize(store, officer, operation, case_number=OWN_CASE, subject=STRANGER)


async def test_an_ingest_authorized_without_its_dataset_or_the_register_is_a_bug(
    store: GraphStore,
) -> None:
    departments = default_departments()
    message = "authorizing an ingest needs the dataset and the departments"

    with pytest.raises(ValueError) as no_dataset:
        await authorize(store, psb, "ingest", dataset=None, departments=departments)
    with pytest.raises(ValueError) as no_register:
        await authorize(store, psb, "ingest", dataset="psb.persons", departments=None)

    assert str(no_dataset.value) == str(no_register.value) == message


async def test_only_a_departments_ingest_needs_the_dataset(store: GraphStore) -> None:
    # Another operation of a department, or an ingest by anyone else: no dataset check.
    await authorize(store, psb, "connectorRuns")
    await authorize(store, psb, "creditCheck")
    with pytest.raises(Forbidden) as refused:
        await authorize(store, admin, "ingest")
    assert refused.value.message == "ingest is for department; an admin token may not run it"
