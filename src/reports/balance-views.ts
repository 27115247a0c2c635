import type { LedgerEntry, LedgerKind } from '../core/ledger.ts';
import type { LedgerDay } from './day-tally.ts';
import type { Bilingual } from './state-labels.ts';
import { yuan } from './txn-view.ts';

export const LEDGER_KIND_LABELS: Readonly<Record<LedgerKind, Bilingual>> = {
  hold: { zh: '冻结', en: 'hold' },
  capture: { zh: '消费', en: 'consumption' },
  release: { zh: '解冻', en: 'release' },
  topup: { zh: '续费', en: 'top-up' },
  'topup-reversal': { zh: '续费撤销', en: 'top-up reversal' },
  'reversal-credit': { zh: '撤销退回', en: 'reversal credit' },
  adjustment: { zh: '调账', en: 'adjustment' },
  refund: { zh: '退款通知', en: 'refund notice' },
};

/** Views of the ledger the operator reads (续费明细, 交易明细, 调账, 退款通知). */
export type LedgerGroup = 'topups' | 'consumption' | 'reversalCredits' | 'adjustments' | 'refunds' | 'holds';

const GROUP_OF: Readonly<Record<LedgerKind, LedgerGroup>> = {
  topup: 'topups',
  'topup-reversal': 'topups',
  capture: 'consumption',
  'reversal-credit': 'reversalCredits',
  adjustment: 'adjustments',
  refund: 'refunds',
  hold: 'holds',
  release: 'holds',
};

/** The ledger group an entry of `kind` belongs to. */
export const ledgerGroupOf = (kind: LedgerKind): LedgerGroup => GROUP_OF[kind] ?? 'holds';

export interface LedgerRow {
  seq: number;
  at: number;
  kind: LedgerKind;
  kindLabel: Bilingual;
  group: LedgerGroup;
  /** Signed change of the balance, yuan. */
  delta: string;
  /** Signed change of the held total, yuan. */
  heldDelta: string;
  balanceAfter: string;
  heldAfter: string;
  serial: string | null;
  ref: string | null;
  note: string | null;
}

export function ledgerRow(e: LedgerEntry): LedgerRow {
  return {
    seq: e.seq,
    at: e.at,
    kind: e.kind,
    kindLabel: LEDGER_KIND_LABELS[e.kind] ?? { zh: e.kind, en: e.kind },
    group: GROUP_OF[e.kind] ?? 'holds',
    delta: yuan(e.deltaFen),
    heldDelta: yuan(e.heldDeltaFen),
    balanceAfter: yuan(e.balanceAfterFen),
    heldAfter: yuan(e.heldAfterFen),
    serial: e.serial ?? null,
    ref: e.ref ?? null,
    note: e.note ?? null,
  };
}

/** Parses a group name from a query; `undefined` when it is not one. */
export function ledgerGroup(name: string): LedgerGroup | undefined {
  return (Object.values(GROUP_OF) as string[]).includes(name) ? (name as LedgerGroup) : undefined;
}

/** Balance change and count per group for the entries given (hold entries change no balance). Pure. */
export function ledgerTotals(
  entries: readonly LedgerEntry[],
): Record<LedgerGroup, { count: number; delta: string }> {
  const groups: LedgerGroup[] = [
    'topups',
    'consumption',
    'reversalCredits',
    'adjustments',
    'refunds',
    'holds',
  ];
  const acc = new Map(groups.map((g) => [g, { count: 0, fen: 0 }]));
  for (const e of entries) {
    const g = acc.get(GROUP_OF[e.kind] ?? 'holds')!;
    g.count++;
    g.fen += e.deltaFen;
  }
  return Object.fromEntries(
    groups.map((g) => [g, { count: acc.get(g)!.count, delta: yuan(acc.get(g)!.fen) }]),
  ) as Record<LedgerGroup, { count: number; delta: string }>;
}

/**
 * The same totals for a period from its ledger days summed (`sumLedgerDays`), without reading an
 * entry: counts from the per-view counts, deltas from the movement sums (holds move no balance).
 */
export function ledgerTotalsOfDay(day: LedgerDay): Record<LedgerGroup, { count: number; delta: string }> {
  const c = day.counts;
  const t = (count: number, fen: number) => ({ count, delta: yuan(fen) });
  return {
    topups: t(c.topups, day.topups + day.topupReversals),
    consumption: t(c.consumption, day.consumption),
    reversalCredits: t(c.reversalCredits, day.reversalCredits),
    adjustments: t(c.adjustments, day.adjustments),
    refunds: t(c.refunds, day.refunds),
    holds: t(c.holds, 0),
  };
}

/**
 * A balance view by name: a ledger group, or `changes` (余额变更: every entry that moved the
 * balance, holds and releases left out). `undefined` when the name is neither.
 */
export type LedgerView = LedgerGroup | 'changes';

export function ledgerView(name: string): LedgerView | undefined {
  return name === 'changes' ? 'changes' : ledgerGroup(name);
}

export function inLedgerView(e: LedgerEntry, view: LedgerView | undefined): boolean {
  if (!view) return true;
  if (view === 'changes') return e.deltaFen !== 0;
  return (GROUP_OF[e.kind] ?? 'holds') === view;
}
