import { describe, expect, it } from 'vitest';
import { Backoff, jittered } from '../../../src/core/backoff.ts';

describe('reconnect back-off', () => {
  it('doubles from the minimum to the maximum, each wait drawn in [base/2, base]', () => {
    const draws = [0, 0.999, 0.5, 0, 0.999, 0.25];
    const b = new Backoff(1000, 8000, () => draws.shift() ?? 0);
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      500, 1999, 3000, 4000, 7996, 5000,
    ]);
  });

  it('starts again from the minimum after a connection', () => {
    const b = new Backoff(200, 60_000, () => 0.999);
    for (let i = 0; i < 20; i++) b.next();
    expect(b.next()).toBe(59_970);
    b.reset();
    expect(b.next()).toBe(200);
  });

  it('spreads a fleet that lost the broker at once over half the base', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const waits = Array.from({ length: 500 }, () => new Backoff(4000, 60_000, random).next());
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(4000);
    // Not one instant: hundreds of distinct waits across the two seconds.
    expect(new Set(waits).size).toBeGreaterThan(400);
    expect(jittered(4000, 0)).toBe(2000);
  });
});
