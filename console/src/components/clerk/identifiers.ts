// A pasted or uploaded list of identifiers, and its batches for creditCheck.

/** The identifiers in `text`, separated by lines, commas, semicolons, 、 or spaces; a
 * header cell that is not an identifier is kept (the hub says it is malformed). Each once,
 * in order; upper-cased (an idNumber's check character X). */
export function identifiersIn(text: string): string[] {
  const seen = new Set<string>()
  for (const part of text.split(/[\s,;，；、"]+/)) {
    const id = part.trim().toUpperCase()
    if (id) seen.add(id)
  }
  return [...seen]
}

export function batches<T>(list: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}
