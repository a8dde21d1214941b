"""The packages stay in layers: `lint-imports` holds the tree to pyproject.toml's contracts.

schema (the data model) is at the bottom; connectors and seed stand on it and not on each
other; the hub stands on all three, and only its CLI imports seed. The second test proves
the contracts bite: the same configuration, run on a small tree with one upward import of
each kind, fails and names the import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_no_import_runs_back_up() -> None:
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def write_package(root: Path, module: str, source: str = "") -> None:
    path = root.joinpath(*module.split("."))
    path.mkdir(parents=True, exist_ok=True)
    (path / "__init__.py").write_text(source, encoding="utf-8")


def toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string for these values


def contracts_config(root: Path) -> None:
    """The project's [tool.importlinter] section, as a pyproject.toml of its own."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {toml_value(value)}" for key, value in linter.items() if key != "contracts"]
    for contract in linter["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        lines += [f"{key} = {toml_value(value)}" for key, value in contract.items()]
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("importer", "imported", "broken"),
    [
        ("schema.fields", "connectors.dataset", "schema.fields -> connectors.dataset"),
        ("connectors.pipeline", "hub.settings", "connectors.pipeline -> hub.settings"),
        ("connectors.county", "seed.county", "connectors.county -> seed.county"),
        ("seed.identity", "connectors.dataset", "seed.identity -> connectors.dataset"),
        ("hub.graphql", "seed.county", "hub.graphql -> seed.county"),
        ("hub.app", "hub.cli.demo", "hub.app -> hub.cli.demo"),
    ],
)
def test_an_upward_import_breaks_a_contract(
    tmp_path: Path, importer: str, imported: str, broken: str
) -> None:
    modules = [
        "schema.fields",
        "connectors.dataset",
        "connectors.pipeline",
        "connectors.county",
        "seed.identity",
        "seed.county",
        "hub.settings",
        "hub.graphql",
        "hub.app",
        "hub.cli.demo",
    ]
    for module in modules:
        write_package(tmp_path, module)
    # What the CLI may do, so that the ignored import of the contract is there to ignore.
    write_package(tmp_path, "hub.cli.demo", "import seed.county\n")
    write_package(tmp_path, importer, f"import {imported}\n")
    contracts_config(tmp_path)

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
