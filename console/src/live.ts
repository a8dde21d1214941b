// The page's one WebSocket to the hub: the `alerts` subscription over graphql-transport-ws on
// /graphql (docs/alerts.md). The session cookie authenticates it at the handshake, so
// connection_init carries nothing. Arriving alerts are kept for the 提醒 tab, counted for the
// header's badge, and tell the case's 找物 and 控制请求 to read again when they change them.
// The hub ends the subscription when the session ends (an account disabled, a token expired:
// `next` with an UNAUTHENTICATED error, then `complete`): the page then signs out as a refused
// click does, saying why. Any other end, or a dropped socket, is retried with a growing pause.
import { ref } from 'vue'

import { currentSession, graphql, SignedOut } from './api'

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
const RETRY_MS = 5_000 // the first pause before opening again; doubled each time, up to
const MAX_RETRY_MS = 60_000 // …this; back to the first once a subscription has lasted this long
const REFUSED = 4403 // the hub refused the caller: the session may have ended
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
let pause = RETRY_MS
let signedOut: () => void = () => undefined

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

interface HubError {
  message: string
  extensions?: { code?: string }
}

// graphql-transport-ws: `next` carries a result, `error` a list of errors, `complete` nothing.
interface Message {
  type: string
  payload?: { data?: { alerts?: LiveAlert } | null; errors?: HubError[] } | HubError[]
}

function errorOf(message: Message): HubError | undefined {
  const payload = message.payload
  return Array.isArray(payload) ? payload[0] : payload?.errors?.[0]
}

function open(): void {
  const ws = new WebSocket(socketUrl(), PROTOCOL)
  socket = ws
  let acknowledged = 0
  ws.onopen = () => send(ws, { type: 'connection_init', payload: {} })
  ws.onmessage = (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as Message
    const error = errorOf(message)
    if (message.type === 'connection_ack') {
      connected.value = true
      acknowledged = Date.now()
      send(ws, { id: 'alerts', type: 'subscribe', payload: { query: SUBSCRIBE } })
    } else if (message.type === 'ping') {
      send(ws, { type: 'pong' })
    } else if (error?.extensions?.code === 'UNAUTHENTICATED') {
      sessionOver(ws, error.message)
    } else if (message.type === 'next' && !Array.isArray(message.payload)) {
      if (message.payload?.data?.alerts) received(message.payload.data.alerts)
    } else if (message.type === 'complete' || message.type === 'error') {
      ws.close(1000) // ended by the hub for another reason: opened again after the pause
    }
  }
  ws.onclose = (event) => {
    connected.value = false
    if (socket !== ws) return // closed on purpose
    socket = null
    if (acknowledged && Date.now() - acknowledged >= MAX_RETRY_MS) pause = RETRY_MS // it had lasted
    if (event.code === REFUSED) void refused()
    else again()
  }
}

function again(): void {
  retry = window.setTimeout(open, pause)
  pause = Math.min(pause * 2, MAX_RETRY_MS)
}

/** The hub ended the page's session: no more retries; the page signs out as after a refused
 * click (a SignedOut made of the hub's message keeps why for the sign-in screen). */
function sessionOver(ws: WebSocket, why: string): void {
  void new SignedOut(why)
  socket = null
  ws.close(1000)
  connected.value = false
  signedOut()
}

/** The hub refused the socket (4403): when the session has ended the page signs out, saying
 * why when the hub does (currentSession keeps it); otherwise (a refusal of the moment, such
 * as a rate limit) it is opened again after the pause. */
async function refused(): Promise<void> {
  let ended = false
  try {
    ended = (await currentSession()) === null
  } catch {
    // the hub could not say: ask again after the pause
  }
  if (ended) signedOut()
  else again()
}

/** Counts the unread alerts again (after some were marked read). */
export async function countUnread(): Promise<void> {
  const answer = await graphql<{ alerts: { edges: unknown[] } }>(UNREAD)
  unread.value = answer.alerts.edges.length
}

/** Opens the page's one subscription (again only if it was stopped) and counts the unread;
 * `whenSignedOut` is called when the hub ends the session through it. */
export function startAlerts(whenSignedOut: () => void): void {
  signedOut = whenSignedOut
  if (socket) return
  pause = RETRY_MS
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
