import { businessDate } from '../core/business-day.ts';
import type { LedgerEntry, LedgerKind } from '../core/ledger.ts';
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

const FIELD: Partial<Record<LedgerKind, keyof Omit<LedgerMovement, 'opening' | 'closing' | 'entries'>>> = {
  topup: 'topups',
  'topup-reversal': 'topupReversals',
  capture: 'consumption',
  'reversal-credit': 'reversalCredits',
  adjustment: 'adjustments',
  refund: 'refunds',
};

/**
 * The movement of the balance over `entries` (consecutive ledger entries, oldest first) starting
 * from `openingFen`. Holds and releases move only the held total, not the balance. Pure.
 */
export function ledgerMovement(entries: readonly LedgerEntry[], openingFen: number): LedgerMovement {
  const fen = {
    topups: 0,
    topupReversals: 0,
    consumption: 0,
    reversalCredits: 0,
    adjustments: 0,
    refunds: 0,
  };
  let closing = openingFen;
  for (const e of entries) {
    const f = FIELD[e.kind];
    if (f) fen[f] += e.deltaFen;
    closing += e.deltaFen;
  }
  return {
    opening: yuan(openingFen),
    topups: yuan(fen.topups),
    topupReversals: yuan(fen.topupReversals),
    consumption: yuan(fen.consumption),
    reversalCredits: yuan(fen.reversalCredits),
    adjustments: yuan(fen.adjustments),
    refunds: yuan(fen.refunds),
    closing: yuan(closing),
    entries: entries.length,
  };
}

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
