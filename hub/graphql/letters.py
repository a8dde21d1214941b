"""Letters (函) and two-way notices over GraphQL: letters, sendLetter, acknowledgeLetter,
replyLetter (API.md, "Letters"; docs/letters.md).

Every operation goes through the gate (`guard.guarded`: authenticate, rate limit, check the
arguments and the role, one audit record naming the letter's case); whether the caller may
act on a letter (a recipient acknowledges and replies, once) is decided by
hub/letters/service.py once the letter is read, and a refusal then is recorded as DENIED.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import strawberry
from strawberry.types import Info

from hub.control.clock import CLOCK
from hub.graphql import arguments
from hub.graphql.context import Context
from hub.graphql.errors import BadUserInput
from hub.graphql.guard import Scope, guarded
from hub.letters import service
from hub.letters.rules import (
    COURT,
    MAX_LETTER_TEXT_CHARS,
    MAX_RECIPIENTS,
    MAX_TITLE_CHARS,
    Found,
    LetterBox,
    LetterCategory,
    LetterKind,
    LetterStatus,
    Row,
    receipt_status,
)
from hub.security.gate import OpenRecord
from hub.security.principal import Principal
from hub.settings import MAX_PAGE_SIZE
from schema.departments import Department

LetterKindType = strawberry.enum(LetterKind, name="LetterKind")
LetterCategoryType = strawberry.enum(LetterCategory, name="LetterCategory")
LetterStatusType = strawberry.enum(LetterStatus, name="LetterStatus")
LetterBoxType = strawberry.enum(LetterBox, name="LetterBox")

DEFAULT_PAGE = 50  # letters(first:) when not given (API.md)
IDENT = 64
CURSOR = "letters"


@strawberry.input(description="A letter (函) or notice (通报) to send.")
class LetterInput:
    kind: LetterKind
    to: list[str] = strawberry.field(description="department codes, or `court`")
    title: str
    text: str
    case_number: str | None = None
    category: LetterCategory | None = strawberry.field(
        default=None, description="what a notice is about; required for MAJOR_CASE_NOTICE"
    )
    reply_by: str | None = strawberry.field(
        default=None, description="YYYY-MM-DD a reply is due (OVERDUE after that day)"
    )


@strawberry.type(description="One recipient's acknowledgement (签收) and reply.")
class LetterReceipt:
    recipient: str
    acknowledged_at: str | None
    replied_at: str | None
    reply: str | None
    status: LetterStatus


@strawberry.type(description="函: a letter or notice, as its recipient or its sender sees it.")
class Letter:
    id: strawberry.ID
    kind: LetterKind
    from_: str = strawberry.field(name="from", description="`court` or a department code")
    to: list[str]
    title: str
    text: str
    case_number: str | None
    category: LetterCategory | None
    reply_by: str | None
    sent_at: str
    sent_by: str = strawberry.field(description="who sent it: an officer's id, a system's")
    acknowledged_at: str | None
    replied_at: str | None
    reply: str | None
    status: LetterStatus = strawberry.field(
        description="the caller's own, as a recipient; as the sender, all recipients' together "
        "(REPLIED once every one replied, OVERDUE when replyBy passed before that)"
    )
    receipts: list[LetterReceipt] = strawberry.field(
        description="the sender sees every recipient's; a recipient its own"
    )

    @classmethod
    def of(cls, found: Found, principal: Principal) -> Letter:
        letter = found.letter
        today = CLOCK.today()
        reply_by = letter.get("reply_by")
        own = found.addressed_to(principal)
        shown = [own] if own is not None else found.receipts
        receipts = [_receipt(r, reply_by, today) for r in shown]
        category = letter.get("category")
        return cls(
            id=strawberry.ID(letter["letter_id"]),
            kind=LetterKind(letter["kind"]),
            from_=letter["sender"],
            to=list(letter.get("recipients") or []),
            title=letter["title"],
            text=letter["text"],
            case_number=letter.get("case_number"),
            category=None if category is None else LetterCategory(category),
            reply_by=reply_by,
            sent_at=letter["sent_at"],
            sent_by=letter["sent_by"],
            acknowledged_at=_when_all(receipts, "acknowledged_at"),
            replied_at=_when_all(receipts, "replied_at"),
            reply=receipts[0].reply if len(receipts) == 1 else None,
            status=_together(receipts),
            receipts=receipts,
        )


def _receipt(row: Row, reply_by: str | None, today: date) -> LetterReceipt:
    return LetterReceipt(
        recipient=row["recipient"],
        acknowledged_at=row.get("acknowledged_at"),
        replied_at=row.get("replied_at"),
        reply=row.get("reply"),
        status=receipt_status(row, reply_by, today),
    )


def _when_all(receipts: list[LetterReceipt], field: str) -> str | None:
    """When the last recipient did it; None while one has not."""
    times = [getattr(r, field) for r in receipts]
    return None if not times or None in times else max(times)


def _together(receipts: list[LetterReceipt]) -> LetterStatus:
    statuses = {r.status for r in receipts}
    for status in (LetterStatus.OVERDUE, LetterStatus.SENT, LetterStatus.ACKNOWLEDGED):
        if status in statuses:
            return status
    return LetterStatus.REPLIED


@strawberry.type
class LetterEdge:
    cursor: str
    node: Letter


@strawberry.type(name="LetterPageInfo")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class LetterConnection:
    edges: list[LetterEdge]
    page_info: PageInfo

    @property
    def result_count(self) -> int:
        return len(self.edges)


# --- argument checks (no store) --------------------------------------------------------------


def _text(argument: str, value: str, max_chars: int) -> str:
    if "\x00" in value:
        raise BadUserInput(argument, "holds a NUL character / 含有空字符")
    return arguments.text(argument, value, max_chars)


def _recipients(given: list[str], departments: Mapping[str, Department]) -> tuple[str, ...]:
    if not given:
        raise BadUserInput("input.to", "names no recipient")
    if len(given) > MAX_RECIPIENTS:
        raise BadUserInput("input.to", f"{len(given)} recipients; at most {MAX_RECIPIENTS}")
    seen: list[str] = []
    for n, raw in enumerate(given):
        box = raw.strip()
        if box != COURT and box not in departments:
            raise BadUserInput(
                f"input.to[{n}]", f"{raw[:IDENT]!r} is neither `court` nor a registered department"
            )
        if box in seen:
            raise BadUserInput(f"input.to[{n}]", f"{box} is named twice")
        seen.append(box)
    return tuple(seen)


@dataclass(frozen=True)
class SendArgs:
    letter: service.Letter

    @property
    def scope(self) -> Scope:
        return Scope(self.letter.case_number)

    @classmethod
    def check(cls, given: LetterInput, departments: Mapping[str, Department]) -> SendArgs:
        kind = LetterKind(given.kind)
        to = _recipients(given.to, departments)
        title = _text("input.title", given.title, MAX_TITLE_CHARS)
        text = _text("input.text", given.text, MAX_LETTER_TEXT_CHARS)
        case_number = None
        if given.case_number is not None and given.case_number.strip():
            case_number = arguments.case_number("input.caseNumber", given.case_number)
        category = None if given.category is None else LetterCategory(given.category)
        if kind is LetterKind.MAJOR_CASE_NOTICE and category is None:
            raise BadUserInput("input.category", "a MAJOR_CASE_NOTICE says what it is about")
        reply_by = None
        if given.reply_by is not None and given.reply_by.strip():
            due = arguments.iso_date("input.replyBy", given.reply_by)
            if due < CLOCK.today():
                raise BadUserInput("input.replyBy", f"{due.isoformat()} has passed")
            reply_by = due.isoformat()
        letter = service.Letter(
            kind=kind,
            to=to,
            title=title,
            text=text,
            case_number=case_number,
            category=None if category is None else category.value,
            reply_by=reply_by,
        )
        return cls(letter)


@dataclass(frozen=True)
class LetterIdArgs:
    letter_id: str
    text: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope()


@dataclass(frozen=True)
class ListArgs:
    box: LetterBox
    skip: int
    first: int

    @property
    def scope(self) -> Scope:
        return Scope()


# --- through the gate ------------------------------------------------------------------------


def _name(record: OpenRecord, found: Found) -> None:
    record.scope = Scope(found.letter.get("case_number"))


async def _run_send(
    context: Context, principal: Principal, args: SendArgs, record: OpenRecord
) -> Letter:
    found = await service.send(
        context.store, context.services.departments, principal, args.letter, CLOCK.now()
    )
    return Letter.of(found, principal)


async def _run_acknowledge(
    context: Context, principal: Principal, args: LetterIdArgs, record: OpenRecord
) -> Letter:
    found = await service.get(context.store, args.letter_id)
    _name(record, found)
    found = await service.acknowledge(context.store, principal, found, CLOCK.now())
    return Letter.of(found, principal)


async def _run_reply(
    context: Context, principal: Principal, args: LetterIdArgs, record: OpenRecord
) -> Letter:
    found = await service.get(context.store, args.letter_id)
    _name(record, found)
    departments = context.services.departments
    text = args.text or ""
    found = await service.reply(context.store, departments, principal, found, text, CLOCK.now())
    return Letter.of(found, principal)


async def _run_list(
    context: Context, principal: Principal, args: ListArgs, record: OpenRecord
) -> LetterConnection:
    rows = await service.list_box(context.store, principal, args.box, args.skip, args.first + 1)
    page = rows[: args.first]
    edges = [
        LetterEdge(
            cursor=arguments.cursor(CURSOR, args.skip + n + 1), node=Letter.of(found, principal)
        )
        for n, found in enumerate(page)
    ]
    return LetterConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > args.first, end_cursor=edges[-1].cursor if edges else None
        ),
    )


async def resolve_letters(
    info: Info[Context, None],
    box: LetterBox | None = LetterBox.INBOX,
    first: int | None = DEFAULT_PAGE,
    after: str | None = None,
) -> LetterConnection:
    def check() -> ListArgs:
        return ListArgs(
            LetterBox(box or LetterBox.INBOX),
            arguments.offset(CURSOR, after),
            arguments.page_size("first", first, DEFAULT_PAGE, MAX_PAGE_SIZE),
        )

    return await guarded(info, "letters", Scope(), check, _run_list)


async def resolve_send_letter(info: Info[Context, None], input: LetterInput) -> Letter:
    departments = info.context.services.departments
    return await guarded(
        info,
        "sendLetter",
        Scope(input.case_number),
        lambda: SendArgs.check(input, departments),
        _run_send,
    )


async def resolve_acknowledge_letter(info: Info[Context, None], id: strawberry.ID) -> Letter:
    return await guarded(
        info,
        "acknowledgeLetter",
        Scope(),
        lambda: LetterIdArgs(arguments.text("id", str(id), IDENT)),
        _run_acknowledge,
    )


async def resolve_reply_letter(info: Info[Context, None], id: strawberry.ID, text: str) -> Letter:
    def check() -> LetterIdArgs:
        return LetterIdArgs(
            arguments.text("id", str(id), IDENT), _text("text", text, MAX_LETTER_TEXT_CHARS)
        )

    return await guarded(info, "replyLetter", Scope(), check, _run_reply)


@strawberry.type
class LettersQuery:
    letters: LetterConnection = strawberry.field(
        resolver=resolve_letters,
        description="The caller's letters (函), newest first. INBOX: addressed to the caller "
        "(a department's code; `court` for admins, and for officers about their own cases); "
        "SENT: sent by the caller.",
    )


@strawberry.type
class LettersMutation:
    send_letter: Letter = strawberry.mutation(
        resolver=resolve_send_letter,
        description="Send a letter or notice: officers and admins as the court, departments as "
        "themselves; each recipient gets a LETTER alert.",
    )
    acknowledge_letter: Letter = strawberry.mutation(
        resolver=resolve_acknowledge_letter,
        description="签收: a recipient acknowledges a letter addressed to it.",
    )
    reply_letter: Letter = strawberry.mutation(
        resolver=resolve_reply_letter,
        description="A recipient's one reply to a letter addressed to it.",
    )
