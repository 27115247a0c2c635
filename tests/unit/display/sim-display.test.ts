import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeviceHealth } from '../../../devices/device.ts';
import { createFrame, framesEqual, setPixel } from '../../../devices/display/frame.ts';
import { frameToAnsi, frameToPng } from '../../../devices/display/frame-render.ts';
import { NakReason } from '../../../devices/display/led-protocol.ts';
import { PREVIEW_INTERVAL_MS, SimDisplay } from '../../../devices/display/sim-display.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { displayTestConfig } from './support/test-config.ts';

const cfg = displayTestConfig({
  widthPx: 32,
  heightPx: 16,
  serial: { ackTimeoutMs: 100, retries: 2, keepAliveMs: 5000 },
  reconnect: { initialDelayMs: 200, maxDelayMs: 800 },
});

function diagonal(): ReturnType<typeof createFrame> {
  const f = createFrame(32, 16);
  for (let i = 0; i < 16; i++) setPixel(f, i * 2, i, true);
  return f;
}

describe('SimDisplay', () => {
  let d: SimDisplay;
  let health: string[];

  beforeEach(async () => {
    vi.useFakeTimers();
    d = new SimDisplay(cfg, { clock: systemClock, logger: silentLogger() });
    health = [];
    d.on('health', (h: DeviceHealth) => health.push(`${h.state}${h.reason ? `:${h.reason.code}` : ''}`));
    await d.start();
  });

  afterEach(async () => {
    await d.stop();
    vi.useRealTimers();
  });

  it('shows frames on the emulated panel and previews them', async () => {
    expect(d.health()).toMatchObject({ state: 'ok', driver: 'sim' });
    const previews: unknown[] = [];
    const off = d.onPreview((p) => previews.push(p.frame));
    const f = diagonal();
    await d.showFrame(f);
    expect(framesEqual(d.latestPreview().frame, f)).toBe(true);
    expect(d.lastFrame()).toBe(f);
    expect(previews).toHaveLength(1);
    off();
    await d.clear();
    expect(previews).toHaveLength(1);
    await d.setBrightness(35);
    expect(d.latestPreview().brightness).toBe(35);
  });

  it('unplugged: goes offline, fails commands, and recovers by itself with backoff once plugged back', async () => {
    await d.setBrightness(30);
    d.disconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(d.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_DISCONNECTED' } });
    await expect(d.showFrame(diagonal())).rejects.toMatchObject({ code: 'DEVICE_E_DISCONNECTED' });
    await vi.advanceTimersByTimeAsync(200 + 400 + 800);
    expect(d.health().reason?.code).toBe('DEVICE_E_ABSENT');
    d.plugIn();
    await vi.advanceTimersByTimeAsync(800);
    expect(d.health().state).toBe('ok');
    expect(d.controller.brightness).toBe(30);
    await d.showFrame(diagonal());
    expect(health).toEqual(['ok', 'offline:DEVICE_E_DISCONNECTED', 'offline:DEVICE_E_ABSENT', 'ok']);
  });

  it('a late ACK of the same SEQ still counts while the request is being retried', async () => {
    d.setAckDelay(150);
    const r = d.showFrame(diagonal());
    await vi.advanceTimersByTimeAsync(150);
    await r;
    expect(d.health().state).toBe('ok');
  });

  it('ACKs slower than every retry degrade the sign; it is ok again once ACKs are in time', async () => {
    d.setAckDelay(1000);
    const r = d.showFrame(diagonal()).catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(3 * 100);
    expect(await r).toMatchObject({ code: 'DEVICE_E_TIMEOUT' });
    expect(d.health()).toMatchObject({ state: 'degraded', reason: { code: 'DEVICE_E_TIMEOUT' } });
    d.setAckDelay(20);
    const ok = d.showFrame(diagonal());
    await vi.advanceTimersByTimeAsync(200);
    await ok;
    expect(d.health().state).toBe('ok');
  });

  it('NAKs: busy is retried transparently, repeated NAKs degrade the sign', async () => {
    d.nakNext(2, NakReason.BUSY);
    await d.showFrame(diagonal());
    expect(d.health().state).toBe('ok');
    d.nakNext(3, NakReason.BUSY);
    await expect(d.showFrame(diagonal())).rejects.toMatchObject({ code: 'DEVICE_E_PROTOCOL' });
    expect(d.health()).toMatchObject({ state: 'degraded', reason: { code: 'DEVICE_E_PROTOCOL' } });
  });

  it('a lost ACK is recovered by re-sending', async () => {
    const packets: number[] = [];
    d.controller.on('packet', (p) => packets.push(p.seq));
    d.dropNextAcks(1);
    const r = d.showFrame(diagonal());
    await vi.advanceTimersByTimeAsync(100);
    await r;
    expect(packets).toHaveLength(2);
    expect(packets[0]).toBe(packets[1]);
  });

  it('pings an idle sign and notices when it stops answering', async () => {
    const cmds: number[] = [];
    d.controller.on('packet', (p) => cmds.push(p.cmd));
    await vi.advanceTimersByTimeAsync(5000);
    expect(cmds).toContain(0x02);
    d.dropNextAcks(10);
    await vi.advanceTimersByTimeAsync(5000 + 300);
    expect(d.health()).toMatchObject({ state: 'degraded', reason: { code: 'DEVICE_E_TIMEOUT' } });
  });
});

describe('SimDisplay previews', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draws on the terminal and writes a PNG, throttled, always ending on the latest frame', async () => {
    vi.useFakeTimers();
    const dir = await mkdtemp(join(tmpdir(), 'sim-led-'));
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const pngPath = join(dir, 'led.png');
    const d = new SimDisplay(
      displayTestConfig({ widthPx: 32, heightPx: 16, sim: { terminal: true, pngPath, pngScale: 2 } }),
      {
        clock: systemClock,
        logger: silentLogger(),
        terminal: out,
      },
    );
    try {
      await d.start();
      const f = diagonal();
      await d.showFrame(createFrame(32, 16));
      await d.showFrame(f);
      await vi.advanceTimersByTimeAsync(PREVIEW_INTERVAL_MS);
      vi.useRealTimers();
      await vi.waitFor(async () => expect((await readFile(pngPath)).length).toBeGreaterThan(0));
      const png = PNG.sync.read(await readFile(pngPath));
      expect([png.width, png.height]).toEqual([64, 32]);
      expect(png.data[0]).toBeGreaterThan(100);
      expect(text).toContain(frameToAnsi(f, 100).split('\n')[0]);
      expect(text.match(/\n/g)?.length).toBe(8);
    } finally {
      await d.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('renders LEDs as dots in the PNG', () => {
    const f = createFrame(2, 1);
    setPixel(f, 0, 0, true);
    const png = PNG.sync.read(frameToPng(f, 4, 100));
    const px = (x: number, y: number) => png.data[(y * png.width + x) * 4] ?? -1;
    expect(px(0, 0)).toBe(255);
    expect(px(3, 0)).toBe(0);
    expect(px(4, 0)).toBe(40);
  });
});
