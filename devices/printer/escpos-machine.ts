import type { Align, Decoded, RasterImage, Segment } from './escpos-types.ts';

/** Thrown when the bytes end inside a command. */
export class TruncatedError extends Error {}

const DOT_PER_COL = 12;

/** Half-width columns a segment covers (CJK counts 2), scaled by its width. */
export function segmentCols(s: Segment): number {
  let n = 0;
  for (const ch of s.text) n += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return n * s.width;
}

/**
 * The printer state the decoder walks through the bytes: position, print mode, the line being
 * composed, and the output. Command handlers read arguments with `arg`, consume with `op`.
 */
export class Machine {
  readonly out: Decoded = {
    lines: [],
    ops: [],
    opAt: [],
    images: [],
    qrCodes: [],
    cuts: 0,
    truncated: false,
  };
  i = 0;
  chinese = false;
  codePage = 0;
  bold = false;
  underline = false;
  invert = false;
  width = 1;
  height = 1;
  align: Align = 'left';
  leftMargin = 0;
  /** Dots from the left edge. */
  x = 0;
  stored: RasterImage | undefined;
  qrData: string | undefined;
  private segments: Segment[] = [];

  constructor(readonly b: Uint8Array) {}

  need(n: number, what: string): void {
    if (this.i + n > this.b.length) throw new TruncatedError(`truncated ${what} at offset ${this.i}`);
  }

  arg(k: number): number {
    return this.b[this.i + k] as number;
  }

  /** Records command `name` of `len` bytes at the current offset and moves past it. */
  op(name: string, len: number): void {
    this.need(len, name);
    this.out.ops.push(name);
    this.out.opAt.push(this.i);
    this.i += len;
  }

  unknown(what: string): never {
    throw new Error(`unknown command ${what} at offset ${this.i}`);
  }

  reset(): void {
    this.chinese = false;
    this.codePage = 0;
    this.bold = false;
    this.underline = false;
    this.invert = false;
    this.width = 1;
    this.height = 1;
    this.align = 'left';
    this.leftMargin = 0;
    this.x = 0;
  }

  /** Puts one character `cols` half-width columns wide at the current position. */
  put(ch: string, cols: number): void {
    const col = Math.round(this.x / DOT_PER_COL);
    const last = this.segments[this.segments.length - 1];
    const same =
      last &&
      last.bold === this.bold &&
      last.underline === this.underline &&
      last.invert === this.invert &&
      last.width === this.width &&
      last.height === this.height &&
      last.col + segmentCols(last) === col;
    if (same) last.text += ch;
    else {
      const { bold, underline, invert, width, height } = this;
      this.segments.push({ text: ch, col, bold, underline, invert, width, height });
    }
    this.x += cols * DOT_PER_COL * this.width;
  }

  /** Line feed: prints the composed line (an empty one is a feed). */
  feed(): void {
    this.out.lines.push(
      this.segments.length > 0
        ? { kind: 'text', segments: this.segments, align: this.align }
        : { kind: 'feed' },
    );
    this.segments = [];
    this.x = this.leftMargin;
  }

  /** Prints a pending partial line before something that starts on its own line. */
  flushPending(): void {
    if (this.segments.length > 0) this.feed();
  }

  printImage(image: RasterImage): void {
    this.flushPending();
    this.out.images.push(image);
    this.out.lines.push({ kind: 'raster', image });
  }
}
