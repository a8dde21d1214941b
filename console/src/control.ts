// A control request made from holdings the officer selected on 找物: one requestControl per
// holding, the action fitting its kind, the amount of an account's freeze, and the case's
// 裁定书 and 协助执行通知书 numbers typed once for all.
import { failureText, graphql, SignedOut } from './api'
import { shownText } from './refusals'
import type { HoldingKind, HoldingLine } from './assets'

export const REQUEST_CONTROL = `mutation RequestControl($i: ControlRequestInput!) {
  requestControl(input: $i) { id status department until warnings target { description } }
}`

/** The actions a holding of each kind can be asked for, the first the default. */
export const ACTIONS: Record<HoldingKind, string[]> = {
  ACCOUNT: ['FREEZE', 'DEDUCT'],
  EQUITY: ['FREEZE'],
  PROPERTY: ['SEAL'],
  VEHICLE: ['SEAL'],
}

export interface DraftLine {
  holding: HoldingLine
  action: string
  amount: string // yuan; accounts only
}

export interface Draft {
  lines: DraftLine[]
  rulingNumber: string // 裁定书文号
  noticeNumber: string // 协助执行通知书文号
}

/** One holding's request: sent (its id, status, department, term, warnings) or refused
 * (the hub's message). */
export interface Outcome {
  ok: boolean
  id: string
  status: string
  department: string
  until: string | null
  warnings: string[]
  message: string
}

/** An account's freeze asks for what the case still lacks, at most what the account holds. */
export function defaultAmount(holding: HoldingLine, outstanding: string | null): string {
  if (holding.kind !== 'ACCOUNT') return ''
  const known = [holding.balance, outstanding].map(Number).filter((n) => Number.isFinite(n) && n > 0)
  return known.length ? Math.min(...known).toFixed(2) : ''
}

export function draftOf(holdings: HoldingLine[], outstanding: string | null): Draft {
  return {
    lines: holdings.map((holding) => ({
      holding,
      action: ACTIONS[holding.kind][0],
      amount: defaultAmount(holding, outstanding),
    })),
    rulingNumber: '',
    noticeNumber: '',
  }
}

/** What the form still lacks, in words; '' when it can be sent. */
export function missing(draft: Draft): string {
  if (!draft.rulingNumber.trim()) return '请填写裁定书文号'
  if (!draft.noticeNumber.trim()) return '请填写协助执行通知书文号'
  for (const line of draft.lines) {
    if (line.holding.kind === 'ACCOUNT' && !/^\d+(\.\d{1,2})?$/.test(line.amount.trim())) {
      return `请填写${line.holding.identifier}的金额（元，最多两位小数）`
    }
  }
  return ''
}

export function requestInput(caseNumber: string, draft: Draft, line: DraftLine): Record<string, unknown> {
  return {
    caseNumber,
    action: line.action,
    target: line.holding.target,
    ...(line.holding.kind === 'ACCOUNT' ? { amount: line.amount.trim() } : {}),
    rulingNumber: draft.rulingNumber.trim(),
    noticeNumber: draft.noticeNumber.trim(),
  }
}

interface Requested {
  id: string
  status: string
  department: string
  until: string | null
  warnings: string[]
}

/** Sends one request per line, one after another; each line's result or the hub's refusal.
 * A session that has ended stops the sending (SignedOut is thrown). */
export async function sendDraft(caseNumber: string, draft: Draft, each: (i: number, o: Outcome) => void): Promise<void> {
  for (const [i, line] of draft.lines.entries()) {
    try {
      const answer = await graphql<{ requestControl: Requested }>(REQUEST_CONTROL, {
        i: requestInput(caseNumber, draft, line),
      })
      const sent = answer.requestControl
      each(i, { ok: true, message: '', ...sent, warnings: sent.warnings.map(shownText) })
    } catch (failure) {
      if (failure instanceof SignedOut) throw failure
      const message = failureText(failure) // the Chinese; the English is its element's title
      each(i, { ok: false, id: '', status: '', department: '', until: null, warnings: [], message })
    }
  }
}
