"""Each control operation sends the store a fixed, small number of queries (counted on
/metrics), audit append included."""

from __future__ import annotations

import httpx

from tests.control.conftest import ControlHub
from tests.control.helpers import account_target, answered, control_input, requested


def store_queries(hub: ControlHub) -> dict[str, float]:
    counts: dict[str, float] = {}
    for line in httpx.get(f"{hub.url}/metrics", timeout=10).text.splitlines():
        if line.startswith("hub_store_queries_total{") and "audit_checkpoint_add" not in line:
            name = line.split('query="', 1)[1].split('"', 1)[0]
            counts[name] = counts.get(name, 0) + float(line.rpartition(" ")[2])
    return counts


def sent_by(hub: ControlHub, call: object) -> dict[str, float]:
    before = store_queries(hub)
    assert callable(call)
    call()
    after = store_queries(hub)
    return {name: n - before.get(name, 0) for name, n in after.items() if n > before.get(name, 0)}


def test_a_request_and_its_answer_run_a_handful_of_queries(control_hub: ControlHub) -> None:
    found: dict[str, str] = {}

    def ask() -> None:
        found["id"] = requested(
            control_hub, control_input("FREEZE", account_target("bounded"), amount="10.00")
        )["id"]

    asked = sent_by(control_hub, ask)
    assert {k: v for k, v in asked.items() if not k.startswith("audit")} == {
        "case_access": 1,
        "control_target_account": 1,
        "control_request_create": 1,
    }
    assert sum(asked.values()) <= 5
    done = sent_by(
        control_hub,
        lambda: answered(control_hub, "icbc", {"requestId": found["id"], "outcome": "DONE"}),
    )
    assert {k: v for k, v in done.items() if not k.startswith("audit")} == {
        "control_request_get": 1,  # before; the answer is built from the writes' rows
        "control_request_update": 1,
        "control_measure_create": 1,
    }
    assert sum(done.values()) <= 5
