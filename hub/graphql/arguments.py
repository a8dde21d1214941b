"""Argument checks run by the guard before any query: each raises BadUserInput naming the
argument and why (the identifier's own bilingual reason for a malformed idNumber or uscc)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, Final

from graphql import (
    DocumentNode,
    FieldNode,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor

from hub.graphql.errors import BadUserInput
from hub.graphql.per_document import PerDocument
from hub.settings import MAX_CASE_NUMBER_CHARS
from schema.identifiers import IdentifierError, Party, parse_id_number, parse_party
from schema.limits import IDENTIFIER, MAX_IDENTIFIER_CHARS, Limit, limit_of

# （2024）吉0821执123号: year in brackets (full- or half-width), court and kind, number, 号.
CASE_NUMBER: Final = re.compile(r"^[（(]\d{4}[）)]\S+号$")


def _reason(error: IdentifierError) -> str:
    return f"{error.reason_en} / {error.reason_zh}"


def id_number(argument: str, value: str) -> str:
    """An 18-character id_number (a legacy 15-digit one is converted)."""
    try:
        return parse_id_number(value).value
    except IdentifierError as error:
        raise BadUserInput(argument, f"not a valid id number: {_reason(error)}") from None


def subject(argument: str, value: str) -> Party:
    """An id_number (a person) or a uscc (an enterprise)."""
    try:
        return parse_party(value)
    except IdentifierError as error:
        raise BadUserInput(argument, _reason(error)) from None


def case_number(argument: str, value: str) -> str:
    text = value.strip()
    if not text:
        raise BadUserInput(argument, "empty / 为空")
    if len(text) > MAX_CASE_NUMBER_CHARS or not CASE_NUMBER.match(text):
        raise BadUserInput(
            argument, "not a case number such as （2024）吉0821执123号 / 不是案号格式"
        )
    return text


def within(argument: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadUserInput(argument, f"must be between {low} and {high}, got {value}")
    return value


def text(argument: str, value: str, max_chars: int, *, required: bool = True) -> str:
    stripped = value.strip()
    if required and not stripped:
        raise BadUserInput(argument, "empty / 为空")
    if len(stripped) > max_chars:
        raise BadUserInput(argument, f"longer than {max_chars} characters")
    return stripped


def iso_date(argument: str, value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadUserInput(argument, f"not a date as YYYY-MM-DD: {value[:20]!r}") from None


def cursor(connection: str, offset: int) -> str:
    """An opaque `after` cursor of `connection` (alerts, letters, control …): the offset
    of the next item."""
    return base64.urlsafe_b64encode(f"{connection}:{offset}".encode()).decode()


def offset(connection: str, after: str | None) -> int:
    """The offset an `after` cursor of `connection` stands for (0 when none is given);
    a cursor another connection handed out, or none at all, names `after`."""
    if after is None:
        return 0
    try:
        prefix, _, number = base64.urlsafe_b64decode(after.encode()).decode().partition(":")
        skip = int(number)
    except (ValueError, UnicodeDecodeError):
        raise BadUserInput("after", "not a cursor this connection handed out") from None
    if prefix != connection or skip < 0:
        raise BadUserInput("after", "not a cursor this connection handed out")
    return skip


def page_size(argument: str, value: int | None, default: int, maximum: int) -> int:
    """A page size: 1 to `maximum`, `default` when not given."""
    return within(argument, default if value is None else value, 1, maximum)


# --- the value limits of DATA-EXCHANGE.md, on every argument ---------------------------------

# Arguments that hold identifiers or codes without saying so in their name.
IDENTIFIER_ARGUMENTS: Final = frozenset(
    {
        "subject",
        "subjects",
        "measure",
        "actor",
        "operation",
        "department",
        "outcome",
        "after",
        "id",
        "ids",
        "from",
        "to",
        "kind",
        "action",
        "box",
        "category",
    }
)
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def limit_of_argument(name: str) -> Limit:
    """The limit of an argument or input field, by the rule the department files follow."""
    if name in IDENTIFIER_ARGUMENTS:
        return IDENTIFIER
    return limit_of(_CAMEL.sub("_", name).lower())


def check_lengths(document: DocumentNode, variables: Mapping[str, Any] | None) -> None:
    """Refuse any string argument over its limit, literal or variable, however deep in a
    list or input object: nothing that long reaches a resolver, a query or a log line."""
    literals, variable_slots = _argument_slots(document)
    given = variables or {}
    found = [*literals]
    for path, name in variable_slots:
        found.extend(_value(path, given.get(name)))
    for path, text in found:
        if len(text) > MAX_IDENTIFIER_CHARS:
            problem = limit_of_argument(path.rsplit(".", 1)[-1].split("[", 1)[0]).problem(text)
            if problem is not None:
                raise BadUserInput(path[:MAX_IDENTIFIER_CHARS], problem[1])


# A document's string literals (path, text) and its variables (path, variable name), by
# argument path: worked out once per document.
Slots = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


def _slots(document: DocumentNode) -> Slots:
    literals: list[tuple[str, str]] = []
    variables: list[tuple[str, str]] = []

    class Arguments(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            for argument in node.arguments or ():
                _literal(argument.name.value, argument.value, literals, variables)

    visit(document, Arguments())
    return tuple(literals), tuple(variables)


_argument_slots = PerDocument(_slots)


def _literal(
    path: str,
    node: ValueNode,
    literals: list[tuple[str, str]],
    variables: list[tuple[str, str]],
) -> None:
    if isinstance(node, StringValueNode):
        literals.append((path, node.value))
    elif isinstance(node, VariableNode):
        variables.append((path, node.name.value))
    elif isinstance(node, ListValueNode):
        for n, item in enumerate(node.values):
            _literal(f"{path}[{n}]", item, literals, variables)
    elif isinstance(node, ObjectValueNode):
        for field in node.fields:
            _literal(f"{path}.{field.name.value}", field.value, literals, variables)


def _value(path: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _value(f"{path}[{n}]", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _value(f"{path}.{key}", item)
