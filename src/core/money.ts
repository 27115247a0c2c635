import { Decimal } from 'decimal.js';
import { KioskError } from './errors.ts';

/** Isolated Decimal constructor so no other library's global settings can change money maths. */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -30, toExpPos: 30 });
type Dec = InstanceType<typeof D>;

/** Largest amount the kiosk accepts anywhere: 9,999,999.99 yuan (keeps fen a safe integer). */
export const MAX_FEN = 999_999_999;

export interface ParseMoneyOptions {
  /** Field name used in the error, e.g. `amount`. */
  field?: string;
  /** Zero is refused unless this is true. */
  allowZero?: boolean;
  /** Upper bound (inclusive); defaults to MAX_FEN. */
  max?: Money;
}

/**
 * An amount of Chinese yuan with exactly 2 decimals (fen). Immutable. Stored on disk and sent over
 * the wire as integer fen (`toFen()`) or as the canonical string "12.50" (`toString()`); never as
 * a binary float.
 */
export class Money {
  private constructor(private readonly d: Dec) {}

  static readonly ZERO = new Money(new D(0));

  /** From integer fen (as stored on disk). Refuses non-integers and unsafe integers. */
  static fromFen(fen: number | bigint): Money {
    const n = typeof fen === 'bigint' ? Number(fen) : fen;
    if (!Number.isSafeInteger(n)) {
      throw new KioskError('KIOSK_E_INVALID_AMOUNT', {
        zh: `分值必须为整数: ${String(fen)}`,
        en: `fen must be an integer: ${String(fen)}`,
      });
    }
    return new Money(new D(n).div(100));
  }

  /**
   * The canonical yuan string of integer fen ("12.50", "-0.05"), the same as
   * `Money.fromFen(fen).toString()`, in integer arithmetic only: reports format tens of thousands
   * of sums at a time.
   */
  static fenString(fen: number): string {
    if (!Number.isSafeInteger(fen)) return Money.fromFen(fen).toString();
    const abs = Math.abs(fen);
    const cents = abs % 100;
    const whole = (abs - cents) / 100;
    return `${fen < 0 ? '-' : ''}${whole}.${cents < 10 ? '0' : ''}${cents}`;
  }

  /**
   * From a canonical yuan string written by the program itself ("12.50", "-3.00"); used for config
   * and messages. Person-typed input goes through parseMoney.
   */
  static of(yuan: string): Money {
    if (!/^-?\d{1,9}(\.\d{1,2})?$/.test(yuan)) {
      throw new KioskError('KIOSK_E_INVALID_AMOUNT', {
        zh: `金额格式有误: ${yuan}`,
        en: `bad amount: ${yuan}`,
      });
    }
    return new Money(new D(yuan));
  }

  toFen(): number {
    return this.d.mul(100).toNumber();
  }

  /** Canonical yuan string with 2 decimals: "12.50". */
  toString(): string {
    return this.d.toFixed(2);
  }

  toJSON(): string {
    return this.toString();
  }

  add(o: Money): Money {
    return new Money(this.d.add(o.d));
  }
  sub(o: Money): Money {
    return new Money(this.d.sub(o.d));
  }
  /** Multiplies by an integer count (fees per item, packages). */
  times(n: number): Money {
    if (!Number.isInteger(n)) throw new RangeError('Money.times takes an integer');
    return new Money(this.d.mul(n));
  }
  neg(): Money {
    return new Money(this.d.neg());
  }
  cmp(o: Money): -1 | 0 | 1 {
    return this.d.cmp(o.d) as -1 | 0 | 1;
  }
  eq(o: Money): boolean {
    return this.d.eq(o.d);
  }
  lt(o: Money): boolean {
    return this.d.lt(o.d);
  }
  lte(o: Money): boolean {
    return this.d.lte(o.d);
  }
  gt(o: Money): boolean {
    return this.d.gt(o.d);
  }
  gte(o: Money): boolean {
    return this.d.gte(o.d);
  }
  isZero(): boolean {
    return this.d.isZero();
  }
  isNegative(): boolean {
    return this.d.isNeg() && !this.d.isZero();
  }
  /** True when this is a whole multiple of `step` (e.g. top-ups in multiples of 10 yuan). */
  isMultipleOf(step: Money): boolean {
    return !step.isZero() && this.d.mod(step.d).isZero();
  }

  /** "￥12.50": U+FFE5 survives GBK printers, U+00A5 does not. */
  format(): string {
    return `￥${this.toString()}`;
  }

  static sum(items: Iterable<Money>): Money {
    let acc = Money.ZERO;
    for (const m of items) acc = acc.add(m);
    return acc;
  }
  static max(a: Money, b: Money): Money {
    return a.gte(b) ? a : b;
  }
}

/** Full-width digits and punctuation (０-９, ．, －, ＋) to ASCII; other characters unchanged. */
export function normaliseWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/**
 * Parses an amount a person typed, in yuan. Refuses, naming the field: empty, negative, zero
 * (unless allowed), more than 2 decimals, exponent forms, anything but digits and one point,
 * and anything above `max`. Full-width digits are accepted.
 */
export function parseMoney(input: unknown, opts: ParseMoneyOptions = {}): Money {
  const field = opts.field ?? 'amount';
  const fail = (zh: string, en: string): never => {
    throw new KioskError('KIOSK_E_INVALID_AMOUNT', { field, zh, en });
  };
  if (typeof input !== 'string' && typeof input !== 'number') fail('请输入金额', 'amount is required');
  if (typeof input === 'number') {
    // A number reaching here came from JSON; only accept what a string would give exactly.
    if (!Number.isFinite(input)) fail('金额必须是数字', 'amount must be a number');
    input = String(input);
  }
  const s = normaliseWidth(input as string).trim();
  if (s === '') fail('请输入金额', 'amount is required');
  if (/^-/.test(s)) fail('金额不能为负数', 'amount must not be negative');
  if (/[eE]/.test(s)) fail('金额不能使用科学计数法', 'amount must not use exponent notation');
  if (!/^\d*\.?\d*$/.test(s) || s === '.')
    fail('金额只能包含数字和小数点', 'amount may contain only digits and one decimal point');
  const [whole = '', frac = ''] = s.split('.');
  if (frac.length > 2) fail('金额最多两位小数', 'amount may have at most 2 decimals');
  const digits = whole.replace(/^0+(?=\d)/, '');
  if (digits.length > 9) fail('金额过大', 'amount is too large');
  const m = Money.of(`${digits || '0'}.${frac || '0'}`);
  if (m.isZero() && !opts.allowZero) fail('金额必须大于零', 'amount must be greater than zero');
  const max = opts.max ?? Money.fromFen(MAX_FEN);
  if (m.gt(max)) fail(`金额不能超过 ${max.toString()} 元`, `amount must not exceed ${max.toString()} yuan`);
  return m;
}
