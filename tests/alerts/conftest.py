"""A hub of its own for each alerts test module: a private graph on the session's embedded
store, seeded as the control tests seed theirs (tests/control/conftest.py) plus case D, an
open case of the same officer that one test closes. Alerts are shared state (every request
raises some), so no module sees another's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hub.settings import get_settings
from hub.store.embedded import EmbeddedServer
from tests.control.conftest import (
    OFFICER,
    RESPONDENT,
    ControlHub,
    _csv,
    seeded_hub,
)

CASE_D = "（2024）吉0821执104号"  # the officer's; closed by the test of closed cases
CASE_E = "（2024）吉0821执105号"  # the officer's; reassigned by the test of reassignment

ALERT_FIELDS = "id kind caseNumber subject { id name kind } message at read ref"
ALERTS = (
    "query($unread: Boolean, $first: Int, $after: String) {"
    " alerts(unread: $unread, first: $first, after: $after) {"
    f" edges {{ cursor node {{ {ALERT_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
)
MARK_READ = "mutation($ids: [ID!]!) { markAlertsRead(ids: $ids) }"


def publish_case(hub: ControlHub, case: str, officer: str = OFFICER, status: str = "open") -> None:
    hub.publish(
        "court.cases",
        _csv(
            "case_number,court,filed_at,amount,officer_id,status",
            [f"{case},镇赉县人民法院,2024-04-10,50000.00,{officer},{status}"],
        ),
        "court",
    )


@pytest.fixture(scope="module")
def alert_hub(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, embedded_server: EmbeddedServer
) -> Iterator[ControlHub]:
    folder = tmp_path_factory.mktemp("alerts")
    # the subscription tests wait for alerts: looked for often
    with seeded_hub(folder, data_dir, embedded_server, "alr", alert_poll_seconds=0.2) as hub:
        for case in (CASE_D, CASE_E):
            publish_case(hub, case)
        hub.publish(
            "court.parties",
            _csv(
                "case_number,party_id,role",
                [f"{case},{RESPONDENT},respondent" for case in (CASE_D, CASE_E)],
            ),
            "court",
        )
        yield hub


@pytest.fixture
def cli_env(alert_hub: ControlHub, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`hub …` commands run in this process on the module's graph."""
    monkeypatch.setenv("HUB_GRAPH_URI", "embedded")
    monkeypatch.setenv("HUB_DATA_DIR", str(alert_hub.data_dir))
    monkeypatch.setenv("HUB_GRAPH_DATABASE", alert_hub.graph)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def alerts(hub: ControlHub, token: str, **variables: Any) -> list[dict[str, Any]]:
    """Every alert of the caller (first page of 200)."""
    result = hub.post(ALERTS, {"first": 200, **variables}, token=token)
    assert "errors" not in result, result
    return [edge["node"] for edge in result["data"]["alerts"]["edges"]]


def of_kind(found: list[dict[str, Any]], kind: str, ref: str | None = None) -> list[dict[str, Any]]:
    return [a for a in found if a["kind"] == kind and (ref is None or a["ref"] == ref)]
