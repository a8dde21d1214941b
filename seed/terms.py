"""The spec's enumerations, each value as its Chinese form and its English code.

Files mostly carry the Chinese form; `Styler.term` occasionally writes the code instead, which
the spec accepts too.
"""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    zh: str
    code: str


MALE = Term("男", "M")
FEMALE = Term("女", "F")

PERSON_NORMAL = Term("正常", "normal")
PERSON_DECEASED = Term("死亡", "deceased")
PERSON_MOVED_OUT = Term("迁出", "moved_out")

SPOUSE = Term("配偶", "spouse")
PARENT = Term("父母", "parent")
CHILD = Term("子女", "child")
SIBLING = Term("兄弟姐妹", "sibling")
OTHER_RELATIVE = Term("其他", "other")

ASSET_NORMAL = Term("正常", "normal")
MORTGAGED = Term("抵押", "mortgaged")
SEALED = Term("查封", "sealed")
VEHICLE_CANCELLED = Term("注销", "cancelled")

ENTERPRISE_ACTIVE = Term("存续", "active")
ENTERPRISE_REVOKED = Term("吊销", "revoked")
ENTERPRISE_CANCELLED = Term("注销", "cancelled")

CHAIRMAN = Term("董事长", "chairman")
DIRECTOR = Term("董事", "director")
SUPERVISOR = Term("监事", "supervisor")
MANAGER = Term("经理", "manager")
CFO = Term("财务负责人", "cfo")
ACTUAL_CONTROLLER = Term("实际控制人", "actual_controller")

ACCOUNT_NORMAL = Term("正常", "normal")
ACCOUNT_FROZEN = Term("冻结", "frozen")
ACCOUNT_CLOSED = Term("销户", "closed")

RESIDENTIAL = Term("住宅", "residential")
COMMERCIAL = Term("商业", "commercial")
INDUSTRIAL = Term("工业", "industrial")
OTHER_USE = Term("其他", "other")

ENFORCEMENT = Term("执行实施", "enforcement")
BANKRUPTCY = Term("破产", "bankruptcy")
ADMINISTRATIVE = Term("行政", "administrative")

CASE_OPEN = Term("执行中", "open")
CASE_SUSPENDED = Term("终结本次执行", "suspended")
CASE_CLOSED = Term("执行完毕", "closed")

APPLICANT = Term("申请执行人", "applicant")
RESPONDENT = Term("被执行人", "respondent")

# The optional *_type columns of party references.
PERSON = "person"
ENTERPRISE = "enterprise"
