"""Which enterprises a subject controls, and its effective share in each.

A subject controls an enterprise it holds CONTROL_SHARE_PCT or more of, or (a person) is the
actual controller of, and, recursively, what those enterprises control, up to
MAX_CONTROL_DEPTH levels (the `assets_subject` query finds the chains). The effective share
multiplies the shares along a chain (80% of A, A 60% of B: 48% of B) and adds up over the
chains that reach the same enterprise. A chain with an actual-controller link gives control
without ownership: its share is unknown (None) and counts for nothing in value totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hub.graphql.decimals import HUNDRED, decimal, percent_text
from hub.graphql.labels import HOLDS, TITLE_WORDS

Row = dict[str, Any]


@dataclass(frozen=True)
class Control:
    id: str
    name: str | None
    share: Decimal | None  # effective share in percent; None: controlled without ownership
    via: tuple[str, ...]  # the chain in words, ending with this enterprise


def _chain(row: Row) -> tuple[Decimal | None, tuple[str, ...]]:
    share: Decimal | None = HUNDRED
    words: list[str] = []
    for enterprise, link in zip(row["enterprises"], row["links"], strict=True):
        name = enterprise.get("name") or enterprise["id"]
        pct = decimal(link.get("share_pct")) if link["type"] == "SHAREHOLDER_OF" else None
        if pct is None:
            share = None
            words.append(f"{TITLE_WORDS['actual_controller']} {name}")
        else:
            share = None if share is None else share * pct / HUNDRED
            words.append(f"{HOLDS}{percent_text(pct)}% {name}")
    return share, tuple(words)


def controlled(subject_id: str, chains: Iterable[Row]) -> dict[str, Control]:
    """The enterprises the subject controls, by id."""
    found: dict[str, Control] = {}
    for row in chains:
        end = row["enterprises"][-1]
        if end["id"] == subject_id:
            continue  # a cycle back to an enterprise subject
        share, via = _chain(row)
        before = found.get(end["id"])
        if before is None:
            found[end["id"]] = Control(end["id"], end.get("name"), share, via)
            continue
        total = _add(before.share, share)
        best_via = via if _larger(share, before.share) else before.via
        found[end["id"]] = Control(end["id"], end.get("name"), total, best_via)
    return found


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a + b, HUNDRED)


def _larger(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and (b is None or a > b)
