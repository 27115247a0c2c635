import { describe, expect, it } from 'vitest';
import {
  blit,
  createFrame,
  frameFromArt,
  framesEqual,
  frameToArt,
  frameToHexRows,
  getPixel,
  litCount,
  setPixel,
  strideOf,
} from '../../../devices/display/frame.ts';

describe('frame', () => {
  it('packs rows MSB-first with a byte stride', () => {
    const f = createFrame(10, 2);
    expect(strideOf(10)).toBe(2);
    expect(f.bits.length).toBe(4);
    setPixel(f, 0, 0, true);
    setPixel(f, 9, 1, true);
    expect([...f.bits]).toEqual([0x80, 0x00, 0x00, 0x40]);
    expect(getPixel(f, 9, 1)).toBe(true);
    expect(getPixel(f, 8, 1)).toBe(false);
    setPixel(f, 0, 0, false);
    expect(f.bits[0]).toBe(0);
  });

  it('ignores pixels outside the frame', () => {
    const f = createFrame(8, 1);
    setPixel(f, 8, 0, true);
    setPixel(f, -1, 0, true);
    expect(litCount(f)).toBe(0);
    expect(getPixel(f, 100, 100)).toBe(false);
  });

  it('blits with clipping', () => {
    const src = frameFromArt('###\n###');
    const dst = createFrame(4, 3);
    blit(dst, src, 2, 1, { x: 0, y: 0, width: 3, height: 3 });
    expect(frameToArt(dst)).toBe('....\n..#.\n..#.');
    blit(dst, src, -2, -1);
    expect(frameToArt(dst)).toBe('#...\n..#.\n..#.');
  });

  it('round-trips art and compares', () => {
    const art = '#..#\n.##.\n#..#';
    const f = frameFromArt(art);
    expect(frameToArt(f)).toBe(art);
    expect(framesEqual(f, frameFromArt(art))).toBe(true);
    expect(framesEqual(f, frameFromArt('#..#\n.##.\n#...'))).toBe(false);
    expect(frameToHexRows(f)).toBe('90\n60\n90');
    expect(() => frameFromArt('#.\n#')).toThrow(RangeError);
  });

  it('rejects impossible sizes', () => {
    expect(() => createFrame(-1, 2)).toThrow(RangeError);
    expect(() => createFrame(1.5, 2)).toThrow(RangeError);
  });
});
