"""The exported schema and the examples page stay in step with the code."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema

from hub.graphql.examples import markdown
from hub.graphql.export_sdl import SDL_FILE, sdl

EXAMPLES_PAGE = Path(__file__).parents[2] / "docs" / "graphql-examples.md"


def test_schema_file_matches_the_code() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema/schema.graphql is out of date: run `python -m hub.graphql.export_sdl`"
    )


def test_schema_keeps_the_names_api_md_fixes() -> None:
    schema = build_schema(SDL_FILE.read_text(encoding="utf-8"))
    query = schema.query_type
    assert query is not None
    for field in (
        "myCases",
        "case",
        "searchPersons",
        "person",
        "tracePerson",
        "locateAssets",
        "creditCheck",
        "measures",
        "auditEvents",
        "verifyAuditChain",
        "connectorRuns",
    ):
        assert field in query.fields, field
    assert schema.mutation_type is not None
    assert "recordPunishment" in schema.mutation_type.fields
    required = {
        "PersonSummary": {"idNumberMasked", "name", "birthYear", "householdRegion"},
        "TraceReport": {"subject", "addresses", "phones", "relatives", "enterprises", "associates"},
        "AssetReport": {"subject", "properties", "vehicles", "accounts", "equity",
                        "totalEstimatedValue"},
        "CreditCheckResult": {"subject", "valid", "name", "dishonest", "restricted", "reasons",
                              "measures"},
        "AuditVerification": {"ok", "checked", "firstBrokenSeq"},
    }  # fmt: skip
    for type_name, fields in required.items():
        graphql_type = schema.get_type(type_name)
        assert graphql_type is not None and fields <= set(graphql_type.fields)  # type: ignore[attr-defined]


def test_examples_page_matches_the_ides_examples() -> None:
    assert EXAMPLES_PAGE.read_text(encoding="utf-8") == markdown(), (
        "docs/graphql-examples.md is out of date: "
        "run `python -m hub.graphql.examples > docs/graphql-examples.md`"
    )
