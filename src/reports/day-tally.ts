import type { LedgerEntry } from '../core/ledger.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { ledgerGroupOf } from './balance-views.ts';
import { addTo, type FenTally, plus, zeroTally } from './fen-tally.ts';
import { ledgerMovementField } from './ledger-movement.ts';
import { isCharged, type ReportScope } from './settlement.ts';
import type { Tender } from './tender.ts';

/** Who a transaction belongs to in a report: the teller's code, or `~self` for self-service. */
export const SELF_WHO = '~self';

/**
 * Integer-fen totals of the transactions of one business date that share a business type, a
 * teller (or self-service) and a tender. Every report (settlement, daily and historical report)
 * is summed from these rows, whether they were counted from the snapshots or kept per date.
 */
export interface TallyRow {
  service: string;
  who: string;
  tender: Tender;
  /** Transactions recorded, whatever their state. */
  recorded: number;
  /** Charged to the prepaid balance, whatever happened to them later. */
  payments: FenTally;
  /** Charged, then reversed. */
  reversals: FenTally;
  /** Not final and not charged. */
  open: FenTally;
  /** Final and failed. */
  failed: FenTally;
}

export const tallyKey = (r: Pick<TallyRow, 'service' | 'who' | 'tender'>): string =>
  `${r.service}|${r.who}|${r.tender}`;

export const whoOf = (t: TxnRecord): string =>
  t.channel === 'operator' ? (t.operator ?? SELF_WHO) : SELF_WHO;

/** Whether a row falls in the scope: the teller's own, or any for the station. */
export function rowInScope(r: Pick<TallyRow, 'who'>, scope: ReportScope): boolean {
  return scope.kind === 'station' || (r.who !== SELF_WHO && r.who === scope.operator);
}

export function emptyRow(service: string, who: string, tender: Tender): TallyRow {
  return {
    service,
    who,
    tender,
    recorded: 0,
    payments: zeroTally(),
    reversals: zeroTally(),
    open: zeroTally(),
    failed: zeroTally(),
  };
}

/** What one transaction snapshot adds to its row. */
export function contributionOf(t: TxnRecord, tender: Tender): TallyRow {
  const r = emptyRow(t.service, whoOf(t), tender);
  r.recorded = 1;
  if (isCharged(t)) {
    addTo(r.payments, t.amountFen, t.feeFen);
    if (t.result === 'reversed') addTo(r.reversals, t.amountFen, t.feeFen);
  } else if (!t.terminal) addTo(r.open, t.amountFen, t.feeFen);
  else if (t.result === 'failed') addTo(r.failed, t.amountFen, t.feeFen);
  return r;
}

/** `into` + sign × `r`, in place (sign −1 takes a snapshot's old contribution back out). */
export function addRow(into: TallyRow, r: TallyRow, sign: 1 | -1 = 1): void {
  into.recorded += sign * r.recorded;
  for (const k of ['payments', 'reversals', 'open', 'failed'] as const) {
    into[k].count += sign * r[k].count;
    into[k].amountFen += sign * r[k].amountFen;
    into[k].feeFen += sign * r[k].feeFen;
  }
}

export function isEmptyRow(r: TallyRow): boolean {
  return (
    r.recorded === 0 &&
    (['payments', 'reversals', 'open', 'failed'] as const).every(
      (k) => r[k].count === 0 && r[k].amountFen === 0 && r[k].feeFen === 0,
    )
  );
}

/** Groups snapshots (with their tenders) into rows, sorted by key. */
export function tallyRows(txns: Iterable<{ txn: TxnRecord; tender: Tender }>): TallyRow[] {
  const rows = new Map<string, TallyRow>();
  for (const { txn, tender } of txns) {
    const c = contributionOf(txn, tender);
    const key = tallyKey(c);
    const have = rows.get(key);
    if (have) addRow(have, c);
    else rows.set(key, c);
  }
  return [...rows.keys()].sort().map((k) => rows.get(k)!);
}

/** Sums rows that share a key (rows of several dates into one list). */
export function mergeRows(lists: Iterable<readonly TallyRow[]>): TallyRow[] {
  const rows = new Map<string, TallyRow>();
  for (const list of lists) {
    for (const r of list) {
      const key = tallyKey(r);
      let have = rows.get(key);
      if (!have) {
        have = emptyRow(r.service, r.who, r.tender);
        rows.set(key, have);
      }
      addRow(have, r);
    }
  }
  return [...rows.keys()].sort().map((k) => rows.get(k)!);
}

/** The total of one tally over rows. */
export function sumOf(rows: readonly TallyRow[], k: 'payments' | 'reversals' | 'open' | 'failed'): FenTally {
  return rows.reduce((acc, r) => plus(acc, r[k]), zeroTally());
}

/**
 * The prepaid ledger of one business date in fen: the entries made between its start and end,
 * the balance before the first of them, and the sums by movement field. `entries` 0 means no
 * entry was made that date (the opening is then the balance carried over).
 */
export interface LedgerDay {
  entries: number;
  openingFen: number;
  /** Σ deltaFen of every entry. */
  deltaFen: number;
  topups: number;
  topupReversals: number;
  consumption: number;
  reversalCredits: number;
  adjustments: number;
  refunds: number;
  /** How many entries fall in each balance view (`changes`: those that moved the balance). */
  counts: LedgerCounts;
}

/** Entries per balance view of one date (the keys of `LedgerView`). */
export interface LedgerCounts {
  topups: number;
  consumption: number;
  reversalCredits: number;
  adjustments: number;
  refunds: number;
  holds: number;
  changes: number;
}

export const emptyLedgerCounts = (): LedgerCounts => ({
  topups: 0,
  consumption: 0,
  reversalCredits: 0,
  adjustments: 0,
  refunds: 0,
  holds: 0,
  changes: 0,
});

export const emptyLedgerDay = (): LedgerDay => ({
  entries: 0,
  openingFen: 0,
  deltaFen: 0,
  topups: 0,
  topupReversals: 0,
  consumption: 0,
  reversalCredits: 0,
  adjustments: 0,
  refunds: 0,
  counts: emptyLedgerCounts(),
});

/** Adds one ledger entry (the next one of its date, in sequence order) to the day, in place. */
export function addLedgerEntry(day: LedgerDay, e: LedgerEntry): void {
  if (day.entries === 0) day.openingFen = e.balanceAfterFen - e.deltaFen;
  day.entries++;
  day.deltaFen += e.deltaFen;
  const f = ledgerMovementField(e.kind);
  if (f) day[f] += e.deltaFen;
  day.counts[ledgerGroupOf(e.kind)]++;
  if (e.deltaFen !== 0) day.counts.changes++;
}

/** The ledger days of consecutive entries (oldest first) under business dates from `dateOf`. */
export function ledgerDays(
  entries: readonly LedgerEntry[],
  dateOf: (e: LedgerEntry) => string,
): Map<string, LedgerDay> {
  const out = new Map<string, LedgerDay>();
  for (const e of entries) {
    const d = dateOf(e);
    let day = out.get(d);
    if (!day) {
      day = emptyLedgerDay();
      out.set(d, day);
    }
    addLedgerEntry(day, e);
  }
  return out;
}
