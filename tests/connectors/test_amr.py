"""amr.enterprises, amr.shareholders, amr.executives: the registry's view of enterprises."""

from __future__ import annotations

from hub.store import GraphStore
from tests.connectors.conftest import Load
from tests.connectors.helpers import csv_text, enterprise_id, person_id, snapshot

E1, E2 = enterprise_id(1), enterprise_id(2)
REP, OTHER = person_id(10), person_id(11)
ENTERPRISES = csv_text(
    "uscc,name,enterprise_type,status,registered_capital,established_date,address,"
    "legal_rep_id,legal_rep_name,updated_at",
    f"{E1},镇赉县某某农业有限公司,有限责任公司,存续,100,2014-02-05,吉林省镇赉县振兴路168号,"
    f"{REP},金东成,2023-03-08T10:00:00+08:00",
    f"{E2.lower()},吉林省某某科技有限公司,,revoked,12.5,2018/11/26,,{REP},金东成,",
)


async def test_enterprises_load_verified_with_their_legal_representative(
    store: GraphStore, load: Load
) -> None:
    report = await load("amr.enterprises", ENTERPRISES)

    assert (report.rows_accepted, report.created) == (2, 2)
    graph = await snapshot(store)
    first = graph.props(E1)
    assert graph.labels(E1) == {"Party", "Enterprise"}
    assert (first["name"], first["status"], first["verified"]) == (
        "镇赉县某某农业有限公司",
        "active",
        True,
    )
    assert first["registered_capital"] == "100.00"  # 万元, exact decimal text
    assert first["established_date"] == "2014-02-05"
    second = graph.props(E2)  # the lower-case uscc was normalised
    assert (second["status"], second["registered_capital"]) == ("revoked", "12.50")
    assert sorted(a + b for a, b, _ in graph.edges("LEGAL_REP_OF")) == sorted([REP + E1, REP + E2])
    rep = graph.props(REP)
    assert (rep["name"], rep["verified"]) == ("金东成", False)  # a stub until psb publishes it
    assert [(a, b) for a, b, _ in graph.edges("REGISTERED_AT")] == [(E1, "吉林省镇赉县振兴路168号")]
    again = await load("amr.enterprises", ENTERPRISES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


async def test_a_new_legal_representative_replaces_the_old_one(
    store: GraphStore, load: Load
) -> None:
    await load("amr.enterprises", ENTERPRISES)

    changed = f"uscc,name,legal_rep_id,legal_rep_name\n{E1},镇赉县某某农业有限公司,{OTHER},新代表\n"
    report = await load("amr.enterprises", changed)

    assert report.updated == 1
    reps = {(a, b) for a, b, _ in (await snapshot(store)).edges("LEGAL_REP_OF")}
    assert reps == {(OTHER, E1), (REP, E2)}


async def test_shareholders_are_people_or_enterprises_and_stubs_get_their_names(
    store: GraphStore, load: Load
) -> None:
    shareholders = csv_text(
        "uscc,holder_id,holder_type,holder_name,share_pct,subscribed_capital,paid_capital",
        f"{E1},{REP},person,金东成,60,60,30.5",
        f"{E1},{E2},enterprise,吉林省某某科技有限公司,40.1234%,40,",
    )
    report = await load("amr.shareholders", shareholders)

    assert (report.created, report.parties_created) == (2, 3)
    graph = await snapshot(store)
    shares = {a: p for a, b, p in graph.edges("SHAREHOLDER_OF") if b == E1}
    assert shares[REP]["share_pct"] == 60.0
    assert (shares[REP]["subscribed_capital"], shares[REP]["paid_capital"]) == ("60.00", "30.50")
    assert shares[E2]["share_pct"] == 40.1234
    assert "paid_capital" not in shares[E2]
    assert graph.props(E2) == graph.props(E2) | {
        "name": "吉林省某某科技有限公司",
        "verified": False,
    }
    assert graph.props(E1)["verified"] is False and "name" not in graph.props(E1)

    # The registry publishes the enterprises afterwards: the stubs are completed, not duplicated.
    await load("amr.enterprises", ENTERPRISES)
    graph = await snapshot(store)
    assert graph.props(E1)["verified"] is True
    assert len(graph.with_label("Enterprise")) == 2


async def test_executives_are_keyed_by_title(store: GraphStore, load: Load) -> None:
    executives = f"""uscc,id_number,name,title
{E1},{REP},金东成,董事长
{E1},{REP},金东成,manager
{E1},{OTHER},王监事,
"""
    report = await load("amr.executives", executives)

    assert report.created == 3
    roles = {(a, p["title"]) for a, _, p in (await snapshot(store)).edges("EXECUTIVE_OF")}
    assert roles == {(REP, "chairman"), (REP, "manager"), (OTHER, "unspecified")}
