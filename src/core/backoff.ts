/**
 * Jittered exponential back-off for reconnects: the base doubles from `minMs` to `maxMs` after each
 * failed attempt, and each wait is drawn uniformly from [base/2, base] ("equal jitter"), so a fleet
 * that lost its broker at the same moment comes back spread over half the base instead of in the
 * same second, and no wait is shorter than half the minimum. `random` returns [0, 1).
 */
export class Backoff {
  private base: number;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.base = minMs;
  }

  /** The wait before the next attempt, ms; the base doubles for the one after. */
  next(): number {
    const wait = jittered(this.base, this.random());
    this.base = Math.min(this.maxMs, this.base * 2);
    return wait;
  }

  /** After a successful connection: start again from the minimum. */
  reset(): void {
    this.base = this.minMs;
  }
}

/** A wait in [base/2, base], ms, for a draw `r` in [0, 1). */
export const jittered = (base: number, r: number): number => Math.round(base / 2 + (base / 2) * r);
