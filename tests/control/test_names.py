"""The exported schema keeps the control names API.md fixes (clients, the console and
department jobs are written against them)."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, build_schema

from hub.graphql.export_sdl import SDL_FILE

SCHEMA = build_schema(SDL_FILE.read_text(encoding="utf-8"))


def fields(name: str) -> set[str]:
    found = SCHEMA.get_type(name)
    assert isinstance(found, GraphQLObjectType | GraphQLInputObjectType), name
    return set(found.fields)


def values(name: str) -> set[str]:
    found = SCHEMA.get_type(name)
    assert isinstance(found, GraphQLEnumType), name
    return set(found.values)


def test_operations() -> None:
    assert SCHEMA.query_type and SCHEMA.mutation_type
    assert {"controlRequests", "controlRequest"} <= set(SCHEMA.query_type.fields)
    assert {"requestControl", "answerControl", "cancelControl"} <= set(SCHEMA.mutation_type.fields)


def test_types_and_fields() -> None:
    assert {
        "caseNumber",
        "action",
        "target",
        "amount",
        "until",
        "rulingNumber",
        "noticeNumber",
        "measureId",
        "note",
    } <= fields("ControlRequestInput")
    assert {
        "kind",
        "bankCode",
        "accountNumber",
        "certNumber",
        "vin",
        "plateNumber",
        "uscc",
        "holder",
        "idNumber",
    } <= fields("ControlTarget")
    assert {
        "id",
        "caseNumber",
        "action",
        "target",
        "subject",
        "department",
        "status",
        "requestedBy",
        "requestedAt",
        "receivedAt",
        "answeredAt",
        "amount",
        "until",
        "rulingNumber",
        "noticeNumber",
        "answer",
        "measure",
        "history",
    } <= fields("ControlRequest")
    assert {
        "requestId",
        "outcome",
        "amountControlled",
        "effectiveFrom",
        "effectiveUntil",
        "receiptNumber",
        "reason",
        "earlierMeasures",
        "sightings",
        "wageArrears",
    } <= fields("ControlAnswerInput")
    assert {
        "id",
        "kind",
        "caseNumber",
        "amount",
        "effectiveFrom",
        "effectiveUntil",
        "queuePosition",
        "state",
        "requestId",
    } <= fields("ControlMeasure")
    assert {"status", "at", "actor"} <= fields("ControlEvent")
    assert {"at", "place", "kind"} <= fields("SightingInput")
    assert {"found", "amount", "workers"} <= fields("WageArrearsInput")
    for holding in ("PropertyHolding", "VehicleHolding", "AccountHolding", "EquityHolding"):
        assert {"controls", "status"} <= fields(holding)


def test_enumerations() -> None:
    assert values("ControlAction") == {
        "FREEZE",
        "DEDUCT",
        "SEAL",
        "RENEW",
        "RELEASE",
        "LOCATE",
        "WAGE_CHECK",
    }
    assert values("ControlTargetKind") == {
        "ACCOUNT",
        "PROPERTY",
        "VEHICLE",
        "EQUITY",
        "PERSON",
        "ENTERPRISE",
    }
    assert values("ControlStatus") == {
        "PENDING",
        "RECEIVED",
        "DONE",
        "PARTIAL",
        "NOT_DONE",
        "RETURNED",
        "CANCELLED",
    }
    assert values("ControlOutcome") == {"DONE", "PARTIAL", "NOT_DONE", "RETURNED"}
    assert values("ControlMeasureState") == {"IN_FORCE", "WAITING", "RELEASED", "LAPSED"}
    assert values("SightingKind") == {"HOTEL", "TRAVEL", "VEHICLE", "OTHER"}
