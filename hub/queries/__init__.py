"""Named Cypher queries, one query per `.cypher` file in this folder.

`trace_person.cypher` holds the query named `trace_person` in the subset of Cypher both
engines run. Where the engines differ, `trace_person.neo4j.cypher` or
`trace_person.falkordb.cypher` beside it is used for that engine instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ENGINES = ("falkordb", "neo4j")
QUERY_DIR = Path(__file__).parent


class UnknownQueryError(LookupError):
    """A query name has no `.cypher` file."""


@dataclass(frozen=True)
class Queries(Mapping[str, str]):
    """The queries of one engine, by name; built once at start-up."""

    engine: str
    texts: Mapping[str, str]

    def __getitem__(self, name: str) -> str:
        try:
            return self.texts[name]
        except KeyError:
            raise UnknownQueryError(f"no query named {name!r} for {self.engine}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)

    def require(self, names: Iterable[str]) -> None:
        """Fail now, not at first use, when any of `names` is missing."""
        missing = sorted(set(names) - set(self.texts))
        if missing:
            raise UnknownQueryError(f"missing queries for {self.engine}: {', '.join(missing)}")


def load_queries(engine: str, *dirs: Path) -> Queries:
    """Read every query for `engine` from `dirs` (default: this package's folder)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; expected one of {ENGINES}")
    texts: dict[str, str] = {}
    variants: dict[str, str] = {}
    for folder in dirs or (QUERY_DIR,):
        for path in sorted(folder.rglob("*.cypher")):
            stem, _, variant = path.name.removesuffix(".cypher").partition(".")
            text = path.read_text(encoding="utf-8").strip()
            if not variant:
                texts[stem] = text
            elif variant == engine:
                variants[stem] = text
            elif variant not in ENGINES:
                raise ValueError(f"{path}: unknown engine variant {variant!r}")
    return Queries(engine, texts | variants)
