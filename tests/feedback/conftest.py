"""A hub of its own for the punishment-feedback tests: a private graph on the session's
embedded store, seeded as the control tests seed theirs (tests/control/conftest.py), with a
department of kind `other` (发展改革委) and dishonest listings (court.dishonest):

- RESPONDENT (张某), listed under case A: every PERSON measure applies to him;
- COMPANY, listed under case A: ENTERPRISE measures; SECOND (李某), its legal
  representative, is a responsible person (RESPONSIBLE_PERSON measures only);
- LAPSED, listed under case B and removed on 2024-06-01: measures applied before then only;
- OUTSIDER: on no list, no measure applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hub.store.embedded import EmbeddedServer
from tests.control.conftest import (
    CASE_A,
    CASE_B,
    COMPANY,
    DEPARTMENTS,
    RESPONDENT,
    ControlHub,
    _csv,
    person,
    seeded_hub,
)

LAPSED = person(4)  # 赵某, listed under case B until 2024-06-01
OTHER_KIND = "fgw"  # 发展改革委: a department of kind `other`

FEEDBACK_DEPARTMENTS = (
    DEPARTMENTS
    + f"""
[[department]]
code = "{OTHER_KIND}"
kind = "other"
name = "镇赉县发展和改革局"
"""
)

RECORD = """
mutation($input: PunishmentInput!) { recordPunishment(input: $input) {
  id subject subjectName caseNumber department appliedAt note recordedAt
  measure { code department }
} }"""
PUNISHMENTS = """
query($subject: String, $caseNumber: String, $first: Int) {
  punishments(subject: $subject, caseNumber: $caseNumber, first: $first) {
    id subject subjectName caseNumber department appliedAt measure { code }
  }
}"""
AUDITED = """
query($filter: AuditFilter) { auditEvents(filter: $filter, first: 50) {
  edges { node { operation actor outcome reason caseNumber subjects resultCount } } } }
"""


@pytest.fixture(scope="module")
def feedback_hub(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, embedded_server: EmbeddedServer
) -> Iterator[ControlHub]:
    folder = tmp_path_factory.mktemp("feedback")
    with seeded_hub(folder, data_dir, embedded_server, "fbk", FEEDBACK_DEPARTMENTS) as hub:
        hub.publish("psb.persons", _csv("id_number,name,gender", [f"{LAPSED},赵某,男"]), "psb")
        hub.publish(
            "court.dishonest",
            _csv(
                "case_number,subject_id,subject_name,listed_at,removed_at",
                [
                    f"{CASE_A},{RESPONDENT},张某,2024-03-01,",
                    f"{CASE_A},{COMPANY},镇赉某建筑有限公司,2024-03-01,",
                    f"{CASE_B},{LAPSED},赵某,2024-03-01,2024-06-01",
                ],
            ),
            "court",
        )
        yield hub


def record(hub: ControlHub, department: str, **given: Any) -> Any:
    """recordPunishment by `department`'s system (`given`: the input's fields)."""
    return hub.post(RECORD, {"input": given}, token=hub.department(department))


def recorded(hub: ControlHub, department: str, **given: Any) -> dict[str, Any]:
    answer = record(hub, department, **given)
    assert "errors" not in answer, answer
    found: dict[str, Any] = answer["data"]["recordPunishment"]
    return found


def refusal(answer: Any) -> tuple[str, str, str | None]:
    """The one error's code, message and argument."""
    [error] = answer["errors"]
    return error["extensions"]["code"], error["message"], error["extensions"].get("argument")


def punishments(hub: ControlHub, token: str, **variables: Any) -> list[dict[str, Any]]:
    answer = hub.post(PUNISHMENTS, {"first": 200, **variables}, token=token)
    assert "errors" not in answer, answer
    found: list[dict[str, Any]] = answer["data"]["punishments"]
    return found


def audited(hub: ControlHub, **where: Any) -> list[dict[str, Any]]:
    answer = hub.post(AUDITED, {"filter": where}, token=hub.token("auditor", "jw-feedback"))
    assert "errors" not in answer, answer
    return [edge["node"] for edge in answer["data"]["auditEvents"]["edges"]]
