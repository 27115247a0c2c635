import { Money } from '../core/money.ts';
import type { OrderRecord } from '../core/orders/order.ts';
import type { EffectResult } from '../core/transaction/types.ts';
import type { HqPort } from '../engine/ports.ts';
import { withTimeout } from '../engine/run-effect.ts';

/** The service id under which HQ's acquirer answers (see docs/protocol.md). */
export const PAYMENT_QR_SERVICE = 'payment-qr';

/** A payment order as the acquirer reports it. */
export interface QrAnswer {
  paymentId: string;
  payload: string;
  expiresAt: number;
  status: 'awaiting' | 'paid' | 'expired' | 'refunded';
  paidAt: number | null;
  refundRef: string | null;
  late: boolean;
}

export type QrResult = { ok: true; answer: QrAnswer } | { ok: false; result: EffectResult };

/**
 * The kiosk's side of the payment-QR acquirer, over the HQ link: every request carries the order's
 * own key (`<order key>:<op>:0`), so a repeat after a crash gets HQ's first answer. An unanswered
 * request is `unknown`, never a refusal.
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
    const d = result.data;
    return {
      ok: true,
      answer: {
        paymentId: String(d.paymentId),
        payload: String(d.payload),
        expiresAt: Number(d.expiresAt),
        status: d.status as QrAnswer['status'],
        paidAt: typeof d.paidAt === 'number' ? d.paidAt : null,
        refundRef: typeof d.refundRef === 'string' ? d.refundRef : null,
        late: d.late === true,
      },
    };
  }
}
