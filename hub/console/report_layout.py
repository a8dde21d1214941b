"""The 财产查控报告's pages: the case header, the officer and the date, a total per
respondent, then every holding with its source department and as-of date (A4 landscape,
reportlab's built-in Chinese CID font STSong-Light: no font file, nothing to install).

The words are the console's (hub.console.labels reads its dictionary), so the PDF says what
the screen and the XLSX say.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # type: ignore[import-untyped]
from reportlab.platypus.flowables import Flowable  # type: ignore[import-untyped]

from hub.console.labels import label

FONT = "STSong-Light"
TITLE = "财产查控报告"
HOLDING_COLUMNS = (  # name, width in mm (A4 landscape less the margins: 273 mm)
    ("序号", 8),
    ("被查询人", 18),
    ("财产类别", 13),
    ("财产标识", 36),
    ("财产描述", 38),
    ("持有方式 / 控制链", 40),
    ("状态", 11),
    ("估值/余额（元）", 22),
    ("来源部门", 20),
    ("数据日期", 18),
    ("控制措施", 0),  # the rest of the width
)
NOTE = (
    "说明：间接持有的财产为被查询人控制企业（持股 50% 以上或实际控制）名下财产，"
    "有效持股比例按控制链逐级相乘；来源部门为发布该条记录的部门；数据日期为账户余额日期，其余为平台收到该记录的日期。"
    "本报告由平台按承办人的查询权限生成，查询已记入审计日志。"
)

pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=8, leading=10.5, wordWrap="CJK")
_HEAD = ParagraphStyle("head", parent=_BODY, fontSize=9.5, leading=13)
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=24, alignment=1)
_SECTION = ParagraphStyle("section", fontName=FONT, fontSize=11, leading=16, spaceBefore=6)


@dataclass(frozen=True)
class ReportData:
    case: dict[str, Any]  # the `case` answer
    reports: list[dict[str, Any]]  # a `locateAssets` answer per respondent
    officer: str  # 承办人
    made_at: datetime
    departments: Mapping[str, str]  # code → name, of the registered departments


def _p(text: object, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _or_dash(value: object) -> str:
    return "—" if value is None or value == "" else str(value)


def money(value: str | None) -> str:
    """Yuan as 1,234.50; — when absent; the text itself when not a number."""
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(value):,.2f}"
    except InvalidOperation:
        return value


def _source(holding: dict[str, Any], departments: Mapping[str, str]) -> str:
    code = str(holding.get("source") or "")
    if code in departments:
        return departments[code]
    if holding.get("bankName"):  # a bank by its own code, not registered under it here
        return f"{label('departmentKind', 'bank')}：{holding['bankName']}"
    return label("departmentKind", code)


def _as_of(holding: dict[str, Any]) -> str:
    if holding.get("balanceAsOf"):
        return str(holding["balanceAsOf"])
    loaded = holding.get("loadedAt")
    return str(loaded)[:10] if loaded else "—"


def _controls(holding: dict[str, Any]) -> str:
    parts = []
    for c in holding.get("controls") or []:
        queue = (
            f" 第 {c['queuePosition']} 位" if c["state"] == "WAITING" and c["queuePosition"] else ""
        )
        until = f" 至 {c['effectiveUntil']}" if c.get("effectiveUntil") else ""
        state = label("measureState", c["state"])
        parts.append(
            f"{label('measureKind', c['kind'])}（{state}{queue}）{c.get('caseNumber') or ''}{until}"
        )
    return "；".join(parts) or "—"


def _way(holding: dict[str, Any]) -> str:
    if holding["direct"]:
        return label("holdingWay", "direct")
    share = f"，有效持股 {holding['sharePct']}%" if holding.get("sharePct") else ""
    return f"{label('holdingWay', 'indirect')}：{' → '.join(holding['via'])}{share}"


def _described(kind: str, h: dict[str, Any]) -> tuple[str, str, str]:
    """(identifier, description, value) of a holding of `kind`."""
    if kind == "PROPERTY":
        use = label("propertyUse", h["use"]) if h.get("use") else ""
        area = f"{h['areaM2']} ㎡" if h.get("areaM2") else ""
        text = "，".join(x for x in (_or_dash(h.get("address")), use, area) if x)
        return h["certNumber"], text, money(h.get("estimatedValue"))
    if kind == "VEHICLE":
        return f"{_or_dash(h.get('plateNumber'))} / {h['vin']}", _or_dash(h.get("brandModel")), "—"
    if kind == "ACCOUNT":
        bank = _or_dash(h.get("bankName") or h.get("bankCode"))
        currency = h.get("currency")
        value = (
            f"{_or_dash(h.get('balance'))} {currency}"
            if currency and currency != "CNY"
            else money(h.get("balance"))
        )
        return (
            f"{bank} {_or_dash(h.get('accountNumber'))}",
            label("accountType", h.get("accountType")),
            value,
        )
    return (
        h["uscc"],
        f"{_or_dash(h.get('name'))}，认缴 {_or_dash(h.get('subscribedCapital'))} 万元",
        "—",
    )


KINDS = (
    ("PROPERTY", "properties"),
    ("VEHICLE", "vehicles"),
    ("ACCOUNT", "accounts"),
    ("EQUITY", "equity"),
)


def holding_rows(data: ReportData) -> list[list[str]]:
    """One row per holding of every respondent, numbered, as the table shows them."""
    rows: list[list[str]] = []
    for report in data.reports:
        who = report["subject"].get("name") or report["subject"]["id"]
        for kind, field in KINDS:
            for h in report[field]:
                identifier, description, value = _described(kind, h)
                rows.append(
                    [
                        str(len(rows) + 1),
                        who,
                        label("holdingKind", kind),
                        identifier,
                        description,
                        _way(h),
                        label("holdingStatus", h.get("status")),
                        value,
                        _source(h, data.departments),
                        _as_of(h),
                        _controls(h),
                    ]
                )
    return rows


def _header(data: ReportData) -> Table:
    c = data.case
    respondents = [p for p in c["parties"] if p["role"] == "respondent"]
    named = "、".join(f"{p.get('name') or '—'}（{p['id']}）" for p in respondents) or "—"
    pairs = [
        ("案号", c["caseNumber"], "执行法院", _or_dash(c.get("court"))),
        ("被执行人", named, "案件状态", label("caseStatus", c.get("status"))),
        (
            "执行标的（元）",
            money(c.get("amount")),
            "未履行金额（元）",
            money(c.get("outstandingAmount")),
        ),
        ("承办人", data.officer, "查询日期", data.made_at.date().isoformat()),
    ]
    rows = [[_p(x, _HEAD) for x in pair] for pair in pairs]
    table = Table(rows, colWidths=[32 * mm, 100 * mm, 32 * mm, 100 * mm])
    table.setStyle(_grid(header_row=False, label_columns=(0, 2)))
    return table


def _totals(data: ReportData) -> Table:
    rows = [[_p("被查询人", _HEAD), _p("财产估算总值（元）", _HEAD), _p("财产数量", _HEAD)]]
    for r in data.reports:
        count = sum(len(r[field]) for _, field in KINDS)
        who = f"{r['subject'].get('name') or '—'}（{r['subject']['id']}）"
        rows.append([_p(who), _p(money(r.get("totalEstimatedValue"))), _p(count)])
    table = Table(rows, colWidths=[100 * mm, 60 * mm, 30 * mm])
    table.setStyle(_grid(header_row=True))
    return table


def _holdings(data: ReportData, width: float) -> Flowable:
    rows = holding_rows(data)
    if not rows:
        return _p("未查询到财产", _HEAD)
    fixed = sum(w for _, w in HOLDING_COLUMNS) * mm
    widths = [w * mm if w else width - fixed for _, w in HOLDING_COLUMNS]
    table = Table(
        [[_p(name, _HEAD) for name, _ in HOLDING_COLUMNS], *[[_p(x) for x in row] for row in rows]],
        colWidths=widths,
        repeatRows=1,
    )
    table.setStyle(_grid(header_row=True))
    return table


def _grid(*, header_row: bool, label_columns: tuple[int, ...] = ()) -> TableStyle:
    commands: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#909399")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_row:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f3f5")))
    for column in label_columns:
        commands.append(("BACKGROUND", (column, 0), (column, -1), colors.HexColor("#f2f3f5")))
    return TableStyle(commands)


def render_report(data: ReportData) -> bytes:
    """The report as PDF bytes."""
    out = io.BytesIO()
    size = landscape(A4)
    margin = 12 * mm
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=f"{TITLE} {data.case['caseNumber']}",
        author=data.officer,
        subject=TITLE,
    )
    made = data.made_at.strftime("%Y-%m-%d %H:%M")

    def footer(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.setFont(FONT, 8)
        text = f"{TITLE}　{data.case['caseNumber']}　生成于 {made}　第 {document.page} 页"
        canvas.drawCentredString(size[0] / 2, margin, text)

    story: list[Flowable] = [
        _p(TITLE, _TITLE),
        Spacer(1, 4 * mm),
        _header(data),
        _p("财产汇总", _SECTION),
        _totals(data),
        _p("财产明细", _SECTION),
        _holdings(data, size[0] - 2 * margin),
        Spacer(1, 3 * mm),
        _p(NOTE),
    ]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
