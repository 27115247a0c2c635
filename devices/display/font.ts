import { readFile } from 'node:fs/promises';
import { createFrame, type Frame } from './frame.ts';

/** Every glyph is 16 px high; half-width glyphs are 8 px wide, full-width (CJK) glyphs 16 px. */
export const GLYPH_HEIGHT = 16;

/** A bitmap font; glyphs are frames `width`×16. `undefined` when the font has no such glyph. */
export interface BitmapFont {
  glyph(codePoint: number): Frame | undefined;
  /** Number of glyphs available, for diagnostics. */
  readonly size: number;
}

/**
 * Parses the GNU Unifont `.hex` format: one glyph per line, four to six hex digits of the code point and a colon, then 32 hex
 * digits (8×16) or 64 hex digits (16×16), rows top to bottom, MSB leftmost. Malformed lines and
 * sizes other than 8×16/16×16 are skipped, so a damaged file degrades to replacement boxes.
 */
export function parseUnifontHex(text: string, keep?: (codePoint: number) => boolean): Map<number, string> {
  const out = new Map<number, string>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', start);
    if (colon > start && colon < end) {
      const cp = Number.parseInt(text.slice(start, colon), 16);
      const hex = text.slice(colon + 1, end).trim();
      if (Number.isFinite(cp) && (hex.length === 32 || hex.length === 64) && /^[0-9A-Fa-f]+$/.test(hex)) {
        if (!keep || keep(cp)) out.set(cp, hex);
      }
    }
    start = end + 1;
  }
  return out;
}

/** Decodes one `.hex` bitmap (32 or 64 hex digits) to a frame 8×16 or 16×16. */
export function decodeHexGlyph(hex: string): Frame {
  const width = hex.length === 64 ? 16 : 8;
  const f = createFrame(width, GLYPH_HEIGHT);
  const bytes = Buffer.from(hex, 'hex');
  f.bits.set(bytes.subarray(0, f.bits.length));
  return f;
}

/** A font over parsed `.hex` entries; glyph frames are decoded on first use and cached. */
export class HexFont implements BitmapFont {
  private readonly cache = new Map<number, Frame>();
  constructor(private readonly entries: Map<number, string>) {}

  get size(): number {
    return this.entries.size;
  }

  glyph(codePoint: number): Frame | undefined {
    const cached = this.cache.get(codePoint);
    if (cached) return cached;
    const hex = this.entries.get(codePoint);
    if (hex === undefined) return undefined;
    const g = decodeHexGlyph(hex);
    this.cache.set(codePoint, g);
    return g;
  }
}

/** The first font that has a glyph wins. */
export function layeredFont(...fonts: BitmapFont[]): BitmapFont {
  return {
    get size() {
      return Math.max(0, ...fonts.map((f) => f.size));
    },
    glyph(cp) {
      for (const f of fonts) {
        const g = f.glyph(cp);
        if (g) return g;
      }
      return undefined;
    },
  };
}

/**
 * Reads a Unifont `.hex` file. Keeps the Basic Multilingual Plane only (the sign shows Chinese,
 * ASCII and punctuation). Rejects with the fs error when the file cannot be read.
 */
export async function loadUnifontHex(path: string): Promise<HexFont> {
  const text = await readFile(path, 'latin1');
  return new HexFont(parseUnifontHex(text, (cp) => cp <= 0xffff));
}
