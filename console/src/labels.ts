// Every enum value the console shows, in Chinese: the one dictionary, labels.json (the hub's
// PDF report reads the same file: hub/console/labels.py). A value not listed there is shown
// as it is (so a new value is visible, never hidden).
import words from './labels.json'

export const labels: Record<keyof typeof words, Record<string, string>> = words

export type Dictionary = keyof typeof labels

/** The Chinese label of `value` in `dictionary`; the value itself when unlisted, — when empty. */
export function label(dictionary: Dictionary, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const entries: Record<string, string> = labels[dictionary]
  return entries[value] ?? value
}
