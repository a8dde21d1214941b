"""psb.persons, psb.relations, psb.vehicles: loaded, queryable, idempotent, history kept."""

from __future__ import annotations

from datetime import date

from hub.store import GraphStore
from schema.identifiers import make_id_number
from tests.connectors.conftest import Load
from tests.connectors.helpers import csv_text, enterprise_id, person_id, snapshot

A, B, C = person_id(1), person_id(2, "F"), person_id(3)
PERSONS = csv_text(
    "id_number,name,gender,birth_date,ethnicity,household_address,residence_address,phone,"
    "status,updated_at",
    f"{A},张三,男,1960-01-02,汉族,吉林省镇赉县  幸福路1号,吉林省镇赉县建设街2号,13800000001,"
    "正常,2023-05-10T15:58:32+08:00",
    f"{B},李四,F,19600103,,吉林省镇赉县幸福路1号,,138-0000-0002,deceased,",
)


async def test_persons_load_as_verified_people_with_phones_and_addresses(
    store: GraphStore, load: Load
) -> None:
    report = await load("psb.persons", PERSONS)

    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (2, 2, 0)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    graph = await snapshot(store)
    zhang = graph.props(A)
    assert graph.labels(A) == {"Party", "Person"}
    assert zhang["name"] == "张三"
    assert zhang["gender"] == "M"
    assert zhang["birth_date"] == "1960-01-02"
    assert zhang["status"] == "normal"
    assert zhang["verified"] is True
    assert zhang["household_address"] == "吉林省镇赉县 幸福路1号"  # whitespace normalised
    assert zhang["updated_at"] == "2023-05-10T15:58:32+08:00"
    assert (zhang["source"], zhang["batch_id"]) == ("psb", report.run_id)
    li = graph.props(B)
    assert (li["gender"], li["birth_date"], li["status"]) == ("F", "1960-01-03", "deceased")
    assert "ethnicity" not in li  # an empty cell is unknown, not ""
    assert sorted((a, b) for a, b, _ in graph.edges("HAS_PHONE")) == [
        (A, "13800000001"),
        (B, "13800000002"),
    ]
    households = graph.edges("HOUSEHOLD_AT")
    assert {b for _, b, _ in households} == {"吉林省镇赉县 幸福路1号", "吉林省镇赉县幸福路1号"}
    assert [(a, b) for a, b, _ in graph.edges("RESIDES_AT")] == [(A, "吉林省镇赉县建设街2号")]
    for _, _, props in graph.edges("HAS_PHONE") + households:
        assert props["as_of"] and props["batch_id"] == report.run_id


async def test_reloading_persons_changes_nothing(store: GraphStore, load: Load) -> None:
    await load("psb.persons", PERSONS)
    before = await snapshot(store)

    again = await load("psb.persons", PERSONS)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert await snapshot(store) == before  # provenance included: nothing was rewritten


async def test_a_new_phone_and_address_keep_the_old_ones_as_history(
    store: GraphStore, load: Load
) -> None:
    await load("psb.persons", PERSONS)
    moved = f"""id_number,name,household_address,phone,updated_at
{A},张三,吉林省镇赉县新街9号,13900000009,2024-06-01T09:00:00+08:00
"""
    report = await load("psb.persons", moved)

    assert (report.created, report.updated) == (0, 1)
    graph = await snapshot(store)
    phones = {b: p["as_of"] for a, b, p in graph.edges("HAS_PHONE") if a == A}
    assert phones == {
        "13800000001": "2023-05-10T15:58:32+08:00",
        "13900000009": "2024-06-01T09:00:00+08:00",
    }
    households = {b for a, b, _ in graph.edges("HOUSEHOLD_AT") if a == A}
    assert households == {"吉林省镇赉县 幸福路1号", "吉林省镇赉县新街9号"}
    zhang = graph.props(A)
    assert zhang["household_address"] == "吉林省镇赉县新街9号"
    # Columns left out (or empty) are unknown: the values published before stay.
    assert (zhang["residence_address"], zhang["gender"]) == ("吉林省镇赉县建设街2号", "M")


async def test_a_15_digit_id_number_is_converted_and_marked(store: GraphStore, load: Load) -> None:
    eighteen = make_id_number("220821", date(1975, 3, 4), 12, "M")
    fifteen = eighteen[:6] + eighteen[8:17]

    report = await load("psb.persons", f"id_number,name\n{fifteen},王五\n")

    assert report.created == 1
    person = (await snapshot(store)).props(eighteen)
    assert person["converted_from_15"] is True
    assert person["name"] == "王五"


async def test_relations_link_people_once_per_pair_and_relation(
    store: GraphStore, load: Load
) -> None:
    await load("psb.persons", PERSONS)
    relations = f"""id_number,relative_id_number,relation
{A},{B},配偶
{B},{A},spouse
{C},{A},子女
{A},{B},配偶
"""
    report = await load("psb.relations", relations)

    assert (report.rows_read, report.created, report.unchanged) == (4, 3, 1)
    graph = await snapshot(store)
    assert sorted((a, b, p["relation"]) for a, b, p in graph.edges("RELATIVE")) == sorted(
        [(A, B, "spouse"), (B, A, "spouse"), (C, A, "child")]
    )
    assert graph.props(C)["verified"] is False  # C was never published by psb.persons
    again = await load("psb.relations", relations)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


async def test_a_vehicle_has_one_owner_and_a_sale_moves_it(store: GraphStore, load: Load) -> None:
    company = enterprise_id(1)
    vehicles = f"""plate_number,vin,owner_id,owner_name,brand_model,registered_at,status
吉G12345,lj1j1wl88ca991495,{A},张三,江淮 帅铃,2012/11/12,正常
吉G67890,LZW45RZZ0EA991496,{company},某公司,五菱 宏光,20140501,mortgaged
"""
    first = await load("psb.vehicles", vehicles)
    assert (first.created, first.parties_created) == (2, 2)
    graph = await snapshot(store)
    assert graph.props("LJ1J1WL88CA991495")["registered_at"] == "2012-11-12"
    assert graph.props("LZW45RZZ0EA991496")["status"] == "mortgaged"
    assert graph.labels(company) == {"Party", "Enterprise"}
    assert graph.props(company)["name"] == "某公司"

    sold = f"plate_number,vin,owner_id\n吉G12345,LJ1J1WL88CA991495,{B}\n"
    report = await load("psb.vehicles", sold)

    assert (report.created, report.updated) == (0, 1)
    owners = {(a, b) for a, b, _ in (await snapshot(store)).edges("OWNS_VEHICLE")}
    assert owners == {(B, "LJ1J1WL88CA991495"), (company, "LZW45RZZ0EA991496")}
