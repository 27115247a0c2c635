import { describe, it } from 'vitest';
import { createFrame, frameToArt, frameToHexRows } from '../../../devices/display/frame.ts';
import { bundledFont } from '../../../devices/display/index.ts';
import { buildLayout } from '../../../devices/display/layout.ts';
import { Cmd, encodeFramePayload, encodePacket } from '../../../devices/display/led-protocol.ts';
import { frameSequence, geometryFor } from '../../../devices/display/max7219-codec.ts';
import { renderText } from '../../../devices/display/text-render.ts';
import { expectGolden } from './support/golden.ts';

const font = bundledFont();
const panel = { width: 128, height: 16, scrollPxPerSecond: 32, staticDwellMs: 5000 };

describe('display goldens', () => {
  it('欢迎光临 便民服务亭 as a 1-bit strip', () => {
    const r = renderText('欢迎光临 便民服务亭', font);
    expectGolden(
      'welcome-strip.txt',
      `"欢迎光临 便民服务亭", GNU Unifont, ${r.strip.width}×16, # = LED on`,
      frameToArt(r.strip),
    );
  });

  it('the same text paged statically on a 128×16 panel', () => {
    const l = buildLayout('static', renderText('欢迎光临 便民服务亭', font), panel);
    const pages = Array.from({ length: l.count }, (_, i) => frameToArt(l.frameAt(i))).join('\n\n');
    expectGolden('welcome-static-128x16.txt', `static layout, ${l.count} pages of 128×16`, pages);
  });

  it('an emergency in split layout on a 128×16 panel', () => {
    const l = buildLayout('split', renderText('暂停服务', font), panel, renderText('紧急', font));
    expectGolden(
      'emergency-split-128x16.txt',
      'split layout: label 紧急 | divider | 暂停服务',
      frameToArt(l.frameAt(0)),
    );
  });

  it('a missing glyph as a replacement box', () => {
    const strip = renderText('A😀B', font).strip;
    expectGolden('missing-glyph.txt', '"A😀B" with no glyph for U+1F600', frameToArt(strip));
  });

  it('the serial FRAME packet of a small frame', () => {
    const f = createFrame(16, 16);
    const art = renderText('A', font).strip;
    for (let y = 0; y < 16; y++) f.bits[y * 2] = art.bits[y] ?? 0;
    const bytes = encodePacket({ seq: 7, cmd: Cmd.FRAME, payload: encodeFramePayload(f) });
    expectGolden(
      'frame-packet-16x16.hex',
      'SOF LEN SEQ CMD | width height bitmap | CRC16, "A" in a 16×16 frame',
      bytes.toString('hex'),
    );
  });

  it('MAX7219 row writes of 欢迎光临 on a 64×16 panel (2 rows of 8 modules, lsb-left)', () => {
    const l = buildLayout('static', renderText('欢迎光临', font), { ...panel, width: 64 });
    const tx = frameSequence(geometryFor(64, 16, 'lsb-left'), l.frameAt(0));
    expectGolden(
      'max7219-welcome-64x16.hex',
      'one line per SPI transaction: (register, data) pairs, farthest module first',
      tx.map((t) => Buffer.from(t).toString('hex')).join('\n'),
    );
    expectGolden('welcome-64x16.hex', 'the same frame as packed hex rows', frameToHexRows(l.frameAt(0)));
  });
});
