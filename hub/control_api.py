"""The file exchange of control requests, for departments without a client of their own
(API.md, "Control requests"; DATA-EXCHANGE.md, "v2: control requests and answers as files").

- `GET /control/requests?format=csv|xlsx&status=PENDING` (department token) answers the
  requests addressed to the caller's department (PENDING and RECEIVED when no status is
  given), oldest first; those PENDING become RECEIVED (送达). Audited as
  `controlRequestsFile`, naming the subjects handed out.
- `POST /control/answers` takes a CSV (`text/csv`) or XLSX of answers, one row per request
  (`request_id`*, `outcome`*, `amount_controlled`, `effective_from`, `effective_until`,
  `receipt_number`, `reason`), and answers each row as `answerControl` does. A bad row is
  reported by line and column with the reason; the good rows still count. Audited as
  `controlAnswersFile`, naming the cases and subjects answered.

Both are doors of the one gate (`hub.security.gate`): authenticated, rate-limited,
authorized and recorded, refusals included.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from connectors import FileRefused
from connectors.readers import Format, open_source
from hub.control import service
from hub.control.clock import CLOCK
from hub.control.rules import Outcome, RuleBroken, Status, parse_amount
from hub.security.gate import Gate, Subjects, plain_answer, render_plain, visit_of
from hub.security.principal import Principal
from hub.security.refusals import BadInput, NotFound, Refusal
from hub.settings import MAX_CONTROL_EXCHANGE_ROWS
from hub.store import GraphStore
from schema.fields import FieldError, cell_text, parse_day
from schema.limits import limit_of

REQUESTS_DOOR: Final = "controlRequestsFile"
ANSWERS_DOOR: Final = "controlAnswersFile"
MAX_EXCHANGE_ROWS: Final = MAX_CONTROL_EXCHANGE_ROWS
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE: Final = "text/csv; charset=utf-8"

REQUEST_COLUMNS: Final = (
    "request_id",
    "case_number",
    "action",
    "target_kind",
    "bank_code",
    "account_number",
    "cert_number",
    "vin",
    "plate_number",
    "uscc",
    "holder_id",
    "id_number",
    "amount",
    "until",
    "ruling_number",
    "notice_number",
    "requested_at",
)
# The stored property behind each column that is named differently.
STORED: Final = {"target_kind": "target_kind", "holder_id": "holder_id"}
ANSWER_COLUMNS: Final = (
    "request_id",
    "outcome",
    "amount_controlled",
    "effective_from",
    "effective_until",
    "receipt_number",
    "reason",
)
OUTCOMES: Final[Mapping[str, Outcome]] = {
    "办结": Outcome.DONE,
    "部分办结": Outcome.PARTIAL,
    "未办结": Outcome.NOT_DONE,
    "退回": Outcome.RETURNED,
    **{outcome.value: outcome for outcome in Outcome},
}
STATUSES: Final = (Status.PENDING.value, Status.RECEIVED.value)


# --- GET /control/requests -------------------------------------------------------------------


@dataclass(frozen=True)
class ListFileArgs:
    fmt: str
    statuses: tuple[str, ...]

    @property
    def scope(self) -> Subjects:
        return Subjects()

    @classmethod
    def check(cls, params: Mapping[str, str]) -> ListFileArgs:
        fmt = (params.get("format") or "csv").strip().lower()
        if fmt not in ("csv", "xlsx"):
            raise BadInput("format", f"csv or xlsx, not {fmt[:20]!r}")
        status = params.get("status")
        if status is None or not status.strip():
            return cls(fmt, STATUSES)
        wanted = status.strip().upper()
        if wanted not in {s.value for s in Status}:
            known = ", ".join(s.value for s in Status)
            raise BadInput("status", f"one of {known}, not {status[:20]!r}")
        return cls(fmt, (wanted,))


async def control_requests_file(request: Request) -> Response:
    visit = visit_of(request.state, request.scope, REQUESTS_DOOR)
    gate = Gate.of_request(request.scope)
    try:
        admission = await gate.admit(
            visit, REQUESTS_DOOR, Subjects(), lambda: ListFileArgs.check(request.query_params)
        )
        record, args = admission.record, admission.arguments
        try:
            rows = await service.receive(
                gate.store, admission.principal, list(args.statuses), MAX_EXCHANGE_ROWS, CLOCK.now()
            )
        except Exception as error:
            raise await record.fail(error, REQUESTS_DOOR) from None
        record.scope = _named(rows)
        await record.close("ALLOWED", len(rows))
    except Refusal as refusal:
        return plain_answer(refusal)
    table = [[_cell(row, column) for column in REQUEST_COLUMNS] for row in rows]
    if args.fmt == "xlsx":
        return Response(_xlsx(REQUEST_COLUMNS, table), media_type=XLSX_TYPE)
    return Response(_csv(REQUEST_COLUMNS, table), media_type=CSV_TYPE)


def _cell(row: Mapping[str, Any], column: str) -> str:
    value = row.get(STORED.get(column, column))
    return "" if value is None else str(value)


def _named(rows: list[dict[str, Any]]) -> Subjects:
    cases = {row.get("case_number") for row in rows}
    subjects = tuple(dict.fromkeys(str(row["subject_id"]) for row in rows))
    case = next(iter(cases)) if len(cases) == 1 else None
    return Subjects(None if case is None else str(case), subjects)


def _csv(columns: tuple[str, ...], table: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(table)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: Excel reads it as UTF-8


def _xlsx(columns: tuple[str, ...], table: list[list[str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("requests")
    sheet.append(list(columns))
    for line in table:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- POST /control/answers -------------------------------------------------------------------


@dataclass
class AnswersReport:
    rows_read: int = 0
    accepted: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)
    answered: list[dict[str, str]] = field(default_factory=list)

    def reject(self, line: int, column: str, reason_zh: str, reason_en: str) -> None:
        self.rejects.append(
            {"line": line, "column": column, "reason": f"{reason_zh} / {reason_en}"}
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "rows_accepted": self.accepted,
            "rows_rejected": len(self.rejects),
            "rejects": self.rejects,
            "answered": self.answered,
        }


@dataclass(frozen=True)
class AnswersFileArgs:
    fmt: Format

    @property
    def scope(self) -> Subjects:
        return Subjects()

    @classmethod
    def check(cls, content_type: str) -> AnswersFileArgs:
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind == "text/csv":
            return cls("csv")
        if kind == XLSX_TYPE:
            return cls("xlsx")
        raise BadInput("Content-Type", f"text/csv or {XLSX_TYPE}, not {kind[:60]!r}")


async def control_answers_file(request: Request) -> Response:
    visit = visit_of(request.state, request.scope, ANSWERS_DOOR)
    gate = Gate.of_request(request.scope)
    content_type = request.headers.get("content-type", "")
    try:
        admission = await gate.admit(
            visit, ANSWERS_DOOR, Subjects(), lambda: AnswersFileArgs.check(content_type)
        )
        record = admission.record
        try:
            body = await request.body()
            report = await _answer_file(
                gate.store, admission.principal, admission.arguments.fmt, body
            )
        except Refusal as refusal:
            raise await record.refuse(refusal) from None
        except Exception as error:
            raise await record.fail(error, ANSWERS_DOOR) from None
        record.scope = _named(report.answered)
        reason = f"{len(report.rejects)} rows rejected" if report.rejects else None
        await record.close("ALLOWED", report.accepted, reason)
    except Refusal as refusal:
        return plain_answer(refusal)
    return JSONResponse(report.as_dict())


async def _answer_file(
    store: GraphStore, principal: Principal, fmt: Format, body: bytes
) -> AnswersReport:
    report = AnswersReport()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"answers.{fmt}"
        path.write_bytes(body)
        try:
            with open_source(path, fmt) as source:
                missing = [c for c in ("request_id", "outcome") if c not in source.columns]
                if missing:
                    raise BadInput("file", f"the header lacks the column {', '.join(missing)}")
                for record in source.records:
                    report.rows_read += 1
                    if report.rows_read > MAX_EXCHANGE_ROWS:
                        raise BadInput("file", f"at most {MAX_EXCHANGE_ROWS} answers in a file")
                    if record.problem is not None:
                        report.reject(record.line, record.column, *record.problem)
                        continue
                    await _answer_row(store, principal, record.line, record.cells, report)
        except FileRefused as refused:
            raise BadInput("file", str(refused)) from None
    return report


async def _answer_row(
    store: GraphStore,
    principal: Principal,
    line: int,
    cells: Mapping[str, Any],
    report: AnswersReport,
) -> None:
    try:
        args = _row_args(cells)
    except _CellError as error:
        report.reject(line, error.column, error.reason_zh, error.reason_en)
        return
    try:
        found = await service.answer_control(store, principal, args, CLOCK.now())
    except BadInput as refused:
        column = _COLUMN_OF.get(refused.argument, "request_id")
        report.reject(line, column, "无法办理", refused.reason)
        return
    except (NotFound, Refusal) as refused:
        report.reject(line, "request_id", "无法办理", refused.message)
        return
    report.accepted += 1
    request = found.request
    report.answered.append(
        {
            "request_id": request["request_id"],
            "case_number": request["case_number"],
            "subject_id": request["subject_id"],
            "status": request["status"],
        }
    )


_COLUMN_OF: Final = {
    "input.requestId": "request_id",
    "input.outcome": "outcome",
    "input.amountControlled": "amount_controlled",
    "input.effectiveFrom": "effective_from",
    "input.effectiveUntil": "effective_until",
    "input.reason": "reason",
    "input.wageArrears": "outcome",
}


class _CellError(Exception):
    def __init__(self, column: str, reason_zh: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.column, self.reason_zh, self.reason_en = column, reason_zh, reason_en


def _text(cells: Mapping[str, Any], column: str, *, required: bool = False) -> str | None:
    value = cell_text(cells.get(column))
    if value is None:
        if required:
            raise _CellError(column, "必填，不能为空", "required; the cell is empty")
        return None
    problem = limit_of(column).problem(value)
    if problem is not None:
        raise _CellError(column, *problem)
    return value


def _day(cells: Mapping[str, Any], column: str) -> date | None:
    value = cells.get(column)
    if isinstance(value, date):
        return parse_day(value)
    text = _text(cells, column)
    if text is None:
        return None
    try:
        return parse_day(text)
    except FieldError as error:
        raise _CellError(column, error.reason_zh, error.reason_en) from None


def _row_args(cells: Mapping[str, Any]) -> service.AnswerArgs:
    request_id = _text(cells, "request_id", required=True)
    outcome_text = _text(cells, "outcome", required=True)
    outcome = OUTCOMES.get(str(outcome_text)) or OUTCOMES.get(str(outcome_text).upper())
    if outcome is None:
        raise _CellError(
            "outcome",
            f"办理结果“{outcome_text}”应为 办结、部分办结、未办结 或 退回",
            "outcome must be DONE, PARTIAL, NOT_DONE or RETURNED",
        )
    amount: Decimal | None = None
    amount_text = _text(cells, "amount_controlled")
    if amount_text is not None:
        try:
            amount = parse_amount("amount_controlled", amount_text)
        except RuleBroken as error:
            raise _CellError("amount_controlled", "金额无效", error.reason) from None
    return service.AnswerArgs(
        request_id=str(request_id),
        outcome=outcome,
        amount_controlled=amount,
        effective_from=_day(cells, "effective_from"),
        effective_until=_day(cells, "effective_until"),
        receipt_number=_text(cells, "receipt_number"),
        reason=_text(cells, "reason"),
    )


AUDITED_DOORS: Final = {
    "/control/requests": (REQUESTS_DOOR, render_plain),
    "/control/answers": (ANSWERS_DOOR, render_plain),
}
