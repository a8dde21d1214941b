// locateAssets, and the holdings of an asset report as flat lines: what the 找物 tab lists
// and the 财产查控报告 export writes, one definition for both.
import { graphql } from './api'
import { money, percent, text } from './format'
import { label, labels } from './labels'
import type { AssetReport, Control } from './types'

const HOLDING = 'direct via sharePct status owner { id name } source loadedAt controls { kind state queuePosition caseNumber effectiveUntil }'
export const LOCATE = `query Locate($subject: String!, $caseNumber: String!) {
  locateAssets(subject: $subject, caseNumber: $caseNumber, includeIndirect: true) {
    subject { id name kind }
    properties { ${HOLDING} certNumber address areaM2 use estimatedValue registeredAt }
    vehicles { ${HOLDING} plateNumber vin brandModel registeredAt }
    accounts { ${HOLDING} bankCode bankName accountNumber accountType balance currency balanceAsOf }
    equity { ${HOLDING} uscc name subscribedCapital paidCapital }
    totalEstimatedValue
  }
}`

export async function locateAssets(subject: string, caseNumber: string): Promise<AssetReport> {
  return (await graphql<{ locateAssets: AssetReport }>(LOCATE, { subject, caseNumber })).locateAssets
}

export type HoldingKind = 'PROPERTY' | 'VEHICLE' | 'ACCOUNT' | 'EQUITY'

/** One holding, in words. */
export interface HoldingLine {
  kind: HoldingKind
  identifier: string // 不动产权证号, 车牌号/车架号, 开户行 账号, 统一社会信用代码
  description: string // address, model, account type, enterprise name
  direct: boolean
  owner: string
  chain: string // the enterprises between the subject and the owner
  share: string // the subject's effective share
  status: string
  value: string // estimated value or balance (yuan)
  source: string // the department that published the holding (its `source`)
  asOf: string // the account's balance date, else the day the hub received the record
  registeredAt: string // a property's or vehicle's registration date
  controls: string // freezes and seals standing on it, with their queue positions
  target: ControlTarget // what a control request names it by (ControlRequestInput.target)
  balance: string | null // an account's balance (yuan), for a freeze's amount
}

/** ControlRequestInput.target: the holding's identifying fields. */
export interface ControlTarget {
  kind: HoldingKind
  bankCode?: string
  accountNumber?: string
  certNumber?: string
  vin?: string
  plateNumber?: string
  uscc?: string
  holder?: string // EQUITY: whose shares
}

type AnyHolding = AssetReport['properties'][number] | AssetReport['vehicles'][number] | AssetReport['accounts'][number] | AssetReport['equity'][number]

/** The holding's `source` in words: a department kind's name (自然资源, 公安 …); an account's
 * bank by its name. */
export function sourceName(code: string | null, bankName?: string | null): string {
  if (bankName && (!code || code === 'bank' || !(code in labels.departmentKind))) {
    return `${label('departmentKind', 'bank')}：${bankName}` // the bank that keeps the account
  }
  return code && code in labels.departmentKind ? label('departmentKind', code) : text(code)
}

/** The account's balance date, else the day the hub received the record (its UTC date). */
export function asOf(h: AnyHolding, balanceAsOf?: string | null): string {
  if (balanceAsOf) return balanceAsOf
  return h.loadedAt ? h.loadedAt.slice(0, 10) : '—'
}

function controlsText(controls: Control[]): string {
  if (!controls.length) return '—'
  return controls
    .map((c) => {
      const queue = c.state === 'WAITING' && c.queuePosition ? ` 第 ${c.queuePosition} 位` : ''
      const until = c.effectiveUntil ? ` 至 ${c.effectiveUntil}` : ''
      return `${label('measureKind', c.kind)}（${label('measureState', c.state)}${queue}）${c.caseNumber ?? ''}${until}`
    })
    .join('；')
}

export function holdingLines(report: AssetReport): HoldingLine[] {
  const common = (h: AnyHolding) => ({
    direct: h.direct,
    owner: `${text(h.owner.name)}（${h.owner.id}）`,
    chain: h.direct ? '' : h.via.join(' → '),
    share: percent(h.sharePct),
    status: label('holdingStatus', h.status),
    controls: controlsText(h.controls),
  })
  return [
    ...report.properties.map((p) => ({
      ...common(p),
      kind: 'PROPERTY' as const,
      identifier: p.certNumber,
      description: [text(p.address), p.use ? label('propertyUse', p.use) : '', p.areaM2 ? `${p.areaM2} ㎡` : '']
        .filter(Boolean)
        .join('，'),
      value: money(p.estimatedValue),
      source: sourceName(p.source),
      asOf: asOf(p),
      registeredAt: text(p.registeredAt),
      target: { kind: 'PROPERTY' as const, certNumber: p.certNumber },
      balance: null,
    })),
    ...report.vehicles.map((v) => ({
      ...common(v),
      kind: 'VEHICLE' as const,
      identifier: `${text(v.plateNumber)} / ${v.vin}`,
      description: text(v.brandModel),
      value: '—',
      source: sourceName(v.source),
      asOf: asOf(v),
      registeredAt: text(v.registeredAt),
      target: { kind: 'VEHICLE' as const, vin: v.vin },
      balance: null,
    })),
    ...report.accounts.map((a) => ({
      ...common(a),
      kind: 'ACCOUNT' as const,
      identifier: `${text(a.bankName ?? a.bankCode)} ${text(a.accountNumber)}`,
      description: label('accountType', a.accountType),
      value: a.currency && a.currency !== 'CNY' ? `${text(a.balance)} ${a.currency}` : money(a.balance),
      source: sourceName(a.source, a.bankName ?? a.bankCode),
      asOf: asOf(a, a.balanceAsOf),
      registeredAt: '—',
      target: { kind: 'ACCOUNT' as const, bankCode: a.bankCode ?? '', accountNumber: a.accountNumber ?? '' },
      balance: a.balance,
    })),
    ...report.equity.map((e) => ({
      ...common(e),
      kind: 'EQUITY' as const,
      identifier: e.uscc,
      description: `${text(e.name)}，认缴 ${text(e.subscribedCapital)} 万元`,
      value: '—',
      source: sourceName(e.source),
      asOf: asOf(e),
      registeredAt: '—',
      target: { kind: 'EQUITY' as const, uscc: e.uscc, holder: e.owner.id },
      balance: null,
    })),
  ]
}
