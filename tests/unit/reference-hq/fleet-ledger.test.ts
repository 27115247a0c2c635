import { describe, expect, it } from 'vitest';
import { parseFleetArgs } from '../../../scripts/fleet/fleet-args.ts';
import { ledgerCheck, percentile } from '../../../scripts/fleet/fleet-ledger.ts';

describe('the fleet ledger check', () => {
  it('counts a different balance, money still held and a station one side lacks', () => {
    const hq = new Map([
      ['33010001', 1000],
      ['33010002', 990],
      ['33010003', 500],
      ['33010005', 7],
    ]);
    const r = ledgerCheck(
      {
        '33010001': { balanceFen: 1000, heldFen: 0 },
        '33010002': { balanceFen: 1000, heldFen: 0 },
        '33010003': { balanceFen: 500, heldFen: 20 },
        '33010004': { balanceFen: 3, heldFen: 0 },
      },
      hq,
    );
    expect(r).toMatchObject({ checked: 5, differences: 4, diffFen: 10 + 20 + 3 + 7 });
    expect(r.details.map((d) => d.station)).toEqual(['33010002', '33010003', '33010004', '33010005']);
  });

  it('takes percentiles by nearest rank', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(v, 0.5), percentile(v, 0.99), percentile([], 0.5), percentile([7], 0.99)]).toEqual([
      50, 99, 0, 7,
    ]);
  });

  it('reads its options with defaults and refuses bad ones', () => {
    expect(parseFleetArgs([])).toEqual({ kiosks: 50, txns: 4, workers: 1 });
    expect(parseFleetArgs(['--kiosks', '500'], 8)).toEqual({ kiosks: 500, txns: 4, workers: 4 });
    // One process per core at most: two on a 2-core machine.
    expect(parseFleetArgs(['--kiosks', '500'], 2)).toEqual({ kiosks: 500, txns: 4, workers: 2 });
    expect(parseFleetArgs(['--kiosks', '500', '--workers', '3'], 2)).toMatchObject({ workers: 3 });
    expect(parseFleetArgs(['--kiosks=3', '--workers', '8'])).toEqual({ kiosks: 3, txns: 4, workers: 3 });
    expect(parseFleetArgs(['--kiosks', '1.5', '--workers'])).toEqual({
      errors: [
        '--kiosks: 亭数须为 1–5000 的整数 / must be a whole number from 1 to 5000, got "1.5"',
        '--workers: 进程数须为 1–16 的整数 / must be a whole number from 1 to 16, got ""',
      ],
    });
  });
});
