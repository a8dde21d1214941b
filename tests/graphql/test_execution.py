"""PlainFieldExecution answers exactly as graphql-core's own execution does, errors included."""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import Any

import pytest
import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.graphql.execution import PlainFieldExecution


@strawberry.enum
class Colour(Enum):
    RED = "RED"
    BLUE = "BLUE"


@strawberry.type
class Item:
    name: str
    note: str | None
    count: int
    colour: Colour
    tags: list[str]

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


ITEMS: list[Any] = []


@strawberry.type
class Query:
    @strawberry.field
    async def items(self) -> list[Item | None]:
        return ITEMS


QUERY = """{ items { name note count colour tags shout
                     again: name ... on Item { count } } }"""


def _execute(execution: type[Any] | None) -> dict[str, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=execution)
    result = asyncio.run(schema.execute(QUERY))
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or ())
    return {"data": result.data, "errors": errors}


# Values a resolver might wrongly hand over, besides right ones: None in non-null fields,
# text where a number belongs, numbers out of GraphQL's Int range, unknown enum values.
anything = st.one_of(
    st.none(), st.text(max_size=5), st.integers(), st.booleans(), st.floats(allow_nan=False)
)
items = st.builds(
    Item,
    name=st.one_of(st.text(max_size=5), anything),
    note=st.one_of(st.none(), st.text(max_size=5), anything),
    count=st.one_of(st.integers(-(2**31), 2**31 - 1), anything),
    colour=st.one_of(st.sampled_from(Colour), anything),
    tags=st.one_of(st.lists(st.text(max_size=3), max_size=2), st.none()),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(items, st.none()), max_size=4))
def test_answers_and_errors_match_graphql_core(values: list[Any]) -> None:
    ITEMS[:] = values
    assert _execute(PlainFieldExecution) == _execute(None)


def test_plain_fields_take_the_short_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only fields with a resolver (or lists) go through graphql-core's field execution."""
    ITEMS[:] = [Item(name="甲", note=None, count=1, colour=Colour.RED, tags=["x"])] * 3
    executed: list[str] = []
    original = PlainFieldExecution.__mro__[1].execute_field  # type: ignore[attr-defined]

    def counting(self: Any, parent_type: Any, source: Any, details: Any, *rest: Any) -> Any:
        executed.append(details[0].node.name.value)
        return original(self, parent_type, source, details, *rest)

    monkeypatch.setattr(PlainFieldExecution.__mro__[1], "execute_field", counting)
    answer = _execute(PlainFieldExecution)
    assert answer["errors"] == []
    assert answer["data"]["items"][0] == {
        "name": "甲",
        "note": None,
        "count": 1,
        "colour": "RED",
        "tags": ["x"],
        "shout": "甲",
        "again": "甲",
    }
    # note is null, so it takes the long path too, where graphql-core writes the null
    assert sorted(set(executed)) == ["items", "note", "shout", "tags"]
