import { maskValue } from '../core/mask.ts';
import { CREDIT_CARD_SERVICE, creditCardRepayment } from '../core/services/credit-card.ts';
import type { TxnRecord } from '../core/transaction/types.ts';
import { sensitiveKindOf } from '../reports/mask-txn.ts';
import type { HqRepayment } from './statement-match.ts';

/** A repaid card masked by the repayment service's declared sensitivity of its credit card field. */
export function maskRepaymentCard(card: string): string {
  const kind = sensitiveKindOf(creditCardRepayment, 'creditCard') ?? 'card';
  return maskValue(kind, card);
}

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
    const card = t.fields.creditCard;
    out.push({
      station,
      terminal,
      serial: t.serial,
      day: t.businessDate,
      amountFen: t.amountFen,
      status: t.terminal && t.result === 'succeeded' ? 'ok' : t.state,
      ref: String(t.data?.billerRef ?? ''),
      card: typeof card === 'string' && card !== '' ? maskRepaymentCard(card) : null,
    });
  }
  return out;
}
