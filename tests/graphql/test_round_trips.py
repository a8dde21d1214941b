"""Store round trips per operation (issue #18): tracePerson and locateAssets answer in at
most three queries before their audit append, the officer's purpose check carried by the
first of them; refused there, the request is refused and recorded as before, and nothing
but the check was read.

Counted on the served hub's /metrics (`hub_store_queries_total`, by query name: every
named query the store layer sends is one round trip), on a second call of each request.
The audit log's own queries (`audit_*`) come after the operation's and are not counted.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import httpx
import pytest

from hub.queries import QUERY_DIR, load_queries
from hub.security.audit import AuditEvent
from hub.settings import CONTROL_SHARE_PCT, MAX_CONTROL_CHAINS, MAX_TRACE_ITEMS
from hub.store.embedded import EmbeddedServer
from hub.store.falkordb import FalkorDBStore
from schema.identifiers import make_id_number
from tests.conftest import TEST_QUERY_DIR
from tests.graphql.audit_trail import events_since, last_seq
from tests.graphql.conftest import Hub, dump
from tests.graphql.test_bounded_queries import queries_by_name
from tests.graphql.test_scenarios import LOCATE, TRACE

MAX_ROUND_TRIPS = 3
STRANGER = make_id_number("220821", date(1950, 2, 2), 77, "F")  # in no case, nowhere


def operation_queries(sent: dict[str, int]) -> dict[str, int]:
    """The operation's own queries: those before the audit append."""
    return {name: n for name, n in sent.items() if not name.startswith("audit")}


def test_trace_person_takes_three_round_trips_with_the_purpose_check_in_the_first(
    hub: Hub,
) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    variables: dict[str, object] = {
        "id": scenario.respondent.id_number,
        "case": scenario.case_number,
    }
    sent = operation_queries(queries_by_name(hub, TRACE, variables, hub.officer))
    # the subject with the purpose check, then one query per hop of the default two
    assert sent == {"trace_subject": 1, "trace_neighbours": 2}, sent
    assert sum(sent.values()) <= MAX_ROUND_TRIPS


@pytest.mark.parametrize(
    "scenario_name", ["hidden_under_spouse", "many_holdings", "controlled_company_chain"]
)
def test_locate_assets_takes_three_round_trips_with_the_purpose_check_in_the_first(
    hub: Hub, scenario_name: str
) -> None:
    scenario = getattr(hub.manifest.scenarios, scenario_name)
    variables: dict[str, object] = {
        "subject": scenario.respondent.id_number,
        "case": scenario.case_number,
    }
    sent = operation_queries(queries_by_name(hub, LOCATE, variables, hub.officer))
    assert sent == {
        "assets_subject": 1,  # with the purpose check
        "assets_holdings": 1,
        "control_measures_of_assets": 1,
    }, sent
    assert sum(sent.values()) <= MAX_ROUND_TRIPS


def test_an_enterprise_s_locate_assets_adds_only_its_wage_check(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.legal_rep_of_listed
    variables: dict[str, object] = {
        "subject": scenario.listed_enterprise.uscc,
        "case": scenario.case_number,
    }
    sent = operation_queries(queries_by_name(hub, LOCATE, variables, hub.officer))
    # four queries, in three round trips: run_locate sends the wage check beside the holdings
    assert sent == {
        "assets_subject": 1,
        "assets_holdings": 1,
        "control_wage_check_latest": 1,
        "control_measures_of_assets": 1,
    }, sent


def store_queries(hub: Hub) -> dict[str, float]:
    """hub_store_queries_total from /metrics, by query name."""
    counts: dict[str, float] = {}
    for line in httpx.get(f"{hub.url}/metrics", timeout=10).text.splitlines():
        if line.startswith("hub_store_queries_total{"):
            name = line.split('query="', 1)[1].split('"', 1)[0]
            counts[name] = counts.get(name, 0.0) + float(line.rpartition(" ")[2])
    return counts


def refused(
    hub: Hub, server: EmbeddedServer, query: str, variables: dict[str, object], token: str
) -> tuple[dict[str, int], dict[str, Any], AuditEvent]:
    """A refused call: the operation's queries, its one error, and its audit record."""
    seq = last_seq(hub, server)
    before = store_queries(hub)
    answer = hub.post(query, variables, token=token)
    after = store_queries(hub)
    assert answer["data"] is None, dump(answer)
    [error] = answer["errors"]
    [event] = events_since(hub, server, seq)  # one record, the refusal's
    sent = {n: int(c - before.get(n, 0.0)) for n, c in after.items() if c > before.get(n, 0.0)}
    return operation_queries(sent), error, event


def assert_denied(event: AuditEvent, code: str, reason: str) -> None:
    assert (event.outcome, event.reason, event.result_count) == ("DENIED", f"{code}: {reason}", 0)


def test_trace_person_of_no_respondent_is_refused_in_its_first_query(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    variables: dict[str, object] = {"id": scenario.spouse.id_number, "case": scenario.case_number}
    sent, error, event = refused(hub, embedded_server, TRACE, variables, hub.officer)
    reason = (
        "officers may run tracePerson only on a respondent (被执行人) of their case: "
        f"the subject is not one in case {scenario.case_number}"
    )
    assert (error["extensions"]["code"], error["message"]) == ("FORBIDDEN", reason)
    assert_denied(event, "FORBIDDEN", reason)
    assert event.operation == "tracePerson" and event.subjects == (scenario.spouse.id_number,)
    assert sent == {"trace_subject": 1}, sent  # no hop of the associate search


def test_another_officers_case_is_refused_in_the_first_query(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    other = hub.token("officer", "fy0821-999")
    variables: dict[str, object] = {
        "subject": scenario.respondent.id_number,
        "case": scenario.case_number,
    }
    sent, error, event = refused(hub, embedded_server, LOCATE, variables, other)
    reason = (
        f"officers may use only their own cases: case {scenario.case_number} is assigned "
        "to another officer"
    )
    assert (error["extensions"]["code"], error["message"]) == ("FORBIDDEN", reason)
    assert_denied(event, "FORBIDDEN", reason)
    assert sent == {"assets_subject": 1}, sent


def test_locate_assets_of_no_party_and_of_an_unknown_case_are_refused_as_before(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    variables: dict[str, object] = {"subject": STRANGER, "case": scenario.case_number}
    sent, error, event = refused(hub, embedded_server, LOCATE, variables, hub.officer)
    reason = (
        "officers may run locateAssets only on a party of their case: the subject is not "
        f"one in case {scenario.case_number}"
    )
    assert (error["extensions"]["code"], error["message"]) == ("FORBIDDEN", reason)
    assert_denied(event, "FORBIDDEN", reason)
    assert sent == {"assets_subject": 1}, sent

    unknown = "（2099）吉0821执0号"
    of_unknown: dict[str, object] = {"subject": scenario.respondent.id_number, "case": unknown}
    sent, error, event = refused(hub, embedded_server, LOCATE, of_unknown, hub.officer)
    reason = f"case {unknown} does not exist"
    assert (error["extensions"]["code"], error["message"]) == ("NOT_FOUND", reason)
    assert_denied(event, "NOT_FOUND", reason)
    assert sent == {"assets_subject": 1}, sent


def first_queries_refusing(hub: Hub, server: EmbeddedServer) -> list[dict[str, object]]:
    """trace_subject and assets_subject, run with a purpose check that refuses (another
    officer's request for the scenario's respondent)."""
    scenario = hub.manifest.scenarios.many_holdings
    subject, case = scenario.respondent.id_number, scenario.case_number
    purpose = {"purpose_case": case, "purpose_subject": subject, "purpose_officer": "fy0821-999"}

    async def read() -> list[dict[str, object]]:
        assert server.address
        store = FalkorDBStore.connect(
            load_queries("falkordb", QUERY_DIR, TEST_QUERY_DIR),
            hub.graph,
            unix_socket=server.address.unix_socket,
            port=server.address.port or 0,
        )
        try:
            traced = await store.read(
                "trace_subject",
                {
                    **purpose,
                    "purpose_roles": ["respondent"],
                    "id": subject,
                    "max_items": MAX_TRACE_ITEMS,
                },
            )
            located = await store.read(
                "assets_subject",
                {
                    **purpose,
                    "purpose_roles": None,
                    "subject": subject,
                    "control_pct": CONTROL_SHARE_PCT,
                    "controller_title": "实际控制人",
                    "max_chains": MAX_CONTROL_CHAINS,
                },
            )
        finally:
            await store.close()
        return [*traced, *located]

    return asyncio.run(read())


def test_a_refusing_first_query_reads_nothing_but_the_check(
    hub: Hub, embedded_server: EmbeddedServer
) -> None:
    traced, located = first_queries_refusing(hub, embedded_server)
    facts = {"officer_id": hub.manifest.scenarios.officer_id, "roles": ["respondent"]}
    assert {name: traced[name] for name in facts} == facts, traced
    assert (traced["allowed"], traced["found"]) == (False, False), traced
    read = {name: value for name, value in traced.items() if isinstance(value, list)}
    assert read.pop("roles") == ["respondent"]
    assert read and all(value == [] for value in read.values()), traced
    assert {name: located[name] for name in facts} == facts, located
    assert located["allowed"] is False, located
    assert (located["id"], located["name"], located["chains"]) == (None, None, []), located
