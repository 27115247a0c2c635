import { describe, expect, it } from 'vitest';
import type { GpioConfig } from '../../../devices/gpio/gpio-config.ts';
import { gpioConfigSchema } from '../../../devices/gpio/gpio-config.ts';
import { createGpio } from '../../../devices/gpio/index.ts';
import { KioskGpio } from '../../../devices/gpio/kiosk-gpio.ts';
import { SimGpio } from '../../../devices/gpio/sim-gpio.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';

const base: GpioConfig = {
  driver: 'sim',
  backend: 'libgpiod',
  consumer: 'kiosk-test',
  pollIntervalMs: 20,
  retryIntervalMs: 60_000,
  inputs: {
    door: { chip: 0, offset: 17, activeLow: false, bias: 'pull-up', debounceMs: 50 },
    powerFail: null,
    paperLow: null,
  },
  outputs: { statusLight: { chip: 0, offset: 27, activeLow: false }, buzzer: null },
};
const deps = { clock: new ManualClock(0), logger: silentLogger(), isBusinessHours: () => true };

describe('createGpio', () => {
  it('builds the simulator, or nothing for `none`', async () => {
    const sim = await createGpio(base, deps);
    expect(sim).toBeInstanceOf(SimGpio);
    await sim.start();
    expect(sim.health().state).toBe('ok');
    await sim.stop();
    const none = await createGpio({ ...base, driver: 'none' }, deps);
    await none.start();
    expect(none.health()).toMatchObject({
      state: 'offline',
      driver: 'none',
      reason: { code: 'DEVICE_E_UNSUPPORTED' },
    });
    expect(none.doorOpen()).toBeNull();
    await none.beep({ count: 1, onMs: 1, offMs: 0 });
  });

  it('real/libgpiod on this machine (no GPIO chips): offline with the reason, retrying', async () => {
    const gpio = await createGpio({ ...base, driver: 'real' }, deps);
    expect(gpio).toBeInstanceOf(KioskGpio);
    await gpio.start();
    expect(gpio.health()).toMatchObject({
      state: 'offline',
      driver: 'libgpiod',
      reason: { code: 'DEVICE_E_ABSENT' },
    });
    await gpio.stop();
  });

  it('real/onoff on this machine (no sysfs GPIO): offline, unsupported', async () => {
    const gpio = await createGpio({ ...base, driver: 'real', backend: 'onoff' }, deps);
    await gpio.start();
    expect(gpio.health()).toMatchObject({
      state: 'offline',
      driver: 'onoff',
      reason: { code: 'DEVICE_E_UNSUPPORTED' },
    });
    await gpio.stop();
  });

  it('config: refuses unknown keys and bad lines, all at once', () => {
    const bad = gpioConfigSchema.safeParse({
      ...base,
      extra: 1,
      inputs: { ...base.inputs, door: { chip: 0, offset: -1, activeLow: 'no', bias: 'up', debounceMs: 5 } },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.length).toBeGreaterThanOrEqual(4);
  });
});
