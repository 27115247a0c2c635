import { addDays, businessDate } from '../core/business-day.ts';
import type { LedgerEntry } from '../core/ledger.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import {
  emptyLedgerDay,
  type LedgerDay,
  ledgerDays,
  mergeRows,
  rowInScope,
  sumOf,
  type TallyRow,
  tallyRows,
} from './day-tally.ts';
import { addTo, type MoneyTally, toMoney, zeroTally } from './fen-tally.ts';
import { type LedgerMovement, movementOf, sumLedgerDays } from './ledger-movement.ts';
import type { ServiceLookup } from './mask-txn.ts';
import { inScope, isSale, type ReportScope, type Settlement, settleRows } from './settlement.ts';
import { type Tender, tenderOf } from './tender.ts';

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

/** What a report needs of one business date: its tally rows and (station) its prepaid ledger. */
export interface DayInput {
  rows: readonly TallyRow[];
  ledger: LedgerDay | null;
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
  return reportOfDays(dayInputs(txns, ledger, q), openingFen, q, services);
}

/** The day inputs of snapshots and ledger entries of a range, by business date. Pure. */
export function dayInputs(
  txns: Iterable<TxnRecord>,
  ledger: readonly LedgerEntry[],
  q: Pick<DailyReportQuery, 'from' | 'to' | 'scope' | 'dayCut'>,
): Map<string, DayInput> {
  const byDate = new Map<string, Array<{ txn: TxnRecord; tender: Tender }>>();
  for (const t of txns) {
    if (t.businessDate < q.from || t.businessDate > q.to || !inScope(t, q.scope)) continue;
    let list = byDate.get(t.businessDate);
    if (!list) {
      list = [];
      byDate.set(t.businessDate, list);
    }
    list.push({ txn: t, tender: tenderOf(t) });
  }
  const station = q.scope.kind === 'station';
  const ledgerByDate = station
    ? ledgerDays(ledger, (e) => businessDate(e.at, q.dayCut))
    : new Map<string, LedgerDay>();
  const out = new Map<string, DayInput>();
  for (const date of datesBetween(q.from, q.to)) {
    out.set(date, {
      rows: tallyRows(byDate.get(date) ?? []),
      ledger: station ? (ledgerByDate.get(date) ?? emptyLedgerDay()) : null,
    });
  }
  return out;
}

/**
 * The report from its day inputs (every date of the range; a missing one counts as empty) and,
 * for the station, the balance before the range (fen). Pure.
 */
export function reportOfDays(
  inputs: ReadonlyMap<string, DayInput>,
  openingFen: number,
  q: DailyReportQuery,
  services: ServiceLookup,
): DailyReport {
  const station = q.scope.kind === 'station';
  let balanceFen = openingFen;
  const totalFailed = zeroTally();
  const allRows: Array<readonly TallyRow[]> = [];
  const ledgers: LedgerDay[] = [];
  const days = datesBetween(q.from, q.to).map((date): ReportDay => {
    const input = inputs.get(date);
    const rows = (input?.rows ?? []).filter((r) => rowInScope(r, q.scope) && isSale(r, services));
    allRows.push(rows);
    const failed = sumOf(rows, 'failed');
    addTo(totalFailed, failed.amountFen, failed.feeFen, failed.count);
    let movement: LedgerMovement | null = null;
    if (station) {
      const day = input?.ledger ?? emptyLedgerDay();
      ledgers.push(day);
      movement = movementOf(day, balanceFen);
      balanceFen = (day.entries > 0 ? day.openingFen : balanceFen) + day.deltaFen;
    }
    return {
      businessDate: date,
      transactions: rows.reduce((n, r) => n + r.recorded, 0),
      failed: toMoney(failed),
      settlement: settleRows(rows, { businessDate: date, scope: q.scope, at: q.at }, services),
      ledger: movement,
    };
  });
  return {
    kind: q.scope.kind,
    operator: q.scope.kind === 'teller' ? q.scope.operator : null,
    from: q.from,
    to: q.to,
    at: q.at,
    days,
    summary: settleRows(
      mergeRows(allRows),
      { businessDate: q.from, lastDate: q.to, scope: q.scope, at: q.at },
      services,
    ),
    failed: toMoney(totalFailed),
    ledger: station ? movementOf(sumLedgerDays(ledgers), openingFen) : null,
  };
}
