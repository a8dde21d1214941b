// The auditor's screens: audit records (auditEvents) and the filter the form makes of them.

export interface AuditEvent {
  seq: number
  at: string
  actor: string | null
  role: string | null
  department: string | null
  operation: string
  caseNumber: string | null
  subjects: string[]
  outcome: string
  resultCount: number
  reason: string | null
  dataset: string | null
  clientAddress: string | null
  requestId: string
  hash: string
}

export interface FilterDraft {
  actor: string
  department: string
  caseNumber: string
  subject: string
  operation: string
  outcome: string
  from: string // YYYY-MM-DD, this browser's day
  to: string // YYYY-MM-DD, that whole day included
}

/** The start of a local day as an ISO timestamp (the hub compares instants). */
export function dayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(y, m - 1, d + plusDays).toISOString()
}

/** auditEvents' AuditFilter from the form: empty fields left out; `to` is exclusive, so the
 * day after the one chosen. */
export function filterOf(draft: FilterDraft): Record<string, string> {
  const filter: Record<string, string> = {}
  for (const key of ['actor', 'department', 'caseNumber', 'subject', 'operation', 'outcome'] as const) {
    const value = draft[key].trim()
    if (value) filter[key] = value
  }
  if (draft.from) filter.from = dayStart(draft.from)
  if (draft.to) filter.to = dayStart(draft.to, 1)
  return filter
}
