"""The graph model: node labels with their keys and indexes, relationship types.

`hub db init` creates the constraints and indexes listed here on either engine;
`schema/README.md` explains the model. The properties a dataset's rows write come from
its spec (schema/datasets.py). Every node and relationship written by a connector also
carries provenance: `source` (department code), `batch_id`, `loaded_at`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schema import datasets

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def identifier(name: str) -> str:
    """`name`, checked to be a plain identifier: labels and property names are written into
    schema statements (DDL cannot take parameters)."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return name


@dataclass(frozen=True)
class NodeType:
    label: str
    key: str | None  # unique property; None for labels that share another label's key
    indexes: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    doc: str = ""

    def __post_init__(self) -> None:
        for name in (self.label, self.key or "", *self.indexes):
            if name:
                identifier(name)


@dataclass(frozen=True)
class RelType:
    type: str
    start: str
    end: str
    properties: tuple[str, ...] = field(default=())
    doc: str = ""


PROVENANCE = ("source", "batch_id", "loaded_at")

NODES: tuple[NodeType, ...] = (
    NodeType(
        "Party", "party_id", doc="Every person and enterprise: party_id is the id_number or uscc"
    ),
    NodeType(
        "Person",
        None,
        indexes=("name",),
        properties=(*datasets.PERSONS.properties, "verified", "converted_from_15"),
        doc="公民 (also :Party); verified once psb.persons published it",
    ),
    NodeType(
        "Enterprise",
        None,
        indexes=("name",),
        properties=(*datasets.ENTERPRISES.properties, "verified"),
        doc="企业 (also :Party); verified once amr.enterprises published it",
    ),
    NodeType("Phone", "number", doc="A phone number, shared by whoever reported it"),
    NodeType("Address", "text", doc="An address as published (whitespace-normalised)"),
    NodeType(
        "Vehicle",
        "vin",
        indexes=("plate_number",),
        properties=datasets.VEHICLES.properties,
    ),
    NodeType(
        "Property",
        "cert_number",
        properties=datasets.PROPERTIES.properties,
        doc="不动产 by certificate number",
    ),
    NodeType(
        "Account",
        "key",
        properties=datasets.ACCOUNTS.properties,
        doc="Bank account; key is '<bank_code>:<account_number>'",
    ),
    NodeType("Bank", "code", properties=("name",)),
    NodeType(
        "Case",
        "case_number",
        indexes=("officer_id",),
        properties=datasets.CASES.properties,
        doc="执行案件",
    ),
    NodeType("Department", "code", properties=("kind", "name")),
    NodeType("ConnectorRun", "run_id", indexes=("department",)),
    NodeType("PunishmentRecord", "record_id"),
    NodeType(
        "ControlRequest",
        "request_id",
        indexes=("department", "status", "subject_id"),
        properties=(
            "case_number",
            "action",
            "target_kind",
            "asset_key",
            "subject_id",
            "department",
            "status",
            "requested_by",
            "requested_at",
            "received_at",
            "answered_at",
            "history",
        ),
        doc="控: an officer's request that a department act on an asset (docs/control.md)",
    ),
    NodeType(
        "ControlMeasure",
        "measure_id",
        indexes=("asset_key", "state"),
        properties=(
            "kind",
            "case_number",
            "amount",
            "effective_from",
            "effective_until",
            "queue_position",
            "state",
            "request_id",
            "reported",
        ),
        doc="a freeze or seal on an asset: in force, waiting (轮候), released or lapsed",
    ),
    NodeType(
        "ControlQueue",
        "asset_key",
        doc="one per asset a measure was put on: the lock that makes two answers on one "
        "asset count the measures ahead in turn (Neo4j)",
    ),
    NodeType(
        "Alert",
        "alert_id",
        indexes=("officer_id", "department"),
        properties=(
            "kind",
            "officer_id",
            "department",
            "case_number",
            "subject_id",
            "message",
            "at",
            "read",
            "ref",
        ),
        doc="提醒: raised once per event and recipient (an officer, or a department); "
        "alert_id is derived from kind, ref and recipient (docs/alerts.md)",
    ),
    NodeType(
        "Letter",
        "letter_id",
        indexes=("sender", "case_number"),
        properties=(
            "kind",
            "sender",
            "sent_by",
            "recipients",
            "title",
            "text",
            "case_number",
            "category",
            "reply_by",
            "sent_at",
        ),
        doc="函: a letter or two-way notice from the court or a department (docs/letters.md)",
    ),
    NodeType(
        "LetterReceipt",
        "receipt_id",
        indexes=("recipient",),
        properties=(
            "letter_id",
            "recipient",
            "acknowledged_at",
            "acknowledged_by",
            "replied_at",
            "replied_by",
            "reply",
        ),
        doc="one recipient's copy of a letter: its acknowledgement (签收) and its one reply; "
        "receipt_id is '<letter_id>:<recipient>'",
    ),
    NodeType(
        "User",
        "name",
        properties=(
            "role",
            "subject",
            "department",
            "password_hash",
            "disabled",
            "failures",
            "locked_until",
            "created_at",
            "last_sign_in",
        ),
        doc="a console account (hub user add): the principal it signs in as, argon2id hash",
    ),
    NodeType(
        "AuditEvent",
        "seq",
        indexes=("actor", "case_number", "at"),
        doc="one hash-chained audit record; created by AuditLog.append, never changed",
    ),
    NodeType(
        "AuditHead",
        "name",
        doc="the audit chain's head; its POSITION holds the last seq and hash",
    ),
)

RELATIONSHIPS: tuple[RelType, ...] = (
    RelType("RELATIVE", "Person", "Person", ("relation",), "家庭关系 as psb published it"),
    RelType("HAS_PHONE", "Person", "Phone", ("as_of",)),
    RelType("HOUSEHOLD_AT", "Person", "Address", ("as_of",), "户籍地址"),
    RelType("RESIDES_AT", "Person", "Address", ("as_of",), "居住地址"),
    RelType("REGISTERED_AT", "Enterprise", "Address", ("as_of",)),
    RelType("LOCATED_AT", "Property", "Address"),
    RelType("LEGAL_REP_OF", "Person", "Enterprise", doc="法定代表人"),
    RelType(
        "SHAREHOLDER_OF",
        "Party",
        "Enterprise",
        datasets.SHAREHOLDERS.properties,
        "股东",
    ),
    RelType("EXECUTIVE_OF", "Person", "Enterprise", ("title",), "主要人员; 实际控制人 included"),
    RelType("OWNS_PROPERTY", "Party", "Property", ("share_pct",)),
    RelType("OWNS_VEHICLE", "Party", "Vehicle"),
    RelType("HOLDS_ACCOUNT", "Party", "Account"),
    RelType("AT_BANK", "Account", "Bank"),
    RelType("PARTY_TO", "Party", "Case", ("role",), "申请执行人 applicant / 被执行人 respondent"),
    RelType(
        "LISTED_DISHONEST",
        "Party",
        "Case",
        datasets.DISHONEST.properties,
        "失信被执行人名单",
    ),
    RelType("PUNISHED", "PunishmentRecord", "Party", doc="a measure applied, as reported"),
    RelType("UNDER_CASE", "PunishmentRecord", "Case"),
    RelType("FOR_CASE", "ControlRequest", "Case", doc="the case a control request serves"),
    RelType("ADDRESSED_TO", "Letter", "LetterReceipt", doc="a letter and each recipient's receipt"),
    RelType(
        "POSITION",
        "AuditHead",
        "AuditHead",
        ("seq", "hash"),
        "the audit chain's last seq and hash; an append moves it only from the seq it read",
    ),
)
