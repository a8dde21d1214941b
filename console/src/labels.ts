// Every enum value the console shows, in Chinese: the one dictionary. A value not listed
// here is shown as it is (so a new value is visible, never hidden).

export const labels = {
  caseStatus: {
    open: '执行中',
    suspended: '中止执行',
    closed: '已结案',
  },
  caseType: {
    enforcement: '执行案件',
    bankruptcy: '破产案件',
    administrative: '行政非诉执行',
  },
  partyRole: {
    applicant: '申请执行人',
    respondent: '被执行人',
  },
  subjectKind: {
    PERSON: '自然人',
    ENTERPRISE: '企业',
  },
  role: {
    officer: '执行干警',
    department: '部门经办人',
    auditor: '审计人员',
    admin: '系统管理员',
  },
  relation: {
    SPOUSE: '配偶',
    PARENT: '父母',
    CHILD: '子女',
    SIBLING: '兄弟姐妹',
    OTHER: '其他亲属',
  },
  enterpriseRole: {
    LEGAL_REPRESENTATIVE: '法定代表人',
    SHAREHOLDER: '股东',
    EXECUTIVE: '高级管理人员',
    ACTUAL_CONTROLLER: '实际控制人',
  },
  addressKind: {
    HOUSEHOLD: '户籍地址',
    RESIDENCE: '居住地址',
    PROPERTY: '房产地址',
    VEHICLE: '车辆登记地址',
    ENTERPRISE: '企业地址',
    BANK: '银行预留地址',
  },
  restrictionKind: {
    LISTED: '失信被执行人',
    LEGAL_REPRESENTATIVE_OF_LISTED: '失信企业法定代表人',
    ACTUAL_CONTROLLER_OF_LISTED: '失信企业实际控制人',
    EXECUTIVE_OF_LISTED: '失信企业高级管理人员',
  },
  auditOutcome: {
    ALLOWED: '允许',
    DENIED: '拒绝',
    ERROR: '出错',
  },
} as const satisfies Record<string, Record<string, string>>

export type Dictionary = keyof typeof labels

/** The Chinese label of `value` in `dictionary`; the value itself when unlisted, — when empty. */
export function label(dictionary: Dictionary, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const entries: Record<string, string> = labels[dictionary]
  return entries[value] ?? value
}
