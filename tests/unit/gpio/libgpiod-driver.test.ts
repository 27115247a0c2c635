import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskGpio } from '../../../devices/gpio/kiosk-gpio.ts';
import { LibgpiodDriver } from '../../../devices/gpio/libgpiod-driver.ts';
import { MemoryGpioChip } from '../../../devices/gpio/memory-chip.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { fakeLibgpiod } from './fake-gpio-modules.ts';

describe('LibgpiodDriver (on a fake node-libgpiod over a memory chip)', () => {
  let chip: MemoryGpioChip;
  let driver: LibgpiodDriver;
  beforeEach(() => {
    chip = new MemoryGpioChip('gpiochip0', 'pinctrl-bcm2711', 58);
    driver = new LibgpiodDriver(fakeLibgpiod([chip]));
  });

  it('requests the bias from the kernel and reads logical values', () => {
    const up = driver.openInput({ chip: 0, offset: 17, activeLow: false, bias: 'pull-up' }, 'k');
    expect(up.read()).toBe(1);
    const upInv = driver.openInput({ chip: 0, offset: 18, activeLow: true, bias: 'pull-up' }, 'k');
    expect(upInv.read()).toBe(0);
    const down = driver.openInput({ chip: 0, offset: 19, activeLow: false, bias: 'pull-down' }, 'k');
    expect(down.read()).toBe(0);
    chip.drive(19, 1);
    expect(down.read()).toBe(1);
    expect(chip.consumer(17)).toBe('k');
  });

  it('finds chips by label as well as by number, and releases lines on close', () => {
    const out = driver.openOutput({ chip: 'pinctrl-bcm2711', offset: 27, activeLow: true }, 'k', 1);
    expect(chip.level(27)).toBe(0);
    out.write(0);
    expect(chip.level(27)).toBe(1);
    out.close();
    expect(chip.consumer(27)).toBeNull();
  });

  it('maps library errno errors to device errors', () => {
    expect(() => driver.openInput({ chip: 3, offset: 0, activeLow: false, bias: 'as-is' }, 'k')).toThrow(
      expect.objectContaining({ code: 'DEVICE_E_ABSENT', en: expect.stringContaining('chip 3 line 0') }),
    );
    chip.request(5, 'someone-else', 'in');
    expect(() => driver.openOutput({ chip: 0, offset: 5, activeLow: false }, 'k', 0)).toThrow(
      expect.objectContaining({ code: 'DEVICE_E_BUSY' }),
    );
    const l = driver.openInput({ chip: 0, offset: 6, activeLow: false, bias: 'as-is' }, 'k');
    chip.setPresent(false);
    expect(() => l.read()).toThrow(expect.objectContaining({ code: 'DEVICE_E_ABSENT' }));
  });

  it('has no change events: the device samples its inputs', async () => {
    vi.useFakeTimers();
    try {
      const line = driver.openInput({ chip: 0, offset: 1, activeLow: false, bias: 'as-is' }, 'probe');
      expect(line.watch).toBeUndefined();
      line.close();
      const gpio = new KioskGpio(
        {
          consumer: 'k',
          pollIntervalMs: 10,
          retryIntervalMs: 1000,
          inputs: {
            door: { chip: 0, offset: 17, activeLow: false, bias: 'as-is', debounceMs: 20 },
            powerFail: null,
            paperLow: null,
          },
          outputs: { statusLight: null, buzzer: null },
        },
        { driver, clock: systemClock, logger: silentLogger(), isBusinessHours: () => true },
      );
      await gpio.start();
      chip.drive(17, 1);
      expect(gpio.doorOpen()).toBe(false);
      await vi.advanceTimersByTimeAsync(40);
      expect(gpio.doorOpen()).toBe(true);
      await gpio.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('node-libgpiod itself, on this machine', () => {
  afterEach(() => vi.useRealTimers());
  it('loads lazily and reports a missing chip as DEVICE_E_ABSENT', async () => {
    const { importLibgpiod } = await import('../../../devices/gpio/libgpiod-driver.ts');
    const lib = await importLibgpiod();
    const d = new LibgpiodDriver(lib);
    expect(() => d.openInput({ chip: 63, offset: 0, activeLow: false, bias: 'as-is' }, 'kiosk-test')).toThrow(
      expect.objectContaining({ code: 'DEVICE_E_ABSENT' }),
    );
  });
});
