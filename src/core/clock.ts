/**
 * Time source. Everything that depends on the time of day takes a Clock, so that the day cut,
 * reversal windows and alerts are testable with fake timers. Epoch milliseconds, UTC.
 */
export interface Clock {
  now(): number;
}

/** Reads Date.now() at call time, so vitest's fake timers drive it too. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for pure tests. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
