import { describe, expect, it } from 'vitest';
import { frameToArt, litCount } from '../../../devices/display/frame.ts';
import { bundledFont } from '../../../devices/display/index.ts';
import {
  isWideCodePoint,
  prepareLedText,
  renderText,
  replacementGlyph,
} from '../../../devices/display/text-render.ts';

const font = bundledFont();

describe('renderText', () => {
  it('lays half-width and full-width glyphs side by side with their boundaries', () => {
    const r = renderText('A欢 B', font);
    expect(r.strip.width).toBe(8 + 16 + 8 + 8);
    expect(r.strip.height).toBe(16);
    expect(r.breaks).toEqual([0, 8, 24, 32, 40]);
    expect(r.missing).toEqual([]);
  });

  it('draws a visible box for characters the font lacks, never throwing', () => {
    const r = renderText('鑫😀x', font);
    expect(r.missing).toEqual([0x946b, 0x1f600]);
    expect(r.strip.width).toBe(16 + 16 + 8);
    const box = frameToArt(replacementGlyph(true)).split('\n');
    expect(
      frameToArt(r.strip)
        .split('\n')
        .map((l) => l.slice(0, 16)),
    ).toEqual(box);
    expect(litCount(replacementGlyph(false))).toBeGreaterThan(20);
  });

  it('renders nothing for empty text', () => {
    const r = renderText('', font);
    expect(r.strip.width).toBe(0);
    expect(r.breaks).toEqual([0]);
  });

  it('sizes boxes by East Asian width', () => {
    expect(isWideCodePoint(0x4e00)).toBe(true);
    expect(isWideCodePoint(0xff01)).toBe(true);
    expect(isWideCodePoint(0x00e9)).toBe(false);
  });
});

describe('prepareLedText', () => {
  it('masks mobile and card numbers for a public sign', () => {
    expect(prepareLedText('请 13800138000 到窗口取票')).toBe('请 138****8000 到窗口取票');
    expect(prepareLedText('卡号6222021234567890123已激活')).toBe('卡号622202*********0123已激活');
    expect(prepareLedText('电话 0571-88886666 营业')).toBe('电话 0571-88886666 营业');
  });

  it('turns control characters and line breaks into spaces and trims', () => {
    expect(prepareLedText('\n第一行\r\n第二行\t\u0007 ')).toBe('第一行  第二行');
  });
});
