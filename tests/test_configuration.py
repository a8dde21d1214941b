"""Every setting and every limit of hub/settings.py is documented: the variables in
README.md's "Configuration", the constants in docs/configuration.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import hub.settings
from hub.settings import Settings

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LIMITS = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


def _configuration_section(text: str) -> str:
    start = text.index("## Configuration")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def _constants() -> list[str]:
    tree = ast.parse(Path(hub.settings.__file__).read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if isinstance(target, ast.Name) and re.fullmatch(r"[A-Z][A-Z0-9_]*", target.id):
                names.append(target.id)
    return names


def test_every_variable_is_in_the_readmes_configuration_table() -> None:
    section = _configuration_section(README)
    missing = [
        f"HUB_{name.upper()}"
        for name in Settings.model_fields
        if f"`HUB_{name.upper()}`" not in section
    ]

    assert missing == []


def test_every_limit_of_the_settings_module_is_in_docs_configuration() -> None:
    constants = _constants()
    missing = [name for name in constants if f"`{name}`" not in LIMITS]

    assert len(constants) > 50  # the parse found them
    assert missing == []
