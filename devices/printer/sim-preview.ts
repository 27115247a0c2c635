import type { Decoded } from './escpos-decoder.ts';

/**
 * SVG picture of decoded ESC/POS output: what a simulated printer put on paper. Text sits on the
 * 12 × 24 dot character grid, raster images (QR codes) are drawn dot for dot, a cut is a dashed
 * line. Pure; turn it into a PNG with src/receipts/preview.ts.
 */
const COL = 12;
const ROW = 24;

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

export function renderDecodedSvg(decoded: Decoded, cpl: number, opts: { stopped?: boolean } = {}): string {
  const width = cpl * COL;
  const parts: string[] = [];
  let y = 0;
  for (const line of decoded.lines) {
    switch (line.kind) {
      case 'feed':
        y += ROW;
        break;
      case 'cut':
        parts.push(`<path d="M0,${y + 6}h${width}" stroke="#000" stroke-dasharray="6 4" fill="none"/>`);
        y += 12;
        break;
      case 'qr':
        parts.push(
          `<text x="${width / 2}" y="${y + ROW}" text-anchor="middle">[QR ${esc(line.data)}]</text>`,
        );
        y += ROW;
        break;
      case 'raster': {
        const { image } = line;
        const left = Math.max(0, Math.floor((width - image.width) / 2));
        let d = '';
        for (let r = 0; r < image.height; r++) {
          let x = 0;
          while (x < image.width) {
            const bit = (xx: number) =>
              ((image.data[r * image.bytesPerRow + (xx >> 3)] ?? 0) >> (7 - (xx & 7))) & 1;
            if (!bit(x)) {
              x++;
              continue;
            }
            const start = x;
            while (x < image.width && bit(x)) x++;
            d += `M${left + start},${y + r}h${x - start}v1h${start - x}z`;
          }
        }
        parts.push(`<path d="${d}" fill="#000"/>`);
        y += image.height;
        break;
      }
      case 'text': {
        const height = Math.max(...line.segments.map((s) => s.height));
        const base = y + ROW * height - 4;
        for (const s of line.segments) {
          let col = s.col;
          const spans: string[] = [];
          for (const ch of s.text) {
            const w = ((ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2) * s.width;
            spans.push(
              `<tspan x="${((col + w / 2) * COL) / s.width}">${esc(ch === ' ' ? '\u00a0' : ch)}</tspan>`,
            );
            col += w;
          }
          const cols = col - s.col;
          if (s.invert) {
            parts.push(
              `<rect x="${s.col * COL}" y="${y}" width="${cols * COL}" height="${ROW * s.height}" fill="#000"/>`,
            );
          }
          const attrs = [
            `transform="scale(${s.width},${s.height})"`,
            `y="${base / s.height}"`,
            s.invert ? 'fill="#fff"' : '',
            s.bold ? 'font-weight="bold"' : '',
            s.underline ? 'text-decoration="underline"' : '',
          ].filter(Boolean);
          parts.push(`<text ${attrs.join(' ')}>${spans.join('')}</text>`);
        }
        y += ROW * height;
        break;
      }
    }
  }
  if (opts.stopped) {
    parts.push(`<text x="${width / 2}" y="${y + ROW}">~~~ 打印中断 / printing stopped ~~~</text>`);
    y += ROW;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 12}" viewBox="0 0 ${width} ${y + 12}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g font-family="monospace, 'Noto Sans Mono CJK SC', Unifont" font-size="22" text-anchor="middle" fill="#000">` +
    `${parts.join('')}</g></svg>\n`
  );
}
