"""No N+1: each operation sends the store a number of queries that does not grow with the
size of its answer (counted on /metrics, hub_store_queries_total)."""

from __future__ import annotations

import csv
import itertools
from datetime import date

import httpx

from hub.settings import MAX_ASSOCIATES, MAX_TRACE_HOPS
from schema.identifiers import is_id_number, is_uscc, make_id_number
from tests.graphql.conftest import Hub, dump
from tests.graphql.test_scenarios import CREDIT, LOCATE, TRACE, data, new_case


def queries_for(hub: Hub, query: str, variables: dict[str, object], token: str) -> float:
    """Store queries of one call, measured on a second call: the first in a process also
    reads the audit chain's head, which later appends keep in memory."""
    data(hub.post(query, variables, token=token))
    before = hub.store_queries()
    data(hub.post(query, variables, token=token))
    return hub.store_queries() - before


def test_locate_assets_runs_as_many_queries_for_many_holdings_as_for_none(hub: Hub) -> None:
    scenarios = hub.manifest.scenarios
    many, none = scenarios.many_holdings, scenarios.hidden_under_spouse
    big = queries_for(
        hub,
        LOCATE,
        {"subject": many.respondent.id_number, "case": many.case_number},
        hub.officer,
    )
    small = queries_for(
        hub,
        LOCATE,
        {"subject": none.respondent.id_number, "case": none.case_number},
        hub.officer,
    )
    assert big == small, f"{big} queries for 50 holdings, {small} for none"
    assert big <= 5  # policy, subject and chains, holdings, audit (head read, append)


def test_trace_person_runs_a_bounded_number_of_queries(hub: Hub) -> None:
    scenario = hub.manifest.scenarios.hidden_under_spouse
    variables = {"id": scenario.respondent.id_number, "case": scenario.case_number}
    for hops in range(1, MAX_TRACE_HOPS + 1):
        count = queries_for(hub, TRACE, {**variables, "hops": hops}, hub.officer)
        # policy, subject, relatives' holdings, one per hop, audit
        assert count <= 3 + hops + 2, f"maxHops {hops}: {count} queries"


def _county_ids(hub: Hub, limit: int) -> list[str]:
    with (hub.county / "psb.persons.csv").open(encoding="utf-8") as handle:
        return [row["id_number"] for row in itertools.islice(csv.DictReader(handle), limit)]


def test_credit_check_of_a_thousand_subjects_in_two_queries(hub: Hub) -> None:
    known = _county_ids(hub, 700)
    unknown = [
        make_id_number("220821", date(1901, 1, 1 + n % 28), n % 100, "M") for n in range(150)
    ]
    altered = (k[:-1] + ("0" if k[-1] != "0" else "1") for k in known)
    # An altered id number can pass as a uscc (one in 31 does): keep those that are neither.
    malformed = [a for a in altered if not is_id_number(a) and not is_uscc(a)][:140]
    malformed += ["x"] * 5 + ["220821199913320017"] * 5  # not a date
    subjects = [s for triple in zip(known, unknown + malformed, strict=False) for s in triple]
    subjects += known[len(unknown + malformed) :]
    assert len(subjects) == 1_000

    names = ("credit_subjects", "credit_listings")
    before = [hub.metric("hub_store_queries_total", engine="falkordb", query=q) for q in names]
    answer = hub.post(CREDIT, {"subjects": subjects}, token=hub.department())
    results = data(answer)["creditCheck"]
    after = [hub.metric("hub_store_queries_total", engine="falkordb", query=q) for q in names]
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 1]

    assert [r["subject"] for r in results] == subjects
    by_subject = {r["subject"]: r for r in results}
    assert all(by_subject[k]["valid"] and by_subject[k]["known"] for k in known)
    assert all(by_subject[u]["valid"] and not by_subject[u]["known"] for u in unknown)
    for bad in malformed:
        result = by_subject[bad]
        assert result["valid"] is False and result["error"], dump(result)
        assert not result["restricted"]


def _store_queries_by_name(hub: Hub) -> dict[str, float]:
    """hub_store_queries_total from /metrics, by query name."""
    found: dict[str, float] = {}
    for line in httpx.get(f"{hub.url}/metrics", timeout=10).text.splitlines():
        if line.startswith("hub_store_queries_total{"):
            labels, _, value = line.rpartition(" ")
            name = labels.split('query="', 1)[1].split('"', 1)[0]
            if name != "audit_checkpoint_add":  # a background task's, no request's
                found[name] = found.get(name, 0.0) + float(value)
    return found


def queries_by_name(
    hub: Hub, query: str, variables: dict[str, object], token: str
) -> dict[str, int]:
    """The store queries of one call by name, measured on a second call (as `queries_for`)."""
    data(hub.post(query, variables, token=token))
    before = _store_queries_by_name(hub)
    data(hub.post(query, variables, token=token))
    after = _store_queries_by_name(hub)
    return {
        name: int(count - before.get(name, 0.0))
        for name, count in after.items()
        if count > before.get(name, 0.0)
    }


def test_credit_check_runs_two_queries_and_the_audit_append_for_one_subject_or_a_thousand(
    hub: Hub,
) -> None:
    ids = _county_ids(hub, 1_000)
    for subjects in (ids[:1], ids):
        counts = queries_by_name(hub, CREDIT, {"subjects": subjects}, hub.department())
        # the subjects, their links to listings (the first county person has some), the record
        assert counts == {"credit_subjects": 1, "credit_listings": 1, "audit_append_batch": 1}


def test_associates_stay_bounded_around_hub_nodes(hub: Hub) -> None:
    """A member of the collective household (hundreds registered at one address) who also
    uses the switchboard phone: the trace neither follows those hubs nor grows with them."""
    hubs = hub.manifest.hubs
    with (hub.county / "psb.persons.csv").open(encoding="utf-8") as handle:
        members = [
            row
            for row in csv.DictReader(handle)
            if row["household_address"] == hubs.collective_address
        ]
    assert len(members) >= 50
    member = members[0]
    case = new_case(hub, member["id_number"], "person", member["name"])  # a case of its own
    variables = {"id": member["id_number"], "case": case, "hops": MAX_TRACE_HOPS}
    before = hub.store_queries()
    report = data(hub.post(TRACE, variables, token=hub.officer))["tracePerson"]
    assert hub.store_queries() - before <= 3 + MAX_TRACE_HOPS + 2

    assert len(report["associates"]) <= MAX_ASSOCIATES
    masked_switchboard = f"共用电话 *******{hubs.switchboard_phone[-4:]}"
    for associate in report["associates"]:
        assert all(hubs.collective_address not in step for step in associate["via"])
        assert masked_switchboard not in associate["via"]
    assert {"address": hubs.collective_address, "kind": "HOUSEHOLD"} in [
        {"address": a["address"], "kind": a["kind"]} for a in report["addresses"]
    ]
