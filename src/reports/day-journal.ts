import { Money } from '../core/money.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import type { ServiceLookup } from './mask-txn.ts';
import { inWindow, type TimeWindow } from './time-window.ts';
import { type TxnView, txnView, yuan } from './txn-view.ts';

/** Money and count of one group of transactions; yuan strings. */
export interface Tally {
  count: number;
  amount: string;
  fee: string;
  total: string;
}

export interface ServiceTotals {
  service: string;
  serviceName: { zh: string; en: string };
  /** Final and standing (a refused reversal leaves the payment standing). */
  succeeded: Tally;
  failed: Tally;
  reversed: Tally;
  /** Not final yet: the kiosk is still resolving them. */
  open: Tally;
}

export interface DayJournal {
  /** Business date (账务日期) yyyymmdd. */
  date: string;
  service: string | null;
  window: TimeWindow | null;
  /** Oldest first, as the journal recorded them. */
  rows: TxnView[];
  byService: ServiceTotals[];
  totals: Omit<ServiceTotals, 'service' | 'serviceName'>;
}

export interface DayJournalQuery {
  date: string;
  service?: string | undefined;
  window?: TimeWindow | undefined;
}

/**
 * The journal of one business date (本省当日流水 for today, 历史流水 for an earlier date), optionally
 * of one business type and within a time window of the local creation time. Pure: `txns` may hold
 * any transactions; those outside the query are ignored.
 */
export function dayJournal(
  txns: Iterable<TxnRecord>,
  q: DayJournalQuery,
  services: ServiceLookup,
): DayJournal {
  const chosen = [...txns]
    .filter((t) => t.businessDate === q.date && (!q.service || t.service === q.service))
    .map((t) => txnView(t, services))
    .filter((v) => !q.window || inWindow(v.time, q.window))
    .sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  const groups = new Map<string, TxnView[]>();
  for (const v of chosen) groups.set(v.service, [...(groups.get(v.service) ?? []), v]);
  const byService = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([service, rows]) => ({ service, serviceName: rows[0]!.serviceName, ...totalsOf(rows) }));
  return {
    date: q.date,
    service: q.service ?? null,
    window: q.window ?? null,
    rows: chosen,
    byService,
    totals: totalsOf(chosen),
  };
}

function totalsOf(rows: readonly TxnView[]): Omit<ServiceTotals, 'service' | 'serviceName'> {
  return {
    succeeded: tally(rows.filter((r) => r.terminal && r.result === 'succeeded')),
    failed: tally(rows.filter((r) => r.terminal && r.result === 'failed')),
    reversed: tally(rows.filter((r) => r.terminal && r.result === 'reversed')),
    open: tally(rows.filter((r) => !r.terminal)),
  };
}

/** Sums in integer fen, so no floating point is involved. */
export function tally(rows: readonly TxnView[]): Tally {
  let amountFen = 0;
  let feeFen = 0;
  for (const r of rows) {
    amountFen += Money.of(r.amount).toFen();
    feeFen += Money.of(r.fee).toFen();
  }
  return { count: rows.length, amount: yuan(amountFen), fee: yuan(feeFen), total: yuan(amountFen + feeFen) };
}
