import { GLYPH_HEIGHT } from './font.ts';
import { blit, createFrame, type Frame, setPixel } from './frame.ts';
import type { RenderedText } from './text-render.ts';

/**
 * Layout: rendered text → a timed sequence of whole-panel frames. Pure; frames are built on demand.
 * - `static`: the text centred; text wider than the panel is split into pages at glyph boundaries,
 *   each page shown for `staticDwellMs`.
 * - `scroll`: the text enters at the right edge and leaves at the left, 1 px per frame at
 *   `scrollPxPerSecond`.
 * - `split`: a fixed label (e.g. 紧急) and the body beside it (panels under 32 px high: label left,
 *   a 1 px divider, body right) or above it (32 px and higher: label row, body row); the body is
 *   static when it fits its area and scrolls otherwise.
 * - `auto`: static when the text fits the panel, scroll otherwise.
 */
export type LayoutMode = 'auto' | 'static' | 'scroll' | 'split';

export interface LayoutParams {
  width: number;
  height: number;
  scrollPxPerSecond: number;
  staticDwellMs: number;
}

export interface Layout {
  /** Number of distinct frame slots in one pass. */
  readonly count: number;
  /** How long each slot stays up, in ms. */
  readonly frameMs: number;
  /** count × frameMs: the time one full pass takes. */
  readonly durationMs: number;
  /** Frame for slot i (0 ≤ i < count); values outside are clamped. */
  frameAt(i: number): Frame;
}

interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Track {
  count: number;
  frameMs: number;
  draw(dst: Frame, i: number): void;
}

const DIVIDER_GAP = 1;

function lineY(region: Region): number {
  return region.y + Math.max(0, Math.floor((region.height - GLYPH_HEIGHT) / 2));
}

/** Greedy pages at glyph boundaries: [startX, endX) of the strip, each at most `width` wide. */
export function paginate(text: RenderedText, width: number): Array<[number, number]> {
  const pages: Array<[number, number]> = [];
  const { breaks } = text;
  let start = 0;
  let last = 0;
  for (let j = 1; j < breaks.length; j++) {
    const b = breaks[j] ?? 0;
    if (b - start > width && last > start) {
      pages.push([start, last]);
      start = last;
    }
    last = b;
  }
  if (last > start || pages.length === 0) pages.push([start, last]);
  return pages;
}

function staticTrack(text: RenderedText, region: Region, dwellMs: number): Track {
  const pages = paginate(text, region.width);
  return {
    count: pages.length,
    frameMs: dwellMs,
    draw(dst, i) {
      const [a, b] = pages[Math.min(Math.max(i, 0), pages.length - 1)] ?? [0, 0];
      const destX = Math.max(region.x, region.x + Math.floor((region.width - (b - a)) / 2));
      const clip = { x: destX, y: region.y, width: Math.min(b - a, region.width), height: region.height };
      blit(dst, text.strip, destX - a, lineY(region), clip);
    },
  };
}

function scrollTrack(text: RenderedText, region: Region, pxPerSecond: number): Track {
  const count = region.width + text.strip.width;
  return {
    count,
    frameMs: 1000 / pxPerSecond,
    draw(dst, i) {
      const k = Math.min(Math.max(i, 0), count - 1);
      blit(dst, text.strip, region.x + region.width - 1 - k, lineY(region), region);
    },
  };
}

function fits(text: RenderedText, region: Region): boolean {
  return text.strip.width <= region.width;
}

function autoTrack(text: RenderedText, region: Region, p: LayoutParams): Track {
  return fits(text, region)
    ? staticTrack(text, region, p.staticDwellMs)
    : scrollTrack(text, region, p.scrollPxPerSecond);
}

function toLayout(p: LayoutParams, lead: Track, decorate: (dst: Frame) => void): Layout {
  return {
    count: lead.count,
    frameMs: lead.frameMs,
    durationMs: lead.count * lead.frameMs,
    frameAt(i) {
      const f = createFrame(p.width, p.height);
      decorate(f);
      lead.draw(f, i);
      return f;
    },
  };
}

export function buildLayout(
  mode: LayoutMode,
  body: RenderedText,
  p: LayoutParams,
  label?: RenderedText,
): Layout {
  const panel: Region = { x: 0, y: 0, width: p.width, height: p.height };
  const none = () => {};
  switch (mode) {
    case 'static':
      return toLayout(p, staticTrack(body, panel, p.staticDwellMs), none);
    case 'scroll':
      return toLayout(p, scrollTrack(body, panel, p.scrollPxPerSecond), none);
    case 'auto':
      return toLayout(p, autoTrack(body, panel, p), none);
    case 'split':
      return splitLayout(body, label, p);
  }
}

function splitLayout(body: RenderedText, label: RenderedText | undefined, p: LayoutParams): Layout {
  const panel: Region = { x: 0, y: 0, width: p.width, height: p.height };
  if (!label || label.strip.width === 0) return toLayout(p, autoTrack(body, panel, p), () => {});
  if (p.height >= 2 * GLYPH_HEIGHT) {
    const top: Region = { x: 0, y: 0, width: p.width, height: GLYPH_HEIGHT };
    const bottom: Region = { x: 0, y: GLYPH_HEIGHT, width: p.width, height: p.height - GLYPH_HEIGHT };
    const labelTrack = staticTrack(label, top, p.staticDwellMs);
    return toLayout(p, autoTrack(body, bottom, p), (f) => labelTrack.draw(f, 0));
  }
  const labelWidth = Math.min(label.strip.width, p.width);
  const dividerX = labelWidth + DIVIDER_GAP;
  const bodyX = dividerX + 1 + DIVIDER_GAP;
  if (p.width - bodyX < GLYPH_HEIGHT) return toLayout(p, autoTrack(body, panel, p), () => {});
  const labelTrack = staticTrack(label, { x: 0, y: 0, width: labelWidth, height: p.height }, p.staticDwellMs);
  const bodyRegion: Region = { x: bodyX, y: 0, width: p.width - bodyX, height: p.height };
  return toLayout(p, autoTrack(body, bodyRegion, p), (f) => {
    labelTrack.draw(f, 0);
    for (let y = 0; y < p.height; y++) setPixel(f, dividerX, y, true);
  });
}
