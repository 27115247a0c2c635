import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, businessDate, localInstant } from '../../../src/core/business-day.ts';
import { Money } from '../../../src/core/money.ts';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import { dailyReport } from '../../../src/reports/daily-report.ts';
import type { ServiceLookup } from '../../../src/reports/mask-txn.ts';
import { type ReportScope, settle } from '../../../src/reports/settlement.ts';
import { buildJournal, DAY_CUT, FIRST_DAY, saleArb } from './journal-gen.ts';

const lookup: ServiceLookup = (id) => SERVICE_CATALOGUE.find((s) => s.id === id);
const fen = (y: string) => Money.of(y).toFen();
const DATES = [FIRST_DAY, addDays(FIRST_DAY, 1), addDays(FIRST_DAY, 2), addDays(FIRST_DAY, 3)];
const SCOPES: ReportScope[] = [
  { kind: 'station' },
  { kind: 'teller', operator: 'A001' },
  { kind: 'teller', operator: 'A002' },
];

describe('settlement over generated journals', () => {
  it('by-type rows sum to the totals, cash + QR = net, and cash due is the known cash total', () => {
    fc.assert(
      fc.property(fc.array(saleArb, { maxLength: 120 }), (sales) => {
        const j = buildJournal(sales);
        for (const date of DATES) {
          for (const scope of SCOPES) {
            const s = settle(j.txns, { businessDate: date, scope, at: 0 }, lookup);
            for (const part of ['payments', 'reversals', 'net', 'cash', 'qr', 'open'] as const) {
              expect(s.rows.reduce((n, r) => n + r[part].count, 0)).toBe(s.totals[part].count);
              expect(s.rows.reduce((n, r) => n + fen(r[part].total), 0)).toBe(fen(s.totals[part].total));
              expect(s.rows.reduce((n, r) => n + fen(r[part].amount), 0)).toBe(fen(s.totals[part].amount));
            }
            for (const r of [...s.rows, s.totals]) {
              expect(fen(r.cash.total) + fen(r.qr.total)).toBe(fen(r.net.total));
              expect(r.cash.count + r.qr.count).toBe(r.net.count);
            }
            const mine = j.expected.filter(
              (e) => e.date === date && (scope.kind === 'station' || e.operator === scope.operator),
            );
            const known = (t: 'cash' | 'qr') =>
              mine.filter((e) => e.tender === t).reduce((n, e) => n + e.netFen, 0);
            expect(fen(s.cashDue)).toBe(known('cash'));
            expect(fen(s.qrNet)).toBe(known('qr'));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the station settlement equals the ledger movement of its transactions to the fen', () => {
    fc.assert(
      fc.property(fc.array(saleArb, { maxLength: 120 }), (sales) => {
        const j = buildJournal(sales);
        for (const date of DATES) {
          const serials = new Set(j.txns.filter((t) => t.businessDate === date).map((t) => t.serial));
          const moved = j.ledger
            .filter(
              (e) =>
                e.serial && serials.has(e.serial) && (e.kind === 'capture' || e.kind === 'reversal-credit'),
            )
            .reduce((n, e) => n + e.deltaFen, 0);
          const s = settle(j.txns, { businessDate: date, scope: { kind: 'station' }, at: 0 }, lookup);
          expect(fen(s.prepaidNet) + moved).toBe(0);
          expect(fen(s.totals.net.amount) + moved).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the teller settlements add up to the station settlement but for self-service', () => {
    fc.assert(
      fc.property(fc.array(saleArb, { maxLength: 80 }), (sales) => {
        const j = buildJournal(sales);
        const date = addDays(FIRST_DAY, 1);
        const st = settle(j.txns, { businessDate: date, scope: { kind: 'station' }, at: 0 }, lookup);
        const a = settle(j.txns, { businessDate: date, scope: SCOPES[1]!, at: 0 }, lookup);
        const b = settle(j.txns, { businessDate: date, scope: SCOPES[2]!, at: 0 }, lookup);
        const self = j.expected.filter((e) => e.date === date && e.operator === null && e.tender === 'cash');
        expect(fen(a.cashDue) + fen(b.cashDue) + self.reduce((n, e) => n + e.netFen, 0)).toBe(
          fen(st.cashDue),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('daily and historical reports over generated journals', () => {
  it('each day opens where the day before closed, the range adds up, and days sum to the range', () => {
    fc.assert(
      fc.property(fc.array(saleArb, { maxLength: 120 }), (sales) => {
        const j = buildJournal(sales);
        const from = FIRST_DAY;
        const to = addDays(FIRST_DAY, 3);
        const inRange = j.ledger.filter((e) => {
          const d = businessDate(e.at, DAY_CUT);
          return d >= from && d <= to;
        });
        const before = j.ledger.filter((e) => businessDate(e.at, DAY_CUT) < from);
        const opening = before.length ? before[before.length - 1]!.balanceAfterFen : 0;
        const r = dailyReport(
          j.txns,
          inRange,
          opening,
          { from, to, scope: { kind: 'station' }, at: 0, dayCut: DAY_CUT },
          lookup,
        );
        expect(r.days.map((d) => d.businessDate)).toEqual(DATES);
        let bal = opening;
        for (const d of r.days) {
          expect(fen(d.ledger!.opening)).toBe(bal);
          const l = d.ledger!;
          const sum = [
            l.topups,
            l.topupReversals,
            l.consumption,
            l.reversalCredits,
            l.adjustments,
            l.refunds,
          ].reduce((n, x) => n + fen(x), 0);
          expect(fen(l.closing)).toBe(fen(l.opening) + sum);
          bal = fen(l.closing);
        }
        const last = j.ledger[j.ledger.length - 1]!;
        expect(fen(r.ledger!.closing)).toBe(last.balanceAfterFen);
        expect(r.days.reduce((n, d) => n + fen(d.settlement.cashDue), 0)).toBe(fen(r.summary.cashDue));
        expect(r.days.reduce((n, d) => n + d.settlement.totals.net.count, 0)).toBe(
          r.summary.totals.net.count,
        );
        const teller = dailyReport(
          j.txns,
          inRange,
          opening,
          { from, to, scope: SCOPES[1]!, at: 0, dayCut: DAY_CUT },
          lookup,
        );
        expect(teller.ledger).toBeNull();
        expect(teller.days.every((d) => d.ledger === null)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('business date boundaries', () => {
  const one = (at: number) =>
    buildJournal([
      {
        service: 'water-bill',
        operator: 'A001',
        outcome: 'succeeded',
        tender: undefined,
        amountFen: 1000,
        feeFen: 0,
        minute: 0,
      },
    ]).txns.map((t) => ({
      ...t,
      createdAt: at,
      businessDate: businessDate(at, DAY_CUT),
    }));
  it('21:30 with a 21:00 cut belongs to the next business date; 20:59:59 and 00:30 to their own', () => {
    const d = '20261105';
    const cases: Array<[number, string]> = [
      [localInstant(d, '20:59') + 59_000, d],
      [localInstant(d, '21:00'), '20261106'],
      [localInstant(d, '21:30'), '20261106'],
      [localInstant('20261106', '00:30'), '20261106'],
      [localInstant(d, '23:59') + 59_999, '20261106'],
    ];
    for (const [at, date] of cases) {
      const txns = one(at);
      const s = settle(txns, { businessDate: date, scope: { kind: 'station' }, at }, lookup);
      expect(s.cashDue).toBe('10.00');
      const other = settle(
        txns,
        { businessDate: date === d ? '20261106' : d, scope: { kind: 'station' }, at },
        lookup,
      );
      expect(other.cashDue).toBe('0.00');
    }
  });
});
