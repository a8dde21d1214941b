"""`GET /audit/export?from=&to=`: `hub audit export` for auditors, over HTTP.

An auditor needs no shell on the server: with an auditor token, the same records the
command writes come back as JSON Lines (oldest first, exactly as stored, hash included;
docs/audit.md says how to check them). The export names the persons who were looked up,
so it is itself an access and recorded (`auditExport`, with the count of records) through
the gate before the first line is sent.

`from` and `to` take an ISO date or date-time; a date-time without a zone is UTC (the
server's local time means nothing to a caller elsewhere); a date as `to` includes that
whole day. Either may be left out.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from hub.security.audit import AuditLog
from hub.security.gate import Gate, Subjects, plain_answer, visit_of
from hub.security.refusals import BadInput, Refusal

DOOR = "auditExport"
MEDIA_TYPE = "application/x-ndjson; charset=utf-8"


@dataclass(frozen=True)
class ExportArgs:
    start: datetime | None
    end: datetime | None

    @property
    def scope(self) -> Subjects:
        return Subjects()

    @classmethod
    def check(cls, params: Mapping[str, str]) -> ExportArgs:
        return cls(
            _moment(params, "from", end_of_day=False), _moment(params, "to", end_of_day=True)
        )


def _moment(params: Mapping[str, str], name: str, *, end_of_day: bool) -> datetime | None:
    text = params.get(name)
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        if len(text) == len("2024-05-01"):
            day = date.fromisoformat(text) + timedelta(days=1 if end_of_day else 0)
            return datetime.combine(day, time(), UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(name, f"not an ISO date (2024-05-01) or date-time: {text[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def audit_export(request: Request) -> Response:
    visit = visit_of(request.state, request.scope, DOOR)
    gate = Gate.of_request(request.scope)
    audit: AuditLog = request.app.state.audit
    try:
        admission = await gate.admit(
            visit, DOOR, Subjects(), lambda: ExportArgs.check(request.query_params)
        )
        record, args = admission.record, admission.arguments
        try:
            bounds = await audit.export_bounds(args.start, args.end)
        except Exception as error:
            raise await record.fail(error, DOOR) from None
        # Recorded before the first line leaves: an export cut short is still an access.
        await record.close("ALLOWED", 0 if bounds is None else bounds[1] - bounds[0] + 1)
    except Refusal as refusal:
        return plain_answer(refusal)

    async def lines() -> AsyncIterator[bytes]:
        if bounds is None:
            return
        async for stored in audit.export_range(*bounds):
            yield (export_line(stored) + "\n").encode("utf-8")

    return StreamingResponse(lines(), media_type=MEDIA_TYPE)


def export_line(record: Mapping[str, object]) -> str:
    """One record as `hub audit export` writes it: compact, keys sorted, UTF-8 as is."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
