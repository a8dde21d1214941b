// A department's control requests and the answer its clerk gives (answerControl's input,
// API.md "Control requests").

export interface InboxRequest {
  id: string
  caseNumber: string
  action: string
  target: { kind: string; description: string }
  subject: { id: string; name: string | null; kind: string }
  department: string
  status: string
  requestedBy: string
  requestedAt: string
  amount: string | null
  until: string | null
  rulingNumber: string | null
  noticeNumber: string | null
  note: string | null
  answer: { outcome: string; amountControlled: string | null; receiptNumber: string | null; reason: string | null } | null
  measure: { kind: string; state: string; queuePosition: number | null; effectiveUntil: string | null } | null
}

/** Statuses still waiting for the department's answer (待办). */
export const OPEN_STATUSES = ['PENDING', 'RECEIVED']

export interface SightingDraft {
  at: string
  place: string
  kind: string
}

export interface AnswerDraft {
  outcome: string
  amountControlled: string
  effectiveFrom: string
  effectiveUntil: string
  receiptNumber: string
  reason: string
  earlierMeasures: string // one per line
  sightings: SightingDraft[]
  wageFound: boolean
  wageAmount: string
  wageWorkers: number | null
}

export function emptyDraft(request: InboxRequest): AnswerDraft {
  return {
    outcome: 'DONE',
    amountControlled: request.amount ?? '',
    effectiveFrom: '',
    effectiveUntil: '',
    receiptNumber: '',
    reason: '',
    earlierMeasures: '',
    sightings: [],
    wageFound: false,
    wageAmount: '',
    wageWorkers: null,
  }
}

/** Which parts of the form an action's answer has. */
export function answerParts(action: string, outcome: string) {
  const done = outcome === 'DONE' || outcome === 'PARTIAL'
  return {
    partial: action === 'FREEZE' || action === 'DEDUCT', // PARTIAL: less than asked
    amount: done && (action === 'FREEZE' || action === 'DEDUCT'),
    term: done && ['FREEZE', 'SEAL', 'RENEW'].includes(action),
    earlier: done && (action === 'FREEZE' || action === 'SEAL'),
    sightings: done && action === 'LOCATE',
    wages: done && action === 'WAGE_CHECK',
    reason: outcome === 'NOT_DONE' || outcome === 'RETURNED',
  }
}

/** What the form says is missing before it can be sent, or ''. The hub checks it all again. */
export function missing(action: string, draft: AnswerDraft): string {
  const parts = answerParts(action, draft.outcome)
  if (parts.reason && !draft.reason.trim()) return '未能办理或退回须填写原因'
  if (draft.outcome === 'PARTIAL' && !draft.amountControlled.trim()) return '部分办结须填写实际控制金额'
  if (parts.sightings && draft.sightings.some((s) => !s.at || !s.place.trim())) return '请填写每条行踪的时间和地点'
  return ''
}

const blank = (value: string) => (value.trim() ? value.trim() : null)

/** answerControl's ControlAnswerInput from the form: only the parts the answer has. */
export function answerInput(request: InboxRequest, draft: AnswerDraft): Record<string, unknown> {
  const parts = answerParts(request.action, draft.outcome)
  const input: Record<string, unknown> = {
    requestId: request.id,
    outcome: draft.outcome,
    receiptNumber: blank(draft.receiptNumber),
    reason: blank(draft.reason),
  }
  if (parts.amount) input.amountControlled = blank(draft.amountControlled)
  if (parts.term) {
    input.effectiveFrom = blank(draft.effectiveFrom)
    input.effectiveUntil = blank(draft.effectiveUntil)
  }
  if (parts.earlier) {
    const earlier = draft.earlierMeasures.split('\n').map((l) => l.trim()).filter(Boolean)
    if (earlier.length) input.earlierMeasures = earlier
  }
  if (parts.sightings) input.sightings = draft.sightings.map((s) => ({ at: s.at, place: s.place.trim(), kind: s.kind }))
  if (parts.wages) {
    input.wageArrears = {
      found: draft.wageFound,
      amount: draft.wageFound ? blank(draft.wageAmount) : null,
      workers: draft.wageFound ? draft.wageWorkers : null,
    }
  }
  return input
}

/** The columns of an answers file (POST /control/answers; DATA-EXCHANGE.md): what the hub
 * reads, in its order; a template carries the request's own facts after them, to read. */
export const ANSWER_FILE_COLUMNS = [
  'request_id', 'outcome', 'amount_controlled', 'effective_from', 'effective_until', 'receipt_number', 'reason',
]
/** The words the hub takes in an answers file's `outcome` column (besides the codes). */
export const OUTCOME_WORDS = '办结 / 部分办结 / 未办结 / 退回'

export interface AnswersReport {
  rows_read: number
  rows_accepted: number
  rows_rejected: number
  rejects: { line: number; column: string; reason: string }[]
  answered: { request_id: string; case_number: string; status: string }[]
}
