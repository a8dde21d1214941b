"""The authenticated caller, as every check and audit record sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Role = Literal["officer", "department", "auditor", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)


@dataclass(frozen=True)
class Principal:
    subject: str  # token `sub`: an officer id such as "fy0821-001", a department system id, …
    role: Role
    department: str | None  # `dept` claim: department code (always set for role "department")
