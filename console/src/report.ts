// 财产查控报告: the asset-search report of a case, as an XLSX workbook built in the browser
// from the same locateAssets answers the 找物 tab shows (so the same policy, masking and
// audit apply: each respondent's search is one audited call).
import { HubError, type Session, SignedOut } from './api'
import { type HoldingLine, holdingLines, locateAssets } from './assets'
import { money, today } from './format'
import { label } from './labels'
import type { AssetReport, Case } from './types'
import { type Cell, workbook } from './xlsx'

export const REPORT_TITLE = '财产查控报告'

export const HOLDING_COLUMNS = [
  '序号', '被查询人', '财产类别', '财产标识', '财产描述', '持有方式', '登记持有人', '控制链',
  '有效持股比例', '状态', '估值/余额（元）', '来源部门', '数据日期', '登记日期', '控制措施',
]

export interface ReportInput {
  case: Case
  session: Session
  reports: AssetReport[]
  date?: string
}

function line(n: number, subject: string, h: HoldingLine): Cell[] {
  return [
    n, subject, label('holdingKind', h.kind), h.identifier, h.description,
    label('holdingWay', h.direct ? 'direct' : 'indirect'), h.owner, h.chain || '—', h.share,
    h.status, h.value, h.source, h.asOf, h.registeredAt, h.controls,
  ]
}

export function reportRows({ case: c, session, reports, date }: ReportInput): Cell[][] {
  const respondents = c.parties.filter((p) => p.role === 'respondent')
  const rows: Cell[][] = [
    [REPORT_TITLE],
    ['案号', c.caseNumber],
    ['执行法院', c.court ?? '—'],
    ['被执行人', respondents.map((p) => `${p.name ?? '—'}（${p.id}）`).join('、') || '—'],
    ['案件状态', label('caseStatus', c.status)],
    ['执行标的（元）', money(c.amount)],
    ['未履行金额（元）', money(c.outstandingAmount)],
    ['承办人', `${session.name}（${session.subject}）`],
    ['查询日期', date ?? today()],
    [],
    ['被查询人', '财产估算总值（元）', '财产数量'],
  ]
  for (const r of reports) {
    rows.push([`${r.subject.name ?? '—'}（${r.subject.id}）`, money(r.totalEstimatedValue), holdingLines(r).length])
  }
  rows.push([], HOLDING_COLUMNS)
  let n = 0
  for (const r of reports) {
    const who = r.subject.name ?? r.subject.id
    for (const h of holdingLines(r)) rows.push(line(++n, who, h))
  }
  if (n === 0) rows.push(['未查询到财产'])
  rows.push(
    [],
    ['说明：间接持有的财产为被查询人控制企业（持股 50% 以上或实际控制）名下财产，有效持股比例按控制链逐级相乘；来源部门为报送该项财产信息的部门；数据日期为账户余额日期，或平台收到该记录的日期；登记日期为不动产、机动车的登记日期。'],
  )
  return rows
}

/** Searches every respondent's assets and builds the workbook. */
export async function assetReportWorkbook(c: Case, session: Session): Promise<Uint8Array> {
  const respondents = c.parties.filter((p) => p.role === 'respondent')
  const reports: AssetReport[] = []
  for (const party of respondents) reports.push(await locateAssets(party.id, c.caseNumber))
  const rows = reportRows({ case: c, session, reports })
  return workbook([{ name: REPORT_TITLE, rows, widths: [8, 14, 10, 30, 36, 10, 30, 36, 12, 8, 16, 18, 12, 12, 30] }])
}

export function reportFileName(c: Case, date: string = today()): string {
  return `${REPORT_TITLE}-${c.caseNumber}-${date}.xlsx`
}

/** The same report as PDF, made by the hub (GET /console/report.pdf) from the same
 * operations, read as this session: the bytes, or a HubError with the hub's refusal. */
export async function assetReportPdf(caseNumber: string): Promise<Uint8Array> {
  const response = await fetch(`/console/report.pdf?case=${encodeURIComponent(caseNumber)}`, {
    credentials: 'same-origin',
  })
  if (!response.ok) {
    const refusal = (await response.json().catch(() => ({}))) as { error?: string; code?: string }
    if (refusal.code === 'UNAUTHENTICATED') throw new SignedOut(refusal.error ?? '')
    throw new HubError(refusal.code ?? '', refusal.error ?? `HTTP ${response.status}`)
  }
  return new Uint8Array(await response.arrayBuffer())
}

export function pdfFileName(c: Case, date: string = today()): string {
  return `${REPORT_TITLE}-${c.caseNumber}-${date}.pdf`
}
