"""Introspection off means off (issue 13, item 6): no "Did you mean …?" for fields,
arguments, types, input fields or enum values, so guessing near a name tells nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hub.settings import Settings
from hub.store import GraphStore
from tests.security.support import app_client, bearer, with_test_secret

# (query, variables, the name graphql-core would suggest)
GUESSES: list[tuple[str, dict[str, Any], str]] = [
    ("{ tracePersn }", {}, "'tracePerson'"),
    ('{ tracePerson(idNumbr: "x", caseNumber: "y") { phones } }', {}, "'idNumber'"),
    ("{ measures { cod } }", {}, "'code'"),
    ("query($o: AuditOutcom) { measures { code } }", {}, "'AuditOutcome'"),
    ("{ auditEvents(filter: {outcom: ALLOWED}) { edges { cursor } } }", {}, "'outcome'"),
    ("{ auditEvents(filter: {outcome: ALLOWD}) { edges { cursor } } }", {}, "'ALLOWED'"),
    (
        "query($o: AuditOutcome) { auditEvents(filter: {outcome: $o}) { edges { cursor } } }",
        {"o": "ALLOWD"},
        "'ALLOWED'",
    ),
]


@pytest.fixture
def settings(
    settings_for: Callable[[str, str], Settings], engine: str, graph_name: str
) -> Settings:
    return with_test_secret(settings_for(engine, graph_name))


@pytest.mark.parametrize("introspection", [True, False])
async def test_no_suggestions_when_introspection_is_off(
    store: GraphStore, settings: Settings, introspection: bool
) -> None:
    configured = settings.model_copy(update={"introspection": introspection})
    messages: list[str] = []
    async with app_client(configured, store) as client:
        for query, variables, _ in GUESSES:
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers=bearer("auditor", "audit-office-1"),
            )
            errors = response.json()["errors"]
            assert {e["extensions"]["code"] for e in errors} == {"BAD_USER_INPUT"}, errors
            messages.append(" | ".join(e["message"] for e in errors))

    for (query, variables, suggestion), message in zip(GUESSES, messages, strict=True):
        if introspection and not variables:  # the same guesses draw suggestions with it on
            # (an error of a variable's value never quotes the value, suggestions and all)
            assert "Did you mean" in message and suggestion in message, (query, message)
        else:
            assert "Did you mean" not in message and suggestion not in message, (query, message)
