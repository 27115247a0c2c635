/**
 * Per-key mutual exclusion inside one process: callers of the same key run one after another, in
 * the order they asked; different keys run at once.
 */
export class KeyedLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Settles once every run started so far has finished. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
