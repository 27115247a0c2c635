import type { TxnRecord } from '../core/transaction/types.ts';
import type { ServiceLookup } from './mask-txn.ts';
import type { Bilingual } from './state-labels.ts';
import { type TxnView, txnView } from './txn-view.ts';

/**
 * Why a transaction is in the special journal (特殊流水):
 * - `reversed`: reversed, money credited back;
 * - `reversal-open`: a reversal was asked for and is not final yet;
 * - `reversal-refused`: a reversal was asked for and refused; the payment stands;
 * - `failed`: failed or refunded (nothing kept by the biller);
 * - `alert`: an alert was raised for it (result unknown too long, unresolved at the day cut);
 * - `unresolved`: still not final although its business date has ended (an error of that day).
 */
export type SpecialKind =
  | 'reversed'
  | 'reversal-open'
  | 'reversal-refused'
  | 'failed'
  | 'alert'
  | 'unresolved';

export const SPECIAL_KIND_LABELS: Readonly<Record<SpecialKind, Bilingual>> = {
  reversed: { zh: '已撤销', en: 'reversed' },
  'reversal-open': { zh: '撤销处理中', en: 'reversal in progress' },
  'reversal-refused': { zh: '撤销被拒', en: 'reversal refused' },
  failed: { zh: '失败/已退款', en: 'failed or refunded' },
  alert: { zh: '有告警', en: 'alerted' },
  unresolved: { zh: '跨日未决', en: 'unresolved past its day' },
};

export interface SpecialRow extends TxnView {
  kinds: SpecialKind[];
}

export interface SpecialJournal {
  date: string;
  rows: SpecialRow[];
  counts: Record<SpecialKind, number>;
}

/**
 * The kinds that make a transaction special, empty for an ordinary one. An action (the only one the
 * services have is a reversal) bumps `generation`, which is how a refused reversal is told from a
 * payment nobody tried to reverse. `today` is the current business date. Pure.
 */
export function specialKinds(txn: TxnRecord, today: string): SpecialKind[] {
  const kinds: SpecialKind[] = [];
  const actioned = txn.generation > 0;
  if (txn.terminal && txn.result === 'reversed') kinds.push('reversed');
  if (!txn.terminal && actioned) kinds.push('reversal-open');
  if (txn.terminal && txn.result === 'succeeded' && actioned) kinds.push('reversal-refused');
  if (txn.terminal && txn.result === 'failed') kinds.push('failed');
  if (txn.alerts.length > 0) kinds.push('alert');
  if (!txn.terminal && txn.businessDate < today) kinds.push('unresolved');
  return kinds;
}

/** The special journal of one business date (same-day or historical), oldest first. Pure. */
export function specialJournal(
  txns: Iterable<TxnRecord>,
  q: { date: string; today: string },
  services: ServiceLookup,
): SpecialJournal {
  const counts: Record<SpecialKind, number> = {
    reversed: 0,
    'reversal-open': 0,
    'reversal-refused': 0,
    failed: 0,
    alert: 0,
    unresolved: 0,
  };
  const rows: SpecialRow[] = [];
  for (const t of [...txns].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0))) {
    if (t.businessDate !== q.date) continue;
    const kinds = specialKinds(t, q.today);
    if (kinds.length === 0) continue;
    for (const k of kinds) counts[k]++;
    rows.push({ ...txnView(t, services), kinds });
  }
  return { date: q.date, rows, counts };
}
