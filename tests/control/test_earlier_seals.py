"""Earlier seals not served through the hub (在先查封): a seal the department reports in its
answer, or publishes as the asset's status, stands ahead of the hub's; the hub's seal waits
(轮候) and comes into force when the department publishes the asset free of seals."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from hub.cli import app as cli
from hub.settings import get_settings
from tests.control.conftest import CASE_A, RESPONDENT, ControlHub
from tests.control.helpers import answered, control_input, refusal, request, requested

ALERTS = "query { alerts(first: 200) { edges { node { kind ref } } } }"
CONTROLS = """
query($subject: String!, $caseNumber: String!) {
  locateAssets(subject: $subject, caseNumber: $caseNumber, includeIndirect: false) {
    properties { certNumber status
                 controls { id kind caseNumber queuePosition state reported effectiveFrom } }
  }
}
"""


def publish_property(hub: ControlHub, cert: str, status: str) -> None:
    hub.publish(
        "nrb.properties",
        f"cert_number,owner_id,address,estimated_value,status\n"
        f"{cert},{RESPONDENT},镇赉县镇赉镇某路9号,300000,{status}\n",
        "nrb",
    )


def controls(hub: ControlHub, cert: str) -> tuple[str, list[dict[str, Any]]]:
    result = hub.post(CONTROLS, {"subject": RESPONDENT, "caseNumber": CASE_A}, token=hub.officer)
    assert "errors" not in result, result
    [held] = [p for p in result["data"]["locateAssets"]["properties"] if p["certNumber"] == cert]
    return held["status"], held["controls"]


def seal(hub: ControlHub, cert: str, **answer: Any) -> dict[str, Any]:
    sent = requested(hub, control_input("SEAL", {"kind": "PROPERTY", "certNumber": cert}))
    return answered(hub, "nrb", {"requestId": sent["id"], "outcome": "DONE", **answer})


@pytest.fixture
def expire_cli(control_hub: ControlHub, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("HUB_GRAPH_URI", "embedded")
    monkeypatch.setenv("HUB_DATA_DIR", str(control_hub.data_dir))
    monkeypatch.setenv("HUB_GRAPH_DATABASE", control_hub.graph)
    get_settings.cache_clear()
    yield lambda: CliRunner().invoke(cli, ["control", "expire"])
    get_settings.cache_clear()


def test_a_seal_on_a_property_published_sealed_waits_until_it_is_published_free(
    control_hub: ControlHub, expire_cli: Any
) -> None:
    cert = "吉（2023）镇赉县不动产权第0000201号"
    publish_property(control_hub, cert, "查封")
    measure = seal(control_hub, cert)["measure"]
    assert (measure["state"], measure["queuePosition"]) == ("WAITING", 2)
    status, standing = controls(control_hub, cert)
    assert status == "sealed"
    assert [(c["caseNumber"], c["queuePosition"], c["state"]) for c in standing] == [
        (None, 1, "IN_FORCE"),
        (CASE_A, 2, "WAITING"),
    ]
    earlier = standing[0]
    assert earlier["reported"] == "在先查封（nrb公布）"

    # still published sealed: the expiry run leaves it
    unchanged = expire_cli()
    assert unchanged.exit_code == 0, unchanged.output
    assert controls(control_hub, cert)[1] == standing

    # the officer cannot release the other seal
    given = control_input(
        "RELEASE", {"kind": "PROPERTY", "certNumber": cert}, measureId=earlier["id"]
    )
    code, message, argument = refusal(request(control_hub, given))
    assert (code, argument) == ("BAD_USER_INPUT", "input.measureId")
    assert "在先查封" in message

    publish_property(control_hub, cert, "正常")
    ended = expire_cli()
    assert ended.exit_code == 0, ended.output
    assert earlier["id"] in ended.output and "1 earlier seals ended" in ended.output
    status, standing = controls(control_hub, cert)
    assert status == "sealed"  # the hub's seal is in force now
    assert [(c["id"], c["queuePosition"], c["state"]) for c in standing] == [
        (measure["id"], 1, "IN_FORCE")
    ]
    assert standing[0]["effectiveFrom"] is not None
    alerts = control_hub.post(ALERTS, token=control_hub.officer)
    advanced = [
        a
        for a in alerts["data"]["alerts"]["edges"]
        if a["node"]["kind"] == "QUEUE_ADVANCED" and a["node"]["ref"] == measure["id"]
    ]
    assert len(advanced) == 1


def test_earlier_seals_the_department_reports_queue_ahead_in_the_order_reported(
    control_hub: ControlHub,
) -> None:
    cert = "吉（2023）镇赉县不动产权第0000202号"
    publish_property(control_hub, cert, "正常")
    reported = ["（2024）吉0821执108号 查封", "（2024）吉0802执55号 轮候查封"]
    measure = seal(control_hub, cert, earlierMeasures=reported)["measure"]
    assert (measure["state"], measure["queuePosition"]) == ("WAITING", 3)
    _, standing = controls(control_hub, cert)
    assert [(c["reported"], c["queuePosition"], c["state"]) for c in standing] == [
        (reported[0], 1, "IN_FORCE"),
        (reported[1], 2, "WAITING"),
        (None, 3, "WAITING"),
    ]


def test_a_seal_on_a_property_the_hub_sealed_queues_behind_the_hubs_seal_only(
    control_hub: ControlHub,
) -> None:
    """The department publishing the hub's own seal as the status adds no earlier seal."""
    cert = "吉（2023）镇赉县不动产权第0000203号"
    publish_property(control_hub, cert, "正常")
    first = seal(control_hub, cert)["measure"]
    publish_property(control_hub, cert, "查封")
    second = seal(control_hub, cert, earlierMeasures=["本院（2024）吉0821执101号 查封"])
    assert (first["state"], second["measure"]["queuePosition"]) == ("IN_FORCE", 2)
    _, standing = controls(control_hub, cert)
    assert [c["reported"] for c in standing] == [None, None]
