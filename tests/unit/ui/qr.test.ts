import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the touchscreen's plain ES module has no type declarations
import { qrMatrix } from '../../../src/ui/web/qr.js';

/** The decoder is CommonJS; its default export is the function itself. */
const jsQR = jsQRModule as unknown as (
  data: Uint8ClampedArray,
  w: number,
  h: number,
) => { data: string } | null;

/** Draws the modules as an RGBA image (4 px a module, a 4-module quiet zone) for a real decoder. */
function image(m: boolean[][]): { data: Uint8ClampedArray; size: number } {
  const scale = 4;
  const size = (m.length + 8) * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  for (let y = 0; y < m.length; y++) {
    for (let x = 0; x < m.length; x++) {
      if (!m[y]?.[x]) continue;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const i = (((y + 4) * scale + dy) * size + (x + 4) * scale + dx) * 4;
          data[i] = 0;
          data[i + 1] = 0;
          data[i + 2] = 0;
        }
    }
  }
  return { data, size };
}

describe('the serial number QR code on the pending screen', () => {
  it.each(['0000000042', '1234567890', 'https://kiosk.example/q/0000000042', 'A'.repeat(70)])(
    'is read back by an independent decoder: %s',
    (text) => {
      const m = qrMatrix(text) as boolean[][];
      const { data, size } = image(m);
      expect(jsQR(data, size, size)?.data).toBe(text);
    },
  );

  it('refuses a text too long for the small versions', () => {
    expect(() => qrMatrix('x'.repeat(100))).toThrow(RangeError);
  });
});
