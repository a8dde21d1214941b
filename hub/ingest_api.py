"""`POST /ingest/{dataset}`: a department publishes a file over HTTP.

The body (CSV, JSON Lines or XLSX, told apart by its content type) is streamed to a file
under the data directory, never held in memory, then loaded by the connectors exactly
as `hub ingest` would load it; the answer is the run report. Every call is audited,
refused ones included, before it is answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import tempfile
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from connectors import FileRefused, Format, ingest_file
from hub.departments import Department
from hub.security.audit import AuditLog, AuditRecord, AuditWriteError, Outcome
from hub.security.body_limit import RequestBodyTooLarge, too_large_response
from hub.security.limits import RateLimited, RateLimiter
from hub.security.policy import Forbidden, authorize
from hub.security.principal import Principal
from hub.security.tokens import AuthError, TokenVerifier
from hub.settings import Settings
from hub.store import StoreError

log = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS_BY_TYPE: Mapping[str, Format] = {
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    XLSX_TYPE: "xlsx",
}
UPLOAD_DIR = "uploads"
MAX_DISPLAY_NAME = 200
MAX_ECHOED = 100  # of a caller's own text (dataset, content type) kept in answers and records


@dataclass
class _Answer:
    """How the call ended: the response, and what the audit record says about it."""

    response: Response
    outcome: Outcome
    reason: str | None = None
    principal: Principal | None = None
    result_count: int = 0


async def ingest(request: Request) -> Response:
    dataset = request.path_params["dataset"]
    request_id: str = request.state.request_id
    answer = await _ingest(request, dataset)
    principal = answer.principal
    record = AuditRecord(
        actor=principal.subject if principal else None,
        role=principal.role if principal else None,
        department=principal.department if principal else None,
        operation="ingest",
        case_number=None,
        subjects=(),
        outcome=answer.outcome,
        result_count=answer.result_count,
        client_address=request.client.host if request.client else None,
        request_id=request_id,
        reason=answer.reason,
        dataset=dataset[:MAX_ECHOED],
    )
    audit: AuditLog = request.app.state.audit
    try:
        await audit.append(record)
    except AuditWriteError:
        log.error("ingest %s (request %s): the audit log refused the record", dataset, request_id)
        return _error(500, "the call could not be recorded in the audit log; try again later")
    log.info("ingest %s (request %s): %s", dataset, request_id, answer.outcome)
    return answer.response


async def _ingest(request: Request, dataset: str) -> _Answer:
    state = request.app.state
    verifier: TokenVerifier = state.verifier
    limiter: RateLimiter = state.limiter
    client = request.client.host if request.client else None
    try:
        principal = await verifier.verify(request.headers.get("authorization"))
    except AuthError as error:
        try:
            limiter.check_address(client)
        except RateLimited as limited:
            return _rate_limited(limited, None)
        headers = {"WWW-Authenticate": "Bearer"}
        response = JSONResponse({"error": error.reason}, 401, headers=headers)
        return _Answer(response, "DENIED", f"unauthenticated: {error.reason}")
    try:
        limiter.check(principal, "ingest")
        await authorize(
            state.store, principal, "ingest", dataset=dataset, departments=state.departments
        )
    except RateLimited as limited:
        return _rate_limited(limited, principal)
    except Forbidden as refused:
        return _Answer(_error(403, refused.rule), "DENIED", refused.rule, principal)
    media_type, charset = _content_type(request.headers.get("content-type", ""))
    fmt = FORMATS_BY_TYPE.get(media_type)
    if fmt is None:
        accepted = ", ".join(FORMATS_BY_TYPE)
        given = media_type[:MAX_ECHOED] or "no content type"
        message = f"send the file as one of {accepted}; got {given}"
        return _Answer(_error(415, message), "ERROR", "unsupported content type", principal)
    departments: Mapping[str, Department] = state.departments
    department = departments[principal.department or ""]
    return await _load(request, dataset, fmt, charset, department, principal)


async def _load(
    request: Request,
    dataset: str,
    fmt: Format,
    encoding: str | None,
    department: Department,
    principal: Principal,
) -> _Answer:
    settings: Settings = request.app.state.settings
    display_name = request.query_params.get("filename") or f"{dataset}.{fmt} (HTTP)"
    upload = await _new_upload(settings.data_dir, fmt)
    try:
        await _receive_into(request, upload)
        report = await ingest_file(
            request.app.state.store,
            dataset,
            upload,
            department,
            encoding=encoding,
            fmt=fmt,
            display_name=display_name[:MAX_DISPLAY_NAME],
            data_dir=settings.data_dir,
        )
    except Exception as error:
        return _failed(error, principal, f"ingest {dataset} (request {request.state.request_id})")
    finally:
        await asyncio.to_thread(_discard, upload)
    response = JSONResponse(report.to_dict())
    return _Answer(response, "ALLOWED", None, principal, result_count=report.rows_accepted)


def _failed(error: Exception, principal: Principal, call: str) -> _Answer:
    """The answer to a load that did not complete."""
    if isinstance(error, RequestBodyTooLarge):
        return _Answer(too_large_response(error), "DENIED", str(error), principal)
    if isinstance(error, ClientDisconnect):
        return _Answer(_error(400, "the upload was cut off"), "ERROR", "upload cut off", principal)
    if isinstance(error, FileRefused):
        body = {"error": str(error), "reason_zh": error.reason_zh, "reason_en": error.reason_en}
        return _Answer(JSONResponse(body, 400), "ERROR", error.reason_en, principal)
    if isinstance(error, StoreError):
        log.error("%s: %s", call, error)
        message = "the graph store failed while loading; send the file again once it is back"
        return _Answer(_error(503, message), "ERROR", "graph store failed", principal)
    # The message of an unexpected error may quote a cell of the file: log where it
    # happened, not what it says.
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("%s failed with %s at\n%s", call, type(error).__name__, frames)
    return _Answer(
        _error(500, "the file could not be loaded"), "ERROR", "internal error", principal
    )


async def _new_upload(data_dir: Path, fmt: Format) -> Path:
    def create() -> Path:
        folder = data_dir / UPLOAD_DIR
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(suffix=f".{fmt}", dir=folder)  # owner-only
        os.close(descriptor)
        return Path(name)

    return await asyncio.to_thread(create)


async def _receive_into(request: Request, path: Path) -> None:
    """Stream the body to `path`; the body-size middleware stops it at the limit."""
    with path.open("wb") as file:
        async for chunk in request.stream():
            if chunk:
                await asyncio.to_thread(file.write, chunk)


def _discard(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _content_type(header: str) -> tuple[str, str | None]:
    """`text/csv; charset=GB18030` → ("text/csv", "GB18030")."""
    media_type, *parameters = (part.strip() for part in header.split(";"))
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media_type.lower(), charset


def _rate_limited(limited: RateLimited, principal: Principal | None) -> _Answer:
    headers = {"Retry-After": str(max(1, math.ceil(limited.retry_after)))}
    response = JSONResponse({"error": str(limited)}, 429, headers=headers)
    return _Answer(response, "DENIED", "rate limited", principal)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status)
