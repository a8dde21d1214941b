// The hub's refusals are bilingual: "中文 / English", "English / 中文" (an argument's reason:
// "argument caseNumber: empty / 为空"), or "中文（English）"; many are English only. The
// console shows the Chinese part; the English stays at hand as the shown element's title
// (its tooltip). api.ts calls `shownText` for every refusal it passes on, so every screen
// gets this without doing anything: a watcher on the page puts the title on the element
// whose text holds a refusal shown.

export interface Bilingual {
  zh: string // '' when the message has no Chinese part
  en: string // '' when it has no English part
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/
// Two English words in a row: English text, even when it quotes a case number (（2024）吉…号)
const ENGLISH = /[A-Za-z]{2,}[\s,;:.'-]+[A-Za-z]{2,}/
const PARENTHESISED = /^([^（]+)（([^（）]+)）$/

function chinese(part: string): boolean {
  return CJK.test(part) && !ENGLISH.test(part)
}

export function splitRefusal(message: string): Bilingual {
  const text = message.trim()
  const bracketed = PARENTHESISED.exec(text)
  if (bracketed && chinese(bracketed[1]!) && ENGLISH.test(bracketed[2]!)) {
    return { zh: bracketed[1]!.trim(), en: bracketed[2]!.trim() }
  }
  const parts = text.split(' / ').map((part) => part.trim())
  const zh = parts.filter(chinese)
  const en = parts.filter((part) => !chinese(part))
  return { zh: zh.join('；'), en: en.join(' / ') }
}

// What was shown → its English, newest last; a few are enough (what is on screen now).
const englishOf = new Map<string, string>()
const KEPT = 32
let watcher: MutationObserver | null = null

/** `shown` (Chinese) is on its way to the screen: its element gets `english` as title. */
export function remember(shown: string, english: string): void {
  if (!shown || !english || shown === english) return
  englishOf.delete(shown)
  englishOf.set(shown, english)
  if (englishOf.size > KEPT) englishOf.delete(englishOf.keys().next().value!)
  watch()
  titleTexts(document.body) // already on screen (a refusal shown again)
}

/** What to show of a hub's message: its Chinese part (remembered with its English), or the
 * message as it is when it has none. */
export function shownText(message: string): string {
  const { zh, en } = splitRefusal(message)
  if (!zh) return message
  remember(zh, en || message)
  return zh
}

function watch(): void {
  if (watcher || typeof MutationObserver === 'undefined') return
  watcher = new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === 'characterData') titleTexts(change.target)
      else change.addedNodes.forEach(titleTexts)
    }
  })
  watcher.observe(document.body, { childList: true, characterData: true, subtree: true })
}

function titleTexts(node: Node): void {
  if (node.nodeType === Node.TEXT_NODE) {
    titleText(node)
    return
  }
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT)
  for (let text = walker.nextNode(); text; text = walker.nextNode()) titleText(text)
}

function titleText(text: Node): void {
  const value = text.nodeValue
  const element = text.parentElement
  if (!value || !element) return
  for (const [shown, english] of [...englishOf].reverse()) {
    if (value.includes(shown)) {
      if (element.title !== english) element.title = english
      return
    }
  }
}
