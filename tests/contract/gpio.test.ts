/**
 * GPIO contract, at two levels, run against every implementation:
 *  - GpioDriver: memory chips; the libgpiod and onoff drivers on fake library modules over memory
 *    chips (no kernel GPIO can run in CI: the VM has no GPIOLIB); and real hardware when named.
 *  - Gpio device (KioskGpio): the simulator, KioskGpio over both drivers on fakes, and real hardware.
 *
 * On a Raspberry Pi, wire jumpers between pairs of free pins and name them, output:input, e.g.
 * BCM 20→21 and 19→26 on gpiochip0 (Pi 5 with an older kernel: gpiochip4):
 *
 *   KIOSK_TEST_GPIO_CHIP=0 KIOSK_TEST_GPIO_LOOP=20:21,19:26 KIOSK_TEST_GPIO_BACKEND=libgpiod \
 *     npx vitest run tests/contract/gpio.test.ts
 *
 * (KIOSK_TEST_GPIO_BACKEND=onoff for the sysfs driver.) The driver suite needs one pair, the device
 * suite two: the first feeds the door input, the second reads the status light back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Gpio, GpioEvents } from '../../devices/gpio/gpio.ts';
import type { GpioConfig } from '../../devices/gpio/gpio-config.ts';
import type { GpioDriver, InputLine, OutputLine } from '../../devices/gpio/gpio-driver.ts';
import { KioskGpio } from '../../devices/gpio/kiosk-gpio.ts';
import { importLibgpiod, LibgpiodDriver } from '../../devices/gpio/libgpiod-driver.ts';
import { MemoryGpioChip, MemoryGpioDriver } from '../../devices/gpio/memory-chip.ts';
import { importOnoff, OnoffDriver } from '../../devices/gpio/onoff-driver.ts';
import { SimGpio } from '../../devices/gpio/sim-gpio.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { fakeLibgpiod, fakeOnoff, sysfsOf } from '../unit/gpio/fake-gpio-modules.ts';

const realChip = process.env.KIOSK_TEST_GPIO_CHIP;
const loops = (process.env.KIOSK_TEST_GPIO_LOOP ?? '20:21,19:26')
  .split(',')
  .map((p) => p.split(':').map(Number) as [number, number]);
const chipId: number | string =
  realChip === undefined ? 0 : /^\d+$/.test(realChip) ? Number(realChip) : realChip;
const real = realChip !== undefined;

interface DriverTarget {
  driver: GpioDriver;
  /** Timers are fake except on real hardware, where time must really pass. */
  fake: boolean;
}

async function realDriver(): Promise<GpioDriver> {
  return process.env.KIOSK_TEST_GPIO_BACKEND === 'onoff'
    ? new OnoffDriver(await importOnoff())
    : new LibgpiodDriver(await importLibgpiod());
}

/** A fresh memory board with the loop pairs wired, as the jumpers are on a real Pi. */
function board(): MemoryGpioChip[] {
  const chip = new MemoryGpioChip(`gpiochip${chipId}`, 'pinctrl-bcm2711', 58);
  for (const [out, inp] of loops) chip.wire(out, inp);
  return [chip];
}

const driverTargets: Array<[string, () => Promise<DriverTarget>]> = [
  ['memory', async () => ({ driver: new MemoryGpioDriver(board()), fake: true })],
  [
    'libgpiod on fake module',
    async () => ({ driver: new LibgpiodDriver(fakeLibgpiod(board())), fake: true }),
  ],
  [
    'onoff on fake module',
    async () => {
      const chips = board();
      return {
        driver: new OnoffDriver(fakeOnoff(chips, sysfsOf(chips, [512])), () => sysfsOf(chips, [512])),
        fake: true,
      };
    },
  ],
];
if (real) driverTargets.push(['real hardware', async () => ({ driver: await realDriver(), fake: false })]);

const [OUT, IN] = loops[0]!;
const line = (offset: number, activeLow = false) => ({ chip: chipId, offset, activeLow });

describe.each(driverTargets)('GpioDriver contract [%s]', (_n, make) => {
  let t: DriverTarget;
  const held: Array<InputLine | OutputLine> = [];
  beforeEach(async () => {
    t = await make();
  });
  afterEach(() => {
    for (const l of held.splice(0)) l.close();
  });
  const keep = <T extends InputLine | OutputLine>(l: T): T => {
    held.push(l);
    return l;
  };

  it('an output drives the looped-back input', () => {
    const out = keep(t.driver.openOutput(line(OUT), 'contract', 1));
    const inp = keep(t.driver.openInput({ ...line(IN), bias: 'as-is' }, 'contract'));
    expect(inp.read()).toBe(1);
    out.write(0);
    expect(inp.read()).toBe(0);
  });

  it('applies active-low on both ends', () => {
    const out = keep(t.driver.openOutput(line(OUT, true), 'contract', 1));
    const raw = keep(t.driver.openInput({ ...line(IN), bias: 'as-is' }, 'contract'));
    expect(raw.read()).toBe(0);
    out.write(0);
    expect(raw.read()).toBe(1);
    raw.close();
    held.splice(held.indexOf(raw), 1);
    const inv = keep(t.driver.openInput({ ...line(IN, true), bias: 'as-is' }, 'contract'));
    expect(inv.read()).toBe(0);
  });

  it('a line is held by one consumer until closed', () => {
    const a = t.driver.openOutput(line(OUT), 'contract', 0);
    expect(() => t.driver.openOutput(line(OUT), 'contract', 0)).toThrow(
      expect.objectContaining({ code: 'DEVICE_E_BUSY' }),
    );
    a.close();
    keep(t.driver.openOutput(line(OUT), 'contract', 0));
  });

  it('a missing chip or line is DEVICE_E_ABSENT', () => {
    expect(() => t.driver.openInput({ chip: 57, offset: 0, activeLow: false, bias: 'as-is' }, 'c')).toThrow(
      expect.objectContaining({ code: 'DEVICE_E_ABSENT' }),
    );
    expect(() => t.driver.openOutput({ chip: chipId, offset: 1000, activeLow: false }, 'c', 0)).toThrow(
      expect.objectContaining({ code: 'DEVICE_E_ABSENT' }),
    );
  });
});

// ---- device level ----

interface DeviceTarget {
  gpio: Gpio;
  drive(active: boolean): void;
  lightLit(): boolean;
  elapse(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

const [DOOR_OUT, DOOR_IN] = loops[0]!;
const [LIGHT_OUT, LIGHT_IN] = loops[1] ?? [5, 6];
const deviceConfig: Omit<GpioConfig, 'driver' | 'backend'> = {
  consumer: 'kiosk-contract',
  pollIntervalMs: 5,
  retryIntervalMs: 1000,
  inputs: {
    door: { chip: chipId, offset: DOOR_IN, activeLow: false, bias: 'as-is', debounceMs: 30 },
    powerFail: null,
    paperLow: null,
  },
  outputs: { statusLight: { chip: chipId, offset: LIGHT_OUT, activeLow: false }, buzzer: null },
};
let open = true;
const deps = () => ({ clock: systemClock, logger: silentLogger(), isBusinessHours: () => open });
const advance = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms);
};

/** KioskGpio over `driver`, with the test holding the far ends of the loop pairs. */
function overDriver(driver: GpioDriver, fake: boolean): DeviceTarget {
  const door = driver.openOutput(line(DOOR_OUT), 'kiosk-contract-test', 0);
  const light = driver.openInput({ ...line(LIGHT_IN), bias: 'as-is' }, 'kiosk-contract-test');
  const gpio = new KioskGpio(deviceConfig, { ...deps(), driver });
  return {
    gpio,
    drive: (a) => door.write(a ? 1 : 0),
    lightLit: () => light.read() === 1,
    elapse: fake ? advance : (ms) => new Promise((r) => setTimeout(r, ms)),
    async dispose() {
      await gpio.stop();
      door.close();
      light.close();
    },
  };
}

const deviceTargets: Array<[string, () => Promise<DeviceTarget>]> = [
  [
    'sim',
    async () => {
      const gpio = new SimGpio(deviceConfig, deps());
      return {
        gpio,
        drive: (a) => gpio.setInput('door', a),
        lightLit: () => gpio.outputActive('statusLight'),
        elapse: advance,
        dispose: () => gpio.stop(),
      };
    },
  ],
  ['libgpiod on fake module', async () => overDriver(new LibgpiodDriver(fakeLibgpiod(board())), true)],
  [
    'onoff on fake module',
    async () => {
      const chips = board();
      return overDriver(
        new OnoffDriver(fakeOnoff(chips, sysfsOf(chips, [512])), () => sysfsOf(chips, [512])),
        true,
      );
    },
  ],
];
if (real && loops.length >= 2)
  deviceTargets.push(['real hardware', async () => overDriver(await realDriver(), false)]);

describe.each(deviceTargets)('Gpio device contract [%s]', (name, make) => {
  let t: DeviceTarget;
  const seen: Array<[keyof GpioEvents, unknown]> = [];
  beforeEach(async () => {
    if (name !== 'real hardware') vi.useFakeTimers();
    open = true;
    seen.length = 0;
    t = await make();
    for (const ev of ['door', 'alarm', 'health'] as const) t.gpio.on(ev, (e: unknown) => seen.push([ev, e]));
    await t.gpio.start();
  });
  afterEach(async () => {
    await t.dispose();
    vi.useRealTimers();
  });

  it('is ok with its lines held and reads the door shut', () => {
    expect(t.gpio.kind).toBe('gpio');
    expect(t.gpio.health().state).toBe('ok');
    expect(t.gpio.doorOpen()).toBe(false);
  });

  it('debounces the door and raises the alarm only outside business hours', async () => {
    t.drive(true);
    await t.elapse(10);
    t.drive(false);
    await t.elapse(60);
    expect(seen.filter(([e]) => e === 'door')).toEqual([]);
    t.drive(true);
    await t.elapse(60);
    expect(t.gpio.doorOpen()).toBe(true);
    expect(seen.filter(([e]) => e === 'alarm')).toEqual([]);
    t.drive(false);
    await t.elapse(60);
    open = false;
    t.drive(true);
    await t.elapse(60);
    expect(seen.filter(([e]) => e === 'door').map(([, e]) => (e as { open: boolean }).open)).toEqual([
      true,
      false,
      true,
    ]);
    expect(seen.filter(([e]) => e === 'alarm')).toEqual([
      ['alarm', expect.objectContaining({ reason: 'door-opened-outside-hours', atStart: false })],
    ]);
  });

  it('drives the status light steady and blinking, and turns it off on stop', async () => {
    t.gpio.setStatusLight('on');
    expect(t.lightLit()).toBe(true);
    t.gpio.setStatusLight({ blink: { onMs: 40, offMs: 40 } });
    const samples: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      await t.elapse(i === 0 ? 20 : 40);
      samples.push(t.lightLit());
    }
    expect(samples).toEqual([true, false, true, false]);
    t.gpio.setStatusLight('on');
    await t.gpio.stop();
    expect(t.lightLit()).toBe(false);
    expect(t.gpio.health().state).toBe('offline');
  });
});
