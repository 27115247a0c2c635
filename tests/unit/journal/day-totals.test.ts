import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { businessDate, localInstant } from '../../../src/core/business-day.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { SERVICE_CATALOGUE } from '../../../src/core/services/catalogue.ts';
import type { TxnRecord } from '../../../src/core/transaction/types.ts';
import { encodeValue } from '../../../src/journal/codec.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { DAY_TOTALS_META_KEY, dayTotalsKey, orderKey } from '../../../src/journal/keys.ts';
import { ledgerOfDates, transactionsOfDates } from '../../../src/journal/range-reads.ts';
import { reportDays } from '../../../src/journal/report-days.ts';
import { verifyJournal } from '../../../src/journal/verify.ts';
import { dailyReport, datesBetween, dayInputs, reportOfDays } from '../../../src/reports/daily-report.ts';
import type { ServiceLookup } from '../../../src/reports/mask-txn.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

const lookup: ServiceLookup = (id) => SERVICE_CATALOGUE.find((s) => s.id === id);
const CUT = '21:00';
const FIRST = '20261101';
const START = localInstant(FIRST, '08:00');

/** One step of a generated history: a sale, an outcome, a reversal's two halves, a top-up, time passing. */
type Step =
  | { kind: 'sale'; service: string; operator: string | null; amountFen: number; feeFen: number; qr: boolean }
  | { kind: 'finish'; pick: number; ok: boolean }
  | { kind: 'reopen'; pick: number }
  | { kind: 'reversed'; pick: number }
  | { kind: 'topup'; fen: number }
  | { kind: 'advance'; minutes: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('sale' as const),
    service: fc.constantFrom('mobile-topup', 'water-bill', 'gas-bill'),
    operator: fc.constantFrom('A001', 'A002', null),
    amountFen: fc.integer({ min: 1, max: 500_00 }),
    feeFen: fc.integer({ min: 0, max: 300 }),
    qr: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('finish' as const), pick: fc.nat(), ok: fc.boolean() }),
  fc.record({ kind: fc.constant('reopen' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('reversed' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('topup' as const), fen: fc.integer({ min: 1, max: 1_000_00 }) }),
  // Up to a day and a half: day cuts and midnights are crossed, often between a sale and its outcome.
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 36 * 60 }) }),
);

/** Runs the steps through the journal the way the engine writes them (hold, capture/release, credit). */
async function play(journal: Journal, clock: ManualClock, steps: readonly Step[]): Promise<void> {
  await journal.commit((b) => {
    b.ledger({ kind: 'topup', fen: 100_000_000, ref: 'slip-0' });
  });
  const live = new Map<string, TxnRecord>();
  const pick = (n: number, ok: (t: TxnRecord) => boolean): TxnRecord | undefined => {
    const list = [...live.values()].filter(ok);
    return list.length === 0 ? undefined : list[n % list.length];
  };
  let orders = 0;
  for (const s of steps) {
    const at = clock.now();
    if (s.kind === 'advance') clock.advance(s.minutes * 60_000);
    else if (s.kind === 'topup') {
      await journal.commit((b) => {
        b.ledger({ kind: 'topup', fen: s.fen, ref: `slip-${at}` });
      });
    } else if (s.kind === 'sale') {
      const orderId = s.operator === null ? `${businessDate(at, CUT)}-${++orders}` : null;
      if (orderId) {
        // The order is written before the sale it pays for, as the order flow does.
        await journal.commit((b) => {
          b.put(orderKey(orderId), { id: orderId, tender: s.qr ? 'qr' : 'cash' });
        });
      }
      await journal.commit((b) => {
        const serial = b.nextSerial();
        const t: TxnRecord = {
          v: 1,
          serial,
          idempotencyKey: `k${serial}`,
          stationId: '33010001',
          service: s.service,
          channel: s.operator ? 'operator' : 'self',
          operator: s.operator,
          businessDate: businessDate(at, CUT),
          createdAt: at,
          updatedAt: at,
          state: 'sending',
          stateSince: at,
          terminal: false,
          fields: {},
          amountFen: s.amountFen,
          feeFen: s.feeFen,
          data: orderId ? { order: orderId } : {},
          attempts: 0,
          generation: 0,
          alerts: [],
        } as TxnRecord;
        b.ledger({ kind: 'hold', serial, fen: s.amountFen });
        b.putTxn(t);
        live.set(serial, t);
      });
    } else {
      const t =
        s.kind === 'finish'
          ? pick(s.pick, (x) => !x.terminal && x.generation === 0)
          : s.kind === 'reopen'
            ? pick(s.pick, (x) => x.terminal && x.result === 'succeeded')
            : pick(s.pick, (x) => !x.terminal && x.generation > 0);
      if (!t) continue;
      const next: TxnRecord =
        s.kind === 'finish'
          ? {
              ...t,
              state: s.ok ? 'succeeded' : 'failed',
              terminal: true,
              result: s.ok ? 'succeeded' : 'failed',
            }
          : s.kind === 'reopen'
            ? { ...t, state: 'reversing', terminal: false, result: undefined, generation: t.generation + 1 }
            : { ...t, state: 'reversed', terminal: true, result: 'reversed' };
      await journal.commit((b) => {
        if (s.kind === 'finish') b.ledger({ kind: s.ok ? 'capture' : 'release', serial: t.serial });
        if (s.kind === 'reversed') b.ledger({ kind: 'reversal-credit', serial: t.serial, fen: t.amountFen });
        b.putTxn({ ...next, updatedAt: at }, t);
      });
      live.set(t.serial, next);
    }
  }
}

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
      const rec = journal.dayTotals.get(FIRST)!;
      const row = rec.rows[0]!;
      await journal.raw.put(
        dayTotalsKey(FIRST),
        encodeValue({ ...rec, rows: [{ ...row, payments: { ...row.payments, amountFen: 999 } }] }),
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
