import type { LibgpiodModule } from '../../../devices/gpio/libgpiod-driver.ts';
import { errno, lookupChip, type MemoryGpioChip } from '../../../devices/gpio/memory-chip.ts';
import type { OnoffGpio, OnoffModule, SysfsChip } from '../../../devices/gpio/onoff-driver.ts';

/**
 * Stand-ins for the `node-libgpiod` and `onoff` modules over in-memory chips, so the real drivers'
 * code runs against them. They follow the libraries' behaviour: errno-coded errors (ENOENT for a
 * missing chip, EINVAL for a bad offset, EBUSY for a taken line), active-low applied by the
 * library, libgpiod without change events, onoff with edge callbacks.
 */
const FLAGS = {
  OPEN_DRAIN: 1,
  OPEN_SOURCE: 2,
  ACTIVE_LOW: 4,
  BIAS_DISABLE: 8,
  BIAS_PULL_DOWN: 16,
  BIAS_PULL_UP: 32,
};

export function fakeLibgpiod(chips: MemoryGpioChip[]): LibgpiodModule {
  class Line {
    private requested = false;
    private inv = 0;
    constructor(
      private readonly mem: MemoryGpioChip,
      private readonly offset: number,
    ) {}
    requestInputModeFlags(consumer: string, flags: number): void {
      const bias =
        flags & FLAGS.BIAS_PULL_UP
          ? 'pull-up'
          : flags & FLAGS.BIAS_PULL_DOWN
            ? 'pull-down'
            : flags & FLAGS.BIAS_DISABLE
              ? 'disable'
              : 'as-is';
      this.mem.request(this.offset, consumer, 'in', { bias });
      this.inv = flags & FLAGS.ACTIVE_LOW ? 1 : 0;
      this.requested = true;
    }
    requestOutputModeFlags(consumer: string, flags: number, value: number): void {
      this.inv = flags & FLAGS.ACTIVE_LOW ? 1 : 0;
      this.mem.request(this.offset, consumer, 'out', { initial: ((value ? 1 : 0) ^ this.inv) as 0 | 1 });
      this.requested = true;
    }
    getValue(): number {
      if (!this.requested) throw errno('EPERM', 'line not requested');
      return this.mem.get(this.offset) ^ this.inv;
    }
    setValue(v: number): void {
      if (!this.requested) throw errno('EPERM', 'line not requested');
      this.mem.set(this.offset, ((v ? 1 : 0) ^ this.inv) as 0 | 1);
    }
    release(): void {
      if (this.requested) this.mem.release(this.offset);
      this.requested = false;
    }
  }
  class Chip {
    private readonly mem: MemoryGpioChip;
    constructor(id: number | string) {
      this.mem = lookupChip(chips, id);
    }
    getLine(offset: number): Line {
      if (offset >= this.mem.numLines) throw errno('EINVAL', `no line ${offset}`);
      return new Line(this.mem, offset);
    }
  }
  return { Chip, Line: { RequestFlags: FLAGS } } as unknown as LibgpiodModule;
}

/** Sysfs view of memory chips with the given bases (512 = Pi 4 on kernel ≥ 6.6). */
export function sysfsOf(chips: MemoryGpioChip[], bases: number[]): SysfsChip[] {
  return chips.map((c, i) => ({ base: bases[i] ?? 0, ngpio: c.numLines, label: c.label, name: c.name }));
}

export function fakeOnoff(chips: MemoryGpioChip[], sysfs: SysfsChip[], accessible = true): OnoffModule {
  class Gpio implements OnoffGpio {
    static readonly accessible = accessible;
    private readonly mem: MemoryGpioChip;
    private readonly offset: number;
    private readonly inv: number;
    private unsubscribe: (() => void) | null = null;
    constructor(n: number, direction: 'in' | 'out', _edge?: string, opts: { activeLow?: boolean } = {}) {
      const i = sysfs.findIndex((s) => n >= s.base && n < s.base + s.ngpio);
      const s = sysfs[i];
      if (!s) throw errno('EINVAL', `write /sys/class/gpio/export: ${n}`);
      this.mem = lookupChip(chips, s.name ?? s.label);
      this.offset = n - s.base;
      this.inv = opts.activeLow ? 1 : 0;
      this.mem.request(this.offset, 'sysfs', direction, { initial: 0 });
    }
    readSync(): number {
      return this.mem.get(this.offset) ^ this.inv;
    }
    writeSync(v: 0 | 1): void {
      this.mem.set(this.offset, (v ^ this.inv) as 0 | 1);
    }
    watch(cb: (err: Error | null, value: number) => void): void {
      let last = this.mem.get(this.offset);
      this.unsubscribe = this.mem.onChange((off) => {
        if (off !== this.offset) return;
        let now: number;
        try {
          now = this.mem.get(this.offset);
        } catch (e) {
          return cb(e as Error, 0);
        }
        if (now !== last) {
          last = now as 0 | 1;
          cb(null, now ^ this.inv);
        }
      });
    }
    unwatchAll(): void {
      this.unsubscribe?.();
      this.unsubscribe = null;
    }
    unexport(): void {
      this.unwatchAll();
      this.mem.release(this.offset);
    }
  }
  return { Gpio } as unknown as OnoffModule;
}
