import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CPL, layoutReceipt, type PaperWidth } from '../../../src/receipts/layout.ts';
import { encodeEscPos } from '../../../src/receipts/render.ts';
import { sampleReceipt } from '../../../src/receipts/sample-receipt.ts';
import { decodeEscPos, renderText } from '../../support/escpos-decoder.ts';

/**
 * Byte-exact golden files of the sample receipt: tests/golden/printer/<name>.bin is what the
 * printer receives, <name>.txt what the test decoder says it prints. A change in layout,
 * receiptline or iconv-lite shows up here. After a deliberate change, regenerate with
 *   UPDATE_GOLDEN=1 npx vitest run tests/unit/receipts/golden.test.ts
 * and review the .txt diff.
 */
const DIR = fileURLToPath(new URL('../../golden/printer/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';

const CASES: Array<{ name: string; width: PaperWidth; commandSet: 'escpos' | 'generic'; reprint: boolean }> =
  [
    { name: 'receipt-58', width: 58, commandSet: 'escpos', reprint: false },
    { name: 'receipt-80', width: 80, commandSet: 'escpos', reprint: false },
    { name: 'receipt-58-generic-reprint', width: 58, commandSet: 'generic', reprint: true },
  ];

describe.each(CASES)('golden $name', ({ name, width, commandSet, reprint }) => {
  const receipt = sampleReceipt(
    reprint ? { reprint: true, reprintedAt: Date.UTC(2026, 10, 26, 3, 12, 40) } : {},
  );
  const bytes = Buffer.from(
    encodeEscPos(layoutReceipt(receipt, width), {
      paperWidth: width,
      commandSet,
      encoding: 'cp936',
      cut: true,
    }),
  );
  const text = renderText(decodeEscPos(bytes), CPL[width], { styles: true });
  const binPath = `${DIR}${name}.bin`;
  const txtPath = `${DIR}${name}.txt`;
  if (update) {
    writeFileSync(binPath, bytes);
    writeFileSync(txtPath, text);
  }

  it('matches the bytes', () => {
    expect(existsSync(binPath), `${binPath} missing: run with UPDATE_GOLDEN=1`).toBe(true);
    const golden = readFileSync(binPath);
    const firstDiff = bytes.findIndex((b, i) => b !== golden[i]);
    expect({ length: bytes.length, firstDiff }).toEqual({
      length: golden.length,
      firstDiff: bytes.length === golden.length ? -1 : firstDiff,
    });
  });

  it('decodes to the golden text', () => {
    expect(text).toBe(readFileSync(txtPath, 'utf8'));
  });
});
