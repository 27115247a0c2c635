import { commands } from 'receiptline';
import { toLocal } from '../core/business-day.ts';
import { Money } from '../core/money.ts';
import { parseReceipt, type Receipt } from './receipt.ts';

/**
 * Receipt layout: a pure function from a receipt description to a receiptline document
 * (https://github.com/receiptline/receiptline, "markdown for receipts"). The document is paper-width
 * independent; the width only picks the QR cell size and whether the total fits in double width.
 */
export type PaperWidth = 58 | 80;

/** Characters per line (12-dot half-width font): 58 mm → 384 dots, 80 mm → 576 dots. */
export const CPL: Readonly<Record<PaperWidth, number>> = { 58: 32, 80: 48 };

/** Printed on every receipt (DOMAIN §5): kiosk receipts are not reimbursable invoices. */
export const NOT_AN_INVOICE = {
  zh: '本凭条不作报销凭证，如需发票请持本凭条到邮政网点开具',
  en: 'Not an invoice. For an invoice, take this receipt to a post office.',
} as const;

export const REPRINT_MARK = '补打 / REPRINT';
export const SELF_SERVICE = '自助';

/** QR cell size in dots; the serial fits QR version 1–2, so the code stays under 30 mm wide. */
const QR_CELL: Readonly<Record<PaperWidth, number>> = { 58: 6, 80: 8 };

/** Escapes receiptline's special characters so text prints literally; ¥ becomes ￥ (GBK has no ¥). */
export function escapeText(text: string): string {
  return text.replace(/\u00a5/g, '\uffe5').replace(/[\\|{}\-=~_"`^]/g, (c) => `\\${c}`);
}

/** Escapes a property value (`{c:...}`). */
function escapeProperty(text: string): string {
  return text.replace(/[\\|{};]/g, (c) => `\\${c}`);
}

/** Printed width in half-width columns (CJK and full-width characters count 2). */
export function textWidth(text: string): number {
  return commands.escpos.measureText(text, 'cp936');
}

/** "20261126" → "2026-11-26". */
function isoDate(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/** Epoch ms → "2026-11-26 07:05:09" in Asia/Shanghai (fixed UTC+8). */
export function formatShanghaiTime(epochMs: number): string {
  const l = toLocal(epochMs);
  return `${isoDate(l.date)} ${l.hhmmss.slice(0, 2)}:${l.hhmmss.slice(2, 4)}:${l.hhmmss.slice(4, 6)}`;
}

/**
 * Word-wraps free text to the line width with receiptline's manual break (`\n`), so English breaks
 * between words; CJK text and words longer than a line are left to receiptline's character wrap.
 */
export function wrapText(text: string, cpl: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && textWidth(candidate) > cpl) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines.map(escapeText).join('\\n');
}

type Row = [label: string, value: string];

/** Label/value rows: the label column is as wide as the widest label (at most half a line). */
function rows(list: readonly Row[], cpl: number): string[] {
  const labelWidth = Math.min(Math.max(...list.map(([l]) => textWidth(l))), Math.floor(cpl / 2));
  return [`{w:${labelWidth} *}`, ...list.map(([l, v]) => `${escapeText(l)} | ${escapeText(v)}`)];
}

/**
 * Builds the receiptline document of a receipt. Validates first (parseReceipt): throws
 * KioskValidationError on bad input, unmasked phone/card numbers or a wrong total.
 */
export function layoutReceipt(input: Receipt, paperWidth: PaperWidth): string {
  const r = parseReceipt(input);
  const cpl = CPL[paperWidth];
  const out: string[] = ['{w:auto; a:center}'];
  const text = (t: string) => out.push(wrapText(t, cpl));

  out.push(`^^"${escapeText(r.title.zh)}"`);
  if (r.title.en) text(r.title.en);
  text(r.stationName);
  if (r.reprint) out.push(`^^\`"${escapeText(REPRINT_MARK)}"\``);
  out.push('---');
  const header: Row[] = [
    ['网点号', r.stationId],
    ['流水号', r.serial],
    ['账务日期', isoDate(r.businessDate)],
    ['交易时间', formatShanghaiTime(r.time)],
  ];
  if (r.reprint && r.reprintedAt !== undefined) header.push(['补打时间', formatShanghaiTime(r.reprintedAt)]);
  header.push(['操作员', r.operator ?? SELF_SERVICE], ['业务', r.serviceName]);
  out.push(...rows(header, cpl));
  if (r.lines.length > 0) {
    out.push(
      '---',
      ...rows(
        r.lines.map((l): Row => [l.label, l.value]),
        cpl,
      ),
    );
  }
  out.push(
    '---',
    ...rows(
      [
        ['金额', Money.of(r.amount).format()],
        ['手续费', Money.of(r.fee).format()],
      ],
      cpl,
    ),
  );
  // Double height, centred: one line on both widths up to ￥9999999.99.
  out.push('{w:auto; a:center}', `^^"合计 ${escapeText(Money.of(r.total).format())}"`);
  out.push('---', '{w:auto; a:center}');
  out.push(`{c:${escapeProperty(r.serial)}; o:qrcode,${QR_CELL[paperWidth]},m}`);
  out.push(escapeText(r.serial));
  out.push('---');
  out.push(`{w:*}`, `"${escapeText(NOT_AN_INVOICE.zh)}" |`, `${wrapText(NOT_AN_INVOICE.en, cpl)} |`);
  out.push('{w:auto}');
  for (const f of r.footer ?? []) text(f);
  return `${out.join('\n')}\n`;
}
