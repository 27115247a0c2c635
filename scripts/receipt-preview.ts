/**
 * Writes a preview of the sample Chinese receipt.
 *
 *   npx tsx scripts/receipt-preview.ts out.png [--width 58|80] [--reprint] [--zoom 1]
 *
 * A path ending in .svg gets the SVG itself; anything else a PNG through rsvg-convert
 * (Debian package librsvg2-bin; Chinese glyphs from the `unifont` font package).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { layoutReceipt, type PaperWidth } from '../src/receipts/layout.ts';
import { writePng } from '../src/receipts/preview.ts';
import { renderSvg } from '../src/receipts/render.ts';
import { sampleReceipt } from '../src/receipts/sample-receipt.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    width: { type: 'string', default: '58' },
    reprint: { type: 'boolean', default: false },
    zoom: { type: 'string', default: '1' },
  },
});

const out = positionals[0];
if (!out || (values.width !== '58' && values.width !== '80')) {
  process.stderr.write(
    'usage: receipt-preview.ts <out.png|out.svg> [--width 58|80] [--reprint] [--zoom N]\n',
  );
  process.exit(2);
}
const paperWidth = Number(values.width) as PaperWidth;
const receipt = sampleReceipt(
  values.reprint ? { reprint: true, reprintedAt: Date.UTC(2026, 10, 26, 3, 12, 40) } : {},
);
const svg = renderSvg(layoutReceipt(receipt, paperWidth), { paperWidth, id: receipt.serial });
if (out.endsWith('.svg')) {
  await writeFile(out, svg);
} else if (!(await writePng(svg, out, { zoom: Number(values.zoom) }))) {
  process.stderr.write('rsvg-convert not found: install librsvg2-bin, or write an .svg instead\n');
  process.exit(1);
}
process.stdout.write(`${out}\n`);
