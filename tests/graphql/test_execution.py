"""PlainFieldExecution answers exactly as graphql-core's own execution does, errors included."""

from __future__ import annotations

import asyncio
from collections import Counter
from enum import Enum
from typing import Any

import pytest
import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.extensions import ParserCache

from hub.graphql.execution import PlainFieldExecution


@strawberry.enum
class Colour(Enum):
    RED = "RED"
    BLUE = "BLUE"


@strawberry.interface
class Named:
    label: str


@strawberry.type
class Part(Named):
    size: int | None


@strawberry.type
class Item:
    name: str
    note: str | None
    count: int
    colour: Colour
    tags: list[str]
    parts: list[Part]
    best: Part | None
    first: Named | None  # an interface: graphql-core finds the concrete type


@strawberry.type
class Listing:
    items: list[Item | None]


@strawberry.type
class Loud:
    """A type with a resolver: graphql-core executes its fields, its plain children not."""

    word: str
    bits: list[Part | None]

    @strawberry.field
    def shout(self) -> str:
        return self.word.upper()


ITEMS: list[Any] = []
LOUDS: list[Any] = []


@strawberry.type
class Query:
    @strawberry.field
    async def items(self) -> list[Item | None]:
        return ITEMS

    @strawberry.field
    def listing(self) -> Listing:
        return Listing(items=ITEMS)

    @strawberry.field
    def louds(self) -> list[Loud]:
        return LOUDS


QUERY = """query($yes: Boolean!) {
  items { name note count colour tags __typename again: name ... on Item { count }
          parts { label size } best { label ... @include(if: $yes) { size } }
          first { label ... on Part { size } } skipped: tags @skip(if: $yes) }
  louds { word shout bits { label size } }
  listing { items { name parts { label } } } }"""


# With the parser cache, as the hub has: a document's nodes come back request after request.
SCHEMAS = {
    execution: strawberry.Schema(
        query=Query, execution_context_class=execution, extensions=[lambda: ParserCache(maxsize=8)]
    )
    for execution in (PlainFieldExecution, None)
}


def _execute(execution: type[Any] | None, yes: bool = True) -> dict[str, Any]:
    result = asyncio.run(SCHEMAS[execution].execute(QUERY, variable_values={"yes": yes}))
    errors = sorted((e.message, tuple(e.path or ())) for e in result.errors or ())
    return {"data": result.data, "errors": errors}


# Values a resolver might wrongly hand over, besides right ones: None in non-null fields,
# text where a number belongs, numbers out of GraphQL's Int range, unknown enum values.
anything = st.one_of(
    st.none(), st.text(max_size=5), st.integers(), st.booleans(), st.floats(allow_nan=False)
)
parts = st.builds(
    Part,
    label=st.one_of(st.text(max_size=3), anything),
    size=st.one_of(st.none(), st.integers(-5, 5), anything),
)
maybe_parts = st.one_of(st.lists(st.one_of(parts, st.none()), max_size=2), st.none(), anything)
items = st.builds(
    Item,
    name=st.one_of(st.text(max_size=5), anything),
    note=st.one_of(st.none(), st.text(max_size=5), anything),
    count=st.one_of(st.integers(-(2**31), 2**31 - 1), anything),
    colour=st.one_of(st.sampled_from(Colour), anything),
    tags=st.one_of(st.lists(st.text(max_size=3), max_size=2), st.none()),
    parts=maybe_parts,
    best=st.one_of(st.none(), parts, anything),
    first=st.one_of(st.none(), parts, anything),
)
louds = st.builds(Loud, word=st.text(max_size=3), bits=maybe_parts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(items, st.none()), max_size=4), st.lists(louds, max_size=2))
def test_answers_and_errors_match_graphql_core(items: list[Any], louds: list[Any]) -> None:
    ITEMS[:], LOUDS[:] = items, louds
    assert _execute(PlainFieldExecution) == _execute(None)


def test_skip_and_include_follow_the_variables() -> None:
    """A completion kept from one request is not used for another whose @skip or @include
    variables differ."""
    part = Part(label="甲", size=1)
    item = Item(
        name="乙",
        note=None,
        count=1,
        colour=Colour.RED,
        tags=["x"],
        parts=[],
        best=part,
        first=None,
    )
    ITEMS[:], LOUDS[:] = [item], []
    for yes in (True, False, True):
        answer = _execute(PlainFieldExecution, yes)
        assert answer == _execute(None, yes)
        assert answer["data"]["items"][0]["best"] == (
            {"label": "甲", "size": 1} if yes else {"label": "甲"}
        )
        assert ("skipped" in answer["data"]["items"][0]) is not yes


def test_plain_fields_take_the_short_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """graphql-core executes the fields of types with a resolver field, or an interface-typed
    field; nothing else."""
    part = Part(label="甲", size=1)
    ITEMS[:] = [
        Item(
            name="乙",
            note=None,
            count=1,
            colour=Colour.RED,
            tags=["x"],
            parts=[part],
            best=part,
            first=part,
        )
    ] * 3
    LOUDS[:] = [Loud(word="丙", bits=[part, None])]
    executed: list[str] = []
    original = PlainFieldExecution.__mro__[1].execute_field  # type: ignore[attr-defined]

    def counting(self: Any, parent_type: Any, source: Any, details: Any, *rest: Any) -> Any:
        executed.append(f"{parent_type.name}.{details[0].node.name.value}")
        return original(self, parent_type, source, details, *rest)

    monkeypatch.setattr(PlainFieldExecution.__mro__[1], "execute_field", counting)
    answer = _execute(PlainFieldExecution)
    assert answer["errors"] == []
    assert answer["data"]["items"][0] == {
        "name": "乙",
        "note": None,
        "count": 1,
        "colour": "RED",
        "tags": ["x"],
        "__typename": "Item",
        "again": "乙",
        "parts": [{"label": "甲", "size": 1}],
        "best": {"label": "甲", "size": 1},
        "first": {"label": "甲", "size": 1},
    }
    assert answer["data"]["louds"] == [
        {"word": "丙", "shout": "丙", "bits": [{"label": "甲", "size": 1}, None]}
    ]
    assert answer["data"]["listing"]["items"][0] == {"name": "乙", "parts": [{"label": "甲"}]}
    # Item selects `first`, typed as an interface, so graphql-core executes Item's fields and
    # first's; Item's other objects and lists, and all of listing below its resolver, not.
    # `again: name` is a second field; `skipped` is skipped
    item = [
        "name",
        "note",
        "count",
        "colour",
        "tags",
        "__typename",
        "name",
        "parts",
        "best",
        "first",
    ]
    per_item = [f"Item.{name}" for name in item] + ["Part.label", "Part.size"]
    roots = ["Query.items", "Query.louds", "Query.listing"]
    assert Counter(executed) == Counter(
        [*roots, "Loud.word", "Loud.shout", "Loud.bits", *(3 * per_item)]
    )
