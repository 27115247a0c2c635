import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { LedgerEntry } from '../../../src/core/ledger.ts';
import { ledgerGroup, ledgerRow, ledgerTotals } from '../../../src/reports/balance-views.ts';
import { maskKnown, secretsOf } from '../../../src/reports/mask-txn.ts';
import { receiptFor } from '../../../src/reports/receipt-data.ts';
import { describeStatus } from '../../../src/reports/state-labels.ts';
import { txnView } from '../../../src/reports/txn-view.ts';
import { testConfig } from '../../support/kiosk-harness.ts';
import { at, lookup, txn } from './fixtures.ts';

const telecom = () =>
  txn({
    service: 'telecom-bill',
    fields: { number: '057187654321', contractNo: 'HT123456', amount: '120.00' },
    amountFen: 12000,
    feeFen: 100,
    data: {
      inquiry: {
        account: '057187654321',
        arrears: '98.50',
        contracts: [{ contractNo: 'HT123456', arrears: '98.50' }],
      },
      note: 'paid for 057187654321',
    },
  });

describe('transaction view', () => {
  it('masks a service’s own sensitive field kinds, and the number wherever it is echoed', () => {
    const v = txnView(telecom(), lookup);
    expect(v.fields).toEqual({ number: '057*****4321', contractNo: 'HT123456', amount: '120.00' });
    expect(JSON.stringify(v)).not.toContain('87654321');
    expect(v.data).toEqual({
      inquiry: {
        account: expect.stringMatching(/^\*+4321$|^057\*+4321$/),
        arrears: '98.50',
        contracts: [{ contractNo: 'HT123456', arrears: '98.50' }],
      },
      note: 'paid for 057*****4321',
    });
    expect(v).toMatchObject({
      amount: '120.00',
      fee: '1.00',
      total: '121.00',
      serviceName: { zh: '电信缴费' },
    });
  });

  it('describes what the kiosk is doing: final, sending, waiting on its query schedule, or working', async () => {
    const def = lookup('mobile-topup');
    expect(describeStatus(txn(), def).phase).toBe('final');
    const base = { terminal: false, result: undefined } as const;
    const t0 = at('20261126', '100000');
    expect(
      describeStatus(
        txn({ ...base, state: 'querying', inFlight: { state: 'querying', attempt: 2, at: t0 } }),
        def,
      ).phase,
    ).toBe('sending');
    const ctx = { clock: new ManualClock(t0), config: await testConfig() };
    const waiting = describeStatus(txn({ ...base, state: 'querying', attempts: 2, updatedAt: t0 }), def, ctx);
    expect(waiting).toMatchObject({ phase: 'waiting', nextAttemptAt: t0 + 30_000 });
    expect(waiting.zh).toContain('10:00:30');
    expect(describeStatus(txn({ ...base, state: 'paying' }), def).phase).toBe('working');
    const alerted = describeStatus(txn({ ...base, state: 'querying', alerts: ['status-unknown'] }), def);
    expect(alerted.alerts[0]).toMatchObject({
      name: 'status-unknown',
      zh: expect.stringContaining('管理员'),
    });
  });

  it('replaces the longest known number first and leaves short values alone', () => {
    const secrets = secretsOf(lookup('mobile-topup'), { phone: '13800138000', amount: '50.00' });
    expect(secrets).toEqual([['13800138000', '138****8000']]);
    expect(maskKnown({ a: ['x13800138000y'], b: 5 }, secrets)).toEqual({ a: ['x138****8000y'], b: 5 });
    expect(secretsOf(undefined, { phone: '123' })).toEqual([]);
  });
});

describe('receipt reprint data (补打收据)', () => {
  const station = { stationId: '33010001', stationName: '文三路便民服务亭' };

  it('builds a valid receipt with labels, masked numbers, the service lines and the reprint mark', () => {
    const r = receiptFor(telecom(), lookup('telecom-bill')!, { ...station, reprint: true, at: 5 });
    expect(r).toMatchObject({
      serviceName: '电信缴费',
      amount: '120.00',
      fee: '1.00',
      total: '121.00',
      reprint: true,
      reprintedAt: 5,
      operator: 'A001',
    });
    expect(r.lines).toContainEqual({ label: '电信号码（固话含区号）', value: '057*****4321' });
    expect(r.lines).toContainEqual({ label: '缴费前欠费', value: '￥98.50' });
    expect(r.lines).toContainEqual({ label: '状态', value: '成功' });
    expect(JSON.stringify(r)).not.toContain('87654321');
  });

  it('has no receipt for a transaction that is not final', () => {
    const open = txn({ state: 'querying', terminal: false, result: undefined });
    expect(() => receiptFor(open, lookup('mobile-topup')!, { ...station, reprint: true })).toThrow(
      expect.objectContaining({ code: 'KIOSK_E_ACTION_NOT_ALLOWED', field: 'serial' }),
    );
  });

  it('does not print the explicit confirmation of a game top-up as a line', () => {
    const game = txn({
      service: 'game-topup',
      fields: { game: 'wow', account: 'player12345', package: '30', confirm: 'yes' },
      amountFen: 3000,
      feeFen: 0,
    });
    const r = receiptFor(game, lookup('game-topup')!, { ...station, reprint: false });
    expect(r.lines.map((l) => l.label)).toEqual([
      '游戏',
      '游戏账号',
      '充值套餐（元）',
      '游戏',
      '套餐',
      '状态',
    ]);
    expect(r.lines[1]!.value).toBe('*******2345');
  });
});

describe('balance views', () => {
  const e = (o: Partial<LedgerEntry>): LedgerEntry => ({
    seq: 1,
    at: 0,
    kind: 'topup',
    deltaFen: 0,
    heldDeltaFen: 0,
    balanceAfterFen: 0,
    heldAfterFen: 0,
    ...o,
  });

  it('groups ledger entries into top-ups, consumption, reversal credits, adjustments and refunds', () => {
    const entries = [
      e({ kind: 'topup', deltaFen: 100_000, ref: 'slip-1' }),
      e({ kind: 'topup-reversal', deltaFen: -20_000, ref: 'slip-1r' }),
      e({ kind: 'hold', heldDeltaFen: 5000, serial: '1' }),
      e({ kind: 'capture', deltaFen: -5000, heldDeltaFen: -5000, serial: '1' }),
      e({ kind: 'reversal-credit', deltaFen: 5000, serial: '1' }),
      e({ kind: 'adjustment', deltaFen: -1, ref: 'adj-1' }),
      e({ kind: 'refund', deltaFen: 3000, ref: 'rf-1' }),
    ];
    expect(ledgerTotals(entries)).toEqual({
      topups: { count: 2, delta: '800.00' },
      consumption: { count: 1, delta: '-50.00' },
      reversalCredits: { count: 1, delta: '50.00' },
      adjustments: { count: 1, delta: '-0.01' },
      refunds: { count: 1, delta: '30.00' },
      holds: { count: 1, delta: '0.00' },
    });
    expect(ledgerRow(entries[3]!)).toMatchObject({
      kindLabel: { zh: '消费' },
      delta: '-50.00',
      group: 'consumption',
    });
    expect(ledgerGroup('refunds')).toBe('refunds');
    expect(ledgerGroup('nope')).toBeUndefined();
  });
});
