"""Rejected rows: what is wrong with each, in words a clerk can act on, and the file of them.

A rejected row gets one `Reject` per problem (line, column, reason in Chinese and English).
`RejectsFile` writes the rejected rows back as CSV (UTF-8 with a BOM, so Excel opens it):
the file's own columns, then `line`, `column` and `reason`, for the department to fix and
send again.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from pydantic import ValidationError

from schema.fields import ColumnError, FieldError

REJECTS_FILE = "rejects.csv"
REJECT_COLUMNS = ("line", "column", "reason")


@dataclass(frozen=True, slots=True)
class Reject:
    """One problem of one row; `column` is empty when the whole line is unusable."""

    line: int
    column: str
    reason_zh: str
    reason_en: str

    @property
    def reason(self) -> str:
        return f"{self.reason_zh} / {self.reason_en}"

    @property
    def message(self) -> str:
        """`第 3 行 id_number：校验位错误 / check character wrong`"""
        where = f"第 {self.line} 行 {self.column}" if self.column else f"第 {self.line} 行"
        return f"{where}：{self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "reason_zh": self.reason_zh,
            "reason_en": self.reason_en,
            "message": self.message,
        }


def rejects_of(line: int, error: ValidationError) -> list[Reject]:
    """The problems pydantic found in a row, as rejects."""
    return [_reject(line, detail) for detail in error.errors(include_url=False)]


def _reject(line: int, detail: Any) -> Reject:
    location = detail.get("loc") or ()
    column = str(location[0]) if location else ""
    cause = (detail.get("ctx") or {}).get("error")
    if isinstance(cause, ColumnError):
        return Reject(line, cause.column, cause.reason_zh, cause.reason_en)
    if isinstance(cause, FieldError):
        return Reject(line, column, cause.reason_zh, cause.reason_en)
    if detail.get("type") == "missing" or detail.get("input", "") is None:
        return Reject(line, column, "必填，不能为空", "required; the cell is empty")
    message = str(detail.get("msg", "invalid"))
    return Reject(line, column, f"格式错误：{message}", f"invalid: {message}")


class RejectsFile:
    """The rejected rows of one run as CSV, opened when the first one comes."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self._columns = tuple(columns)
        self._handle: IO[str] | None = None
        self._writer: Any = None

    @property
    def written(self) -> bool:
        return self._handle is not None

    def write(self, cells: Mapping[str, Any], rejects: Sequence[Reject]) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow([*self._columns, *REJECT_COLUMNS])
        original = [_cell_text(cells.get(column)) for column in self._columns]
        columns = "; ".join(dict.fromkeys(reject.column for reject in rejects if reject.column))
        reasons = "; ".join(
            f"{reject.column}：{reject.reason}" if reject.column else reject.reason
            for reject in rejects
        )
        self._writer.writerow([*original, rejects[0].line, columns, reasons])

    def flush(self) -> None:
        """Put what was written on disk (a run records its progress after each batch)."""
        if self._handle is not None and not self._handle.closed:
            self._handle.flush()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    def __enter__(self) -> RejectsFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)
