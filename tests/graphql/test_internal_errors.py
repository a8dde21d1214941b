"""An unexpected failure answers INTERNAL: the fixed message and the request id, nothing of
the exception (its text, type, stack or query) reaches the caller or the log, and the
request is on record. The store of a private hub fails on demand (tests/faults.py)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.security.audit import AuditEvent, AuditFilter, AuditLog
from hub.security.refusals import INTERNAL_MESSAGE
from hub.settings import Settings
from hub.store.embedded import EmbeddedServer
from tests.faults import SECRET, FaultyStore, PrivateApp, faulty_graph, private_app
from tests.security.support import OFFICER, bearer, with_test_secret

CASE = "（2024）吉0821执123号"
LEAKS = (SECRET, "RuntimeError", "TypeError", "Traceback", ".py", "cases_of_officer", "MATCH")


@pytest.fixture
async def store(embedded_server: EmbeddedServer, graph_name: str) -> AsyncIterator[FaultyStore]:
    async with faulty_graph(embedded_server, graph_name) as store:
        yield store


@pytest.fixture
async def hub(
    settings_for: Callable[[str, str], Settings],
    graph_name: str,
    tmp_path: Path,
    store: FaultyStore,
) -> AsyncIterator[PrivateApp]:
    settings = with_test_secret(settings_for("falkordb", graph_name), data_dir=tmp_path)
    async with private_app(settings, store) as app:
        yield app


async def ask(hub: PrivateApp, query: str, headers: dict[str, str]) -> httpx.Response:
    async with hub.client() as client:
        return await client.post("/graphql", json={"query": query}, headers=headers)


def internal_error(response: httpx.Response) -> dict[str, Any]:
    """The one error of the answer, which must be INTERNAL with the fixed message."""
    answer = response.json()
    error: dict[str, Any]
    [error] = answer["errors"]
    assert error["extensions"]["code"] == "INTERNAL", response.text
    assert error["message"] == INTERNAL_MESSAGE
    assert error["extensions"]["requestId"] == response.headers["X-Request-ID"]
    for leak in LEAKS:
        assert leak not in response.text, f"{leak!r} reached the caller: {response.text}"
    return error


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


async def events(store: FaultyStore, operation: str) -> list[AuditEvent]:
    page = await AuditLog(store.audit_store()).events(
        AuditFilter(operation=operation), first=10, after=None
    )
    return list(page.events)


async def test_an_operation_that_fails_unexpectedly_answers_internal_logged_and_audited(
    hub: PrivateApp, store: FaultyStore, caplog: pytest.LogCaptureFixture
) -> None:
    store.fail("cases_of_officer", RuntimeError(SECRET))
    caplog.set_level(logging.INFO)

    response = await ask(hub, "{ myCases { caseNumber } }", bearer("officer"))

    assert response.status_code == 200
    internal_error(response)
    assert response.json()["data"] is None
    request_id = response.headers["X-Request-ID"]
    logged = log_text(caplog)
    assert f"request {request_id}: myCases failed with RuntimeError at" in logged
    assert SECRET not in logged
    [event] = await events(store, "myCases")
    assert (event.outcome, event.reason, event.actor) == ("ERROR", "internal error", OFFICER)
    assert (event.request_id, event.result_count) == (request_id, 0)


async def test_a_failure_in_the_checks_before_the_operation_answers_internal_too(
    hub: PrivateApp, store: FaultyStore, caplog: pytest.LogCaptureFixture
) -> None:
    store.fail("case_access", RuntimeError(SECRET))  # the policy's own read
    caplog.set_level(logging.INFO)

    query = f'{{ case(caseNumber: "{CASE}") {{ caseNumber }} }}'
    response = await ask(hub, query, bearer("officer"))

    internal_error(response)
    assert store.calls.get("case_by_number") is None  # the operation itself never ran
    logged = log_text(caplog)
    assert f"request {response.headers['X-Request-ID']}: case: the checks failed" in logged
    assert SECRET not in logged
    [event] = await events(store, "case")
    assert (event.outcome, event.reason, event.case_number) == ("ERROR", "internal error", CASE)


async def test_the_other_fields_of_the_request_still_answer(
    hub: PrivateApp, store: FaultyStore
) -> None:
    store.fail("cases_of_officer", RuntimeError(SECRET))

    response = await ask(hub, "{ measures { code } myCases { caseNumber } }", bearer("officer"))

    internal_error(response)
    assert response.json()["data"] is None  # myCases is non-null: the null reaches the root
    [measures] = await events(store, "measures")
    assert measures.outcome == "ALLOWED"


async def test_a_value_the_schema_cannot_answer_is_internal_and_logged_without_its_text(
    hub: PrivateApp, store: FaultyStore, caplog: pytest.LogCaptureFixture
) -> None:
    # A row the store should never give: a case without its number (non-null in the schema).
    store.answer("case_by_number", [{"facts": {"case_number": None}, "parties": []}])
    caplog.set_level(logging.INFO)

    query = f'{{ case(caseNumber: "{CASE}") {{ caseNumber court }} }}'
    response = await ask(hub, query, bearer("admin", "ops-01"))

    error = internal_error(response)
    assert error["path"] == ["case", "caseNumber"]
    assert response.json()["data"] == {"case": None}
    logged = log_text(caplog)
    assert "unexpected TypeError at case.caseNumber" in logged
    assert "Cannot return null" not in logged  # the message is not logged, only where
    # Recorded as allowed before the answer was formed, then as what the caller got.
    recorded = sorted(await events(store, "case"), key=lambda event: event.seq)
    assert [(e.outcome, e.reason) for e in recorded] == [
        ("ALLOWED", None),
        ("ERROR", "internal error: the answer could not be formed after it was recorded"),
    ]
    assert {e.request_id for e in recorded} == {response.headers["X-Request-ID"]}
