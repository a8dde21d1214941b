"""Parameters arrive exactly as sent, whatever text or keys they hold.

FalkorDB takes parameters as literals in a header (`hub.store.cypher_params`): a value the
encoder wrote wrongly would come back changed, or fail to parse, or — the reason this matters —
end the literal early and be read as something else.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.store import GraphStore
from hub.store.cypher_params import cypher_literal, params_header

# Surrogates cannot be sent as UTF-8, NUL not to FalkorDB; other control characters can.
texts = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
# The header cannot carry an empty key or one with a backtick (FalkorDB has no escape for it).
keys = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
    texts.filter(lambda k: k != "" and "`" not in k),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    texts,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)

TRICKY = [
    'a"}) MATCH (n) DETACH DELETE n //',
    "\\",
    'end\\"',
    "line\nbreak\ttab\rreturn\x08\x0c",
    "\x01\x1f",
    "\\u0041 is not A",
    "\\",
    'x":1',
    "镇赉县 `幸福` 路",
    "\u2028\u2029",
]


def typed(value: Any) -> Any:
    """`value` with each scalar paired with its type, so that equality tells True from 1."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=values)
async def test_any_value_comes_back_as_sent(store: GraphStore, value: Any) -> None:
    [row] = await store.read("test_echo", {"value": value})

    # None, booleans, integers, text, lists and maps of them: sent as they are, so they come
    # back as they are, each of its own type (True is not 1).
    assert typed(row["value"]) == typed(value)


async def test_text_that_looks_like_syntax_comes_back_as_sent(store: GraphStore) -> None:
    value = {"texts": TRICKY, "map": dict.fromkeys(TRICKY[:3], 1) | {"plain_key": TRICKY}}

    [row] = await store.read("test_echo", {"value": value})

    assert row["value"] == value


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (["ok", "a\x00b"], "NUL"),
        (2**63, "64 bits"),
        (float("nan"), "finite"),
        ({"a`b": 1}, "backticks"),
        (b"raw", "bytes"),
    ],
)
def test_values_falkordb_cannot_hold_are_refused_by_reason(value: object, reason: str) -> None:
    with pytest.raises((ValueError, TypeError), match=reason):
        cypher_literal(value)


def test_literals_are_written_as_falkordb_reads_them() -> None:
    literal = cypher_literal({"name": "李某", "rows": [1, None, True, 'a"b\\c\n', 0.5]})

    assert literal == '{`name`:"李某",`rows`:[1,null,true,"a\\"b\\\\c\n",0.5]}'


async def test_numbers_come_back_as_sent(store: GraphStore) -> None:
    value = [1e-05, 1e20, -0.5, 2**63 - 1, -(2**63)]

    [row] = await store.read("test_echo", {"value": value})

    assert row["value"] == pytest.approx(value)


def test_the_header_names_each_parameter() -> None:
    assert params_header({"a": 1, "b": "x"}) == 'CYPHER a=1 b="x" '
    assert params_header({}) == ""
