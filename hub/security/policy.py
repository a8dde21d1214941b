"""Who may run which operation, and for officers, on which case and subject.

The role check needs no store access and comes first. Officers are bound to their cases:
the case must be assigned to them (`Case.officer_id` is the token subject) and the subject
must be a party of it. Departments publish only the datasets their kind owns. Each refusal
is a `Forbidden` whose message names the rule, so a denied request is self-explaining in the
audit log. (`Forbidden` and `NotFound` are refusals of `hub.security.refusals`.)

The officer's purpose check costs a round trip of its own (`case_access`), except for the
operations of `CHECKED_IN_QUERY`: their first query carries it (`Purpose`), reads nothing
else when it refuses, and the refusal is decided here from the same two facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from hub.security.principal import Principal, Role
from hub.security.refusals import Forbidden, NotFound, Refusal
from hub.store import GraphStore, Params, Row
from schema.departments import Department

__all__ = [
    "CHECKED_IN_QUERY",
    "OPERATION_ROLES",
    "Forbidden",
    "NotFound",
    "Purpose",
    "authorize",
    "authorize_in_query",
    "check_role",
]

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
    # The figures of the county's linkage work (hub/graphql/stats.py).
    "linkageStats": frozenset({"admin", "auditor"}),
    # The admin's 账户与部门 (hub/graphql/accounts.py).
    "users": frozenset({"admin"}),
    "disableUser": frozenset({"admin"}),
    "departments": frozenset({"admin"}),
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

# Operations whose first query carries the officer's purpose check, so that it costs no
# round trip of its own (issue #18): `trace_subject` and `assets_subject` begin with the
# check of `case_access` and read the subject only when it passes.
CHECKED_IN_QUERY: frozenset[str] = frozenset({"tracePerson", "locateAssets"})


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
    purpose = _checked(principal, operation, case_number, subject, dataset, departments)
    if purpose is not None:
        await purpose.check(store)


async def authorize_in_query(
    store: GraphStore,
    principal: Principal,
    operation: str,
    *,
    case_number: str | None = None,
    subject: str | None = None,
    dataset: str | None = None,
    departments: Mapping[str, Department] | None = None,
) -> Purpose | None:
    """As `authorize`, except that an officer's purpose check of an operation of
    `CHECKED_IN_QUERY` is not run here: it is returned, for the operation's first query to
    carry (`Purpose.read`)."""
    purpose = _checked(principal, operation, case_number, subject, dataset, departments)
    if purpose is not None and operation not in CHECKED_IN_QUERY:
        await purpose.check(store)
        return None
    return purpose


def _checked(
    principal: Principal,
    operation: str,
    case_number: str | None,
    subject: str | None,
    dataset: str | None,
    departments: Mapping[str, Department] | None,
) -> Purpose | None:
    """The checks that need no store; the officer's purpose check still to make, if any."""
    check_role(principal, operation)
    if principal.role == "department" and operation == "ingest":
        _check_dataset_owner(principal, dataset, departments)
    if principal.role == "officer" and operation in OFFICER_SCOPES:
        return Purpose.of(principal, operation, case_number, subject)
    return None


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


@dataclass
class Purpose:
    """An officer's purpose check of one operation: the case must be theirs and, for most
    operations, the subject a party (or a respondent) of it.

    `check` runs it as a query of its own (`case_access`); `read` runs it inside the
    operation's first query, whose text begins as `case_access` does and then reads data
    only `WHERE allowed` (given `params`). Either way `decide` turns the two facts read,
    who the case is assigned to and the subject's roles in it, into the refusal.
    """

    operation: str
    officer: str
    case_number: str | None
    subject: str | None
    decided: bool = field(default=False, init=False)  # `decide` has allowed it
    refusal: Refusal | None = field(default=None, init=False)  # or refused it so

    @classmethod
    def of(
        cls, principal: Principal, operation: str, case_number: str | None, subject: str | None
    ) -> Purpose:
        if not case_number:
            raise Forbidden(
                f"officers run {operation} only for one of their cases: name a caseNumber"
            )
        return cls(operation, principal.subject, case_number, subject)

    @property
    def scope(self) -> OfficerScope:
        return OFFICER_SCOPES[self.operation]

    @property
    def params(self) -> Params:
        """The parameters of the check inside a query: the case, the subject, the officer,
        and the roles that let the subject be asked about (null: any role)."""
        if self.scope == "case":
            raise ValueError(f"{self.operation}: a check in a query is about a subject")
        return {
            "purpose_case": self.case_number,
            "purpose_subject": self.subject,
            "purpose_officer": self.officer,
            "purpose_roles": [RESPONDENT] if self.scope == "respondent" else None,
        }

    async def check(self, store: GraphStore) -> None:
        """The check as a query of its own; raises the refusal."""
        rows = await store.read(
            "case_access",
            {
                "case_number": self.case_number,
                "subject": None if self.scope == "case" else self.subject,
            },
        )
        self.decide(rows)

    async def read(self, store: GraphStore, name: str, params: Params) -> list[Row]:
        """The rows of query `name`, which carries this check (its `officer_id`, `roles` and
        `allowed` columns); raises the refusal, having read nothing else."""
        rows = await store.read(name, {**params, **self.params})
        self.decide(rows)
        if rows and rows[0].get("allowed") is not True:  # the query and `decide` disagree
            raise RuntimeError(f"{name}: its purpose check refused what the policy allows")
        return rows

    def decide(self, rows: list[Row]) -> None:
        """Allow (`decided`) or raise the refusal the facts of `rows` call for."""
        try:
            _decide(self, rows[0] if rows else None)
        except Refusal as refusal:
            self.refusal = refusal
            raise
        self.decided = True


def _decide(purpose: Purpose, row: Mapping[str, Any] | None) -> None:
    operation, case_number, subject = purpose.operation, purpose.case_number, purpose.subject
    if row is None:
        raise NotFound(f"case {case_number} does not exist")
    if row["officer_id"] != purpose.officer:
        raise Forbidden(
            f"officers may use only their own cases: case {case_number} is assigned to "
            "another officer"
        )
    if purpose.scope == "case":
        return
    if not subject:
        raise Forbidden(f"{operation} needs the subject it is about")
    roles: list[str] = row["roles"]
    if purpose.scope == "respondent" and RESPONDENT not in roles:
        raise Forbidden(
            f"officers may run {operation} only on a respondent (被执行人) of their case: "
            f"the subject is not one in case {case_number}"
        )
    if purpose.scope == "party" and not roles:
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
