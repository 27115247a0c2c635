import { businessDate } from '../core/business-day.ts';
import type { LedgerEntry, LedgerKind } from '../core/ledger.ts';
import { addLedgerEntry, emptyLedgerDay, type LedgerDay } from './day-tally.ts';
import { yuan } from './txn-view.ts';

/** How the prepaid balance moved over a period, by kind; yuan strings. opening + Σ = closing. */
export interface LedgerMovement {
  opening: string;
  topups: string;
  topupReversals: string;
  /** Captures of successful transactions (negative). */
  consumption: string;
  reversalCredits: string;
  adjustments: string;
  refunds: string;
  closing: string;
  entries: number;
}

const FIELD: Partial<Record<LedgerKind, MovementField>> = {
  topup: 'topups',
  'topup-reversal': 'topupReversals',
  capture: 'consumption',
  'reversal-credit': 'reversalCredits',
  adjustment: 'adjustments',
  refund: 'refunds',
};

/** The movement field a ledger entry of `kind` adds to; holds and releases add to none. */
export const ledgerMovementField = (kind: LedgerKind): MovementField | undefined => FIELD[kind];

type MovementField = keyof Omit<LedgerMovement, 'opening' | 'closing' | 'entries'>;

/**
 * The movement of the balance over `entries` (consecutive ledger entries, oldest first) starting
 * from `openingFen`. Holds and releases move only the held total, not the balance. Pure.
 */
export function ledgerMovement(entries: readonly LedgerEntry[], openingFen: number): LedgerMovement {
  const day = emptyLedgerDay();
  for (const e of entries) addLedgerEntry(day, e);
  return movementOf({ ...day, openingFen }, openingFen);
}

/** The movement of a ledger day (or several summed); `openingFen` when it holds no entry. */
export function movementOf(day: LedgerDay, openingFen: number): LedgerMovement {
  const opening = day.entries > 0 ? day.openingFen : openingFen;
  return {
    opening: yuan(opening),
    topups: yuan(day.topups),
    topupReversals: yuan(day.topupReversals),
    consumption: yuan(day.consumption),
    reversalCredits: yuan(day.reversalCredits),
    adjustments: yuan(day.adjustments),
    refunds: yuan(day.refunds),
    closing: yuan(opening + day.deltaFen),
    entries: day.entries,
  };
}

/** Consecutive ledger days summed into one (oldest first): the opening is the first day's with entries. */
export function sumLedgerDays(days: Iterable<LedgerDay>): LedgerDay {
  const out = emptyLedgerDay();
  for (const d of days) {
    if (d.entries === 0) continue;
    if (out.entries === 0) out.openingFen = d.openingFen;
    out.entries += d.entries;
    out.deltaFen += d.deltaFen;
    for (const f of MOVEMENT_FIELDS) out[f] += d[f];
    for (const k of Object.keys(out.counts) as Array<keyof LedgerDay['counts']>) out.counts[k] += d.counts[k];
  }
  return out;
}

/** The movement fields of a ledger day, in the order they are stored and shown. */
export const MOVEMENT_FIELDS: readonly MovementField[] = [
  'topups',
  'topupReversals',
  'consumption',
  'reversalCredits',
  'adjustments',
  'refunds',
];

/** Splits consecutive ledger entries by the business date of their time; oldest date first. */
export function entriesByBusinessDate(
  entries: readonly LedgerEntry[],
  dayCut: string,
): Map<string, LedgerEntry[]> {
  const out = new Map<string, LedgerEntry[]>();
  for (const e of entries) {
    const d = businessDate(e.at, dayCut);
    let list = out.get(d);
    if (!list) {
      list = [];
      out.set(d, list);
    }
    list.push(e);
  }
  return out;
}

/** The balance before an entry, fen. */
export const balanceBeforeFen = (e: LedgerEntry): number => e.balanceAfterFen - e.deltaFen;
