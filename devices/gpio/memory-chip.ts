import type { GpioDriver, InputLine, InputSpec, Level, LineSpec, OutputLine } from './gpio-driver.ts';
import { mapGpioError } from './gpio-driver.ts';

/**
 * An in-memory GPIO chip with the behaviour the kernel gives a real one: lines are requested by one
 * consumer at a time (EBUSY otherwise), offsets beyond the chip are EINVAL, inputs read what drives
 * them (an external signal, a jumper from an output, or else the bias), and an unplugged chip
 * fails every call with ENODEV. Levels here are physical; active-low is the driver's business.
 * Used by the simulator, and by tests as the "hardware" under fake library modules.
 */
export type Bias = InputSpec['bias'];

interface LineState {
  consumer: string | null;
  direction: 'in' | 'out';
  bias: Bias;
  out: Level;
  external: Level | null;
}

export function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

export class MemoryGpioChip {
  private readonly lines: LineState[];
  private readonly wires = new Map<number, number>();
  private readonly listeners = new Set<(offset: number) => void>();
  private present = true;

  /** `name` is the kernel name (gpiochipN); `label` the driver label, e.g. "pinctrl-bcm2711". */
  constructor(
    readonly name: string,
    readonly label: string,
    readonly numLines: number,
  ) {
    this.lines = Array.from({ length: numLines }, () => ({
      consumer: null,
      direction: 'in' as const,
      bias: 'as-is' as const,
      out: 0 as Level,
      external: null,
    }));
  }

  // ---- kernel side, used by drivers and fake library modules ----

  request(
    offset: number,
    consumer: string,
    direction: 'in' | 'out',
    opts: { bias?: Bias; initial?: Level } = {},
  ): void {
    const l = this.line(offset);
    if (l.consumer !== null) throw errno('EBUSY', `line ${offset} is used by "${l.consumer}"`);
    l.consumer = consumer || '?';
    l.direction = direction;
    l.bias = opts.bias ?? 'as-is';
    if (direction === 'out') l.out = opts.initial ?? 0;
    this.notifyAll();
  }

  /** Frees the line; like the kernel, the pin keeps its direction and last driven level. */
  release(offset: number): void {
    this.line(offset).consumer = null;
  }

  get(offset: number): Level {
    const l = this.line(offset);
    if (l.direction === 'out') return l.out;
    return this.inputLevel(offset, l);
  }

  set(offset: number, level: Level): void {
    const l = this.line(offset);
    if (l.direction !== 'out') throw errno('EPERM', `line ${offset} is not an output`);
    l.out = level;
    this.notifyAll();
  }

  /** Calls `fn(offset)` whenever a line's level may have changed. */
  onChange(fn: (offset: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  // ---- the outside world, used by the simulator's controls and tests ----

  /** An external signal on `offset` (a switch closing to ground = 0); null lets the line float. */
  drive(offset: number, level: Level | null): void {
    this.line(offset).external = level;
    this.notifyAll();
  }

  /** A jumper wire: input `to` follows output `from`. */
  wire(from: number, to: number): void {
    this.wires.set(to, from);
    this.notifyAll();
  }

  /** Physical level of a line as a probe would see it. */
  level(offset: number): Level {
    return this.get(offset);
  }

  consumer(offset: number): string | null {
    return this.line(offset).consumer;
  }

  /** Takes the chip away (USB expander unplugged) or brings it back with its lines released. */
  setPresent(present: boolean): void {
    this.present = present;
    if (present) for (const l of this.lines) l.consumer = null;
  }

  private inputLevel(offset: number, l: LineState): Level {
    if (l.external !== null) return l.external;
    const from = this.wires.get(offset);
    if (from !== undefined && this.lines[from]?.direction === 'out') return this.lines[from].out;
    return l.bias === 'pull-up' ? 1 : 0;
  }

  private line(offset: number): LineState {
    if (!this.present) throw errno('ENODEV', `${this.name} is gone`);
    const l = this.lines[offset];
    if (!Number.isInteger(offset) || !l) throw errno('EINVAL', `${this.name} has no line ${offset}`);
    return l;
  }

  private notifyAll(): void {
    for (const fn of this.listeners) for (let i = 0; i < this.numLines; i++) fn(i);
  }
}

/** Finds a chip by number (gpiochipN), kernel name, path or label, like gpiod_chip_open_lookup. */
export function lookupChip(chips: readonly MemoryGpioChip[], id: number | string): MemoryGpioChip {
  const key = typeof id === 'number' ? `gpiochip${id}` : id.replace(/^\/dev\//, '');
  const chip = chips.find(
    (c) => c.name === key || c.label === key || (/^\d+$/.test(key) && c.name === `gpiochip${key}`),
  );
  if (!chip) throw errno('ENOENT', `no GPIO chip "${id}"`);
  return chip;
}

/** GpioDriver straight on memory chips: what the simulator runs on. Inputs are sampled (no events). */
export class MemoryGpioDriver implements GpioDriver {
  readonly name = 'memory' as const;

  constructor(private readonly chips: readonly MemoryGpioChip[]) {}

  openInput(spec: InputSpec, consumer: string): InputLine {
    try {
      const chip = lookupChip(this.chips, spec.chip);
      chip.request(spec.offset, consumer, 'in', { bias: spec.bias });
      const inv = spec.activeLow ? 1 : 0;
      return {
        read: () => wrap(spec, () => (chip.get(spec.offset) ^ inv) as Level),
        close: () => wrap(spec, () => chip.release(spec.offset)),
      };
    } catch (e) {
      throw mapGpioError(e, spec);
    }
  }

  openOutput(spec: LineSpec, consumer: string, initial: Level): OutputLine {
    try {
      const chip = lookupChip(this.chips, spec.chip);
      const inv = spec.activeLow ? 1 : 0;
      chip.request(spec.offset, consumer, 'out', { initial: (initial ^ inv) as Level });
      return {
        write: (v) => wrap(spec, () => chip.set(spec.offset, (v ^ inv) as Level)),
        close: () => wrap(spec, () => chip.release(spec.offset)),
      };
    } catch (e) {
      throw mapGpioError(e, spec);
    }
  }
}

function wrap<T>(spec: LineSpec, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw mapGpioError(e, spec);
  }
}
