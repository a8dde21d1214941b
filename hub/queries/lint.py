"""Lint Cypher with Neo4j's own front end, so the Neo4j path is checked without a server.

The front end is the npm package `@neo4j-cypher/language-support`, run by node through
`lint/cypher_lint.mjs` at the repository root (`npm ci` installs it). All queries go to
one node process: starting node and loading the front end costs as much as linting
five queries.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
LINT_SCRIPT = Path("lint", "cypher_lint.mjs")
FRONT_END_PACKAGE = Path("node_modules", "@neo4j-cypher", "language-support")
# Measured on a busy 2-core machine: about 2 s to start, then 0.05-0.6 s per query.
TIMEOUT_BASE_SECONDS = 60.0
TIMEOUT_PER_QUERY_SECONDS = 5.0


class CypherLintUnavailable(RuntimeError):
    """node, the lint script or its npm packages are missing."""


class CypherLintError(RuntimeError):
    """The lint process failed or answered something unexpected."""


@dataclass(frozen=True)
class Diagnostic:
    """One finding of the front end; `line` and `column` are 1-based, within the query."""

    message: str
    severity: str  # "error", "warning", "information" or "hint"
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column} {self.severity}: {self.message}"


def lint_cypher(
    queries: Mapping[str, str], *, root: Path = REPO_ROOT
) -> dict[str, list[Diagnostic]]:
    """Diagnostics for each query by name (an empty list when Neo4j accepts it).

    Diagnostics about parameters and about labels, relationship types or property keys
    unknown to the database are left out: parameters come at run time, the schema is open.
    """
    command = _lint_command(root)
    request = [{"name": name, "query": text} for name, text in queries.items()]
    timeout = TIMEOUT_BASE_SECONDS + TIMEOUT_PER_QUERY_SECONDS * len(request)
    report = _run(command, json.dumps(request, ensure_ascii=False), root, timeout)
    diagnostics = {entry["name"]: _diagnostics(entry["diagnostics"]) for entry in report}
    if diagnostics.keys() != queries.keys():
        raise CypherLintError("the lint answered for other queries than it was asked about")
    return diagnostics


def _lint_command(root: Path) -> list[str]:
    node = shutil.which("node")
    if node is None:
        raise CypherLintUnavailable("node is not installed; the Neo4j Cypher lint runs on node")
    script = root / LINT_SCRIPT
    if not script.is_file():
        raise CypherLintUnavailable(f"the lint script {script} is missing")
    if not (root / FRONT_END_PACKAGE).is_dir():
        raise CypherLintUnavailable(
            f"{root / FRONT_END_PACKAGE} is missing: run `npm ci` in {root} (or `make install`)"
        )
    return [node, str(script)]


def _run(command: list[str], request: str, root: Path, timeout: float) -> Any:
    try:
        completed = subprocess.run(
            command,
            input=request,
            capture_output=True,
            encoding="utf-8",
            cwd=root,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise CypherLintError(f"the lint took over {timeout:.0f} s") from error
    if completed.returncode != 0:
        raise CypherLintError(f"the lint failed ({completed.returncode}): {completed.stderr}")
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError as error:
        raise CypherLintError(f"the lint answered something other than JSON: {error}") from error


def _diagnostics(entries: list[dict[str, Any]]) -> list[Diagnostic]:
    return [
        Diagnostic(
            message=str(entry["message"]),
            severity=str(entry["severity"]),
            line=int(entry["line"]),
            column=int(entry["column"]),
        )
        for entry in entries
    ]
