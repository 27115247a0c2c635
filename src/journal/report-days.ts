import { addDays, businessDayStart } from '../core/business-day.ts';
import { type DayInput, datesBetween, dayInputs } from '../reports/daily-report.ts';
import { emptyLedgerDay } from '../reports/day-tally.ts';
import type { ReportScope } from '../reports/settlement.ts';
import type { Journal } from './journal.ts';
import { balanceBefore, ledgerOfDates, transactionsOfDates } from './range-reads.ts';

export interface ReportDaysQuery {
  from: string;
  to: string;
  scope: ReportScope;
  dayCut: string;
  /** Today's business date: it and later dates are always read from the journal. */
  today: string;
}

/**
 * The day inputs of a daily or historical report and the balance before its first date (fen).
 * Whole past dates come from the per-date totals; today, and any date whose totals cannot be
 * used (not yet checked, or dated by another day cut), are counted from the journal.
 */
export async function reportDays(
  journal: Journal,
  q: ReportDaysQuery,
): Promise<{ inputs: Map<string, DayInput>; openingFen: number }> {
  const totals = journal.dayTotals;
  const station = q.scope.kind === 'station';
  const inputs = new Map<string, DayInput>();
  const fromJournal: string[] = [];
  for (const date of datesBetween(q.from, q.to)) {
    const rec = totals.ready && date < q.today ? totals.get(date) : undefined;
    const usable =
      totals.ready &&
      date < q.today &&
      (!station || (totals.cut === q.dayCut && (!rec || rec.ledger.entries === 0 || rec.cut === q.dayCut)));
    if (!usable) {
      fromJournal.push(date);
      continue;
    }
    inputs.set(date, {
      rows: rec?.rows ?? [],
      ledger: station ? (rec && rec.ledger.entries > 0 ? rec.ledger : emptyLedgerDay()) : null,
    });
  }
  for (const [from, to] of runs(fromJournal)) {
    const [txns, ledger] = await Promise.all([
      transactionsOfDates(journal, from, to),
      station ? ledgerOfDates(journal, from, to, q.dayCut) : Promise.resolve({ entries: [], openingFen: 0 }),
    ]);
    for (const [date, input] of dayInputs(txns, ledger.entries, { ...q, from, to })) inputs.set(date, input);
  }
  const openingFen = station ? await balanceBefore(journal, businessDayStart(q.from, q.dayCut)) : 0;
  return { inputs, openingFen };
}

/** Consecutive dates grouped into [first, last] runs. */
function runs(dates: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const d of dates) {
    const last = out[out.length - 1];
    if (last && addDays(last[1], 1) === d) last[1] = d;
    else out.push([d, d]);
  }
  return out;
}
