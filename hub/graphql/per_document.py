"""What is worked out once per parsed document, kept by the document's identity.

Clients send the same few documents again and again, and strawberry's parser cache hands
back the same `DocumentNode` for the same text, so what depends only on the document
(its validation, where its string arguments are) is worked out once. Not by the
document's hash: graphql-core hashes a node by walking all of it, a quarter of a
millisecond for a tracePerson document, on every request. An entry holds its document, so
the id it is kept under cannot be reused while the entry lives.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from graphql import DocumentNode

from hub.settings import DOCUMENT_CACHE_SIZE

T = TypeVar("T")


class PerDocument(Generic[T]):
    """`compute(document, *extra)`, once per document and `extra` (cheap hashable values)."""

    def __init__(self, compute: Callable[..., T], size: int = DOCUMENT_CACHE_SIZE) -> None:
        self._compute = compute
        self._size = size
        self._kept: dict[Hashable, tuple[DocumentNode, T]] = {}

    def __call__(self, document: DocumentNode, *extra: Hashable) -> T:
        key = (id(document), *extra)
        kept = self._kept.get(key)
        if kept is not None and kept[0] is document:
            return kept[1]
        value = self._compute(document, *extra)
        if len(self._kept) >= self._size:
            self._kept.pop(next(iter(self._kept)))  # the oldest
        self._kept[key] = (document, value)
        return value
