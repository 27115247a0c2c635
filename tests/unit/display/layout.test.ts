import { describe, expect, it } from 'vitest';
import { frameToArt, getPixel, litCount } from '../../../devices/display/frame.ts';
import { bundledFont } from '../../../devices/display/index.ts';
import { buildLayout, paginate } from '../../../devices/display/layout.ts';
import { renderText } from '../../../devices/display/text-render.ts';

const font = bundledFont();
const p = { width: 64, height: 16, scrollPxPerSecond: 32, staticDwellMs: 5000 };

function columnsLit(art: string): number[] {
  const rows = art.split('\n');
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, x) => x).filter((x) => rows.some((r) => r[x] === '#'));
}

describe('layout', () => {
  it('static: centres text that fits, one page for the dwell time', () => {
    const l = buildLayout('static', renderText('AB', font), p);
    expect(l.count).toBe(1);
    expect(l.frameMs).toBe(5000);
    expect(l.durationMs).toBe(5000);
    const lit = columnsLit(frameToArt(l.frameAt(0)));
    expect(Math.min(...lit)).toBeGreaterThanOrEqual(24);
    expect(Math.max(...lit)).toBeLessThan(40);
  });

  it('static: pages break only at glyph boundaries', () => {
    const text = renderText('便民服务亭欢迎', font);
    expect(paginate(text, 64)).toEqual([
      [0, 64],
      [64, 112],
    ]);
    const l = buildLayout('static', text, p);
    expect(l.count).toBe(2);
    expect(l.durationMs).toBe(10_000);
    expect(litCount(l.frameAt(1))).toBe(litCount(renderText('亭欢迎', font).strip));
  });

  it('scroll: enters at the right edge and leaves at the left, 1 px per frame', () => {
    const text = renderText('AB', font);
    const l = buildLayout('scroll', text, p);
    expect(l.count).toBe(64 + 16);
    expect(l.frameMs).toBeCloseTo(1000 / 32);
    const first = columnsLit(frameToArt(l.frameAt(0)));
    expect(first.every((x) => x >= 63)).toBe(true);
    const last = l.frameAt(l.count - 1);
    expect(litCount(last)).toBe(0);
    expect(columnsLit(frameToArt(l.frameAt(63)))[0]).toBeLessThan(8);
  });

  it('auto: static when it fits, scroll otherwise', () => {
    expect(buildLayout('auto', renderText('欢迎', font), p).count).toBe(1);
    expect(buildLayout('auto', renderText('欢迎光临便民服务亭', font), p).count).toBe(64 + 144);
  });

  it('split: label, divider column, body beside it on a 16 px panel', () => {
    const l = buildLayout('split', renderText('停电', font), { ...p, width: 96 }, renderText('紧急', font));
    const f = l.frameAt(0);
    for (let y = 0; y < 16; y++) expect(getPixel(f, 33, y)).toBe(true);
    expect(columnsLit(frameToArt(f)).some((x) => x < 32)).toBe(true);
    expect(columnsLit(frameToArt(f)).some((x) => x > 35)).toBe(true);
    expect(l.count).toBe(1);
    const long = buildLayout(
      'split',
      renderText('今日下午停电请注意安全', font),
      { ...p, width: 96 },
      renderText('紧急', font),
    );
    expect(long.count).toBe(96 - 35 + 11 * 16);
    const mid = long.frameAt(40);
    for (let y = 0; y < 16; y++) expect(getPixel(mid, 33, y)).toBe(true);
    for (let x = 32; x < 35; x++)
      if (x !== 33) for (let y = 0; y < 16; y++) expect(getPixel(mid, x, y)).toBe(false);
  });

  it('split: label row above the body on a 32 px panel', () => {
    const l = buildLayout('split', renderText('停电', font), { ...p, height: 32 }, renderText('紧急', font));
    const rows = frameToArt(l.frameAt(0)).split('\n');
    expect(rows.slice(0, 16).some((r) => r.includes('#'))).toBe(true);
    expect(rows.slice(16).some((r) => r.includes('#'))).toBe(true);
  });

  it('split without room for the body falls back to the whole panel', () => {
    const l = buildLayout('split', renderText('AB', font), { ...p, width: 40 }, renderText('紧急', font));
    expect(litCount(l.frameAt(0))).toBe(litCount(renderText('AB', font).strip));
  });
});
