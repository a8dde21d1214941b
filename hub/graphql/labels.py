"""Readable Chinese words for the codes the graph stores, used in `via` paths."""

from __future__ import annotations

from typing import Final

RELATION_WORDS: Final = {
    "spouse": "配偶",
    "parent": "父母",
    "child": "子女",
    "sibling": "兄弟姐妹",
    "other": "其他亲属",
}

# An edge (X)-[:RELATIVE {relation: R}]->(Y) reads "Y is X's R"; seen from Y, X is Y's inverse.
INVERSE_RELATION: Final = {
    "spouse": "spouse",
    "parent": "child",
    "child": "parent",
    "sibling": "sibling",
    "other": "other",
}

TITLE_WORDS: Final = {
    "chairman": "董事长",
    "director": "董事",
    "supervisor": "监事",
    "manager": "经理",
    "cfo": "财务负责人",
    "actual_controller": "实际控制人",
}

ROLE_WORDS: Final = {
    "LEGAL_REP_OF": "法定代表人",
    "SHAREHOLDER_OF": "股东",
    "EXECUTIVE_OF": "主要人员",
}

ACTUAL_CONTROLLER: Final = "actual_controller"  # amr.executives title 实际控制人, as stored

SHARED_PHONE: Final = "共用电话"
SHARED_ADDRESS: Final = "同一地址"
HOLDS: Final = "持股"


def relation_word(relation: str | None) -> str:
    return RELATION_WORDS.get(relation or "", relation or "亲属")


def office_word(edge_type: str, title: str | None) -> str:
    """法定代表人, 股东, or the executive's title (董事长, 实际控制人, …)."""
    if edge_type == "EXECUTIVE_OF" and title:
        return TITLE_WORDS.get(title, title)
    return ROLE_WORDS.get(edge_type, edge_type)
