"""A hub of its own for the control tests: its own graph on the session's embedded store,
a departments file with two banks and 人社, and a small county published through
POST /ingest by each department (so provenance is real). Tests change what they touch, so
each test acts on assets no other test uses."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from hub.control.clock import CLOCK
from hub.security.tokens import issue_token, load_secret_key
from hub.settings import Settings
from hub.store.embedded import EmbeddedServer
from schema.identifiers import make_id_number, make_uscc
from tests.conftest import drop_graph
from tests.serving import serving

REGION = "220821"
OFFICER = "fy0821-001"
OTHER_OFFICER = "fy0821-002"
CASE_A = "（2024）吉0821执101号"
CASE_B = "（2024）吉0821执102号"
CASE_C = "（2024）吉0821执103号"  # another officer's

DEPARTMENTS = """
[[department]]
code = "psb"
kind = "psb"
[[department]]
code = "amr"
kind = "amr"
[[department]]
code = "nrb"
kind = "nrb"
[[department]]
code = "court"
kind = "court"
[[department]]
code = "hrss"
kind = "hrss"
[[department]]
code = "icbc"
kind = "bank"
name = "工商银行镇赉支行"
[[department]]
code = "ccb"
kind = "bank"
name = "建设银行镇赉支行"
"""


def person(n: int) -> str:
    return make_id_number(REGION, date(1980, 1, 1) + timedelta(days=n), n, "M" if n % 2 else "F")


def enterprise(n: int) -> str:
    return make_uscc(REGION, 1000 + n)


RESPONDENT = person(1)  # 张某, respondent in cases A and B
SECOND = person(2)  # 李某, respondent in case B
OUTSIDER = person(3)  # no party of any case
COMPANY = enterprise(1)  # respondent in case A; wage arrears
HELD = enterprise(2)  # RESPONDENT holds 60% of it

# Accounts, properties, vehicles: each test uses its own.
ACCOUNTS = {
    "partial": ("icbc", "6222000000000001", RESPONDENT, "ordinary", "30000.00"),
    "deduct": ("icbc", "6222000000000002", RESPONDENT, "ordinary", "50000.00"),
    "wage": ("icbc", "6222000000000003", COMPANY, "wage_special", "80000.00"),
    "deposit": ("ccb", "6227000000000004", COMPANY, "工资保证金", "10000.00"),  # as banks write it
    "outsider": ("icbc", "6222000000000005", OUTSIDER, "ordinary", "1000.00"),
    "cycle": ("ccb", "6227000000000006", RESPONDENT, "ordinary", "90000.00"),
    "renew": ("icbc", "6222000000000007", RESPONDENT, "ordinary", "5000.00"),
    "file": ("ccb", "6227000000000008", RESPONDENT, "ordinary", "7000.00"),
    "cancel": ("icbc", "6222000000000009", RESPONDENT, "ordinary", "7000.00"),
    "other": ("icbc", "6222000000000010", RESPONDENT, "ordinary", "7000.00"),
    "locate": ("icbc", "6222000000000011", RESPONDENT, "ordinary", "7000.00"),
    "bounded": ("icbc", "6222000000000012", RESPONDENT, "ordinary", "7000.00"),
}
PROPERTIES = {
    "queue": ("吉（2023）镇赉县不动产权第0000101号", RESPONDENT),
    "cycle": ("吉（2023）镇赉县不动产权第0000102号", RESPONDENT),
    "company": ("吉（2023）镇赉县不动产权第0000103号", COMPANY),
    "lapse": ("吉（2023）镇赉县不动产权第0000104号", RESPONDENT),
    "serve": ("吉（2023）镇赉县不动产权第0000105号", RESPONDENT),
}
VEHICLES = {"cycle": ("吉G·A1001", "LVSHCAMB1CE000001", RESPONDENT)}


def _csv(header: str, rows: list[str]) -> str:
    return header + "\n" + "\n".join(rows) + "\n"


@dataclass
class ControlHub:
    url: str
    app: Starlette
    secret: bytes
    graph: str
    data_dir: Path
    settings: Settings

    def token(self, role: str, subject: str, department: str | None = None) -> str:
        return issue_token(
            self.secret,
            role=role,  # type: ignore[arg-type]
            subject=subject,
            department=department,
            ttl=timedelta(hours=1),
        )

    @property
    def officer(self) -> str:
        return self.token("officer", OFFICER)

    def department(self, code: str) -> str:
        return self.token("department", f"{code}-system", code)

    def post(self, query: str, variables: dict[str, Any] | None = None, *, token: str) -> Any:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def publish(self, dataset: str, text: str, department: str) -> None:
        response = httpx.post(
            f"{self.url}/ingest/{dataset}",
            content=text.encode("utf-8"),
            headers={
                "Authorization": f"Bearer {self.department(department)}",
                "Content-Type": "text/csv",
            },
            timeout=60,
        )
        assert response.status_code == 200, response.text
        assert response.json()["rows_rejected"] == 0, response.text


def _seed(hub: ControlHub) -> None:
    hub.publish(
        "psb.persons",
        _csv(
            "id_number,name,gender",
            [f"{RESPONDENT},张某,男", f"{SECOND},李某,女", f"{OUTSIDER},王某,男"],
        ),
        "psb",
    )
    hub.publish(
        "amr.enterprises",
        _csv(
            "uscc,name,legal_rep_id",
            [f"{COMPANY},镇赉某建筑有限公司,{SECOND}", f"{HELD},镇赉某商贸有限公司,{RESPONDENT}"],
        ),
        "amr",
    )
    hub.publish(
        "amr.shareholders", _csv("uscc,holder_id,share_pct", [f"{HELD},{RESPONDENT},60"]), "amr"
    )
    hub.publish(
        "court.cases",
        _csv(
            "case_number,court,filed_at,amount,officer_id",
            [
                f"{CASE_A},镇赉县人民法院,2024-01-10,200000.00,{OFFICER}",
                f"{CASE_B},镇赉县人民法院,2024-02-10,100000.00,{OFFICER}",
                f"{CASE_C},镇赉县人民法院,2024-03-10,100000.00,{OTHER_OFFICER}",
            ],
        ),
        "court",
    )
    hub.publish(
        "court.parties",
        _csv(
            "case_number,party_id,role",
            [
                f"{CASE_A},{RESPONDENT},respondent",
                f"{CASE_A},{COMPANY},respondent",
                f"{CASE_B},{RESPONDENT},respondent",
                f"{CASE_B},{SECOND},respondent",
                f"{CASE_C},{RESPONDENT},respondent",
            ],
        ),
        "court",
    )
    for bank in ("icbc", "ccb"):
        rows = [
            f"{code},{number},{holder},{kind},{balance},2024-06-30"
            for code, number, holder, kind, balance in ACCOUNTS.values()
            if code == bank
        ]
        hub.publish(
            "bank.accounts",
            _csv("bank_code,account_number,holder_id,account_type,balance,balance_as_of", rows),
            bank,
        )
    hub.publish(
        "nrb.properties",
        _csv(
            "cert_number,owner_id,address,estimated_value",
            [
                f"{cert},{owner},镇赉县镇赉镇某路{n}号,300000"
                for n, (cert, owner) in enumerate(PROPERTIES.values(), 1)
            ],
        ),
        "nrb",
    )
    hub.publish(
        "psb.vehicles",
        _csv(
            "plate_number,vin,owner_id",
            [f"{plate},{vin},{owner}" for plate, vin, owner in VEHICLES.values()],
        ),
        "psb",
    )


@contextlib.contextmanager
def seeded_hub(
    folder: Path,
    data_dir: Path,
    embedded_server: EmbeddedServer,
    prefix: str,
    departments: str = DEPARTMENTS,
    **settings: Any,
) -> Iterator[ControlHub]:
    """A hub of its own graph (`prefix_…`) on the session's store, with `departments`,
    seeded with the control tests' county; the graph is dropped after."""
    departments_file = folder / "departments.toml"
    departments_file.write_text(departments, encoding="utf-8")
    graph = f"{prefix}_{uuid.uuid4().hex[:10]}"
    configured = Settings(
        graph_uri="embedded",
        data_dir=data_dir,
        graph_database=graph,
        departments_file=departments_file,
        **settings,
    )
    try:
        with serving(configured) as (url, app):
            hub = ControlHub(url, app, load_secret_key(configured), graph, data_dir, configured)
            _seed(hub)
            yield hub
    finally:
        drop_graph("falkordb", embedded_server, graph)


@pytest.fixture(scope="session")
def control_hub(
    tmp_path_factory: pytest.TempPathFactory, data_dir: Path, embedded_server: EmbeddedServer
) -> Iterator[ControlHub]:
    with seeded_hub(tmp_path_factory.mktemp("control"), data_dir, embedded_server, "ctl") as hub:
        yield hub


@pytest.fixture
def clock() -> Iterator[Any]:
    """The control rules' clock, moved by a test and put back after it."""
    yield CLOCK
    CLOCK.offset = timedelta(0)
