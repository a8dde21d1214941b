// The console's two places: 我的案件 (#/) and a case page (#/case/<case number>). The hash
// keeps it one page served at /, and a case page can be bookmarked or typed in.
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

const CASE_PREFIX = '#/case/'

export function caseHref(caseNumber: string): string {
  return CASE_PREFIX + encodeURIComponent(caseNumber)
}

/** The case number of the page the hash names; null for 我的案件. */
export function caseOfHash(hash: string): string | null {
  if (!hash.startsWith(CASE_PREFIX)) return null
  try {
    return decodeURIComponent(hash.slice(CASE_PREFIX.length)) || null
  } catch {
    return null
  }
}

/** The case number in the address bar, following it as it changes. */
export function useCaseRoute(): Ref<string | null> {
  const current = ref(caseOfHash(window.location.hash))
  const follow = () => {
    current.value = caseOfHash(window.location.hash)
  }
  onMounted(() => window.addEventListener('hashchange', follow))
  onBeforeUnmount(() => window.removeEventListener('hashchange', follow))
  return current
}
