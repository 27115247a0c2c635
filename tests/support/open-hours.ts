import { localInstant } from '../../src/core/business-day.ts';
import type { Clock } from '../../src/core/clock.ts';

/**
 * A clock that starts at 10:00 (Asia/Shanghai) on a fixed day — inside business hours, whatever
 * the time the test runs at — and then runs in real time.
 */
export function openHours(day = '20261124', at = '10:00'): Clock {
  const start = Date.now();
  const base = localInstant(day, at);
  return { now: () => base + (Date.now() - start) };
}
