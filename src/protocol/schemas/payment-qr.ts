import { z } from 'zod';
import { epochMs, stationId, yuan } from './common.ts';

/**
 * What the payment-QR acquirer (through HQ) answers about one payment order, for every op (order,
 * order-status, close, refund). The reference HQ builds it and the kiosk parses it with this one
 * schema; the kiosk then checks the answer is about its own order (station, order, payment id and
 * amount) before acting on it.
 */
export const qrAnswerSchema = z.strictObject({
  paymentId: z.string().min(1).max(64),
  station: stationId,
  orderId: z.string().min(1).max(64),
  amount: yuan,
  /** The text the kiosk draws as the QR code. */
  payload: z.string().min(1).max(512),
  expiresAt: epochMs,
  status: z.enum(['awaiting', 'paid', 'expired', 'refunded']),
  paidAt: epochMs.nullable(),
  refundedAt: epochMs.nullable(),
  refundRef: z.string().min(1).max(64).nullable(),
  /** Paid after it had expired: refunded by the acquirer itself. */
  late: z.boolean(),
});

export type QrAnswer = z.output<typeof qrAnswerSchema>;
