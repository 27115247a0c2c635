import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  CPL,
  escapeText,
  formatShanghaiTime,
  layoutReceipt,
  NOT_AN_INVOICE,
  type PaperWidth,
  REPRINT_MARK,
  textWidth,
} from '../../../src/receipts/layout.ts';
import type { Receipt } from '../../../src/receipts/receipt.ts';
import { encodeEscPos, renderSvg } from '../../../src/receipts/render.ts';
import { sampleReceipt } from '../../../src/receipts/sample-receipt.ts';
import { decodeEscPos, printedText, rasterMatrix, renderText } from '../../support/escpos-decoder.ts';
import { readQr } from './qr-reader.ts';

const WIDTHS: PaperWidth[] = [58, 80];

function print(receipt: Receipt, paperWidth: PaperWidth, commandSet: 'escpos' | 'generic' = 'escpos') {
  const bytes = encodeEscPos(layoutReceipt(receipt, paperWidth), {
    paperWidth,
    commandSet,
    encoding: 'cp936',
    cut: true,
  });
  return { bytes, decoded: decodeEscPos(bytes) };
}

describe.each(WIDTHS)('receipt layout at %i mm', (width) => {
  const cpl = CPL[width];

  it('encodes the serial as a QR code that reads back as the serial', () => {
    for (const commandSet of ['escpos', 'generic'] as const) {
      for (const serial of ['20261126330100010042', 'HQ2026X00017']) {
        const { decoded } = print(sampleReceipt({ serial }), width, commandSet);
        expect(decoded.images).toHaveLength(1);
        const qr = readQr(rasterMatrix(decoded.images[0]!));
        expect(qr.text).toBe(serial);
        // Fits the paper with room to spare: at most 2/3 of the printable width.
        expect(decoded.images[0]!.width).toBeLessThanOrEqual((cpl * 12 * 2) / 3);
      }
    }
  });

  it('prints the not-an-invoice line in Chinese and English', () => {
    const text = printedText(print(sampleReceipt(), width).decoded);
    expect(text).toContain(NOT_AN_INVOICE.zh);
    expect(text.replace(/\s+/g, '')).toContain(NOT_AN_INVOICE.en.replace(/\s+/g, ''));
  });

  it('marks reprints, inverted, and only reprints', () => {
    const original = print(sampleReceipt(), width).decoded;
    expect(printedText(original)).not.toContain('补打');
    const reprint = print(
      sampleReceipt({ reprint: true, reprintedAt: Date.UTC(2026, 10, 27, 1, 0, 0) }),
      width,
    ).decoded;
    const mark = reprint.lines.find(
      (l) => l.kind === 'text' && l.segments.some((s) => s.text === REPRINT_MARK && s.invert),
    );
    expect(mark).toBeDefined();
    expect(renderText(reprint, cpl)).toMatch(/补打时间 +2026-11-27 09:00:00/);
  });

  it('keeps every printed line within the paper width', () => {
    const long = sampleReceipt({
      stationName: '西湖区文三路与学院路交叉口东北角便民服务亭',
      lines: [
        { label: '缴费说明', value: '本次缴费已计入当月账单，如有疑问请联系客服热线10086或到营业厅咨询' },
      ],
      amount: '9999998.99',
      fee: '1.00',
      total: '9999999.99',
    });
    const text = renderText(print(long, width).decoded, cpl);
    for (const line of text.split('\n')) {
      if (line.startsWith('=')) continue;
      expect(textWidth(line), line).toBeLessThanOrEqual(cpl);
    }
    expect(text).toContain('合计 ￥9999999.99');
  });

  it('prints self-service when there is no operator', () => {
    expect(renderText(print(sampleReceipt({ operator: null }), width).decoded, cpl)).toMatch(/操作员 +自助/);
  });

  it('prints text literally, whatever receiptline characters it contains', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9\\|{}\-=~_"`^*#:.()]{1,14}$/),
        fc.stringMatching(/^[A-Za-z0-9\\|{}\-=~_"`^*#:.()]{1,14}$/),
        (label, value) => {
          fc.pre(!/^[-=]+$/.test(value));
          const { decoded } = print(sampleReceipt({ lines: [{ label, value }] }), width);
          expect(printedText(decoded)).toContain(`${label}${value}`);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('encoding', () => {
  it('selects Chinese mode (FS &) and sends GBK bytes, with ￥ as A3 A4', () => {
    const { bytes, decoded } = print(sampleReceipt({ lines: [{ label: '价格', value: '¥12.50' }] }), 58);
    const hex = Buffer.from(bytes).toString('hex');
    expect(decoded.ops).toContain('FS &');
    expect(hex).toContain(iconv.encode('便民服务', 'gb18030').toString('hex'));
    expect(hex).toContain('a3a4');
    // U+00A5 is not in GBK: it must have been replaced by ￥ before encoding, never sent as '?'.
    expect(printedText(decoded)).toContain('￥12.50');
    expect(printedText(decoded)).not.toContain('?');
  });

  it('starts with ESC @, ends with a cut and a status request, and is deterministic', () => {
    const a = print(sampleReceipt(), 80);
    const b = print(sampleReceipt(), 80);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(a.decoded.ops[0]).toBe('ESC @');
    expect(a.decoded.ops.slice(-2)).toEqual(['GS V', 'GS r']);
    expect(a.decoded.cuts).toBe(1);
  });

  it('leaves the cut out when cutting is off', () => {
    const bytes = encodeEscPos(layoutReceipt(sampleReceipt(), 58), {
      paperWidth: 58,
      commandSet: 'escpos',
      encoding: 'cp936',
      cut: false,
    });
    expect(decodeEscPos(bytes).cuts).toBe(0);
  });
});

describe('formatting helpers', () => {
  it('shows times in Asia/Shanghai (UTC+8) across midnight', () => {
    expect(formatShanghaiTime(Date.UTC(2026, 10, 26, 16, 30, 5))).toBe('2026-11-27 00:30:05');
    expect(formatShanghaiTime(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01 08:00:00');
  });

  it('escapes every receiptline special character', () => {
    expect(escapeText('a|b{c}d-e=f~g_h"i`j^k\\l')).toBe('a\\|b\\{c\\}d\\-e\\=f\\~g\\_h\\"i\\`j\\^k\\\\l');
  });
});

describe('SVG preview', () => {
  it('is stable for the same receipt and shows the Chinese text', () => {
    const doc = layoutReceipt(sampleReceipt(), 58);
    const a = renderSvg(doc, { paperWidth: 58, id: '20261126330100010042' });
    expect(renderSvg(doc, { paperWidth: 58, id: '20261126330100010042' })).toBe(a);
    expect(a).toMatch(/^<svg width="384px"/);
    expect(a).toContain('receipt-20261126330100010042');
    expect(a).toContain('>合</tspan>');
  });
});
