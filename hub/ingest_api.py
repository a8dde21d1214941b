"""`POST /ingest/{dataset}`: a department publishes a file over HTTP.

The body (CSV, JSON Lines or XLSX, told apart by its content type; or a
`multipart/form-data` form whose field `file` holds the file, as an HTML form sends it, told
apart by the part's content type or file name) is streamed to a file under the data
directory, never held in memory, then loaded by the connectors exactly as `hub ingest`
would load it; the answer is the run report.

Both are doors of the gate (`hub.security.gate`): it authenticates, rate-limits and
authorizes the call and records it, refused ones included; the door closes the open record.
A call that starts a run is recorded before the run writes anything (`ingest`, ALLOWED) and
again when it ends (`ingestResult`, a follow-up record: the outcome and the rows accepted,
with the same request id), so a hub killed in between leaves the record of the attempt; a
call that starts no run leaves one record (`ingest`). When a record cannot be written the
caller gets an error and nothing is loaded (or, after the run, no report).

`GET /ingest/runs/{run_id}/rejects` hands the department that owns a run (and admins) the
rejected rows of that run as CSV, audited as `ingestRejects`.

An upload being received is locked (`flock`) by the process receiving it: at start-up,
`recover_ingest` removes the uploads no live process holds (a hub killed mid-upload left
them), and records as interrupted the runs whose process is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import math
import os
import tempfile
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response

from connectors import FileRefused, Format, RunReport, ingest_file
from connectors.pipeline import FileBroken, check_text_encoding
from connectors.readers import FORMATS_BY_SUFFIX
from connectors.rejects import REJECTS_FILE
from connectors.report import clean_text, get_run, mark_interrupted, record_run, run_dir
from hub.alerts import arrivals
from hub.security.audit import AuditLog, AuditRecord, AuditWriteError, Outcome
from hub.security.body_limit import RequestBodyTooLarge, too_large_response
from hub.security.gate import (
    AuditFailed,
    Gate,
    OpenRecord,
    Subjects,
    Unchecked,
    Visit,
    plain_answer,
    render_plain,
    visit_of,
)
from hub.security.principal import Principal
from hub.security.refusals import Refusal
from hub.settings import (
    MAX_DISPLAY_NAME_CHARS,
    MAX_ECHOED_CHARS,
    MAX_INGEST_REASON_CHARS,
    RUN_SETTLE_MAX_S,
    STORE_RETRY_AFTER_S,
    UPLOAD_GRACE_S,
    Settings,
)
from hub.store import GraphStore, StoreError, StoreUnavailable, unavailable_cause
from schema.departments import Department

log = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS_BY_TYPE: Mapping[str, Format] = {
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    XLSX_TYPE: "xlsx",
}
MULTIPART_TYPE = "multipart/form-data"
FILE_FIELD = "file"
UPLOAD_DIR = "uploads"
UPLOAD_SUFFIX = ".upload"
NEW_PREFIX = ".new-"  # an upload not yet locked: removed only once older than UPLOAD_GRACE_S
DOOR = "ingest"  # the door's name: the operation of a record that names none of its own


@dataclass
class _Answer:
    """How the call ended: the response, and what the audit record says about it."""

    response: Response
    outcome: Outcome
    reason: str | None = None
    principal: Principal | None = None
    result_count: int = 0
    store_down: bool = False  # the graph store went away during the call


class _Attempt:
    """The audit records of one admitted call: the attempt once a run starts, then how it
    ended (a follow-up record); or, when no run started, the one record of the call."""

    def __init__(self, visit: Visit, record: OpenRecord, principal: Principal) -> None:
        self.visit = visit
        self.record = record
        self.principal = principal
        self.request_id = visit.request_id
        self.run: RunReport | None = None  # set once the run started and it was recorded

    async def started(self, report: RunReport) -> None:
        """Before the run writes anything: the record of the attempt (AuditFailed stops it)."""
        await self.record.close("ALLOWED", 0, None)
        self.run = report

    async def ended(self, answer: _Answer) -> None:
        reason = clean_text(answer.reason, MAX_INGEST_REASON_CHARS) if answer.reason else None
        if self.run is not None:  # the attempt is on record: now how it ended
            count = self.run.rows_accepted
            await self.record.follow_up("ingestResult", answer.outcome, count, reason)
        else:
            await self.record.close(answer.outcome, answer.result_count, reason)


async def ingest(request: Request) -> Response:
    dataset = _shown(request.path_params["dataset"])
    visit = visit_of(request.state, request.scope, DOOR)
    gate = Gate.of_request(request.scope)
    scope = Subjects(dataset=dataset)
    try:
        admission = await gate.admit(visit, "ingest", scope, lambda: Unchecked(scope))
    except Refusal as refusal:  # recorded by the gate
        return render_plain(visit, refusal)
    attempt = _Attempt(visit, admission.record, admission.principal)
    answer = await _ingest(request, dataset, attempt)
    response = answer.response
    unrecorded: _Answer | None = answer  # its audit record, until written
    if not visit.audit_failed:
        try:
            await attempt.ended(answer)
            unrecorded = None
        except AuditFailed as failure:
            response = render_plain(visit, failure)
    if answer.store_down and attempt.run is not None:  # record it all once the store is back
        _settle_later(request.app.state.store, attempt, unrecorded)
    if visit.audit_failed:
        log.error(
            "ingest %s (request %s): the audit log refused the record", dataset, visit.request_id
        )
        return response
    log.info("ingest %s (request %s): %s", dataset, visit.request_id, answer.outcome)
    return response


async def _ingest(request: Request, dataset: str, attempt: _Attempt) -> _Answer:
    """The admitted call: the upload received and loaded, or why not."""
    principal = attempt.principal
    media_type, charset = _content_type(request.headers.get("content-type", ""))
    fmt = FORMATS_BY_TYPE.get(media_type)
    if fmt is None and media_type != MULTIPART_TYPE:
        accepted = ", ".join([*FORMATS_BY_TYPE, MULTIPART_TYPE])
        given = _shown(media_type) or "no content type"
        message = f"send the file as one of {accepted}; got {given}"
        return _Answer(_error(415, message), "ERROR", "unsupported content type", principal)
    departments: Mapping[str, Department] = request.app.state.departments
    department = departments[principal.department or ""]
    return await _load(request, dataset, fmt, charset, department, attempt)


async def _load(
    request: Request,
    dataset: str,
    fmt: Format | None,
    encoding: str | None,
    department: Department,
    attempt: _Attempt,
) -> _Answer:
    settings: Settings = request.app.state.settings
    principal = attempt.principal
    call = f"ingest {dataset} (request {attempt.request_id})"
    upload = await asyncio.to_thread(_Upload.create, settings.data_dir)
    try:
        if fmt is None:  # multipart: the part decides
            part = await _receive_form(request, upload)
            fmt, encoding, name = part.fmt, part.charset, part.filename
        else:
            await _receive_into(request, upload, fmt)
            name = None
        if encoding is not None:
            check_text_encoding(encoding)
        display_name = request.query_params.get("filename") or name or f"{dataset}.{fmt} (HTTP)"
        report = await ingest_file(
            request.app.state.store,
            dataset,
            upload.path,
            department,
            encoding=encoding,
            fmt=fmt,
            display_name=display_name[:MAX_DISPLAY_NAME_CHARS],
            data_dir=settings.data_dir,
            request_id=attempt.request_id,
            on_start=attempt.started,
            watch=arrivals.watcher(request.app.state.store, department),
        )
    except Exception as error:
        return _failed(error, principal, call, attempt.run)
    finally:
        await asyncio.to_thread(upload.discard)
    response = JSONResponse(report.to_dict())
    outcome: Outcome = "ALLOWED" if report.status == "completed" else "ERROR"
    return _Answer(response, outcome, report.error, principal, result_count=report.rows_accepted)


def _failed(
    error: Exception, principal: Principal, call: str, run: RunReport | None = None
) -> _Answer:
    """The answer to a load that did not complete (`run`: the run it cut short, if any)."""
    if isinstance(error, RequestBodyTooLarge):
        return _Answer(too_large_response(error), "DENIED", str(error), principal)
    if isinstance(error, ClientDisconnect):
        return _Answer(_error(400, "the upload was cut off"), "ERROR", "upload cut off", principal)
    if isinstance(error, _BadUpload):
        return _Answer(_error(error.status, str(error)), "ERROR", str(error), principal)
    if isinstance(error, FileRefused):
        body: dict[str, Any] = {
            "error": str(error),
            "reason_zh": error.reason_zh,
            "reason_en": error.reason_en,
        }
        if isinstance(error, FileBroken) and error.report is not None:
            body["run"] = error.report.to_dict()  # the rows before the break were loaded
        return _Answer(JSONResponse(body, 400), "ERROR", error.reason_en, principal)
    if isinstance(error, AuditFailed):  # the attempt's record: nothing was loaded
        log.error("%s: the audit log refused the record of the attempt; nothing loaded", call)
        return _Answer(plain_answer(error), "ERROR", "audit log refused the record")
    if isinstance(error, StoreError):
        log.error("%s: %s", call, error)
        if (down := unavailable_cause(error)) is not None:
            response = _store_down(down, run)
            return _Answer(response, "ERROR", "graph store unavailable", principal, store_down=True)
        message = "the graph store failed while loading; send the file again once it is back"
        return _Answer(_error(503, message), "ERROR", "graph store failed", principal)
    # The message of an unexpected error may quote a cell of the file: log where it
    # happened, not what it says.
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("%s failed with %s at\n%s", call, type(error).__name__, frames)
    return _Answer(
        _error(500, "the file could not be loaded"), "ERROR", "internal error", principal
    )


_SETTLING: set[asyncio.Task[None]] = set()  # runs cut short, to record once the store is back


def _settle_later(store: GraphStore, attempt: _Attempt, unrecorded: _Answer | None) -> None:
    """`unrecorded`: the answer whose audit record could not be written at the time."""
    task = asyncio.create_task(_settle(store, attempt, unrecorded), name="settle a cut-short run")
    _SETTLING.add(task)
    task.add_done_callback(_SETTLING.discard)


async def _settle(store: GraphStore, attempt: _Attempt, unrecorded: _Answer | None) -> None:
    """Once the graph store is back: the run the outage cut short recorded as it ended
    (not left "running" while this hub lives), and the audit record of how it ended, where
    that could not be written at the time."""
    run = attempt.run
    assert run is not None
    deadline = time.monotonic() + RUN_SETTLE_MAX_S
    while True:
        try:
            await record_run(store, run)
            if unrecorded is not None:
                await attempt.ended(unrecorded)
                unrecorded = None  # written: not again when the loop goes round
            log.info("run %s, cut short by the graph store, recorded as %s", run.run_id, run.status)
            return
        except (StoreError, AuditFailed) as error:
            if time.monotonic() > deadline:
                log.error("run %s stays recorded as running: %s", run.run_id, error)
                return
        await asyncio.sleep(STORE_RETRY_AFTER_S)


# --- receiving the upload -----------------------------------------------------------------------


class _Upload:
    """A file under `<data dir>/uploads/`, locked while this process receives and loads it."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self.handle = handle

    @classmethod
    def create(cls, data_dir: Path) -> _Upload:
        """A new upload, locked before it gets the name that start-up would remove."""
        folder = data_dir / UPLOAD_DIR
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(  # owner-only
            prefix=NEW_PREFIX, suffix=UPLOAD_SUFFIX, dir=folder
        )
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # released by the kernel if the process dies
        locked = Path(name)
        path = locked.with_name(locked.name.removeprefix(NEW_PREFIX))
        locked.rename(path)
        return cls(path, os.fdopen(descriptor, "wb"))

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def received(self, fmt: Format) -> None:
        """All of it is here: on disk, named as its format (openpyxl insists on `.xlsx`)."""
        self.handle.flush()
        named = self.path.with_suffix(f".{fmt}")
        self.path.rename(named)  # the lock stays: it is the file's, not the name's
        self.path = named

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.handle.close()  # and with it the lock


def remove_stray_uploads(data_dir: Path) -> list[Path]:
    """Remove the uploads no live process holds (left by a hub that was killed); return them.

    An upload being received or loaded is locked by its process, which may be another hub
    attached to the same data directory: that one stays."""
    folder = data_dir / UPLOAD_DIR
    if not folder.is_dir():
        return []
    removed: list[Path] = []
    for path in folder.iterdir():
        with contextlib.suppress(OSError), path.open("rb") as handle:
            age = time.time() - os.fstat(handle.fileno()).st_mtime
            if path.name.startswith(NEW_PREFIX) and age < UPLOAD_GRACE_S:
                continue  # being created this very moment, perhaps
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live process holds it
            path.unlink()
            removed.append(path)
    return removed


async def _receive_into(request: Request, upload: _Upload, fmt: Format) -> None:
    """Stream the body to the upload; the body-size middleware stops it at the limit."""
    async for chunk in request.stream():
        if chunk:
            await asyncio.to_thread(upload.write, chunk)
    await asyncio.to_thread(upload.received, fmt)


class _BadUpload(Exception):
    """A multipart upload that is not usable: answered with `status` and the message."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class _Part:
    filename: str | None
    fmt: Format
    charset: str | None


class _FormFile:
    """Streams the part named `file` of a multipart/form-data body into an upload."""

    def __init__(self, boundary: bytes, upload: _Upload) -> None:
        self.upload = upload
        self.headers: dict[bytes, bytes] = {}
        self.field = b""
        self.value = b""
        self.writing = False
        self.found: tuple[bytes, bytes, dict[bytes, bytes]] | None = None  # name, type, params
        self.parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )

    def _part_begin(self) -> None:
        self.headers, self.field, self.value = {}, b"", b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self.field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self.value += data[start:end]

    def _header_end(self) -> None:
        self.headers[self.field.lower()] = self.value
        self.field, self.value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        if options.get(b"name") == FILE_FIELD.encode() and self.found is None:
            content_type = self.headers.get(b"content-type", b"")
            self.found = (options.get(b"filename", b""), content_type, options)
            self.writing = True

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.writing:
            self.upload.write(data[start:end])

    def _part_end(self) -> None:
        self.writing = False

    def feed(self, chunk: bytes) -> None:
        try:
            self.parser.write(chunk)
        except MultipartParseError as error:
            raise _unreadable(error) from None

    def part(self) -> _Part:
        try:
            self.parser.finalize()
        except MultipartParseError as error:
            raise _unreadable(error) from None
        if self.found is None:
            raise _BadUpload(f"the form has no field named '{FILE_FIELD}' holding the file")
        raw_name, raw_type, _ = self.found
        filename = Path(raw_name.decode("utf-8", "replace")).name or None
        media_type, charset = _content_type(raw_type.decode("latin-1"))
        fmt = FORMATS_BY_TYPE.get(media_type)
        suffix = Path(filename or "").suffix.lower()
        fmt = fmt or FORMATS_BY_SUFFIX.get(suffix)
        if fmt is None:
            accepted = ", ".join([*FORMATS_BY_TYPE, *FORMATS_BY_SUFFIX])
            given = (
                f"{_shown(media_type) or 'no content type'}, file name {_shown(filename or '')!r}"
            )
            raise _BadUpload(
                f"the form's file must be one of {accepted} (by its content type or the "
                f"suffix of its name); got {given}",
                415,
            )
        return _Part(
            clean_text(filename, MAX_DISPLAY_NAME_CHARS) if filename else None, fmt, charset
        )


def _unreadable(error: Exception) -> _BadUpload:
    return _BadUpload(f"the multipart body cannot be read: {clean_text(str(error), 200)}")


async def _receive_form(request: Request, upload: _Upload) -> _Part:
    """Stream the form's `file` part to the upload; the other fields are ignored."""
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise _BadUpload("a multipart/form-data body needs the boundary in its content type")
    try:
        form = _FormFile(boundary, upload)
    except (ValueError, MultipartParseError) as error:
        raise _BadUpload(f"bad multipart boundary: {clean_text(str(error), 200)}") from None
    async for chunk in request.stream():
        if chunk:
            await asyncio.to_thread(form.feed, chunk)
    part = form.part()
    await asyncio.to_thread(upload.received, part.fmt)
    return part


# --- the rejected rows of a run ---------------------------------------------------------------


async def rejects(request: Request) -> Response:
    """`GET /ingest/runs/{run_id}/rejects`: the run's rejected rows, to its department."""
    run_id = _shown(request.path_params["run_id"])
    visit = visit_of(request.state, request.scope, DOOR)
    gate = Gate.of_request(request.scope)
    try:
        admission = await gate.admit(visit, "ingestRejects", Subjects(), Unchecked)
    except Refusal as refusal:  # recorded by the gate
        return render_plain(visit, refusal)
    answer, run = await _rejects(request, run_id, admission.principal)
    record = admission.record
    record.scope = Subjects(dataset=run.dataset if run is not None else "")
    reason = (
        clean_text(answer.reason, MAX_INGEST_REASON_CHARS) if answer.reason else f"run {run_id}"
    )
    try:
        await record.close(answer.outcome, answer.result_count, reason)
    except AuditFailed as failure:
        log.error(
            "rejects of run %s (request %s): the audit log refused the record",
            run_id,
            visit.request_id,
        )
        return render_plain(visit, failure)
    return answer.response


async def _rejects(
    request: Request, run_id: str, principal: Principal
) -> tuple[_Answer, RunReport | None]:
    """The admitted call (a department or an admin): the run's rejects, if it may have them."""
    state = request.app.state
    store: GraphStore = state.store
    try:
        run = await get_run(store, run_id) if _plain_name(run_id) else None
    except StoreError as error:
        log.error("rejects of run %s: %s", run_id, error)
        if (down := unavailable_cause(error)) is not None:
            return _Answer(_store_down(down), "ERROR", "graph store unavailable", principal), None
        return _Answer(
            _error(503, "the graph store is unavailable; try again"),
            "ERROR",
            "graph store failed",
            principal,
        ), None
    if run is None:
        message = f"no connector run {run_id}"
        return _Answer(_error(404, message), "ERROR", message, principal), None
    if principal.role == "department" and run.department != principal.department:
        rule = (
            f"a department fetches the rejects of its own runs only: run {run_id} is "
            f"{run.department}'s"
        )
        return _Answer(_error(403, rule), "DENIED", rule, principal), run
    settings: Settings = state.settings
    path = run_dir(settings.data_dir, run.run_id) / REJECTS_FILE
    if not run.rows_rejected or not await asyncio.to_thread(path.is_file):
        message = (
            f"run {run_id} rejected no rows"
            if not run.rows_rejected
            else f"the rejects of run {run_id} are not on this server"
        )
        return _Answer(_error(404, message), "ERROR", message, principal), run
    download = FileResponse(
        path,
        media_type="text/csv; charset=utf-8",
        filename=f"rejects-{run.dataset}-{run.run_id}.csv",
    )
    return _Answer(download, "ALLOWED", None, principal, result_count=run.rows_rejected), run


def _plain_name(name: str) -> bool:
    """A run id names a directory: no path separators, not `.` or `..`."""
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")


# --- start-up ---------------------------------------------------------------------------------


async def recover_ingest(store: GraphStore, data_dir: Path, audit: AuditLog) -> None:
    """At `hub serve`'s start-up: remove stray uploads, and close interrupted runs."""
    for path in await asyncio.to_thread(remove_stray_uploads, data_dir):
        log.warning("removed the upload %s left by a hub that was stopped mid-call", path.name)
    await close_interrupted_runs(store, data_dir, audit)


async def close_interrupted_runs(store: GraphStore, data_dir: Path, audit: AuditLog) -> None:
    """Record the runs whose process is gone as interrupted, each with an `ingestResult`
    audit record after the record of its attempt (`hub serve`'s start-up, `hub ingest`)."""
    for run in await mark_interrupted(store, data_dir):
        if run.request_id is None:
            continue
        record = AuditRecord(
            actor=None,
            role=None,
            department=run.department or None,
            operation="ingestResult",
            case_number=None,
            subjects=(),
            outcome="ERROR",
            result_count=run.created + run.updated + run.unchanged,  # rows written
            client_address=None,
            request_id=run.request_id,
            reason=f"interrupted: run {run.run_id} ended without finishing",
            dataset=run.dataset or None,
        )
        try:
            await audit.append(record)
        except AuditWriteError:
            log.error("run %s: could not record its interruption in the audit log", run.run_id)


# --- small things -------------------------------------------------------------------------------


def _shown(text: str) -> str:
    """A caller's own text as answers and records echo it: cut, no NUL."""
    return clean_text(text, MAX_ECHOED_CHARS)


def _content_type(header: str) -> tuple[str, str | None]:
    """`text/csv; charset=GB18030` → ("text/csv", "GB18030")."""
    media_type, *parameters = (part.strip() for part in header.split(";"))
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media_type.lower(), charset


def _store_down(down: StoreUnavailable, run: RunReport | None = None) -> JSONResponse:
    """503 with Retry-After: the graph store is restarting or unreachable (API.md); with
    the run it cut short, which says how far it got."""
    wait = max(1, math.ceil(down.retry_after))
    message = (
        f"the graph store is restarting or unreachable; try again in {wait} s "
        "(sending the same file again completes a run that stopped)"
    )
    body: dict[str, Any] = {"error": message}
    if run is not None:
        body["run"] = run.to_dict()
    return JSONResponse(body, 503, headers={"Retry-After": str(wait)})


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status)
