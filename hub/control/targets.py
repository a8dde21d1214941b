"""What a control request acts on: a target's identifying fields, its lookup, the key of the
asset its measures hang on, a description in Chinese, and the department it goes to (the
one that published the asset: its provenance)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from hub.control.rules import RuleBroken, TargetKind
from schema.departments import Department

# The department kind that answers for each target kind when the asset's own publisher is
# not a registered department (or, for a person, not 公安): a vehicle or a person to 公安,
# a wage check to 人社.
KIND_DEPARTMENT: Final[Mapping[TargetKind, str]] = {
    TargetKind.ACCOUNT: "bank",
    TargetKind.PROPERTY: "nrb",
    TargetKind.VEHICLE: "psb",
    TargetKind.EQUITY: "amr",
    TargetKind.PERSON: "psb",
    TargetKind.ENTERPRISE: "hrss",
}
# The fields each kind is identified by (GraphQL names); any other given is refused.
FIELDS: Final[Mapping[TargetKind, tuple[str, ...]]] = {
    TargetKind.ACCOUNT: ("bankCode", "accountNumber"),
    TargetKind.PROPERTY: ("certNumber",),
    TargetKind.VEHICLE: ("vin", "plateNumber"),
    TargetKind.EQUITY: ("uscc", "holder"),
    TargetKind.PERSON: ("idNumber",),
    TargetKind.ENTERPRISE: ("uscc",),
}


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    bank_code: str | None = None
    account_number: str | None = None
    cert_number: str | None = None
    vin: str | None = None
    plate_number: str | None = None
    uscc: str | None = None
    holder: str | None = None
    id_number: str | None = None

    @property
    def key(self) -> str:
        """What the target's lookup query finds it by (`$key`)."""
        match self.kind:
            case TargetKind.ACCOUNT:
                return f"{self.bank_code}:{self.account_number}"
            case TargetKind.PROPERTY:
                return str(self.cert_number)
            case TargetKind.VEHICLE:
                return str(self.vin or self.plate_number)
            case TargetKind.EQUITY | TargetKind.ENTERPRISE:
                return str(self.uscc)
            case TargetKind.PERSON:
                return str(self.id_number)

    @property
    def query(self) -> str:
        if self.kind == TargetKind.VEHICLE and not self.vin:
            return "control_target_vehicle_by_plate"
        if self.kind in (TargetKind.PERSON, TargetKind.ENTERPRISE):
            return "control_target_party"
        return f"control_target_{self.kind.value.lower()}"

    def lookup(self, case_number: str) -> dict[str, Any]:
        return {"key": self.key, "holder": self.holder, "case_number": case_number}

    def asset_key(self, found: Mapping[str, Any]) -> str | None:
        """The key measures on this asset carry (None for a person or an enterprise)."""
        if self.kind == TargetKind.VEHICLE:
            return asset_key(self.kind, str(found.get("vin") or self.vin))
        if self.kind == TargetKind.EQUITY:
            return asset_key(self.kind, f"{self.uscc}:{self.holder}")
        if self.kind in (TargetKind.PERSON, TargetKind.ENTERPRISE):
            return None
        return asset_key(self.kind, self.key)

    def describe(self, found: Mapping[str, Any]) -> str:
        """The target in a clerk's words."""
        holder = found.get("holder_name") or found.get("holder_id") or ""
        match self.kind:
            case TargetKind.ACCOUNT:
                return f"{holder} 在 {self.bank_code} 的账户 {self.account_number}"
            case TargetKind.PROPERTY:
                return f"{holder} 名下不动产（不动产权证号 {self.cert_number}）"
            case TargetKind.VEHICLE:
                plate = found.get("plate_number") or self.plate_number or ""
                return f"{holder} 名下机动车 {plate}（车架号 {found.get('vin') or self.vin}）"
            case TargetKind.EQUITY:
                name = found.get("enterprise_name") or self.uscc
                return f"{holder} 持有的 {name} 股权"
            case TargetKind.PERSON:
                return f"查找被执行人 {holder}"
            case TargetKind.ENTERPRISE:
                return f"{holder} 农民工工资核查"


def asset_key(kind: TargetKind, key: str) -> str:
    """'ACCOUNT:<bank_code>:<account_number>', 'PROPERTY:<cert>', 'VEHICLE:<vin>',
    'EQUITY:<uscc>:<holder>'."""
    return f"{kind.value}:{key}"


def route(
    kind: TargetKind, source: str | None, departments: Mapping[str, Department]
) -> Department:
    """The department a request on a target of `kind` published by `source` goes to."""
    wanted = KIND_DEPARTMENT[kind]
    published = departments.get(source or "")
    if published is not None and published.kind == wanted:
        return published
    for department in departments.values():
        if department.kind == wanted:
            return department
    raise RuleBroken(
        "input.target",
        f"no department of kind {wanted} is registered with the hub to receive a request on "
        f"a {kind} / 未登记接收此类请求的部门",
    )
