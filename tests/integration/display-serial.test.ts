/**
 * The serial LED driver against a REAL tty pair made by socat (Debian package `socat`): the driver
 * opens one end through serialport, the test plays the LED controller on the other end, decodes
 * what arrives and answers ACK/NAK. Each test gets its own pair in a temp folder; socat is always
 * killed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFrame, framesEqual, setPixel } from '../../devices/display/frame.ts';
import { bundledFont, createDisplay } from '../../devices/display/index.ts';
import { buildLayout } from '../../devices/display/layout.ts';
import { Cmd, crc16, decodeFramePayload, NakReason } from '../../devices/display/led-protocol.ts';
import { LedSign, type ProofOfDisplay } from '../../devices/display/led-sign.ts';
import type { LinkDisplay } from '../../devices/display/link-display.ts';
import { renderText } from '../../devices/display/text-render.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { SerialControllerEnd } from '../unit/display/support/serial-controller.ts';
import { SocatPair } from '../unit/display/support/socat-pair.ts';
import { displayTestConfig } from '../unit/display/support/test-config.ts';

const W = 64;
const H = 16;

function pattern(): ReturnType<typeof createFrame> {
  const f = createFrame(W, H);
  for (let x = 0; x < W; x++) setPixel(f, x, x % H, true);
  return f;
}

describe('serial LED driver over a socat tty pair', () => {
  let dir: string;
  let pair: SocatPair;
  let sign: SerialControllerEnd;
  let display: LinkDisplay;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'led-serial-'));
    pair = new SocatPair(dir);
    await pair.start();
    sign = new SerialControllerEnd(pair.signPath, W, H);
    await sign.open();
    const config = displayTestConfig({
      driver: 'real',
      transport: 'serial',
      widthPx: W,
      heightPx: H,
      serial: { path: pair.hostPath, ackTimeoutMs: 200, retries: 2, keepAliveMs: 1000 },
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    display = (await createDisplay(config, { clock: systemClock, logger: silentLogger() })) as LinkDisplay;
    await display.start();
  });

  afterEach(async () => {
    await display.stop();
    await sign.close();
    await pair.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says HELLO, then delivers a frame byte-exact', async () => {
    expect(display.health()).toMatchObject({ state: 'ok', driver: 'serial' });
    const f = pattern();
    await display.showFrame(f);
    expect(framesEqual(sign.emulator.framebuffer, f)).toBe(true);

    const raw = sign.raw;
    // HELLO is 7 bytes (SOF, LEN=2, SEQ, CMD, CRC); the FRAME packet follows it.
    expect([...raw.subarray(0, 3)]).toEqual([0xa5, 0x00, 0x02]);
    const frameAt = 7;
    expect(raw[frameAt]).toBe(0xa5);
    const len = raw.readUInt16BE(frameAt + 1);
    expect(len).toBe(2 + 4 + (W / 8) * H);
    expect(raw.length).toBe(frameAt + 3 + len + 2);
    expect(raw[frameAt + 4]).toBe(Cmd.FRAME);
    expect(raw.readUInt16BE(frameAt + 3 + len)).toBe(crc16(raw, frameAt + 1, frameAt + 3 + len));
    const decoded = decodeFramePayload(raw.subarray(frameAt + 5, frameAt + 3 + len));
    expect(decoded && framesEqual(decoded, f)).toBe(true);
    expect(sign.packets().map((p) => p.cmd)).toEqual([Cmd.HELLO, Cmd.FRAME]);
  });

  it('re-sends with the same SEQ after NAK busy and after a lost ACK', async () => {
    sign.emulator.nakNext(2, NakReason.BUSY);
    await display.showFrame(pattern());
    sign.emulator.dropNextAcks(1);
    await display.setBrightness(55);
    const seqs = sign
      .packets()
      .slice(1)
      .map((p) => [p.cmd, p.seq]);
    expect(seqs).toHaveLength(5);
    expect(new Set(seqs.slice(0, 3).map(String)).size).toBe(1);
    expect(new Set(seqs.slice(3).map(String)).size).toBe(1);
    expect(sign.emulator.brightness).toBe(55);
    expect(display.health().state).toBe('ok');
  });

  it('finds its ACK behind line noise', async () => {
    await sign.writeRaw(Uint8Array.of(0x00, 0xa5, 0x00, 0x01, 0xff, 0x13, 0x37));
    await display.showFrame(pattern());
    expect(framesEqual(sign.emulator.framebuffer, pattern())).toBe(true);
  });

  it('a controller that stops answering degrades the sign; it recovers when answers return', async () => {
    sign.emulator.dropNextAcks(100);
    await expect(display.showFrame(pattern())).rejects.toMatchObject({ code: 'DEVICE_E_TIMEOUT' });
    expect(display.health()).toMatchObject({ state: 'degraded', reason: { code: 'DEVICE_E_TIMEOUT' } });
    sign.emulator.dropNextAcks(0);
    await display.showFrame(pattern());
    expect(display.health().state).toBe('ok');
  });

  it('hot-plug: the tty disappears and comes back; the driver recovers without a restart', async () => {
    await display.setBrightness(40);
    await sign.close();
    await pair.stop();
    await vi.waitFor(() => expect(display.health().state).toBe('offline'), { timeout: 5000, interval: 20 });
    await expect(display.showFrame(pattern())).rejects.toMatchObject({ code: 'DEVICE_E_DISCONNECTED' });

    await pair.start();
    sign = new SerialControllerEnd(pair.signPath, W, H);
    await sign.open();
    await vi.waitFor(() => expect(display.health().state).toBe('ok'), { timeout: 5000, interval: 20 });
    expect(sign.emulator.brightness).toBe(40);
    await display.showFrame(pattern());
    expect(framesEqual(sign.emulator.framebuffer, pattern())).toBe(true);
  });

  it('a controller of another size makes the sign degraded with the reason', async () => {
    await display.stop();
    await sign.close();
    sign = new SerialControllerEnd(pair.signPath, 128, 16);
    await sign.open();
    await display.start();
    expect(display.health()).toMatchObject({ state: 'degraded', reason: { code: 'DEVICE_E_PROTOCOL' } });
    expect(display.health().reason?.en).toMatch(/128×16/);
  });

  it('end to end: a notice goes through the pipeline onto the controller, with proof of display', async () => {
    const config = displayTestConfig({ widthPx: W, heightPx: H, idle: { slogans: [] } });
    const font = bundledFont();
    const led = new LedSign({ display, font, config, clock: systemClock, logger: silentLogger() });
    const proofs: ProofOfDisplay[] = [];
    led.on('proof', (p) => proofs.push(p));
    led.start();
    try {
      led.publish({ id: 'n-1', text: '欢迎光临', priority: 'normal' });
      const expected = buildLayout('auto', renderText('欢迎光临', font), {
        width: W,
        height: H,
        scrollPxPerSecond: config.layout.scrollPxPerSecond,
        staticDwellMs: config.layout.staticDwellMs,
      }).frameAt(0);
      await vi.waitFor(() => expect(framesEqual(sign.emulator.framebuffer, expected)).toBe(true), {
        timeout: 5000,
        interval: 10,
      });
      led.withdraw('n-1');
      expect(proofs).toEqual([
        expect.objectContaining({ noticeId: 'n-1', frames: 1, endReason: 'withdrawn' }),
      ]);
      await vi.waitFor(() => expect(sign.emulator.framebuffer.bits.every((b) => b === 0)).toBe(true), {
        timeout: 5000,
        interval: 10,
      });
    } finally {
      led.stop();
    }
  });
});
