"""The datasets as DATA-EXCHANGE.md tabulates them, written from their specs: docs/datasets.md.

    .venv/bin/python -m schema.exchange_table > docs/datasets.md

tests/connectors/test_specs.py fails when docs/datasets.md is not what this writes.
"""

from __future__ import annotations

from schema.columns import Column, DatasetSpec
from schema.datasets import DATASETS_IN_LOAD_ORDER, SPECS
from schema.departments import KIND_NAMES
from schema.limits import MAX_ROW_BYTES, MAX_VALUE_BYTES

DOC_FILE = "docs/datasets.md"

HEADER = f"""# Datasets

<!-- Written by `.venv/bin/python -m schema.exchange_table > {DOC_FILE}` from the specs in
schema/datasets.py; tests/connectors/test_specs.py fails when it is out of date. -->

The datasets departments publish (DATA-EXCHANGE.md), as the hub reads them: each is declared
once, in `schema/datasets.py`, and the connectors' row models, the seed generator's files,
the graph model's properties and this page are derived from it. `*` = required. Owner = the
department kind allowed to publish it. Every value is at most {MAX_VALUE_BYTES:,} bytes of UTF-8,
a whole record at most {MAX_ROW_BYTES // 1024} KiB (schema/limits.py).
"""


def render() -> str:
    specs = [SPECS[name] for name in DATASETS_IN_LOAD_ORDER]
    lines = [HEADER, "| dataset | owner | columns |", "|---|---|---|"]
    lines += [_summary_row(spec) for spec in specs]
    for spec in specs:
        lines += ["", *_details(spec)]
    return "\n".join(lines) + "\n"


def _summary_row(spec: DatasetSpec) -> str:
    columns = ", ".join(_summary_cell(column) for column in spec.columns if column.listed)
    return f"| `{spec.name}` {spec.title} | {KIND_NAMES[spec.owner]} {spec.owner} | {columns} |"


def _summary_cell(column: Column) -> str:
    text = column.name + ("*" if column.required else "")
    if column.choice is not None:
        text += f" ({_choices(column)})"
    if column.unit:
        text += f" ({column.unit})"
    if column.default is not None:
        text += f" (default {column.default})"
    return text


def _choices(column: Column) -> str:
    assert column.choice is not None
    listed = " / ".join(f"{zh} {code}" for code, zh in column.choice.zh_by_code.items())
    return f"{listed} / other values kept as given" if column.choice.open_ended else listed


def _details(spec: DatasetSpec) -> list[str]:
    return [
        f"## `{spec.name}` {spec.title}",
        "",
        f"Owner: {KIND_NAMES[spec.owner]} (`{spec.owner}`). Key: {', '.join(spec.key)}. "
        f"Its rows write the properties of `{spec.record}`.",
        "",
        "| column | 中文 | kind | required | at most | in the graph |",
        "|---|---|---|---|---|---|",
        *(_detail_row(column) for column in spec.columns),
    ]


def _detail_row(column: Column) -> str:
    kind = _choices(column) if column.choice is not None else column.kind
    if column.party_type is not None:
        kind += f", decided by {column.party_type}"
    notes = [column.unit] if column.unit else []
    if column.default is not None:
        notes.append(f"empty means {column.default}")
    if not column.listed:
        notes.append("not in DATA-EXCHANGE.md's table; read by the *_type rule")
    graph = "property" if column.stored else "mapped by the connector"
    described = "; ".join([graph, *notes])
    required = "*" if column.required else ""
    return (
        f"| `{column.name}` | {column.label} | {kind} | {required} | "
        f"{column.limit.chars:,} characters | {described} |"
    )


if __name__ == "__main__":
    print(render(), end="")
