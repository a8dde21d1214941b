"""Who may run which operation, and for officers, on which case and subject.

The role check needs no store access and comes first. Officers are bound to their cases:
the case must be assigned to them (`Case.officer_id` is the token subject) and the subject
must be a party of it. Departments publish only the datasets their kind owns. Each refusal
is a `Forbidden` whose message names the rule, so a denied request is self-explaining in the
audit log. (`Forbidden` and `NotFound` are refusals of `hub.security.refusals`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from hub.security.principal import Principal, Role
from hub.security.refusals import Forbidden, NotFound
from hub.store import GraphStore
from schema.departments import Department

__all__ = ["OPERATION_ROLES", "Forbidden", "NotFound", "authorize", "check_role"]

EVERY_ROLE: frozenset[Role] = frozenset({"officer", "department", "auditor", "admin"})

OPERATION_ROLES: Mapping[str, frozenset[Role]] = {
    "myCases": frozenset({"officer"}),
    "case": frozenset({"officer", "admin"}),
    "searchPersons": frozenset({"officer"}),
    "person": frozenset({"officer"}),
    "tracePerson": frozenset({"officer"}),
    "locateAssets": frozenset({"officer"}),
    "creditCheck": frozenset({"department", "officer", "admin"}),
    "measures": EVERY_ROLE,
    "auditEvents": frozenset({"auditor"}),
    "verifyAuditChain": frozenset({"auditor"}),
    "auditExport": frozenset({"auditor"}),  # GET /audit/export (hub.audit_api)
    "connectorRuns": frozenset({"admin", "department"}),
    "recordPunishment": frozenset({"department"}),
    "ingest": frozenset({"department"}),
    "ingestRejects": frozenset({"department", "admin"}),  # the department's own runs
    # Control requests (hub/graphql/control_requests.py, hub/control_api.py): what needs the
    # stored request (the holder a party of the case, the department addressed) is checked
    # by hub/control/service.py once it is read.
    "requestControl": frozenset({"officer"}),
    "cancelControl": frozenset({"officer"}),
    "answerControl": frozenset({"department"}),
    "controlRequests": EVERY_ROLE,
    "controlRequest": EVERY_ROLE,
    "controlRequestsFile": frozenset({"department"}),  # GET /control/requests
    "controlAnswersFile": frozenset({"department"}),  # POST /control/answers
    # Alerts (hub/graphql/alerts.py): each caller reads and marks only their own.
    "alerts": frozenset({"officer", "department"}),
    "markAlertsRead": frozenset({"officer", "department"}),
    # Punishment feedback (hub/graphql/punishment.py): an officer's own case, a department's
    # own records, an admin's all.
    "punishments": frozenset({"officer", "department", "admin"}),
    # Letters (hub/graphql/letters.py): each caller's own mailbox; who may act on a letter is
    # checked by hub/letters/service.py once it is read.
    "letters": frozenset({"officer", "department", "admin"}),
    "sendLetter": frozenset({"officer", "department", "admin"}),
    "acknowledgeLetter": frozenset({"officer", "department", "admin"}),
    "replyLetter": frozenset({"officer", "department", "admin"}),
}

# How far an officer's purpose reaches, by operation: their own case only, any party of it,
# or only its respondents (被执行人).
OfficerScope = Literal["case", "party", "respondent"]
OFFICER_SCOPES: Mapping[str, OfficerScope] = {
    "case": "case",
    "searchPersons": "case",
    "locateAssets": "party",
    "person": "respondent",
    "tracePerson": "respondent",
    "requestControl": "case",  # and the target's holder a party of it: hub/control/service.py
    "punishments": "case",  # the records of its parties and those recorded under it
}
RESPONDENT = "respondent"  # the PARTY_TO role as connectors store it


async def authorize(
    store: GraphStore,
    principal: Principal,
    operation: str,
    *,
    case_number: str | None = None,
    subject: str | None = None,
    dataset: str | None = None,
    departments: Mapping[str, Department] | None = None,
) -> None:
    """Return when `principal` may run `operation`; raise `Forbidden` or `NotFound` otherwise."""
    check_role(principal, operation)
    if principal.role == "officer" and operation in OFFICER_SCOPES:
        await _check_officer_case(store, principal, operation, case_number, subject)
    if principal.role == "department" and operation == "ingest":
        _check_dataset_owner(principal, dataset, departments)


def check_role(principal: Principal, operation: str) -> None:
    allowed = OPERATION_ROLES.get(operation)
    if allowed is None:
        raise Forbidden(f"{operation} is not an operation anyone may run")
    if principal.role not in allowed:
        roles = ", ".join(sorted(allowed))
        raise Forbidden(
            f"{operation} is for {roles}; {_article(principal.role)} {principal.role} token "
            "may not run it"
        )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


async def _check_officer_case(
    store: GraphStore,
    principal: Principal,
    operation: str,
    case_number: str | None,
    subject: str | None,
) -> None:
    if not case_number:
        raise Forbidden(f"officers run {operation} only for one of their cases: name a caseNumber")
    scope = OFFICER_SCOPES[operation]
    rows = await store.read(
        "case_access",
        {"case_number": case_number, "subject": None if scope == "case" else subject},
    )
    if not rows:
        raise NotFound(f"case {case_number} does not exist")
    [row] = rows
    if row["officer_id"] != principal.subject:
        raise Forbidden(
            f"officers may use only their own cases: case {case_number} is assigned to "
            "another officer"
        )
    if scope == "case":
        return
    if not subject:
        raise Forbidden(f"{operation} needs the subject it is about")
    roles: list[str] = row["roles"]
    if scope == "respondent" and RESPONDENT not in roles:
        raise Forbidden(
            f"officers may run {operation} only on a respondent (被执行人) of their case: "
            f"the subject is not one in case {case_number}"
        )
    if scope == "party" and not roles:
        raise Forbidden(
            f"officers may run {operation} only on a party of their case: the subject is "
            f"not one in case {case_number}"
        )


def _check_dataset_owner(
    principal: Principal, dataset: str | None, departments: Mapping[str, Department] | None
) -> None:
    if dataset is None or departments is None:
        raise ValueError("authorizing an ingest needs the dataset and the departments")
    department = departments.get(principal.department or "")
    if department is None:
        raise Forbidden(f"department {principal.department!r} is not registered with the hub")
    if not department.owns(dataset):
        raise Forbidden(
            f"departments publish only the datasets of their kind: {department.code} "
            f"({department.kind}) may not publish {dataset}"
        )
