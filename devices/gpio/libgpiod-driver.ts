import type { GpioDriver, InputLine, InputSpec, Level, LineSpec, OutputLine } from './gpio-driver.ts';
import { mapGpioError } from './gpio-driver.ts';

/**
 * The part of `node-libgpiod` (libgpiod 1.x character-device API) this driver uses. Typed locally
 * so tests can hand the same driver a fake module built on an in-memory chip. Flags are numbers at
 * runtime (the package's .d.ts types them as objects).
 */
export interface LibgpiodLine {
  requestInputModeFlags(consumer: string, flags: number): void;
  requestOutputModeFlags(consumer: string, flags: number, defaultValue: number): void;
  getValue(): number;
  setValue(value: number): void;
  release(): void;
}

export interface LibgpiodChip {
  getLine(offset: number): LibgpiodLine;
}

export interface LibgpiodModule {
  Chip: new (identifier: number | string) => LibgpiodChip;
  Line: {
    RequestFlags: { ACTIVE_LOW: number; BIAS_DISABLE: number; BIAS_PULL_DOWN: number; BIAS_PULL_UP: number };
  };
}

/** Lazy import of the native binding (only where the libgpiod backend runs). */
export async function importLibgpiod(): Promise<LibgpiodModule> {
  const mod = (await import('node-libgpiod')) as unknown as LibgpiodModule & { default?: LibgpiodModule };
  return mod.default ?? mod;
}

/**
 * GPIO through libgpiod: lines by chip and offset, active-low and bias handled by the kernel.
 * node-libgpiod 0.5 exposes no edge-event reading, so inputs are sampled by the device.
 */
export class LibgpiodDriver implements GpioDriver {
  readonly name = 'libgpiod' as const;
  /** Chips with requested lines; node-libgpiod closes a chip when its object is collected. */
  private readonly held = new Set<LibgpiodChip>();

  constructor(private readonly lib: LibgpiodModule) {}

  openInput(spec: InputSpec, consumer: string): InputLine {
    const F = this.lib.Line.RequestFlags;
    const bias = {
      'as-is': 0,
      'pull-up': F.BIAS_PULL_UP,
      'pull-down': F.BIAS_PULL_DOWN,
      disable: F.BIAS_DISABLE,
    }[spec.bias];
    const { chip, line } = this.request(spec, (l) =>
      l.requestInputModeFlags(consumer, this.activeLow(spec) | bias),
    );
    return {
      read: () => guard(spec, () => (line.getValue() ? 1 : 0) as Level),
      close: () => this.release(chip, line, spec),
    };
  }

  openOutput(spec: LineSpec, consumer: string, initial: Level): OutputLine {
    const { chip, line } = this.request(spec, (l) =>
      l.requestOutputModeFlags(consumer, this.activeLow(spec), initial),
    );
    return {
      write: (v) => guard(spec, () => line.setValue(v)),
      close: () => this.release(chip, line, spec),
    };
  }

  private activeLow(spec: LineSpec): number {
    return spec.activeLow ? this.lib.Line.RequestFlags.ACTIVE_LOW : 0;
  }

  /** Opens the chip for this line (kept alive by the returned closures) and requests the line. */
  private request(
    spec: LineSpec,
    req: (l: LibgpiodLine) => void,
  ): { chip: LibgpiodChip; line: LibgpiodLine } {
    return guard(spec, () => {
      const chip = new this.lib.Chip(spec.chip);
      const line = chip.getLine(spec.offset);
      req(line);
      this.held.add(chip);
      return { chip, line };
    });
  }

  private release(chip: LibgpiodChip, line: LibgpiodLine, spec: LineSpec): void {
    this.held.delete(chip);
    guard(spec, () => line.release());
  }
}

function guard<T>(spec: LineSpec, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw mapGpioError(e, spec);
  }
}
