import { z } from 'zod';
import { KioskError, KioskValidationError } from '../core/errors.ts';
import { Money } from '../core/money.ts';
import { findUnmaskedNumber } from './guard.ts';

/**
 * A receipt as the services describe it: plain data, no layout. Money is a canonical yuan string
 * with exactly 2 decimals ("50.00"), never a number. Personal numbers in `lines` must already be
 * masked (src/core/mask.ts); parseReceipt refuses them otherwise.
 */
export interface Receipt {
  title: { zh: string; en: string };
  /** Station / institution number (机构号), 8 digits. */
  stationId: string;
  stationName: string;
  /** Transaction serial number (流水号); also printed as a QR code. */
  serial: string;
  /** Business date (账务日期) yyyymmdd. */
  businessDate: string;
  /** When the transaction happened, epoch ms; printed in Asia/Shanghai time (UTC+8). */
  time: number;
  /** Operator code; null for self-service (printed as 自助). */
  operator: string | null;
  /** Service name in Chinese, e.g. 移动直充. */
  serviceName: string;
  /** Service-specific lines: label in Chinese, value as printed. */
  lines: ReceiptLine[];
  amount: string;
  fee: string;
  /** amount + fee, checked. */
  total: string;
  /** A second copy: printed with the 补打 / REPRINT mark. */
  reprint: boolean;
  /** When the reprint was made, epoch ms; printed under the mark when given. */
  reprintedAt?: number | undefined;
  /** Extra lines at the bottom (service hotline, station notice). */
  footer?: string[] | undefined;
}

export interface ReceiptLine {
  label: string;
  value: string;
}

// Printable text only: control characters would end up as printer commands.
const printable = (max: number, min = 1) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !hasControlCharacter(s), 'must not contain control characters');

function hasControlCharacter(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}
const money = z.string().regex(/^-?\d{1,9}\.\d{2}$/, 'must be a yuan amount with 2 decimals like "50.00"');

const receiptSchema = z.strictObject({
  title: z.strictObject({ zh: printable(24), en: printable(48, 0) }),
  stationId: z.string().regex(/^\d{8}$/, 'must be the 8-digit station number'),
  stationName: printable(40),
  serial: z.string().regex(/^[0-9A-Za-z]{6,32}$/, 'must be 6–32 letters or digits'),
  businessDate: z.string().regex(/^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/, 'must be yyyymmdd'),
  time: z.int().min(0),
  operator: printable(16).nullable(),
  serviceName: printable(24),
  lines: z.array(z.strictObject({ label: printable(16), value: printable(80, 0) })).max(40),
  amount: money,
  fee: money,
  total: money,
  reprint: z.boolean(),
  reprintedAt: z.int().min(0).optional(),
  footer: z.array(printable(80)).max(10).optional(),
});

/**
 * Validates a receipt description and returns a copy. Throws KioskValidationError
 * (KIOSK_E_INVALID_INPUT) naming every bad field, including unmasked phone or card numbers in
 * `lines` and `footer` and a total that is not amount + fee.
 */
export function parseReceipt(input: unknown): Receipt {
  const parsed = receiptSchema.safeParse(input);
  if (!parsed.success) {
    throw new KioskValidationError(
      'KIOSK_E_INVALID_INPUT',
      parsed.error.issues.flatMap((i) => {
        const base = ['receipt', ...i.path.map(String)].join('.');
        if (i.code === 'unrecognized_keys') {
          return i.keys.map(
            (k) =>
              new KioskError('KIOSK_E_INVALID_INPUT', {
                field: `${base}.${k}`,
                zh: '凭条含未知字段',
                en: 'unknown field',
              }),
          );
        }
        return [
          new KioskError('KIOSK_E_INVALID_INPUT', {
            field: base,
            zh: `凭条内容有误（${i.message}）`,
            en: i.message,
          }),
        ];
      }),
    );
  }
  const r = parsed.data;
  const issues: KioskError[] = [];
  const checkPrivacy = (field: string, text: string) => {
    const hit = findUnmaskedNumber(text);
    if (!hit) return;
    const what =
      hit.kind === 'phone' ? { zh: '手机号', en: 'phone number' } : { zh: '银行卡号', en: 'card number' };
    issues.push(
      new KioskError('KIOSK_E_INVALID_INPUT', {
        field,
        zh: `凭条含未遮蔽的${what.zh}`,
        en: `receipt contains an unmasked ${what.en}`,
      }),
    );
  };
  r.lines.forEach((l, i) => {
    checkPrivacy(`receipt.lines.${i}.label`, l.label);
    checkPrivacy(`receipt.lines.${i}.value`, l.value);
  });
  r.footer?.forEach((t, i) => {
    checkPrivacy(`receipt.footer.${i}`, t);
  });
  if (!Money.of(r.amount).add(Money.of(r.fee)).eq(Money.of(r.total))) {
    issues.push(
      new KioskError('KIOSK_E_INVALID_AMOUNT', {
        field: 'receipt.total',
        zh: '合计不等于金额加手续费',
        en: 'total is not amount + fee',
      }),
    );
  }
  if (issues.length > 0) throw new KioskValidationError('KIOSK_E_INVALID_INPUT', issues);
  return {
    ...r,
    title: { ...r.title },
    lines: r.lines.map((l) => ({ ...l })),
    ...(r.footer ? { footer: [...r.footer] } : {}),
  };
}
