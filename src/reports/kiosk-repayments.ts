import { CREDIT_CARD_SERVICE } from '../core/services/credit-card.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import type { HqRepayment } from '../reference-hq/reconcile.ts';

/**
 * The kiosk's own credit-card repayments in the shape reconciliation matches by terminal and
 * serial: the station's bound terminal, `ok` for a repayment that succeeded, else its state (only
 * `ok` ones are expected on the UnionPay statement). Pure.
 */
export function kioskRepayments(
  txns: Iterable<TxnRecord>,
  station: string,
  terminal: string | null,
): HqRepayment[] {
  const out: HqRepayment[] = [];
  for (const t of txns) {
    if (t.service !== CREDIT_CARD_SERVICE) continue;
    out.push({
      station,
      terminal,
      serial: t.serial,
      day: t.businessDate,
      amountFen: t.amountFen,
      status: t.terminal && t.result === 'succeeded' ? 'ok' : t.state,
      ref: String(t.data?.billerRef ?? ''),
    });
  }
  return out;
}
