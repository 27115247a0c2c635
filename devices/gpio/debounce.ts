import type { Level } from './gpio-driver.ts';

/**
 * Debounces a binary signal fed by samples or interrupts: a new level counts once it has held for
 * `ms` without going back. The first value is taken as the stable state at once (`initial`).
 * Uses the global timers, so vitest's fake timers drive it.
 */
export class Debouncer {
  private stable: Level | null = null;
  private candidate: Level | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ms: number,
    private readonly onChange: (value: Level, initial: boolean) => void,
  ) {}

  value(): Level | null {
    return this.stable;
  }

  sample(v: Level): void {
    if (this.stable === null) {
      this.stable = v;
      this.onChange(v, true);
      return;
    }
    if (v === this.stable) {
      this.cancel();
      return;
    }
    if (v === this.candidate) return;
    this.cancel();
    if (this.ms === 0) {
      this.commit(v);
      return;
    }
    this.candidate = v;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.commit(v);
    }, this.ms);
  }

  /** Drops a pending change (the line went away); the stable value is kept. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.candidate = null;
  }

  private commit(v: Level): void {
    this.candidate = null;
    this.stable = v;
    this.onChange(v, false);
  }
}
