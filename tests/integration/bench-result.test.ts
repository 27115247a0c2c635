import { describe, expect, it } from 'vitest';
import { benchTimeToResult } from '../../scripts/bench-result.ts';

describe('the time-to-result benchmark', () => {
  it('runs against the reference HQ it starts and reports its figure', async () => {
    const figure = await benchTimeToResult(1);
    expect(figure).toMatchObject({ figure: 'payment.time_to_final_result', unit: 'ms', samples: 1 });
    expect(figure.value).toBeGreaterThan(0);
  }, 60_000);
});
