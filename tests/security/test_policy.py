"""Who may run what: the role table, officers bound to their cases, departments to their data."""

from __future__ import annotations

from datetime import date

import pytest

from hub.security.policy import OPERATION_ROLES, Forbidden, NotFound, authorize
from hub.security.principal import Principal, Role
from hub.store import GraphStore
from schema.departments import Department, default_departments
from schema.identifiers import make_id_number, make_uscc
from tests.security.support import OFFICER, OTHER_OFFICER

OWN_CASE = "（2024）吉0821执123号"
OTHERS_CASE = "（2024）吉0821执456号"
DEBTOR = make_id_number("220821", date(1978, 3, 14), 12, "M")
CREDITOR = make_uscc("220821", 4242)
BYSTANDER = make_id_number("220821", date(1990, 7, 1), 3, "F")
OTHERS_DEBTOR = make_id_number("220821", date(1965, 1, 30), 40, "M")

officer = Principal(OFFICER, "officer", None)
auditor = Principal("jw-01", "auditor", None)
admin = Principal("ops-01", "admin", None)
psb = Principal("psb-sys", "department", "psb")

# The rules as the brief states them, written out independently of OPERATION_ROLES.
EXPECTED_ROLES: dict[str, set[Role]] = {
    "myCases": {"officer"},
    "case": {"officer", "admin"},
    "searchPersons": {"officer"},
    "person": {"officer"},
    "tracePerson": {"officer"},
    "locateAssets": {"officer"},
    "creditCheck": {"officer", "department", "admin"},
    "measures": {"officer", "department", "auditor", "admin"},
    "auditEvents": {"auditor"},
    "verifyAuditChain": {"auditor"},
    "auditExport": {"auditor"},
    "connectorRuns": {"admin", "department"},
    "recordPunishment": {"department"},
    "ingest": {"department"},
    "ingestRejects": {"department", "admin"},
    # API.md, "Control requests"
    "requestControl": {"officer"},
    "cancelControl": {"officer"},
    "answerControl": {"department"},
    "controlRequests": {"officer", "department", "auditor", "admin"},
    "controlRequest": {"officer", "department", "auditor", "admin"},
    "controlRequestsFile": {"department"},
    "controlAnswersFile": {"department"},
    # API.md, "Alerts": officers and departments, each their own
    "alerts": {"officer", "department"},
    "markAlertsRead": {"officer", "department"},
    # API.md, "Punishment feedback": officers (own cases), departments (own records), admin
    "punishments": {"officer", "department", "admin"},
    # API.md, "Letters": the court (officers, admin) and departments, each their own mailbox
    "letters": {"officer", "department", "admin"},
    "sendLetter": {"officer", "department", "admin"},
    "acknowledgeLetter": {"officer", "department", "admin"},
    "replyLetter": {"officer", "department", "admin"},
    "linkageStats": {"admin", "auditor"},
    "users": {"admin"},
    "disableUser": {"admin"},
    "departments": {"admin"},
}


@pytest.fixture
async def cases(store: GraphStore) -> None:
    own_parties = [
        {"party_id": DEBTOR, "role": "respondent"},
        {"party_id": CREDITOR, "role": "applicant"},
    ]
    await store.write(
        "test_security_case_create",
        {"case_number": OWN_CASE, "officer_id": OFFICER, "parties": own_parties},
    )
    await store.write(
        "test_security_case_create",
        {
            "case_number": OTHERS_CASE,
            "officer_id": OTHER_OFFICER,
            "parties": [{"party_id": OTHERS_DEBTOR, "role": "respondent"}],
        },
    )
    await store.write(
        "test_security_case_create",
        {"case_number": "unrelated", "officer_id": OTHER_OFFICER, "parties": []},
    )


def test_the_role_table_is_the_documented_one() -> None:
    assert {op: set(roles) for op, roles in OPERATION_ROLES.items()} == EXPECTED_ROLES


@pytest.mark.parametrize("role", ["officer", "department", "auditor", "admin"])
@pytest.mark.parametrize("operation", sorted(EXPECTED_ROLES))
async def test_each_role_runs_only_its_operations(
    store: GraphStore, cases: None, role: Role, operation: str
) -> None:
    principal = {"officer": officer, "department": psb, "auditor": auditor, "admin": admin}[role]
    # Arguments that satisfy every non-role check, so only the role decides.
    arguments = {"case_number": OWN_CASE, "subject": DEBTOR, "dataset": "psb.persons"}

    if role in EXPECTED_ROLES[operation]:
        await authorize(store, principal, operation, departments=default_departments(), **arguments)
    else:
        with pytest.raises(Forbidden, match=f"{operation} is for"):
            await authorize(
                store, principal, operation, departments=default_departments(), **arguments
            )


async def test_an_unknown_operation_is_nobodys(store: GraphStore) -> None:
    with pytest.raises(Forbidden, match="not an operation"):
        await authorize(store, admin, "dropDatabase")


@pytest.mark.parametrize("operation", ["tracePerson", "person", "locateAssets"])
async def test_an_officer_looks_up_the_respondent_of_their_own_case(
    store: GraphStore, cases: None, operation: str
) -> None:
    await authorize(store, officer, operation, case_number=OWN_CASE, subject=DEBTOR)


@pytest.mark.parametrize("operation", ["tracePerson", "person"])
async def test_an_officer_may_not_trace_the_applicant(
    store: GraphStore, cases: None, operation: str
) -> None:
    with pytest.raises(Forbidden, match="only on a respondent"):
        await authorize(store, officer, operation, case_number=OWN_CASE, subject=CREDITOR)


async def test_an_officer_locates_assets_of_any_party_of_their_case(
    store: GraphStore, cases: None
) -> None:
    await authorize(store, officer, "locateAssets", case_number=OWN_CASE, subject=CREDITOR)


@pytest.mark.parametrize("operation", ["tracePerson", "person", "locateAssets"])
async def test_an_officer_may_not_look_up_someone_outside_the_case(
    store: GraphStore, cases: None, operation: str
) -> None:
    with pytest.raises(Forbidden, match="the subject is not one in case"):
        await authorize(store, officer, operation, case_number=OWN_CASE, subject=BYSTANDER)


@pytest.mark.parametrize("operation", ["tracePerson", "locateAssets", "searchPersons", "case"])
async def test_an_officer_may_not_use_another_officers_case(
    store: GraphStore, cases: None, operation: str
) -> None:
    with pytest.raises(Forbidden, match="assigned to another officer"):
        await authorize(store, officer, operation, case_number=OTHERS_CASE, subject=OTHERS_DEBTOR)


async def test_an_officer_may_not_borrow_a_respondent_of_another_case(
    store: GraphStore, cases: None
) -> None:
    with pytest.raises(Forbidden, match="the subject is not one in case"):
        await authorize(store, officer, "tracePerson", case_number=OWN_CASE, subject=OTHERS_DEBTOR)


async def test_an_unknown_case_is_not_found(store: GraphStore, cases: None) -> None:
    with pytest.raises(NotFound):
        await authorize(store, officer, "tracePerson", case_number="（2099）无此案", subject=DEBTOR)


@pytest.mark.parametrize("operation", ["tracePerson", "searchPersons", "case"])
async def test_an_officer_must_name_a_case(store: GraphStore, operation: str) -> None:
    with pytest.raises(Forbidden, match="name a caseNumber"):
        await authorize(store, officer, operation, subject=DEBTOR)


async def test_an_officer_searches_within_their_own_case(store: GraphStore, cases: None) -> None:
    await authorize(store, officer, "searchPersons", case_number=OWN_CASE)
    await authorize(store, officer, "case", case_number=OWN_CASE)


async def test_admin_reads_any_case(store: GraphStore, cases: None) -> None:
    await authorize(store, admin, "case", case_number=OTHERS_CASE)


async def test_a_department_publishes_only_its_kinds_datasets(store: GraphStore) -> None:
    bank = Principal("icbc-sys", "department", "icbc-zhenlai")
    departments = default_departments() | {
        "icbc-zhenlai": Department("icbc-zhenlai", "bank", "工商银行镇赉支行")
    }

    await authorize(store, bank, "ingest", dataset="bank.accounts", departments=departments)
    with pytest.raises(Forbidden, match=r"icbc-zhenlai \(bank\) may not publish psb.persons"):
        await authorize(store, bank, "ingest", dataset="psb.persons", departments=departments)


async def test_a_department_missing_from_the_register_may_not_publish(store: GraphStore) -> None:
    gone = Principal("old-sys", "department", "closed-branch")

    with pytest.raises(Forbidden, match="not registered"):
        await authorize(
            store, gone, "ingest", dataset="bank.accounts", departments=default_departments()
        )
