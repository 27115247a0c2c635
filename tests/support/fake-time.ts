import { vi } from 'vitest';
import type { Engine } from '../../src/engine/engine.ts';

const realImmediate = globalThis.setImmediate;

/** Fake timers for the clock and timeouts; setImmediate stays real so LevelDB I/O can complete. */
export function useFakeClock(now?: number): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  if (now !== undefined) vi.setSystemTime(now);
}

const turn = (): Promise<void> => new Promise((r) => realImmediate(r));

/**
 * Moves fake time forward in steps, letting the engine finish its real journal I/O after each
 * step, so every timer the engine sets along the way fires at its due time.
 */
export async function advance(engine: Engine, ms: number, step = 1000): Promise<void> {
  await engine.whenIdle(turn);
  for (let done = 0; done < ms; ) {
    const d = Math.min(step, ms - done);
    await vi.advanceTimersByTimeAsync(d);
    await engine.whenIdle(turn);
    done += d;
  }
}
