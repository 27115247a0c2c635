import type { Decoded, RasterImage } from './escpos-types.ts';

function textWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return n;
}

/**
 * Plain-text rendering of decoded ESC/POS: text on a grid of `cpl` columns (wide scale pads with
 * spaces), raster images as `[raster WxH GS 8 L]`, native QR codes as `[QR data]`, cuts as a rule
 * of `=`. With `styles`, a line with bold, inverted, underlined or scaled text ends with `  <<...>>`.
 */
export function renderText(decoded: Decoded, cpl: number, opts: { styles?: boolean } = {}): string {
  const lines: string[] = [];
  for (const line of decoded.lines) {
    switch (line.kind) {
      case 'feed':
        lines.push('');
        break;
      case 'cut':
        lines.push('='.repeat(cpl) + (line.partial ? ' (partial cut)' : ' (cut)'));
        break;
      case 'qr':
        lines.push(`[QR ${line.data}]`);
        break;
      case 'raster':
        lines.push(`[raster ${line.image.width}x${line.image.height} ${line.image.command}]`);
        break;
      case 'text': {
        let s = '';
        const styles = new Set<string>();
        for (const seg of line.segments) {
          const at = textWidth(s);
          if (at < seg.col) s += ' '.repeat(seg.col - at);
          for (const ch of seg.text) s += ch + ' '.repeat(textWidth(ch) * (seg.width - 1));
          if (seg.bold) styles.add('bold');
          if (seg.invert) styles.add('invert');
          if (seg.underline) styles.add('underline');
          if (seg.width > 1) styles.add(`${seg.width}w`);
          if (seg.height > 1) styles.add(`${seg.height}h`);
        }
        s = s.replace(/ +$/, '');
        lines.push(opts.styles && styles.size > 0 ? `${s}  <<${[...styles].join(' ')}>>` : s);
        break;
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** All printed text joined (no layout): for `includes` checks across wrapped lines. */
export function printedText(decoded: Decoded): string {
  return decoded.lines.map((l) => (l.kind === 'text' ? l.segments.map((s) => s.text).join('') : '')).join('');
}

/** A raster image as a 0/1 matrix (rows of dots), for reading QR codes back. */
export function rasterMatrix(image: RasterImage): number[][] {
  const rows: number[][] = [];
  for (let y = 0; y < image.height; y++) {
    const row: number[] = [];
    for (let x = 0; x < image.width; x++) {
      const byte = image.data[y * image.bytesPerRow + (x >> 3)] ?? 0;
      row.push((byte >> (7 - (x & 7))) & 1);
    }
    rows.push(row);
  }
  return rows;
}
