// The page's one WebSocket to the hub: the `alerts` subscription over graphql-transport-ws on
// /graphql (docs/alerts.md). The session cookie authenticates it at the handshake, so
// connection_init carries nothing. Arriving alerts are kept for the 提醒 tab, counted for the
// header's badge, and tell the case's 找物 and 控制请求 to read again when they change them.
import { ref } from 'vue'

import { graphql } from './api'

export interface LiveAlert {
  id: string
  kind: string
  caseNumber: string | null
  message: string
  at: string
  read: boolean
  ref: string | null
}

const PROTOCOL = 'graphql-transport-ws'
const SUBSCRIBE = 'subscription Alerts { alerts { id kind caseNumber message at read ref } }'
const UNREAD = 'query Unread { alerts(unread: true, first: 200) { edges { node { id } } } }'
const RETRY_MS = 5_000
const REFUSED = 4403 // no valid session, or a role without alerts: retrying will not help
// Alerts that change what 找物 and 控制请求 show of their case.
const CHANGES_THE_CASE = new Set(['CONTROL_ANSWERED', 'QUEUE_ADVANCED', 'NEW_ASSET'])

/** Alerts arrived since the page opened, newest first. */
export const arrived = ref<LiveAlert[]>([])
/** The caller's unread alerts: counted when the page opens, plus those arrived since. */
export const unread = ref(0)
/** Whether the subscription is open (acknowledged). */
export const connected = ref(false)

const caseListeners = new Set<(caseNumber: string) => void>()
let socket: WebSocket | null = null
let retry: number | undefined

/** Calls `listener` with a case's number whenever something changed what is known of it: an
 * alert that changes it arrived, or this page made a request. Returns the unsubscribe. */
export function onCaseChanged(listener: (caseNumber: string) => void): () => void {
  caseListeners.add(listener)
  return () => caseListeners.delete(listener)
}

export function caseChanged(caseNumber: string): void {
  for (const listener of caseListeners) listener(caseNumber)
}

function received(alert: LiveAlert): void {
  if (arrived.value.some((a) => a.id === alert.id)) return
  arrived.value = [alert, ...arrived.value]
  if (!alert.read) unread.value += 1
  if (alert.caseNumber && CHANGES_THE_CASE.has(alert.kind)) caseChanged(alert.caseNumber)
}

function socketUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${window.location.host}/graphql`
}

function send(ws: WebSocket, message: Record<string, unknown>): void {
  ws.send(JSON.stringify(message))
}

function open(): void {
  const ws = new WebSocket(socketUrl(), PROTOCOL)
  socket = ws
  ws.onopen = () => send(ws, { type: 'connection_init', payload: {} })
  ws.onmessage = (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as { type: string; payload?: { data?: { alerts?: LiveAlert } } }
    if (message.type === 'connection_ack') {
      connected.value = true
      send(ws, { id: 'alerts', type: 'subscribe', payload: { query: SUBSCRIBE } })
    } else if (message.type === 'ping') {
      send(ws, { type: 'pong' })
    } else if (message.type === 'next' && message.payload?.data?.alerts) {
      received(message.payload.data.alerts)
    }
  }
  ws.onclose = (event) => {
    connected.value = false
    if (socket !== ws) return // closed on purpose
    socket = null
    if (event.code !== REFUSED) retry = window.setTimeout(open, RETRY_MS)
  }
}

/** Counts the unread alerts again (after some were marked read). */
export async function countUnread(): Promise<void> {
  const answer = await graphql<{ alerts: { edges: unknown[] } }>(UNREAD)
  unread.value = answer.alerts.edges.length
}

/** Opens the page's one subscription (again only if it was stopped) and counts the unread. */
export function startAlerts(): void {
  if (socket) return
  open()
  void countUnread().catch(() => undefined) // the badge waits for the next count
}

export function stopAlerts(): void {
  window.clearTimeout(retry)
  const ws = socket
  socket = null
  ws?.close()
  arrived.value = []
  unread.value = 0
}
