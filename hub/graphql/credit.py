"""creditCheck (is this person or enterprise restricted, why, which measures apply) and
measures (the joint-punishment catalogue).

A check of up to MAX_CREDIT_SUBJECTS subjects runs two queries for all of them:
`credit_subjects` finds them, and `credit_listings` reads the listings of those linked to any.
A malformed identifier does not fail the call: its item says `valid: false` and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Final

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from hub.graphql.context import Context
from hub.graphql.errors import BadUserInput
from hub.graphql.guard import Scope, guard
from hub.graphql.labels import ACTUAL_CONTROLLER
from hub.security.principal import Principal
from hub.settings import MAX_CREDIT_SUBJECTS
from schema.identifiers import IdentifierError, Party, parse_party
from schema.measures import Measure as CatalogueMeasure
from schema.measures import measures_for

if TYPE_CHECKING:
    from hub.graphql.punishment import PunishmentRecord

Row = dict[str, Any]

# 限制消费规定 art. 3 para. 2: besides the legal representative and the actual controller, a
# listed entity's 主要负责人 and 影响债务履行的直接责任人员 are restricted. Among amr.executives
# titles these are the chairman, the manager and the chief financial officer; directors and
# supervisors are not, by their title alone.
RESPONSIBLE_TITLES: Final = ("chairman", "manager", "cfo")


@strawberry.enum
class AppliesTo(Enum):
    PERSON = "PERSON"
    ENTERPRISE = "ENTERPRISE"
    RESPONSIBLE_PERSON = "RESPONSIBLE_PERSON"


@strawberry.enum
class RestrictionKind(Enum):
    LISTED = "LISTED"
    LEGAL_REPRESENTATIVE_OF_LISTED = "LEGAL_REPRESENTATIVE_OF_LISTED"
    ACTUAL_CONTROLLER_OF_LISTED = "ACTUAL_CONTROLLER_OF_LISTED"
    EXECUTIVE_OF_LISTED = "EXECUTIVE_OF_LISTED"


@strawberry.type(description="One joint-punishment measure (联合惩戒措施) of the catalogue.")
class Measure:
    code: str
    name: str
    name_en: str | None
    department: str = strawberry.field(description="kind of the department carrying it out")
    department_name: str
    legal_basis: str
    applies_to: list[AppliesTo]

    @classmethod
    def of(cls, measure: CatalogueMeasure) -> Measure:
        return cls(
            code=measure.code,
            name=measure.name,
            name_en=measure.name_en or None,
            department=measure.department,
            department_name=measure.department_name,
            legal_basis=measure.legal_basis,
            applies_to=[AppliesTo(kind) for kind in measure.applies_to],
        )


@strawberry.type
class RestrictionReason:
    kind: RestrictionKind
    case_number: str | None
    listed_at: str | None
    via: str | None = strawberry.field(description="the listed enterprise's name, for roles")
    via_uscc: str | None


@strawberry.type
class CreditCheckResult:
    subject: str
    valid: bool
    error: str | None
    known: bool = strawberry.field(description="the subject is in the graph")
    name: str | None
    dishonest: bool = strawberry.field(description="on the dishonest list and not removed")
    restricted: bool
    reasons: list[RestrictionReason]
    measures: list[Measure]
    punishments: list[Annotated[PunishmentRecord, strawberry.lazy("hub.graphql.punishment")]] = (
        strawberry.field(
            default_factory=list,
            description="惩戒反馈: what departments reported applying to the subject, latest first",
        )
    )


@dataclass(frozen=True)
class CreditArgs:
    items: tuple[Party | IdentifierError, ...]
    raw: tuple[str, ...]
    measure: str | None
    with_punishments: bool = False  # the caller asked for `punishments`: one query more

    @property
    def scope(self) -> Scope:
        return Scope(None, tuple(item.id for item in self.items if isinstance(item, Party)))

    @classmethod
    def check(
        cls,
        subjects: list[str],
        measure: str | None,
        catalogue: tuple[CatalogueMeasure, ...],
        with_punishments: bool = False,
    ) -> CreditArgs:
        if len(subjects) > MAX_CREDIT_SUBJECTS:
            raise BadUserInput(
                "subjects", f"{len(subjects)} subjects; at most {MAX_CREDIT_SUBJECTS} a call"
            )
        if measure is not None and measure not in {m.code for m in catalogue}:
            raise BadUserInput("measure", f"no measure {measure[:64]!r} in the catalogue")
        items: list[Party | IdentifierError] = []
        for subject in subjects:
            try:
                items.append(parse_party(subject))
            except IdentifierError as error:
                items.append(error)
        return cls(tuple(items), tuple(subjects), measure, with_punishments)


def _in_force(listings: list[Row], today: str) -> list[Row]:
    """Listings not removed by today (a removal dated later has not happened yet)."""
    return [x for x in listings if x.get("removed_at") is None or x["removed_at"] > today]


def _reasons(row: Row | None, party: Party, today: str) -> list[RestrictionReason]:
    if row is None:
        return []
    reasons = [
        RestrictionReason(
            kind=RestrictionKind.LISTED,
            case_number=listing["case_number"],
            listed_at=listing.get("listed_at"),
            via=None,
            via_uscc=None,
        )
        for listing in _in_force(row["listings"], today)
    ]
    if party.kind != "person":
        return reasons
    represented = _in_force(row["represented"], today)
    roles = [(RestrictionKind.LEGAL_REPRESENTATIVE_OF_LISTED, r) for r in represented]
    for office in _in_force(row["offices"], today):
        if office.get("title") not in (*RESPONSIBLE_TITLES, ACTUAL_CONTROLLER):
            continue
        controller = office.get("title") == ACTUAL_CONTROLLER
        kind = (
            RestrictionKind.ACTUAL_CONTROLLER_OF_LISTED
            if controller
            else RestrictionKind.EXECUTIVE_OF_LISTED
        )
        roles.append((kind, office))
    seen: set[tuple[RestrictionKind, str]] = set()
    for kind, role in roles:
        if (kind, role["case_number"]) in seen:
            continue
        seen.add((kind, role["case_number"]))
        reasons.append(
            RestrictionReason(
                kind=kind,
                case_number=role["case_number"],
                listed_at=role.get("listed_at"),
                via=role.get("via"),
                via_uscc=role.get("uscc"),
            )
        )
    return reasons


class _Measures:
    """The catalogue's measures per kind of subject, built once per call."""

    def __init__(self, catalogue: tuple[CatalogueMeasure, ...], only: str | None) -> None:
        chosen = tuple(m for m in catalogue if only is None or m.code == only)
        self.by_kind = {
            kind: [Measure.of(m) for m in measures_for(chosen, kind.value)] for kind in AppliesTo
        }

    def applying(self, party: Party, reasons: list[RestrictionReason]) -> list[Measure]:
        kinds: list[AppliesTo] = []
        if any(r.kind is RestrictionKind.LISTED for r in reasons):
            kinds.append(AppliesTo.PERSON if party.kind == "person" else AppliesTo.ENTERPRISE)
        if any(r.kind is not RestrictionKind.LISTED for r in reasons):
            kinds.append(AppliesTo.RESPONSIBLE_PERSON)
        measures: dict[str, Measure] = {}
        for kind in kinds:
            for measure in self.by_kind[kind]:
                measures.setdefault(measure.code, measure)
        return list(measures.values())


# Where `credit_listings`'s rows of each kind go in a subject's row, as `_reasons` reads it.
LISTING_KINDS: Final = {"LISTED": "listings", "REPRESENTED": "represented", "OFFICE": "offices"}


async def _by_subject(context: Context, ids: list[str]) -> dict[str, Row]:
    """The subjects of `ids` in the graph, each with its name and listings of each kind."""
    [found] = await context.store.read("credit_subjects", {"ids": ids})
    rows: dict[str, Row] = {
        subject_id: {"name": name} | {kind: [] for kind in LISTING_KINDS.values()}
        for subject_id, name in found["subjects"]
    }
    if found["linked"]:
        for row in await context.store.read("credit_listings", {"ids": found["linked"]}):
            rows[row["id"]][LISTING_KINDS[row["kind"]]].append(row)
    return rows


async def measures_applying(context: Context, party: Party, on: date) -> list[Measure]:
    """The measures that apply to `party` on the day `on`, decided as creditCheck decides
    (recordPunishment refuses a measure not among them)."""
    rows = await _by_subject(context, [party.id])
    reasons = _reasons(rows.get(party.id), party, on.isoformat())
    return _Measures(context.services.measures, None).applying(party, reasons)


def _invalid(raw: str, error: IdentifierError) -> CreditCheckResult:
    return CreditCheckResult(
        subject=raw,
        valid=False,
        error=f"{error.reason_en} / {error.reason_zh}",
        known=False,
        name=None,
        dishonest=False,
        restricted=False,
        reasons=[],
        measures=[],
    )


async def run_credit_check(
    context: Context, principal: Principal, args: CreditArgs
) -> list[CreditCheckResult]:
    ids = sorted({item.id for item in args.items if isinstance(item, Party)})
    rows: dict[str, Row] = {}
    if ids:
        rows = await _by_subject(context, ids)
    measures = _Measures(context.services.measures, args.measure)
    punished: dict[str, list[PunishmentRecord]] = {}
    if args.with_punishments and rows:
        from hub.graphql.punishment import punishments_of  # it imports this module

        punished = await punishments_of(context, sorted(rows))
    today = date.today().isoformat()
    results = []
    for raw, item in zip(args.raw, args.items, strict=True):
        if isinstance(item, IdentifierError):
            results.append(_invalid(raw, item))
            continue
        row = rows.get(item.id)
        reasons = _reasons(row, item, today)
        results.append(
            CreditCheckResult(
                subject=item.id,
                valid=True,
                error=None,
                known=row is not None,
                name=row.get("name") if row else None,
                dishonest=any(r.kind is RestrictionKind.LISTED for r in reasons),
                restricted=bool(reasons),
                reasons=reasons,
                measures=measures.applying(item, reasons),
                punishments=punished.get(item.id, []),
            )
        )
    return results


@dataclass(frozen=True)
class NoArgs:
    @property
    def scope(self) -> Scope:
        return Scope()


async def run_measures(context: Context, principal: Principal, args: NoArgs) -> list[Measure]:
    return [Measure.of(m) for m in context.services.measures]


def _selects(selections: list[Selection], name: str) -> bool:
    """Whether `name` is selected, directly or through fragments."""
    return any(
        s.name == name if isinstance(s, SelectedField) else _selects(s.selections, name)
        for s in selections
    )


async def resolve_credit_check(
    info: Info[Context, None], subjects: list[str], measure: str | None = None
) -> list[CreditCheckResult]:
    catalogue = info.context.services.measures
    punishments = any(_selects(f.selections, "punishments") for f in info.selected_fields)
    return await guard(
        info,
        "creditCheck",
        Scope(None, tuple(subjects[:MAX_CREDIT_SUBJECTS])),
        lambda: CreditArgs.check(subjects, measure, catalogue, punishments),
        run_credit_check,
    )


async def resolve_measures(info: Info[Context, None]) -> list[Measure]:
    return await guard(info, "measures", Scope(), NoArgs, run_measures)


@strawberry.type
class CreditQuery:
    credit_check: list[CreditCheckResult] = strawberry.field(
        resolver=resolve_credit_check,
        description="Restricted or not, why, and which measures apply: up to 1,000 subjects.",
    )
    measures: list[Measure] = strawberry.field(
        resolver=resolve_measures, description="The joint-punishment measure catalogue."
    )
