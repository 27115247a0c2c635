/**
 * Contract suite of the Display interface (devices/display/display.ts), run against:
 * - the simulator (always);
 * - the serial driver on a real socat tty pair, with the test playing the controller (always;
 *   needs the Debian package `socat`);
 * - the MAX7219 driver on a recording SPI bus (always);
 * - the MAX7219 driver through johnny-five on a Firmata board, played by the test over a socat tty
 *   pair: the test decodes the pin levels into the bursts the chain latches (always);
 * - real hardware when an environment variable names it, e.g. on a Raspberry Pi:
 *     KIOSK_TEST_DISPLAY_PORT=/dev/ttyUSB0 [KIOSK_TEST_DISPLAY_BAUD=115200] \
 *     [KIOSK_TEST_DISPLAY_SIZE=128x16] npx vitest run tests/contract/display.test.ts
 *   for a serial LED controller speaking docs/led-serial-protocol.md, or
 *     KIOSK_TEST_DISPLAY_SPI=0.0 [KIOSK_TEST_DISPLAY_SIZE=64x16] npx vitest run tests/contract/display.test.ts
 *   for a MAX7219 chain on /dev/spidev0.0 (needs `npm install spi-device` on the Pi), or
 *     KIOSK_TEST_DISPLAY_FIRMATA=/dev/ttyUSB1 [KIOSK_TEST_DISPLAY_SIZE=32x16] npx vitest run tests/contract/display.test.ts
 *   for a MAX7219 chain on an Arduino with StandardFirmata (DIN 12, CLK 11, CS 10).
 *   The sign shows test patterns while it runs; look at it to confirm what "observed" cannot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceError } from '../../devices/device.ts';
import type { Display } from '../../devices/display/display.ts';
import type { DisplayConfig } from '../../devices/display/display-config.ts';
import { createFrame, type Frame, framesEqual, litCount, setPixel } from '../../devices/display/frame.ts';
import { createDisplay } from '../../devices/display/index.ts';
import { geometryFor } from '../../devices/display/max7219-codec.ts';
import { Max7219Display } from '../../devices/display/max7219-display.ts';
import { SimDisplay } from '../../devices/display/sim-display.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { FirmataMax7219Board } from '../unit/display/support/firmata-board.ts';
import { RecordingSpiBus, simulateChain } from '../unit/display/support/recording-spi-bus.ts';
import { SerialControllerEnd } from '../unit/display/support/serial-controller.ts';
import { SocatPair } from '../unit/display/support/socat-pair.ts';
import { displayTestConfig } from '../unit/display/support/test-config.ts';

interface Harness {
  display: Display;
  /** What the panel shows, where the test can see it. */
  observed?: () => Frame;
  teardown(): Promise<void>;
}

interface Implementation {
  name: string;
  driver: string;
  setup(): Promise<Harness>;
  /** The same driver with its device missing; undefined where that cannot be arranged. */
  absent?: () => Promise<Harness>;
}

const deps = { clock: systemClock, logger: silentLogger() };
const [envW, envH] = (process.env.KIOSK_TEST_DISPLAY_SIZE ?? '').split('x').map(Number);

function config(over: Parameters<typeof displayTestConfig>[0] = {}): DisplayConfig {
  return displayTestConfig({
    widthPx: 32,
    heightPx: 16,
    serial: { ackTimeoutMs: 300, retries: 2, keepAliveMs: 5000 },
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    ...over,
  });
}

/** The 32×16 panel a chain of 8 lsb-left modules shows after these bursts. */
function chainFrame(transactions: readonly Uint8Array[]): Frame {
  const regs = simulateChain(transactions, 8);
  const f = createFrame(32, 16);
  regs.forEach((m, k) => {
    for (let r = 0; r < 8; r++) {
      const byte = m.get(r + 1) ?? 0;
      for (let i = 0; i < 8; i++)
        if (byte & (1 << i)) setPixel(f, (k % 4) * 8 + i, Math.floor(k / 4) * 8 + r, true);
    }
  });
  return f;
}

function pattern(w: number, h: number): Frame {
  const f = createFrame(w, h);
  for (let x = 0; x < w; x++) {
    setPixel(f, x, x % h, true);
    setPixel(f, x, 0, true);
  }
  return f;
}

const implementations: Implementation[] = [
  {
    name: 'simulator',
    driver: 'sim',
    async setup() {
      const d = new SimDisplay(config(), deps);
      return { display: d, observed: () => d.latestPreview().frame, teardown: () => d.stop() };
    },
    async absent() {
      const d = new SimDisplay(config(), deps);
      d.disconnect();
      return { display: d, teardown: () => d.stop() };
    },
  },
  {
    name: 'serial driver on a socat tty pair',
    driver: 'serial',
    async setup() {
      const dir = await mkdtemp(join(tmpdir(), 'led-contract-'));
      const pair = new SocatPair(dir);
      await pair.start();
      const end = new SerialControllerEnd(pair.signPath, 32, 16);
      await end.open();
      const d = await createDisplay(
        config({ driver: 'real', transport: 'serial', serial: { path: pair.hostPath } }),
        deps,
      );
      return {
        display: d,
        observed: () => end.emulator.framebuffer,
        async teardown() {
          await d.stop();
          await end.close();
          await pair.stop();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
    async absent() {
      const d = await createDisplay(
        config({ driver: 'real', transport: 'serial', serial: { path: join(tmpdir(), 'no-such-led-tty') } }),
        deps,
      );
      return { display: d, teardown: () => d.stop() };
    },
  },
  {
    name: 'MAX7219 driver on a recording SPI bus',
    driver: 'max7219',
    async setup() {
      const buses: RecordingSpiBus[] = [];
      const openBus = async () => {
        const bus = new RecordingSpiBus();
        buses.push(bus);
        return bus;
      };
      const g = geometryFor(32, 16, 'lsb-left');
      const d = new Max7219Display({
        width: 32,
        height: 16,
        geometry: g,
        openBus,
        reconnect: config().reconnect,
        ...deps,
      });
      const observed = () => chainFrame(buses.flatMap((b) => b.transactions));
      return { display: d, observed, teardown: () => d.stop() };
    },
    async absent() {
      const d = new Max7219Display({
        width: 32,
        height: 16,
        geometry: geometryFor(32, 16, 'lsb-left'),
        openBus: () => Promise.reject(Object.assign(new Error('ENOENT: /dev/spidev0.0'), { code: 'ENOENT' })),
        reconnect: config().reconnect,
        ...deps,
      });
      return { display: d, teardown: () => d.stop() };
    },
  },
  {
    name: 'MAX7219 through johnny-five on a Firmata board over a socat tty pair',
    driver: 'max7219-firmata',
    async setup() {
      const dir = await mkdtemp(join(tmpdir(), 'led-firmata-'));
      const pair = new SocatPair(dir);
      await pair.start();
      const pins = { data: 12, clock: 11, cs: 10 };
      const board = new FirmataMax7219Board(pair.signPath, pins);
      await board.open();
      const d = await createDisplay(
        config({
          driver: 'real',
          transport: 'firmata',
          firmata: { path: pair.hostPath, pins, readyTimeoutMs: 3000, ackTimeoutMs: 3000 },
        }),
        deps,
      );
      return {
        display: d,
        observed: () => chainFrame(board.transactions),
        async teardown() {
          await d.stop();
          await board.close();
          await pair.stop();
          await rm(dir, { recursive: true, force: true });
          expect(board.faults).toEqual([]);
        },
      };
    },
    async absent() {
      const d = await createDisplay(
        config({
          driver: 'real',
          transport: 'firmata',
          firmata: { path: join(tmpdir(), 'no-such-firmata-tty') },
        }),
        deps,
      );
      return { display: d, teardown: () => d.stop() };
    },
  },
];

if (process.env.KIOSK_TEST_DISPLAY_PORT) {
  implementations.push({
    name: `real serial sign at ${process.env.KIOSK_TEST_DISPLAY_PORT}`,
    driver: 'serial',
    async setup() {
      const c = config({
        driver: 'real',
        transport: 'serial',
        widthPx: envW || 128,
        heightPx: envH || 16,
        serial: {
          path: process.env.KIOSK_TEST_DISPLAY_PORT,
          baudRate: Number(process.env.KIOSK_TEST_DISPLAY_BAUD ?? 115200),
        },
      });
      const d = await createDisplay(c, deps);
      return { display: d, teardown: () => d.stop() };
    },
  });
}

if (process.env.KIOSK_TEST_DISPLAY_SPI) {
  const [bus, dev] = process.env.KIOSK_TEST_DISPLAY_SPI.split('.').map(Number);
  implementations.push({
    name: `real MAX7219 chain on /dev/spidev${process.env.KIOSK_TEST_DISPLAY_SPI}`,
    driver: 'max7219',
    async setup() {
      const c = config({
        driver: 'real',
        transport: 'max7219',
        widthPx: envW || 64,
        heightPx: envH || 16,
        max7219: { spiBus: bus ?? 0, spiDevice: dev ?? 0 },
      });
      const d = await createDisplay(c, deps);
      return { display: d, teardown: () => d.stop() };
    },
  });
}

if (process.env.KIOSK_TEST_DISPLAY_FIRMATA) {
  implementations.push({
    name: `real MAX7219 chain on a Firmata board at ${process.env.KIOSK_TEST_DISPLAY_FIRMATA}`,
    driver: 'max7219-firmata',
    async setup() {
      const c = config({
        driver: 'real',
        transport: 'firmata',
        widthPx: envW || 32,
        heightPx: envH || 16,
        firmata: { path: process.env.KIOSK_TEST_DISPLAY_FIRMATA },
      });
      const d = await createDisplay(c, deps);
      return { display: d, teardown: () => d.stop() };
    },
  });
}

describe.each(implementations)('Display contract: $name', (impl) => {
  let h: Harness;

  beforeEach(async () => {
    h = await impl.setup();
    await h.display.start();
  });

  afterEach(async () => {
    await h.teardown();
  });

  it('starts ok, as kind display, naming its driver', () => {
    expect(h.display.kind).toBe('display');
    expect(h.display.health()).toMatchObject({ state: 'ok', driver: impl.driver });
    expect(h.display.health().reason).toBeUndefined();
  });

  it('shows a frame: resolves, emits it, remembers it, and the panel shows it', async () => {
    const f = pattern(h.display.width, h.display.height);
    const emitted: Frame[] = [];
    h.display.on('frame', (x) => emitted.push(x));
    await h.display.showFrame(f);
    expect(emitted).toEqual([f]);
    expect(h.display.lastFrame()).toBe(f);
    if (h.observed) expect(framesEqual(h.observed(), f)).toBe(true);
  });

  it('refuses a frame of the wrong size with DEVICE_E_UNSUPPORTED and stays ok', async () => {
    const err = await h.display
      .showFrame(createFrame(h.display.width + 8, h.display.height))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as DeviceError).code).toBe('DEVICE_E_UNSUPPORTED');
    expect(h.display.health().state).toBe('ok');
  });

  it('takes a brightness and reports it', async () => {
    const seen: number[] = [];
    h.display.on('brightness', (b) => seen.push(b));
    await h.display.setBrightness(25);
    await h.display.setBrightness(100);
    expect(seen).toEqual([25, 100]);
  });

  it('clears the panel', async () => {
    await h.display.showFrame(pattern(h.display.width, h.display.height));
    await h.display.clear();
    if (h.observed) expect(litCount(h.observed())).toBe(0);
  });

  it('fails commands with a DeviceError after stop, and starts again', async () => {
    await h.display.stop();
    expect(h.display.health().state).toBe('offline');
    await expect(h.display.showFrame(pattern(h.display.width, h.display.height))).rejects.toBeInstanceOf(
      DeviceError,
    );
    await h.display.start();
    expect(h.display.health().state).toBe('ok');
    await h.display.showFrame(pattern(h.display.width, h.display.height));
  });

  it.runIf(impl.absent !== undefined)(
    'does not throw from start() when the device is missing: offline with a reason',
    async () => {
      const a = await (impl.absent as () => Promise<Harness>)();
      try {
        await a.display.start();
        const health = a.display.health();
        expect(health.state).toBe('offline');
        expect(health.reason?.code).toMatch(/^DEVICE_E_(ABSENT|DISCONNECTED)$/);
        expect(health.reason?.zh).toBeTruthy();
        await expect(a.display.showFrame(pattern(a.display.width, a.display.height))).rejects.toBeInstanceOf(
          DeviceError,
        );
      } finally {
        await a.teardown();
      }
    },
  );
});
