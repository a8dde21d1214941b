// The relationship picture's model: a tree around the subject built from what tracePerson
// answered (relatives, enterprise roles, associates with their `via` paths), shown a few
// children at a time. Nothing is fetched here: what the picture can show is what the
// policy let the hub answer for this case.
import { label, labels } from './labels'
import type { Associate, TraceReport } from './types'

/** Children shown per expansion; the rest wait behind a "还有 N 个" node. */
export const PER_EXPANSION = 6

export const ROOT = 'subject'

export type NodeKind = 'subject' | 'person' | 'enterprise' | 'link' | 'more'

export interface GraphNode {
  id: string
  label: string // drawn in the picture
  kind: NodeKind
  detail?: string // listed beside it (a person's masked identifier)
}

export interface GraphEdge {
  id: string
  source: string
  target: string
  label: string
}

interface Child {
  node: GraphNode
  edgeLabel: string
}

export interface Picture {
  nodes: GraphNode[]
  edges: GraphEdge[]
}

/** The tree: each node's children in the order they are shown (closest first). */
export class RelationTree {
  readonly root: GraphNode
  private readonly children = new Map<string, Child[]>()
  private readonly shown = new Map<string, number>()

  constructor(report: TraceReport) {
    this.root = { id: ROOT, label: report.subject.name ?? '被执行人', kind: 'subject' }
    build(this, report)
    this.expand(ROOT)
  }

  add(parent: string, node: GraphNode, edgeLabel: string): void {
    const list = this.children.get(parent) ?? []
    list.push({ node, edgeLabel })
    this.children.set(parent, list)
  }

  /** How many of a node's children are still hidden. */
  hidden(id: string): number {
    return (this.children.get(id)?.length ?? 0) - (this.shown.get(id) ?? 0)
  }

  /** Shows the next PER_EXPANSION children of a node (of its parent, for a "more" node). */
  expand(id: string): void {
    const parent = id.startsWith('more:') ? id.slice('more:'.length) : id
    const total = this.children.get(parent)?.length ?? 0
    this.shown.set(parent, Math.min(total, (this.shown.get(parent) ?? 0) + PER_EXPANSION))
  }

  /** The nodes and edges visible now, from the root down through the shown children. */
  picture(): Picture {
    const nodes: GraphNode[] = [this.root]
    const edges: GraphEdge[] = []
    const queue = [this.root.id]
    while (queue.length) {
      const id = queue.shift() as string
      const list = this.children.get(id) ?? []
      const count = this.shown.get(id) ?? 0
      for (const { node, edgeLabel } of list.slice(0, count)) {
        nodes.push(node)
        edges.push({ id: `${id}->${node.id}`, source: id, target: node.id, label: edgeLabel })
        queue.push(node.id)
      }
      if (count > 0 && count < list.length) {
        const more = `more:${id}`
        nodes.push({ id: more, label: `还有 ${list.length - count} 个`, kind: 'more' })
        edges.push({ id: `${id}->${more}`, source: id, target: more, label: '' })
      }
    }
    return { nodes, edges }
  }
}

// The words the hub writes in `via` steps for links that are not family (hub/graphql/labels.py).
const SHARED_ADDRESS = '同一地址'
const SHARED_PHONE = '共用电话'
const RELATION_WORDS = new Set<string>([...Object.values(labels.relation), '亲属'])

/** "配偶 李某" → ["配偶", "李某"]; "股东 某某公司" → ["股东", "某某公司"]. */
function splitStep(step: string): [string, string] {
  const space = step.indexOf(' ')
  return space < 0 ? [step, ''] : [step.slice(0, space), step.slice(space + 1)]
}

/**
 * A `via` path names the person at a family step ("配偶 李某") but not at a link step
 * ("股东 某某公司": someone who is a shareholder there). So a link step is drawn as the
 * enterprise, address or phone itself, and what follows hangs under it: a spouse of one of
 * that company's shareholders is drawn under the company as 股东的配偶. Nothing is drawn
 * as a link between two persons that the answer does not name.
 */
function build(tree: RelationTree, report: TraceReport): void {
  const byPath = new Map<string, string>() // a named person's via path → node id
  const persons = new Set<string>()
  const links = new Map<string, string>() // enterprise name, address or phone → node id
  const key = (via: string[]) => via.join('\u0001')

  const addPerson = (parent: string, person: Associate['person'], edge: string): string | null => {
    const id = `p:${person.idNumberMasked}`
    if (persons.has(id)) return null
    persons.add(id)
    const node: GraphNode = { id, label: person.name ?? '—', kind: 'person', detail: person.idNumberMasked }
    tree.add(parent, node, edge)
    return id
  }
  const addLink = (parent: string, kind: 'enterprise' | 'address' | 'phone', name: string, edge: string): string => {
    const found = links.get(`${kind}:${name}`)
    if (found) return found
    const id = `${kind[0]}:${name}`
    links.set(`${kind}:${name}`, id)
    tree.add(parent, { id, label: name, kind: kind === 'enterprise' ? 'enterprise' : 'link' }, edge)
    return id
  }

  for (const r of report.relatives) {
    const word = label('relation', r.relation)
    const id = addPerson(ROOT, r.person, word)
    if (id) byPath.set(key([`${word} ${r.person.name ?? ''}`.trim()]), id)
  }
  for (const e of report.enterprises) {
    const share = e.sharePct ? ` ${Number(e.sharePct)}%` : ''
    addLink(ROOT, 'enterprise', e.name ?? e.uscc, label('enterpriseRole', e.role) + share)
  }
  for (const a of report.associates) {
    if (byPath.has(key(a.via))) continue // a relative, already drawn
    let current = ROOT
    let words: string[] = [] // how the last named node leads to the next one
    a.via.forEach((step, i) => {
      const [word, rest] = splitStep(step)
      const last = i === a.via.length - 1
      if (RELATION_WORDS.has(word)) {
        if (last) {
          const id = addPerson(current, a.person, [...words, word].join('的'))
          if (id) byPath.set(key(a.via), id)
        } else {
          const named = byPath.get(key(a.via.slice(0, i + 1)))
          if (named) [current, words] = [named, []]
          else words.push(word)
        }
        return
      }
      const kind = word === SHARED_ADDRESS ? 'address' : word === SHARED_PHONE ? 'phone' : 'enterprise'
      const edge = current === ROOT && !words.length ? { address: '地址', phone: '电话', enterprise: '关联企业' }[kind] : words.join('的')
      current = addLink(current, kind, rest, edge)
      words = [word]
      if (last) addPerson(current, a.person, word)
    })
  }
}
