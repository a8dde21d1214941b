// How money, shares and dates are written on screen and in reports.

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

/** A decimal string in yuan as 1,234.50; — when absent; the text itself when not a number. */
export function money(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const number = Number(value)
  return Number.isFinite(number) ? yuan.format(number) : value
}

/** A percent string as 48%; — when absent. */
export function percent(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  return `${value}%`
}

export function text(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value)
}

/** Today's date as YYYY-MM-DD, in the browser's time zone. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** An ISO timestamp as this browser's local date and time, 2026-12-05 16:48:08; — when absent. */
export function moment(value: string | null | undefined): string {
  if (!value) return '—'
  const at = new Date(value)
  if (Number.isNaN(at.getTime())) return value
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${today(at)} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
}
