"""The GraphQL schema, assembled from one module per capability."""

from __future__ import annotations

import logging
from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.types import ExecutionContext

from hub.graphql.assets import AssetsQuery
from hub.graphql.audit import AuditQuery
from hub.graphql.cases import CasesQuery
from hub.graphql.complexity import ComplexityRule
from hub.graphql.credit import CreditQuery
from hub.graphql.errors import ApiError
from hub.graphql.execution import PlainFieldExecution
from hub.graphql.punishment import PunishmentMutation
from hub.graphql.runs import RunsQuery
from hub.graphql.tracing import TracingQuery
from hub.settings import DOCUMENT_CACHE_SIZE, MAX_QUERY_TOKENS

log = logging.getLogger(__name__)


@strawberry.type
class Query(CasesQuery, TracingQuery, AssetsQuery, CreditQuery, AuditQuery, RunsQuery):
    pass


@strawberry.type
class Mutation(PunishmentMutation):
    pass


class HubSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Refusals and bad input are the caller's business (and audited); only failures are
        # logged here, and the guard has logged those with their cause and request id.
        for error in errors:
            if not isinstance(error.original_error, ApiError | None):
                log.error("unexpected GraphQL error: %s", error.message)


def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=MAX_QUERY_TOKENS),
        lambda: AddValidationRules([ComplexityRule]),
        # Clients send the same few documents again and again: parse and validate each once.
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return HubSchema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        execution_context_class=PlainFieldExecution,
    )
