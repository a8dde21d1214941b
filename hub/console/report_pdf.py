"""`GET /console/report.pdf?case=…`: the 财产查控报告 (asset-search report) of a case as PDF.

The console builds the XLSX in the browser; a PDF wants fonts and layout the browser does
not have offline, so the hub makes it (reportlab, its built-in Chinese font). It reads the
case and each respondent's holdings as the browser does — `case` and `locateAssets`,
through `/graphql` as the caller (hub.console.as_caller) — so the policy (the officer's own
case), the masking and the audit are the API's: another officer's case is refused with the
hub's own answer, and every search is on record as the caller's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hub.console.as_caller import GraphQLAnswer, graphql_as_caller
from hub.console.report_layout import ReportData, render_report
from hub.console.sessions import session_account_name
from hub.settings import MAX_ECHOED_CHARS

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


class Refused(Exception):
    """The hub's answer to one of the report's operations was a refusal or an error."""

    def __init__(self, answer: GraphQLAnswer) -> None:
        self.code = answer.code or "INTERNAL"
        self.message = str(answer.errors[0].get("message", "")) if answer.errors else ""
        super().__init__(self.message)

    def response(self) -> JSONResponse:
        status = STATUS_OF_CODE.get(self.code, 500)
        return JSONResponse({"error": self.message, "code": self.code}, status)


async def asset_report_pdf(request: Request) -> Response:
    case_number = request.query_params.get("case", "").strip()
    if not case_number:
        return JSONResponse({"error": "name the case: ?case=<案号>", "code": "BAD_USER_INPUT"}, 400)
    try:
        case = await _read(request, CASE, {"caseNumber": case_number}, "case")
        if case is None:
            shown = case_number[:MAX_ECHOED_CHARS]
            return JSONResponse({"error": f"no case {shown}", "code": "NOT_FOUND"}, 404)
        reports = [
            await _read(
                request, LOCATE, {"subject": p["id"], "caseNumber": case_number}, "locateAssets"
            )
            for p in case["parties"]
            if p["role"] == "respondent"
        ]
    except Refused as refused:
        return refused.response()
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
    return Response(pdf, media_type=PDF_TYPE, headers=headers)


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
