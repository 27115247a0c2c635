import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { layoutReceipt } from '../../../src/receipts/layout.ts';
import { findRsvgConvert, writePng } from '../../../src/receipts/preview.ts';
import { renderSvg } from '../../../src/receipts/render.ts';
import { sampleReceipt } from '../../../src/receipts/sample-receipt.ts';

/** PNG previews need Debian's librsvg2-bin (rsvg-convert); CI installs it. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-preview-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('PNG preview', () => {
  it('writes a white-background PNG as wide as the paper', async () => {
    expect(await findRsvgConvert(), 'rsvg-convert (librsvg2-bin) is required').toBeDefined();
    const out = join(dir, 'r.png');
    const svg = renderSvg(layoutReceipt(sampleReceipt(), 80), { paperWidth: 80, id: 'x' });
    expect(await writePng(svg, out)).toBe(true);
    const png = PNG.sync.read(await readFile(out));
    expect(png.width).toBe(576);
    expect(png.height).toBeGreaterThan(600);
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) if ((png.data[i] ?? 255) < 128) dark++;
    expect(dark / (png.width * png.height)).toBeGreaterThan(0.02);
    expect(png.data[0]).toBe(255);
  });

  it('writes nothing and says so when rsvg-convert is not installed', async () => {
    expect(await findRsvgConvert('')).toBeUndefined();
    expect(await findRsvgConvert(dir)).toBeUndefined();
    const path = process.env.PATH;
    process.env.PATH = dir;
    try {
      expect(await writePng('<svg xmlns="http://www.w3.org/2000/svg"/>', join(dir, 'never.png'))).toBe(false);
    } finally {
      process.env.PATH = path;
    }
    expect(existsSync(join(dir, 'never.png'))).toBe(false);
  });

  it('rejects when rsvg-convert cannot read the input', async () => {
    await expect(writePng('not svg', join(dir, 'bad.png'))).rejects.toThrow(/rsvg-convert exited/);
  });
});
