import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceError } from '../device.ts';
import type { GpioDriver, InputLine, InputSpec, Level, LineSpec, OutputLine } from './gpio-driver.ts';
import { mapGpioError } from './gpio-driver.ts';
import { errno } from './memory-chip.ts';

/** The part of `onoff` (sysfs GPIO) this driver uses; typed locally so tests can inject a fake. */
export interface OnoffGpio {
  readSync(): number;
  writeSync(value: Level): void;
  watch(cb: (err: Error | null | undefined, value: number) => void): void;
  unwatchAll(): void;
  unexport(): void;
}

export interface OnoffModule {
  Gpio: {
    new (
      gpio: number,
      direction: 'in' | 'out',
      edge?: 'none' | 'both',
      options?: { activeLow?: boolean },
    ): OnoffGpio;
    readonly accessible: boolean;
  };
}

export async function importOnoff(): Promise<OnoffModule> {
  const mod = (await import('onoff')) as unknown as OnoffModule & { default?: OnoffModule };
  return mod.default ?? mod;
}

/** One chip as /sys/class/gpio shows it. */
export interface SysfsChip {
  /** First sysfs GPIO number of the chip (512 on a Pi 4 with kernel ≥ 6.6, 0 on older kernels). */
  base: number;
  ngpio: number;
  label: string;
  /** Character-device name of the same chip (gpiochipN), when the kernel links it. */
  name: string | null;
}

/** Reads the chips from sysfs: gpiochip<base>/{base,ngpio,label} and device/gpiochipN. */
export function readSysfsChips(root = '/sys/class/gpio'): SysfsChip[] {
  const out: SysfsChip[] = [];
  for (const dir of readdirSync(root)) {
    if (!/^gpiochip\d+$/.test(dir)) continue;
    const at = (f: string) => readFileSync(join(root, dir, f), 'utf8').trim();
    let name: string | null = null;
    try {
      name = readdirSync(join(root, dir, 'device')).find((e) => /^gpiochip\d+$/.test(e)) ?? null;
    } catch {
      name = null;
    }
    out.push({ base: Number(at('base')), ngpio: Number(at('ngpio')), label: at('label'), name });
  }
  return out;
}

/**
 * The sysfs number of a line given by chip + offset. Never hard-code these: since kernel 6.6 the
 * Pi's numbers start at 512 (and differ on a Pi 5), so they are derived from sysfs every time.
 */
export function sysfsNumber(chips: readonly SysfsChip[], spec: LineSpec): number {
  const key = typeof spec.chip === 'number' ? `gpiochip${spec.chip}` : spec.chip;
  const chip = chips.find((c) => c.name === key || c.label === key);
  if (!chip) throw errno('ENOENT', `no GPIO chip "${spec.chip}" in sysfs`);
  if (spec.offset >= chip.ngpio) throw errno('EINVAL', `chip "${chip.label}" has ${chip.ngpio} lines`);
  return chip.base + spec.offset;
}

/**
 * GPIO through the deprecated sysfs interface (`onoff`), for older images. Inputs get edge
 * interrupts (epoll), so they are not sampled. Bias cannot be set through sysfs: configure pulls in
 * config.txt (e.g. `gpio=17=ip,pu`). The consumer name is not shown (sysfs lines read "sysfs").
 */
export class OnoffDriver implements GpioDriver {
  readonly name = 'onoff' as const;

  constructor(
    private readonly lib: OnoffModule,
    private readonly listChips: () => SysfsChip[] = readSysfsChips,
  ) {}

  openInput(spec: InputSpec, _consumer: string): InputLine {
    const g = this.export(spec, 'in', 'both');
    return {
      read: () => guard(spec, () => (g.readSync() ? 1 : 0) as Level),
      watch: (cb, onError) =>
        g.watch((err, value) => (err ? onError(mapGpioError(err, spec)) : cb((value ? 1 : 0) as Level))),
      close: () =>
        guard(spec, () => {
          g.unwatchAll();
          g.unexport();
        }),
    };
  }

  openOutput(spec: LineSpec, _consumer: string, initial: Level): OutputLine {
    const g = this.export(spec, 'out', 'none');
    guard(spec, () => g.writeSync(initial));
    return {
      write: (v) => guard(spec, () => g.writeSync(v)),
      close: () => guard(spec, () => g.unexport()),
    };
  }

  private export(spec: LineSpec, direction: 'in' | 'out', edge: 'none' | 'both'): OnoffGpio {
    if (!this.lib.Gpio.accessible) {
      throw new DeviceError(
        'DEVICE_E_UNSUPPORTED',
        '系统不支持 sysfs GPIO',
        'sysfs GPIO (/sys/class/gpio) is not available',
      );
    }
    return guard(
      spec,
      () =>
        new this.lib.Gpio(sysfsNumber(this.listChips(), spec), direction, edge, {
          activeLow: spec.activeLow,
        }),
    );
  }
}

function guard<T>(spec: LineSpec, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw mapGpioError(e, spec);
  }
}
