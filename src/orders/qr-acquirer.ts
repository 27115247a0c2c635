import { Money } from '../core/money.ts';
import type { OrderRecord } from '../core/orders/order.ts';
import { parseHqAnswer } from '../core/transaction/hq-answer.ts';
import type { EffectResult } from '../core/transaction/types.ts';
import type { HqPort } from '../engine/ports.ts';
import { withTimeout } from '../engine/run-effect.ts';
import { type QrAnswer, qrAnswerSchema } from '../protocol/schemas/payment-qr.ts';

export type { QrAnswer };

/** The service id under which HQ's acquirer answers (see docs/protocol.md). */
export const PAYMENT_QR_SERVICE = 'payment-qr';

export type QrResult = { ok: true; answer: QrAnswer } | { ok: false; result: EffectResult };

/**
 * The kiosk's side of the payment-QR acquirer, over the HQ link: every request carries the order's
 * own key (`<order key>:<op>:0`), so a repeat after a crash gets HQ's first answer. An unanswered
 * request is `unknown`, never a refusal; so is an answer that is malformed or about another order
 * (another station, order, payment order or amount): it is HQ's protocol error, logged by the
 * caller as an unknown outcome and asked again, never acted on.
 */
export class QrAcquirer {
  constructor(
    private readonly hq: HqPort,
    private readonly stationId: string,
    private readonly timeoutMs: () => number,
  ) {}

  /** Asks for a payment order of the order's total, valid until the order expires. */
  issue(order: OrderRecord, now: number): Promise<QrResult> {
    const ttlSec = Math.max(10, Math.ceil((order.expiresAt - now) / 1000));
    return this.call(order, 'order', {
      orderId: order.id,
      amount: Money.fromFen(order.amountFen + order.feeFen).toString(),
      ttlSec,
    });
  }

  status(order: OrderRecord): Promise<QrResult> {
    return this.call(order, 'order-status', { paymentId: order.qr?.paymentId ?? null });
  }

  /** Stops the payment order taking payments; the answer says whether it was paid first. */
  close(order: OrderRecord): Promise<QrResult> {
    return this.call(order, 'close', { paymentId: order.qr?.paymentId ?? null });
  }

  refund(order: OrderRecord): Promise<QrResult> {
    return this.call(order, 'refund', {
      paymentId: order.qr?.paymentId ?? null,
      amount: Money.fromFen(order.amountFen + order.feeFen).toString(),
      reason: order.reason?.code ?? null,
    });
  }

  private async call(order: OrderRecord, op: string, payload: Record<string, unknown>): Promise<QrResult> {
    const result = await withTimeout(
      (signal) =>
        this.hq.request(
          {
            op,
            service: PAYMENT_QR_SERVICE,
            serial: order.id,
            stationId: this.stationId,
            idempotencyKey: `${order.key}:${op}:0`,
            payload,
          },
          signal,
        ),
      this.timeoutMs(),
      new AbortController(),
    );
    if (result.outcome !== 'ok' || !result.data) return { ok: false, result };
    const parsed = parseHqAnswer(qrAnswerSchema, result.data);
    if (!parsed.ok) return { ok: false, result: protocolFault(parsed.problems[0]?.field ?? 'answer') };
    const a = parsed.answer;
    const total = Money.fromFen(order.amountFen + order.feeFen);
    const known = order.qr?.paymentId;
    const stranger =
      a.station !== this.stationId
        ? 'answer.station'
        : a.orderId !== order.id
          ? 'answer.orderId'
          : known !== undefined && a.paymentId !== known
            ? 'answer.paymentId'
            : !Money.of(a.amount).eq(total)
              ? 'answer.amount'
              : null;
    if (stranger) return { ok: false, result: protocolFault(stranger) };
    return { ok: true, answer: a };
  }
}

/** An answer the kiosk cannot act on: unknown (asked again later), naming the answer's field. */
function protocolFault(field: string): EffectResult {
  return {
    outcome: 'unknown',
    reason: {
      code: 'KIOSK_E_HQ_PROTOCOL',
      zh: `总部收款应答有误：${field}，稍后重新查询`,
      en: `HQ's payment answer is wrong: ${field}; asked again later`,
    },
  };
}
