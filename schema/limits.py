"""The limits every value obeys (DATA-EXCHANGE.md, "v2: limits every value obeys").

A value longer than its column allows is refused before it reaches the store: the row
model checks every cell (`Row`, connectors/rows.py), the readers bound every record,
and the GraphQL arguments are held to the same limits (hub/graphql/arguments.py).

Why they matter beyond tidiness: FalkorDB 4.16 crashes (signal 11 in
`EnforceUniqueEntity`) on a write of a uniquely keyed string over 4,096 bytes of UTF-8,
whatever the label; range indexes and plain properties take values of a megabyte. The
keyed values are identifiers (at most 64 characters, 256 bytes) and addresses (1,000
characters); `MAX_VALUE_BYTES` keeps every value a quarter under the crash, so that even
an address of 1,000 four-byte characters (CJK extension B, as GB18030 allows) is refused
with a reason instead of taking the store down. tests/store/test_value_limits.py finds
the threshold on the engine itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

MAX_IDENTIFIER_CHARS = 64  # *_id, *_number, *_code, uscc, vin, plate_number
MAX_NAME_CHARS = 200  # name, *_name
MAX_TEXT_CHARS = 1_000  # addresses and every other free text
MAX_VALUE_BYTES = 3_000  # UTF-8, any value: 1,000 Chinese characters of the basic plane
MAX_ROW_BYTES = 64 * 1024  # a whole record as the file holds it

IDENTIFIER_COLUMNS = frozenset({"uscc", "vin", "plate_number", "currency"})
IDENTIFIER_SUFFIXES = ("_id", "_number", "_code")


@dataclass(frozen=True, slots=True)
class Limit:
    """How long a column's values may be, and what the column is, for the message."""

    chars: int
    kind_zh: str
    kind_en: str

    def problem(self, value: str) -> tuple[str, str] | None:
        """None when `value` fits; otherwise the reason, in Chinese and in English."""
        if len(value) > self.chars and len(value.strip()) > self.chars:
            return (
                f"{self.kind_zh}最长 {self.chars} 个字符，此值有 {len(value)} 个",
                f"{self.kind_en} may be at most {self.chars:,} characters; "
                f"this one has {len(value):,}",
            )
        if len(value) * 4 > MAX_VALUE_BYTES:  # a UTF-8 character takes at most 4 bytes
            size = len(value.encode("utf-8", "surrogatepass"))
            if size > MAX_VALUE_BYTES:
                return (
                    f"此值按 UTF-8 有 {size} 字节，超过 {MAX_VALUE_BYTES} 字节的上限",
                    f"the value is {size:,} bytes of UTF-8, over the limit of {MAX_VALUE_BYTES:,}",
                )
        return None


IDENTIFIER = Limit(MAX_IDENTIFIER_CHARS, "标识或代码", "an identifier or code")
NAME = Limit(MAX_NAME_CHARS, "名称", "a name")
TEXT = Limit(MAX_TEXT_CHARS, "地址或文字", "an address or free text")


@lru_cache(maxsize=1024)
def limit_of(column: str) -> Limit:
    """The limit of a column (or argument) by its name: the rule of DATA-EXCHANGE.md."""
    name = column.lower()
    if name in IDENTIFIER_COLUMNS or name.endswith(IDENTIFIER_SUFFIXES):
        return IDENTIFIER
    if name == "name" or name.endswith("_name"):
        return NAME
    return TEXT


def row_too_long(size: int) -> tuple[str, str]:
    """The reason for a record over `MAX_ROW_BYTES` (`size` as measured, bytes or more)."""
    return (
        f"此行超过 {MAX_ROW_BYTES // 1024} KiB 的上限（至少 {size} 字节），未读入",
        f"the row is over the limit of {MAX_ROW_BYTES // 1024} KiB (at least {size:,} bytes) "
        "and was not read",
    )
