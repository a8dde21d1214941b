"""A generated county loads whole, with zero rejects, and loading it again changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from connectors import load_county
from hub.cli.demo import load_demo_county
from hub.store import GraphStore
from seed.county import generate_county

PERSONS = 2_000


async def counts(store: GraphStore) -> dict[str, Any]:
    labels = {
        ("+".join(sorted(row["labels"])), row["verified"]): row["count"]
        for row in await store.read("test_label_counts")
    }
    types = {row["type"]: row["count"] for row in await store.read("test_type_counts")}
    return {"labels": labels, "types": types}


async def test_a_generated_county_loads_with_zero_rejects_and_reloads_unchanged(
    store: GraphStore, tmp_path: Path
) -> None:
    county = tmp_path / "county"
    manifest = generate_county(county, PERSONS, seed=3)
    seen: dict[str, int] = {}

    reports = await load_county(store, county, data_dir=tmp_path / "var", progress=seen.__setitem__)

    assert [r.dataset for r in reports] == list(manifest.row_counts)
    assert seen == manifest.row_counts
    for report in reports:
        assert report.rows_read == manifest.row_counts[report.dataset], report.dataset
        assert (report.rows_rejected, report.status) == (0, "completed"), report.rejects[:3]
        assert report.created + report.updated + report.unchanged == report.rows_read
        assert report.created > 0, report.dataset
    loaded = await counts(store)
    verified_persons = loaded["labels"][("Party+Person", True)]
    assert verified_persons == manifest.row_counts["psb.persons"]
    assert loaded["types"]["RELATIVE"] == manifest.row_counts["psb.relations"]
    assert loaded["types"]["HOLDS_ACCOUNT"] == manifest.row_counts["bank.accounts"]
    assert loaded["types"]["OWNS_PROPERTY"] == manifest.row_counts["nrb.properties"]
    assert loaded["types"]["OWNS_VEHICLE"] == manifest.row_counts["psb.vehicles"]
    assert loaded["labels"][("Case", None)] == manifest.row_counts["court.cases"]

    again = await load_county(store, county, data_dir=tmp_path / "var")

    for report in again:
        assert (report.created, report.updated, report.parties_created) == (0, 0, 0)
        assert report.unchanged == report.rows_read, report.dataset
    reloaded = await counts(store)
    runs = ("ConnectorRun", None)
    assert reloaded["labels"].pop(runs) == 2 * loaded["labels"].pop(runs) == 22
    assert reloaded == loaded


async def test_the_demo_county_is_generated_and_loaded_once(
    store: GraphStore, tmp_path: Path
) -> None:
    first = await load_demo_county(store, tmp_path, persons=200)

    assert len(first) == 11 and all(report.rows_rejected == 0 for report in first)
    manifest = json.loads((tmp_path / "demo" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["persons"] == 200
    assert await load_demo_county(store, tmp_path, persons=200) == []
