import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, businessDate } from '../../../src/core/business-day.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { isKioskError } from '../../../src/core/errors.ts';
import { balancePage } from '../../../src/journal/balance-page.ts';
import { encodeValue } from '../../../src/journal/codec.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { DAY_TOTALS_META_KEY } from '../../../src/journal/keys.ts';
import { ledgerOfDates } from '../../../src/journal/range-reads.ts';
import { type BalanceQueryInput, parseBalanceQuery } from '../../../src/reports/balance-query.ts';
import { inLedgerView, ledgerTotals, ledgerView } from '../../../src/reports/balance-views.ts';
import { datesBetween } from '../../../src/reports/daily-report.ts';
import { ledgerMovement } from '../../../src/reports/ledger-movement.ts';
import { CUT, FIRST, play, START, stepArb } from '../../support/journal-steps.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

const GROUPS = [
  undefined,
  'changes',
  'topups',
  'consumption',
  'reversalCredits',
  'holds',
  'refunds',
] as const;

/** Every page of a view, following `next` from the first; the first page's period figures. */
async function allPages(journal: Journal, input: BalanceQueryInput, today: string) {
  const pages = [];
  let after: string | undefined;
  do {
    const page = await balancePage(journal, parseBalanceQuery({ ...input, after }, today), {
      dayCut: CUT,
      today,
    });
    pages.push(page);
    after = page.next ?? undefined;
  } while (after !== undefined && pages.length < 10_000);
  return pages;
}

function refusal(input: BalanceQueryInput): { field?: string; zh?: string; en?: string } | null {
  try {
    parseBalanceQuery(input, '20261130');
    return null;
  } catch (e) {
    if (!isKioskError(e)) throw e;
    return e.toJSON() as { field?: string; zh?: string; en?: string };
  }
}

describe('balance views a page at a time', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.cleanup();
  });

  it('joined pages are the view in ledger order, and the period figures from the per-date totals equal the entries', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(...GROUPS),
        fc.nat(),
        async (steps, limit, group, offset) => {
          const path = `${dir.path}/run-${run++}`;
          const clock = new ManualClock(START);
          const journal = new Journal({ path, stationId: '33010001', clock, dayCut: () => CUT });
          await journal.open();
          try {
            await play(journal, clock, steps);
            const last = businessDate(clock.now(), CUT);
            const dates = datesBetween(FIRST, last);
            const from = dates[offset % dates.length]!;
            // Today inside the range (read from the journal) and after it (every date from the totals).
            for (const today of [last, addDays(last, 2)]) {
              const all = await ledgerOfDates(journal, from, last, CUT);
              const view = group ? ledgerView(group) : undefined;
              const expected = all.entries.filter((e) => inLedgerView(e, view));
              const pages = await allPages(journal, { group, from, to: last, limit: String(limit) }, today);
              for (const p of pages) {
                expect(p.entries.length).toBeLessThanOrEqual(limit);
                if (p.next !== null) expect(p.entries.length).toBe(limit);
                expect(p.movement).toEqual(ledgerMovement(all.entries, all.openingFen));
                expect(p.totals).toEqual(ledgerTotals(all.entries));
                expect(p.count).toBe(expected.length);
              }
              expect(pages.flatMap((p) => p.entries)).toEqual(expected);
              expect(pages.length).toBe(Math.max(1, Math.ceil(expected.length / limit)));
            }
            // The latest entries, newest first, page after page.
            const latest = await allPages(journal, { group, limit: String(limit) }, last);
            const everything = await ledgerOfDates(journal, FIRST, addDays(last, 1), CUT);
            expect(latest.flatMap((p) => p.entries)).toEqual(
              everything.entries
                .filter((e) => inLedgerView(e, group ? ledgerView(group) : undefined))
                .reverse(),
            );
          } finally {
            await journal.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a page stays where it was while entries are added after it', async () => {
    const clock = new ManualClock(START);
    const journal = new Journal({
      path: `${dir.path}/stable`,
      stationId: '33010001',
      clock,
      dayCut: () => CUT,
    });
    await journal.open();
    try {
      for (let i = 1; i <= 5; i++) await play(journal, clock, [{ kind: 'topup', fen: i * 100 }]);
      const today = businessDate(clock.now(), CUT);
      const q = (after?: string) =>
        parseBalanceQuery({ group: 'topups', from: FIRST, limit: '3', after }, today);
      const first = await balancePage(journal, q(), { dayCut: CUT, today });
      await play(journal, clock, [{ kind: 'topup', fen: 7 }]);
      const second = await balancePage(journal, q(first.next!), { dayCut: CUT, today });
      const seqs = [...first.entries, ...second.entries].map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(second.count).toBe(first.count! + 2);
    } finally {
      await journal.close();
    }
  });

  it('counts the totals again at open when they were written in the older format', async () => {
    const path = `${dir.path}/format`;
    const clock = new ManualClock(START);
    let journal = new Journal({ path, stationId: '33010001', clock, dayCut: () => CUT });
    await journal.open();
    await play(journal, clock, [{ kind: 'topup', fen: 500 }]);
    await journal.raw.put(DAY_TOTALS_META_KEY, encodeValue({ event: journal.lastCounters.event }));
    await journal.close();
    journal = new Journal({ path, stationId: '33010001', clock, dayCut: () => CUT });
    await journal.open();
    try {
      expect(journal.dayTotalsRebuilt).toBe('format');
      expect(journal.dayTotals.get(FIRST)?.ledger.counts.topups).toBe(2);
    } finally {
      await journal.close();
    }
  });

  it('refuses a bad page size, cursor, view or range, naming the field in Chinese and English', () => {
    for (const [input, field] of [
      [{ limit: '0' }, 'limit'],
      [{ limit: '501' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ limit: '1.5' }, 'limit'],
      [{ after: '0' }, 'after'],
      [{ after: '-3' }, 'after'],
      [{ after: 'abc' }, 'after'],
      [{ group: 'all' }, 'group'],
      [{ from: '20261131' }, 'from'],
      [{ to: '20261101' }, 'from'],
      [{ from: '20261102', to: '20261101' }, 'to'],
    ] as const) {
      const r = refusal(input);
      expect(r, JSON.stringify(input)).toMatchObject({ field });
      expect(r?.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r?.en).toMatch(/[a-z]/);
    }
    expect(parseBalanceQuery({ limit: '500', after: '42', from: '20261101' }, '20261130')).toEqual({
      view: undefined,
      range: { from: '20261101', to: '20261130' },
      limit: 500,
      after: 42,
    });
  });
});
