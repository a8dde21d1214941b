"""Every query's Neo4j form and every Neo4j schema statement passes Neo4j's Cypher front end.

The fixtures in `bad/` prove the lint can fail: each starts with a line
`// expect: <severity>: <part of the message>`. Those in `good/` are written the way the
hub's queries are (parameters, open schema) and must pass. Everything is linted by one node
process per session.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hub.queries import load_queries
from hub.queries.lint import CypherLintUnavailable, Diagnostic, lint_cypher
from hub.store.neo4j import schema_statements

HERE = Path(__file__).parent
REPO_ROOT = HERE.parents[1]
EXPECTATION = re.compile(r"^// expect: (\w+): (.+)$", re.MULTILINE)


QUERIES = dict(load_queries("neo4j"))
SCHEMA = {f"statement {n}": text for n, text in enumerate(schema_statements(), 1)}
GOOD = dict(load_queries("neo4j", HERE / "good"))
BAD = dict(load_queries("neo4j", HERE / "bad"))
GROUPS = {"query": QUERIES, "schema": SCHEMA, "good": GOOD, "bad": BAD}
ALL_TEXTS = {
    f"{group}/{name}": text for group, texts in GROUPS.items() for name, text in texts.items()
}


@pytest.fixture(scope="session")
def lint_report() -> dict[str, list[Diagnostic]]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed; the Neo4j Cypher lint runs on node")
    try:
        return lint_cypher(ALL_TEXTS)
    except CypherLintUnavailable as error:
        problem = str(error)
    pytest.fail(problem, pytrace=False)  # outside `except`: no chained traceback


def assert_clean(report: dict[str, list[Diagnostic]], key: str) -> None:
    listing = "\n".join(f"  {diagnostic}" for diagnostic in report[key])
    assert not report[key], f"Neo4j rejects or warns about {key}:\n{listing}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_passes_neo4j_lint(name: str, lint_report: dict[str, list[Diagnostic]]) -> None:
    assert_clean(lint_report, f"query/{name}")


@pytest.mark.parametrize("name", sorted(SCHEMA))
def test_schema_statement_passes_neo4j_lint(
    name: str, lint_report: dict[str, list[Diagnostic]]
) -> None:
    assert_clean(lint_report, f"schema/{name}")


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_fixture_passes_neo4j_lint(
    name: str, lint_report: dict[str, list[Diagnostic]]
) -> None:
    assert_clean(lint_report, f"good/{name}")


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_fixture_is_reported(name: str, lint_report: dict[str, list[Diagnostic]]) -> None:
    expectation = EXPECTATION.search(BAD[name])
    assert expectation, f"bad/{name} lacks a line `// expect: <severity>: <message part>`"
    severity, message_part = expectation.groups()
    found = lint_report[f"bad/{name}"]
    assert any(
        diagnostic.severity == severity and message_part.lower() in diagnostic.message.lower()
        for diagnostic in found
    ), f"bad/{name}: expected {severity} {message_part!r}, got {found}"


def test_missing_npm_packages_ask_for_npm_ci(tmp_path: Path) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed; the Neo4j Cypher lint runs on node")
    (tmp_path / "lint").mkdir()
    (tmp_path / "lint" / "cypher_lint.mjs").touch()
    with pytest.raises(CypherLintUnavailable, match="npm ci"):
        lint_cypher({"anything": "RETURN 1"}, root=tmp_path)
