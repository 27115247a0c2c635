import { maskCard, maskPhone } from '../../src/core/mask.ts';
import { type BitmapFont, GLYPH_HEIGHT } from './font.ts';
import { blit, createFrame, type Frame, setPixel } from './frame.ts';

/** A line of text rendered into one strip 16 px high, with the x of every glyph boundary. */
export interface RenderedText {
  strip: Frame;
  /** Glyph boundaries, ascending, from 0 to strip.width; pages may only break here. */
  breaks: number[];
  /** Code points that had no glyph and were drawn as a replacement box. */
  missing: number[];
}

/**
 * Text as it may appear on a public sign: control characters and line breaks become spaces,
 * surrounding space is trimmed, and mobile and bank-card numbers are masked (138****8000).
 */
export function prepareLedText(text: string): string {
  const visible = Array.from(text, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    return cp < 0x20 || cp === 0x7f ? ' ' : ch;
  }).join('');
  return visible
    .trim()
    .replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskPhone(m))
    .replace(/(?<!\d)\d{15,19}(?!\d)/g, (m) => maskCard(m));
}

/**
 * Whether a code point is full-width (16 px) when the font has no glyph for it: CJK, Hangul, kana,
 * full-width forms and everything astral. Used only to size the replacement box.
 */
export function isWideCodePoint(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    cp > 0xffff
  );
}

/** A hollow box 8×16 or 16×16 with one dark pixel of margin: the visible "missing glyph" mark. */
export function replacementGlyph(wide: boolean): Frame {
  const w = wide ? 16 : 8;
  const g = createFrame(w, GLYPH_HEIGHT);
  for (let x = 1; x < w - 1; x++) {
    setPixel(g, x, 1, true);
    setPixel(g, x, GLYPH_HEIGHT - 2, true);
  }
  for (let y = 1; y < GLYPH_HEIGHT - 1; y++) {
    setPixel(g, 1, y, true);
    setPixel(g, w - 2, y, true);
  }
  return g;
}

/** Renders one line left to right. Never throws on unknown characters: they become boxes. */
export function renderText(text: string, font: BitmapFont): RenderedText {
  const glyphs: Frame[] = [];
  const missing: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0xfffd;
    const g = font.glyph(cp);
    if (g) {
      glyphs.push(g);
    } else {
      missing.push(cp);
      glyphs.push(replacementGlyph(isWideCodePoint(cp)));
    }
  }
  const width = glyphs.reduce((n, g) => n + g.width, 0);
  const strip = createFrame(width, GLYPH_HEIGHT);
  const breaks = [0];
  let x = 0;
  for (const g of glyphs) {
    blit(strip, g, x, 0);
    x += g.width;
    breaks.push(x);
  }
  return { strip, breaks, missing };
}
