/**
 * Renders a text the way the roof sign would show it: ANSI blocks on the terminal and, with --png,
 * a PNG of the first frame (for README pictures and for checking glyphs by eye).
 *
 *   node --import tsx scripts/display-preview.ts "欢迎光临 便民服务亭" [--layout auto|static|scroll|split]
 *     [--label 紧急] [--width 128] [--height 16] [--png led.png] [--scale 4] [--animate]
 *
 * Uses the same font loading as the kiosk (config/default.json's unifontHexPath, bundled glyphs
 * as fallback). --animate plays one pass of the layout in real time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { displayConfigSchema } from '../devices/display/display-config.ts';
import { frameToAnsi, frameToPng } from '../devices/display/frame-render.ts';
import { loadDisplayFont } from '../devices/display/index.ts';
import { buildLayout, type LayoutMode } from '../devices/display/layout.ts';
import { prepareLedText, renderText } from '../devices/display/text-render.ts';
import { createLogger } from '../src/platform/logger.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    layout: { type: 'string', default: 'auto' },
    label: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    png: { type: 'string' },
    scale: { type: 'string', default: '4' },
    animate: { type: 'boolean', default: false },
  },
});
const text = positionals.join(' ');
if (!text) {
  console.error(
    'usage: display-preview.ts <text> [--layout auto|static|scroll|split] [--label 紧急] [--png out.png]',
  );
  process.exit(2);
}
const defaults = JSON.parse(readFileSync(new URL('../config/default.json', import.meta.url), 'utf8')).devices
  .display;
const config = displayConfigSchema.parse(defaults);
const font = await loadDisplayFont(config, createLogger({ destination: process.stderr, level: 'warn' }));
const params = {
  width: Number(values.width ?? config.widthPx),
  height: Number(values.height ?? config.heightPx),
  scrollPxPerSecond: config.layout.scrollPxPerSecond,
  staticDwellMs: config.layout.staticDwellMs,
};
const mode = values.layout as LayoutMode;
const body = renderText(prepareLedText(text), font);
const label = values.label
  ? renderText(values.label, font)
  : mode === 'split'
    ? renderText(config.layout.emergencyLabel, font)
    : undefined;
const layout = buildLayout(mode, body, params, label);
if (body.missing.length > 0)
  console.error(`no glyph for: ${body.missing.map((c) => `U+${c.toString(16).toUpperCase()}`).join(' ')}`);

if (values.animate) {
  const lines = params.height / 2;
  for (let i = 0; i < layout.count; i++) {
    process.stdout.write(`${i > 0 ? `\x1b[${lines}A\r` : ''}${frameToAnsi(layout.frameAt(i))}\n`);
    await new Promise((r) => setTimeout(r, layout.frameMs));
  }
} else {
  console.log(frameToAnsi(layout.frameAt(0)));
}
console.error(
  `${layout.count} frame(s), ${layout.frameMs.toFixed(1)} ms each, pass ${Math.round(layout.durationMs)} ms`,
);
if (values.png) {
  writeFileSync(values.png, frameToPng(layout.frameAt(0), Number(values.scale)));
  console.error(`wrote ${values.png}`);
}
