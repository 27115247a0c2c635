import { describe, expect, it } from 'vitest';
import { toRanges } from '../../../src/reference-hq/journals.ts';
import { monthBefore, monthlyStats } from '../../../src/reference-hq/stats.ts';

describe('stats and ranges', () => {
  it('flags the exit mechanism', () => {
    const rows = monthlyStats(
      [
        { station: '1', byMonth: { '202611': 0 } },
        { station: '2', byMonth: { '202609': 19, '202610': 5, '202611': 12 } },
        { station: '3', byMonth: { '202609': 19, '202610': 25, '202611': 12 } },
        { station: '4', byMonth: { '202611': 750 } },
      ],
      '202611',
    );
    expect(rows.map((r) => r.exit)).toEqual(['no-transactions', 'under-20-three-months', null, null]);
    expect(monthBefore('202601', 1)).toBe('202512');
    expect(monthBefore('202603', 14)).toBe('202501');
  });

  it('compresses sequence numbers into ranges', () => {
    expect(toRanges([3, 1, 2, 7, 9, 8, 2])).toEqual([
      [1, 3],
      [7, 9],
    ]);
  });
});
