import { addDays } from '../core/business-day.ts';
import type { LedgerEntry } from '../core/ledger.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { addTo, type FenTally, type MoneyTally, toMoney, zeroTally } from './fen-tally.ts';
import {
  balanceBeforeFen,
  entriesByBusinessDate,
  type LedgerMovement,
  ledgerMovement,
} from './ledger-movement.ts';
import type { ServiceLookup } from './mask-txn.ts';
import { inScope, isSale, type ReportScope, type Settlement, settle } from './settlement.ts';

export interface DailyReportQuery {
  /** First and last business date, yyyymmdd, both included. */
  from: string;
  to: string;
  scope: ReportScope;
  at: number;
  dayCut: string;
}

/** One business date of a daily report: its settlement, the failed ones, and (station) the ledger. */
export interface ReportDay {
  businessDate: string;
  /** Every sale recorded that day in the scope, whatever its state. */
  transactions: number;
  failed: MoneyTally;
  settlement: Settlement;
  /** Station reports only: the prepaid balance over the business date. */
  ledger: LedgerMovement | null;
}

export interface DailyReport {
  kind: 'teller' | 'station';
  operator: string | null;
  from: string;
  to: string;
  at: number;
  days: ReportDay[];
  /** The whole range as one settlement (by business type), and its failed ones. */
  summary: Settlement;
  failed: MoneyTally;
  /** Station reports only: the balance over the whole range. */
  ledger: LedgerMovement | null;
}

/** Every business date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * Teller or station daily report (营业日报) of one business date, or the historical report over a
 * range: a settlement per day and for the whole range, failed transactions, and for the station
 * the prepaid ledger per day. `ledger` must hold every ledger entry of the range (consecutive,
 * oldest first) and `openingFen` the balance before the first of them. Pure.
 */
export function dailyReport(
  txns: Iterable<TxnRecord>,
  ledger: readonly LedgerEntry[],
  openingFen: number,
  q: DailyReportQuery,
  services: ServiceLookup,
): DailyReport {
  const byDate = new Map<string, TxnRecord[]>();
  const all: TxnRecord[] = [];
  for (const t of txns) {
    if (t.businessDate < q.from || t.businessDate > q.to) continue;
    if (!inScope(t, q.scope) || !isSale(t, services)) continue;
    all.push(t);
    let list = byDate.get(t.businessDate);
    if (!list) {
      list = [];
      byDate.set(t.businessDate, list);
    }
    list.push(t);
  }
  const station = q.scope.kind === 'station';
  const ledgerByDate = station ? entriesByBusinessDate(ledger, q.dayCut) : new Map<string, LedgerEntry[]>();
  let balanceFen = openingFen;
  const totalFailed = zeroTally();
  const days = datesBetween(q.from, q.to).map((date): ReportDay => {
    const list = byDate.get(date) ?? [];
    const failed = failedOf(list);
    addTo(totalFailed, failed.amountFen, failed.feeFen, failed.count);
    let movement: LedgerMovement | null = null;
    if (station) {
      const entries = ledgerByDate.get(date) ?? [];
      const opening = entries[0] ? balanceBeforeFen(entries[0]) : balanceFen;
      movement = ledgerMovement(entries, opening);
      const last = entries[entries.length - 1];
      if (last) balanceFen = last.balanceAfterFen;
    }
    return {
      businessDate: date,
      transactions: list.length,
      failed: toMoney(failed),
      settlement: settle(list, { businessDate: date, scope: q.scope, at: q.at }, services),
      ledger: movement,
    };
  });
  const inRange = station
    ? [...ledgerByDate].filter(([d]) => d >= q.from && d <= q.to).flatMap(([, l]) => l)
    : [];
  return {
    kind: q.scope.kind,
    operator: q.scope.kind === 'teller' ? q.scope.operator : null,
    from: q.from,
    to: q.to,
    at: q.at,
    days,
    summary: settle(all, { businessDate: q.from, lastDate: q.to, scope: q.scope, at: q.at }, services),
    failed: toMoney(totalFailed),
    ledger: station ? ledgerMovement(inRange, inRange[0] ? balanceBeforeFen(inRange[0]) : openingFen) : null,
  };
}

function failedOf(list: readonly TxnRecord[]): FenTally {
  const t = zeroTally();
  for (const x of list) if (x.terminal && x.result === 'failed') addTo(t, x.amountFen, x.feeFen);
  return t;
}
