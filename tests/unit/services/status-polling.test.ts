import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { QUICK_STATUS_QUERIES, statusPolling } from '../../../src/core/services/rules.ts';
import { testConfig } from '../../support/kiosk-harness.ts';

describe('status query schedule', () => {
  it('asks soon after a pending payment, then backs off to the configured interval', async () => {
    const config = await testConfig({ engine: { firstStatusQueryMs: 1000, statusQueryIntervalMs: 30_000 } });
    const ctx = { clock: new ManualClock(0), config };
    const delays = Array.from({ length: 20 }, (_, i) => statusPolling(i + 1, ctx));
    expect(delays.slice(0, QUICK_STATUS_QUERIES)).toEqual(Array(QUICK_STATUS_QUERIES).fill(1000));
    expect(delays.slice(QUICK_STATUS_QUERIES, QUICK_STATUS_QUERIES + 10)).toEqual(Array(10).fill(30_000));
    expect(delays.at(-1)).toBe(120_000);
  });

  it('never asks more slowly at first than the interval itself', async () => {
    const config = await testConfig({ engine: { firstStatusQueryMs: 5000, statusQueryIntervalMs: 200 } });
    expect(statusPolling(1, { clock: new ManualClock(0), config })).toBe(200);
  });
});
