import type { Clock } from '../../src/core/clock.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { BusinessHours } from './gpio.ts';
import type { GpioConfig, GpioLineConfig } from './gpio-config.ts';
import { KioskGpio } from './kiosk-gpio.ts';
import { lookupChip, MemoryGpioChip, MemoryGpioDriver } from './memory-chip.ts';

type Inputs = GpioConfig['inputs'];
type InputName = keyof Inputs;

/**
 * The GPIO simulator: the real KioskGpio logic over in-memory chips laid out like the configured
 * board. Test controls act on the physical pins (respecting active-low), so debouncing, bias and
 * line failures behave as on hardware: `setInput('door', true)` is the door switch opening.
 */
export class SimGpio extends KioskGpio {
  readonly chips: MemoryGpioChip[];

  constructor(
    private readonly simConfig: Omit<GpioConfig, 'driver' | 'backend'>,
    deps: { clock: Clock; logger: Logger; isBusinessHours: BusinessHours },
  ) {
    const chips = boardFor(simConfig);
    super(simConfig, { ...deps, driver: new MemoryGpioDriver(chips) });
    this.chips = chips;
  }

  /** Puts a physical level on an input meaning `active` (door open, power failed, paper low). */
  setInput(name: InputName, active: boolean): void {
    const spec = this.simConfig.inputs[name];
    if (!spec) throw new Error(`no ${name} input configured`);
    lookupChip(this.chips, spec.chip).drive(spec.offset, active !== spec.activeLow ? 1 : 0);
  }

  openDoor(): void {
    this.setInput('door', true);
  }
  closeDoor(): void {
    this.setInput('door', false);
  }

  /** Whether an output is in its active state (light lit, buzzer sounding) at the pin. */
  outputActive(name: keyof GpioConfig['outputs']): boolean {
    const spec = this.simConfig.outputs[name];
    if (!spec) throw new Error(`no ${name} output configured`);
    return (lookupChip(this.chips, spec.chip).level(spec.offset) === 1) !== spec.activeLow;
  }
}

/** One memory chip per chip referenced in config (at least 54 lines, like a Pi's), inputs at rest. */
function boardFor(config: Omit<GpioConfig, 'driver' | 'backend'>): MemoryGpioChip[] {
  const lines: GpioLineConfig[] = [...Object.values(config.inputs), ...Object.values(config.outputs)].filter(
    (l): l is GpioLineConfig => l !== null,
  );
  const sizes = new Map<number | string, number>();
  for (const l of lines) sizes.set(l.chip, Math.max(sizes.get(l.chip) ?? 0, l.offset + 1));
  const chips = [...sizes].map(([chip, n]) =>
    typeof chip === 'number'
      ? new MemoryGpioChip(`gpiochip${chip}`, `sim-gpio-${chip}`, Math.max(n, 54))
      : new MemoryGpioChip(`gpiochip-${chip}`, chip, Math.max(n, 54)),
  );
  // Quiet board: door shut, mains present, paper fine.
  for (const spec of Object.values(config.inputs)) {
    if (spec) lookupChip(chips, spec.chip).drive(spec.offset, spec.activeLow ? 1 : 0);
  }
  return chips;
}
