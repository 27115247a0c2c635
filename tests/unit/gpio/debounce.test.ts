import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Debouncer } from '../../../devices/gpio/debounce.ts';

describe('Debouncer', () => {
  let changes: Array<[number, boolean]>;
  let d: Debouncer;
  beforeEach(() => {
    vi.useFakeTimers();
    changes = [];
    d = new Debouncer(50, (v, initial) => changes.push([v, initial]));
  });
  afterEach(() => vi.useRealTimers());

  it('takes the first value at once, as initial', () => {
    expect(d.value()).toBeNull();
    d.sample(1);
    expect(changes).toEqual([[1, true]]);
    expect(d.value()).toBe(1);
  });

  it('commits a level that holds for the debounce time, ignores bounces', () => {
    d.sample(0);
    d.sample(1);
    vi.advanceTimersByTime(30);
    d.sample(0);
    d.sample(1);
    vi.advanceTimersByTime(49);
    expect(d.value()).toBe(0);
    d.sample(1);
    vi.advanceTimersByTime(1);
    expect(d.value()).toBe(1);
    expect(changes).toEqual([
      [0, true],
      [1, false],
    ]);
  });

  it('cancel drops a pending change but keeps the stable value', () => {
    d.sample(0);
    d.sample(1);
    d.cancel();
    vi.advanceTimersByTime(100);
    expect(d.value()).toBe(0);
  });

  it('with 0 ms every change counts immediately', () => {
    const z = new Debouncer(0, (v) => changes.push([v, false]));
    z.sample(0);
    z.sample(1);
    z.sample(0);
    expect(changes.map(([v]) => v)).toEqual([0, 1, 0]);
  });
});
