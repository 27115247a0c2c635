import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KioskGpio } from '../../../devices/gpio/kiosk-gpio.ts';
import { MemoryGpioChip } from '../../../devices/gpio/memory-chip.ts';
import { OnoffDriver, readSysfsChips, sysfsNumber } from '../../../devices/gpio/onoff-driver.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { fakeOnoff, sysfsOf } from './fake-gpio-modules.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  vi.useRealTimers();
});

/** A /sys/class/gpio tree as a Pi 5 on kernel 6.6 shows it. */
function pi5Sysfs(): string {
  const root = mkdtempSync(join(tmpdir(), 'kiosk-sysfs-'));
  dirs.push(root);
  const chip = (dir: string, base: number, ngpio: number, label: string, dev: string) => {
    mkdirSync(join(root, dir, 'device', dev), { recursive: true });
    writeFileSync(join(root, dir, 'base'), `${base}\n`);
    writeFileSync(join(root, dir, 'ngpio'), `${ngpio}\n`);
    writeFileSync(join(root, dir, 'label'), `${label}\n`);
  };
  chip('gpiochip512', 512, 32, 'gpio-brcmstb@107d508500', 'gpiochip0');
  chip('gpiochip571', 571, 54, 'pinctrl-rp1', 'gpiochip4');
  writeFileSync(join(root, 'export'), '');
  return root;
}

describe('sysfs numbering', () => {
  it('reads chips from sysfs and derives numbers from base + offset, never hard-coded', () => {
    const chips = readSysfsChips(pi5Sysfs());
    expect(chips).toContainEqual({ base: 571, ngpio: 54, label: 'pinctrl-rp1', name: 'gpiochip4' });
    expect(sysfsNumber(chips, { chip: 4, offset: 17, activeLow: false })).toBe(588);
    expect(sysfsNumber(chips, { chip: 'pinctrl-rp1', offset: 17, activeLow: false })).toBe(588);
    expect(sysfsNumber(chips, { chip: 0, offset: 3, activeLow: false })).toBe(515);
    expect(() => sysfsNumber(chips, { chip: 4, offset: 54, activeLow: false })).toThrow(/54 lines/);
    expect(() => sysfsNumber(chips, { chip: 9, offset: 0, activeLow: false })).toThrow(/no GPIO chip/);
  });
});

describe('OnoffDriver (on a fake onoff over a memory chip)', () => {
  const setup = (accessible = true) => {
    const chip = new MemoryGpioChip('gpiochip0', 'pinctrl-bcm2711', 58);
    const sysfs = sysfsOf([chip], [512]);
    return { chip, driver: new OnoffDriver(fakeOnoff([chip], sysfs, accessible), () => sysfs) };
  };

  it('exports base + offset, applies active-low, unexports on close', () => {
    const { chip, driver } = setup();
    const out = driver.openOutput({ chip: 0, offset: 27, activeLow: true }, 'k', 1);
    expect(chip.consumer(27)).toBe('sysfs');
    expect(chip.level(27)).toBe(0);
    out.close();
    expect(chip.consumer(27)).toBeNull();
    expect(() => driver.openInput({ chip: 0, offset: 60, activeLow: false, bias: 'as-is' }, 'k')).toThrow(
      expect.objectContaining({ code: 'DEVICE_E_ABSENT' }),
    );
  });

  it('says so when sysfs GPIO is not available', () => {
    const { driver } = setup(false);
    expect(() => driver.openOutput({ chip: 0, offset: 1, activeLow: false }, 'k', 0)).toThrow(
      expect.objectContaining({ code: 'DEVICE_E_UNSUPPORTED' }),
    );
  });

  it('delivers edges, so the device debounces without sampling', async () => {
    vi.useFakeTimers();
    const { chip, driver } = setup();
    const gpio = new KioskGpio(
      {
        consumer: 'k',
        pollIntervalMs: 1000,
        retryIntervalMs: 1000,
        inputs: {
          door: null,
          powerFail: { chip: 0, offset: 6, activeLow: true, bias: 'as-is', debounceMs: 30 },
          paperLow: null,
        },
        outputs: { statusLight: null, buzzer: null },
      },
      { driver, clock: systemClock, logger: silentLogger(), isBusinessHours: () => true },
    );
    chip.drive(6, 1);
    const seen: string[] = [];
    gpio.on('power-fail', () => seen.push('fail'));
    gpio.on('power-restored', () => seen.push('restored'));
    await gpio.start();
    chip.drive(6, 0);
    await vi.advanceTimersByTimeAsync(31);
    expect(seen).toEqual(['fail']);
    chip.drive(6, 1);
    await vi.advanceTimersByTimeAsync(10);
    chip.drive(6, 0);
    await vi.advanceTimersByTimeAsync(31);
    expect(seen).toEqual(['fail']);
    chip.drive(6, 1);
    await vi.advanceTimersByTimeAsync(31);
    expect(seen).toEqual(['fail', 'restored']);
    await gpio.stop();
    expect(chip.consumer(6)).toBeNull();
  });
});
