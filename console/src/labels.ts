// Every enum value the console shows, in Chinese: the one dictionary. A value not listed
// here is shown as it is (so a new value is visible, never hidden).

export const labels = {
  caseStatus: {
    open: '执行中',
    suspended: '终结本次执行',
    closed: '执行完毕',
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
  holdingKind: {
    PROPERTY: '不动产',
    VEHICLE: '机动车',
    ACCOUNT: '银行账户',
    EQUITY: '股权',
  },
  holdingStatus: {
    normal: '正常',
    mortgaged: '抵押',
    sealed: '查封',
    frozen: '冻结',
    cancelled: '注销',
    closed: '销户',
    active: '存续',
    revoked: '吊销',
    FROZEN: '冻结',
    SEALED: '查封',
  },
  accountType: {
    ordinary: '普通账户',
    wage_special: '农民工工资专用账户',
    wage_deposit: '工资保证金账户',
  },
  propertyUse: {
    residential: '住宅',
    commercial: '商业',
    industrial: '工业',
    other: '其他',
  },
  gender: {
    M: '男',
    F: '女',
  },
  personStatus: {
    normal: '正常',
    deceased: '死亡',
    moved_out: '迁出',
  },
  enterpriseStatus: {
    active: '存续',
    revoked: '吊销',
    cancelled: '注销',
  },
  holdingWay: {
    direct: '直接持有',
    indirect: '间接持有',
  },
  departmentKind: {
    psb: '公安',
    amr: '市场监管',
    bank: '银行',
    nrb: '自然资源',
    court: '法院',
    hrss: '人力资源社会保障',
    other: '其他部门',
  },
  appliesTo: {
    PERSON: '自然人',
    ENTERPRISE: '企业',
    RESPONSIBLE_PERSON: '责任人',
  },
  controlAction: {
    FREEZE: '冻结',
    DEDUCT: '扣划',
    SEAL: '查封',
    RENEW: '续冻/续封',
    RELEASE: '解冻/解封',
    LOCATE: '查找被执行人',
    WAGE_CHECK: '农民工工资核查',
  },
  controlStatus: {
    PENDING: '已发送',
    RECEIVED: '已送达',
    DONE: '已办结',
    PARTIAL: '部分办结',
    NOT_DONE: '未能办理',
    RETURNED: '已退回',
    CANCELLED: '已撤回',
  },
  controlTargetKind: {
    ACCOUNT: '银行账户',
    PROPERTY: '不动产',
    VEHICLE: '机动车',
    EQUITY: '股权',
    PERSON: '自然人',
    ENTERPRISE: '企业',
  },
  measureKind: {
    FREEZE: '冻结',
    SEAL: '查封',
  },
  measureState: {
    IN_FORCE: '生效中',
    WAITING: '轮候',
    RELEASED: '已解除',
    LAPSED: '已失效',
  },
  alertKind: {
    NEW_ASSET: '发现新财产',
    NEW_CLUE: '发现新线索',
    CONTROL_ANSWERED: '控制请求已答复',
    CONTROL_EXPIRING: '控制措施即将到期',
    CONTROL_LAPSED: '控制措施已失效',
    QUEUE_ADVANCED: '轮候措施已生效',
    PUNISHMENT_RECORDED: '惩戒已反馈',
    LETTER: '来函',
    CONTROL_REQUESTED: '收到控制请求',
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
