"""nrb.properties: co-owned certificates, shares, and the one address a property lies at."""

from __future__ import annotations

from hub.store import GraphStore
from tests.connectors.conftest import Load
from tests.connectors.helpers import csv_text, enterprise_id, person_id, snapshot

WIFE, HUSBAND, COMPANY = person_id(30, "F"), person_id(31), enterprise_id(30)
HOME, SHOP = "吉（2022）镇赉县不动产权第0000001号", "吉（2021）镇赉县不动产权第0000002号"
PROPERTIES = csv_text(
    "cert_number,owner_id,owner_type,owner_name,share_pct,address,area_m2,use,estimated_value,"
    "registered_at,status",
    f"{HOME},{WIFE},person,孟梅艳,50,吉林省镇赉县东风村4组74号,131.56,住宅,305700.00,2022-10-14,正常",
    f"{HOME},{HUSBAND},person,王东建,50,吉林省镇赉县东风村4组74号,131.56,住宅,305700.00,"
    "2022-10-14,正常",
    f"{SHOP},{COMPANY},,某公司,,吉林省镇赉县振兴路1号,80,commercial,1000000,2021/07/22,查封",
)


async def test_co_owners_share_one_property_at_one_address(store: GraphStore, load: Load) -> None:
    report = await load("nrb.properties", PROPERTIES)

    assert (report.rows_accepted, report.created) == (3, 3)
    graph = await snapshot(store)
    home = graph.props(HOME)
    assert (home["use"], home["status"], home["area_m2"]) == ("residential", "normal", 131.56)
    assert home["estimated_value"] == "305700.00"
    assert graph.props(SHOP)["status"] == "sealed"
    shares = sorted((a, b, p["share_pct"]) for a, b, p in graph.edges("OWNS_PROPERTY"))
    assert shares == sorted([(WIFE, HOME, 50.0), (HUSBAND, HOME, 50.0), (COMPANY, SHOP, 100.0)])
    located = sorted((a, b) for a, b, _ in graph.edges("LOCATED_AT"))
    assert located == [(SHOP, "吉林省镇赉县振兴路1号"), (HOME, "吉林省镇赉县东风村4组74号")]
    again = await load("nrb.properties", PROPERTIES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


async def test_a_corrected_address_moves_the_property(store: GraphStore, load: Load) -> None:
    await load("nrb.properties", PROPERTIES)
    corrected = PROPERTIES.replace("东风村4组74号", "东风村4组75号")

    report = await load("nrb.properties", corrected)

    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    graph = await snapshot(store)
    assert [b for a, b, _ in graph.edges("LOCATED_AT") if a == HOME] == [
        "吉林省镇赉县东风村4组75号"
    ]
    assert graph.props(HOME)["address"] == "吉林省镇赉县东风村4组75号"
