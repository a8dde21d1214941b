// linkageStats (docs/statistics.md): the figures of a period's 府院联动 work, and how the
// 统计 screen groups them for its charts.
import { graphql } from '../../api'
import { label } from '../../labels'

export const LINKAGE_STATS = `query LinkageStats($from: String!, $to: String!) {
  linkageStats(from: $from, to: $to) {
    from to traces assetSearches creditChecks subjectsChecked
    calls { operation department calls subjects }
    controlRequests controlRequestsBy { department action status requests }
    answered medianHoursToAnswer
    amountFrozen frozenByDepartment { department amount }
    amountDeducted deductedByDepartment { department amount }
    propertiesSealed vehiclesSealed newAssetsFound
    punishmentsRecorded punishments { measureCode measureName department records }
    lettersSent letters { kind letters recipients replied repliesDue repliedOnTime }
  }
}`

export interface LinkageStats {
  from: string
  to: string
  traces: number
  assetSearches: number
  creditChecks: number
  subjectsChecked: number
  calls: { operation: string; department: string | null; calls: number; subjects: number }[]
  controlRequests: number
  controlRequestsBy: { department: string; action: string; status: string; requests: number }[]
  answered: number
  medianHoursToAnswer: number | null
  amountFrozen: string
  frozenByDepartment: { department: string; amount: string }[]
  amountDeducted: string
  deductedByDepartment: { department: string; amount: string }[]
  propertiesSealed: number
  vehiclesSealed: number
  newAssetsFound: number
  punishmentsRecorded: number
  punishments: { measureCode: string; measureName: string | null; department: string; records: number }[]
  lettersSent: number
  letters: { kind: string; letters: number; recipients: number; replied: number; repliesDue: number; repliedOnTime: number }[]
}

export async function linkageStats(from: string, to: string): Promise<LinkageStats> {
  return (await graphql<{ linkageStats: LinkageStats }>(LINKAGE_STATS, { from, to })).linkageStats
}

/** A department's code in words (the court for none). */
export function departmentName(code: string | null): string {
  return code ? label('departmentKind', code) : label('departmentKind', 'court')
}

/** Sums `value` of `rows` by `row` key and `column` key: the categories, and one series per
 * column, for a stacked bar chart. */
export function crossTable<T>(
  rows: T[],
  row: (r: T) => string,
  column: (r: T) => string,
  value: (r: T) => number,
): { categories: string[]; series: { name: string; data: number[] }[] } {
  const categories = [...new Set(rows.map(row))]
  const columns = [...new Set(rows.map(column))]
  const series = columns.map((name) => ({
    name,
    data: categories.map((c) =>
      rows.filter((r) => row(r) === c && column(r) === name).reduce((sum, r) => sum + value(r), 0),
    ),
  }))
  return { categories, series }
}

/** The first day of this month, as YYYY-MM-DD. */
export function monthStart(today: string): string {
  return `${today.slice(0, 8)}01`
}
