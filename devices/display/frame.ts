/**
 * A 1-bit frame: `height` rows of `stride = ceil(width / 8)` bytes, row-major, the most
 * significant bit of each byte is the leftmost pixel, 1 = LED on. The same packing goes on the
 * wire (docs/led-serial-protocol.md). Frames are values: functions here return new frames.
 */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly bits: Uint8Array;
}

export function strideOf(width: number): number {
  return (width + 7) >> 3;
}

export function createFrame(width: number, height: number): Frame {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`bad frame size ${width}×${height}`);
  }
  return { width, height, bits: new Uint8Array(strideOf(width) * height) };
}

export function getPixel(f: Frame, x: number, y: number): boolean {
  if (x < 0 || y < 0 || x >= f.width || y >= f.height) return false;
  return ((f.bits[y * strideOf(f.width) + (x >> 3)] ?? 0) & (0x80 >> (x & 7))) !== 0;
}

/** Mutates `f`; only for building a frame that is not yet shared. Out-of-range pixels are ignored. */
export function setPixel(f: Frame, x: number, y: number, on: boolean): void {
  if (x < 0 || y < 0 || x >= f.width || y >= f.height) return;
  const i = y * strideOf(f.width) + (x >> 3);
  const mask = 0x80 >> (x & 7);
  f.bits[i] = on ? (f.bits[i] ?? 0) | mask : (f.bits[i] ?? 0) & ~mask;
}

/**
 * Copies `src` into `dst` (mutated) with src's top-left at (dx, dy), clipped to `clip`
 * (a rectangle of dst, the whole of dst by default). Lit source pixels are OR-ed in.
 */
export function blit(
  dst: Frame,
  src: Frame,
  dx: number,
  dy: number,
  clip: { x: number; y: number; width: number; height: number } = {
    x: 0,
    y: 0,
    width: dst.width,
    height: dst.height,
  },
): void {
  const x0 = Math.max(clip.x, dx, 0);
  const y0 = Math.max(clip.y, dy, 0);
  const x1 = Math.min(clip.x + clip.width, dx + src.width, dst.width);
  const y1 = Math.min(clip.y + clip.height, dy + src.height, dst.height);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (getPixel(src, x - dx, y - dy)) setPixel(dst, x, y, true);
    }
  }
}

export function framesEqual(a: Frame, b: Frame): boolean {
  if (a.width !== b.width || a.height !== b.height || a.bits.length !== b.bits.length) return false;
  for (let i = 0; i < a.bits.length; i++) if (a.bits[i] !== b.bits[i]) return false;
  return true;
}

export function litCount(f: Frame): number {
  let n = 0;
  for (const byte of f.bits) {
    let v = byte;
    while (v) {
      n += v & 1;
      v >>= 1;
    }
  }
  return n;
}

/** Text art, one line per row, `#` lit and `.` dark; the golden-file format. */
export function frameToArt(f: Frame): string {
  const lines: string[] = [];
  for (let y = 0; y < f.height; y++) {
    let line = '';
    for (let x = 0; x < f.width; x++) line += getPixel(f, x, y) ? '#' : '.';
    lines.push(line);
  }
  return lines.join('\n');
}

/** Inverse of frameToArt; every line must have the same length and only `#` and `.`. */
export function frameFromArt(art: string): Frame {
  const lines = art.split('\n').filter((l) => l.length > 0);
  const width = lines[0]?.length ?? 0;
  const f = createFrame(width, lines.length);
  lines.forEach((line, y) => {
    if (line.length !== width || /[^#.]/.test(line)) throw new RangeError(`bad art line ${y + 1}`);
    for (let x = 0; x < width; x++) if (line[x] === '#') setPixel(f, x, y, true);
  });
  return f;
}

/** Packed bytes as hex, one row per line; compact form for logs and goldens of wide frames. */
export function frameToHexRows(f: Frame): string {
  const stride = strideOf(f.width);
  const rows: string[] = [];
  for (let y = 0; y < f.height; y++) {
    rows.push(Buffer.from(f.bits.subarray(y * stride, (y + 1) * stride)).toString('hex'));
  }
  return rows.join('\n');
}
