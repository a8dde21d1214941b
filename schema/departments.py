"""Departments (部门) and the dataset kinds each may publish.

A fresh install knows one department per kind whose code is the kind name (`psb`,
`amr`, `bank`, `nrb`, `court`, `hrss`, `other`), so everything works out of the box. A
deployment lists its real departments in a TOML file named by `HUB_DEPARTMENTS_FILE`:

    [[department]]
    code = "icbc-zhenlai"        # what tokens carry in their `dept` claim
    kind = "bank"                # psb | amr | bank | nrb | court | hrss | other
    name = "工商银行镇赉支行"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

DepartmentKind = Literal["psb", "amr", "bank", "nrb", "court", "hrss", "other"]
KINDS: tuple[DepartmentKind, ...] = get_args(DepartmentKind)

KIND_NAMES: dict[DepartmentKind, str] = {
    "psb": "公安局",
    "amr": "市场监督管理局",
    "bank": "银行",
    "nrb": "自然资源局",
    "court": "人民法院",
    "hrss": "人力资源和社会保障局",  # wage-arrears checks (WAGE_CHECK control requests)
    "other": "其他部门",
}


class DepartmentsFileError(ValueError):
    """The departments file is unreadable or names a bad entry."""


@dataclass(frozen=True)
class Department:
    code: str
    kind: DepartmentKind
    name: str

    def owns(self, dataset: str) -> bool:
        """A department publishes the datasets of its kind: `bank.accounts` for banks."""
        return dataset.split(".", 1)[0] == self.kind


def default_departments() -> dict[str, Department]:
    return {kind: Department(kind, kind, KIND_NAMES[kind]) for kind in KINDS}


def load_departments(path: Path | None) -> dict[str, Department]:
    """The departments by code: the defaults, or those of the file at `path`."""
    if path is None:
        return default_departments()
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("department", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DepartmentsFileError(f"{path}: {exc}") from exc
    departments: dict[str, Department] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{path}, department #{number}"
        code, kind = entry.get("code"), entry.get("kind")
        if not code or not isinstance(code, str):
            raise DepartmentsFileError(f"{where}: 'code' is missing")
        if kind not in KINDS:
            raise DepartmentsFileError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if code in departments:
            raise DepartmentsFileError(f"{where}: code {code!r} appears twice")
        kind = cast(DepartmentKind, kind)
        departments[code] = Department(code, kind, str(entry.get("name") or KIND_NAMES[kind]))
    if not departments:
        raise DepartmentsFileError(f"{path}: no [[department]] entries")
    return departments
