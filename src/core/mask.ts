/**
 * Masking of personal numbers for logs, exports, MQTT and the LED. The full number stays only in
 * the journal on the kiosk and in the request to HQ.
 */
export type SensitiveKind = 'phone' | 'account' | 'card';

/** 13800138000 → 138****8000; landlines with area code keep the first 3 and last 4 as well. */
export function maskPhone(value: string): string {
  const v = value.trim();
  if (v.length <= 7) return maskTail(v, 2);
  return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
}

/** Bank card: first 6 and last 4 (6222021234567890123 → 622202*********0123). */
export function maskCard(value: string): string {
  const v = value.replace(/\s+/g, '');
  if (v.length <= 10) return maskTail(v, 4);
  return `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}`;
}

/** Utility or game account: only the last 4 characters remain. */
export function maskAccount(value: string): string {
  return maskTail(value.trim(), 4);
}

function maskTail(v: string, keep: number): string {
  if (v.length <= keep) return '*'.repeat(v.length);
  return `${'*'.repeat(v.length - keep)}${v.slice(-keep)}`;
}

export function maskValue(kind: SensitiveKind, value: string): string {
  switch (kind) {
    case 'phone':
      return maskPhone(value);
    case 'card':
      return maskCard(value);
    case 'account':
      return maskAccount(value);
  }
}

/** Field names that are masked wherever they appear, whatever the service says. */
export const SENSITIVE_KEYS: Readonly<Record<string, SensitiveKind>> = {
  phone: 'phone',
  mobile: 'phone',
  msisdn: 'phone',
  landline: 'phone',
  account: 'account',
  accountNo: 'account',
  customerNo: 'account',
  gameAccount: 'account',
  card: 'card',
  cardNo: 'card',
  debitCard: 'card',
  creditCard: 'card',
};

/**
 * Masks any run of 11 or more digits in a free text (a phone number or card inside a message);
 * serial numbers have 10 digits and amounts fewer, so they stay.
 */
export function maskDigitRuns(text: string): string {
  return text.replace(/\d{11,}/g, (d) => (d.length <= 12 ? maskPhone(d) : maskCard(d)));
}

/** Deep copy of `value` with maskDigitRuns applied to every string in it. */
export function maskDigitRunsDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskDigitRuns(value);
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDigitRunsDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = maskDigitRunsDeep(v, depth + 1);
  return out;
}

/**
 * An Error as plain data for a log line: type, message, code, stack, its own fields and its cause,
 * with long digit runs masked in the texts. (Its message and stack are not enumerable, so copying
 * its keys alone would log `{}`.)
 */
function errorData(err: Error, depth: number): Record<string, unknown> {
  const own = maskDigitRunsDeep(maskDeep({ ...err }, depth + 1)) as Record<string, unknown>;
  const code = (err as { code?: unknown }).code;
  return {
    ...own,
    type: err.name,
    message: maskDigitRuns(err.message),
    ...(code === undefined ? {} : { code }),
    ...(err.stack ? { stack: maskDigitRuns(err.stack) } : {}),
    ...(err.cause === undefined ? {} : { cause: maskDeep(err.cause, depth + 1) }),
  };
}

/** Deep copy of `value` with every sensitive key masked (strings only; other values kept). */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return errorData(value, depth);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const kind = SENSITIVE_KEYS[k];
    out[k] = kind && typeof v === 'string' ? maskValue(kind, v) : maskDeep(v, depth + 1);
  }
  return out;
}
