import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { businessDate } from '../../../src/core/business-day.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import { dayRowKey, encodeRow } from '../../../src/journal/day-totals-codec.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { DAY_TOTALS_META_KEY, dayTotalsKey } from '../../../src/journal/keys.ts';
import { ledgerOfDates, transactionsOfDates } from '../../../src/journal/range-reads.ts';
import { reportDays } from '../../../src/journal/report-days.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import { dailyReport, datesBetween, dayInputs, reportOfDays } from '../../../src/reports/daily-report.ts';
import type { ServiceLookup } from '../../../src/reports/mask-txn.ts';
import { CUT, FIRST, play, START, stepArb } from '../../support/journal-steps.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

const lookup: ServiceLookup = (id) => SERVICE_CATALOGUE.find((s) => s.id === id);

/** Everything the totals claim, next to the same counted from the journal's snapshots and ledger. */
async function kept(journal: Journal, dates: string[]) {
  return dates.map((d) => {
    const rec = journal.dayTotals.get(d);
    return { date: d, rows: rec?.rows ?? [], ledger: rec?.ledger.entries ? rec.ledger : null };
  });
}

async function recounted(journal: Journal, from: string, to: string) {
  const [txns, ledger] = await Promise.all([
    transactionsOfDates(journal, from, to),
    ledgerOfDates(journal, from, to, CUT),
  ]);
  const inputs = dayInputs(txns, ledger.entries, { from, to, scope: { kind: 'station' }, dayCut: CUT });
  return [...inputs].map(([date, i]) => ({
    date,
    rows: [...i.rows],
    ledger: i.ledger?.entries ? i.ledger : null,
  }));
}

describe('per-date report totals', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('equal a full recount after random transitions, reversals and day cuts, also after a restart and a rebuild', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 40 }), async (steps) => {
        const path = `${dir.path}/run-${run++}`;
        const clock = new ManualClock(START);
        let journal = new Journal({ path, stationId: '33010001', clock, dayCut: () => CUT });
        await journal.open();
        try {
          await play(journal, clock, steps);
          const last = businessDate(clock.now(), CUT);
          const dates = datesBetween(FIRST, last);
          const expected = await recounted(journal, FIRST, last);
          expect(await kept(journal, dates)).toEqual(expected);
          // (The generated orders are bare tender records, so only the totals' findings are looked at.)
          const found = (await verifyJournal(journal)).problems.filter((p) => p.key.startsWith('g:'));
          expect(found).toEqual([]);

          // A report over past dates from the totals is the report counted from the journal.
          const today = businessDate(clock.now() + 2 * 86_400_000, CUT);
          for (const scope of [{ kind: 'station' } as const, { kind: 'teller', operator: 'A001' } as const]) {
            const q = { from: FIRST, to: last, scope, dayCut: CUT, at: 0 };
            const fast = await reportDays(journal, { ...q, today });
            const [txns, ledger] = await Promise.all([
              transactionsOfDates(journal, FIRST, last),
              ledgerOfDates(journal, FIRST, last, CUT),
            ]);
            expect(reportOfDays(fast.inputs, fast.openingFen, q, lookup)).toEqual(
              dailyReport(txns, ledger.entries, ledger.openingFen, q, lookup),
            );
          }

          await journal.close();
          journal = new Journal({ path, stationId: '33010001', clock, dayCut: () => CUT });
          await journal.open();
          expect(journal.dayTotalsRebuilt).toBeNull();
          expect(await kept(journal, dates)).toEqual(expected);

          await journal.raw.del(DAY_TOTALS_META_KEY);
          expect(await journal.checkDayTotals()).toBe('missing');
          expect(await kept(journal, dates)).toEqual(expected);
        } finally {
          await journal.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('journal verify finds a per-date totals record that differs from the recount', async () => {
    const path = `${dir.path}/tampered`;
    const clock = new ManualClock(START);
    const journal = new Journal({ path, stationId: '33010001', clock, dayCut: () => CUT });
    await journal.open();
    try {
      await play(journal, clock, [
        { kind: 'sale', service: 'water-bill', operator: 'A001', amountFen: 1000, feeFen: 0, qr: false },
        { kind: 'finish', pick: 0, ok: true },
      ]);
      expect((await verifyJournal(journal)).problems).toEqual([]);
      const row = journal.dayTotals.get(FIRST)!.rows[0]!;
      await journal.raw.put(
        dayRowKey(FIRST, row),
        encodeRow({ ...row, payments: { ...row.payments, amountFen: 999 } }),
      );
      expect((await verifyJournal(journal)).problems).toEqual([
        expect.objectContaining({ key: dayTotalsKey(FIRST), kind: 'index' }),
      ]);
    } finally {
      await journal.close();
    }
  });

  it('are counted again at open when dated by another day cut, and a report then agrees with the journal', async () => {
    const path = `${dir.path}/cut`;
    const clock = new ManualClock(START);
    let journal = new Journal({ path, stationId: '33010001', clock, dayCut: () => CUT });
    await journal.open();
    await play(journal, clock, [
      { kind: 'sale', service: 'water-bill', operator: 'A001', amountFen: 1000, feeFen: 0, qr: false },
      { kind: 'advance', minutes: 12 * 60 + 30 },
      { kind: 'topup', fen: 500 },
      { kind: 'finish', pick: 0, ok: true },
    ]);
    await journal.close();
    journal = new Journal({ path, stationId: '33010001', clock, dayCut: () => '20:00' });
    await journal.open();
    try {
      expect(journal.dayTotalsRebuilt).toBe('cut');
      const last = businessDate(clock.now(), '20:00');
      const q = { from: FIRST, to: last, scope: { kind: 'station' } as const, dayCut: '20:00', at: 0 };
      const fast = await reportDays(journal, { ...q, today: '20991231' });
      const [txns, ledger] = await Promise.all([
        transactionsOfDates(journal, FIRST, last),
        ledgerOfDates(journal, FIRST, last, '20:00'),
      ]);
      expect(reportOfDays(fast.inputs, fast.openingFen, q, lookup)).toEqual(
        dailyReport(txns, ledger.entries, ledger.openingFen, q, lookup),
      );
    } finally {
      await journal.close();
    }
  });
});
