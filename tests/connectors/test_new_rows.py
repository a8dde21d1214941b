"""Records new to the graph are created whole, their properties named in CREATE: a person
(`ingest_psb_persons`, without a stub from ingest_parties first) comes out as when it was a
stub another dataset had made and was completed, with the same run report; and no stored
column of psb.persons is left out of its CREATE."""

from __future__ import annotations

from datetime import date
from typing import Any

from hub.queries import load_queries
from hub.store import GraphStore
from schema import datasets
from schema.identifiers import make_id_number
from tests.connectors.conftest import Load
from tests.connectors.helpers import csv_text, person_id, snapshot

A, B, C, D = person_id(11), person_id(12, "F"), person_id(13), person_id(14)
LEGACY_18 = make_id_number("220821", date(1975, 3, 4), 12, "M")
LEGACY_15 = LEGACY_18[:6] + LEGACY_18[8:17]
FILE_TIMES = {"2023-05-10T15:58:32+08:00", "2022-01-01T08:00:00+08:00", "2024-01-01T00:00:00+08:00"}
# Persons sharing a phone and an address, a 15-digit number, a row repeated (a second batch),
# empty cells, and a person with no phone or address.
PERSONS = csv_text(
    "id_number,name,gender,birth_date,ethnicity,household_address,residence_address,phone,"
    "status,updated_at",
    f"{A},张三,男,1960-01-02,汉族,吉林省镇赉县幸福路1号,吉林省镇赉县建设街2号,13800000001,"
    "正常,2023-05-10T15:58:32+08:00",
    f"{C},王五,M,1961-02-03,,吉林省镇赉县幸福路1号,,13800000003,,",
    f"{D},赵六,F,19620304,满族,吉林省镇赉县幸福路1号,吉林省镇赉县民主街5号,138-0000-0003,"
    "迁出,2022-01-01T08:00:00+08:00",
    f"{LEGACY_15},孙七,男,,,,,,,",
    f"{C},王五,M,1961-02-03,,吉林省镇赉县幸福路9号,,13800000009,,2024-01-01T00:00:00+08:00",
    f"{B},李四,,,,,,,,",
)
CHANGED = PERSONS.replace("赵六", "赵小六").replace("孙七", "孙小七")
# Makes every person of PERSONS a stub (the legacy one by its 15-digit number, marked).
STUBS = csv_text(
    "id_number,relative_id_number,relation",
    f"{A},{B},配偶",
    f"{C},{D},兄弟姐妹",
    f"{LEGACY_15},{A},父母",
)


async def load_persons(
    load: Load, store: GraphStore
) -> tuple[list[Any], list[tuple[int, int, int, int, int]]]:
    """The graph (its RELATIVE edges left out) and the run's counts after each load."""
    graphs, counts = [], []
    for content in (PERSONS, PERSONS, CHANGED):
        run = await load("psb.persons", content)
        counts.append(
            (run.rows_accepted, run.created, run.updated, run.unchanged, run.parties_created)
        )
        graphs.append(_comparable(await snapshot(store)))
    return graphs, counts


def _comparable(graph: Any) -> tuple[Any, list[Any]]:
    """Without provenance and RELATIVE edges; an as_of dated by a run's start (a row without
    updated_at), which differs between runs, as a mark."""
    nodes, rels = graph.comparable()
    rels = [rel for rel in rels if rel[0] != "RELATIVE"]
    for rel in rels:
        for n, (name, value) in enumerate(rel[3]):
            if name == "as_of" and value not in FILE_TIMES:
                rel[3][n] = (name, "run start")
    return nodes, rels


async def test_new_persons_created_whole_match_stubs_completed(
    store: GraphStore, load: Load
) -> None:
    whole, whole_counts = await load_persons(load, store)
    await store.write("test_wipe")
    stubs = await load("psb.relations", STUBS)
    completed, completed_counts = await load_persons(load, store)

    assert whole == completed
    # The same counts, but for the parties the persons created where there were no stubs.
    # C's second row updates C in every load; CHANGED changes two names.
    assert whole_counts == [(6, 5, 1, 0, 5), (6, 0, 2, 4, 0), (6, 0, 4, 2, 0)]
    assert completed_counts == [(6, 5, 1, 0, 0), (6, 0, 2, 4, 0), (6, 0, 4, 2, 0)]
    assert stubs.parties_created == 5
    nodes = whole[0][0]
    assert nodes[LEGACY_18][1]["converted_from_15"] is True
    assert nodes[C][1]["household_address"] == "吉林省镇赉县幸福路9号"
    assert nodes[B][1]["verified"] is True


def test_a_person_created_whole_has_every_stored_column() -> None:
    for engine in ("falkordb", "neo4j"):
        text = load_queries(engine)["ingest_psb_persons"]
        create = text[text.index("CREATE (") :]
        stored = [column.name for column in datasets.PERSONS.columns if column.stored]
        missing = [name for name in stored if f"row.props.{name}," not in create]
        assert not missing, f"ingest_psb_persons ({engine}) creates a person without {missing}"
