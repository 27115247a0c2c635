import { addDays, businessDate, businessDayStart } from '../core/business-day.ts';
import type { LedgerEntry } from '../core/ledger.ts';
import type { BalanceQuery } from '../reports/balance-query.ts';
import { inLedgerView, type LedgerGroup, ledgerTotals, ledgerTotalsOfDay } from '../reports/balance-views.ts';
import { type LedgerDay, ledgerDays } from '../reports/day-tally.ts';
import { type LedgerMovement, movementOf, sumLedgerDays } from '../reports/ledger-movement.ts';
import { decodeValue } from './codec.ts';
import type { Journal } from './journal.ts';
import { ledgerKey } from './keys.ts';
import { balanceBefore, firstLedgerAtOrAfter, ledgerOfDates } from './range-reads.ts';

/**
 * One page of a balance view, and for a range the period's movement, totals by group (every group,
 * whatever the view) and the number of entries in the view, all summed from the per-date totals;
 * for the latest entries, the totals of the page. `next` is the cursor of the following page
 * (null on the last).
 */
export interface BalancePage {
  entries: LedgerEntry[];
  next: string | null;
  movement: LedgerMovement | null;
  totals: Record<LedgerGroup, { count: number; delta: string }>;
  count: number | null;
}

export interface BalanceDays {
  dayCut: string;
  /** Today's business date: it and later dates are always read from the journal. */
  today: string;
}

/**
 * The page `q` asks for. A range's entries are read oldest first from the first entry of the
 * range (or the one after the cursor), skipping by bisection every date whose totals hold no entry
 * of the view, so a page costs about its own size whatever the range.
 */
export async function balancePage(journal: Journal, q: BalanceQuery, d: BalanceDays): Promise<BalancePage> {
  if (!q.range) return latestPage(journal, q);
  const { from, to } = q.range;
  const days = await ledgerDaysOf(journal, from, to, d);
  const sum = sumLedgerDays(days.values());
  const opening =
    sum.entries > 0 ? sum.openingFen : await balanceBefore(journal, businessDayStart(from, d.dayCut));
  const inView = (day: LedgerDay): number => (q.view ? day.counts[q.view] : day.entries);
  const wanted = [...days].filter(([, day]) => inView(day) > 0).map(([date]) => date);
  const page = await rangePage(journal, q, d.dayCut, new Set(wanted));
  return {
    ...page,
    movement: movementOf(sum, opening),
    totals: ledgerTotalsOfDay(sum),
    count: inView(sum),
  };
}

/**
 * The ledger day of every date of the range that has entries, oldest first: whole past dates from
 * the per-date totals when they are sound and dated by `dayCut`; today, later dates and any other
 * date counted from the journal's entries. Costs the number of dated records, whatever the range.
 */
export async function ledgerDaysOf(
  journal: Journal,
  from: string,
  to: string,
  d: BalanceDays,
): Promise<Map<string, LedgerDay>> {
  const totals = journal.dayTotals;
  const out = new Map<string, LedgerDay>();
  const fromJournal: string[] = [];
  if (totals.ready && totals.cut === d.dayCut) {
    for (const rec of totals.records()) {
      if (rec.date < from || rec.date > to || rec.date >= d.today || rec.ledger.entries === 0) continue;
      if (rec.cut === d.dayCut) out.set(rec.date, rec.ledger);
      else fromJournal.push(rec.date);
    }
    if (to >= d.today) fromJournal.push(from > d.today ? from : d.today, to);
  } else fromJournal.push(from, to);
  fromJournal.sort();
  if (fromJournal.length > 0) {
    const first = fromJournal[0]!;
    const last = fromJournal[fromJournal.length - 1]!;
    // Usually today alone; one read from the first to the last such date keeps it simple.
    const range = await ledgerOfDates(journal, first, last, d.dayCut);
    const counted = ledgerDays(range.entries, (e) => businessDate(e.at, d.dayCut));
    const read = new Set(fromJournal);
    for (const [date, day] of counted) {
      if (read.has(date) || date >= d.today || !(totals.ready && totals.cut === d.dayCut)) out.set(date, day);
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function rangePage(
  journal: Journal,
  q: BalanceQuery,
  dayCut: string,
  wanted: ReadonlySet<string>,
): Promise<Pick<BalancePage, 'entries' | 'next'>> {
  const { from, to } = q.range!;
  const endAt = businessDayStart(addDays(to, 1), dayCut);
  const later = [...wanted].sort();
  const entries: LedgerEntry[] = [];
  let seq = Math.max(
    await firstLedgerAtOrAfter(journal, businessDayStart(from, dayCut)),
    q.after === null ? 0 : q.after + 1,
  );
  let more = false;
  for (let scanning = true; scanning; ) {
    scanning = false;
    for await (const [key, value] of journal.raw.iterator({ gte: ledgerKey(seq), lt: 'l:\xff' })) {
      const e = decodeValue<LedgerEntry>(key, value);
      if (e.at >= endAt) break;
      const date = businessDate(e.at, dayCut);
      if (!wanted.has(date)) {
        const next = later.find((w) => w > date);
        if (next === undefined) break;
        seq = Math.max(e.seq + 1, await firstLedgerAtOrAfter(journal, businessDayStart(next, dayCut)));
        scanning = true;
        break;
      }
      if (!inLedgerView(e, q.view)) continue;
      if (entries.length === q.limit) {
        more = true;
        break;
      }
      entries.push(e);
    }
  }
  return { entries, next: more ? String(entries[entries.length - 1]!.seq) : null };
}

/** The latest entries of the view, newest first, before the cursor when one is given. */
async function latestPage(journal: Journal, q: BalanceQuery): Promise<BalancePage> {
  const entries: LedgerEntry[] = [];
  let more = false;
  const lt = q.after === null ? 'l:\xff' : ledgerKey(q.after);
  for await (const [key, value] of journal.raw.iterator({ gte: 'l:', lt, reverse: true })) {
    const e = decodeValue<LedgerEntry>(key, value);
    if (!inLedgerView(e, q.view)) continue;
    if (entries.length === q.limit) {
      more = true;
      break;
    }
    entries.push(e);
  }
  const next = more ? String(entries[entries.length - 1]!.seq) : null;
  return { entries, next, movement: null, totals: ledgerTotals(entries), count: null };
}
