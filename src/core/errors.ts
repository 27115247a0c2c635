/**
 * Coded errors. Every error a person can see carries a stable code, the field it is about (when
 * there is one) and a message in Chinese and in English. Expected conditions are KioskErrors;
 * anything else is a bug and is reported as KIOSK_E_INTERNAL.
 */
export const ERROR_CODES = {
  KIOSK_E_INVALID_INPUT: { zh: '输入有误', en: 'Invalid input' },
  KIOSK_E_INVALID_AMOUNT: { zh: '金额有误', en: 'Invalid amount' },
  KIOSK_E_INSUFFICIENT_BALANCE: { zh: '信誉度余额不足', en: 'Insufficient prepaid balance' },
  KIOSK_E_SAFE_MODE: { zh: '系统处于安全模式，暂停交易', en: 'Kiosk is in safe mode; no transactions' },
  KIOSK_E_JOURNAL_WRITE: { zh: '流水写入失败，交易未执行', en: 'Journal write failed; transaction refused' },
  KIOSK_E_JOURNAL_CORRUPT: { zh: '流水数据损坏', en: 'Journal is corrupted' },
  KIOSK_E_JOURNAL_LOCKED: { zh: '流水库正被运行中的服务亭占用', en: 'Journal is in use by a running kiosk' },
  KIOSK_E_JOURNAL_VERSION: { zh: '流水库版本不受支持', en: 'Unsupported journal format version' },
  KIOSK_E_DATA_DIR: { zh: '数据目录不可用', en: 'Data folder not usable' },
  KIOSK_E_CONFIG: { zh: '配置有误', en: 'Invalid configuration' },
  KIOSK_E_UNKNOWN_SERVICE: { zh: '未知业务', en: 'Unknown service' },
  KIOSK_E_SERVICE_DISABLED: { zh: '本亭未开通该业务', en: 'Service not enabled at this kiosk' },
  KIOSK_E_SERVICE_UNAVAILABLE: { zh: '该业务暂不可用', en: 'Service temporarily unavailable' },
  KIOSK_E_NOT_FOUND: { zh: '找不到该流水', en: 'Transaction not found' },
  KIOSK_E_ACTION_NOT_ALLOWED: { zh: '当前状态不允许该操作', en: 'Action not allowed in the current state' },
  KIOSK_E_AUTH_FAILED: { zh: '操作员代码或密码错误', en: 'Wrong operator code or password' },
  KIOSK_E_OPERATOR_LOCKED: { zh: '操作员已被锁定', en: 'Operator is locked' },
  KIOSK_E_OPERATOR_EXISTS: { zh: '操作员已存在', en: 'Operator already exists' },
  KIOSK_E_OPERATOR_UNKNOWN: { zh: '操作员不存在', en: 'Unknown operator' },
  KIOSK_E_FORBIDDEN: { zh: '无权限', en: 'Not permitted' },
  KIOSK_E_SELF_SERVICE_LIMIT: { zh: '超出自助服务限额', en: 'Above the self-service limit' },
  KIOSK_E_TIMEOUT: { zh: '请求超时', en: 'Request timed out' },
  KIOSK_E_HQ_PROTOCOL: { zh: '总部应答格式有误', en: 'Malformed answer from HQ' },
  KIOSK_E_PAYMENT_REQUIRED: { zh: '需先付款', en: 'Payment required first' },
  KIOSK_E_ORDER_NOT_FOUND: { zh: '找不到该订单', en: 'Order not found' },
  KIOSK_E_ORDER_STATE: { zh: '订单当前状态不允许该操作', en: 'Not allowed in the order’s current status' },
  KIOSK_E_INTERNAL: { zh: '内部错误', en: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface KioskErrorInit {
  /** The input or config field the error is about, as a dotted path. */
  field?: string;
  /** Specific reason in Chinese; the code's generic message is used when absent. */
  zh?: string;
  /** Specific reason in English. */
  en?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class KioskError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly zh: string;
  readonly en: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, init: KioskErrorInit = {}) {
    const generic = ERROR_CODES[code];
    const zh = init.zh ?? generic.zh;
    const en = init.en ?? generic.en;
    const prefix = init.field ? `${init.field}: ` : '';
    super(`${prefix}${zh} / ${en}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'KioskError';
    this.code = code;
    this.field = init.field;
    this.zh = zh;
    this.en = en;
    this.details = init.details;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      ...(this.field ? { field: this.field } : {}),
      zh: this.zh,
      en: this.en,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Several field errors found in one pass (input or config). */
export class KioskValidationError extends KioskError {
  readonly issues: readonly KioskError[];

  constructor(code: ErrorCode, issues: readonly KioskError[]) {
    super(code, {
      zh: issues.map((i) => i.zh).join('；'),
      en: issues.map((i) => i.en).join('; '),
      ...(issues.length === 1 && issues[0]?.field ? { field: issues[0].field } : {}),
    });
    this.issues = issues;
    this.message = issues.map((i) => i.message).join('\n');
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues.map((i) => i.toJSON()) };
  }
}

export function isKioskError(e: unknown): e is KioskError {
  return e instanceof KioskError;
}
