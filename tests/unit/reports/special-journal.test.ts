import { describe, expect, it } from 'vitest';
import { gameErrors } from '../../../src/reports/game-errors.ts';
import { specialJournal, specialKinds } from '../../../src/reports/special-journal.ts';
import { lookup, txn } from './fixtures.ts';

const TODAY = '20261126';

describe('special journal (特殊流水)', () => {
  it('classifies reversals, refused and open reversals, failures, alerts and unresolved transactions', () => {
    const open = { terminal: false, result: undefined } as const;
    expect(specialKinds(txn(), TODAY)).toEqual([]);
    expect(specialKinds(txn({ state: 'reversed', result: 'reversed', generation: 1 }), TODAY)).toEqual([
      'reversed',
    ]);
    expect(specialKinds(txn({ state: 'reverse-querying', ...open, generation: 1 }), TODAY)).toEqual([
      'reversal-open',
    ]);
    expect(specialKinds(txn({ state: 'reverse-refused', generation: 1 }), TODAY)).toEqual([
      'reversal-refused',
    ]);
    expect(specialKinds(txn({ state: 'failed', result: 'failed' }), TODAY)).toEqual(['failed']);
    expect(specialKinds(txn({ alerts: ['status-unknown'] }), TODAY)).toEqual(['alert']);
    // Still querying after its business date ended: an error of that day.
    expect(specialKinds(txn({ state: 'querying', ...open, businessDate: '20261125' }), TODAY)).toEqual([
      'unresolved',
    ]);
    expect(specialKinds(txn({ state: 'querying', ...open }), TODAY)).toEqual([]);
  });

  it('lists the special transactions of one date with counts, masked', () => {
    const txns = [
      txn(),
      txn({ state: 'reversed', result: 'reversed', generation: 1 }),
      txn({
        state: 'failed',
        result: 'failed',
        reason: { code: 'X', zh: '号码 13800138000 欠费', en: 'in arrears' },
      }),
      txn({ state: 'reversed', result: 'reversed', generation: 1, businessDate: '20261125' }),
    ];
    const j = specialJournal(txns, { date: TODAY, today: TODAY }, lookup);
    expect(j.rows.map((r) => r.kinds)).toEqual([['reversed'], ['failed']]);
    expect(j.counts).toMatchObject({ reversed: 1, failed: 1, alert: 0 });
    expect(j.rows[1]!.reason!.zh).toBe('号码 138****8000 欠费');
    expect(JSON.stringify(j)).not.toContain('13800138000');
    const yesterday = specialJournal(txns, { date: '20261125', today: TODAY }, lookup);
    expect(yesterday.rows).toHaveLength(1);
  });
});

describe('game top-up error query (充值差错查询)', () => {
  const game = (o: Parameters<typeof txn>[0]) =>
    txn({
      service: 'game-topup',
      fields: { game: 'wow', account: 'player12345', package: '30', confirm: 'yes' },
      amountFen: 3000,
      ...o,
    });

  it('lists the top-ups of a date that failed, were refunded, are unresolved or alerted', () => {
    const txns = [
      game({}),
      game({ state: 'failed', result: 'failed' }),
      game({ state: 'refunded', result: 'failed' }),
      game({ state: 'correcting', terminal: false, result: undefined }),
      game({ state: 'succeeded', alerts: ['status-unknown'] }),
      game({ state: 'failed', result: 'failed', businessDate: '20261125' }),
      txn({ state: 'failed', result: 'failed' }),
    ];
    const r = gameErrors(txns, { date: TODAY }, lookup);
    expect(r.rows.map((x) => x.state)).toEqual(['failed', 'refunded', 'correcting', 'succeeded']);
    expect(r.byState).toEqual({ failed: 1, refunded: 1, correcting: 1, succeeded: 1 });
    expect(r.total).toBe(5);
    expect(r.rows[1]!.stateLabel.zh).toBe('已冲正退款');
    expect(r.rows[0]!.fields.account).toBe('*******2345');
  });
});
