// The shapes of the GraphQL answers the case page reads (schema/schema.graphql).

export interface Party {
  id: string
  name: string | null
  kind: 'PERSON' | 'ENTERPRISE'
  role: string | null
}

export interface Case {
  caseNumber: string
  caseType: string | null
  court: string | null
  filedAt: string | null
  status: string | null
  amount: string | null
  outstandingAmount: string | null
  parties: Party[]
}

export interface PersonSummary {
  idNumberMasked: string
  name: string | null
  birthYear: number | null
  householdRegion: string
}

export interface AddressClue {
  address: string
  kind: string
  source: string | null
  asOf: string | null
}

export interface Relative {
  person: PersonSummary
  relation: string
  holdings: { properties: number; vehicles: number; accounts: number; enterprises: number } | null
}

export interface EnterpriseRole {
  uscc: string
  name: string | null
  role: string
  sharePct: string | null
  status: string | null
}

export interface Associate {
  person: PersonSummary
  hops: number
  via: string[]
}

export interface TraceReport {
  subject: {
    idNumber: string
    name: string | null
    gender: string | null
    birthDate: string | null
    householdAddress: string | null
    residenceAddress: string | null
    status: string | null
  }
  addresses: AddressClue[]
  phones: string[]
  relatives: Relative[]
  enterprises: EnterpriseRole[]
  associates: Associate[]
}

export interface Control {
  kind: string
  state: string
  queuePosition: number | null
  caseNumber: string | null
  effectiveUntil: string | null
}

interface HoldingBase {
  controls: Control[]
  direct: boolean
  via: string[]
  sharePct: string | null
  status: string | null
  owner: { id: string; name: string | null }
  source: string | null // the department that published it, by code
  loadedAt: string | null // when the hub last received it (ISO 8601, UTC)
}
export interface PropertyHolding extends HoldingBase {
  certNumber: string
  address: string | null
  areaM2: string | null
  use: string | null
  estimatedValue: string | null
  registeredAt: string | null
}
export interface VehicleHolding extends HoldingBase {
  plateNumber: string | null
  vin: string
  brandModel: string | null
  registeredAt: string | null
}
export interface AccountHolding extends HoldingBase {
  bankCode: string | null
  bankName: string | null
  accountNumber: string | null
  accountType: string | null
  balance: string | null
  currency: string | null
  balanceAsOf: string | null
}
export interface EquityHolding extends HoldingBase {
  uscc: string
  name: string | null
  subscribedCapital: string | null
  paidCapital: string | null
}

export interface AssetReport {
  subject: { id: string; name: string | null; kind: 'PERSON' | 'ENTERPRISE' }
  properties: PropertyHolding[]
  vehicles: VehicleHolding[]
  accounts: AccountHolding[]
  equity: EquityHolding[]
  totalEstimatedValue: string
}

export interface CreditCheckResult {
  subject: string
  valid: boolean
  error: string | null
  known: boolean
  name: string | null
  dishonest: boolean
  restricted: boolean
  reasons: { kind: string; caseNumber: string | null; listedAt: string | null; via: string | null }[]
  measures: { code: string; name: string; departmentName: string }[]
}
