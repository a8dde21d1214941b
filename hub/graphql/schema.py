"""The GraphQL schema, assembled from one module per capability."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Collection, Iterator
from typing import Any

import strawberry
from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    validate,
)
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
)
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule
from strawberry.types import ExecutionContext

from hub.graphql.accounts import AccountsMutation, AccountsQuery
from hub.graphql.alert_stream import AlertsSubscription
from hub.graphql.alerts import AlertsMutation, AlertsQuery
from hub.graphql.arguments import check_lengths
from hub.graphql.assets import AssetsQuery
from hub.graphql.audit import AuditQuery
from hub.graphql.cases import CasesQuery
from hub.graphql.complexity import ComplexityRule
from hub.graphql.context import Context
from hub.graphql.control_requests import ControlRequestsMutation, ControlRequestsQuery
from hub.graphql.credit import CreditQuery
from hub.graphql.errors import BadUserInput
from hub.graphql.execution import PlainFieldExecution
from hub.graphql.letters import LettersMutation, LettersQuery
from hub.graphql.per_document import PerDocument
from hub.graphql.punishment import PunishmentMutation, PunishmentQuery
from hub.graphql.runs import RunsQuery
from hub.graphql.stats import StatsQuery
from hub.graphql.tracing import TracingQuery
from hub.security.refusals import Refusal
from hub.settings import DOCUMENT_CACHE_SIZE, MAX_QUERY_TOKENS

log = logging.getLogger(__name__)


@strawberry.type
class Query(
    CasesQuery,
    TracingQuery,
    AssetsQuery,
    CreditQuery,
    AuditQuery,
    RunsQuery,
    ControlRequestsQuery,
    AlertsQuery,
    PunishmentQuery,
    LettersQuery,
    StatsQuery,
    AccountsQuery,
):
    pass


@strawberry.type
class Subscription(AlertsSubscription):
    pass


@strawberry.type
class Mutation(
    PunishmentMutation, ControlRequestsMutation, AlertsMutation, LettersMutation, AccountsMutation
):
    pass


class HubSchema(strawberry.Schema):
    def __init__(self, *args: Any, hide_suggestions: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hide_suggestions = hide_suggestions

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Refusals and the caller's own mistakes are answered (and audited), not logged; the
        # gate has logged its failures with the request id. What is left is a failure outside
        # the gate: logged with where it happened, never with its message, which may quote
        # an argument's value.
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, Refusal | GraphQLError):
                continue
            frames = "".join(traceback.format_tb(original.__traceback__))
            log.error(
                "unexpected %s at %s in\n%s",
                type(original).__name__,
                ".".join(map(str, error.path or ())) or "(no field)",
                frames,
            )

    def _get_custom_context_kwargs(
        self, operation_extensions: dict[str, Any] | None = None, *, sync: bool = False
    ) -> dict[str, Any]:
        # The keyword arguments strawberry hands graphql-core's execute(): with introspection
        # off, errors of variable values (enum values above all) suggest nothing either.
        kwargs = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        if self.hide_suggestions:
            kwargs["hide_suggestions"] = True
        return kwargs


def _validation(
    document: DocumentNode,
    schema: GraphQLSchema,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> tuple[list[GraphQLError], bool]:
    """The document's validation errors, and whether it asks for a meta field at the root."""
    # strawberry's own rules come last, as strawberry's validate_document adds them
    rules = (*rules, MaybeNullValidationRule, OneOfInputValidationRule)
    errors = validate(schema, document, rules, hide_suggestions=hide_suggestions)
    return errors, _asks_for_meta_fields(document)


_validated = PerDocument(_validation)


class Validation(SchemaExtension):
    """Validate each document once (documents come from the parser cache), and with
    introspection off without "Did you mean …?": a field, argument, type or enum value
    suggested is a piece of the schema told to whoever guesses near it.

    A caller without a valid token gets nothing: a document asking for introspection or
    `__typename` is refused here, before anything runs (the guard refuses every other field).
    """

    def __init__(self, *, hide_suggestions: bool) -> None:
        super().__init__()
        self.hide_suggestions = hide_suggestions

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        errors, meta = _validated(
            context.graphql_document,
            context.schema._schema,
            tuple(context.validation_rules),
            self.hide_suggestions,
        )
        if not errors:
            try:  # the value limits, on every argument: before anything runs
                check_lengths(context.graphql_document, context.variables)
            except BadUserInput as refusal:
                errors = [GraphQLError(refusal.message, original_error=refusal)]
        context.pre_execution_errors = errors
        caller = context.context
        if meta and not errors and isinstance(caller, Context):
            refused = caller.visit.refusal  # the view authenticated the caller before
            if refused is not None:
                context.pre_execution_errors = [
                    GraphQLError(refused.message, original_error=refused)
                ]
        yield


def _root_names(
    selections: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    seen: Collection[str] = (),
) -> Iterator[str]:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_names(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in seen:
                yield from _root_names(fragment.selection_set, fragments, (*seen, name))


def _asks_for_meta_fields(document: DocumentNode) -> bool:
    """Whether an operation of `document` selects `__schema`, `__type` or `__typename` at its
    root (through fragments too)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return any(
        name.startswith("__")
        for operation in document.definitions
        if isinstance(operation, OperationDefinitionNode)
        for name in _root_names(operation.selection_set, fragments)
    )


def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=MAX_QUERY_TOKENS),
        lambda: AddValidationRules([ComplexityRule]),
        # Clients send the same few documents again and again: parse and validate each once.
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: Validation(hide_suggestions=not introspection),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return HubSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=PlainFieldExecution,
        hide_suggestions=not introspection,
    )
