/**
 * Anti-replay window for command sequence numbers (as in IPsec): a sequence number is accepted
 * once, if it is above the highest seen or within `window` below it and not yet seen. Commands
 * sent by several HQ instances may therefore arrive slightly out of order. Pure state; the caller
 * persists `state()` after a command is applied.
 */
export interface ReplayState {
  highest: number;
  /** Sequence numbers seen within the window below `highest` (including it). */
  seen: number[];
}

export class ReplayGuard {
  private highest: number;
  private seen: Set<number>;

  constructor(
    initial: ReplayState = { highest: 0, seen: [] },
    private readonly window = 256,
  ) {
    this.highest = initial.highest;
    this.seen = new Set(initial.seen);
  }

  /** True when `seq` has not been used and is not too old. Does not record it. */
  fresh(seq: number): boolean {
    if (seq > this.highest) return true;
    if (seq <= this.highest - this.window) return false;
    return !this.seen.has(seq);
  }

  record(seq: number): void {
    this.seen.add(seq);
    if (seq > this.highest) this.highest = seq;
    for (const s of this.seen) if (s <= this.highest - this.window) this.seen.delete(s);
  }

  state(): ReplayState {
    return { highest: this.highest, seen: [...this.seen].sort((a, b) => a - b) };
  }
}
