"""`GET /console/report.pdf?case=…`: the 财产查控报告 (asset-search report) of a case as PDF.

The console builds the XLSX in the browser; a PDF wants fonts and layout the browser does
not have offline, so the hub makes it (reportlab, its built-in Chinese font). It reads the
case and each respondent's holdings as the browser does — `case` and `locateAssets`,
through `/graphql` as the caller (hub.console.as_caller) — so the policy (the officer's own
case), the masking and the audit are the API's: another officer's case is refused with the
hub's own answer, and every search is on record as the caller's.

The door itself leaves one audit record per request (`assetReportPdf`, naming the case):
the PDF made (ALLOWED), or why not — no session, a bad `case` argument (missing, repeated,
empty, with a NUL, too long, not a case number: 400 naming the argument), or the refusal of
one of the operations it read through (whose own record the API wrote).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.console.as_caller import GraphQLAnswer, graphql_as_caller
from hub.console.report_layout import ReportData, render_report
from hub.console.sessions import session_account_name
from hub.graphql.arguments import CASE_NUMBER
from hub.security.audit import Outcome
from hub.security.gate import Gate, OpenRecord, Subjects, visit_of
from hub.security.refusals import BadInput, Refusal, retry_after_header
from hub.settings import MAX_CASE_NUMBER_CHARS, MAX_ECHOED_CHARS

DOOR = "assetReportPdf"  # the operation of this door's audit records

CASE = """query ReportCase($caseNumber: String!) {
  case(caseNumber: $caseNumber) {
    caseNumber caseType court filedAt status amount outstandingAmount officerId
    parties { id name kind role }
  }
}"""
_HOLDING = (
    "direct via sharePct status source loadedAt owner { id name } "
    "controls { kind state queuePosition caseNumber effectiveUntil }"
)
LOCATE = f"""query ReportAssets($subject: String!, $caseNumber: String!) {{
  locateAssets(subject: $subject, caseNumber: $caseNumber, includeIndirect: true) {{
    subject {{ id name kind }}
    properties {{ {_HOLDING} certNumber address areaM2 use estimatedValue registeredAt }}
    vehicles {{ {_HOLDING} plateNumber vin brandModel registeredAt }}
    accounts {{
      {_HOLDING} bankCode bankName accountNumber accountType balance currency balanceAsOf
    }}
    equity {{ {_HOLDING} uscc name subscribedCapital paidCapital }}
    totalEstimatedValue
  }}
}}"""
STATUS_OF_CODE = {
    "UNAUTHENTICATED": 401,
    "FORBIDDEN": 403,
    "NOT_FOUND": 404,
    "BAD_USER_INPUT": 400,
    "RATE_LIMITED": 429,
    "QUERY_TOO_COMPLEX": 400,
    "UNAVAILABLE": 503,
}
PDF_TYPE = "application/pdf"
ERROR_CODES = frozenset({"UNAVAILABLE", "INTERNAL"})  # the hub's failures, not refusals


class Refused(Exception):
    """The hub's answer to one of the report's operations was a refusal or an error."""

    def __init__(self, answer: GraphQLAnswer) -> None:
        self.code = answer.code or "INTERNAL"
        self.message = str(answer.errors[0].get("message", "")) if answer.errors else ""
        super().__init__(self.message)

    @property
    def outcome(self) -> Outcome:
        return "ERROR" if self.code in ERROR_CODES else "DENIED"

    def response(self) -> JSONResponse:
        status = STATUS_OF_CODE.get(self.code, 500)
        return JSONResponse({"error": self.message, "code": self.code}, status)


def case_argument(params: QueryParams) -> str:
    """The one case number `?case=` names; BadInput naming `case` and why."""
    given = params.getlist("case")
    if not given:
        raise BadInput("case", "missing: name the case, ?case=<案号> / 缺少案号")
    if len(given) > 1:
        raise BadInput("case", f"given {len(given)} times: name one case / 只能指定一个案号")
    text = given[0].strip()
    if not text:
        raise BadInput("case", "empty / 为空")
    if "\x00" in text:
        raise BadInput("case", "holds a NUL character / 含有空字符")
    if len(text) > MAX_CASE_NUMBER_CHARS:
        limit = MAX_CASE_NUMBER_CHARS
        raise BadInput("case", f"longer than {limit} characters / 超过 {limit} 个字符")
    if not CASE_NUMBER.match(text):
        raise BadInput("case", "not a case number such as （2024）吉0821执123号 / 不是案号格式")
    return text


def refused(refusal: Refusal) -> JSONResponse:
    """A refusal of this door: its message, code and details (the argument), its status."""
    body = {"error": refusal.message, "code": refusal.answer.code, **refusal.details}
    return JSONResponse(body, refusal.answer.status, headers=retry_after_header(refusal))


async def asset_report_pdf(request: Request) -> Response:
    visit = visit_of(request.state, request.scope, DOOR)
    gate = Gate.of_request(request.scope)
    given = [c for c in request.query_params.getlist("case") if "\x00" not in c]  # unstorable
    record = OpenRecord(gate, visit, DOOR, None, Subjects(given[0] if given else None).cut())
    try:
        return await _answer(request, gate, record)
    except Refusal as refusal:  # recorded; or the record failed (AuditFailed): no data
        return refused(refusal)


async def _answer(request: Request, gate: Gate, record: OpenRecord) -> Response:
    try:
        record.principal = await gate.authenticate(record.visit)
        case_number = case_argument(request.query_params)
    except Refusal as refusal:
        raise await record.refuse(refusal) from None
    record.scope = Subjects(case_number)
    try:
        response, respondents = await _report(request, case_number)
    except Refused as inner:  # the operation's own record says why, under its request id
        await record.close(inner.outcome, 0, f"{inner.code}: {inner.message}")
        return inner.response()
    except Exception as error:
        raise await record.fail(error, DOOR) from None
    if respondents is None:
        shown = case_number[:MAX_ECHOED_CHARS]
        await record.close("DENIED", 0, f"NOT_FOUND: no case {shown}")
        return JSONResponse({"error": f"no case {shown}", "code": "NOT_FOUND"}, 404)
    await record.close("ALLOWED", 1, f"asset report PDF: {respondents} respondent(s)")
    return response


async def _report(request: Request, case_number: str) -> tuple[Response, int | None]:
    """The PDF and how many respondents it covers; None for a case that does not exist."""
    case = await _read(request, CASE, {"caseNumber": case_number}, "case")
    if case is None:
        return Response(status_code=404), None
    reports = [
        await _read(
            request, LOCATE, {"subject": p["id"], "caseNumber": case_number}, "locateAssets"
        )
        for p in case["parties"]
        if p["role"] == "respondent"
    ]
    made = datetime.now().astimezone()
    data = ReportData(
        case=case,
        reports=reports,
        officer=_officer(request, case),
        made_at=made,
        departments={code: d.name for code, d in request.app.state.departments.items()},
    )
    pdf = render_report(data)
    name = f"财产查控报告-{case['caseNumber']}-{made.date().isoformat()}.pdf"
    disposition = f"attachment; filename=\"report.pdf\"; filename*=UTF-8''{quote(name)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(pdf, media_type=PDF_TYPE, headers=headers), len(reports)


async def _read(request: Request, query: str, variables: dict[str, Any], field: str) -> Any:
    answer = await graphql_as_caller(request, query, variables)
    if answer.errors or answer.data is None:
        raise Refused(answer)
    return answer.data[field]


def _officer(request: Request, case: dict[str, Any]) -> str:
    """承办人: the signed-in account and the officer id, as the XLSX writes it."""
    officer_id = case.get("officerId") or "—"
    account = session_account_name(request)
    return f"{account}（{officer_id}）" if account else officer_id
