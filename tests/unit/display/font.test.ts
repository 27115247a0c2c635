import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeHexGlyph,
  HexFont,
  layeredFont,
  loadUnifontHex,
  parseUnifontHex,
} from '../../../devices/display/font.ts';
import { frameToArt } from '../../../devices/display/frame.ts';
import { bundledFont } from '../../../devices/display/index.ts';

const UNIFONT = '/usr/share/unifont/unifont.hex';

describe('Unifont .hex', () => {
  it('parses 8×16 and 16×16 glyphs and skips malformed lines', () => {
    const text = [
      '0041:0000000018242442427E424242420000',
      'garbage line',
      '6B22:00800080FC8004FC050449082A401440104028A024A045108110020804040802',
      '0042:1234',
      'ZZZZ:0000000018242442427E424242420000',
      '',
    ].join('\n');
    const m = parseUnifontHex(text);
    expect([...m.keys()].sort((x, y) => x - y)).toEqual([0x41, 0x6b22]);
    const a = decodeHexGlyph(m.get(0x41) ?? '');
    expect(a.width).toBe(8);
    expect(frameToArt(a).split('\n').slice(4, 8)).toEqual(['...##...', '..#..#..', '..#..#..', '.#....#.']);
    expect(decodeHexGlyph(m.get(0x6b22) ?? '').width).toBe(16);
  });

  it('layers fonts, first one wins', () => {
    const a = new HexFont(parseUnifontHex('0041:0000000018242442427E424242420000'));
    const b = new HexFont(
      parseUnifontHex('0041:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF\n0042:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF'),
    );
    const f = layeredFont(a, b);
    expect(f.glyph(0x41)?.bits[0]).toBe(0);
    expect(f.glyph(0x42)?.bits[0]).toBe(0xff);
    expect(f.glyph(0x43)).toBeUndefined();
  });

  it('bundles the default slogans and ASCII, identical to the system Unifont', async () => {
    const bundled = bundledFont();
    const full = await loadUnifontHex(UNIFONT);
    expect(full.size).toBeGreaterThan(50_000);
    for (const ch of '欢迎光临 便民服务亭紧急续报Az09') {
      const cp = ch.codePointAt(0) ?? 0;
      expect(bundled.glyph(cp), ch).toBeDefined();
      expect(bundled.glyph(cp)?.bits).toEqual(full.glyph(cp)?.bits);
    }
    expect(full.glyph('鑫'.codePointAt(0) ?? 0)?.width).toBe(16);
  });

  it('reports an unreadable file as an error the caller can fall back from', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'font-'));
    try {
      await expect(loadUnifontHex(join(dir, 'missing.hex'))).rejects.toThrow(/ENOENT/);
      await writeFile(join(dir, 'broken.hex'), '\u0000\u0001 not a font');
      expect((await loadUnifontHex(join(dir, 'broken.hex'))).size).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
