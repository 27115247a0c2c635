import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from '../../../devices/device.ts';
import { createFrame, frameFromArt, setPixel } from '../../../devices/display/frame.ts';
import {
  chainLength,
  frameSequence,
  geometryFor,
  initSequence,
  intensityFromPercent,
  Reg,
  writeAll,
} from '../../../devices/display/max7219-codec.ts';
import { Max7219Display } from '../../../devices/display/max7219-display.ts';
import { openSpiDeviceBus } from '../../../devices/display/spi-bus.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { RecordingSpiBus, simulateChain } from './support/recording-spi-bus.ts';

/** spi-device is an optional native module for the Pi; this repository does not install it. */
const spiDeviceInstalled = await import('spi-device' as string).then(
  () => true,
  () => false,
);

describe('MAX7219 codec', () => {
  const g = geometryFor(16, 16, 'msb-left');

  it('addresses module 0 last in each transaction', () => {
    const t = writeAll(g, Reg.INTENSITY, (k) => k);
    expect(chainLength(g)).toBe(4);
    expect([...t]).toEqual([0x0a, 3, 0x0a, 2, 0x0a, 1, 0x0a, 0]);
  });

  it('powers up in a safe order: shutdown, no test, no decode, scan 8 rows, intensity, blank, wake', () => {
    const seq = initSequence(g, 100);
    expect(seq.map((t) => t[t.length - 2])).toEqual([
      0x0c, 0x0f, 0x09, 0x0b, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8, 0x0c,
    ]);
    const regs = simulateChain(seq, 4);
    for (const m of regs) {
      expect(m.get(Reg.SHUTDOWN)).toBe(1);
      expect(m.get(Reg.DISPLAY_TEST)).toBe(0);
      expect(m.get(Reg.DECODE_MODE)).toBe(0);
      expect(m.get(Reg.SCAN_LIMIT)).toBe(7);
      expect(m.get(Reg.INTENSITY)).toBe(15);
    }
    expect(simulateChain(initSequence(g, 0), 4)[0]?.get(Reg.SHUTDOWN)).toBe(0);
  });

  it('maps percent to the 16 intensity steps', () => {
    expect([0, 1, 50, 99, 100, 150, -5].map(intensityFromPercent)).toEqual([0, 0, 8, 15, 15, 15, 0]);
  });

  it('places each 8×8 block of the frame in its module, row-major from the top-left', () => {
    const f = createFrame(16, 16);
    setPixel(f, 0, 0, true); // module 0, row 0, leftmost
    setPixel(f, 15, 3, true); // module 1, row 3, rightmost
    setPixel(f, 2, 8, true); // module 2, row 0
    setPixel(f, 9, 15, true); // module 3, row 7
    const regs = simulateChain(frameSequence(g, f), 4);
    expect(regs[0]?.get(1)).toBe(0x80);
    expect(regs[1]?.get(4)).toBe(0x01);
    expect(regs[2]?.get(1)).toBe(0x20);
    expect(regs[3]?.get(8)).toBe(0x40);
    const lsb = simulateChain(frameSequence(geometryFor(16, 16, 'lsb-left'), f), 4);
    expect(lsb[0]?.get(1)).toBe(0x01);
    expect(lsb[1]?.get(4)).toBe(0x80);
  });

  it('refuses a panel that is not a grid of 8×8 modules', () => {
    expect(() => geometryFor(20, 16, 'msb-left')).toThrow(RangeError);
  });
});

describe('Max7219Display', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function make(openBus: () => Promise<RecordingSpiBus>) {
    return new Max7219Display({
      width: 16,
      height: 8,
      geometry: geometryFor(16, 8, 'msb-left'),
      openBus,
      reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
      clock: systemClock,
      logger: silentLogger(),
    });
  }

  it('initialises the chain, then writes a frame as eight row transactions', async () => {
    const bus = new RecordingSpiBus();
    const d = make(async () => bus);
    await d.start();
    expect(d.health().state).toBe('ok');
    expect(bus.transactions).toHaveLength(14);
    const frames: unknown[] = [];
    d.on('frame', (f) => frames.push(f));
    const f = frameFromArt(['#...............', ...Array(7).fill('...............#')].join('\n'));
    await d.showFrame(f);
    expect(bus.transactions).toHaveLength(22);
    const regs = simulateChain(bus.transactions, 2);
    expect(regs[0]?.get(1)).toBe(0x80);
    expect(regs[1]?.get(2)).toBe(0x01);
    expect(frames).toEqual([f]);
    await d.setBrightness(20);
    expect(simulateChain(bus.transactions, 2)[0]?.get(Reg.INTENSITY)).toBe(3);
    await d.stop();
    expect(simulateChain(bus.transactions, 2)[0]?.get(Reg.SHUTDOWN)).toBe(0);
    expect(bus.closed).toBe(true);
    expect(d.health().state).toBe('offline');
  });

  it('rejects frames of the wrong size', async () => {
    const d = make(async () => new RecordingSpiBus());
    await d.start();
    await expect(d.showFrame(createFrame(8, 8))).rejects.toMatchObject({ code: 'DEVICE_E_UNSUPPORTED' });
  });

  it('goes offline on a failed transfer, re-opens with backoff and restores brightness and frame', async () => {
    const buses: RecordingSpiBus[] = [];
    let absent = 0;
    const d = make(async () => {
      if (absent > 0) {
        absent--;
        throw Object.assign(new Error('ENOENT: /dev/spidev0.0'), { code: 'ENOENT' });
      }
      const b = new RecordingSpiBus();
      buses.push(b);
      return b;
    });
    const states: string[] = [];
    d.on('health', (h) => states.push(`${h.state}:${h.reason?.code ?? ''}`));
    await d.start();
    const f = frameFromArt(['#'.repeat(16), ...Array(7).fill('.'.repeat(16))].join('\n'));
    await d.showFrame(f);
    await d.setBrightness(40);
    const first = buses[0] as RecordingSpiBus;
    first.failNext = 1;
    absent = 1;
    await expect(d.showFrame(f)).rejects.toBeInstanceOf(DeviceError);
    expect(d.health()).toMatchObject({ state: 'offline', reason: { code: 'DEVICE_E_IO' } });
    await expect(d.showFrame(f)).rejects.toMatchObject({ code: 'DEVICE_E_DISCONNECTED' });
    await vi.advanceTimersByTimeAsync(100);
    expect(d.health().state).toBe('offline');
    expect(d.health().reason?.code).toBe('DEVICE_E_ABSENT');
    await vi.advanceTimersByTimeAsync(200);
    expect(d.health().state).toBe('ok');
    const regs = simulateChain((buses[1] as RecordingSpiBus).transactions, 2);
    expect(regs[0]?.get(Reg.INTENSITY)).toBe(intensityFromPercent(40));
    expect(regs[0]?.get(1)).toBe(0xff);
    expect(states).toEqual(['ok:', 'offline:DEVICE_E_IO', 'offline:DEVICE_E_ABSENT', 'ok:']);
    await d.stop();
  });

  it.runIf(!spiDeviceInstalled)(
    'reports DEVICE_E_UNSUPPORTED without retrying when spi-device is not installed',
    async () => {
      const d = new Max7219Display({
        width: 16,
        height: 8,
        geometry: geometryFor(16, 8, 'msb-left'),
        openBus: () => openSpiDeviceBus(0, 0, 1_000_000),
        reconnect: { initialDelayMs: 100, maxDelayMs: 400 },
        clock: systemClock,
        logger: silentLogger(),
      });
      await d.start();
      expect(d.health()).toMatchObject({
        state: 'offline',
        driver: 'max7219',
        reason: { code: 'DEVICE_E_UNSUPPORTED' },
      });
      expect(vi.getTimerCount()).toBe(0);
      await d.stop();
    },
  );
});
