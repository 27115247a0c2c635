import iconv from 'iconv-lite';
import { decodeGs } from './escpos-decoder-gs.ts';
import { Machine, TruncatedError } from './escpos-machine.ts';
import type { Decoded } from './escpos-types.ts';

export { printedText, rasterMatrix, renderText } from './escpos-text.ts';
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
 * short (paper out mid-receipt) decodes up to its last complete command with
 * `decodeEscPos(bytes, { partial: true })`. Positions are in printer dots; text is laid out on a
 * grid of 12-dot half-width columns.
 */
export type { Align, Decoded, DecodedLine, RasterImage, Segment } from './escpos-types.ts';

const LF = 0x0a;
const DLE = 0x10;
const FS = 0x1c;
const ESC = 0x1b;
const GS = 0x1d;

/** Box-drawing bytes receiptline sends in code page 1 for rules. */
const RULE_CHARS: Record<number, string> = { 149: '-', 150: '|' };

export function decodeEscPos(input: Uint8Array, opts: { partial?: boolean } = {}): Decoded {
  const m = new Machine(input);
  try {
    while (m.i < input.length) step(m);
  } catch (e) {
    if (!(opts.partial && e instanceof TruncatedError)) throw e;
    m.out.truncated = true;
  }
  m.flushPending();
  return m.out;
}

function step(m: Machine): void {
  const c = m.b[m.i] as number;
  if (c === LF) {
    m.op('LF', 1);
    m.feed();
  } else if (c === ESC) {
    decodeEsc(m);
  } else if (c === FS) {
    decodeFs(m);
  } else if (c === GS) {
    decodeGs(m);
  } else if (c === DLE) {
    m.need(3, 'DLE');
    m.op(`DLE 0x${m.arg(1).toString(16)}`, 3);
  } else if (c < 0x20 || c === 0x7f) {
    throw new Error(`unexpected control byte 0x${c.toString(16)} at offset ${m.i}`);
  } else if (c < 0x80) {
    m.put(String.fromCharCode(c), 1);
    m.i++;
  } else if (m.chinese && c >= 0x81 && c <= 0xfe) {
    const second = m.b[m.i + 1];
    const len = second !== undefined && second >= 0x30 && second <= 0x39 ? 4 : 2;
    m.need(len, 'GB18030 character');
    m.put(iconv.decode(Buffer.from(m.b.slice(m.i, m.i + len)), 'gb18030'), 2);
    m.i += len;
  } else {
    m.put(m.codePage === 1 ? (RULE_CHARS[c] ?? '+') : '?', 1);
    m.i++;
  }
}

function decodeEsc(m: Machine): void {
  m.need(2, 'ESC');
  const k = m.arg(1);
  switch (k) {
    case 0x40: // ESC @
      m.op('ESC @', 2);
      m.reset();
      return;
    case 0x61: // ESC a n
      m.align = (['left', 'center', 'right'] as const)[m.arg(2) % 48] ?? 'left';
      m.op('ESC a', 3);
      return;
    case 0x45: // ESC E n
      m.bold = (m.arg(2) & 1) === 1;
      m.op('ESC E', 3);
      return;
    case 0x2d: // ESC - n
      m.underline = m.arg(2) % 48 !== 0;
      m.op('ESC -', 3);
      return;
    case 0x21: {
      // ESC ! n
      const n = m.arg(2);
      m.bold = (n & 0x08) !== 0;
      m.height = n & 0x10 ? 2 : 1;
      m.width = n & 0x20 ? 2 : 1;
      m.underline = (n & 0x80) !== 0;
      m.op('ESC !', 3);
      return;
    }
    case 0x74: // ESC t n
      m.codePage = m.arg(2);
      m.op('ESC t', 3);
      return;
    case 0x64: {
      // ESC d n
      m.need(3, 'ESC d');
      const n = m.arg(2);
      m.op('ESC d', 3);
      for (let j = 0; j < n; j++) m.feed();
      return;
    }
    case 0x24: // ESC $ nL nH (absolute position)
      m.need(4, 'ESC $');
      m.x = m.leftMargin + (m.arg(2) | (m.arg(3) << 8));
      m.op('ESC $', 4);
      return;
    case 0x5c: {
      // ESC \ nL nH (relative position, signed)
      m.need(4, 'ESC \\');
      const v = m.arg(2) | (m.arg(3) << 8);
      m.x += v >= 0x8000 ? v - 0x10000 : v;
      m.op('ESC \\', 4);
      return;
    }
    case 0x32: // ESC 2
      m.op('ESC 2', 2);
      return;
    case 0x33: // ESC 3 n
    case 0x4d: // ESC M n
    case 0x20: // ESC SP n
    case 0x7b: // ESC { n
    case 0x52: // ESC R n
    case 0x4a: // ESC J n
      m.op(`ESC ${String.fromCharCode(k)}`, 3);
      return;
    default:
      m.unknown(`ESC 0x${k.toString(16)}`);
  }
}

function decodeFs(m: Machine): void {
  m.need(2, 'FS');
  const k = m.arg(1);
  if (k === 0x26) {
    m.chinese = true;
    m.op('FS &', 2);
  } else if (k === 0x2e) {
    m.chinese = false;
    m.op('FS .', 2);
  } else if (k === 0x2d || k === 0x43) {
    // FS - n (Kanji underline), FS C n (character encoding system)
    m.op(`FS ${String.fromCharCode(k)}`, 3);
  } else if (k === 0x53) {
    m.op('FS S', 4); // FS S n1 n2 (Kanji spacing)
  } else if (k === 0x28) {
    m.need(5, 'FS (');
    const len = m.arg(3) | (m.arg(4) << 8);
    m.op(`FS ( ${String.fromCharCode(m.arg(2))}`, 5 + len);
  } else {
    m.unknown(`FS 0x${k.toString(16)}`);
  }
}
