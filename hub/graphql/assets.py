"""locateAssets: what a person or enterprise owns, directly and through enterprises it controls.

Three round trips whatever the size of the answer: `assets_subject` (the officer's purpose
check, then the subject and its control chains), `assets_holdings` (the holdings of the
subject and every controlled enterprise; beside it, an enterprise's latest wage check) and
the control measures standing on those holdings.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from hub.control import measures as control_measures
from hub.control import service as control_service
from hub.graphql import arguments
from hub.graphql.context import Context
from hub.graphql.control import Control, controlled
from hub.graphql.control_measures import ControlMeasure, WageCheck
from hub.graphql.decimals import HUNDRED, decimal, money_text, percent_text
from hub.graphql.errors import NotFound
from hub.graphql.guard import Scope, guard, purpose
from hub.graphql.labels import ACTUAL_CONTROLLER
from hub.security.principal import Principal
from hub.settings import CONTROL_SHARE_PCT, MAX_CONTROL_CHAINS, MAX_HOLDINGS
from hub.store import GraphStore

Row = dict[str, Any]
COUNTED_CURRENCIES = frozenset({None, "CNY"})  # balances added to totalEstimatedValue
CONTROLLED_STATUS = {"FREEZE": "frozen", "SEAL": "sealed"}  # a measure in force, as published


@strawberry.enum
class SubjectKind(Enum):
    PERSON = "PERSON"
    ENTERPRISE = "ENTERPRISE"


@strawberry.type
class AssetSubject:
    id: str
    name: str | None
    kind: SubjectKind


@strawberry.type(description="The party holding an asset directly.")
class Owner:
    id: str
    name: str | None


@strawberry.interface(description="One asset held by the subject, directly or indirectly.")
class Holding:
    direct: bool
    via: list[str] = strawberry.field(
        description="Enterprises the subject controls, down to the owner; empty when direct"
    )
    share_pct: str | None = strawberry.field(
        description="The subject's effective share in percent (multiplied along the chain); "
        "null when control comes without ownership (an actual controller)"
    )
    status: str | None = strawberry.field(
        description="As the department published it, or frozen / sealed while a control "
        "measure is in force on it"
    )
    owner: Owner
    source: str | None = strawberry.field(
        default=None,
        description="The department that published it, by code (自然资源 nrb, 公安 psb, a "
        "bank's own code, 市场监管 amr): where to send a control request or check the record",
    )
    loaded_at: str | None = strawberry.field(
        default=None,
        description="When the hub last received it from that department (ISO 8601, UTC): "
        "the record is as of then",
    )
    controls: list[ControlMeasure] = strawberry.field(
        default_factory=list,
        description="Freezes and seals standing on the asset (in force, or waiting: 轮候), "
        "whichever case they serve",
    )


@strawberry.type
class PropertyHolding(Holding):
    cert_number: str
    address: str | None
    area_m2: str | None
    use: str | None
    estimated_value: str | None
    registered_at: str | None


@strawberry.type
class VehicleHolding(Holding):
    plate_number: str | None
    vin: str
    brand_model: str | None
    registered_at: str | None


@strawberry.type
class AccountHolding(Holding):
    bank_code: str | None
    bank_name: str | None
    account_number: str | None
    account_type: str | None
    balance: str | None
    currency: str | None
    balance_as_of: str | None


@strawberry.type
class EquityHolding(Holding):
    uscc: str
    name: str | None
    subscribed_capital: str | None = strawberry.field(description="万元, as registries publish")
    paid_capital: str | None


@strawberry.type(description="An enterprise the subject controls, and how.")
class ControlledEnterprise:
    uscc: str
    name: str | None
    share_pct: str | None
    via: list[str]


@strawberry.type
class AssetReport:
    subject: AssetSubject
    properties: list[PropertyHolding]
    vehicles: list[VehicleHolding]
    accounts: list[AccountHolding]
    equity: list[EquityHolding]
    controlled_enterprises: list[ControlledEnterprise]
    total_estimated_value: str = strawberry.field(
        description="Yuan: property values and CNY balances, each weighted by the share held"
    )
    wage_check: WageCheck | None = strawberry.field(
        default=None,
        description="An enterprise's latest wage check (农民工工资核查, WAGE_CHECK to 人社): "
        "see to migrant workers' wages before its assets are disposed of",
    )

    @property
    def result_count(self) -> int:
        return len(self.properties) + len(self.vehicles) + len(self.accounts) + len(self.equity)


@dataclass(frozen=True)
class AssetArgs:
    subject: str
    case_number: str
    include_indirect: bool

    @property
    def scope(self) -> Scope:
        return Scope(self.case_number, (self.subject,))

    @classmethod
    def check(cls, subject: str, case_number: str, include_indirect: bool) -> AssetArgs:
        return cls(
            subject=arguments.subject("subject", subject).id,
            case_number=arguments.case_number("caseNumber", case_number),
            include_indirect=include_indirect,
        )


@dataclass(frozen=True)
class _Stake:
    """How the subject holds what one owner holds."""

    owner: Owner
    direct: bool
    via: list[str]
    share: Decimal | None  # percent of the owner's holdings that counts for the subject

    def of(self, pct: object = None) -> Decimal | None:
        """The subject's share of a holding in which the owner has `pct` (default 100)."""
        owned = decimal(pct)
        if self.share is None:
            return None
        return self.share if owned is None else self.share * owned / HUNDRED


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else percent_text(value)


class _Report:
    """Builds the holdings of one report and adds up their weighted value."""

    def __init__(self) -> None:
        self.properties: list[PropertyHolding] = []
        self.vehicles: list[VehicleHolding] = []
        self.accounts: list[AccountHolding] = []
        self.equity: list[EquityHolding] = []
        self.total = Decimal(0)

    def add(self, stake: _Stake, row: Row) -> None:
        def common(share: Decimal | None, item: Row) -> dict[str, Any]:
            return {
                "direct": stake.direct,
                "via": stake.via,
                "share_pct": _pct(share),
                "status": _text(item.get("status")),
                "owner": stake.owner,
                "source": item.get("source"),
                "loaded_at": item.get("loaded_at"),
            }

        for p in row["properties"]:
            share = stake.of(p.get("share_pct"))
            self._count(p.get("estimated_value"), share)
            self.properties.append(
                PropertyHolding(
                    **common(share, p),
                    cert_number=p["cert_number"],
                    address=p.get("address"),
                    area_m2=_text(p.get("area_m2")),
                    use=p.get("use"),
                    estimated_value=_text(p.get("estimated_value")),
                    registered_at=p.get("registered_at"),
                )
            )
        for v in row["vehicles"]:
            self.vehicles.append(
                VehicleHolding(
                    **common(stake.of(), v),
                    plate_number=v.get("plate_number"),
                    vin=v["vin"],
                    brand_model=v.get("brand_model"),
                    registered_at=v.get("registered_at"),
                )
            )
        for a in row["accounts"]:
            share = stake.of()
            if a.get("currency") in COUNTED_CURRENCIES:
                self._count(a.get("balance"), share)
            self.accounts.append(
                AccountHolding(
                    **common(share, a),
                    bank_code=a.get("bank_code"),
                    bank_name=a.get("bank_name"),
                    account_number=a.get("account_number"),
                    account_type=a.get("account_type"),
                    balance=_text(a.get("balance")),
                    currency=a.get("currency"),
                    balance_as_of=a.get("balance_as_of"),
                )
            )
        for e in row["equity"]:
            self.equity.append(
                EquityHolding(
                    **common(stake.of(e.get("share_pct")), e),
                    uscc=e["uscc"],
                    name=e.get("name"),
                    subscribed_capital=_text(e.get("subscribed_capital")),
                    paid_capital=_text(e.get("paid_capital")),
                )
            )

    async def add_controls(self, store: GraphStore) -> None:
        """Each holding's control measures (one query), and a status that follows them."""
        keyed: list[tuple[str, Holding]] = [
            *((f"PROPERTY:{p.cert_number}", p) for p in self.properties),
            *((f"VEHICLE:{v.vin}", v) for v in self.vehicles),
            *((f"ACCOUNT:{a.bank_code}:{a.account_number}", a) for a in self.accounts),
            *((f"EQUITY:{e.uscc}:{e.owner.id}", e) for e in self.equity),
        ]
        found = await control_measures.of_assets(store, [key for key, _ in keyed])
        for key, holding in keyed:
            standing = found.get(key, [])
            holding.controls = [ControlMeasure.of(m) for m in standing]
            for measure in standing:
                if measure["state"] == "IN_FORCE":
                    holding.status = CONTROLLED_STATUS[measure["kind"]]

    def _count(self, value: object, share: Decimal | None) -> None:
        amount = decimal(value)
        if amount is not None and share is not None:
            self.total += amount * share / HUNDRED


async def _wage_check(store: GraphStore, subject: str, enterprise: bool) -> Row | None:
    return await control_service.latest_wage_check(store, subject) if enterprise else None


async def run_locate(context: Context, principal: Principal, args: AssetArgs) -> AssetReport:
    store = context.store
    rows = await purpose(context).read(  # nothing of the subject is read when it refuses
        store,
        "assets_subject",
        {
            "subject": args.subject,
            "control_pct": CONTROL_SHARE_PCT,
            "controller_title": ACTUAL_CONTROLLER,
            "max_chains": MAX_CONTROL_CHAINS,
        },
    )
    if rows[0]["id"] is None:
        raise NotFound(f"no person or enterprise with identifier {args.subject} in the graph")
    subject = rows[0]
    control: dict[str, Control] = (
        controlled(args.subject, subject["chains"]) if args.include_indirect else {}
    )
    stakes = {
        args.subject: _Stake(Owner(id=args.subject, name=subject["name"]), True, [], HUNDRED),
        **{
            c.id: _Stake(Owner(id=c.id, name=c.name), False, list(c.via), c.share)
            for c in control.values()
        },
    }
    # An enterprise's wage check is read beside its holdings: one round trip for both.
    holdings, latest = await asyncio.gather(
        store.read("assets_holdings", {"owners": list(stakes), "max_items": MAX_HOLDINGS}),
        _wage_check(store, args.subject, subject["enterprise"]),
    )
    report = _Report()
    for row in sorted(holdings, key=lambda r: (r["owner_id"] != args.subject, r["owner_id"])):
        report.add(stakes[row["owner_id"]], row)
    await report.add_controls(store)
    wage_check = None if latest is None else WageCheck.of(latest)
    return AssetReport(
        subject=AssetSubject(
            id=args.subject,
            name=subject["name"],
            kind=SubjectKind.ENTERPRISE if subject["enterprise"] else SubjectKind.PERSON,
        ),
        properties=report.properties,
        vehicles=report.vehicles,
        accounts=report.accounts,
        equity=report.equity,
        controlled_enterprises=[
            ControlledEnterprise(uscc=c.id, name=c.name, share_pct=_pct(c.share), via=list(c.via))
            for c in control.values()
        ],
        total_estimated_value=money_text(report.total),
        wage_check=wage_check,
    )


async def resolve_locate_assets(
    info: Info[Context, None],
    subject: str,
    case_number: str,
    include_indirect: bool | None = True,
) -> AssetReport:
    return await guard(
        info,
        "locateAssets",
        Scope(case_number, (subject,)),
        lambda: AssetArgs.check(subject, case_number, include_indirect is not False),
        run_locate,
    )


@strawberry.type
class AssetsQuery:
    locate_assets: AssetReport = strawberry.field(
        resolver=resolve_locate_assets,
        description="What a party of the case owns, directly or through control.",
    )
