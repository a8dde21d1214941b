import { ref, type Ref } from 'vue'

import { remember, shownText, splitRefusal } from './refusals'

// Every call goes to the hub's own origin: the session cookie travels by itself, and a
// cookie-authenticated POST carries the hub_csrf cookie's value in X-CSRF-Token. What the
// hub refuses is shown in Chinese, its English as the element's title (refusals.ts).

export interface Session {
  name: string
  role: string
  subject: string
  department: string | null
  expiresAt: string
  departmentName?: string // a department account's: its department, its kind, the datasets it publishes
  departmentKind?: string
  datasets?: { name: string; title: string }[]
}

export type SignInResult = { ok: true; session: Session } | { ok: false; status: number }

/** Why the session ended, when the hub said so in Chinese (账户已停用，会话已结束): the
 * sign-in screen shows it. Cleared by the next sign-in. */
export const sessionEnded = ref('')

/** The session has ended: the screen goes back to sign-in (saying why, when the hub did). */
export class SignedOut extends Error {
  constructor(message = '') {
    super(message)
    endedBecause(message)
  }
}

function endedBecause(refusal: string): void {
  const { zh, en } = splitRefusal(refusal)
  if (!zh) return // "token expired", "not signed in": the sign-in screen says nothing more
  sessionEnded.value = zh
  remember(zh, en || refusal)
}

/** What to show of a failed call: the Chinese of the hub's refusal (its English as the
 * shown element's title). */
export function failureText(failure: unknown): string {
  if (failure instanceof HubError) return failure.message
  return shownText(failure instanceof Error ? failure.message : String(failure))
}

/** A screen's loading: `work` runs; a session that has ended calls `signedOut`, any other
 * failure is shown in `error`; `loading` ends either way. */
export async function loadScreen(
  work: () => Promise<void>,
  state: { loading: Ref<boolean>; error: Ref<string> },
  signedOut: () => void,
): Promise<void> {
  try {
    await work()
  } catch (failure) {
    if (failure instanceof SignedOut) signedOut()
    else state.error.value = failureText(failure)
  } finally {
    state.loading.value = false
  }
}

/** A refusal or failure the hub answered, with its code (API.md "Errors") and its message
 * (`detail`, as the hub said it). Its own message is what to show: what the code means, and
 * the Chinese part of the hub's message when it has one; the English is remembered as the
 * shown element's title. */
export class HubError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    const { zh, en } = splitRefusal(detail)
    const word = CODE_WORDS[code] ?? '查询失败'
    const shown = zh ? `${word}：${zh}` : word
    super(shown)
    remember(shown, en || detail)
  }
}

const CODE_WORDS: Record<string, string> = {
  FORBIDDEN: '无权访问',
  NOT_FOUND: '未找到',
  BAD_USER_INPUT: '输入有误',
  RATE_LIMITED: '查询过于频繁，请稍后再试',
  QUERY_TOO_COMPLEX: '查询过于复杂',
  UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL: '服务器内部错误',
}

export function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === 'hub_csrf') return decodeURIComponent(value.join('='))
  }
  return ''
}

export async function signIn(name: string, password: string): Promise<SignInResult> {
  const response = await fetch('/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, password }),
    credentials: 'same-origin',
  })
  if (!response.ok) return { ok: false, status: response.status }
  sessionEnded.value = ''
  return { ok: true, session: (await response.json()) as Session }
}

/** The current session, renewed; null when not signed in. */
export async function currentSession(): Promise<Session | null> {
  const response = await fetch('/session', { credentials: 'same-origin' })
  if (response.status === 401) {
    const refusal = (await response.json().catch(() => ({}))) as { error?: string }
    endedBecause(refusal.error ?? '')
    return null
  }
  if (!response.ok) throw new Error(`会话续期失败（${response.status}）`)
  return (await response.json()) as Session
}

export async function signOut(): Promise<void> {
  await fetch('/session', {
    method: 'DELETE',
    headers: { 'X-CSRF-Token': csrfToken() },
    credentials: 'same-origin',
  })
}

interface GraphQLAnswer<T> {
  data: T | null
  errors?: { message: string; extensions?: { code?: string } }[]
}

export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken() },
    body: JSON.stringify({ query, variables }),
    credentials: 'same-origin',
  })
  const answer = (await response.json()) as GraphQLAnswer<T>
  const error = answer.errors?.[0]
  if (error?.extensions?.code === 'UNAUTHENTICATED') throw new SignedOut(error.message)
  if (error) throw new HubError(error.extensions?.code ?? '', error.message)
  if (answer.data === null) throw new HubError('', `HTTP ${response.status}`)
  return answer.data
}

/** What POST /ingest/{dataset} answered: the run report (200) or a refusal with its reason. */
export interface UploadAnswer {
  status: number
  body: Record<string, unknown>
}

/** Sends `file` to the hub's ingest endpoint as a form's `file` field (XMLHttpRequest, for
 * its upload progress: `progress` gets the share sent, 0 to 1). */
export function uploadFile(dataset: string, file: File, progress: (sent: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    const query = `?filename=${encodeURIComponent(file.name)}`
    request.open('POST', `/ingest/${encodeURIComponent(dataset)}${query}`)
    request.setRequestHeader('X-CSRF-Token', csrfToken())
    request.withCredentials = true
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) progress(e.loaded / e.total)
    }
    request.onload = () => {
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(request.responseText) as Record<string, unknown>
      } catch {
        body = { error: request.responseText.slice(0, 200) }
      }
      if (request.status === 401) reject(new SignedOut(String(body.error ?? '')))
      else resolve({ status: request.status, body: inChinese(body) })
    }
    request.onerror = () => reject(new Error('上传失败：网络错误'))
    const form = new FormData()
    form.append('file', file, file.name)
    request.send(form)
  })
}

/** Sends a CSV or XLSX file as the request body to `path` (a door that reads a file, such as
 * POST /control/answers), with the session's CSRF header; the hub's answer. */
export async function postFile(path: string, file: File): Promise<UploadAnswer> {
  const type = file.name.toLowerCase().endsWith('.csv')
    ? 'text/csv; charset=utf-8'
    : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': type, 'X-CSRF-Token': csrfToken() },
    body: file,
    credentials: 'same-origin',
  })
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>
  if (response.status === 401) throw new SignedOut(String(body.error ?? ''))
  return { status: response.status, body: inChinese(body) }
}

/** A plain door's answer with its refusal's Chinese as `reason_zh` (what the screens show),
 * the English remembered as its title: the ingest door's own `reason_zh`/`reason_en`, or
 * the two parts of a bilingual `error`. */
function inChinese(body: Record<string, unknown>): Record<string, unknown> {
  if (typeof body.reason_zh === 'string') {
    remember(body.reason_zh, String(body.reason_en ?? body.error ?? ''))
    return body
  }
  if (typeof body.error !== 'string') return body
  const { zh, en } = splitRefusal(body.error)
  if (!zh) return body
  remember(zh, en || body.error)
  return { ...body, reason_zh: zh }
}
