"""What the compiled completion (hub/graphql/execution.py) saves, measured side by side.

The same answers, the hub's own result types (creditCheck's), completed by graphql-core's
execution as strawberry runs it and by `PlainFieldExecution`, alternating in one process:

    .venv/bin/python bench/completion.py [--subjects 1000] [--rounds 30]

It times `schema.execute` of a creditCheck-shaped query whose resolver hands back answers
built beforehand, so that only the completion differs: no store, no HTTP, no guard.
Results: bench/results/completion-*.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import strawberry
from strawberry.extensions import ParserCache
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from hub.graphql.credit import CreditCheckResult, Measure, RestrictionKind, RestrictionReason
from hub.graphql.execution import PlainFieldExecution
from schema.measures import load_measures

QUERY = """
query Check($subjects: [String!]!) {
  creditCheck(subjects: $subjects) {
    subject valid error known name dishonest restricted
    reasons { kind caseNumber listedAt via viaUscc }
    measures { code name department departmentName legalBasis appliesTo }
  }
}
"""


def answers(count: int) -> list[CreditCheckResult]:
    """creditCheck answers as the seed county gives them: a fifth restricted, with measures."""
    catalogue = [Measure.of(measure) for measure in load_measures()]
    results = []
    for n in range(count):
        restricted = n % 5 == 0
        reasons = [
            RestrictionReason(
                kind=RestrictionKind.LISTED,
                case_number=f"（2024）吉0821执{n}号",
                listed_at="2024-03-01",
                via=None,
                via_uscc=None,
            )
        ]
        results.append(
            CreditCheckResult(
                subject=f"22082119800807{n:04d}",
                valid=True,
                error=None,
                known=True,
                name=f"张{n}",
                dishonest=restricted,
                restricted=restricted,
                reasons=reasons if restricted else [],
                measures=catalogue[:6] if restricted else [],
            )
        )
    return results


def schema(execution: type[StrawberryGraphQLCoreExecutionContext], data: list[Any]) -> Any:
    @strawberry.type
    class Query:
        @strawberry.field
        def credit_check(self, subjects: list[str]) -> list[CreditCheckResult]:
            return data

    return strawberry.Schema(
        query=Query, execution_context_class=execution, extensions=[ParserCache]
    )


async def timed(built: Any, subjects: list[str]) -> float:
    started = time.perf_counter()
    result = await built.execute(QUERY, variable_values={"subjects": subjects})
    elapsed = time.perf_counter() - started
    assert result.errors is None, result.errors
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=30)
    options = parser.parse_args()
    data = answers(options.subjects)
    subjects = [item.subject for item in data]
    contenders = {
        "graphql-core": schema(StrawberryGraphQLCoreExecutionContext, data),
        "compiled": schema(PlainFieldExecution, data),
    }
    first = {
        name: (await built.execute(QUERY, {"subjects": subjects})).data
        for name, built in contenders.items()
    }
    assert first["graphql-core"] == first["compiled"], "the two completions answer differently"
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(options.rounds):
        for name, built in contenders.items():  # alternating: drift hits both alike
            times[name].append(await timed(built, subjects))
    base = statistics.median(times["graphql-core"])
    print(f"creditCheck answer of {options.subjects} subjects, {options.rounds} rounds each")
    print("| completion | p50 ms | min ms | ratio |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        p50 = statistics.median(values)
        print(f"| {name} | {p50 * 1e3:.1f} | {min(values) * 1e3:.1f} | {p50 / base:.2f} |")


if __name__ == "__main__":
    asyncio.run(main())
