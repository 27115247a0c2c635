import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeEscPos, printedText, renderText } from '../../support/escpos-decoder.ts';

const bytes = (...parts: Array<number[] | string | Buffer>) =>
  new Uint8Array(
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))),
  );

describe('ESC/POS decoder', () => {
  it('decodes Chinese mode text, alignment, emphasis, sizes and cuts', () => {
    const b = bytes(
      [0x1b, 0x40, 0x1b, 0x61, 0x01, 0x1d, 0x21, 0x11, 0x1b, 0x45, 0x01, 0x1c, 0x26],
      iconv.encode('合计', 'gb18030'),
      [0x0a, 0x1d, 0x21, 0x00, 0x1b, 0x45, 0x00, 0x1c, 0x2e],
      'ABC',
      [0x0a, 0x1b, 0x64, 0x02, 0x1d, 0x56, 0x00],
    );
    const d = decodeEscPos(b);
    expect(d.ops).toEqual([
      'ESC @',
      'ESC a',
      'GS !',
      'ESC E',
      'FS &',
      'LF',
      'GS !',
      'ESC E',
      'FS .',
      'LF',
      'ESC d',
      'GS V',
    ]);
    expect(d.lines[0]).toMatchObject({
      kind: 'text',
      align: 'center',
      segments: [{ text: '合计', bold: true, width: 2, height: 2 }],
    });
    expect(renderText(d, 32, { styles: true })).toBe(
      `合  计  <<bold 2w 2h>>\nABC\n\n\n${'='.repeat(32)} (cut)\n`,
    );
    expect(d.cuts).toBe(1);
  });

  it('decodes 4-byte GB18030 characters in Chinese mode', () => {
    const d = decodeEscPos(bytes([0x1c, 0x26], iconv.encode('䶮€', 'gb18030'), [0x0a]));
    expect(printedText(d)).toBe('䶮€');
  });

  it('reads native QR codes (GS ( k) and ESC ! print modes', () => {
    const data = Buffer.from('SN123');
    const store = [0x1d, 0x28, 0x6b, data.length + 3, 0, 49, 80, 48, ...data];
    const print = [0x1d, 0x28, 0x6b, 3, 0, 49, 81, 48];
    const model = [0x1d, 0x28, 0x6b, 4, 0, 49, 65, 50, 0];
    const d = decodeEscPos(bytes(model, store, print, [0x1b, 0x21, 0x38], 'X', [0x0a]));
    expect(d.qrCodes).toEqual(['SN123']);
    expect(d.lines[0]).toEqual({ kind: 'qr', data: 'SN123' });
    expect(d.lines[1]).toMatchObject({ segments: [{ text: 'X', bold: true, width: 2, height: 2 }] });
  });

  it('skips raster images (GS v 0) with a marker and keeps the bitmap', () => {
    const d = decodeEscPos(
      bytes([0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00, 0xff, 0x00, 0x0a, 0x0b], 'after', [0x0a]),
    );
    expect(renderText(d, 32)).toBe('[raster 16x2 GS v 0]\nafter\n');
    expect(Array.from(d.images[0]?.data ?? [])).toEqual([0xff, 0x00, 0x0a, 0x0b]);
  });

  it('refuses unknown commands and truncated input, unless decoding a partial job', () => {
    expect(() => decodeEscPos(bytes([0x1b, 0x7e, 0x00]))).toThrow(/unknown command ESC 0x7e at offset 0/);
    const cut = bytes('AB', [0x1d, 0x76, 0x30, 0x00, 0x10, 0x00, 0x10]);
    expect(() => decodeEscPos(cut)).toThrow(/truncated/);
    const d = decodeEscPos(cut, { partial: true });
    expect(d.truncated).toBe(true);
    expect(printedText(d)).toBe('AB');
  });
});
