import { createRequire } from 'node:module';
import type { PNG as PngImage } from 'pngjs';
import { type Frame, getPixel } from './frame.ts';

/**
 * pngjs, loaded on the first PNG asked for: only the simulator's picture file and the local API's
 * sign preview draw one, so a kiosk driving a real sign never carries the encoder.
 */
let pngClass: typeof PngImage | undefined;
function pngjs(): typeof PngImage {
  pngClass ??= (createRequire(import.meta.url)('pngjs') as { PNG: typeof PngImage }).PNG;
  return pngClass;
}

/**
 * The frame as terminal text: two LED rows per line with Unicode half blocks, lit LEDs in red.
 * `brightness` (0–100) only picks between a dim and a bright red.
 */
export function frameToAnsi(f: Frame, brightness = 100): string {
  const color = brightness >= 50 ? '\x1b[91m' : '\x1b[31m';
  const lines: string[] = [];
  for (let y = 0; y < f.height; y += 2) {
    let line = color;
    for (let x = 0; x < f.width; x++) {
      const top = getPixel(f, x, y);
      const bottom = getPixel(f, x, y + 1);
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(`${line}\x1b[0m`);
  }
  return lines.join('\n');
}

/**
 * The frame as a PNG that looks like the sign: each LED a `scale`×`scale` dot (with a 1 px dark
 * gap when scale ≥ 3), lit LEDs red scaled by brightness, dark LEDs a dim red-brown.
 */
export function frameToPng(f: Frame, scale = 4, brightness = 100): Buffer {
  const PNG = pngjs();
  const png = new PNG({ width: f.width * scale, height: f.height * scale });
  const lit = Math.round(80 + (175 * Math.min(100, Math.max(0, brightness))) / 100);
  const gap = scale >= 3 ? 1 : 0;
  for (let py = 0; py < png.height; py++) {
    for (let px = 0; px < png.width; px++) {
      const inGap = px % scale >= scale - gap || py % scale >= scale - gap;
      const on = !inGap && getPixel(f, Math.floor(px / scale), Math.floor(py / scale));
      const i = (py * png.width + px) * 4;
      png.data[i] = inGap ? 0 : on ? lit : 40;
      png.data[i + 1] = inGap ? 0 : on ? 24 : 8;
      png.data[i + 2] = inGap ? 0 : on ? 16 : 8;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
