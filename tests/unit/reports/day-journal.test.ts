import { describe, expect, it } from 'vitest';
import { dayJournal } from '../../../src/reports/day-journal.ts';
import { inWindow, parseHhmmss, parseYyyymmdd, timeWindow } from '../../../src/reports/time-window.ts';
import { at, lookup, txn } from './fixtures.ts';

describe('same-day and history journal (本省当日流水 / 历史流水)', () => {
  const day = '20261126';
  const rows = [
    txn({ createdAt: at('20261125', '100000'), businessDate: '20261125' }),
    // 21:30 on the 25th belongs to the 26th (day cut 21:00).
    txn({ createdAt: at('20261125', '213000'), amountFen: 10, feeFen: 20 }),
    txn({ createdAt: at(day, '080000'), amountFen: 1000, feeFen: 10 }),
    txn({
      createdAt: at(day, '093000'),
      service: 'electricity-bill',
      fields: { account: '3301234567', amount: '88.80' },
      amountFen: 8880,
      feeFen: 100,
    }),
    txn({ createdAt: at(day, '120000'), state: 'failed', result: 'failed', amountFen: 2000, feeFen: 10 }),
    txn({
      createdAt: at(day, '150000'),
      state: 'querying',
      terminal: false,
      result: undefined,
      amountFen: 3000,
    }),
    txn({ createdAt: at(day, '160000'), state: 'reversed', result: 'reversed', amountFen: 4000, feeFen: 10 }),
  ];

  it('lists one business date, oldest first, with totals per result and per service', () => {
    const j = dayJournal(rows, { date: day }, lookup);
    expect(j.rows.map((r) => r.time)).toEqual(['213000', '080000', '093000', '120000', '150000', '160000']);
    expect(j.totals.succeeded).toEqual({ count: 3, amount: '98.90', fee: '1.30', total: '100.20' });
    expect(j.totals.failed).toEqual({ count: 1, amount: '20.00', fee: '0.10', total: '20.10' });
    expect(j.totals.reversed.count).toBe(1);
    expect(j.totals.open).toEqual({ count: 1, amount: '30.00', fee: '0.50', total: '30.50' });
    expect(j.byService.map((s) => [s.service, s.succeeded.count])).toEqual([
      ['electricity-bill', 1],
      ['mobile-topup', 2],
    ]);
  });

  it('filters by business type', () => {
    const j = dayJournal(rows, { date: day, service: 'electricity-bill' }, lookup);
    expect(j.rows).toHaveLength(1);
    expect(j.rows[0]!.serviceName.zh).toBe('电费缴费');
  });

  it('filters by a time window with both ends included, and one that wraps past midnight', () => {
    const w = dayJournal(rows, { date: day, window: timeWindow('093000', '150000') }, lookup);
    expect(w.rows.map((r) => r.time)).toEqual(['093000', '120000', '150000']);
    const wrap = dayJournal(rows, { date: day, window: timeWindow('210000', '085959') }, lookup);
    expect(wrap.rows.map((r) => r.time)).toEqual(['213000', '080000']);
    const open = dayJournal(rows, { date: day, window: timeWindow('155959') }, lookup);
    expect(open.rows.map((r) => r.time)).toEqual(['213000', '160000']);
  });

  it('masks numbers in every row, by the service’s field kinds', () => {
    const j = dayJournal(rows, { date: day }, lookup);
    const text = JSON.stringify(j);
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('3301234567');
    expect(j.rows[0]!.fields).toEqual({ phone: '138****8000', amount: '50.00' });
    expect(j.rows[2]!.fields.account).toBe('******4567');
  });

  it('sums money exactly in fen', () => {
    const many = Array.from({ length: 10 }, () =>
      txn({ createdAt: at(day, '100000'), amountFen: 10, feeFen: 20 }),
    );
    expect(dayJournal(many, { date: day }, lookup).totals.succeeded).toEqual({
      count: 10,
      amount: '1.00',
      fee: '2.00',
      total: '3.00',
    });
  });

  it('refuses malformed times and dates naming the field', () => {
    expect(() => parseHhmmss('2400', 'from')).toThrow(expect.objectContaining({ field: 'from' }));
    expect(() => parseHhmmss('246000', 'to')).toThrow(expect.objectContaining({ field: 'to' }));
    expect(() => parseYyyymmdd('20260230', 'date')).toThrow(expect.objectContaining({ field: 'date' }));
    expect(() => parseYyyymmdd('2026-11-26', 'date')).toThrow(
      expect.objectContaining({ zh: expect.any(String) }),
    );
    expect(parseYyyymmdd('20240229', 'date')).toBe('20240229');
    expect(inWindow('000000', { from: '230000', to: '010000' })).toBe(true);
    expect(inWindow('120000', { from: '230000', to: '010000' })).toBe(false);
    expect(timeWindow()).toBeUndefined();
  });
});
