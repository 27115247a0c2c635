import { businessDate } from '../core/business-day.ts';
import type { LedgerEntry } from '../core/ledger.ts';
import type { OrderRecord } from '../core/orders/order.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { contributionOf, isEmptyRow, ledgerDays, mergeRows } from '../reports/day-tally.ts';
import { tenderOf } from '../reports/tender.ts';
import type { DayTotalsRecord } from './day-totals.ts';
import type { JournalProblem } from './journal.ts';
import { dayTotalsKey } from './keys.ts';

/**
 * Compares every per-date totals record with a recount from the snapshots (tenders from their
 * orders) and, for records dated by `cut`, the ledger. One problem per date that differs. Pure.
 */
export function checkDayTotals(
  records: ReadonlyMap<string, DayTotalsRecord>,
  txns: Iterable<TxnRecord>,
  orders: ReadonlyMap<string, OrderRecord>,
  ledger: readonly LedgerEntry[],
  cut: string,
): JournalProblem[] {
  const byDate = new Map<string, ReturnType<typeof contributionOf>[]>();
  for (const t of txns) {
    const id = t.data?.order;
    const tender = (typeof id === 'string' ? (orders.get(id) as { tender?: unknown } | undefined) : undefined)
      ?.tender;
    const c = contributionOf(t, tenderOf(tender ? { ...t, data: { ...t.data, tender } } : t));
    const list = byDate.get(t.businessDate) ?? [];
    list.push(c);
    byDate.set(t.businessDate, list);
  }
  const days = ledgerDays(ledger, (e) => businessDate(e.at, cut));
  const problems: JournalProblem[] = [];
  const dates = new Set([...records.keys(), ...byDate.keys(), ...days.keys()]);
  for (const date of [...dates].sort()) {
    const rec = records.get(date);
    const rows = mergeRows([byDate.get(date) ?? []]).filter((r) => !isEmptyRow(r));
    const kept = (rec?.rows ?? []).filter((r) => !isEmptyRow(r));
    const day = days.get(date);
    const ledgerOk =
      rec && rec.cut !== cut
        ? true
        : JSON.stringify(rec?.ledger.entries ? rec.ledger : null) === JSON.stringify(day ?? null);
    if (JSON.stringify(kept) !== JSON.stringify(rows) || !ledgerOk)
      problems.push({
        key: dayTotalsKey(date),
        kind: 'index',
        message: rec
          ? 'per-date totals differ from a recount of the transactions and ledger'
          : 'per-date totals missing for a date with transactions or ledger entries',
      });
  }
  return problems;
}
