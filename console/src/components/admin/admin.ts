// The admin's 账户与部门 (docs/console.md, "Admin"): console accounts and the registered
// departments, read and changed only through the hub's GraphQL operations.
import { graphql } from '../../api'

export interface ConsoleAccount {
  name: string
  role: string
  subject: string
  department: string | null
  disabled: boolean
  lockedUntil: string | null
  lastSignInAt: string | null
}

export interface DepartmentInfo {
  code: string
  kind: string
  name: string
  datasets: string[]
}

const ACCOUNT = 'name role subject department disabled lockedUntil lastSignInAt'
const USERS = `query Users { users { ${ACCOUNT} } }`
const DISABLE_USER = `mutation DisableUser($name: String!) { disableUser(name: $name) { ${ACCOUNT} } }`
const DEPARTMENTS = 'query Departments { departments { code kind name datasets } }'

export async function users(): Promise<ConsoleAccount[]> {
  return (await graphql<{ users: ConsoleAccount[] }>(USERS)).users
}

export async function disableUser(name: string): Promise<ConsoleAccount> {
  return (await graphql<{ disableUser: ConsoleAccount }>(DISABLE_USER, { name })).disableUser
}

export async function departments(): Promise<DepartmentInfo[]> {
  return (await graphql<{ departments: DepartmentInfo[] }>(DEPARTMENTS)).departments
}

/** How an account stands: 已停用, 已锁定 (until a moment), or 正常. */
export function accountState(account: ConsoleAccount): 'disabled' | 'locked' | 'active' {
  if (account.disabled) return 'disabled'
  return account.lockedUntil ? 'locked' : 'active'
}
