import type { TxnRecord } from '../core/transaction/types.ts';
import type { ServiceLookup } from './mask-txn.ts';
import { type TxnView, txnView } from './txn-view.ts';

export const GAME_TOPUP_SERVICE = 'game-topup';

export interface GameErrorReport {
  date: string;
  service: string;
  /** Every top-up of the date that did not simply succeed, oldest first. */
  rows: TxnView[];
  /** Rows per state. */
  byState: Record<string, number>;
  /** All top-ups of the date, for context. */
  total: number;
}

/**
 * Game top-up error query by date (充值差错查询): the top-ups of one business date that failed, were
 * corrected and refunded (冲正), are still being resolved, or raised an alert. Pure.
 */
export function gameErrors(
  txns: Iterable<TxnRecord>,
  q: { date: string; service?: string },
  services: ServiceLookup,
): GameErrorReport {
  const service = q.service ?? GAME_TOPUP_SERVICE;
  const ofDay = [...txns]
    .filter((t) => t.service === service && t.businessDate === q.date)
    .sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  const rows = ofDay
    .filter((t) => !(t.terminal && t.result === 'succeeded' && t.alerts.length === 0))
    .map((t) => txnView(t, services));
  const byState: Record<string, number> = {};
  for (const r of rows) byState[r.state] = (byState[r.state] ?? 0) + 1;
  return { date: q.date, service, rows, byState, total: ofDay.length };
}
