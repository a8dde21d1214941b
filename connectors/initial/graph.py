"""A county built in memory as the connectors' queries would leave an empty graph.

`CountyGraph.add(dataset, run, rows)` applies one dataset's mapped rows (`GraphRow`s with
their hash and their `props` as the store keeps them, and the parties they refer to) with
the semantics of the dataset's query in hub/queries/ingest/ and of `ingest_parties`
before it, one row after the other, as the connector's batches do (a batch never holds a
key twice). It returns the counts the run report gives (created, updated, parties
created). Values are kept as the store keeps them (dates and timestamps as ISO text, money
as decimal text: `store_props`, applied before).

Nodes are numbered in the order they are created; a relationship names its two ends by
those numbers. `nodes_by_labels` and `relationships` give them out for a bulk writer.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from connectors.dataset import GraphRow, PartyRef

Props = dict[str, Any]
# A party a row refers to, as PartyRef's fields: (kind, id, name, converted_from_15).
PartyTuple = tuple[str, str, str | None, bool]
Rows = Iterable[tuple[GraphRow, list[PartyTuple]]]


def as_tuple(party: PartyRef) -> PartyTuple:
    return (party.kind, party.id, party.name, party.converted_from_15)


def store_value(value: Any) -> Any:
    """A value as every engine stores it (hub/store/values.py: dates as ISO text, money as
    exact decimal text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def store_props(props: Mapping[str, Any]) -> Props:
    return {name: store_value(value) for name, value in props.items() if value is not None}


# Every element's provenance is kept as one property holding the run's (source, batch_id,
# loaded_at), shared by all it wrote, instead of three: `expanded` gives the three back.
PROVENANCE = "\x00provenance"
PROVENANCE_KEYS = ("source", "batch_id", "loaded_at")


@dataclass(frozen=True, slots=True)
class RunProvenance:
    """What a run writes on every element: its department, its id, its start."""

    source: str
    batch_id: str
    loaded_at: str

    def props(self) -> Props:
        return {PROVENANCE: (self.source, self.batch_id, self.loaded_at)}


def expanded(props: Props) -> Props:
    """The properties as the store holds them: provenance as its three properties."""
    run = props.get(PROVENANCE)
    if run is None:
        return props
    out = {key: value for key, value in props.items() if key != PROVENANCE}
    out.update(zip(PROVENANCE_KEYS, run, strict=True))
    return out


_SHORT = 16  # texts up to this long repeat (codes, statuses): kept once each


def _shared(props: Props) -> Props:
    intern = sys.intern
    for key, value in props.items():
        if type(value) is str and len(value) <= _SHORT:
            props[key] = intern(value)
    return props


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    parties_created: int = 0


@dataclass(slots=True)
class Node:
    labels: str  # `Party:Person`: the labels joined by ':'
    props: Props  # emptied once sealed: then in `packed`
    packed: tuple[tuple[str, ...], tuple[Any, ...]] | None = None  # (keys, values)

    def raw(self) -> Props:
        if self.packed is None:
            return self.props
        keys, values = self.packed
        return dict(zip(keys, values, strict=True))


@dataclass(slots=True)
class SealedEdges:
    """A relationship type no later dataset writes, kept compactly: ends and values."""

    starts: array[int] = field(default_factory=lambda: array("q"))
    ends: array[int] = field(default_factory=lambda: array("q"))
    values: list[tuple[tuple[str, ...], tuple[Any, ...]]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[tuple[int, int, Props]]:
        for start, end, (keys, values) in zip(self.starts, self.ends, self.values, strict=True):
            yield start, end, dict(zip(keys, values, strict=True))


# Key kinds no dataset looks up once their own dataset has run: forgotten when sealed.
_OWN_KINDS = ("account", "vehicle", "property")


@dataclass
class CountyGraph:
    nodes: list[Node] = field(default_factory=list)
    # node number by key, per key kind (party_id, vin, …)
    keys: dict[str, dict[Any, int]] = field(default_factory=dict)
    # relationship properties by type and (start, end[, distinguishing value])
    relationships: dict[str, dict[tuple[Any, ...], Props]] = field(default_factory=dict)
    # the one holder, owner, legal representative or address of a record, by record
    sole: dict[str, dict[int, int]] = field(default_factory=dict)
    sealed: dict[str, SealedEdges] = field(default_factory=dict)
    _sealed_nodes: int = 0  # nodes before this one are sealed (but parties)
    _key_sets: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    def seal(self) -> None:
        """Keep what the datasets read so far wrote, but parties, compactly: no later
        dataset changes it (each relationship type, and each record but a party, is
        written by one dataset only). Called between datasets; saves most of the memory."""
        for rel_type, table in self.relationships.items():
            edges = self.sealed.setdefault(rel_type, SealedEdges())
            for key, props in table.items():
                edges.starts.append(key[0])
                edges.ends.append(key[1])
                edges.values.append(self._packed(props))
            self.sole.pop(rel_type, None)
        self.relationships = {}
        for node in self.nodes[self._sealed_nodes :]:
            if node.packed is None and not node.labels.startswith("Party"):
                node.packed, node.props = self._packed(node.props), {}
        self._sealed_nodes = len(self.nodes)
        for kind in _OWN_KINDS:
            if self.keys.get(kind):
                self.keys[kind] = {}

    def _packed(self, props: Props) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        keys = tuple(props)
        return self._key_sets.setdefault(keys, keys), tuple(props.values())

    # --- nodes ---------------------------------------------------------------------------

    def find(self, kind: str, key: Any) -> int | None:
        return self.keys.setdefault(kind, {}).get(key)

    def create(self, kind: str, key: Any, labels: str, props: Props) -> int:
        number = len(self.nodes)
        self.nodes.append(Node(labels, props))
        self.keys.setdefault(kind, {})[key] = number
        return number

    def merge(self, kind: str, key_name: str, key: Any, labels: str, on_create: Props) -> int:
        """MERGE (n:labels {key_name: key}) ON CREATE SET n += on_create."""
        found = self.find(kind, key)
        if found is not None:
            return found
        return self.create(kind, key, labels, {key_name: key, **on_create})

    def props(self, number: int) -> Props:
        node = self.nodes[number]
        assert node.packed is None, f"{node.labels} {number} was sealed"
        return node.props

    # --- relationships -------------------------------------------------------------------

    def rel(self, rel_type: str, key: tuple[Any, ...], initial: Props | None = None) -> Props:
        """MERGE on the relationship `key` (start, end, …): its properties, made if new."""
        table = self.relationships.setdefault(rel_type, {})
        found = table.get(key)
        if found is None:
            found = table[key] = dict(initial or {})
        return found

    def drop(self, rel_type: str, key: tuple[Any, ...]) -> None:
        self.relationships.get(rel_type, {}).pop(key, None)

    def replace_sole(self, rel_type: str, record: int, start: int, old: Any) -> None:
        """The record's one `rel_type` edge comes from `start`: an earlier one from another
        start goes (only when the record was written before: `old` is its former hash)."""
        starts = self.sole.setdefault(rel_type, {})
        previous = starts.get(record)
        if old is not None and previous is not None and previous != start:
            self.drop(rel_type, (previous, record))
        starts[record] = start

    # --- what a bulk writer reads --------------------------------------------------------

    def nodes_by_labels(self) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for number, node in enumerate(self.nodes):
            groups.setdefault(node.labels, []).append(number)
        return groups

    def rel_types(self) -> list[str]:
        return list(dict.fromkeys([*self.sealed, *self.relationships]))

    def raw_edges(self, rel_type: str) -> Iterator[tuple[int, int, Props]]:
        """The relationships of `rel_type`: start, end, properties as kept."""
        yield from self.sealed.get(rel_type, ())
        for key, props in self.relationships.get(rel_type, {}).items():
            yield key[0], key[1], props

    def edges(self, rel_type: str) -> Iterator[tuple[int, int, Props]]:
        """The relationships of `rel_type`: start, end, properties as the store holds them."""
        for start, end, props in self.raw_edges(rel_type):
            yield start, end, expanded(props)

    def node_props(self, number: int) -> Props:
        """A node's properties as the store holds them."""
        return expanded(self.nodes[number].raw())

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type."""
        labels: dict[str, int] = {}
        for node in self.nodes:
            for label in node.labels.split(":"):
                labels[label] = labels.get(label, 0) + 1
        types = {
            rel_type: len(self.sealed.get(rel_type, ())) + len(self.relationships.get(rel_type, {}))
            for rel_type in self.rel_types()
        }
        return labels, {rel_type: count for rel_type, count in types.items() if count}

    # --- datasets ------------------------------------------------------------------------

    def add(self, query: str, run: RunProvenance, rows: Rows) -> Counts:
        """Apply the rows of one run as the connector's query `query` would."""
        apply = _QUERIES[query]
        counts = Counts()
        prov = run.props()
        parties_first = query != "ingest_psb_persons"
        for row, parties in rows:
            if "props" in row:
                _shared(row["props"])
            if parties_first:
                for party in parties:
                    counts.parties_created += self._party(party, prov)
            apply(self, row, parties, prov, counts)
        return counts

    def _party(self, ref: PartyTuple, prov: Props) -> int:
        """ingest_parties.cypher for one party: a stub when unknown; a stub's missing name."""
        kind, party_id, name, converted = ref
        number = self.find("party", party_id)
        created = number is None
        if number is None:
            if kind == "person":
                stub = {"party_id": party_id, "verified": False, "converted_from_15": converted}
                number = self.create("party", party_id, "Party:Person", {**stub, **prov})
            else:
                stub = {"party_id": party_id, "verified": False}
                number = self.create("party", party_id, "Party:Enterprise", {**stub, **prov})
        party = self.props(number)
        if party.get("verified") is False and party.get("name") is None and name is not None:
            party["name"] = name
            party.update(prov)
        if converted and not party.get("converted_from_15", False):
            party["converted_from_15"] = True
        return int(created)


def _changed(old: Any, row: GraphRow, counts: Counts) -> bool:
    """`WHERE old IS NULL OR old <> row.hash`, counting created and updated as the queries do."""
    if old is None:
        counts.created += 1
        return True
    if old != row["hash"]:
        counts.updated += 1
        return True
    return False


def _as_of(props: Props, prov: Props) -> Any:
    return props.get("updated_at") or prov[PROVENANCE][2]


def _link_latest(
    graph: CountyGraph, rel_type: str, key: tuple[int, int], as_of: Any, prov: Props
) -> None:
    """MERGE a dated link and SET its as_of to the later of the two, and the provenance."""
    link = graph.rel(rel_type, key)
    kept = link.get("as_of")
    link["as_of"] = kept if kept is not None and kept > as_of else as_of
    link.update(prov)


def _address(graph: CountyGraph, text: str, prov: Props) -> int:
    return graph.merge("address", "text", text, "Address", prov)


def _persons(
    graph: CountyGraph, row: GraphRow, parties: list[PartyTuple], prov: Props, counts: Counts
) -> None:
    [(_, _, _, converted)] = parties
    props = row["props"]
    known = graph.find("party", row["party_id"])
    if known is not None and converted and not graph.props(known).get("converted_from_15", False):
        graph.props(known)["converted_from_15"] = True
    old = None if known is None else graph.props(known).get("row_hash")
    if not _changed(old, row, counts):
        return
    if known is None:
        counts.parties_created += 1
        person = {
            "party_id": row["party_id"],
            "verified": True,
            "converted_from_15": converted,
            **{name: props[name] for name in _PERSON_CREATED if name in props},
            "row_hash": row["hash"],
            **prov,
        }
        number = graph.create("party", row["party_id"], "Party:Person", person)
    else:
        number = known
        graph.props(number).update(props, verified=True, row_hash=row["hash"], **prov)
    as_of = _as_of(props, prov)
    links = (
        ("HAS_PHONE", "phone", "number", "Phone", row.get("phone")),
        ("HOUSEHOLD_AT", "address", "text", "Address", props.get("household_address")),
        ("RESIDES_AT", "address", "text", "Address", props.get("residence_address")),
    )
    for rel_type, kind, key_name, label, value in links:
        if value is None:
            continue
        target = graph.merge(kind, key_name, value, label, prov)
        _link_latest(graph, rel_type, (number, target), as_of, prov)


# The properties ingest_psb_persons.cypher names in the CREATE of a new person.
_PERSON_CREATED = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "household_address",
    "residence_address",
    "status",
    "updated_at",
)


def _enterprises(
    graph: CountyGraph, row: GraphRow, parties: list[PartyTuple], prov: Props, counts: Counts
) -> None:
    props = row["props"]
    enterprise = graph.find("party", row["uscc"])
    assert enterprise is not None  # made by its party reference
    old = graph.props(enterprise).get("row_hash")
    if not _changed(old, row, counts):
        return
    graph.props(enterprise).update(props, verified=True, row_hash=row["hash"], **prov)
    rep = graph.find("party", row["legal_rep_id"])
    assert rep is not None
    graph.replace_sole("LEGAL_REP_OF", enterprise, rep, old)
    graph.rel("LEGAL_REP_OF", (rep, enterprise)).update(prov)
    if props.get("address") is not None:
        address = _address(graph, props["address"], prov)
        _link_latest(graph, "REGISTERED_AT", (enterprise, address), _as_of(props, prov), prov)


def _edge_with_hash(
    rel_type: str,
    start: str,
    end: str,
    kind_start: str,
    kind_end: str,
    distinct: str | None,
    with_props: bool,
) -> Callable[..., None]:
    """The queries that MERGE one keyed relationship and SET it when its hash changed."""

    def apply(
        graph: CountyGraph, row: GraphRow, parties: list[PartyTuple], prov: Props, counts: Counts
    ) -> None:
        a = graph.find(kind_start, row[start])
        b = graph.find(kind_end, row[end])
        assert a is not None and b is not None
        key = (a, b) if distinct is None else (a, b, row[distinct])
        rel = graph.rel(rel_type, key, None if distinct is None else {distinct: row[distinct]})
        if not _changed(rel.get("row_hash"), row, counts):
            return
        if with_props:
            rel.update(row["props"])
        rel["row_hash"] = row["hash"]
        rel.update(prov)

    return apply


def _case(graph: CountyGraph, case_number: str, prov: Props) -> int:
    return graph.merge("case", "case_number", case_number, "Case", prov)


def _case_edge(
    rel_type: str, party_column: str, distinct: str | None, with_props: bool
) -> Callable[..., None]:
    """court.parties and court.dishonest: the case made bare first when not published yet."""
    edge = _edge_with_hash(
        rel_type, party_column, "case_number", "party", "case", distinct, with_props
    )

    def apply(
        graph: CountyGraph, row: GraphRow, parties: list[PartyTuple], prov: Props, counts: Counts
    ) -> None:
        _case(graph, row["case_number"], prov)
        edge(graph, row, parties, prov, counts)

    return apply


def _record(kind: str, key_name: str, label: str) -> Callable[..., Any]:
    """MERGE a keyed record (vehicle, account, case) and SET its props when its hash changed;
    returns (the record, its former hash) or None when unchanged."""

    def apply(
        graph: CountyGraph, row: GraphRow, prov: Props, counts: Counts
    ) -> tuple[int, Any] | None:
        number = graph.merge(kind, key_name, row[key_name], label, {})
        props = graph.props(number)
        old = props.get("row_hash")
        if not _changed(old, row, counts):
            return None
        props.update(row["props"], row_hash=row["hash"], **prov)
        return number, old

    return apply


_vehicle = _record("vehicle", "vin", "Vehicle")
_account = _record("account", "key", "Account")
_court_case = _record("case", "case_number", "Case")


def _vehicles(
    graph: CountyGraph, row: GraphRow, parties: list[PartyTuple], prov: Props, counts: Counts
) -> None:
    written = _vehicle(graph, row, prov, counts)
    if written is None:
        return
    vehicle, old = written
    owner = graph.find("party", row["owner_id"])
    assert owner is not None
    graph.replace_sole("OWNS_VEHICLE", vehicle, owner, old)
    graph.rel("OWNS_VEHICLE", (owner, vehicle)).update(prov)


def _accounts(
    graph: CountyGraph, row: GraphRow, parties: list[PartyTuple], prov: Props, counts: Counts
) -> None:
    written = _account(graph, row, prov, counts)
    if written is None:
        return
    account, old = written
    bank = graph.merge("bank", "code", row["props"]["bank_code"], "Bank", prov)
    name = row.get("bank_name")
    if name is not None and graph.props(bank).get("name", "") != name:
        graph.props(bank).update(name=name, **prov)
    graph.rel("AT_BANK", (account, bank), prov)
    holder = graph.find("party", row["holder_id"])
    assert holder is not None
    graph.replace_sole("HOLDS_ACCOUNT", account, holder, old)
    graph.rel("HOLDS_ACCOUNT", (holder, account)).update(prov)


def _properties(
    graph: CountyGraph, row: GraphRow, parties: list[PartyTuple], prov: Props, counts: Counts
) -> None:
    estate = graph.merge("property", "cert_number", row["cert_number"], "Property", {})
    owner = graph.find("party", row["owner_id"])
    assert owner is not None
    owns = graph.rel("OWNS_PROPERTY", (owner, estate))
    if not _changed(owns.get("row_hash"), row, counts):
        return
    owns.update(share_pct=row["share_pct"], row_hash=row["hash"], **prov)
    props = row["props"]
    graph.props(estate).update(props, **prov)
    address = _address(graph, props["address"], prov)
    previous = graph.sole.setdefault("LOCATED_AT", {}).get(estate)
    if previous is not None and previous != address:
        graph.drop("LOCATED_AT", (estate, previous))
    graph.sole["LOCATED_AT"][estate] = address
    graph.rel("LOCATED_AT", (estate, address)).update(prov)


def _cases(
    graph: CountyGraph, row: GraphRow, parties: list[PartyTuple], prov: Props, counts: Counts
) -> None:
    _court_case(graph, row, prov, counts)


_QUERIES: dict[str, Callable[..., None]] = {
    "ingest_psb_persons": _persons,
    "ingest_psb_relations": _edge_with_hash(
        "RELATIVE", "id_number", "relative_id_number", "party", "party", "relation", False
    ),
    "ingest_psb_vehicles": _vehicles,
    "ingest_amr_enterprises": _enterprises,
    "ingest_amr_shareholders": _edge_with_hash(
        "SHAREHOLDER_OF", "holder_id", "uscc", "party", "party", None, True
    ),
    "ingest_amr_executives": _edge_with_hash(
        "EXECUTIVE_OF", "id_number", "uscc", "party", "party", "title", False
    ),
    "ingest_bank_accounts": _accounts,
    "ingest_nrb_properties": _properties,
    "ingest_court_cases": _cases,
    "ingest_court_parties": _case_edge("PARTY_TO", "party_id", "role", False),
    "ingest_court_dishonest": _case_edge("LISTED_DISHONEST", "subject_id", None, True),
}
QUERIES = frozenset(_QUERIES)
