"""The associate search of tracePerson: a breadth-first search, one query per hop.

Persons are linked through family, a shared phone, a shared address or a common enterprise.
Each hop is one `trace_neighbours` query for the whole frontier, so a search of `max_hops`
runs at most `max_hops` queries whatever it finds. It stays bounded around hub nodes: the
query does not follow a phone, address or enterprise linking more than MAX_SHARED_DEGREE
persons, each person leads to at most MAX_NEIGHBOURS_PER_PERSON others, and at most
MAX_FRONTIER persons are expanded per hop. A person is reported at the hop and through the
path where the search first reached them, the closest link kind winning within a hop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from hub.graphql.labels import (
    INVERSE_RELATION,
    SHARED_ADDRESS,
    SHARED_PHONE,
    office_word,
    relation_word,
)
from hub.security.masking import mask_phone
from hub.settings import (
    MAX_ASSOCIATES,
    MAX_FRONTIER,
    MAX_NEIGHBOURS_PER_PERSON,
    MAX_SHARED_DEGREE,
)
from hub.store import GraphStore

Row = dict[str, Any]

# How close a link makes two persons: lower is closer.
LINK_WEIGHT: Final = {"FAMILY": 1, "PHONE": 1, "ADDRESS": 2, "ENTERPRISE": 3}


@dataclass(frozen=True)
class Found:
    """A person the search reached, the words of the path to them, and how close they are."""

    person: Row
    hops: int
    via: tuple[str, ...]
    weight: int

    @property
    def rank(self) -> tuple[int, int, str]:
        return (self.hops, self.weight, str(self.person.get("party_id")))


def link_words(row: Row) -> str:
    """The step of a `via` path that a neighbour row describes."""
    link, label, person = row["link"], row["label"], row["person"]
    if link == "FAMILY":
        relation = label if row["outgoing"] else INVERSE_RELATION.get(label, label)
        return f"{relation_word(relation)} {person.get('name') or ''}".strip()
    if link == "PHONE":
        return f"{SHARED_PHONE} {mask_phone(label)}"
    if link == "ADDRESS":
        return f"{SHARED_ADDRESS} {label}"
    return f"{office_word(person.get('role') or '', person.get('title'))} {label}"


async def find_associates(store: GraphStore, subject_id: str, max_hops: int) -> list[Found]:
    """Persons within `max_hops` of the subject, closest first, at most MAX_ASSOCIATES."""
    paths: dict[str, Found] = {}
    reached: set[str] = {subject_id}
    frontier: list[str] = [subject_id]
    for hop in range(1, max_hops + 1):
        rows = await store.read(
            "trace_neighbours", {"ids": frontier, "max_degree": MAX_SHARED_DEGREE}
        )
        found = _next_hop(rows, paths, reached, hop)
        for item in found:
            paths[item.person["party_id"]] = item
            reached.add(item.person["party_id"])
        frontier = [item.person["party_id"] for item in found[:MAX_FRONTIER]]
        if not frontier:
            break
    return sorted(paths.values(), key=lambda item: item.rank)[:MAX_ASSOCIATES]


def _next_hop(
    rows: Iterable[Row], paths: dict[str, Found], reached: set[str], hop: int
) -> list[Found]:
    """The persons first reached at this hop, each through their closest link, closest first."""
    per_source: dict[str, int] = {}
    best: dict[str, Found] = {}
    for row in sorted(rows, key=lambda r: _row_rank(r, paths)):
        target = row["person"]["party_id"]
        source = row["from_id"]
        if target in reached or target in best:
            continue
        if per_source.get(source, 0) >= MAX_NEIGHBOURS_PER_PERSON:
            continue
        per_source[source] = per_source.get(source, 0) + 1
        before = paths.get(source)
        best[target] = Found(
            person=row["person"],
            hops=hop,
            via=(*(before.via if before else ()), link_words(row)),
            weight=(before.weight if before else 0) + LINK_WEIGHT.get(row["link"], 9),
        )
    return sorted(best.values(), key=lambda item: item.rank)


def _row_rank(row: Row, paths: dict[str, Found]) -> tuple[int, bool, str, str]:
    before = paths.get(row["from_id"])
    weight = (before.weight if before else 0) + LINK_WEIGHT.get(row["link"], 9)
    # An edge read in its own direction names the relation as published: prefer it.
    return (weight, not row["outgoing"], row["from_id"], row["person"]["party_id"])
