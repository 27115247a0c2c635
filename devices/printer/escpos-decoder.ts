import iconv from 'iconv-lite';

/**
 * A small ESC/POS interpreter: what would a 203 dpi thermal printer print from these bytes? Pure
 * (bytes in, data out). The simulator uses it for its previews; the tests use it (through
 * tests/support/escpos-decoder.ts) to check what a printer would print, independently of the
 * receiptline encoder.
 *
 * Covers the commands receiptline emits (escpos and generic command sets) plus a few common ones:
 * ESC @, ESC a, ESC E, ESC -, ESC !, ESC t, ESC d, ESC $, ESC \, GS !, GS B, GS L, GS W,
 * FS & / FS . (Chinese mode, GB18030), GS V (cut), GS ( k (native QR), GS 8 L + GS ( L and GS v 0
 * (raster images, kept as bitmaps and shown as a marker line), GS r (status request), DLE, LF.
 *
 * Strict: an unknown command throws with its offset, so unexpected bytes fail a test. A job cut
 * short (paper out mid-receipt) decodes up to its last complete command with `decodeEscPos(b,
 * { partial: true })`. Positions are in printer dots; text is laid out on a grid of 12-dot
 * half-width columns.
 */
export interface Segment {
  text: string;
  /** Column of the first character (12-dot units from the left edge). */
  col: number;
  bold: boolean;
  underline: boolean;
  invert: boolean;
  /** Character scale, 1–8. */
  width: number;
  height: number;
}

export type DecodedLine =
  | { kind: 'text'; segments: Segment[]; align: Align }
  | { kind: 'raster'; image: RasterImage }
  | { kind: 'qr'; data: string }
  | { kind: 'cut'; partial: boolean }
  | { kind: 'feed' };

export type Align = 'left' | 'center' | 'right';

export interface RasterImage {
  command: 'GS v 0' | 'GS 8 L';
  /** Width and height in dots. */
  width: number;
  height: number;
  bytesPerRow: number;
  /** Rows top to bottom, MSB = leftmost dot, 1 = black. */
  data: Uint8Array;
}

export interface Decoded {
  lines: DecodedLine[];
  /** Command names in order (e.g. 'ESC @', 'FS &', 'GS V'), for asserting what was sent. */
  ops: string[];
  /** Byte offset of each entry of `ops`. */
  opAt: number[];
  images: RasterImage[];
  /** Data of native QR codes (GS ( k). */
  qrCodes: string[];
  cuts: number;
  /** True when the bytes ended inside a command (decoded with `partial`). */
  truncated: boolean;
}

class TruncatedError extends Error {}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;
const DLE = 0x10;

const DOT_PER_COL = 12;

/** Box-drawing bytes receiptline sends in code page 1 for rules. */
const RULE_CHARS: Record<number, string> = {
  144: '+',
  145: '+',
  146: '+',
  147: '+',
  149: '-',
  150: '|',
  152: '+',
  153: '+',
  154: '+',
  155: '+',
  156: '+',
  157: '+',
  158: '+',
  159: '+',
  143: '+',
};

function isGbLead(b: number): boolean {
  return b >= 0x81 && b <= 0xfe;
}

export function decodeEscPos(input: Uint8Array, opts: { partial?: boolean } = {}): Decoded {
  const b = input;
  const out: Decoded = { lines: [], ops: [], opAt: [], images: [], qrCodes: [], cuts: 0, truncated: false };
  let i = 0;
  let chinese = false;
  let codePage = 0;
  let bold = false;
  let underline = false;
  let invert = false;
  let width = 1;
  let height = 1;
  let align: Align = 'left';
  let leftMargin = 0;
  let x = 0; // dots from the left edge
  let segments: Segment[] = [];
  let stored: RasterImage | undefined;
  let qrData: string | undefined;

  const need = (n: number, what: string) => {
    if (i + n > b.length) throw new TruncatedError(`truncated ${what} at offset ${i}`);
  };
  const arg = (k: number) => b[i + k] as number;
  const op = (name: string, len: number) => {
    need(len, name);
    out.ops.push(name);
    out.opAt.push(i);
    i += len;
  };
  const resetStyle = () => {
    chinese = false;
    codePage = 0;
    bold = false;
    underline = false;
    invert = false;
    width = 1;
    height = 1;
    align = 'left';
    leftMargin = 0;
    x = 0;
  };
  const put = (ch: string, cols: number) => {
    const col = Math.round(x / DOT_PER_COL);
    const last = segments[segments.length - 1];
    const same =
      last &&
      last.bold === bold &&
      last.underline === underline &&
      last.invert === invert &&
      last.width === width &&
      last.height === height &&
      last.col + textCols(last) === col;
    if (same) last.text += ch;
    else segments.push({ text: ch, col, bold, underline, invert, width, height });
    x += cols * DOT_PER_COL * width;
  };
  const flush = () => {
    out.lines.push(segments.length > 0 ? { kind: 'text', segments, align } : { kind: 'feed' });
    segments = [];
    x = leftMargin;
  };

  try {
    decodeAll();
  } catch (e) {
    if (!(opts.partial && e instanceof TruncatedError)) throw e;
    out.truncated = true;
  }
  flushIfPending();
  return out;

  function decodeAll() {
    while (i < b.length) {
      const c = b[i] as number;
      if (c === LF) {
        out.ops.push('LF');
        out.opAt.push(i);
        i++;
        flush();
      } else if (c === ESC) {
        need(2, 'ESC');
        const k = arg(1);
        switch (k) {
          case 0x40: // ESC @
            op('ESC @', 2);
            resetStyle();
            break;
          case 0x61: // ESC a n
            align = (['left', 'center', 'right'] as const)[arg(2) % 48] ?? 'left';
            op('ESC a', 3);
            break;
          case 0x45: // ESC E n
            bold = (arg(2) & 1) === 1;
            op('ESC E', 3);
            break;
          case 0x2d: // ESC - n
            underline = arg(2) % 48 !== 0;
            op('ESC -', 3);
            break;
          case 0x21: {
            // ESC ! n
            const n = arg(2);
            bold = (n & 0x08) !== 0;
            height = n & 0x10 ? 2 : 1;
            width = n & 0x20 ? 2 : 1;
            underline = (n & 0x80) !== 0;
            op('ESC !', 3);
            break;
          }
          case 0x74: // ESC t n
            codePage = arg(2);
            op('ESC t', 3);
            break;
          case 0x64: // ESC d n
            need(3, 'ESC d');
            for (let n = 0; n < arg(2); n++) flush();
            op('ESC d', 3);
            break;
          case 0x24: // ESC $ nL nH (absolute)
            need(4, 'ESC $');
            x = leftMargin + (arg(2) | (arg(3) << 8));
            op('ESC $', 4);
            break;
          case 0x5c: {
            // ESC \ nL nH (relative, signed)
            need(4, 'ESC \\');
            const v = arg(2) | (arg(3) << 8);
            x += v >= 0x8000 ? v - 0x10000 : v;
            op('ESC \\', 4);
            break;
          }
          case 0x32: // ESC 2
            op('ESC 2', 2);
            break;
          case 0x33: // ESC 3 n
          case 0x4d: // ESC M n
          case 0x20: // ESC SP n
          case 0x7b: // ESC { n
          case 0x52: // ESC R n
          case 0x4a: // ESC J n
            op(`ESC ${String.fromCharCode(k)}`, 3);
            break;
          default:
            throw new Error(`unknown command ESC 0x${k.toString(16)} at offset ${i}`);
        }
      } else if (c === FS) {
        need(2, 'FS');
        const k = arg(1);
        if (k === 0x26) {
          chinese = true;
          op('FS &', 2);
        } else if (k === 0x2e) {
          chinese = false;
          op('FS .', 2);
        } else if (k === 0x2d || k === 0x43) {
          // FS - n (Kanji underline), FS C n (character encoding system)
          op(`FS ${String.fromCharCode(k)}`, 3);
        } else if (k === 0x53) {
          op('FS S', 4); // FS S n1 n2 (Kanji spacing)
        } else if (k === 0x28) {
          need(5, 'FS (');
          const len = arg(3) | (arg(4) << 8);
          op(`FS ( ${String.fromCharCode(arg(2))}`, 5 + len);
        } else {
          throw new Error(`unknown command FS 0x${k.toString(16)} at offset ${i}`);
        }
      } else if (c === GS) {
        need(2, 'GS');
        const k = arg(1);
        switch (k) {
          case 0x21: {
            // GS ! n
            const n = arg(2);
            width = ((n >> 4) & 7) + 1;
            height = (n & 7) + 1;
            op('GS !', 3);
            break;
          }
          case 0x42: // GS B n
            invert = (arg(2) & 1) === 1;
            op('GS B', 3);
            break;
          case 0x4c: // GS L nL nH
            need(4, 'GS L');
            leftMargin = arg(2) | (arg(3) << 8);
            x = leftMargin;
            op('GS L', 4);
            break;
          case 0x57: // GS W nL nH
            op('GS W', 4);
            break;
          case 0x61: // GS a n
          case 0x72: // GS r n
          case 0x68: // GS h n
          case 0x77: // GS w n
          case 0x48: // GS H n
            op(`GS ${String.fromCharCode(k)}`, 3);
            break;
          case 0x56: {
            // GS V m [n]
            need(3, 'GS V');
            const m = arg(2);
            const withN = m >= 65;
            flushIfPending();
            out.lines.push({
              kind: 'cut',
              partial: m === 1 || m === 49 || m === 66 || m === 98 || m === 104,
            });
            out.cuts++;
            op('GS V', withN ? 4 : 3);
            break;
          }
          case 0x76: {
            // GS v 0 m xL xH yL yH d1...dk
            need(8, 'GS v 0');
            const bytesPerRow = arg(4) | (arg(5) << 8);
            const rows = arg(6) | (arg(7) << 8);
            need(8 + bytesPerRow * rows, 'GS v 0 data');
            const image: RasterImage = {
              command: 'GS v 0',
              width: bytesPerRow * 8,
              height: rows,
              bytesPerRow,
              data: b.slice(i + 8, i + 8 + bytesPerRow * rows),
            };
            printImage(image);
            op('GS v 0', 8 + bytesPerRow * rows);
            break;
          }
          case 0x38: {
            // GS 8 L p1 p2 p3 p4 m fn a bx by c xL xH yL yH d1...dk
            need(7, 'GS 8 L');
            const len = arg(3) | (arg(4) << 8) | (arg(5) << 16) | (arg(6) << 24);
            need(7 + len, 'GS 8 L data');
            if (arg(8) !== 112) throw new Error(`GS 8 L function ${arg(8)} not supported at offset ${i}`);
            const w = arg(13) | (arg(14) << 8);
            const h = arg(15) | (arg(16) << 8);
            const bytesPerRow = (w + 7) >> 3;
            stored = {
              command: 'GS 8 L',
              width: w,
              height: h,
              bytesPerRow,
              data: b.slice(i + 17, i + 17 + bytesPerRow * h),
            };
            op('GS 8 L', 7 + len);
            break;
          }
          case 0x28: {
            // GS ( X pL pH ...
            need(5, 'GS (');
            const fnClass = arg(2);
            const len = arg(3) | (arg(4) << 8);
            need(5 + len, 'GS ( data');
            if (fnClass === 0x4c) {
              // GS ( L: fn 50 prints the stored graphics
              if (arg(6) === 50 && stored) printImage(stored);
              op('GS ( L', 5 + len);
            } else if (fnClass === 0x6b) {
              // GS ( k: cn 49 = QR; fn 80 stores data, fn 81 prints it
              const cn = arg(5);
              const fn = arg(6);
              if (cn === 49 && fn === 80)
                qrData = Buffer.from(b.slice(i + 8, i + 5 + len)).toString('latin1');
              if (cn === 49 && fn === 81 && qrData !== undefined) {
                flushIfPending();
                out.qrCodes.push(qrData);
                out.lines.push({ kind: 'qr', data: qrData });
              }
              op('GS ( k', 5 + len);
            } else {
              throw new Error(`unknown command GS ( 0x${fnClass.toString(16)} at offset ${i}`);
            }
            break;
          }
          case 0x6b: {
            // GS k m n d1..dn (barcode, function B only)
            need(4, 'GS k');
            if (arg(2) < 65) throw new Error(`GS k function A not supported at offset ${i}`);
            op('GS k', 4 + arg(3));
            break;
          }
          default:
            throw new Error(`unknown command GS 0x${k.toString(16)} at offset ${i}`);
        }
      } else if (c === DLE) {
        need(3, 'DLE');
        op(`DLE 0x${arg(1).toString(16)}`, 3);
      } else if (c < 0x20 || c === 0x7f) {
        throw new Error(`unexpected control byte 0x${c.toString(16)} at offset ${i}`);
      } else if (c < 0x80) {
        put(String.fromCharCode(c), 1);
        i++;
      } else if (chinese && isGbLead(c)) {
        const second = b[i + 1];
        const four = second !== undefined && second >= 0x30 && second <= 0x39;
        const len = four ? 4 : 2;
        need(len, 'GB18030 character');
        put(iconv.decode(Buffer.from(b.slice(i, i + len)), 'gb18030'), 2);
        i += len;
      } else {
        put(codePage === 1 ? (RULE_CHARS[c] ?? '?') : '?', 1);
        i++;
      }
    }
  }

  function flushIfPending() {
    if (segments.length > 0) flush();
  }
  function printImage(image: RasterImage) {
    flushIfPending();
    out.images.push(image);
    out.lines.push({ kind: 'raster', image });
  }
}

function textCols(s: Segment): number {
  let n = 0;
  for (const ch of s.text) n += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return n * s.width;
}

/**
 * Plain-text rendering: text on a grid of `cpl` columns (wide scale pads with spaces), raster
 * images as `[raster WxH GS 8 L]`, native QR codes as `[QR data]`, cuts as a rule of `=`.
 * With `styles`, a line that has bold, inverted, underlined or scaled text ends with `  <<...>>`.
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

function textWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return n;
}

/** All printed text joined (no layout): for `includes` checks across wrapped lines. */
export function printedText(decoded: Decoded): string {
  return decoded.lines.map((l) => (l.kind === 'text' ? l.segments.map((s) => s.text).join('') : '')).join('');
}

/** The raster image as a 0/1 matrix (rows of dots), for checking QR codes and rules. */
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
